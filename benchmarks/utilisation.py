"""Worker utilisation of real searches whose fit times vary with the parameters.

The estimator sleeps in ``fit`` for 0.02 to 0.6 s, set by its parameters
(``n_estimators``-like ``size`` and ``depth``), so fold fits of one space take
from 0.02 to 0.6 s, as a forest's do. Searches run on joblib's threading
backend with 16 and 64 workers (sleeping threads: the machine's 2 cores are
not the limit). Utilisation is the summed time inside ``fit`` over
``workers x`` the wall time of ``fit`` (``refit=False``); the fits of a candidate
run again (the asynchronous mode's one ``evaluate_candidates`` call, at the end)
count as idle. Each setting is run
``--repeats`` times (seeds 0, 1, ...), interleaved; the table gives the
median and the range.

    python benchmarks/utilisation.py            # writes benchmarks/results/utilisation.json
    python benchmarks/utilisation.py --report   # prints the table (docs/guide/scaling.md)
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time

import numpy as np
from joblib import parallel_backend
from scipy.stats import randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import RandomizedSearchCV

from sktpe import TPESearchCV

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "results", "utilisation.json")
SPACE = {"size": randint(10, 500), "depth": randint(2, 16), "rate": uniform(0, 1)}
METHODS = {
    "TPESearchCV (default: async from 8 workers)": dict(),
    "TPESearchCV (waves: 'auto' before async)": dict(waves=True),
    "TPESearchCV racing (default)": dict(racing=True),
    "TPESearchCV racing (waves)": dict(racing=True, waves=True),
    "RandomizedSearchCV": None,
}


class Waves(TPESearchCV):
    """TPESearchCV whose 'auto' batches stay synchronous waves at any number of workers."""

    _async_from_workers = 10**9


class Busy:
    """Summed time spent inside ``fit`` (threads add up), and each fit's (start, seconds, params)."""

    lock = threading.Lock()
    seconds = 0.0
    log: list = []


def rerun_seconds(log: list, n_splits: int) -> float:
    """Time of the fits that ran a candidate's folds again: a candidate's fits past its first
    ``n_splits``, in the order they started."""
    by_params: dict = {}
    for start, seconds, params in sorted(log):
        by_params.setdefault(params, []).append(seconds)
    return float(sum(sum(times[n_splits:]) for times in by_params.values()))


class Forestish(ClassifierMixin, BaseEstimator):
    """Fit time 0.02-0.6 s from its parameters; the score prefers mid-sized, deep-ish models."""

    def __init__(self, size: int = 100, depth: int = 4, rate: float = 0.5) -> None:
        self.size, self.depth, self.rate = size, depth, rate

    def fit(self, X: np.ndarray, y: np.ndarray) -> "Forestish":
        seconds = 0.02 + 0.58 * (self.size / 500) * (self.depth / 16) ** 0.5
        start = time.perf_counter()
        time.sleep(seconds)
        with Busy.lock:
            Busy.seconds += time.perf_counter() - start
            Busy.log.append((start, time.perf_counter() - start, (self.size, self.depth, self.rate)))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.full(len(X), self.classes_[0])

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(-((self.size - 350) / 500) ** 2 - ((self.depth - 10) / 16) ** 2
                     - (self.rate - 0.3) ** 2 + (len(X) % 7) / 200)


def run(method: str, workers: int, seed: int) -> dict:
    X, y = np.random.RandomState(0).rand(200, 4), np.arange(200) % 2
    n_iter = 6 * workers
    kw = METHODS[method]
    if kw is None:
        search = RandomizedSearchCV(Forestish(), SPACE, n_iter=n_iter, cv=5, n_jobs=workers,
                                    random_state=seed, refit=False)
    else:
        kw = dict(kw)
        cls = Waves if kw.pop("waves", False) else TPESearchCV
        search = cls(Forestish(), SPACE, n_iter=n_iter, cv=5, n_jobs=workers,
                     random_state=seed, refit=False, **kw)
    Busy.seconds, Busy.log = 0.0, []
    with parallel_backend("threading", n_jobs=workers):
        start = time.perf_counter()
        search.fit(X, y)
        wall = time.perf_counter() - start
    best = float(np.nanmax(search.cv_results_["mean_test_score"]))
    rerun = rerun_seconds(Busy.log, 5)
    return {"method": method, "workers": workers, "seed": seed, "n_iter": n_iter, "wall": wall,
            "busy": Busy.seconds, "rerun": rerun,
            "utilisation": (Busy.seconds - rerun) / (workers * wall), "best": best}


def report(rows: list[dict]) -> str:
    lines = ["| workers | method | utilisation, median (range) | wall s, median (range) | best mean CV score, median |",
             "| --- | --- | --- | --- | --- |"]
    for w in sorted({r["workers"] for r in rows}):
        for m in METHODS:
            sel = [r for r in rows if r["workers"] == w and r["method"] == m]
            if not sel:
                continue
            u = np.array([r["utilisation"] for r in sel])
            t = np.array([r["wall"] for r in sel])
            b = np.array([r["best"] for r in sel])
            lines.append(f"| {w} | {m} | {np.median(u):.0%} ({u.min():.0%}-{u.max():.0%}) | "
                         f"{np.median(t):.1f} ({t.min():.1f}-{t.max():.1f}) | {np.median(b):.4f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workers", type=int, nargs="+", default=[16, 64])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--report", action="store_true", help="only print the table of the saved runs")
    args = p.parse_args(argv)
    if not args.report:
        rows = []
        for seed in range(args.repeats):  # interleaved: a slow spell hits every method
            for w in args.workers:
                for m in METHODS:
                    rows.append(run(m, w, seed))
                    print(json.dumps(rows[-1]), flush=True)
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "w") as fh:
            json.dump({"command": "python benchmarks/utilisation.py " + " ".join(argv or []),
                       "rows": rows}, fh, indent=1)
    with open(OUT) as fh:
        print(report(json.load(fh)["rows"]))


if __name__ == "__main__":
    main()
