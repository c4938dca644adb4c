"""Fold effects in the simulator: does correcting provisional scores by fold offsets pay, end to end?

In the asynchronous mode a running candidate is told to the sampler
provisionally from the folds back so far (``TrialStore.report``), each fold
corrected by its offset among the complete trials
(``TrialStore.fold_offsets``). On real tasks folds are easier or harder for
every candidate alike (``benchmarks/fold_offsets.py`` measures a fold main
effect of 7% to 79% of the fold-score variance), which a raw mean of the first
folds mistakes for quality. The simulator of the report draws independent
fold noise, where the correction can only add the noise of its estimate.

This script runs both worlds on seeds never used before (140-179), 16 and 64
workers, every problem of ``cluster_problems.py``:

* ``iid``: the simulator as reported;
* ``fold effect``: the same problem with an offset per (seed, fold), shared
  by all candidates, of sd equal to the problem's fold noise (a fold share of
  about half the variance, the middle of the real tasks).

In each world the waves (``sktpe-waves``) run to their ``n_iter`` (time T);
the asynchronous mode gets the same virtual time T twice: ``async``, shipped,
and ``async-raw``, told the raw mean of the folds back (the design of stop
30). A shared fold offset moves every candidate's mean score alike, so it
does not change what the waves or any search told only finished candidates
does; it reaches only the provisional scores.

Paired Wilcoxon tests over the 40 seeds per (problem, W), Holm within each
world; pooled: per problem the difference of mean regrets over the sd of
both, Wilcoxon over the problems.

    python benchmarks/cluster_sim_fold_effect.py            # runs (2 processes), writes results/cluster_sim_fold_effect.json
    python benchmarks/cluster_sim_fold_effect.py --report   # the tables only
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cluster_problems import PROBLEMS  # noqa: E402
from cluster_sim_confirm import at_waves_time, report, run_grids  # noqa: E402

from sktpe import TPESampler  # noqa: E402
from sktpe._trials import TrialStore  # noqa: E402

OUT = os.path.join(HERE, "results", "cluster_sim_fold_effect.json")
SEEDS = range(140, 180)
WORKERS = (16, 64)
BASE = tuple(PROBLEMS)
SUFFIX = "+fold effect"


def add_fold_effect_problems() -> None:
    """Register each problem again with a shared offset per fold (same name, same noise draws).

    Only when this script runs: the registry is shared with every other
    simulator script, whose reports loop over it.
    """
    for name in BASE:
        PROBLEMS.setdefault(name + SUFFIX, dataclasses.replace(
            PROBLEMS[name], fold_effect=PROBLEMS[name].fold_sd))


class RawMeanStore(TrialStore):
    """Stop 30's design: a running candidate is told the raw mean of its folds back."""

    def fold_offsets(self) -> None:
        """No offsets: the raw mean."""
        return None


def one(job: tuple[str, int, int]) -> dict:
    """Waves, async and async-raw regret at the waves' time T, for one (problem, W, seed)."""
    add_fold_effect_problems()
    return at_waves_time(*job, {"async": (TPESampler, TrialStore),
                                "async-raw": (TPESampler, RawMeanStore)})


def main(argv: list[str] | None = None) -> None:
    """Run the grid (unless ``--report``) and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args(argv)
    if not args.report:
        run_grids(OUT, "python benchmarks/cluster_sim_fold_effect.py", {
            "runs": (one, [(p + world, w, s) for world in ("", SUFFIX) for w in WORKERS
                           for p in BASE for s in SEEDS])})
    with open(OUT) as fh:
        print(fold_effect_report(json.load(fh)))


def fold_effect_report(data: dict) -> str:
    """Markdown: in each world, async against async-raw and both against the waves."""
    out = []
    for world, label in (("", "independent fold noise (the simulator as reported)"),
                         (SUFFIX, "a fold effect shared by all candidates")):
        rows = [dict(r, problem=r["problem"].removesuffix(SUFFIX)) for r in data["runs"]
                if r["problem"].endswith(SUFFIX) == bool(world)]
        out += [f"### World: {label}", "",
                report(rows, (("async", "async-raw"), ("async", "waves"), ("async-raw", "waves")))]
    both = {}
    for r in data["runs"]:
        key = (r["problem"].removesuffix(SUFFIX), r["workers"], r["seed"])
        both.setdefault(key, []).append(r["async"])
    same = sum(len(v) == 2 and v[0] == v[1] for v in both.values())
    out.append(f"The shipped mode's regret is the same in both worlds in {same} of {len(both)} "
               "runs: the fold effect shifts every complete trial alike, and the corrected "
               "provisional scores with it; the runs that differ do so through what is told "
               "before enough trials are complete (the raw mean).")
    return "\n".join(out)


if __name__ == "__main__":
    main()
