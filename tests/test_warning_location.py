"""Every warning sktpe gives the user names the user's own line (``warnings``' filename and
line number), not a frame inside sktpe or scikit-learn, whether the space is built by
``TPESampler(...)`` or inside ``search.fit(...)``."""

from __future__ import annotations

import inspect
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier, DummyRegressor

from sktpe import TPESampler, TPESearchCV

X = np.arange(40, dtype=float).reshape(-1, 1)
Y = np.arange(40) % 2


class OnlyRvs:
    """Has ``rvs`` and nothing else: TPE draws it at random, with a warning."""

    def rvs(self, size=None, random_state=None):
        return np.random.default_rng(random_state).uniform(size=size)


@contextmanager
def _named_here(match: str) -> Iterator[None]:
    """Check that the block's warnings matching ``match`` name the block's one statement (the
    call, on the line after the ``with``), in this file."""
    line = inspect.currentframe().f_back.f_back.f_lineno + 1  # the ``with`` is the caller's line
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    hits = [w for w in caught if match in str(w.message)]
    assert hits, [str(w.message) for w in caught]
    for w in hits:
        assert (w.filename, w.lineno) == (__file__, line), (w.filename, w.lineno, str(w.message))


def test_an_object_with_only_rvs_is_warned_of_at_the_users_line():
    with _named_here("TPE cannot model them"):
        TPESampler({"x": OnlyRvs()})
    search = TPESearchCV(DummyRegressor(strategy="quantile"), {"quantile": OnlyRvs()},
                         n_iter=2, cv=2, random_state=0)
    with _named_here("TPE cannot model them"):
        search.fit(X, X.ravel())


def test_a_space_smaller_than_n_iter_is_warned_of_at_the_users_line():
    search = TPESearchCV(DummyClassifier(), {"strategy": ["prior", "uniform"]}, n_iter=5,
                         cv=2, random_state=0)
    with _named_here("distinct candidates, fewer than n_iter=5"):
        search.fit(X, Y)


def test_a_journal_of_another_scikit_learn_is_warned_of_at_the_users_line(tmp_path):
    path = tmp_path / "j.jsonl"
    space = {"strategy": ["prior", "uniform", "most_frequent"]}

    def make(n_iter: int) -> TPESearchCV:
        return TPESearchCV(DummyClassifier(), space, n_iter=n_iter, cv=2, random_state=0,
                           n_startup_trials=1, journal=str(path))

    make(1).fit(X, Y)
    header, *lines = path.read_text().splitlines()
    old = json.loads(header)
    old["libraries"] = {"scikit-learn": "0.1"}
    path.write_text("\n".join([json.dumps(old), *lines]) + "\n")
    search = make(2)
    with _named_here("written with scikit-learn 0.1"):
        search.fit(X, Y)


def test_a_nested_search_is_warned_of_at_the_users_outer_call():
    """Inside cross_val_score the first frame outside sktpe and scikit-learn was joblib's."""
    from sklearn.model_selection import cross_val_score

    search = TPESearchCV(DummyClassifier(), {"strategy": ["prior", "uniform"]}, n_iter=5,
                         cv=2, random_state=0)
    with _named_here("distinct candidates, fewer than n_iter=5"):
        cross_val_score(search, X, Y, cv=2)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
