"""Chance level: which searches return a model no better than one that ignores the features?

Issue 24 calls a search that ends at chance level where random search does not a bug, not
noise. Chance level here is the test score, on the same test half, of scikit-learn's
``DummyClassifier(strategy="prior")`` (the class frequencies: accuracy of the majority
class, ROC AUC 0.5, the log loss of the priors) or ``DummyRegressor()`` (the training
mean: R^2 about 0), fitted on the same training half. A search's model is *at chance* on a
(task, seed, budget) cell when its test score is at or below that.

This reads stored runs (``heldout_report.Table``); the dummy scores are computed here, on
the tasks' own splits (no search; milliseconds per split).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from heldout_report import LABEL, Table, _and  # noqa: E402
from heldout_tasks import SUITES  # noqa: E402


def dummy_scores(suite: str, tasks: list[str], seeds: list[int]) -> dict[str, np.ndarray]:
    """Per task of ``suite``: the dummy model's test score on each seed's split (chance level)."""
    from sklearn.base import is_classifier
    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.metrics import get_scorer

    out = {}
    for task in [t for t in SUITES[suite] if t.name in tasks]:
        scores = []
        for seed in seeds:
            X_tr, X_te, y_tr, y_te = task.split(seed)
            dummy = DummyClassifier(strategy="prior") if is_classifier(task.estimator) else DummyRegressor()
            scores.append(float(get_scorer(task.scoring)(dummy.fit(X_tr, y_tr), X_te, y_te)))
        out[task.name] = np.array(scores)
    return out


@dataclass(frozen=True)
class ChanceCount:
    """How often ``ours`` and ``peer`` end at chance on the same (task, seed, budget) cells."""

    ours: str
    peer: str
    cells: int
    ours_only: int  # ours at chance, the peer not: the event issue 24 calls a bug
    peer_only: int
    both: int
    ours_only_tasks: tuple[str, ...]  # the tasks of the ours_only cells
    both_tasks: tuple[str, ...]  # the tasks of the cells where both are at chance


def at_chance(scores: np.ndarray, dummy: np.ndarray) -> np.ndarray:
    """(seeds, budgets) booleans: the test score is at or below the seed's dummy score (to 1e-12).

    ``scores`` is (seeds, budgets) and ``dummy`` one score per seed; a missing (NaN) test score
    is refused, since it is neither at chance nor above it."""
    scores, dummy = np.asarray(scores, dtype=float), np.asarray(dummy, dtype=float)
    if scores.ndim != 2 or dummy.shape != scores.shape[:1]:
        raise ValueError(f"scores must be (seeds, budgets) and dummy one per seed; got {scores.shape} "
                         f"and {dummy.shape}")
    if np.isnan(scores).any():
        raise ValueError("a test score is missing (NaN): chance level cannot be read")
    return scores <= dummy[:, None] + 1e-12


def versus(tab: Table, dummies: dict[str, np.ndarray], ours: str = "tpe", peer: str = "random") -> ChanceCount:
    """:class:`ChanceCount` of ``ours`` against ``peer`` over every task, seed and budget of ``tab``."""
    a = {t: at_chance(tab.test[ours][t], dummies[t]) for t in tab.tasks}
    b = {t: at_chance(tab.test[peer][t], dummies[t]) for t in tab.tasks}
    only = {t: int((a[t] & ~b[t]).sum()) for t in tab.tasks}
    return ChanceCount(ours, peer, sum(a[t].size for t in tab.tasks), sum(only.values()),
                       sum(int((b[t] & ~a[t]).sum()) for t in tab.tasks),
                       sum(int((a[t] & b[t]).sum()) for t in tab.tasks),
                       tuple(t for t in tab.tasks if only[t]), tuple(t for t in tab.tasks if (a[t] & b[t]).any()))


def count_at_chance(tab: Table, dummies: dict[str, np.ndarray], method: str) -> int:
    """How many of ``method``'s (task, seed, budget) cells end at chance."""
    return sum(int(at_chance(tab.test[method][t], dummies[t]).sum()) for t in tab.tasks)


def _on(tasks: tuple[str, ...]) -> str:
    """' (on a and b)' for one or two tasks, '' for none or more (too many to name)."""
    return f" (on {_and(list(tasks))})" if 0 < len(tasks) <= 2 else ""


def sentence(runs: list[tuple[str, Table, dict[str, np.ndarray], str]]) -> str:
    """The lead's bullet over ``runs`` (what each is, its table, its dummy scores, a note on
    its tasks or ''): per run, how often TPESearchCV ended at chance where random search did
    not, the other way round and both, with the tasks named where few, and the other methods'
    counts (the estimator defaults' per split: they have no budget)."""
    parts = []
    for what, tab, dummies, note in runs:
        c = versus(tab, dummies)
        others = [m for m in ("halving", "optuna", "default") if m in tab.test]
        rest = [f"{LABEL[m]} in {count_at_chance(tab, dummies, m)} of "
                f"{sum(tab.test[m][t].size for t in tab.tasks)}" + (" splits" if m == "default" else "")
                for m in others]
        parts.append(f"{what[0].upper()}{what[1:]}, TPESearchCV's model is at chance where random search's is "
                     f"not in {c.ours_only} of {c.cells} (task, seed, budget) cells{_on(c.ours_only_tasks)}; "
                     f"random search's where TPESearchCV's is not in {c.peer_only}; both in {c.both}"
                     f"{_on(c.both_tasks)}"
                     + (f". At chance: {', '.join(rest)}" if rest else "") + "." + (f" {note}" if note else ""))
    return ("- **Ending at chance level** (a test score at or below that of a model that ignores the "
            "features, scikit-learn's dummy estimators; read after the runs, not tested). " + " ".join(parts))
