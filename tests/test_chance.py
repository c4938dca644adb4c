"""Searches that end at chance level (``benchmarks/chance.py``): the dummy scores on the
tasks' own splits, and the counts on made-up scores.

The benchmark code is not part of the package; the ``chance`` fixture (conftest.py) imports
it from ``benchmarks/`` with ``sys.path`` and ``PYTHONPATH`` restored after.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest
from sklearn.metrics import log_loss, r2_score


def _task(chance: ModuleType, name: str) -> object:
    return next(t for t in chance.SUITES["report"] if t.name == name)


def _table(chance: ModuleType, tpe: dict, random_: dict, **more: dict) -> object:
    return chance.Table("made_up", [10, 20], [0, 1, 2], list(tpe), {"tpe": tpe, "random": random_, **more},
                        {}, {}, {}, "")


def test_dummy_scores_are_the_priors_and_the_training_mean(chance: ModuleType) -> None:
    d = chance.dummy_scores("report", ["svc_cancer", "kridge_diabetes", "poly_moons", "logreg_noisy"], [0, 1])
    for i, seed in enumerate([0, 1]):
        _, _, y_tr, y_te = _task(chance, "svc_cancer").split(seed)
        assert d["svc_cancer"][i] == pytest.approx(np.mean(y_te == np.bincount(y_tr).argmax()))
        _, _, y_tr, y_te = _task(chance, "kridge_diabetes").split(seed)
        assert d["kridge_diabetes"][i] == pytest.approx(r2_score(y_te, np.full(len(y_te), y_tr.mean())))
        _, _, y_tr, y_te = _task(chance, "logreg_noisy").split(seed)
        prior = np.bincount(y_tr) / len(y_tr)
        assert d["logreg_noisy"][i] == pytest.approx(-log_loss(y_te, np.tile(prior, (len(y_te), 1))))
    np.testing.assert_allclose(d["poly_moons"], 0.5)  # ROC AUC of a constant score


def test_versus_counts_each_side_and_both(chance: ModuleType) -> None:
    dummy = {"a": np.array([0.5, 0.5, 0.5]), "b": np.array([0.0, 0.0, 0.0])}
    tpe = {"a": np.array([[0.5, 0.4], [0.9, 0.9], [0.4, 0.9]]), "b": np.full((3, 2), 0.2)}
    random_ = {"a": np.array([[0.9, 0.9], [0.5, 0.9], [0.3, 0.9]]), "b": np.array([[0.2, -0.1]] * 3)}
    halving = {t: v - 1.0 for t, v in tpe.items()}  # at chance everywhere
    tab = _table(chance, tpe, random_, halving=halving)
    c = chance.versus(tab, dummy)
    # a: TPESearchCV alone at seed 0 (10: 0.5 is at or below 0.5; 20), random search alone at
    # seed 1 at 10, both at seed 2 at 10; b: random search alone at 20 on every seed
    assert (c.cells, c.ours_only, c.peer_only, c.both) == (12, 2, 4, 1)
    assert c.ours_only_tasks == ("a",) and c.both_tasks == ("a",)
    assert chance.count_at_chance(tab, dummy, "halving") == 12
    assert chance.count_at_chance(tab, dummy, "tpe") == 3
    text = chance.sentence([("on made-up tasks", tab, dummy, "A note.")])
    assert ("On made-up tasks, TPESearchCV's model is at chance where random search's is not in 2 of 12 "
            "(task, seed, budget) cells (on a); random search's where TPESearchCV's is not in 4; both in 1 "
            "(on a). At chance: HalvingRandomSearchCV in 12 of 12. A note.") in text


def test_three_tasks_are_counted_not_named(chance: ModuleType) -> None:
    dummy = {t: np.zeros(3) for t in "abc"}
    tab = _table(chance, {t: np.full((3, 2), -1.0) for t in "abc"}, {t: np.ones((3, 2)) for t in "abc"})
    assert "cells; random" in chance.sentence([("x", tab, dummy, "")])
    two = _table(chance, {t: np.full((3, 2), -1.0) for t in "ab"}, {t: np.ones((3, 2)) for t in "ab"})
    assert "cells (on a and b); random" in chance.sentence([("x", two, dummy, "")])


@pytest.mark.parametrize("margin, expected", [(1e-13, True), (1e-9, False)])
def test_at_chance_is_at_or_below(chance: ModuleType, margin: float, expected: bool) -> None:
    assert bool(chance.at_chance(np.array([[0.5 + margin]]), np.array([0.5]))[0, 0]) is expected


def test_at_chance_refuses_missing_scores_and_wrong_shapes(chance: ModuleType) -> None:
    with pytest.raises(ValueError, match="missing"):
        chance.at_chance(np.array([[0.5, np.nan]]), np.array([0.5]))
    with pytest.raises(ValueError, match="one per seed"):
        chance.at_chance(np.array([0.5, 0.6]), np.array([0.5, 0.5]))
