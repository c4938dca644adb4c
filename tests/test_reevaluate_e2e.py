"""Round 20's reading (``benchmarks/reevaluate_e2e.py``) on made-up ``heldout.py`` rows: the
arms are paired at equal fits (``b - 5`` re-evaluating candidates against ``b``), and a gain
or a loss shows with its sign. No search runs here."""

from __future__ import annotations

from types import ModuleType

import numpy as np


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


def test_criterion_line_follows_the_gain(e2e: ModuleType) -> None:
    scale = {f"t{t}": 0.1 for t in range(8)}
    assert e2e.read(_rows(e2e, 8, 3, gain=0.01), scale)[-1].endswith(": passed")
    assert e2e.read(_rows(e2e, 8, 3, gain=-0.01), scale)[-1].endswith(": not passed")
    assert e2e.read(_rows(e2e, 8, 3, gain=0.0), scale)[-1].endswith(": not passed")


def test_confirm_scale_is_the_defaults_spread_alone(e2e: ModuleType) -> None:
    rows = _rows(e2e, 3, 4, gain=0.0)
    scale = e2e.defaults_scale(rows)
    for t in range(3):
        tests = [x for r in rows if r["task"] == f"t{t}" and r["variant"] == "" for x in r["test"]]
        assert scale[f"t{t}"] == np.std(tests) > 0
    moved = [dict(r, test=[x + 5.0 for x in r["test"]]) if r["variant"] == e2e.VARIANT else r
             for r in rows]
    assert e2e.defaults_scale(moved) == scale  # the option's scores do not set the scale
    flat = [dict(r, test=[0.5, 0.5]) if r["variant"] == "" else r for r in rows]
    assert set(e2e.defaults_scale(flat).values()) == {1.0}  # never moves: 1, not a division by 0
