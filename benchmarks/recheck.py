"""Re-check, on fresh seeds, the cells where Optuna's mean is clearly ahead.

``quality.py`` reports real tasks on 5 seeds, where a paired test cannot
reach p < 0.05. When Optuna's mean best there is ahead by more than its own
spread over seeds, five seeds cannot tell a real gap from a lucky draw. This
script re-runs such (task, budget) cells on seeds that ``quality.py`` never
uses (5-19 by default; the tuning seeds 1000-1019 stay untouched), for
TPESearchCV with its defaults and Optuna's default TPE only, and stores the
per-seed bests and a paired Wilcoxon test in ``results/recheck.json``.
``report.py`` quotes the outcome next to the cell.

    python benchmarks/recheck.py                          # the cells report.py flags
    python benchmarks/recheck.py --cells hgb_synth@25 --seeds 5 20
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per job: 2 jobs on 2 cores

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402

from methods import run  # noqa: E402
from provenance import provenance  # noqa: E402
from quality import REAL_SEEDS, RESULTS, _problem, paired  # noqa: E402

METHODS = ("tpe", "optuna")


def flagged_cells():
    """The cells report.py lists as 'larger than the spread, not significant'."""
    from report import ahead_classes

    with open(os.path.join(RESULTS, "quality.json")) as fh:
        return ahead_classes(json.load(fh))[2]


def _job(name, method, budget, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = run(method, _problem(name), budget, seed)
    return name, method, budget, seed, float(np.max(r["scores"][:budget]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cells", nargs="+", default=None, help="problem@budget (default: flagged by report.py)")
    ap.add_argument("--seeds", type=int, nargs=2, default=[5, 20], metavar=("FIRST", "STOP"))
    ap.add_argument("--n-jobs", type=int, default=2)
    args = ap.parse_args(argv)
    cells = args.cells or flagged_cells()
    seeds = list(range(*args.seeds))
    if set(seeds) & set(REAL_SEEDS) or any(s >= 1000 for s in seeds):
        ap.error(f"--seeds must avoid the reported seeds {REAL_SEEDS} and the tuning seeds 1000-1019")
    jobs = [(c.split("@")[0], m, int(c.split("@")[1]), s) for c in cells for s in seeds for m in METHODS]
    t0 = time.perf_counter()
    out = Parallel(n_jobs=args.n_jobs, verbose=5)(delayed(_job)(*j) for j in jobs)
    best = {}
    for name, method, budget, seed, v in out:
        best.setdefault(f"{name}@{budget}", {}).setdefault(method, {})[str(seed)] = v
    result = {"provenance": provenance(), "seeds": seeds, "seconds": time.perf_counter() - t0, "cells": {}}
    for cell, per in best.items():
        t = [per["tpe"][str(s)] for s in seeds]
        o = [per["optuna"][str(s)] for s in seeds]
        result["cells"][cell] = {"per_seed": per, "tpe_mean": float(np.mean(t)), "optuna_mean": float(np.mean(o)),
                                 "optuna_std": float(np.std(o)), "test": paired(t, o)}
    with open(os.path.join(RESULTS, "recheck.json"), "w") as fh:
        json.dump(result, fh, indent=1, sort_keys=True)
        fh.write("\n")
    for cell, r in result["cells"].items():
        print(f"{cell}: TPESearchCV {r['tpe_mean']:.4g} vs Optuna {r['optuna_mean']:.4g}, "
              f"mean diff {r['test']['mean_diff']:+.3g}, p = {r['test']['p']:.3g} ({r['test']['outcome']})")


if __name__ == "__main__":
    main()
