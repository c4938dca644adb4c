"""Wall-time overhead of TPESearchCV over RandomizedSearchCV on cheap fits.

DecisionTreeClassifier on iris, a 10-parameter space, cv=3, n_iter=1000, for
n_jobs=1 and n_jobs=2. Fits take about a millisecond, so the difference is
the price of the sampler and of the one-candidate-at-a-time loop. The
searches are timed in the same run with interleaved repeats (the order
rotates every repeat) and the median is reported; OptunaSearchCV is timed
too when optuna-integration is installed (it does fewer repeats: it is slow).

    python benchmarks/overhead.py [--n-iter 1000] [--repeats 5] [--optuna-repeats 1]
"""

import argparse
import json
import os
import statistics
import time
import warnings

from scipy.stats import loguniform, randint, uniform
from sklearn.datasets import load_iris
from sklearn.model_selection import RandomizedSearchCV
from sklearn.tree import DecisionTreeClassifier

from methods import importable, optuna_distributions
from sktpe import TPESearchCV

SPACE = {
    "criterion": ["gini", "entropy", "log_loss"],
    "splitter": ["best", "random"],
    "max_depth": randint(1, 20),
    "min_samples_split": randint(2, 20),
    "min_samples_leaf": randint(1, 20),
    "min_weight_fraction_leaf": uniform(0, 0.3),
    "max_features": uniform(0.1, 0.9),
    "max_leaf_nodes": randint(2, 50),
    "ccp_alpha": loguniform(1e-6, 1e-1),
    "class_weight": [None, "balanced"],
}
HERE = os.path.dirname(os.path.abspath(__file__))


def searches(n_iter, n_jobs):
    common = dict(n_iter=n_iter, cv=3, n_jobs=n_jobs, random_state=0)
    est = DecisionTreeClassifier(random_state=0)
    out = {
        "TPESearchCV": lambda: TPESearchCV(est, SPACE, **common),
        "RandomizedSearchCV": lambda: RandomizedSearchCV(est, SPACE, **common),
    }
    if importable("optuna_integration"):
        import optuna
        from optuna_integration import OptunaSearchCV

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        out["OptunaSearchCV"] = lambda: OptunaSearchCV(
            est, optuna_distributions(SPACE), n_trials=n_iter, cv=3, n_jobs=n_jobs, random_state=0)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n-iter", type=int, default=1000)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--optuna-repeats", type=int, default=1)
    p.add_argument("--n-jobs", type=int, nargs="+", default=[1, 2])
    p.add_argument("--out", default=os.path.join(HERE, "results", "overhead.json"))
    args = p.parse_args(argv)
    X, y = load_iris(return_X_y=True)
    results = {}
    for n_jobs in args.n_jobs:
        makers = searches(args.n_iter, n_jobs)
        names = list(makers)
        times = {n: [] for n in names}
        for r in range(args.repeats):
            for name in names[r % len(names):] + names[: r % len(names)]:  # rotate the order
                if name == "OptunaSearchCV" and len(times[name]) >= args.optuna_repeats:
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t0 = time.perf_counter()
                    makers[name]().fit(X, y)
                    times[name].append(time.perf_counter() - t0)
        med = {n: statistics.median(t) for n, t in times.items()}
        results[str(n_jobs)] = {"median_seconds": med, "all_seconds": times,
                                "ratio_tpe_random": med["TPESearchCV"] / med["RandomizedSearchCV"]}
        line = ", ".join(f"{n} {med[n]:.2f}s" for n in names)
        print(f"n_jobs={n_jobs}: {line}; TPE/random = {results[str(n_jobs)]['ratio_tpe_random']:.3f}",
              flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump({"n_iter": args.n_iter, "repeats": args.repeats, "optuna_repeats": args.optuna_repeats,
                   "results": results}, fh, indent=1)
    return results


if __name__ == "__main__":
    main()
