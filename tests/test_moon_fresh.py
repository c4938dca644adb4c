"""Round 25's reading (``benchmarks/moon_fresh.py``) on made-up ``heldout.py`` rows: which rows
are the stated arms, that nothing is read until every arm holds every seed and task, that each
of the moonshot's three tests reads the right end of its interval, and what the secondary
readings name. No search runs here."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

TASKS = [f"t{i}" for i in range(12)]


def _rows(moon: ModuleType, tasks: list[str], tpe: float = 0.0, optuna: float = 0.0,
          optimism: float = 0.0, seed: int = 0, optuna_optimism: float = 0.0) -> list[dict]:
    """Every arm's rows: random search's test scores noise around 0.8 (its best CV score 0.01
    above each), Optuna's ``optuna`` task sd above random search's at every budget, TPESearchCV's
    at 80 ``tpe`` task sd above random search's at 80 (at 40, the same as random search's at 40),
    each sktpe best CV score ``optimism`` task sd further above its test score than random
    search's (Optuna's ``optuna_optimism`` task sd further); plus rows of other runs that are
    not arms."""
    rng = np.random.default_rng(seed)
    out = []
    n = len(moon.SEEDS)
    for t in tasks:
        r = rng.normal(0.8, 0.02, size=(n, len(moon.RANDOM_BUDGETS)))
        sd = float(np.std(r))
        o = r + sd * (optuna + rng.normal(0, 0.01, size=r.shape))
        for i, s in enumerate(moon.SEEDS):
            t80 = r[i, -1] + sd * (tpe + rng.normal(0, 0.01))
            t40 = r[i, 2] + sd * rng.normal(0, 0.01)
            out += [{"method": "random", "variant": "", "task": t, "seed": s, "budgets": list(moon.RANDOM_BUDGETS),
                     "test": list(r[i]), "cv_best": list(r[i] + 0.01)},
                    {"method": "optuna", "variant": "", "task": t, "seed": s, "budgets": list(moon.OPTUNA_BUDGETS),
                     "test": list(o[i]), "cv_best": list(o[i] + 0.01 + sd * optuna_optimism)},
                    {"method": "tpe", "variant": "", "task": t, "seed": s, "budgets": [moon.TPE_BUDGET],
                     "test": [t80], "cv_best": [t80 + 0.01 + sd * optimism], "sktpe": moon.SKTPE},
                    {"method": "tpe", "variant": "", "task": t, "seed": s, "budgets": [40],
                     "test": [t40], "cv_best": [t40 + 0.01], "sktpe": moon.SKTPE},
                    {"method": "default", "variant": "", "task": t, "seed": s, "budgets": [0],
                     "test": [0.5], "cv_best": [float("nan")]},
                    {"method": "tpe", "variant": "reevaluate", "task": t, "seed": s, "budgets": [moon.TPE_BUDGET],
                     "test": [0.0], "cv_best": [0.0], "sktpe": moon.SKTPE},
                    {"method": "tpe", "variant": "", "task": t, "seed": s, "budgets": [40, 80],
                     "test": [0.0, 0.0], "cv_best": [0.0, 0.0], "sktpe": "another"}]
    return out


def test_reads_the_arms_and_waits_for_every_row(moon: ModuleType) -> None:
    rows = _rows(moon, TASKS)
    m = moon.moon_of("made_up", rows, TASKS)
    assert m.tasks == TASKS and set(m.test) == set(moon.ARMS)
    assert m.test["optuna"]["t3"].shape == (len(moon.SEEDS), 4) and m.test["tpe"]["t3"].shape == (len(moon.SEEDS), 1)
    assert (m.at("tpe", moon.TPE_BUDGET, "t3") > 0.5).all()  # rows of other runs are not read as arms
    assert m.scale["t3"] == pytest.approx(np.std(m.test["random"]["t3"]))
    assert m.optimism("random", 80, "t3") == pytest.approx(np.full(len(moon.SEEDS), 0.01))
    missing = [r for r in rows if not (r["method"] == "optuna" and r["task"] == "t5" and r["seed"] == 7)]
    assert moon.moon_of("made_up", missing, TASKS) is None
    with pytest.raises(ValueError, match="run twice"):
        moon.moon_of("made_up", rows + rows[2:3], TASKS)
    other = dict(rows[3], sktpe="0123456789ab")  # TPESearchCV at 40 of another source
    with pytest.raises(ValueError, match="not the stated"):
        moon.moon_of("made_up", [r for r in rows if r is not rows[3]] + [other], TASKS)
    for field in ("test", "cv_best"):
        bad = dict(rows[1], **{field: [0.8, 0.8, float("-inf"), 0.8]})
        with pytest.raises(ValueError, match=f"{field} that is not a number"):
            moon.moon_of("made_up", [r for r in rows if r is not rows[1]] + [bad], TASKS)


def test_every_part_of_the_moonshot_is_needed(moon: ModuleType) -> None:
    met = moon.moonshot(moon.moon_of("m", _rows(moon, TASKS, tpe=0.5, optuna=0.0, optimism=-0.5), TASKS))
    assert met.parts == (True, True, True) and met.met
    assert met.random.diff == pytest.approx(0.5, abs=0.05) and met.optimism_random.diff == pytest.approx(-0.5, abs=0.05)
    # Optuna as far ahead of random search as TPESearchCV: (2) fails alone
    level = moon.moonshot(moon.moon_of("m", _rows(moon, TASKS, tpe=0.5, optuna=0.5, optimism=-0.5), TASKS))
    assert level.parts[0] and not level.parts[1] and level.parts[2] and not level.met
    # a larger optimism than both: (3) fails alone
    over = moon.moonshot(moon.moon_of("m", _rows(moon, TASKS, tpe=0.5, optuna=0.0, optimism=0.5), TASKS))
    assert over.parts == (True, True, False) and not over.met
    # behind random search: (1) fails, whatever Optuna does
    behind = moon.moonshot(moon.moon_of("m", _rows(moon, TASKS, tpe=-0.5, optuna=-1.0, optimism=-0.5), TASKS))
    assert behind.parts == (False, True, True) and not behind.met
    # an optimism smaller than random search's but larger than Optuna's: (3) fails
    optuna_less = moon.moonshot(moon.moon_of("m", _rows(moon, TASKS, tpe=0.5, optimism=-0.5, optuna_optimism=-1.0),
                                             TASKS))
    assert optuna_less.optimism_random.high < 0 < optuna_less.optimism_optuna.low
    assert optuna_less.parts == (True, True, False)
    # and the reverse
    random_less = moon.moonshot(moon.moon_of("m", _rows(moon, TASKS, tpe=0.5, optimism=0.5, optuna_optimism=1.0),
                                             TASKS))
    assert random_less.optimism_optuna.high < 0 < random_less.optimism_random.low
    assert random_less.parts == (True, True, False)


def test_each_part_reads_the_right_end(moon: ModuleType) -> None:
    """An interval across 0 shows nothing, whichever way its mean leans."""
    from half_fresh import Pooled

    across_up, across_down = Pooled(80, 0.02, -0.01, 0.05, 0.2, 45, 35), Pooled(80, -0.02, -0.05, 0.01, 0.2, 35, 45)
    above, below = Pooled(80, 0.3, 0.1, 0.5, 0.001, 60, 20), Pooled(80, -0.3, -0.5, -0.1, 0.001, 20, 60)
    assert moon.Moonshot(above, above, below, below).parts == (True, True, True)
    assert moon.Moonshot(across_up, above, below, below).parts == (False, True, True)
    assert moon.Moonshot(above, across_up, below, below).parts == (True, False, True)
    assert moon.Moonshot(above, above, across_down, below).parts == (True, True, False)
    assert moon.Moonshot(above, above, below, across_down).parts == (True, True, False)


def test_secondary_readings_name_the_cells(moon: ModuleType) -> None:
    rows = _rows(moon, TASKS, tpe=0.5, optuna=0.0)
    for r in rows:  # Optuna far ahead on t0 at every budget, and its worst split high there
        if r["method"] == "optuna" and r["task"] == "t0":
            r["test"], r["cv_best"] = [x + 1.0 for x in r["test"]], [x + 1.0 for x in r["cv_best"]]
        if r["method"] == "tpe" and r["task"] == "t1" and r["seed"] == 0 and r["budgets"] == [moon.TPE_BUDGET]:
            r["test"] = [0.1]  # one split far below every peer's worst
    m = moon.moon_of("m", rows, TASKS)
    cells = moon.against_optuna(m)
    assert len(cells) == 2 * len(TASKS)
    behind = {(t, b) for t, b, g, p, side in cells if p < 0.05 and side < 0}
    assert behind == {("t0", 40), ("t0", 80)}
    assert not any(p < 0.05 for t, b, g, p, side in cells if t != "t0" and b == 40)  # level at 40
    assert {"t0", "t1"} <= set(moon.worst_below(m, "optuna")) and "t1" in moon.worst_below(m, "random")
    assert "t0" not in moon.worst_below(m, "random")
    assert all(side > 0 and p < 0.05 for t, g, p, side in moon.against_random(m))
    assert set(moon.worst_below(m, "optuna")) & set(moon.worst_below(m, "random")) == {"t1"}
    e = moon.score_gap(m, "optuna", 40, "random", 80)  # (e): Optuna at 40 minus random search at 80
    assert e.n_tasks == len(TASKS) and e.diff == pytest.approx(
        np.mean([np.mean(m.at("optuna", 40, t) - m.at("random", 80, t)) / m.scale[t] for t in TASKS]))
    text = "\n".join(moon.section(m, [m]))
    assert "TPESearchCV significantly ahead on t0" in text and "random search significantly ahead on none" in text
    assert "(d) TPESearchCV's worst split at 80 below Optuna's worst at 80 on " in text and "below both on 1," in text
    assert moon.mean_optimism(m, "optuna") == pytest.approx(np.mean([0.01 / m.scale[t] for t in TASKS]))
    assert moon.score_gap(m, "tpe", 80, "tpe40", 40).diff > 0.3  # what the second 40 buy, here +0.5


def test_the_page_and_the_lead_say_the_verdict(moon: ModuleType) -> None:
    half = [moon.moon_of("confirm-2", _rows(moon, TASKS[:6], tpe=0.5, optimism=-0.5), TASKS[:6]),
            moon.moon_of("confirm-3", _rows(moon, TASKS[6:], tpe=0.5, optimism=-0.5, seed=1), TASKS[6:])]
    lines = moon.lines(half)
    assert lines[0].startswith("## The moonshot, on the 12 tasks of round 24")
    assert "- **The moonshot: met.**" in lines
    assert sum(line.startswith("- (a)") for line in lines) == 2
    assert "Optuna significantly ahead on none" in "\n".join(lines)
    assert "is **met**" in moon.lead_bullet(half)
    worse = [moon.moon_of(name, _rows(moon, tasks, tpe=0.0, seed=i), tasks)
             for i, (name, tasks) in enumerate((("confirm-2", TASKS[:6]), ("confirm-3", TASKS[6:])))]
    assert "- **The moonshot: not met.**" in moon.lines(worse) and "is **not met**" in moon.lead_bullet(worse)
    assert moon.lead_bullet(None) is None
    assert "(of the three parts, none is shown)" in moon.lead_bullet(worse)
    with pytest.raises(ValueError, match="no task in common"):
        moon.joined([half[0], half[0]])


def test_nothing_is_read_before_the_runs_are_written_down(moon: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moon, "RUNS", "")
    assert moon.read() is None
