"""Fingerprints of TPESearchCV's results over its modes, to check a refactor changes nothing.

Each case is a small search (sequential, batched, parallel, racing, overlapping
waves, failing fits, several metrics, a conditional space, warm start, initial
candidates, an exhausted grid); its fingerprint is a hash of ``cv_results_``
without the timing columns, and of ``best_index_``. Save the fingerprints of
one version of the code, then check another against them:

    python benchmarks/equivalence.py --save /tmp/before.json
    python benchmarks/equivalence.py --check /tmp/before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import warnings
from collections.abc import Callable

import numpy as np
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris, make_classification
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from sktpe import TPESearchCV


class Flaky(ClassifierMixin, BaseEstimator):
    """Fails where ``a > 0.7``; scores ``a`` rounded, plus a little fold noise."""

    def __init__(self, a: float = 0.5, b: int = 1) -> None:
        self.a, self.b = a, b

    def fit(self, X: np.ndarray, y: np.ndarray) -> "Flaky":
        if self.a > 0.7:
            raise ValueError("a too large")
        self.classes_ = np.unique(y)
        self.shift_ = (len(X) % 7) / 100
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.full(len(X), self.classes_[0])

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.round(self.a - 0.01 * self.b + self.shift_ + (len(X) % 3) / 50, 6))


def _cases() -> dict[str, Callable[[], TPESearchCV]]:
    X, y = load_iris(return_X_y=True)
    Xc, yc = make_classification(200, 8, random_state=0)
    svc = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-3, 1e1)}
    tree = {"max_depth": randint(1, 8), "min_samples_leaf": randint(1, 20),
            "criterion": ["gini", "entropy"], "max_features": uniform(0.1, 0.9)}
    cond = [{"kernel": ["rbf"], **svc}, {"kernel": ["linear"], "C": loguniform(1e-2, 1e2)}]
    flaky = {"a": uniform(0, 1), "b": randint(1, 4)}

    def fit(est, space, data=(X, y), **kw):
        def go():
            s = TPESearchCV(est, space, random_state=0, **kw)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return s.fit(*data)
        return go

    def warm():
        s = TPESearchCV(SVC(), svc, n_iter=8, random_state=0, warm_start=True)
        s.fit(X, y)
        s.set_params(n_iter=16)
        return s.fit(X, y)

    return {
        "sequential": fit(SVC(), svc, n_iter=20),
        "batch3": fit(SVC(), svc, n_iter=20, batch_size=3),
        "jobs2": fit(SVC(), svc, n_iter=20, n_jobs=2),
        "tree_seq": fit(DecisionTreeClassifier(random_state=0), tree, (Xc, yc), n_iter=30),
        "tree_jobs2": fit(DecisionTreeClassifier(random_state=0), tree, (Xc, yc), n_iter=30, n_jobs=2),
        "racing_seq": fit(DecisionTreeClassifier(random_state=0), tree, (Xc, yc), n_iter=30, racing=True),
        "racing_batch4": fit(DecisionTreeClassifier(random_state=0), tree, (Xc, yc), n_iter=30,
                             racing=True, batch_size=4, n_jobs=2),
        "racing_flow": fit(DecisionTreeClassifier(random_state=0), tree, (Xc, yc), n_iter=30,
                           racing=True, n_jobs=2),
        "racing_flow_svc": fit(SVC(), svc, n_iter=25, racing=True, n_jobs=2),
        "failing": fit(Flaky(), flaky, n_iter=20, return_train_score=True),
        "failing_racing": fit(Flaky(), flaky, n_iter=20, racing=True),
        "failing_flow": fit(Flaky(), flaky, n_iter=20, racing=True, n_jobs=2),
        "multimetric": fit(SVC(), svc, n_iter=12, scoring=["accuracy", "f1_macro"], refit="f1_macro"),
        "conditional": fit(SVC(), cond, n_iter=20),
        "initial": fit(SVC(), svc, n_iter=10, initial_candidates=[{"C": 1.0, "gamma": 0.1}]),
        "grid": fit(DecisionTreeClassifier(random_state=0),
                    {"max_depth": [1, 2, 3], "criterion": ["gini", "entropy"]}, n_iter=10),
        "selection_best": fit(SVC(), svc, n_iter=15, selection="best"),
        "warm_start": warm,
    }


def fingerprint(search: TPESearchCV) -> str:
    res = search.cv_results_
    h = hashlib.sha256()
    for key in sorted(res):
        if "time" in key:
            continue
        h.update(key.encode())
        if key == "params":
            h.update(repr(res[key]).encode())
        else:
            h.update(np.asarray(res[key]).tobytes() if np.asarray(res[key]).dtype != object
                     else repr(list(res[key])).encode())
    h.update(repr(search.best_index_).encode())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--save")
    g.add_argument("--check")
    p.add_argument("--cases", nargs="*")
    args = p.parse_args(argv)
    cases = _cases()
    names = args.cases or list(cases)
    got = {name: fingerprint(cases[name]()) for name in names}
    if args.save:
        with open(args.save, "w") as fh:
            json.dump(got, fh, indent=1)
        print(json.dumps(got, indent=1))
        return 0
    with open(args.check) as fh:
        want = json.load(fh)
    bad = [n for n in names if want.get(n) != got[n]]
    for n in names:
        print(f"{'same' if n not in bad else 'DIFFERENT':10s} {n}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
