"""Round 24's reading (``benchmarks/half_fresh.py``) on made-up ``heldout.py`` rows: which rows
are the stated arms, that nothing is read until every arm holds every seed and task, that the
primary test reads the lower end of the interval, and what the secondary readings name. No
search runs here."""

from __future__ import annotations

import json
import sys
from types import ModuleType, SimpleNamespace

import numpy as np
import pytest


def _rows(half: ModuleType, tasks: list[str], shift: float, seed: int = 0) -> list[dict]:
    """Random search's rows (its 80 its 40 plus noise), TPESearchCV's at 40 ``shift`` task sd
    above random search's at 80 on every seed (plus a little noise), the defaults well below;
    and rows of other runs that are not arms (another budget, another variant)."""
    rng = np.random.default_rng(seed)
    out = []
    for t in tasks:
        random_ = rng.normal(0.8, 0.02, size=(len(half.SEEDS), len(half.RANDOM_BUDGETS)))
        sd = float(np.std(random_))
        for i, s in enumerate(half.SEEDS):
            tpe = random_[i, -1] + sd * (shift + rng.normal(0, 0.01))
            out += [{"method": "random", "variant": "", "task": t, "seed": s,
                     "budgets": list(half.RANDOM_BUDGETS), "test": list(random_[i])},
                    {"method": "tpe", "variant": "", "task": t, "seed": s, "budgets": [half.TPE_BUDGET],
                     "test": [tpe], "sktpe": half.SKTPE},
                    {"method": "default", "variant": "", "task": t, "seed": s, "budgets": [0],
                     "test": [0.5]},
                    {"method": "tpe", "variant": "", "task": t, "seed": s, "budgets": [40, 80],
                     "test": [0.0, 0.0], "sktpe": "another"},
                    {"method": "tpe", "variant": "spread", "task": t, "seed": s,
                     "budgets": [half.TPE_BUDGET], "test": [0.0], "sktpe": half.SKTPE}]
    return out


TASKS = [f"t{i}" for i in range(12)]


def test_reads_the_arms_and_waits_for_every_row(half: ModuleType) -> None:
    rows = _rows(half, TASKS, 0.0)
    s = half.suite_of("made_up", rows, TASKS)
    assert s.tasks == TASKS and s.random["t3"].shape == (len(half.SEEDS), 4)
    assert s.tpe["t3"].shape == (len(half.SEEDS),) and (s.default["t3"] == 0.5).all()
    assert (s.tpe["t3"] > 0.5).all()  # the rows of other runs are not read as arms
    assert s.scale["t3"] == pytest.approx(np.std(s.random["t3"]))
    missing = [r for r in rows if not (r["method"] == "default" and r["task"] == "t5" and r["seed"] == 7)]
    assert half.suite_of("made_up", missing, TASKS) is None
    with pytest.raises(ValueError, match="run twice"):
        half.suite_of("made_up", rows + rows[:1], TASKS)
    other = dict(rows[1], sktpe="0123456789ab")
    with pytest.raises(ValueError, match="not the stated"):
        half.suite_of("made_up", [r for r in rows if r is not rows[1]] + [other], TASKS)


@pytest.mark.parametrize("shift, met", [(0.2, True), (-0.2, False)])
def test_the_primary_test_reads_the_lower_end(half: ModuleType, shift: float, met: bool) -> None:
    s = half.suite_of("made_up", _rows(half, TASKS, shift), TASKS)
    r, ok = half.primary(s)
    assert ok is met and (r.low > -half.MARGIN) is met and r.n_tasks == len(TASKS)
    assert r.diff == pytest.approx(shift, abs=0.01)
    text = "\n".join(half.section(s, [s], None))
    assert ("**met**" if met else "**not met**") in text.split("- **Primary**")[1].split("\n")[0]


def test_a_mean_above_the_margin_with_a_wide_interval_is_not_met(half: ModuleType) -> None:
    s = half.suite_of("made_up", _rows(half, TASKS, 0.0), TASKS)
    for i, t in enumerate(TASKS):  # +0.01 on average, but the tasks spread widely
        s.tpe[t][:] = s.random[t][:, -1] + s.scale[t] * (0.01 + (0.4 if i % 2 else -0.4))
    r, ok = half.primary(s)
    assert r.diff == pytest.approx(0.01, abs=1e-9) and r.low < -half.MARGIN and not ok


