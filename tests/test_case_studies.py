"""The case studies of two losing report tasks (``benchmarks/case_studies.py``) on made-up
rows and grids: what each count and choice reads.

The benchmark code is not part of the package; the ``cases`` fixture (conftest.py) imports it
from ``benchmarks/`` with ``sys.path`` and ``PYTHONPATH`` restored after.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest


def _rows(trial_cv: list[list[float]], trial_test: list[list[float]], default: list[float]) -> list[dict]:
    rows = []
    for s, (cv, te, d) in enumerate(zip(trial_cv, trial_test, default)):
        rows += [{"method": "default", "seed": s, "budgets": [0], "test": [d]},
                 {"method": "random", "seed": s, "budgets": [2, 3], "trial_cv": cv, "trial_test": te},
                 {"method": "tpe", "seed": s, "budgets": [2, 3], "cv_best": [0.0, 0.7 + s], "test": [0.0, 0.6]}]
    return rows


def test_defaults_win_reads_the_picked_candidate_and_hindsight(cases: ModuleType) -> None:
    # seed 0: the top CV candidate (0.9) tests 0.5, the best test 0.8 is above the defaults' 0.7;
    # seed 1: no candidate tests above the defaults' 0.95, whose CV 0.9 beats the top 0.85.
    # The fourth candidate lies beyond the budget of 3 and is never read.
    rows = _rows([[0.9, 0.6, 0.7, 0.99], [0.85, 0.8, np.nan, 0.99]],
                 [[0.5, 0.8, 0.6, 0.99], [0.9, 0.95, 0.1, 0.99]], [0.7, 0.95])
    win = cases.defaults_win(rows, {0: 0.8, 1: 0.9}, budget=3)
    assert win.seeds == 2
    assert win.random_cv == pytest.approx((0.9 + 0.85) / 2)
    assert win.random_test == pytest.approx((0.5 + 0.9) / 2)
    assert win.random_oracle == pytest.approx((0.8 + 0.95) / 2)
    assert (win.cv_at_least, win.none_better) == (1, 1)
    assert win.defaults_test == pytest.approx(0.825) and win.defaults_cv == pytest.approx(0.85)
    assert (win.tpe_cv, win.tpe_test) == pytest.approx((1.2, 0.6))


def test_choices_and_cliff_on_a_grid_with_one_swinging_candidate(cases: ModuleType) -> None:
    # k=1 swings over its folds (mean 0.5, the top) and gives zero probabilities; k=2 is steady.
    folds = np.array([[[0.9, 0.1, 0.9, 0.1, 0.5], [0.45, 0.45, 0.45, 0.45, 0.45], [0.3] * 5]] * 3)
    test = np.array([[0.2, 0.44, 0.3]] * 3)
    zeros = np.array([[3, 0, 0], [0, 0, 0], [1, 0, 0]])
    grid = cases.Grid([1, 2, 3], folds, test, zeros)
    top, bound = cases.choices(grid)
    assert (top.k_median, top.test, top.zero_seeds) == (1, pytest.approx(0.2), 2)
    assert top.optimism == pytest.approx(0.3)
    assert (bound.k_median, bound.test, bound.zero_seeds) == (2, pytest.approx(0.44), 0)
    assert cases.cliff(grid) == 2
    zeros[1, 2] = 1
    assert cases.cliff(cases.Grid([1, 2, 3], folds, test, zeros)) == -1
    text = "\n".join(cases.lines(cases.DefaultsWin(2, 0.8, 0.8, 0.7, 0.7, 0.75, 2, 1, 0.8, 0.79), grid))
    assert "on 2 of 2 seeds; no candidate of the 40 scores above the defaults on the test half on 1 of 2" in text
    assert "| the top mean minus one standard error | 2 | 0.440 | +0.010 | 0 of 3 |" in text
