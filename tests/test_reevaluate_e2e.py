"""Round 20's reading (``benchmarks/reevaluate_e2e.py``) on made-up ``heldout.py`` rows: the
arms are paired at equal fits (``b - 5`` re-evaluating candidates against ``b``), and a gain
or a loss shows with its sign. No search runs here."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest


def _rows(e2e: ModuleType, tasks: int, seeds: int, gain: float) -> list[dict]:
    rng = np.random.default_rng(2)
    out = []
    for t in range(tasks):
        for s in range(seeds):
            base = 0.8 + rng.normal(0, 0.01, size=2)
            out.append({"method": "tpe", "variant": "", "task": f"t{t}", "seed": s,
                        "budgets": list(e2e.BUDGETS), "test": list(base),
                        "seconds": [10.0, 20.0], "n_fits": [200, 400]})
            out.append({"method": "tpe", "variant": e2e.VARIANT, "task": f"t{t}", "seed": s,
                        "budgets": [b - e2e.TOP for b in e2e.BUDGETS],
                        "test": list(base + gain + rng.normal(0, 0.005, size=2)),
                        "seconds": [11.0, 21.0], "n_fits": [200, 400]})
            # another variant's row of the same file is not an arm
            out.append({"method": "tpe", "variant": "lcb", "task": f"t{t}", "seed": s,
                        "budgets": list(e2e.BUDGETS), "test": [0.0, 0.0],
                        "seconds": [1.0, 1.0], "n_fits": [1, 1]})
    return out


def _table(lines: list[str]) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")[1:-1]] for line in lines
            if line.startswith("| ") and line[2].isdigit()]


def test_pairs_equal_fits_and_reads_the_sign(e2e: ModuleType) -> None:
    scale = {f"t{t}": 0.1 for t in range(6)}
    ahead = _table(e2e.read(_rows(e2e, 6, 3, gain=0.01), scale))
    assert [int(r[0]) for r in ahead] == list(e2e.BUDGETS)
    assert all(0.05 < float(r[1].split()[0]) < 0.15 for r in ahead)  # +0.01 in sd 0.1: +0.1
    assert all(r[3] == "6 / 0" for r in ahead)
    assert [r[4] for r in ahead] == ["1.000", "1.000"]  # the fits of both arms
    assert [r[5] for r in ahead] == ["1.10", "1.05"]  # 11 / 10 s and 21 / 20 s
    behind = _table(e2e.read(_rows(e2e, 6, 3, gain=-0.01), scale))
    assert all(float(r[1].split()[0]) < 0 and r[3] == "0 / 6" for r in behind)


def test_waits_for_both_arms(e2e: ModuleType) -> None:
    rows = [r for r in _rows(e2e, 2, 1, gain=0.0) if r["variant"] != e2e.VARIANT]
    assert e2e.read(rows, {"t0": 1.0, "t1": 1.0}) == ["no complete seed yet"]


def _stated(e2e: ModuleType, tasks: int, seeds: int) -> object:
    return e2e.Stated(frozenset(f"t{t}" for t in range(tasks)), tuple(range(seeds)))


def test_criterion_line_follows_the_gain(e2e: ModuleType) -> None:
    scale = {f"t{t}": 0.1 for t in range(8)}
    stated = _stated(e2e, 8, 3)
    assert e2e.read(_rows(e2e, 8, 3, gain=0.01), scale, stated=stated)[-1].endswith(": passed")
    assert e2e.read(_rows(e2e, 8, 3, gain=-0.01), scale, stated=stated)[-1].endswith(": not passed")
    assert e2e.read(_rows(e2e, 8, 3, gain=0.0), scale, stated=stated)[-1].endswith(": not passed")
    # round 20 stated no criterion: its reading prints none
    assert not any("Criterion" in line for line in e2e.read(_rows(e2e, 8, 3, gain=0.01), scale))


def test_criterion_needs_both_budgets_ahead(e2e: ModuleType) -> None:
    rows = _rows(e2e, 8, 3, gain=0.0)
    for r in rows:  # the option far ahead at 80, a little behind at 40
        if r["variant"] == e2e.VARIANT:
            r["test"] = [r["test"][0] - 0.002, r["test"][1] + 0.05]
    lines = e2e.read(rows, {f"t{t}": 0.1 for t in range(8)}, stated=_stated(e2e, 8, 3))
    table = _table(lines)
    assert float(table[0][1].split()[0]) < 0 < float(table[1][1].split()[0])
    assert float(table[1][2]) < 0.05  # significant at 80 alone ...
    assert lines[-1].endswith(": not passed")  # ... is not enough


def test_holm_follows_the_budgets(overtune: ModuleType, hr: ModuleType) -> None:
    rng = np.random.default_rng(3)
    per_task = {80: rng.normal(0.5, 1.0, 12), 40: rng.normal(0.0, 1.0, 12), 20: rng.normal(2.0, 1.0, 12)}
    gaps = overtune.gaps_by_budget(per_task)
    assert [g.budget for g in gaps] == [80, 40, 20]
    expected = hr.holm(np.array([overtune._pooled(d)[3] for d in per_task.values()]))
    assert [g.p_holm for g in gaps] == pytest.approx(list(expected))
    assert [(g.ahead, g.behind) for g in gaps] == [(int(np.sum(d > 0)), int(np.sum(d < 0)))
                                                   for d in per_task.values()]


def test_the_stated_reading_waits_for_every_task_and_seed(e2e: ModuleType) -> None:
    scale = {f"t{t}": 0.1 for t in range(4)}
    rows = _rows(e2e, 4, 3, gain=0.01)
    assert e2e.read(rows, scale, stated=_stated(e2e, 4, 3))[-1].endswith(": passed")
    for stated in (_stated(e2e, 5, 3), _stated(e2e, 4, 4)):  # a task, or a seed, missing
        lines = e2e.read(rows, scale, stated=stated)
        assert len(lines) == 1 and lines[0].startswith("not yet the stated reading")


def test_refuses_mixed_sources_and_missing_scores(e2e: ModuleType) -> None:
    rows = _rows(e2e, 2, 2, gain=0.0)
    mixed = [dict(r, sktpe="aaa") for r in rows[:3]] + [dict(r, sktpe="bbb") for r in rows[3:]]
    with pytest.raises(ValueError, match="2 sktpe sources"):
        e2e.read(mixed, {"t0": 1.0, "t1": 1.0})
    nan = [dict(r, test=[float("nan"), r["test"][1]]) if r["variant"] == e2e.VARIANT else r
           for r in rows]
    with pytest.raises(ValueError, match="t0 seed 0 at 40"):
        e2e.read(nan, {"t0": 1.0, "t1": 1.0})


def test_confirm_scale_is_the_defaults_spread_alone(e2e: ModuleType) -> None:
    rows = _rows(e2e, 3, 4, gain=0.0)
    scale = e2e.defaults_scale(rows)
    for t in range(3):
        tests = [x for r in rows if r["task"] == f"t{t}" and r["variant"] == "" for x in r["test"]]
        assert scale[f"t{t}"] == pytest.approx(np.std(tests)) and scale[f"t{t}"] > 0
    moved = [dict(r, test=[x + 5.0 for x in r["test"]]) if r["variant"] == e2e.VARIANT else r
             for r in rows]
    assert e2e.defaults_scale(moved) == scale  # the option's scores do not set the scale
    assert e2e.defaults_scale([r for r in rows if r["variant"] == ""]) == {}  # no complete seed
    flat = [dict(r, test=[0.5, 0.5]) if r["variant"] == "" else r for r in rows]
    assert set(e2e.defaults_scale(flat).values()) == {1.0}  # never moves: 1, not a division by 0