def test_the_secondary_readings_name_what_they_find(half: ModuleType) -> None:
    a = half.suite_of("a", _rows(half, TASKS[:6], 0.0), TASKS[:6])
    b = half.suite_of("b", _rows(half, TASKS[6:], 0.0, seed=1), TASKS[6:])
    both = half.joined([a, b])
    assert both.tasks == TASKS and both.scale["t8"] == b.scale["t8"]
    with pytest.raises(ValueError, match="no task in common"):
        half.joined([a, a])
    both.tpe["t4"][:] = both.random["t4"][:, -1] - 0.05  # behind random search's 80 on every seed
    both.tpe["t9"][:] = 0.4  # below the defaults and every random split
    text = "\n".join(half.section(both, [a, b], None))
    d = text.split("- (d)")[1].split("\n")[0]
    assert "t4 (" in d and "t9 (" in d and "t1 (" not in d
    assert "worse on 1 (t9)" in text.split("- (f)")[1]
    assert {"t4", "t9"} <= set(half.worst_below(both, 3))
    assert "`a` alone" in text and "`b` alone" in text


@pytest.mark.parametrize("shift, met", [(0.2, True), (-0.2, False)])
def test_the_lead_says_the_verdict_and_the_second_look(half: ModuleType, shift: float, met: bool) -> None:
    fresh = half.suite_of("fresh", _rows(half, TASKS, shift), TASKS)
    old = half.suite_of("old", _rows(half, ["o1", "o2", "o3"], 0.0, seed=2), ["o1", "o2", "o3"])
    text = half.bullet(fresh, old)
    assert text.startswith("- **Half the trials, on 12 fresh tasks**")
    assert ("**met**" if met else "**not met**") in text.split("; with the")[0]
    assert "(15 tasks, a second look" in text
    assert "; with the" not in half.bullet(fresh, None)


def test_the_secondary_readings_at_their_budgets(half: ModuleType) -> None:
    s = half.suite_of("made_up", _rows(half, TASKS, 0.0), TASKS)
    for t in TASKS:  # random search at 40 well below its 80 on every split: (c) differs from the primary
        s.random[t][:, 2] = s.random[t][:, 3] - 2 * s.scale[t]
    s.random["t2"][0, 2] = 0.0  # random search's worst at 40 far down on one task, not at 80
    s.tpe["t6"][:] = s.random["t6"][:, 3] + 0.05  # ahead of random search's 80 on every split
    c = half.pooled(s, 40)
    by_hand = np.mean([np.mean((s.tpe[t] - s.random[t][:, 2]) / s.scale[t]) for t in TASKS])
    assert c.diff == pytest.approx(by_hand) and c.diff > 1.5 and c.ahead == len(TASKS)
    assert "t2" not in half.worst_below(s, 2) and set(half.worst_below(s, 2)) < set(half.worst_below(s, 3))
    text = "\n".join(half.section(s, [s], None))
    assert f"(c) Against random search at 40 candidates too: {c.diff:+.3f}" in text
    assert "t6" not in text.split("- (d)")[1].split("\n")[0]  # ahead, not behind
    at40, at80 = half.worst_below(s, 2), half.worst_below(s, 3)
    assert not at40 and len(half.worst_below(s, 1)) > 0  # so (e) at 20 would read otherwise
    assert f"worst at 40 on 0 tasks, below its worst at 80 on {len(at80)}, below both on 0," in text
    assert "(b)" not in text
    assert "(b) With the confirmation suite's 12 tasks" in "\n".join(half.section(s, [s], _renamed(half, s)))
    raw = np.array([half.paired_p(s.tpe[t], s.random[t][:, 3]) for t in TASKS])
    assert [p for _, _, p, _ in half.per_task(s, {t: s.random[t][:, 3] for t in TASKS})] == list(half.holm(raw))


def _renamed(half: ModuleType, s: object) -> object:
    """``s`` with its tasks renamed, to pool with itself."""
    names = {t: f"x{t}" for t in s.tasks}
    return half.Suite("old", list(names.values()), *({names[t]: v for t, v in getattr(s, f).items()}
                                                     for f in ("random", "tpe", "default", "scale")))


def test_a_score_that_is_not_a_number_is_refused(half: ModuleType) -> None:
    rows = _rows(half, TASKS, 0.0)
    rows[0] = dict(rows[0], test=[0.8, float("nan"), 0.8, 0.8])
    with pytest.raises(ValueError, match="not a number"):
        half.suite_of("made_up", rows, TASKS)


