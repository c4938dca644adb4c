"""Round 20: ``selection='reevaluate'`` end to end on the tuning suite, at equal fits.

Round 19 (``charged_reevaluation.py``) measured the rule offline, from searches run with
``refit=False``. This round runs what a user runs: ``TPESearchCV(n_iter=b - 5,
selection='reevaluate')`` (its 5 re-evaluated candidates' fits bring it to the fits of ``b``
candidates) against ``TPESearchCV(n_iter=b)`` with its defaults, each refit and scored on the
test half by ``heldout.py`` (variant ``reevaluate``), on fresh seeds of ``tuning-r``. Its
reading is round 19's statistic; it checks the implementation before the held-out suite
``confirm-2`` decides (docs/guide/ablation.md, round 20).

Usage::

    python benchmarks/heldout.py --suite tuning-r --methods tpe --budgets 40,80 \\
        --seeds 360-369 --file reevaluate_e2e --n-jobs 2
    python benchmarks/heldout.py --suite tuning-r --methods tpe --variant reevaluate \\
        --budgets 35,75 --seeds 360-369 --file reevaluate_e2e --n-jobs 2
    python benchmarks/reevaluate_e2e.py      # the reading, once every seed is complete

Round 21 makes the same two runs on the held-out suite ``confirm-2`` (seeds 0-19, file
``confirm2_reevaluate``) and reads them with ``--suite confirm-2``: nothing of round 18 was
run there, so each task's scale is the spread of the defaults' own test scores (over the seeds
and both budgets), which the compared option does not touch.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from typing import NamedTuple

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from heldout import load_rows  # noqa: E402
from overtune_study import TOP, BudgetGap, gaps_by_budget, passes  # noqa: E402

FILE = "reevaluate_e2e"
#: Round 21's rows: the same two arms on the held-out suite.
CONFIRM_FILE = "confirm2_reevaluate"
BUDGETS = (40, 80)
VARIANT = "reevaluate"
#: Round 21's stated seeds of ``confirm-2``.
CONFIRM_SEEDS = tuple(range(20))


class Stated(NamedTuple):
    """What a stated reading waits for: every one of these tasks at every one of these seeds."""

    tasks: frozenset[str]
    seeds: tuple[int, ...]


def arms(rows: list[dict], variant: str = VARIANT, offset: int = TOP,
         budgets: tuple[int, ...] = BUDGETS) -> dict[tuple[str, int, int], dict[str, dict]]:
    """Per (task, seed, b): the default search of ``b`` candidates (``'top'``) and the
    re-evaluating one of ``b - TOP`` (``'rule'``), each its test score, seconds and fits.
    Another ``variant`` of TPESearchCV (round 22) is read the same way, its search of ``b -
    offset`` candidates against the defaults' of ``b``, at the ``budgets`` b.

    Raises a ValueError if the rows come from more than one sktpe source (a search made again
    at another source would replace its pair's row silently) or a test score is not finite
    (it would drop its task from the reading silently)."""
    out: dict[tuple[str, int, int], dict[str, dict]] = {}
    kept = [r for r in rows if r["method"] == "tpe" and r["variant"] in ("", variant)]
    sources = sorted({r.get("sktpe", "") for r in kept})
    if len(sources) > 1:
        raise ValueError(f"rows of {len(sources)} sktpe sources ({', '.join(sources)}): read one run")
    for r in kept:
        arm = "rule" if r["variant"] == variant else "top"
        for i, n in enumerate(r["budgets"]):
            b = n + offset if arm == "rule" else n
            if b in budgets:
                if not math.isfinite(r["test"][i]):
                    raise ValueError(f"test score {r['test'][i]} of {r['task']} seed {r['seed']} "
                                     f"at {b} ({arm}): not a number to read")
                out.setdefault((r["task"], r["seed"], b), {})[arm] = {
                    "test": r["test"][i], "seconds": r["seconds"][i], "fits": r["n_fits"][i]}
    return out


def complete_seeds(pairs: dict[tuple[str, int, int], dict[str, dict]],
                   budgets: tuple[int, ...] = BUDGETS) -> tuple[list[str], list[int]]:
    """The tasks, and the seeds where every task has both arms at every budget."""
    tasks = sorted({t for t, _, _ in pairs})
    seeds = sorted({s for _, s, _ in pairs})
    return tasks, [s for s in seeds
                   if all(len(pairs.get((t, s, b), {})) == 2 for t in tasks for b in budgets)]


def not_yet(tasks: list[str], seeds: list[int], stated: Stated) -> list[str]:
    """What a stated reading prints while it waits: nothing once every stated task is complete
    at every stated seed."""
    if set(tasks) == stated.tasks and set(stated.seeds) <= set(seeds):
        return []
    return [f"not yet the stated reading: {len(set(tasks) & stated.tasks)} of "
            f"{len(stated.tasks)} tasks have rows, {len(set(seeds) & set(stated.seeds))} of "
            f"{len(stated.seeds)} seeds are complete"]


def paired_gaps(pairs: dict[tuple[str, int, int], dict[str, dict]], tasks: list[str],
                seeds: list[int], scale: dict[str, float], budgets: tuple[int, ...] = BUDGETS
                ) -> tuple[dict[int, list[dict[str, dict]]], list[BudgetGap]]:
    """Round 19's statistic on paired arms: each budget's (task, seed) pairs, and per budget
    the rule's test score minus the defaults', per task the mean over ``seeds`` in task sd,
    pooled over the tasks (Holm over the budgets)."""
    cells = {b: [[pairs[t, s, b] for s in seeds] for t in tasks] for b in budgets}
    gaps = gaps_by_budget({b: np.array([np.mean([c["rule"]["test"] - c["top"]["test"] for c in row])
                                        / scale[t] for t, row in zip(tasks, cells[b])])
                           for b in budgets})
    return {b: [c for row in cells[b] for c in row] for b in budgets}, gaps


def defaults_scale(rows: list[dict]) -> dict[str, float]:
    """Each task's scale where round 18 did not run (round 21, ``confirm-2``): the spread
    (``np.std``) of the defaults' test scores over the complete seeds and both budgets; 1 where
    they never move."""
    pairs = arms(rows)
    tasks, seeds = complete_seeds(pairs)
    if not seeds:
        return {}
    out = {}
    for t in tasks:
        sd = float(np.std([pairs[t, s, b]["top"]["test"] for s in seeds for b in BUDGETS]))
        out[t] = sd if sd > 0 else 1.0
    return out


def read(rows: list[dict], scale: dict[str, float], scale_name: str = "random search's spread in "
         "round 18", stated: Stated | None = None) -> list[str]:
    """Round 19's statistic on the end-to-end rows: per budget, the rule's test score minus the
    defaults', per task the mean over seeds in task sd, the mean over tasks with its 95%
    t-interval, Holm over the budgets; the two arms' fits and wall times beside.

    With ``stated`` (round 21), nothing is read until every stated task is complete at every
    stated seed, and round 19's criterion, stated for that round, is read after the table."""
    pairs = arms(rows)
    tasks, seeds = complete_seeds(pairs)
    if stated is not None and not_yet(tasks, seeds, stated):
        return not_yet(tasks, seeds, stated)
    if stated is not None:
        seeds = [s for s in seeds if s in stated.seeds]
    if not seeds:
        return ["no complete seed yet"]
    out = [f"{len(tasks)} tasks x {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}); in task sd "
           f"({scale_name}), per task the mean over seeds, then the mean over tasks "
           "[95% t-interval over tasks]; fits and seconds: medians over the searches, the rule's "
           "over the defaults'", "",
           f"| b | n_iter=b - {TOP} with selection='reevaluate' minus n_iter=b (defaults) | "
           "Holm p | tasks ahead / behind | fits | wall time |",
           "|---|---|---|---|---|---|"]
    flats, gaps = paired_gaps(pairs, tasks, seeds, scale)
    for g in gaps:
        flat = flats[g.budget]
        fits = np.median([c["rule"]["fits"] / c["top"]["fits"] for c in flat])
        wall = np.median([c["rule"]["seconds"] / c["top"]["seconds"] for c in flat])
        out.append(f"| {g.budget} | {g.mean:+.3f} [{g.lo:+.3f}, {g.hi:+.3f}] | {g.p_holm:.2g} | "
                   f"{g.ahead} / {g.behind} | {fits:.3f} | {wall:.2f} |")
    if stated is not None:
        out += ["", "Criterion (round 19's, stated for round 21): ahead at both budgets, Holm p < "
                "0.05 at one at least: " + ("passed" if passes(gaps) else "not passed")]
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--suite", choices=["tuning-r", "confirm-2"], default="tuning-r",
                   help="tuning-r: round 20 (scale from round 18); confirm-2: round 21")
    p.add_argument("--file", default=None, help="rows to read (default: the suite's round's)")
    args = p.parse_args(argv)
    if args.suite == "tuning-r":
        from charged_reevaluation import round18_scale

        rows = load_rows(args.file or FILE)
        print("\n".join(read(rows, round18_scale())))
    else:
        from heldout_tasks import SUITES

        rows = load_rows(args.file or CONFIRM_FILE)
        stated = Stated(frozenset(t.name for t in SUITES["confirm-2"]), CONFIRM_SEEDS)
        print("\n".join(read(rows, defaults_scale(rows), "the defaults' spread over the seeds and "
                              "both budgets", stated)))


if __name__ == "__main__":
    main()
