"""Round 19's test of re-evaluation with its fits charged (``benchmarks/charged_reevaluation.py``)
on made-up rows: which candidate the rule returns, and the stated reading and criterion. No test
here runs a search or needs the data (the ``bench`` extra)."""

from __future__ import annotations

from types import ModuleType

import numpy as np


def test_rule_looks_only_at_the_first_candidates_top_and_both_folds(charged: ModuleType) -> None:
    top = charged.TOP
    n = top + 3
    means = np.linspace(0.5, 0.9, n + 2)  # the last two are beyond the first n: never chosen
    folds = np.repeat(means[:, None], 5, axis=1)
    best_first = np.argsort(-means[:n])[:top]
    second = {int(i): np.full(5, 0.1) for i in best_first}
    worst_of_top = int(best_first[-1])
    second[worst_of_top] = np.full(5, 1.0)  # its second folds lift it above the others
    assert charged.top_by_both(means, folds, second, n) == worst_of_top
    # failed on the second folds: its mean over the finite scores is its first mean alone
    # (0.63), still above the others' means over both sets (at most (0.86 + 0.1) / 2)
    second[worst_of_top] = np.full(5, np.nan)
    assert charged.top_by_both(means, folds, second, n) == worst_of_top
    for i in second:  # every second fold equal: the best first mean
        second[i] = np.full(5, 0.5)
    assert charged.top_by_both(means, folds, second, n) == int(best_first[0])


def _rows(charged: ModuleType, tasks: int, seeds: int, gain: float) -> list[dict]:
    rng = np.random.default_rng(1)
    out = []
    for t in range(tasks):
        for s in range(seeds):
            for b in charged.BUDGETS:
                top = 0.8 + rng.normal(0, 0.01)
                out.append({"task": f"t{t}", "seed": s, "n_iter": b,
                            "test": {"top": top, "top_first": top - 0.01,
                                     "rule": top + gain + rng.normal(0, 0.01)}})
    return out


def test_reading_passes_a_clear_gain_and_not_a_loss(charged: ModuleType) -> None:
    scale = {f"t{t}": 0.1 for t in range(8)}
    ahead = charged.read(_rows(charged, 8, 4, gain=0.02), scale)
    assert ahead[-1].endswith(": passed")
    rows = [line for line in ahead if line.startswith("| ") and line[2].isdigit()]
    assert [int(r.split("|")[1]) for r in rows] == list(charged.BUDGETS)
    assert all(float(r.split("|")[2].split()[0]) > 0.1 for r in rows)  # +0.02 in sd 0.1: about +0.2
    assert all(float(r.split("|")[5]) < 0 for r in rows)  # fewer candidates, the top mean lower
    behind = charged.read(_rows(charged, 8, 4, gain=-0.02), scale)
    assert behind[-1].endswith(": not passed")


def test_reading_waits_for_a_complete_seed(charged: ModuleType) -> None:
    rows = [r for r in _rows(charged, 2, 1, gain=0.0) if r["n_iter"] == charged.BUDGETS[0]]
    assert charged.read(rows, {"t0": 1.0, "t1": 1.0}) == ["no complete seed yet"]
