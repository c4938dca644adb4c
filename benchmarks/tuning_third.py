"""Rounds 16 and 17 of docs/guide/ablation.md: the third tuning suite, and a round over all 18
tuning tasks, each read as stated before its run.

The run (once, from a clone of the statement's commit)::

    python benchmarks/heldout.py --suite tuning-third --seeds 100-219 --budgets 20,40 \
        --methods default,tpe,random --file tuning_third --n-jobs 2
    python benchmarks/heldout.py --suite tuning --seeds 100-109 --budgets 20,40 \
        --methods tpe --file tuning_same_source --n-jobs 2   # the same-source check

Reading: per task, the estimator's defaults, random search and TPESearchCV (mean test scores)
and TPESearchCV minus random search in task sd; pooled over the 6 new tasks and over all 18
tuning tasks (the other 12 from rounds 13-15's reference rows, made at an sktpe source that
differs from this run's by a docstring, which ``tuning_same_source`` checks); the worst seed and
the estimator's defaults beside. ``python benchmarks/tuning_third.py`` writes the block
``heldout-tuning-third`` of docs/guide/ablation.md.

Round 17: the same searches as the defaults' on the 18 tasks, the model chosen by
``heldout.lower_bound_choice`` (variant ``lcb``); ``python benchmarks/tuning_third.py --lcb``
writes its block ``heldout-tuning-lcb`` (round 11's criterion, ``heldout_report.round_lines``).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import heldout_report as hr  # noqa: E402
from heldout_report import Table, VariantGap  # noqa: E402

THIRD_SUITE, THIRD_FILE, THIRD_SKTPE = "tuning-third", "tuning_third", "0105e36bb869"
#: The commit round 16 was stated at, from a clone of which its runs were made.
THIRD_COMMIT = "f0a6020"
#: The check that today's source makes the reference rows' searches (stated with the round).
SAME_FILE, SAME_SEEDS = "tuning_same_source", list(range(100, 110))


def pooled(groups: dict[str, Table]) -> list[VariantGap]:
    """TPESearchCV minus random search pooled over each group's tasks at every budget of its
    table (``hr.pooled_gap``; ``variant`` names the group, ``worst_cells`` counts its worst-seed
    cells), Holm over all of them."""
    out = []
    for label, tab in groups.items():
        worst = len(hr.worst_seed_below_random(tab, tab.test["tpe"]))
        out += [hr.pooled_gap(label, b, hr.tpe_minus_random_gaps([tab], j), worst)
                for j, b in enumerate(tab.budgets)]
    return hr.with_holm(out)


def same_source(new: Table, old: Table) -> tuple[int, int]:
    """(cells equal to 1e-9 relatively, cells): TPESearchCV's test scores of ``new`` against
    ``old`` on ``new``'s seeds and tasks (both at the same budgets)."""
    rows = [old.seeds.index(s) for s in new.seeds]
    a = np.concatenate([new.test["tpe"][t].ravel() for t in new.tasks])
    b = np.concatenate([old.test["tpe"][t][rows].ravel() for t in new.tasks])
    return int(np.isclose(a, b, rtol=1e-9, atol=0.0).sum()), int(a.size)


def joined(ref: Table, third: Table) -> Table:
    """The 18 tasks side by side, each in its own suite's task sd (TPESearchCV and random search)."""
    if ref.seeds != third.seeds or ref.budgets != third.budgets:
        raise ValueError("the reference rows and the third suite's must share seeds and budgets")
    return hr._side_by_side([ref, third])


def run_note(names: tuple[str, ...] = (THIRD_FILE, SAME_FILE), commit: str = THIRD_COMMIT) -> str:
    """A sentence where the stated runs were not made once each from ``commit``; else empty."""
    repeated = sum(hr._repeated(name) for name in names)
    commits = set().union(*(hr._run_commits(name) for name in names))
    return ((f" The files store {repeated} run(s) more than once (each was to be run once; the last is "
             "read)." if repeated else "")
            + (f" The runs were made from {', '.join(sorted(commits))}, not {commit} as stated."
               if commits != {commit} else ""))


def lines(third: Table, ref: Table | None, same: tuple[int, int] | None, note: str = "") -> list[str]:
    """The block: per task, then pooled (over the 18 tasks only where ``same`` shows every cell
    of the check equal), then the worst seed and the estimator's defaults; ``note`` (see
    :func:`run_note`) ends the description."""
    budgets = " / ".join(map(str, third.budgets))
    L = [f"Third tuning suite: {len(third.tasks)} tasks × {len(third.seeds)} seeds "
         f"({third.seeds[0]}-{third.seeds[-1]}), sktpe source {third.sktpe}. Mean held-out test score of "
         f"each estimator at its own defaults, of random search and of TPESearchCV at n_iter={budgets}; then "
         "TPESearchCV minus random search on the same split and folds, in task sd (random search's "
         "spread), ± its standard error over the seeds." + note, ""] + hr.suite_table(third)
    groups = {f"the {len(third.tasks)} new tasks": third}
    equal = same is not None and same[0] == same[1]
    if ref is not None and equal:
        groups[f"all {len(ref.tasks) + len(third.tasks)} tuning tasks"] = joined(ref, third)
    L += ["", "Pooled, TPESearchCV minus random search (mean over the tasks of each task's mean, task sd, "
          "[95% t-interval over the tasks]; p: one-sample t-test over the tasks, Holm over the "
          f"{len(groups) * len(third.budgets)} pooled tests; Wilcoxon over the tasks beside it, uncorrected; "
          "tasks ahead / behind; root mean square of the per-task standard errors; the interval's "
          "half-width):", ""]
    res = pooled(groups)
    for label in groups:
        L.append(f"- {label}: " + "; ".join(
            f"at {r.budget} {r.interval} (Holm p={hr._p(r.p_holm)}; Wilcoxon "
            f"p={hr._p(r.p_wilcoxon)}; {r.ahead}/{r.behind}; SE {r.se_rms:.2f}; ±{(r.high - r.low) / 2:.3f})"
            for r in res if r.variant == label) + ".")
    if same is None:
        L.append("- The same-source check (`tuning_same_source`) is not complete: the 18-task pool is not read.")
    elif not equal:
        L.append(f"- The same-source check found {same[1] - same[0]} of {same[1]} cells different: the "
                 "reference rows are not today's searches, and the 18-task pool is not read.")
    else:
        L.append(f"- Same-source check: today's source repeats the reference rows' TPESearchCV test scores in "
                 f"{same[0]} of {same[1]} (task, seed, budget) cells of the first tuning suite, seeds "
                 f"{SAME_SEEDS[0]}-{SAME_SEEDS[-1]}.")
    worse = hr.worst_seed_below_random(third, third.test["tpe"])
    n = len(third.tasks) * len(third.budgets)
    L.append(f"- TPESearchCV's worst seed below random search's worst: {len(worse)} of {n} (task, budget) cells"
             + (": " + ", ".join(f"{t}@{b}" for t, b, _ in worse) if worse else "") + ".")
    below = [f"{t}@{b}" for t in third.tasks for j, b in enumerate(third.budgets)
             if third.test["tpe"][t][:, j].mean() < third.test["default"][t].mean()]
    L.append("- TPESearchCV's mean test score below the estimator's defaults': "
             + (", ".join(below) if below else "in no (task, budget) cell") + ".")
    return L


