"""Round 20: ``selection='reevaluate'`` end to end on the tuning suite, at equal fits.

Round 19 (``charged_reevaluation.py``) measured the rule offline, from searches run with
``refit=False``. This round runs what a user runs: ``TPESearchCV(n_iter=b - 5,
selection='reevaluate')`` (its 5 re-evaluated candidates' fits bring it to the fits of ``b``
candidates) against ``TPESearchCV(n_iter=b)`` with its defaults, each refit and scored on the
test half by ``heldout.py`` (variant ``reevaluate``), on fresh seeds of ``tuning-r``. Its
reading is round 19's statistic; it checks the implementation before the held-out suite
``confirm-2`` decides (docs/guide/ablation.md, round 20).

Usage::

    python benchmarks/heldout.py --suite tuning-r --methods tpe --budgets 40,80 \\
        --seeds 360-369 --file reevaluate_e2e --n-jobs 2
    python benchmarks/heldout.py --suite tuning-r --methods tpe --variant reevaluate \\
        --budgets 35,75 --seeds 360-369 --file reevaluate_e2e --n-jobs 2
    python benchmarks/reevaluate_e2e.py      # the reading, once every seed is complete
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from heldout import load_rows  # noqa: E402
from heldout_report import holm  # noqa: E402
from overtune_study import TOP, _pooled  # noqa: E402

FILE = "reevaluate_e2e"
BUDGETS = (40, 80)
VARIANT = "reevaluate"


def arms(rows: list[dict]) -> dict[tuple[str, int, int], dict[str, dict]]:
    """Per (task, seed, b): the default search of ``b`` candidates (``'top'``) and the
    re-evaluating one of ``b - TOP`` (``'rule'``), each its test score, seconds and fits."""
    out: dict[tuple[str, int, int], dict[str, dict]] = {}
    for r in rows:
        if r["method"] != "tpe" or r["variant"] not in ("", VARIANT):
            continue
        arm = "rule" if r["variant"] == VARIANT else "top"
        for i, n in enumerate(r["budgets"]):
            b = n + TOP if arm == "rule" else n
            if b in BUDGETS:
                out.setdefault((r["task"], r["seed"], b), {})[arm] = {
                    "test": r["test"][i], "seconds": r["seconds"][i], "fits": r["n_fits"][i]}
    return out


def read(rows: list[dict], scale: dict[str, float]) -> list[str]:
    """Round 19's statistic on the end-to-end rows: per budget, the rule's test score minus the
    defaults', per task the mean over seeds in task sd, the mean over tasks with its 95%
    t-interval, Holm over the budgets; the two arms' fits and wall times beside."""
    pairs = arms(rows)
    tasks = sorted({t for t, _, _ in pairs})
    seeds = sorted({s for _, s, _ in pairs})
    seeds = [s for s in seeds
             if all(len(pairs.get((t, s, b), {})) == 2 for t in tasks for b in BUDGETS)]
    if not seeds:
        return ["no complete seed yet"]
    out = [f"{len(tasks)} tasks x {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}); in task sd (random "
           "search's spread in round 18), per task the mean over seeds, then the mean over tasks "
           "[95% t-interval over tasks]; fits and seconds: medians over the searches, the rule's "
           "over the defaults'", "",
           f"| b | n_iter=b - {TOP} with selection='reevaluate' minus n_iter=b (defaults) | "
           "Holm p | tasks ahead / behind | fits | wall time |",
           "|---|---|---|---|---|---|"]
    res, ps = [], []
    for b in BUDGETS:
        cells = [[pairs[t, s, b] for s in seeds] for t in tasks]
        d = np.array([np.mean([c["rule"]["test"] - c["top"]["test"] for c in row]) / scale[t]
                      for t, row in zip(tasks, cells)])
        m, lo, hi, p = _pooled(d)
        flat = [c for row in cells for c in row]
        fits = np.median([c["rule"]["fits"] / c["top"]["fits"] for c in flat])
        wall = np.median([c["rule"]["seconds"] / c["top"]["seconds"] for c in flat])
        res.append((b, m, lo, hi, int(np.sum(d > 0)), int(np.sum(d < 0)), fits, wall))
        ps.append(p)
    for (b, m, lo, hi, up, down, fits, wall), h in zip(res, holm(np.array(ps))):
        out.append(f"| {b} | {m:+.3f} [{lo:+.3f}, {hi:+.3f}] | {h:.2g} | {up} / {down} | "
                   f"{fits:.3f} | {wall:.2f} |")
    return out


def main(argv: list[str] | None = None) -> None:
    from charged_reevaluation import round18_scale

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--file", default=FILE)
    args = p.parse_args(argv)
    print("\n".join(read(load_rows(args.file), round18_scale())))


if __name__ == "__main__":
    main()
