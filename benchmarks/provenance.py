"""What a result was measured on: git commit, dirty flags, sktpe source hash, versions, machine.

Every results JSON written by the benchmarks carries ``provenance()`` under the
key ``"provenance"``; ``report.py`` prints it, so a report states the code it
describes.
"""

import datetime
import hashlib
import importlib
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBS = ["sktpe", "sklearn", "numpy", "scipy", "joblib", "optuna", "optuna_integration",
        "hyperopt", "skopt", "matplotlib"]


def sktpe_fingerprint():
    """Hash of the sktpe sources (``sktpe/*.py``), so uncommitted changes count."""
    import sktpe

    d = os.path.dirname(sktpe.__file__)
    h = hashlib.sha256()
    for f in sorted(os.listdir(d)):
        if f.endswith(".py"):
            h.update(f.encode())
            with open(os.path.join(d, f), "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()[:12]


def version(module):
    """``module.__version__``, or None if it does not import."""
    try:
        mod = importlib.import_module(module)
    except Exception:
        return None
    return getattr(mod, "__version__", "?")


def _git(*args):
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _cpu():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def provenance():
    """A dict describing the code, libraries and machine of a measurement."""
    status = _git("status", "--porcelain") or ""
    sktpe_status = _git("status", "--porcelain", "--", "sktpe") or ""
    return {
        "git_commit": _git("rev-parse", "HEAD") or "?",
        "git_dirty": bool(status),
        "sktpe_dirty": bool(sktpe_status),
        "sktpe_source": sktpe_fingerprint(),
        "versions": {k: v for k in LIBS if (v := version(k)) is not None},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "argv": [os.path.basename(sys.argv[0])] + sys.argv[1:],
    }


def describe(p):
    """One line: commit, dirty flags, sktpe hash and date."""
    if not p:
        return "provenance not recorded"
    dirty = []
    if p.get("sktpe_dirty"):
        dirty.append("sktpe/ modified")
    elif p.get("git_dirty"):
        dirty.append("working tree modified outside sktpe/")
    flag = f" ({', '.join(dirty)})" if dirty else ""
    return (f"git {p.get('git_commit', '?')[:10]}{flag}, sktpe source {p.get('sktpe_source', '?')}, "
            f"{p.get('date', '?')}")