def test_a_run_stored_twice_in_the_file_is_refused(half: ModuleType, tmp_path, monkeypatch) -> None:
    heldout = sys.modules["heldout"]
    monkeypatch.setattr(heldout, "RESULTS", str(tmp_path))
    monkeypatch.setattr(half, "FILES", {"made_up": "made_up"})
    monkeypatch.setattr(half, "SUITES", {"made_up": [SimpleNamespace(name=t) for t in TASKS]})
    rows = _rows(half, TASKS, 0.0)
    with open(tmp_path / "made_up.jsonl", "w") as fh:
        fh.write(json.dumps({"provenance": {}, "argv": []}) + "\n")
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    assert half.load_suite("made_up").tasks == TASKS
    with open(tmp_path / "made_up.jsonl", "a") as fh:  # a --redo of one run: load_rows would keep the last
        fh.write(json.dumps(rows[0]) + "\n")
    with pytest.raises(ValueError, match="run twice"):
        half.load_suite("made_up")


def test_a_horizon_below_one_is_refused_before_any_run(half: ModuleType) -> None:
    with pytest.raises(SystemExit):
        sys.modules["heldout"].main(["--horizon", "0.5", "--suite", "confirm-3", "--file", "never_written"])


def test_the_confirmation_suite_reads_as_its_own_reader_does(half: ModuleType, confirm: ModuleType) -> None:
    tab = confirm.load_confirm()
    if tab is None:
        pytest.skip("the confirmation run's rows are not in this checkout")
    r, _ = confirm.primary(tab)
    ours = half.primary(half.confirm_suite())[0]
    assert (ours.diff, ours.low, ours.high) == pytest.approx((r.diff, r.low, r.high))


def test_splits_at_chance_are_counted_against_random_search_at_the_same_budget(half: ModuleType) -> None:
    s = half.suite_of("made_up", _rows(half, TASKS, 0.0), TASKS)
    dummies = {t: np.full(len(half.SEEDS), 0.0) for t in TASKS}  # nothing at chance
    assert half.chance_splits(s, dummies) == (0, 0, 0, 0, 0, ())
    s.tpe["t1"][:3] = 0.0  # three TPESearchCV splits at chance on t1 (equal to the dummy's: at)
    s.random["t1"][2, 2] = -1.0  # one of them random search's at 40 too
    s.random["t5"][0, 3] = -1.0  # random search at 80 only, on t5
    c = half.chance_splits(s, dummies)
    assert c == (3, 1, 1, 2, 0, ("t1",))
    assert "ends on 3 of 240 splits, random search on 1 at 40 and 1 at 80" in half.chance_line(c, 240)


def test_the_reading_waits_for_both_suites_and_says_what_is_missing(half: ModuleType, tmp_path,
                                                                    monkeypatch) -> None:
    monkeypatch.setattr(sys.modules["heldout"], "RESULTS", str(tmp_path))
    monkeypatch.setattr(half, "FILES", {"a": "made_a", "b": "made_b"})
    monkeypatch.setattr(half, "SUITES", {"a": [SimpleNamespace(name=t) for t in TASKS[:6]],
                                         "b": [SimpleNamespace(name=t) for t in TASKS[6:]]})
    assert half.read() is None and half.lines(None) == []  # no row yet: nothing to say
    rows_b = [r for r in _rows(half, TASKS[6:], 0.0) if half._method_of(r)]
    for name, rows in (("made_a", _rows(half, TASKS[:6], 0.0)), ("made_b", rows_b[:-1])):
        with open(tmp_path / f"{name}.jsonl", "w") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in rows)
    assert half.read() is None  # one row of b missing
    text = "\n".join(half.lines(None))
    assert f"`a` {3 * 6 * len(half.SEEDS)} of {3 * 6 * len(half.SEEDS)} rows" in text
    assert f"`b` {3 * 6 * len(half.SEEDS) - 1} of {3 * 6 * len(half.SEEDS)} rows" in text
    with open(tmp_path / "made_b.jsonl", "a") as fh:
        fh.write(json.dumps(rows_b[-1]) + "\n")
    reading = half.read(confirm=None)
    assert [p.name for p in reading.parts] == ["a", "b"] and reading.fresh.tasks == TASKS
    assert half.lead_bullet(reading).startswith("- **Half the trials, on 12 fresh tasks**")
    assert half.lead_bullet(None) is None
