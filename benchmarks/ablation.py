"""Ablation of TPESearchCV's sampler settings, end to end through ``fit``.

Every run is ``TPESearchCV(obj.estimator(), obj.space, n_iter=N,
random_state=seed, refit=False, cv=<one trivial split>).fit(...)`` with the
library defaults (``n_jobs=1``: sequential TPE), except for the one setting a
configuration changes. The best-so-far after 25, 50 and 100 candidates is
read from ``cv_results_`` of the ``n_iter=100`` run (``n_startup_trials='auto'``
is then 10). ``objective='estimators'`` is a real estimator choice instead:
SVC vs RandomForest vs LogisticRegression in a list of dicts, breast cancer
data, ``cv=3``; ``conditional3`` adds to ``conditional`` a third branch that
is poor everywhere (``conditional3_wide``: poor with a wide spread).

Seeds 1000-1019 are the TUNING seeds: defaults are chosen on them. Seeds
0-99 are reserved for the final report and must not be used here.

Configurations (one setting changed at a time from ``base``, the defaults):

* ``old``: gamma=0.15, prior_weight=1.0 (the defaults before and after
  this ablation). ``base`` is the reference of the paired Wilcoxon tests
  (``--ref``). Run with ``PYTHONPATH`` pointing at an older checkout to
  measure older code;
* ``new``: gamma=0.10 with prior_weight=2.0, the pair an earlier tuning
  run proposed;
* ``gamma=...``, ``prior_weight=...``, ``n_ei=...``, ``bandwidth=...``,
  ``univariate``; ``ucb=...`` (optimism of the choice of a list-of-dicts
  branch, 0 = greedy on each branch's best score); ``pick_weight=...``
  (weight in g(x) of a pending candidate of the same batch; only matters
  with ``--batch``).

    python benchmarks/ablation.py --quick           # under a minute
    python benchmarks/ablation.py                   # every setting, ~4 min on 2 cores
    python benchmarks/ablation.py --configs base gamma=0.05 ucb=4 --objectives conditional
    python benchmarks/ablation.py --batch 4 --n-iter 50 --configs base pick_weight=2
    python benchmarks/ablation.py --objectives estimators --n-iter 30 --seeds 5 \
        --checkpoints 10 20 30 --configs ucb=0 ucb=2
"""

import argparse
import json
import os
import sys
import time
import warnings
from multiprocessing import Pool

import numpy as np
from scipy.stats import wilcoxon

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from objectives import _SPACES, OBJECTIVES, Objective, _none, conditional  # noqa: E402


def conditional3(p):
    """``conditional`` plus a third branch C that is poor everywhere (at most
    0.3): what optimism in the branch choice costs on a branch to give up."""
    return 0.3 * p["w"] if p["branch"] == "C" else conditional(p)


_C3 = _SPACES["conditional"] + [{"branch": ["C"], "w": _SPACES["hartmann6"]["x0"]}]
OBJECTIVES["conditional3"] = Objective("conditional3", conditional3, _C3, 1.0, _none(_C3))


def conditional3_wide(p):
    """As ``conditional3``, but branch C is poor with a wide spread (-1 to
    0.3): the branch an optimism on the spread favours most wrongly."""
    return 1.3 * p["w"] - 1.0 if p["branch"] == "C" else conditional(p)


OBJECTIVES["conditional3_wide"] = Objective(
    "conditional3_wide", conditional3_wide, _C3, 1.0, _none(_C3)
)

TUNING_SEEDS = list(range(1000, 1020))
CHECKPOINTS = (25, 50, 100)

# name -> (TPESearchCV kwargs, TPESampler-only kwargs, sampler attributes)
CONFIGS = {
    "base": ({}, {}, {}),
    "old": ({"gamma": 0.15}, {"prior_weight": 1.0}, {}),
    "new": ({"gamma": 0.10}, {"prior_weight": 2.0}, {}),
    "gamma=0.05": ({"gamma": 0.05}, {}, {}),
    "gamma=0.10": ({"gamma": 0.10}, {}, {}),
    "gamma=0.15": ({"gamma": 0.15}, {}, {}),
    "gamma=0.25": ({"gamma": 0.25}, {}, {}),
    "prior_weight=1": ({}, {"prior_weight": 1.0}, {}),
    "prior_weight=2": ({}, {"prior_weight": 2.0}, {}),
    "prior_weight=4": ({}, {"prior_weight": 4.0}, {}),
    "n_ei=12": ({"n_ei_candidates": 12}, {}, {}),
    "n_ei=48": ({"n_ei_candidates": 48}, {}, {}),
    "bandwidth=0.04": ({"bandwidth": 0.04}, {}, {}),
    "bandwidth=0.12": ({"bandwidth": 0.12}, {}, {}),
    "univariate": ({"multivariate": False}, {}, {}),
    "ucb=0": ({}, {}, {"_branch_optimism": 0.0}),
    "ucb=1": ({}, {}, {"_branch_optimism": 1.0}),
    "ucb=2": ({}, {}, {"_branch_optimism": 2.0}),
    "ucb=4": ({}, {}, {"_branch_optimism": 4.0}),
    "ucb=8": ({}, {}, {"_branch_optimism": 8.0}),
    "ucb=16": ({}, {}, {"_branch_optimism": 16.0}),
    "pick_weight=0.5": ({}, {}, {"_pick_weight": 0.5}),
    "pick_weight=2": ({}, {}, {"_pick_weight": 2.0}),
    "pick_weight=4": ({}, {}, {"_pick_weight": 4.0}),
    "pick_width=0.5": ({}, {}, {"_pick_width": 0.5}),
    "pick_width=1": ({}, {}, {"_pick_width": 1.0}),
    "pick_width=2": ({}, {}, {"_pick_width": 2.0}),
}
BATCH_ONLY = ("pick_weight=0.5", "pick_weight=2", "pick_weight=4", "pick_width=0.5", "pick_width=1",
              "pick_width=2")


