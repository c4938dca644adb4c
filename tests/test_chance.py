"""Searches that end at chance level (``benchmarks/chance.py``): the dummy scores on the
tasks' own splits, and the counts on made-up scores.

The benchmark code is not part of the package; the ``chance`` fixture (conftest.py) imports
it from ``benchmarks/`` with ``sys.path`` and ``PYTHONPATH`` restored after.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest


def _table(chance: ModuleType, tpe: dict, random_: dict) -> object:
    tasks = list(tpe)
    return chance.Table("made_up", [10, 20], [0, 1, 2], tasks, {"tpe": tpe, "random": random_}, {}, {}, {}, "")


def test_dummy_scores_are_a_prior_and_a_mean(chance: ModuleType) -> None:
    d = chance.dummy_scores("report", ["svc_cancer", "kridge_diabetes", "poly_moons"], [0, 1])
    X, y = next(t for t in chance.SUITES["report"] if t.name == "svc_cancer").data()
    _, _, _, y_te = next(t for t in chance.SUITES["report"] if t.name == "svc_cancer").split(0)
    np.testing.assert_allclose(d["svc_cancer"][0], np.mean(y_te == np.bincount(y).argmax()), atol=0.01)
    assert np.all(np.abs(d["kridge_diabetes"]) < 0.05)  # R^2 of the training mean: about 0
    np.testing.assert_allclose(d["poly_moons"], 0.5)  # ROC AUC of a constant score


def test_versus_counts_each_side_and_both(chance: ModuleType) -> None:
    dummy = {"a": np.array([0.5, 0.5, 0.5]), "b": np.array([0.0, 0.0, 0.0])}
    tpe = {"a": np.array([[0.5, 0.9], [0.9, 0.9], [0.4, 0.9]]), "b": np.full((3, 2), 0.2)}
    random_ = {"a": np.array([[0.9, 0.9], [0.5, 0.9], [0.3, 0.9]]), "b": np.array([[0.2, -0.1]] * 3)}
    c = chance.versus(_table(chance, tpe, random_), dummy)
    # a: seed 0 at 10 TPESearchCV only (0.5 is at chance: at or below), seed 1 at 10 random only,
    # seed 2 at 10 both; b: random search at 20 on every seed, TPESearchCV never
    assert (c.cells, c.ours_only, c.peer_only, c.both, c.ours_only_tasks) == (12, 1, 4, 1, ("a",))
    text = chance.sentence([("on made-up tasks", _table(chance, tpe, random_), dummy)])
    assert ("on made-up tasks, TPESearchCV's model is at chance where random search's is not in 1 of 12 "
            "(task, seed, budget) cells (all on a), random search's where TPESearchCV's is not in 4, both in 1.") in text


@pytest.mark.parametrize("margin, expected", [(1e-13, True), (1e-9, False)])
def test_at_chance_is_at_or_below(chance: ModuleType, margin: float, expected: bool) -> None:
    assert bool(chance.at_chance(np.array([[0.5 + margin]]), np.array([0.5]))[0, 0]) is expected
