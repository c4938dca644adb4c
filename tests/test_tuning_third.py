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
    assert [(r.variant, r.budget) for r in res] == [("six", 20), ("six", 40), ("again", 20), ("again", 40)]
    d = np.array([((tab.test["tpe"][t][:, 0] - tab.test["random"][t][:, 0]) / np.std(tab.test["random"][t])).mean()
                  for t in NEW])
    assert res[0].diff == pytest.approx(d.mean())
    assert (res[0].low, res[0].high) == pytest.approx(
        stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d)))
    raw = stats.ttest_1samp(d, 0.0).pvalue
    assert raw < res[0].p_holm <= min(1.0, 4 * raw) + 1e-12  # corrected over the four tests
    assert res[0].p_wilcoxon == pytest.approx(stats.wilcoxon(d, zero_method="zsplit").pvalue)
    se = [stats.sem((tab.test["tpe"][t][:, 0] - tab.test["random"][t][:, 0]) / np.std(tab.test["random"][t]))
          for t in NEW]
    assert res[0].se_rms == pytest.approx(np.sqrt(np.mean(np.square(se))))
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
    tab.test["tpe"]["new4"][:] = [0.8, 0.7]
    tab.test["default"]["new4"][:] = 0.8  # level at 20 is not below
    assert third.lines(tab, None, None)[-1].endswith("defaults': new4@40.")


def test_per_task_columns_follow_their_budgets(third: ModuleType) -> None:
    tab = _tab(third, NEW, 0.0)
    for t in NEW:  # TPESearchCV exactly half a spread ahead at 20, level at 40
        tab.test["tpe"][t] = tab.test["random"][t] + np.std(tab.test["random"][t]) * np.array([0.5, 0.0])
    row = next(line for line in third.lines(tab, None, None) if line.startswith("| new2 |"))
    assert row.endswith("| +0.50 ± 0.00 | +0.00 ± 0.00 |")


def test_same_source_counts_cells_equal_to_one_part_in_a_billion(third: ModuleType) -> None:
    old = _tab(third, NEW, 0.0, seeds=30)
    new = _tab(third, NEW, 0.0, seeds=30)
    for t in NEW:  # the check's seeds are 5 to 14 of the reference's 0 to 29
        new.test["tpe"][t] = old.test["tpe"][t][5:15] * (1 + 1e-12)
    new.seeds = list(range(5, 15))
    assert third.same_source(new, old) == (120, 120)
    new.test["tpe"]["new1"][4, 0] += 1e-6
    assert third.same_source(new, old) == (119, 120)


def test_run_note_names_a_repeated_run_and_another_commit(third: ModuleType, monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: object) -> None:
    import json

    heldout = __import__("heldout")
    monkeypatch.setattr(heldout, "RESULTS", str(tmp_path))
    row = {"method": "tpe", "variant": "", "task": "new0", "seed": 1, "budgets": [20, 40], "sktpe": "s"}
    with open(heldout.results_path("a"), "w") as fh:
        fh.write(json.dumps({"provenance": {"git_commit": "f0a6020abc"}, "argv": []}) + "\n")
        fh.write(json.dumps(row) + "\n")
    assert third.run_note(("a",), "f0a6020") == ""
    assert "made from f0a6020, not 1234567 as stated" in third.run_note(("a",), "1234567")
    with open(heldout.results_path("a"), "a") as fh:
        fh.write(json.dumps(row) + "\n")
    assert third.run_note(("a",), "f0a6020").startswith(" The files store 1 run(s) more than once")