def _sampler_class(kwargs, attrs):
    import sktpe._tpe

    base = sktpe._tpe.TPESampler

    class Sampler(base):
        def __init__(self, *args, **kw):
            super().__init__(*args, **{**kw, **kwargs})
            for k, v in attrs.items():
                setattr(self, k, v)

    return Sampler


def estimator_task(seed):
    """A real estimator choice: SVC vs RandomForest vs LogisticRegression."""
    from scipy.stats import loguniform, randint
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X, y = load_breast_cancer(return_X_y=True)
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
    space = [
        {"clf": [SVC()], "clf__C": loguniform(1e-3, 1e3), "clf__gamma": loguniform(1e-5, 1e1)},
        {"clf": [RandomForestClassifier(n_estimators=20, random_state=0)],
         "clf__max_depth": randint(1, 12), "clf__min_samples_leaf": randint(1, 40)},
        {"clf": [LogisticRegression(max_iter=200)], "clf__C": loguniform(1e-4, 1e2)},
    ]
    return pipe, space, X, y


def run_one(job):
    name, objective, seed, n_iter, batch = job
    import sktpe._search
    from sktpe import TPESearchCV

    search_kw, sampler_kw, attrs = CONFIGS[name]
    sktpe._search.TPESampler = _sampler_class(sampler_kw, attrs)
    extra = {"batch_size": batch} if batch else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if objective == "estimators":
            est, space, X, y = estimator_task(seed)
            search = TPESearchCV(est, space, n_iter=n_iter, random_state=seed, refit=False,
                                 cv=3, **search_kw, **extra)
            search.fit(X, y)
        else:
            obj = OBJECTIVES[objective]
            search = TPESearchCV(obj.estimator(), obj.space, n_iter=n_iter, random_state=seed,
                                 refit=False, **obj.search_kwargs(), **search_kw, **extra)
            search.fit(*obj.data())
    scores = np.asarray(search.cv_results_["mean_test_score"], dtype=float)
    scores = np.where(np.isfinite(scores), scores, -np.inf)
    return (name, objective, seed), np.maximum.accumulate(scores).tolist()


def table(results, configs, objectives, seeds, ref, checkpoints):
    lines = []
    for objective in objectives:
        lines.append(f"\n### {objective}\n")
        head = " | ".join(f"@{c}" for c in checkpoints)
        lines.append(f"| setting | {head} | Wilcoxon p vs {ref} (@{' / @'.join(map(str, checkpoints))}) |")
        lines.append("|---" * (len(checkpoints) + 2) + "|")
        for name in configs:
            cells, ps = [], []
            for c in checkpoints:
                a = np.array([results[(name, objective, s)][c - 1] for s in seeds])
                r = np.array([results[(ref, objective, s)][c - 1] for s in seeds])
                cells.append(f"{a.mean():.3f} ± {a.std():.3f}")
                if name == ref or np.allclose(a, r):
                    ps.append("–")
                else:
                    p = wilcoxon(a, r).pvalue
                    ps.append(f"{p:.2f}{'+' if a.mean() > r.mean() else '-'}")
            lines.append(f"| {name} | {' | '.join(cells)} | {' / '.join(ps)} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 seeds, 2 objectives, 3 settings, 50 trials")
    ap.add_argument("--configs", nargs="+", default=None)
    ap.add_argument("--objectives", nargs="+", default=None)
    ap.add_argument("--seeds", type=int, default=20, help="first N tuning seeds (max 20)")
    ap.add_argument("--n-iter", type=int, default=100)
    ap.add_argument("--batch", type=int, default=None, help="explicit batch_size")
    ap.add_argument("--checkpoints", type=int, nargs="+", default=list(CHECKPOINTS))
    ap.add_argument("--ref", default=None, help="reference of the Wilcoxon tests (default: base)")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--out", default=None, help="JSON file for the raw curves")
    args = ap.parse_args()
    if args.quick:
        configs = args.configs or ["base", "new", "ucb=0"]
        objectives = args.objectives or ["hartmann6", "conditional"]
        seeds = TUNING_SEEDS[: min(args.seeds, 5)]
        n_iter = min(args.n_iter, 50)
    else:
        configs = args.configs or [c for c in CONFIGS if c not in BATCH_ONLY]
        objectives = args.objectives or ["hartmann6", "branin", "mixed", "conditional"]
        seeds = TUNING_SEEDS[: args.seeds]
        n_iter = args.n_iter
    ref = args.ref or "base"
    if ref not in configs:
        configs = [ref] + configs
    checkpoints = [c for c in args.checkpoints if c <= n_iter]
    jobs = [(c, o, s, n_iter, args.batch) for o in objectives for c in configs for s in seeds]
    t0 = time.time()
    with Pool(args.processes) as pool:
        results = dict(pool.map(run_one, jobs, chunksize=1))
    print(f"# {len(jobs)} searches in {time.time() - t0:.0f} s; seeds {seeds[0]}-{seeds[-1]}"
          f"{'; batch_size=%d' % args.batch if args.batch else ''}")
    print(table(results, configs, objectives, seeds, ref, checkpoints))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"|".join(map(str, k)): v for k, v in results.items()}, f)


if __name__ == "__main__":
    main()
