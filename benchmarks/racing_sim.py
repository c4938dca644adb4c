"""How often racing drops a candidate that is better than the incumbent, on simulated folds.

Normal fold scores: the incumbent's ``f + e``, the candidate's ``mu + f + e'``, with
``f`` shared by both (so their fold scores correlate at ``rho``) and ``e``, ``e'``
their own noise; the fold sd is 1, 5 folds, and ``mu`` is the candidate's true
advantage in multiples of racing's margin (half a standard error of the incumbent's
mean, 0.5 / sqrt(5)). Printed: the share of searches in which
``sktpe._racing.worse_than_incumbent`` drops the candidate at its first look (after
2 folds) and at any of its three looks (after 2, 3 and 4 folds).

``--rule before`` runs the rule racing had before a candidate ahead of the incumbent
on the folds it ran was kept in the race (``rule_before``: it dropped a candidate
whatever its lead once the test ruled out a lead above the margin).

Run: ``python benchmarks/racing_sim.py [--runs 5000] [--seed 7] [--rule before]``; the
numbers in docs/guide/racing.md ("The risk") are its output with the defaults, for
each rule.
"""

import argparse
import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from sktpe._racing import ALPHA, MARGIN, worse_than_incumbent

K = 5


def rule_before(scores: np.ndarray, incumbent: np.ndarray, n_splits: int) -> bool:
    """Racing's test before a lead on the folds run kept a candidate in the race (finite
    scores only, as simulated here)."""
    n = len(scores)
    if n < 2 or n >= n_splits:
        return False
    d = incumbent[:n] - scores
    delta = MARGIN * incumbent.std(ddof=1) / math.sqrt(len(incumbent))
    shortfall = d.mean() + delta
    if not shortfall > 0:
        return False
    tol = 1e-12 * max(float(np.abs(incumbent[:n]).max()), float(np.abs(scores).max()))
    if np.ptp(d) <= tol:
        return bool(d.mean() > tol)
    t = shortfall / (d.std(ddof=1) / math.sqrt(n))
    return bool(stats.t.sf(t, n - 1) < ALPHA)


def drop_rates(rho: float, advantage: float, runs: int, rng: np.random.Generator,
               rule: Callable[[np.ndarray, np.ndarray, int], bool] = worse_than_incumbent
               ) -> tuple[float, float]:
    """(first look, any look) drop rates for a candidate ``advantage`` margins better."""
    shared, own = math.sqrt(rho), math.sqrt(1 - rho)
    mu = advantage * MARGIN / math.sqrt(K)
    f = rng.normal(0, shared, (runs, K))
    inc = f + rng.normal(0, own, (runs, K))
    cand = mu + f + rng.normal(0, own, (runs, K))
    first = np.mean([rule(c[:2], i, K) for c, i in zip(cand, inc)])
    ever = np.mean([any(rule(c[:k], i, K) for k in range(2, K)) for c, i in zip(cand, inc)])
    return float(first), float(ever)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rule", choices=["now", "before"], default="now")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    rule = worse_than_incumbent if args.rule == "now" else rule_before
    print("| fold correlation | advantage (margins) | dropped at the first look | dropped at any look |")
    print("|---|---|---|---|")
    for rho in (0.0, 0.5, 0.9, 0.9999):
        for advantage in (0.0, 1.1, 2.0):
            first, ever = drop_rates(rho, advantage, args.runs, rng, rule)
            print(f"| {rho} | {advantage} | {first:.3f} | {ever:.3f} |")


if __name__ == "__main__":
    main()
