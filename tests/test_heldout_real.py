"""The six real tasks of the held-out benchmark and the report pooled over 16 tasks
(``benchmarks/heldout_real.py``), on made-up scores: how the two runs are joined, and that
each stated test changes its words with the scores.

The benchmark code is not part of the package; the ``real`` fixture (conftest.py) imports it
from ``benchmarks/`` with ``sys.path`` and ``PYTHONPATH`` restored after.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

OLD = [f"old{i}" for i in range(10)]
NEW = [f"new{i}" for i in range(6)]


def _tab(real: ModuleType, tasks: list[str], budgets: list[int], shift: list[float], seed: int = 0,
         spread: float = 0.02, seeds: int = 20) -> object:
    """Random search's scores, Optuna's (random search's with noise) and TPESearchCV's,
    ``shift[j]`` random-search spreads above random search's at budget j on every seed."""
    rng = np.random.default_rng(seed)
    random_ = {t: rng.normal(0.8, spread, size=(seeds, len(budgets))) for t in tasks}
    sd = {t: float(np.std(random_[t])) for t in tasks}
    tpe = {t: random_[t] + sd[t] * (np.asarray(shift) + rng.normal(0, 0.01, size=(seeds, len(budgets))))
           for t in tasks}
    optuna = {t: random_[t] + rng.normal(0, 0.001, size=(seeds, len(budgets))) for t in tasks}
    test = {"random": random_, "tpe": tpe, "optuna": optuna}
    return real.Table("made_up", list(budgets), list(range(seeds)), list(tasks), test, test, {}, {}, "src")


def test_report_four_joins_the_run_at_80_in_the_main_runs_units(real: ModuleType) -> None:
    main = _tab(real, OLD, [10, 20, 40], [0.0, 0.0, 0.0])
    big = _tab(real, OLD, [80], [0.0], seed=1, spread=0.2)  # ten times the spread
    four = real.report_four(main, big)
    assert four.budgets == [10, 20, 40, 80]
    np.testing.assert_array_equal(four.test["tpe"]["old3"][:, 3], big.test["tpe"]["old3"][:, 0])
    np.testing.assert_array_equal(four.test["random"]["old3"][:, :3], main.test["random"]["old3"])
    assert four.scale["old3"] == pytest.approx(np.std(main.test["random"]["old3"]))


def test_pooled_keeps_each_suites_units_and_refuses_unlike_runs(real: ModuleType) -> None:
    four = _tab(real, OLD, [10, 20, 40, 80], [0.0] * 4)
    new = _tab(real, NEW, [10, 20, 40, 80], [0.0] * 4, seed=1, spread=0.2)
    both = real.pooled(four, new)
    assert both.tasks == OLD + NEW and set(both.test) == {"random", "optuna", "tpe"}
    assert both.scale["new2"] == pytest.approx(np.std(new.test["random"]["new2"]))
    assert both.scale["old2"] == pytest.approx(np.std(four.test["random"]["old2"]))
    with pytest.raises(ValueError, match="share budgets and seeds"):
        real.pooled(four, _tab(real, NEW, [10, 20, 40, 80], [0.0] * 4, seeds=12))


@pytest.mark.parametrize("shift, met", [(0.6, True), (-0.6, False)])
def test_half_the_trials_is_met_by_the_lower_end_of_the_interval(real: ModuleType, shift: float,
                                                                  met: bool) -> None:
    # TPESearchCV at 40 sits `shift` random-search spreads from random search's model at 80
    # (random search's columns are alike, so its 80 is its 40 plus noise).
    four = _tab(real, OLD, [10, 20, 40, 80], [shift] * 4)
    new = _tab(real, NEW, [10, 20, 40, 80], [shift] * 4, seed=1)
    for tab in (four, new):
        for t in tab.tasks:
            tab.test["random"][t][:, 3] = tab.test["random"][t][:, 2]
    r, ok = real.half(real.pooled(four, new))
    assert r.budget == 40 and ok is met
    assert (r.low > -real.FRESH_MARGIN) is met
    line = real.test_lines(real.pooled(four, new))[-1]
    assert ("**met**" if met else "**not met**") in line


def test_a_peer_ahead_in_one_cell_is_named(real: ModuleType) -> None:
    new = _tab(real, NEW, [10, 20, 40, 80], [0.0] * 4, seed=1)
    new.test["tpe"]["new4"][:, 2] = new.test["random"]["new4"][:, 2] - 0.05  # behind on every seed at 40
    cells = real.peer_cells(new)
    assert [(p, t, b) for p, t, b, _, _ in cells] == [("random", "new4", 40), ("optuna", "new4", 40)]
    assert all(ph < 0.05 and gap < 0 for *_, gap, ph in cells)
    four = _tab(real, OLD, [10, 20, 40, 80], [0.0] * 4)
    text = real.bullet(new, real.pooled(four, new))
    assert ("differs significantly from TPESearchCV's on any task at any budget but RandomizedSearchCV better on "
            "new4 at 40 and Optuna TPE better on new4 at 40") in text


def test_the_bullet_says_no_peer_wins_and_reads_the_pooled_verdicts(real: ModuleType) -> None:
    new = _tab(real, NEW, [10, 20, 40, 80], [0.5, 0.0, 0.0, 0.0], seed=1)
    four = _tab(real, OLD, [10, 20, 40, 80], [0.5, 0.0, 0.0, 0.0])
    text = real.bullet(new, real.pooled(four, new))
    # TPESearchCV 0.5 spreads ahead at 10 on every seed: each task's cell at 10 is significant
    assert ("no search's model differs significantly from TPESearchCV's on any task at any budget but "
            "RandomizedSearchCV worse on new0 at 10, ") in text
    assert "(16 tasks)" in text
    assert "at 10 candidates its model is **better** (higher on 16 of the 16 tasks" in text
    assert "at 20, 40 and 80 candidates no difference is measurable" in text
    assert "expected before the run" not in text  # the pooled gain at 10 is confirmed here
    assert "Its mean differences from random search on these six are +0.50, " in text
    level = _tab(real, NEW, [10, 20, 40, 80], [0.0] * 4, seed=1)
    text = real.bullet(level, real.pooled(_tab(real, OLD, [10, 20, 40, 80], [0.0] * 4), level))
    assert "task sd); the gain at 10 expected before the run is not confirmed. That" in text


def test_in_short_names_a_later_gain_of_the_pooled_run(pw: ModuleType, real: ModuleType) -> None:
    same = [pw.Verdict(10, 0.4, 0.01, 9, 1, 1), pw.Verdict(20, 0.1, 0.4, 6, 4, 1)]
    later = [pw.Verdict(20, 0.2, 0.02, 12, 4, 1), pw.Verdict(40, 0.1, 0.3, 9, 7, 1)]
    text = pw._in_short(same, [], ("pooled with the 6 more real data sets (16 tasks)", later))
    assert text.endswith("; pooled with the 6 more real data sets (16 tasks), its model is better at 20 "
                         "candidates.")
    level = [pw.Verdict(20, 0.2, 0.2, 12, 4, 1)]
    assert "pooled" not in pw._in_short(same, [], ("pooled with the 6 more", level))


def test_the_section_renders_every_stated_test(real: ModuleType) -> None:
    budgets = [10, 20, 40, 80]
    new = _tab(real, NEW, budgets, [0.0] * 4, seed=1)
    rng = np.random.default_rng(3)
    for m in ("halving", "tpe-racing"):
        new.test[m] = {t: new.test["random"][t] + rng.normal(0, 0.001, size=(20, 4)) for t in NEW}
    new.test["default"] = {t: new.test["random"][t][:, :1] - 0.05 for t in NEW}  # well below every search
    new.cv.update({m: new.test[m] for m in ("halving", "tpe-racing")})
    steps = [0.1 * b for b in budgets]
    new.seconds.update({m: {t: np.tile(steps, (20, 1)) for t in NEW}
                        for m in ("random", "halving", "optuna", "tpe", "tpe-racing")})
    new.trials.update({m: {t: [(steps, list(new.test[m][t][i])) for i in range(20)] for t in NEW}
                       for m in ("random", "optuna")})
    new.suite = "made_up_real"  # no results file: random search run again is left out
    both = real.pooled(_tab(real, OLD, budgets, [0.0] * 4), new)
    text = "\n".join(real.section(new, both))
    assert "## On 6 more real data sets" in text
    assert "Issue 24's criterion on these tasks" in text and "**met**." in text
    assert "Pooled over the 16 tasks, against RandomizedSearchCV" in text
    assert "Pooled over the 16 tasks, against Optuna TPE" in text
    assert "- Worst split (not tested): " in text
    for b in budgets:  # the defaults, at every budget
        assert f"at {b} better on 6 and worse on 0" in text
    stated, after = text.split("### Read after the run (not stated before it)")
    assert "More candidates, a lower mean test score" in after and "On the 6 tasks alone" in after
    assert "More candidates" not in stated
    assert "### Test score by task and budget" in text and "### At equal time" in text


def test_in_short_says_where_the_pooled_run_does_not_confirm_the_gain(pw: ModuleType) -> None:
    same = [pw.Verdict(10, 0.4, 0.01, 9, 1, 1), pw.Verdict(20, 0.1, 0.4, 6, 4, 1)]
    pooled = [pw.Verdict(10, 0.2, 0.12, 12, 4, 1), pw.Verdict(20, 0.1, 0.6, 9, 6, 1)]
    text = pw._in_short(same, [], ("pooled with the 6 more real data sets (16 tasks)", pooled))
    assert text == ("- **In short**: from 20 candidates on, no test separates TPESearchCV's model from random "
                    "search's (mean differences +0.10 task sd on these tasks), and none shows them equivalent. "
                    "At 10 candidates its model is better on these tasks (+0.40 task sd), but pooled with the 6 "
                    "more real data sets (16 tasks) that gain is not confirmed (no difference is measurable at "
                    "10: +0.20 task sd, Holm p=0.12).")
    confirmed = [pw.Verdict(10, 0.3, 0.01, 14, 2, 1), pooled[1]]
    assert "pooled" not in pw._in_short(same, [], ("pooled with the 6 more", confirmed))


def test_fell_names_the_tasks_where_more_candidates_lowered_the_mean(real: ModuleType) -> None:
    new = _tab(real, NEW, [10, 20, 40, 80], [0.0] * 4, seed=1)
    for t in NEW:  # up from 10 to 80 everywhere, down from 40 to 80 everywhere
        for m in ("random", "tpe"):
            new.test[m][t][:, 3] = new.test[m][t][:, 0] + 0.01
            new.test[m][t][:, 2] = new.test[m][t][:, 3] + 0.02
    new.test["tpe"]["new2"][:, 3] = new.test["tpe"]["new2"][:, 0] - 0.01
    text = real.fell(new)
    assert "RandomizedSearchCV on 0; " in text and "TPESearchCV on 1 (new2) of the 6 tasks" in text


def test_half_the_trials_reads_the_lower_end_not_the_mean(real: ModuleType) -> None:
    # TPESearchCV at 40 is level with random search at 80 on average, but half the tasks are
    # 0.5 spreads ahead and half 0.5 behind: the mean is above the margin, the interval is not.
    four = _tab(real, OLD, [10, 20, 40, 80], [0.0] * 4)
    new = _tab(real, NEW, [10, 20, 40, 80], [0.0] * 4, seed=1)
    both = real.pooled(four, new)
    for i, t in enumerate(both.tasks):
        both.test["tpe"][t][:, 2] = both.test["random"][t][:, 3] + (0.5 if i % 2 else -0.5) * both.scale[t]
    r, met = real.half(both)
    assert abs(r.diff) < 0.05 and r.low < -real.FRESH_MARGIN and not met


def test_a_halving_win_is_named(real: ModuleType) -> None:
    new = _tab(real, NEW, [10, 20, 40, 80], [0.0] * 4, seed=1)
    new.test["halving"] = {t: new.test["tpe"][t] - 1.0 for t in NEW}
    new.test["halving"]["new1"][:, 1] = new.test["tpe"]["new1"][:, 1] + 0.05
    assert [(p, t, b) for p, t, b, _, _ in real.peer_cells(new)] == [("halving", "new1", 20)]


def test_pooled_refuses_a_task_in_both_runs(real: ModuleType) -> None:
    four = _tab(real, OLD, [10, 20, 40, 80], [0.0] * 4)
    with pytest.raises(ValueError, match="no task in common"):
        real.pooled(four, _tab(real, OLD[:6], [10, 20, 40, 80], [0.0] * 4, seed=1))


def test_an_incomplete_run_is_said_not_left_out(real: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(real, "load_real", lambda: None)
    monkeypatch.setattr(real, "load_rows", lambda name: [{"method": "tpe"}] * 7 + [{"method": "random-b"}])
    text = "\n".join(real.incomplete())
    assert "is incomplete: 7 rows" in text and "needs 720" in text
    monkeypatch.setattr(real, "load_rows", lambda name: [])
    assert real.incomplete() == []


def test_halving_cost_is_the_ratio_of_median_cpu_times(real: ModuleType) -> None:
    new = _tab(real, NEW, [10, 20], [0.0, 0.0], seed=1)
    assert real.halving_cost(new) == ""  # no times recorded
    new.seconds.update({"tpe": {t: np.tile([1.0, 2.0], (20, 1)) for t in NEW},
                        "halving": {t: np.tile([1.5, 2.2], (20, 1)) for t in NEW}})
    assert "took 1.10 to 1.50 times TPESearchCV's median CPU time" in real.halving_cost(new)
