"""Re-run cached TPESearchCV rows of the quality benchmark and check they come out bit for bit.

A change of structure in ``sktpe/`` (not of the search) must not move any
result. This re-runs every cached ``tpe`` and ``tpe-sampler`` run of
``benchmarks/results/runs/<problem>.json`` (or of ``--runs-dir``) with the
sktpe now on the path, whatever the cached fingerprint says, and compares the
score of every trial and the refit model's test score with the cached ones.

    python benchmarks/reproduce_rows.py --runs-dir /path/to/runs [--problems branin ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from quality import _compact, _problem, load_cache  # noqa: E402
from methods import run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs-dir", default=os.path.join(HERE, "results", "runs"))
    p.add_argument("--problems", nargs="*")
    p.add_argument("--methods", nargs="*", default=["tpe", "tpe-sampler"])
    args = p.parse_args(argv)
    names = args.problems or sorted(f[:-5] for f in os.listdir(args.runs_dir) if f.endswith(".json"))
    same = differ = 0
    start = time.perf_counter()
    for name in names:
        cache = load_cache(args.runs_dir, name)
        for method in args.methods:
            entry = cache.get(method)
            if not entry:
                continue
            for key, old in sorted(entry["runs"].items()):
                if "scores" not in old:
                    continue
                seed, budget = (int(v) for v in key.split(":"))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    new = run(method, _problem(name), budget, seed)
                scores = [_compact(s) for s in new["scores"]]
                ok = scores == old["scores"] and _compact(new["test_score"]) == old["test_score"]
                same += ok
                differ += not ok
                if not ok:
                    print(f"DIFFERENT {name} {method} seed {seed} budget {budget}", flush=True)
        print(f"{name}: {same} same, {differ} different so far ({time.perf_counter() - start:.0f}s)",
              flush=True)
    print(json.dumps({"same": same, "different": differ}))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
