"""One task of the held-out-test protocol (``heldout.py``): its estimator, space, data and metric,
and how each seed splits it. The suites are in ``heldout_tasks.py`` and ``confirm_tasks.py``."""

from dataclasses import dataclass, field
from typing import Callable

from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

__all__ = ["N_FOLDS", "HeldoutTask", "scaled"]

N_FOLDS = 5


@dataclass(frozen=True)
class HeldoutTask:
    """One search problem: an estimator, its space, its data and its metric."""

    name: str
    estimator: BaseEstimator
    space: dict
    load: Callable[[], tuple]
    scoring: str
    about: str = ""
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def data(self) -> tuple:
        """(X, y), loaded once."""
        if "xy" not in self._cache:
            self._cache["xy"] = self.load()
        return self._cache["xy"]

    def split(self, seed: int) -> tuple:
        """(X_train, X_test, y_train, y_test): half and half, by ``seed``."""
        X, y = self.data()
        strat = y if is_classifier(self.estimator) else None
        return train_test_split(X, y, test_size=0.5, random_state=seed, stratify=strat)

    def cv(self, seed: int):
        """5 shuffled folds by ``seed`` (stratified for classifiers)."""
        kind = StratifiedKFold if is_classifier(self.estimator) else KFold
        return kind(N_FOLDS, shuffle=True, random_state=seed)

    def default_estimator(self) -> BaseEstimator:
        """The estimator at its own defaults: what a user gets without a search."""
        return clone(self.estimator)


def scaled(est: BaseEstimator, name: str) -> Pipeline:
    """``est`` behind a StandardScaler, as step ``name``."""
    return Pipeline([("scale", StandardScaler()), (name, est)])
