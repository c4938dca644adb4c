"""Round 22: proposals kept apart (``TPESampler._near_radius``) on the tuning suite ``tuning-r``.

TPE samples its candidates from kernels about the good trials and proposes the one of largest
l(x)/g(x), so many of its proposals land beside a trial already made (on the tasks of
``tuning-r``, up to two thirds of a 40-candidate search's proposals within 2% of an axis of an
earlier one): with the folds shared, such a candidate scores a near copy of its neighbour's
score, a fit spent for little. Variant ``spread`` of ``heldout.py`` forbids a proposal within
half a good-set kernel scale (on every numeric axis, with the same choices) of any trial of its
branch. This reads it against the defaults, both ``TPESearchCV.fit`` end to end at the same
``n_iter``, each refit and scored on the test half (docs/guide/ablation.md, round 22)::

    python benchmarks/heldout.py --suite tuning-r --methods tpe --budgets 20,40 \\
        --seeds 380-399 --file spread_tuning --n-jobs 2
    python benchmarks/heldout.py --suite tuning-r --methods tpe --variant spread \\
        --budgets 20,40 --seeds 380-399 --file spread_tuning --n-jobs 2
    python benchmarks/spread_e2e.py      # the reading, once every seed is complete
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from heldout import load_rows  # noqa: E402
from overtune_study import passes  # noqa: E402
from reevaluate_e2e import Stated, arms, complete_seeds, not_yet, paired_gaps  # noqa: E402

FILE = "spread_tuning"
VARIANT = "spread"
BUDGETS = (20, 40)
#: Round 22's stated seeds of ``tuning-r`` (no earlier round ran them).
SEEDS = tuple(range(380, 400))


def worst_below(pairs: dict, tasks: list[str], seeds: list[int], one: str, other: str) -> int:
    """(task, budget) cells where arm ``one``'s worst seed scores below arm ``other``'s."""
    return sum(min(pairs[t, s, b][one]["test"] for s in seeds)
               < min(pairs[t, s, b][other]["test"] for s in seeds)
               for t in tasks for b in BUDGETS)


def read(rows: list[dict], scale: dict[str, float], stated: Stated) -> list[str]:
    """Round 19's statistic (per task the mean over seeds of the variant's test score minus the
    defaults', in task sd; the mean over the tasks with its 95% t-interval; one-sample t-test
    over the tasks, Holm over the budgets), its criterion, and the worst seeds beside; nothing
    until every stated task is complete at every stated seed."""
    pairs = arms(rows, VARIANT, 0, BUDGETS)
    tasks, seeds = complete_seeds(pairs, BUDGETS)
    if not_yet(tasks, seeds, stated):
        return not_yet(tasks, seeds, stated)
    seeds = [s for s in seeds if s in stated.seeds]
    out = [f"{len(tasks)} tasks x {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}); in task sd "
           "(random search's spread in round 18), per task the mean over seeds, then the mean "
           "over tasks [95% t-interval over tasks]; wall time: median over the searches of the "
           "variant's over the defaults'", "",
           "| n_iter | proposals kept apart minus the defaults | Holm p | tasks ahead / behind "
           "| wall time |", "|---|---|---|---|---|"]
    flats, gaps = paired_gaps(pairs, tasks, seeds, scale, BUDGETS)
    for g in gaps:
        wall = np.median([c["rule"]["seconds"] / c["top"]["seconds"] for c in flats[g.budget]])
        out.append(f"| {g.budget} | {g.mean:+.3f} [{g.lo:+.3f}, {g.hi:+.3f}] | {g.p_holm:.2g} | "
                   f"{g.ahead} / {g.behind} | {wall:.2f} |")
    out += ["", f"Worst seed (read beside, not tested): the variant's below the defaults' in "
            f"{worst_below(pairs, tasks, seeds, 'rule', 'top')} of {len(tasks) * len(BUDGETS)} "
            f"(task, budget) cells, the defaults' below the variant's in "
            f"{worst_below(pairs, tasks, seeds, 'top', 'rule')}.", "",
            "Criterion (round 19's, stated for round 22): ahead at both budgets, Holm p < 0.05 "
            "at one at least: " + ("passed" if passes(gaps) else "not passed")]
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--file", default=FILE, help="rows to read")
    args = p.parse_args(argv)
    from charged_reevaluation import round18_scale
    from heldout_tasks import SUITES

    stated = Stated(frozenset(t.name for t in SUITES["tuning-r"]), SEEDS)
    print("\n".join(read(load_rows(args.file), round18_scale(), stated)))


if __name__ == "__main__":
    main()
