"""The case studies of two losing report tasks (``benchmarks/case_studies.py``) on made-up
rows and grids, and on a tiny k-nearest-neighbours task: what each count and choice reads.

The benchmark code is not part of the package; the ``cases`` fixture (conftest.py) imports it
from ``benchmarks/`` with ``sys.path`` and ``PYTHONPATH`` restored after.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest


def _rows(trial_cv: list[list[float]], tests: list[list[float]], default: list[float]) -> list[dict]:
    """Stored rows as ``heldout.py`` writes them: random search's ``trial_test`` is the test score
    of the best candidate so far (by mean CV score), not each candidate's own."""
    rows = []
    for s, (cv, te, d) in enumerate(zip(trial_cv, tests, default)):
        finite = np.where(np.isfinite(cv), cv, -np.inf)
        so_far = [te[int(np.argmax(finite[: k + 1]))] for k in range(len(cv))]
        rows += [{"method": "default", "seed": s, "budgets": [0], "test": [d]},
                 {"method": "random", "seed": s, "budgets": [2, 3], "trial_cv": cv, "trial_test": so_far},
                 {"method": "tpe", "seed": s, "budgets": [2, 3], "cv_best": [0.0, 0.7 + s], "test": [0.0, 0.6]}]
    return rows


def test_defaults_win_reads_the_picked_candidate_and_hindsight(cases: ModuleType) -> None:
    # seed 0: the top CV candidate (0.9) tests 0.5; a later, lower one tests 0.8, above the
    # defaults' 0.7 (the stored best-so-far scores never show it); seed 1: no candidate tests
    # above the defaults' 0.95, whose CV 0.85 ties the top one. The fourth candidate lies beyond
    # the budget of 3 and is never read.
    cv = [[0.9, 0.6, 0.7, 0.99], [0.85, 0.8, np.nan, 0.99]]
    tests = [[0.5, 0.8, 0.6, 0.99], [0.9, 0.95, 0.1, 0.99]]
    rows = _rows(cv, tests, [0.7, 0.95])
    win = cases.defaults_win(rows, {0: 0.8, 1: 0.85}, {0: np.array(tests[0]), 1: np.array(tests[1])}, budget=3)
    assert (win.seeds, win.budget) == (2, 3)
    assert win.random_cv == pytest.approx((0.9 + 0.85) / 2)
    assert win.random_test == pytest.approx((0.5 + 0.9) / 2)
    assert win.random_oracle == pytest.approx((0.8 + 0.95) / 2)
    assert (win.cv_at_least, win.none_better, win.both) == (1, 1, 1)  # the tie counts as at least
    assert win.defaults_test == pytest.approx(0.825) and win.defaults_cv == pytest.approx(0.825)
    assert (win.tpe_cv, win.tpe_test) == pytest.approx((1.2, 0.6))
    with pytest.raises(ValueError, match="seed 0: the candidates' test scores"):
        cases.defaults_win(rows, {0: 0.8, 1: 0.85}, {0: np.array([0.4, 0.8, 0.6]), 1: np.array(tests[1])},
                           budget=3)


def test_svc_rows_keep_the_pages_runs_only(cases: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"task": "svc_chance", "variant": "", "budgets": [10, 20, 40]}
    stored = [{**base, "method": "tpe", "sktpe": cases.REPORT_SKTPE, "seed": 0},
              {**base, "method": "tpe", "sktpe": "another", "seed": 0},
              {**base, "method": "random", "seed": 0}, {**base, "method": "random", "seed": 0, "budgets": [80]},
              {**base, "method": "default", "seed": 0, "budgets": [0]},
              {**base, "method": "tpe", "sktpe": cases.REPORT_SKTPE, "seed": 0, "variant": "lcb"},
              {**base, "method": "optuna", "seed": 0}, {**base, "method": "random", "seed": 0, "task": "knn_wine"}]
    monkeypatch.setattr(cases, "load_rows", lambda name: stored)
    assert cases.svc_rows() == [stored[0], stored[2], stored[4]]


def test_choices_and_cliff_on_a_grid_with_one_swinging_candidate(cases: ModuleType) -> None:
    # k=1 swings over its folds (mean 0.5, the top) and gives zero probabilities; k=2 is steady
    # (0.43) and k=3 a little higher with a small swing (mean 0.44, std 0.028): one standard
    # error (std / sqrt(5) = 0.013) puts k=2 ahead of it, where std / 5 (0.006) would not.
    k3 = [0.48, 0.46, 0.44, 0.42, 0.40]
    folds = np.array([[[0.9, 0.1, 0.9, 0.1, 0.5], [0.43] * 5, k3]] * 3)
    folds[2, 0] = [0.3] * 5  # on the third seed k=1 is steady and low: the top mean is k=3
    test = np.array([[0.2, 0.44, 0.3]] * 3)
    zeros = np.array([[3, 0, 0], [0, 0, 0], [1, 0, 0]])
    grid = cases.Grid([1, 2, 3], folds, test, zeros)
    top, bound = cases.choices(grid)
    assert (top.k_median, top.zero_seeds, top.other_k) == (1, 1, 0)  # picks 1, 1, 3: the median 1
    assert top.test == pytest.approx((0.2 + 0.2 + 0.3) / 3)
    assert top.optimism == pytest.approx(((0.5 - 0.2) * 2 + (0.44 - 0.3)) / 3)
    assert (bound.k_median, bound.test, bound.zero_seeds, bound.other_k) == (2, pytest.approx(0.44), 0, 3)
    assert cases.cliff(grid) == 2
    zeros[1, 2] = 1
    assert cases.cliff(cases.Grid([1, 2, 3], folds, test, zeros)) == -1
    win = cases.DefaultsWin(2, 40, 0.8, 0.8, 0.7, 0.7, 0.75, 2, 1, 1, 0.8, 0.79)
    text = "\n".join(cases.lines(win, grid))
    assert "on 2 of 2 seeds; no candidate of the 40 scores above the defaults on the test half on 1 of 2; " \
           "both on 1." in text
    assert "| the top mean minus one standard error | 2.0 | 0.440 | -0.010 | 0 of 3 | 3 of 3 |" in text


def test_knn_grid_counts_test_points_given_zero_probability(cases: ModuleType) -> None:
    from scipy.stats import randint
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline

    # Two well separated classes and one point of class 1 deep inside class 0: with one
    # neighbour (or a few) it gets probability 0 for its class wherever it falls.
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 0.1, size=(40, 1)), rng.normal(10, 0.1, size=(40, 1)), [[0.0], [0.01]]]
    y = np.r_[np.zeros(40, int), np.ones(40, int), [1, 1]]
    task = cases.HeldoutTask("tiny", Pipeline([("knn", KNeighborsClassifier())]),
                             {"knn__n_neighbors": randint(1, 5)}, lambda: (X, y), "neg_log_loss")
    grid = cases.knn_grid(task, [0, 1], [1, 30])
    assert grid.folds.shape == (2, 2, 5) and grid.test.shape == (2, 2)
    assert (grid.zeros[:, 0] >= 1).all()  # k=1: the stray point of the test half gets 0 for class 1
    assert (grid.zeros[:, 1] == 0).all()  # k=30 reaches both classes from everywhere
    assert (grid.test[:, 0] < -0.5).all() and (grid.test[:, 1] > -1.0).all()
