"""Round 16's reading of the third tuning suite (``benchmarks/tuning_third.py``) on made-up
scores: the pooled tests read a known shift, the 18-task pool waits for the same-source check,
and the worst seed and the estimator's defaults are named where they fall.

The benchmark code is not part of the package; the ``third`` fixture (conftest.py) imports it
from ``benchmarks/`` with ``sys.path`` and ``PYTHONPATH`` restored after.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest
from scipy import stats

NEW = [f"new{i}" for i in range(6)]
REF = [f"ref{i}" for i in range(12)]


def _tab(third: ModuleType, tasks: list[str], shift: dict[str, float] | float, seed: int = 0,
         seeds: int = 30, default: float = 0.5) -> object:
    """Random search's scores and TPESearchCV's, ``shift`` (per task, or one for all) random-search
    spreads above them on every seed (plus a little noise), at budgets 20 and 40; the estimator's
    defaults at ``default``."""
    rng = np.random.default_rng(seed)
    shifts = shift if isinstance(shift, dict) else {t: shift for t in tasks}
    random_ = {t: rng.normal(0.8, 0.02, size=(seeds, 2)) for t in tasks}
    tpe = {t: random_[t] + np.std(random_[t]) * (shifts[t] + rng.normal(0, 0.05, size=(seeds, 2)))
           for t in tasks}
    test = {"random": random_, "tpe": tpe, "default": {t: np.full((seeds, 1), default) for t in tasks}}
    seconds = {m: {t: np.ones_like(a) for t, a in by.items()} for m, by in test.items()}
    trials = {m: {t: [] for t in tasks} for m in test}
    return third.Table("made_up", [20, 40], list(range(seeds)), list(tasks), test, test, seconds, trials, "src")


def test_pooled_reads_a_known_shift_with_holm_over_every_test(third: ModuleType) -> None:
    shift = {t: s for t, s in zip(NEW, (0.3, 0.1, 0.2, 0.0, 0.4, 0.2))}
    tab = _tab(third, NEW, shift)
    res = third.pooled({"six": tab, "again": tab})
    assert [(r.group, r.budget) for r in res] == [("six", 20), ("six", 40), ("again", 20), ("again", 40)]
    d = np.array([((tab.test["tpe"][t][:, 0] - tab.test["random"][t][:, 0]) / np.std(tab.test["random"][t])).mean()
                  for t in NEW])
    assert res[0].diff == pytest.approx(d.mean())
    assert (res[0].low, res[0].high) == pytest.approx(
        stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d)))
    raw = stats.ttest_1samp(d, 0.0).pvalue
    assert raw < res[0].p_holm <= min(1.0, 4 * raw) + 1e-12  # corrected over the four tests
    assert res[0].ahead + res[0].behind == 6 and res[0].ahead >= 5  # new3's shift is noise only


def test_the_18_task_pool_waits_for_an_equal_same_source_check(third: ModuleType) -> None:
    new, ref = _tab(third, NEW, 0.2), _tab(third, REF, 0.0, seed=1)
    with_pool = third.lines(new, ref, (60, 60))
    assert any(line.startswith("- all 18 tuning tasks: at 20 ") for line in with_pool)
    assert "Holm over the 4 pooled tests" in "\n".join(with_pool)
    assert any("in 60 of 60 (task, seed, budget) cells" in line for line in with_pool)
    for same, words in (((59, 60), "found 1 of 60 cells different"), (None, "is not complete")):
        text = "\n".join(third.lines(new, ref, same))
        assert "- all 18 tuning tasks" not in text and words in text
        assert "Holm over the 2 pooled tests" in text
    with pytest.raises(ValueError, match="share seeds and budgets"):
        third.joined(_tab(third, REF, 0.0, seeds=20), new)


def test_per_task_rows_worst_seed_and_defaults_are_read_from_the_scores(third: ModuleType) -> None:
    tab = _tab(third, NEW, 0.5, default=0.79)
    tab.test["tpe"]["new2"][3, 1] = tab.test["random"]["new2"][:, 1].min() - 0.01  # one bad seed at 40
    tab.test["default"]["new4"][:] = 0.9  # the defaults beat both searches on new4
    text = third.lines(tab, None, None)
    row = next(line for line in text if line.startswith("| new0 |"))
    assert row.startswith(f"| new0 | 0.790 | {tab.test['random']['new0'][:, 0].mean():.3f} / ")
    assert "worst: 1 of 12 (task, budget) cells: new2@40." in "\n".join(text)
    assert text[-1] == "- TPESearchCV's mean test score below the estimator's defaults': new4@20, new4@40."
    tab.test["default"]["new4"][:] = 0.1
    assert third.lines(tab, None, None)[-1].endswith("in no (task, budget) cell.")


def test_same_source_counts_cells_equal_to_one_part_in_a_billion(third: ModuleType) -> None:
    old = _tab(third, NEW, 0.0, seeds=30)
    new = _tab(third, NEW, 0.0, seeds=30)
    for t in NEW:  # the check's seeds are the first 10 of the reference's
        new.test["tpe"][t] = old.test["tpe"][t][:10] * (1 + 1e-12)
    new.seeds = list(range(10))
    assert third.same_source(new, old) == (120, 120)
    new.test["tpe"]["new1"][4, 0] += 1e-6
    assert third.same_source(new, old) == (119, 120)
