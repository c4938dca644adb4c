"""Round 22's reading (``benchmarks/spread_e2e.py``) on made-up ``heldout.py`` rows: the
variant ``spread`` is paired with the defaults at the same ``n_iter``, the reading waits for
every stated task and seed, and a gain or a loss shows with its sign. No search runs here."""

from __future__ import annotations

from types import ModuleType

import numpy as np


def _rows(spread: ModuleType, tasks: int, seeds: int, gain: float) -> list[dict]:
    rng = np.random.default_rng(3)
    out = []
    for t in range(tasks):
        for s in range(seeds):
            base = 0.8 + rng.normal(0, 0.01, size=2)
            for variant, test in (("", base), (spread.VARIANT, base + gain + rng.normal(0, 0.002, size=2)),
                                  ("lcb", np.zeros(2))):  # another variant's row is not an arm
                out.append({"method": "tpe", "variant": variant, "task": f"t{t}", "seed": s,
                            "budgets": list(spread.BUDGETS), "test": list(test),
                            "seconds": [10.0, 20.0] if variant == "" else [12.0, 22.0],
                            "n_fits": [100, 200]})
    return out


def _stated(spread: ModuleType, tasks: int, seeds: int) -> object:
    return spread.Stated(frozenset(f"t{t}" for t in range(tasks)), tuple(range(seeds)))


def _table(lines: list[str]) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")[1:-1]] for line in lines
            if line.startswith("| ") and line[2].isdigit()]


def test_reads_the_sign_and_the_criterion(spread: ModuleType) -> None:
    scale = {f"t{t}": 0.1 for t in range(8)}
    ahead = spread.read(_rows(spread, 8, 4, gain=0.01), scale, _stated(spread, 8, 4))
    rows = _table(ahead)
    assert [int(r[0]) for r in rows] == list(spread.BUDGETS)
    assert all(0.05 < float(r[1].split()[0]) < 0.15 and r[3] == "8 / 0" for r in rows)
    assert [r[4] for r in rows] == ["1.20", "1.10"]  # 12 / 10 s and 22 / 20 s
    assert ahead[-1].endswith(": passed")
    behind = spread.read(_rows(spread, 8, 4, gain=-0.01), scale, _stated(spread, 8, 4))
    assert all(float(r[1].split()[0]) < 0 and r[3] == "0 / 8" for r in _table(behind))
    assert behind[-1].endswith(": not passed")


def test_waits_for_every_stated_task_and_seed(spread: ModuleType) -> None:
    rows = _rows(spread, 3, 2, gain=0.0)
    scale = {f"t{t}": 1.0 for t in range(3)}
    assert spread.read(rows, scale, _stated(spread, 4, 2))[0].startswith("not yet")
    assert spread.read(rows, scale, _stated(spread, 3, 3))[0].startswith("not yet")
    missing = [r for r in rows if not (r["task"] == "t0" and r["seed"] == 1 and r["variant"])]
    assert spread.read(missing, scale, _stated(spread, 3, 2))[0].startswith("not yet")


def test_counts_worst_seeds_both_ways(spread: ModuleType) -> None:
    rows = _rows(spread, 2, 3, gain=0.0)
    for r in rows:  # the variant's worst seed on t0 falls far below the defaults'
        if r["task"] == "t0" and r["seed"] == 0 and r["variant"] == spread.VARIANT:
            r["test"] = [0.1, 0.1]
    pairs = spread.arms(rows, spread.VARIANT, 0, spread.BUDGETS)
    tasks, seeds = spread.complete_seeds(pairs, spread.BUDGETS)
    assert tasks == ["t0", "t1"] and seeds == [0, 1, 2]
    assert spread.worst_below(pairs, ["t0"], seeds, "rule", "top") == 2  # both budgets
    assert spread.worst_below(pairs, ["t0"], seeds, "top", "rule") == 0
    both = spread.worst_below(pairs, tasks, seeds, "rule", "top") + spread.worst_below(
        pairs, tasks, seeds, "top", "rule")
    assert both == 4  # no ties in the made-up scores: each cell counts one way
