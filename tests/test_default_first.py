"""Round 23's reading (``benchmarks/default_first.py``) on made-up ``heldout.py`` rows: the
estimator as given is returned only where its mean CV score beats the search's best (a tie
keeps the search's model), the arms pair at equal fits, and the reading waits for every stated
task and seed. No search runs here."""

from __future__ import annotations

from types import ModuleType

import pytest


def _rows(m: ModuleType, tasks: int, seeds: int, given_cv: float, given_test: float,
          source: str = "abc") -> tuple[list[dict], list[dict]]:
    rows, defaults = [], []
    for t in range(tasks):
        for s in range(seeds):
            defaults.append({"method": "tpe", "variant": "", "task": f"t{t}", "seed": s,
                             "budgets": list(m.BUDGETS), "cv_best": [0.90, 0.91],
                             "test": [0.80, 0.82], "sktpe": "abc"})
            rows.append({"method": "tpe", "variant": m.VARIANT, "task": f"t{t}", "seed": s,
                         "budgets": [b - 1 for b in m.BUDGETS], "cv_best": [0.90, 0.91],
                         "test": [0.79, 0.81], "sktpe": source})
            rows.append({"method": "default-cv", "variant": "", "task": f"t{t}", "seed": s,
                         "budgets": [0], "cv_best": [given_cv], "test": [given_test + 0.001 * t]})
    return rows, defaults


def _stated(m: ModuleType, tasks: int, seeds: int) -> object:
    return m.Stated(frozenset(f"t{t}" for t in range(tasks)), tuple(range(seeds)))


def test_the_estimator_as_given_is_returned_where_its_cv_score_is_larger(default_first: ModuleType) -> None:
    m = default_first
    rows, defaults = _rows(m, 2, 1, given_cv=0.905, given_test=0.9)
    cells = m.cells(rows, defaults)
    # above the search's best of 19 (0.90), not of 39 (0.91)
    assert cells["t0", 0, 20] == {"top": 0.80, "rule": 0.9, "given": 1.0}
    assert cells["t0", 0, 40] == {"top": 0.82, "rule": 0.81, "given": 0.0}
    tie, _ = _rows(m, 1, 1, given_cv=0.90 + 1e-15, given_test=0.9)
    assert m.cells(tie, defaults)["t0", 0, 20]["given"] == 0.0  # a tie keeps the search's


def test_reads_gain_count_and_criterion(default_first: ModuleType) -> None:
    m = default_first
    scale = {f"t{t}": 0.1 for t in range(6)}
    rows, defaults = _rows(m, 6, 3, given_cv=0.99, given_test=0.83)
    out = m.read(rows, defaults, scale, _stated(m, 6, 3))
    table = [line for line in out if line.startswith("| 2") or line.startswith("| 4")]
    # 0.83 + 0.001 * 2.5 (the mean over the tasks) minus 0.80 at 20 and 0.82 at 40, in sd 0.1
    assert [line.split("|")[2].split()[0] for line in table] == ["+0.325", "+0.125"]
    assert all("18 of 18" in line and "6 / 0" in line for line in table)
    assert out[-1].endswith(": passed")
    rows, defaults = _rows(m, 6, 3, given_cv=0.99, given_test=0.81)  # ahead at 20 only
    assert m.read(rows, defaults, scale, _stated(m, 6, 3))[-1].endswith(": not passed")


def test_waits_and_refuses_mixed_sources(default_first: ModuleType) -> None:
    m = default_first
    rows, defaults = _rows(m, 2, 2, given_cv=0.5, given_test=0.5)
    scale = {"t0": 1.0, "t1": 1.0}
    assert m.read(rows, defaults, scale, _stated(m, 3, 2))[0].startswith("not yet")
    no_given = [r for r in rows if not (r["method"] == "default-cv" and r["seed"] == 1)]
    assert m.read(no_given, defaults, scale, _stated(m, 2, 2))[0].startswith("not yet")
    other, _ = _rows(m, 2, 2, given_cv=0.5, given_test=0.5, source="xyz")
    with pytest.raises(ValueError, match="sources"):
        m.cells(other, defaults)
    rows[1]["cv_best"] = [float("nan")]  # the estimator as given's CV score: not compared silently
    with pytest.raises(ValueError, match="not a number"):
        m.cells(rows, defaults)
