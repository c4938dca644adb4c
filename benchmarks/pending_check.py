"""Same information, two ways of asking TPESampler: ``ask(k)`` as one batch, or ``k x ask(1)``.

In both, ``k`` candidates are proposed before any of them is told, then all
are told their true (noise-free) value; only the treatment of the pending
candidates differs. Within one ``ask(k)``, each pick joins g(x) as a narrow
kernel (``_pick_width``); across calls, a trial still pending from an earlier
``ask`` joins it with an observation's width (``_pending_width``). The
asynchronous policy (``batch_size='async'``) asks one at a time with about
W / n_splits candidates running, so those with no fold back get the second
treatment (those with folds back are told provisionally, which this check
leaves out). 20 seeds, 256 trials, 16 start-up trials, k = 12 (W = 64 with 5
folds); paired Wilcoxon test.

History: until stop 27 a trial pending from an earlier ask was a full-width
bad observation (part of g's estimator); then, until stop 30, a narrow pick
exactly like ``ask(k)``'s, so the two ways of asking proposed the same.

    python benchmarks/pending_check.py > benchmarks/results/pending_check.txt
"""

from __future__ import annotations

import os
import sys

import numpy as np
from scipy.stats import wilcoxon

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_problems import PROBLEMS  # noqa: E402

from sktpe import TPESampler  # noqa: E402


def final_regret(problem: str, seed: int, k: int, n: int, one_by_one: bool) -> float:
    """Regret after ``n`` trials proposed ``k`` at a time (one call, or ``k`` calls)."""
    pb = PROBLEMS[problem]
    # The joint model in both arms: with the default multivariate='auto' the
    # k calls would switch to independent densities from 8 pending trials.
    sampler = TPESampler(pb.space, n_startup_trials=16, random_state=seed, multivariate=True)
    best = -np.inf
    while len(sampler.params_) < n:
        params = [sampler.ask(1)[0] for _ in range(k)] if one_by_one else sampler.ask(k)
        values = [pb.true(p) for p in params]
        sampler.tell(params, values)
        best = max(best, max(values))
    return pb.optimum - best


def main() -> None:
    """Print one line per problem."""
    for problem in ("hartmann6", "boosting", "mixed", "styblinski8"):
        a = [final_regret(problem, s, 12, 256, False) for s in range(20)]
        b = [final_regret(problem, s, 12, 256, True) for s in range(20)]
        print(f"{problem}: mean regret ask(12) {np.mean(a):.4g}, 12 x ask(1) {np.mean(b):.4g}; "
              f"ask(12) lower in {sum(x < y for x, y in zip(a, b))}/20 seeds, "
              f"Wilcoxon p = {wilcoxon(a, b).pvalue:.3g}")


if __name__ == "__main__":
    main()
