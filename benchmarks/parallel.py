"""Parallel throughput: trials per second of TPESearchCV at n_jobs=1 and n_jobs=2.

A CPU-bound fit of about 0.2 s (a random forest on generated data, one thread
per fit), 3-fold CV; joblib's workers are started (and have imported
scikit-learn) before the clock starts. The same with ``racing=True`` and
5-fold CV, where trials differ in the folds they run, is measured in fold
fits per second: it shows whether the overlapping waves keep two workers
busy. Prints a Markdown table and, with ``--json``, writes the numbers to a
file.

    python benchmarks/parallel.py [--n-iter 16] [--json benchmarks/results/parallel.json]
"""

import argparse
import json
import os
import time

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import randint, uniform
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from threadpoolctl import threadpool_limits

from sktpe import TPESearchCV

SPACE = {"max_depth": randint(8, 16), "max_features": uniform(0.3, 0.2)}


def make_estimator(X, y, target=0.2):
    """A forest whose single fit takes about ``target`` seconds here."""
    est = RandomForestClassifier(n_estimators=10, random_state=0, n_jobs=1)
    t0 = time.perf_counter()
    est.fit(X[: len(X) * 2 // 3], y[: len(y) * 2 // 3])
    per_tree = (time.perf_counter() - t0) / 10
    return est.set_params(n_estimators=max(1, round(target / per_tree)))


def warm_up(n_jobs, estimator, X, y):
    """Start joblib's workers and import the estimator's modules in them, so
    that neither is timed."""
    tiny = clone(estimator).set_params(n_estimators=1)
    Parallel(n_jobs=n_jobs)(delayed(clone(tiny).fit)(X[:100], y[:100]) for _ in range(4 * n_jobs))


def run(n_jobs, estimator, X, y, n_iter, racing=False):
    cv = 5 if racing else 3
    search = TPESearchCV(estimator, SPACE, n_iter=n_iter, cv=cv, n_jobs=n_jobs, random_state=0,
                         refit=False, racing=racing)
    warm_up(n_jobs, estimator, X, y)
    t0 = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - t0
    res = search.cv_results_
    fits = int(sum(np.isfinite(res[f"split{k}_test_score"]).sum() for k in range(cv)))
    fit = float(np.mean(res["mean_fit_time"]))
    return dict(n_jobs=n_jobs, racing=racing, cv=cv, wall=wall, trials_per_s=n_iter / wall,
                fold_fits=fits, fold_fits_per_s=fits / wall, mean_fit_s=fit)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-iter", type=int, default=16)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    X, y = make_classification(3000, 30, n_informative=10, random_state=0)
    with threadpool_limits(1):
        estimator = make_estimator(X, y)
        rows = [run(n, estimator, X, y, args.n_iter) for n in (1, 2)]
        raced = [run(n, estimator, X, y, args.n_iter, racing=True) for n in (1, 2)]
    speedup = rows[1]["trials_per_s"] / rows[0]["trials_per_s"]
    racing_speedup = raced[1]["fold_fits_per_s"] / raced[0]["fold_fits_per_s"]
    print("| n_jobs | racing | cv | wall (s) | trials/s | fold fits | fold fits/s | mean fit (s) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows + raced:
        print(f"| {r['n_jobs']} | {r['racing']} | {r['cv']} | {r['wall']:.1f} | {r['trials_per_s']:.3f} | "
              f"{r['fold_fits']} | {r['fold_fits_per_s']:.2f} | {r['mean_fit_s']:.3f} |")
    print(f"\nspeed-up of n_jobs=2 over n_jobs=1: {speedup:.2f}x trials/s; with racing "
          f"{racing_speedup:.2f}x fold fits/s ({os.cpu_count()} cores)")
    if args.json:
        os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(dict(rows=rows, racing_rows=raced, speedup=speedup, racing_speedup=racing_speedup,
                           cores=os.cpu_count()), f, indent=1)
    return speedup


if __name__ == "__main__":
    main()