def load_third() -> Table | None:
    """The stated run's table (the estimator's defaults, random search, TPESearchCV at
    ``THIRD_SKTPE``), None unless it holds every stated seed of every task."""
    tab = hr.load(THIRD_SUITE, "", THIRD_SKTPE, name=THIRD_FILE, budgets=hr.GREEDY_BUDGETS)
    return hr._stated(tab, hr.BOTH_SEEDS, {"default", "tpe", "random"})


def load_same() -> tuple[int, int] | None:
    """:func:`same_source` of the check's run against the reference rows; None until complete."""
    new = hr._stated(hr.load("tuning", "", THIRD_SKTPE, name=SAME_FILE, budgets=hr.GREEDY_BUDGETS),
                     SAME_SEEDS, {"tpe"})
    old = hr._stated(hr.load("tuning", "", hr.GREEDY_SKTPE, name=hr.GREEDY_FILE, budgets=hr.GREEDY_BUDGETS),
                     SAME_SEEDS, {"tpe"})
    return None if new is None or old is None else same_source(new, old)


#: Round 17, stated before its runs: the variant, its label, the commit its runs were stated at,
#: and its results file per suite (every run at ``THIRD_SKTPE``).
LCB_VARIANT, LCB_LABEL, LCB_COMMIT = ("lcb", "the largest mean minus one standard error chooses the model",
                                      "d63696f")
LCB_FILES = {"tuning": "tuning_lcb", hr.EXTRA_SUITE: "tuning_extra_lcb", THIRD_SUITE: "tuning_third_lcb"}


def eighteen_tables(variant: str, files: dict[str, str]) -> tuple[Table, Table] | None:
    """The defaults' table over the 18 tuning tasks on ``hr.BOTH_SEEDS`` (the first 12 from
    ``hr._both_ref``, the third suite from round 16's run; each task in its own suite's task sd),
    and the same with ``variant``'s TPESearchCV test scores (from ``files``, one per suite, at
    ``THIRD_SKTPE``). None unless every stated file holds every stated seed of every task, or
    while the same-source check does not repeat every cell (the first 12 tasks' reference rows
    are then not today's searches)."""
    ref12, third, same = hr._both_ref(), load_third(), load_same()
    if ref12 is None or third is None or same is None or same[0] != same[1]:
        return None
    ref = joined(ref12, third)
    tpe = {}
    for suite, name in files.items():
        var = hr._stated(hr.load(suite, variant, THIRD_SKTPE, name=name, budgets=hr.GREEDY_BUDGETS),
                         hr.BOTH_SEEDS, {"tpe"})
        if var is None:
            return None
        tpe.update(var.test["tpe"])
    if set(tpe) != set(ref.tasks):
        raise SystemExit(f"{variant}: the files {sorted(files.values())} do not hold the 18 tasks")
    return ref, replace(ref, test={**ref.test, "tpe": tpe})


def lcb_lines() -> list[str] | None:
    """Round 17's table and verdict; None until its runs are complete."""
    return hr.round_lines(LCB_VARIANT, LCB_FILES, LCB_LABEL, LCB_COMMIT, same_search=True,
                          tables=lambda: eighteen_tables(LCB_VARIANT, LCB_FILES),
                          suites="All three tuning suites", ref_files=(THIRD_FILE,),
                          source=f"{hr.GREEDY_SKTPE} (the first 12 tasks' reference rows) and {THIRD_SKTPE}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lcb", action="store_true", help="write round 17's block (the default: round 16's)")
    args = p.parse_args(argv)
    if args.lcb:
        block = lcb_lines()
        name = "heldout-tuning-lcb"
        if block is None:
            same = load_same()
            raise SystemExit("round 17 is not read: "
                             + ("the same-source check differs" if same is not None and same[0] != same[1]
                                else "its runs, round 16's or the reference's are not complete"))
    else:
        third = load_third()
        if third is None:
            raise SystemExit(f"{THIRD_FILE}: round 16's run is not complete")
        block = lines(third, hr._both_ref(), load_same(), run_note())
        name = "heldout-tuning-third"
    print("\n".join(block))
    hr.write_ablation_block(name, block)


if __name__ == "__main__":
    main()