def test_lower_bound_choice_distrusts_a_candidate_whose_folds_disagree(third: ModuleType) -> None:
    choose = __import__("heldout").lower_bound_choice
    res = {"mean_test_score": np.array([0.80, 0.79, np.nan]), "std_test_score": np.array([0.2, 0.01, 0.0]),
           **{f"split{i}_test_score": np.zeros(3) for i in range(5)}}
    assert choose(res) == 1  # 0.80 - 0.2/sqrt(5) < 0.79 - 0.01/sqrt(5)
    res["std_test_score"] = np.array([0.01, 0.01, 0.0])
    assert choose(res) == 0  # equal spreads: the top mean
    res["mean_test_score"] = np.array([0.79, 0.79, np.nan])
    assert choose(res) == 0  # a tie goes to the first; a NaN candidate never wins
    res["mean_test_score"] = np.array([np.nan, np.nan, 0.1])
    assert choose(res) == 2  # the only finite one, however low
    res = {"mean_test_score": np.array([0.80, 0.78]), "std_test_score": np.array([0.05, 0.0]),
           **{f"split{i}_test_score": np.zeros(2) for i in range(5)}}
    assert choose(res) == 1  # 0.80 - 0.05 / sqrt(5) = 0.778 (std / 5 would give 0.79)
    res["mean_test_score"] = np.array([0.80, 0.76])
    assert choose(res) == 0  # 0.778 > 0.76 (the std itself would give 0.75)


def test_round_17_joins_18_tasks_and_waits_for_every_part(third: ModuleType,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: object) -> None:
    """The 18 tasks' reference is the first 12's (each in its own sd) beside the third suite's;
    the variant's TPESearchCV scores replace the defaults' task by task; nothing is read while a
    part is missing or the same-source check differs; the verdict reads the shift."""
    hr = third.hr
    monkeypatch.setattr(__import__("heldout"), "RESULTS", str(tmp_path))
    seeds = len(hr.BOTH_SEEDS)
    ref12 = _tab(third, REF, 0.0, seed=1, seeds=seeds)
    new = _tab(third, NEW, 0.0, seed=2, seeds=seeds)
    ref12.seeds = new.seeds = list(hr.BOTH_SEEDS)
    names = {"tuning": REF[:6], hr.EXTRA_SUITE: REF[6:], third.THIRD_SUITE: NEW}
    both = {**ref12.test["tpe"], **new.test["tpe"]}
    shift = {t: np.std((ref12 if t in REF else new).test["random"][t]) * 0.5 for t in REF + NEW}

    def load(suite: str, variant: str, sktpe: str, name: str, budgets: tuple) -> object:
        assert variant == "lcb" and sktpe == third.THIRD_SKTPE and name == third.LCB_FILES[suite]
        return third.Table(suite, [20, 40], list(hr.BOTH_SEEDS), names[suite],
                           {"tpe": {t: both[t] + shift[t] for t in names[suite]}}, {}, {}, {}, sktpe)

    monkeypatch.setattr(hr, "load", load)
    monkeypatch.setattr(hr, "_both_ref", lambda: ref12)
    monkeypatch.setattr(third, "load_third", lambda: new)
    for same in (None, (119, 120)):
        monkeypatch.setattr(third, "load_same", lambda same=same: same)
        assert third.lcb_lines() is None
    monkeypatch.setattr(third, "load_same", lambda: (120, 120))
    ref, var = third.eighteen_tables("lcb", third.LCB_FILES)
    assert ref.tasks == REF + NEW
    assert ref.scale["new1"] == pytest.approx(np.std(new.test["random"]["new1"]))
    np.testing.assert_array_equal(var.test["tpe"]["ref7"], ref12.test["tpe"]["ref7"] + shift["ref7"])
    np.testing.assert_array_equal(var.test["random"]["new3"], new.test["random"]["new3"])
    text = "\n".join(third.lcb_lines())
    assert text.startswith("All three tuning suites: 18 tasks × 120 seeds (100-219), sktpe source "
                           f"{hr.GREEDY_SKTPE} (the first 12 tasks' reference rows) and {third.THIRD_SKTPE}.")
    assert "| the largest mean minus one standard error chooses the model | +0.50 [" in text
    assert "**Passed**" in text
    assert "4320 of 4320 returned a model of another test score" in text
    with open(__import__("heldout").results_path(third.THIRD_FILE), "w") as fh:  # a reference run twice
        fh.write('{"method": "tpe", "variant": "", "task": "new0", "seed": 1, "budgets": [20, 40]}\n' * 2)
    assert "1 run(s) more than once" in third.lcb_lines()[0]
    names["tuning"] = REF[:5]  # a file that lacks a task
    with pytest.raises(SystemExit, match="do not hold the 18 tasks"):
        third.eighteen_tables("lcb", third.LCB_FILES)
    monkeypatch.setattr(third, "load_third", lambda: None)
    assert third.lcb_lines() is None
