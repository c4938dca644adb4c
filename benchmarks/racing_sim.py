"""How often racing drops a candidate that is better than the incumbent, on simulated folds.

Normal fold scores: the incumbent's ``f + e``, the candidate's ``mu + f + e'``, with
``f`` shared by both (so their fold scores correlate at ``rho``) and ``e``, ``e'``
their own noise; the fold sd is 1, 5 folds, and ``mu`` is the candidate's true
advantage in multiples of racing's margin (half a standard error of the incumbent's
mean, 0.5 / sqrt(5)). Printed: the share of searches in which
``sktpe._racing.worse_than_incumbent`` drops the candidate at its first look (after
2 folds) and at any of its three looks (after 2, 3 and 4 folds).

Run: ``python benchmarks/racing_sim.py [--runs 5000] [--seed 7]``; the numbers in
docs/guide/racing.md ("The risk") are its output with the defaults.
"""

import argparse
import math

import numpy as np

from sktpe._racing import MARGIN, worse_than_incumbent

K = 5


def drop_rates(rho: float, advantage: float, runs: int, rng: np.random.Generator) -> tuple[float, float]:
    """(first look, any look) drop rates for a candidate ``advantage`` margins better."""
    shared, own = math.sqrt(rho), math.sqrt(1 - rho)
    mu = advantage * MARGIN / math.sqrt(K)
    f = rng.normal(0, shared, (runs, K))
    inc = f + rng.normal(0, own, (runs, K))
    cand = mu + f + rng.normal(0, own, (runs, K))
    first = np.mean([worse_than_incumbent(c[:2], i, K) for c, i in zip(cand, inc)])
    ever = np.mean([any(worse_than_incumbent(c[:k], i, K) for k in range(2, K)) for c, i in zip(cand, inc)])
    return float(first), float(ever)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    print("| fold correlation | advantage (margins) | dropped at the first look | dropped at any look |")
    print("|---|---|---|---|")
    for rho in (0.0, 0.5, 0.9, 0.9999):
        for advantage in (0.0, 1.1, 2.0):
            first, ever = drop_rates(rho, advantage, args.runs, rng)
            print(f"| {rho} | {advantage} | {first:.3f} | {ever:.3f} |")


if __name__ == "__main__":
    main()
