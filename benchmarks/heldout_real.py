"""Six more tasks on real data (the ``report-real`` suite), and the report pooled over 16 tasks.

Why: issue 24 asks for at least 10 real tasks. The report suite has 10 small
tasks, 4 of them on real data (breast cancer, digits, wine, diabetes: every real
data set scikit-learn ships but iris, which the tuning suite holds). The suite
``REPORT_REAL`` of ``heldout_tasks.py`` adds six real data sets that ship inside
statsmodels (no download): the 1996 US election survey, Fair's affairs survey,
the RAND health insurance experiment, California schools 1998, Grunfeld's
investment data and Sydney-Melbourne travel mode choice. Six more tasks also
give the pooled tests 16 units instead of 10.

Stated before the run (stop 51, committed before a row of this suite existed;
the suite's tasks were chosen on their data, their default and random-search
scores over 3 splits and their cost, nothing from sktpe):

* **Run**: ``python benchmarks/heldout.py --suite report-real --seeds 0-19
  --budgets 10,20,40,80 --methods default,random,random-b,halving,optuna,tpe,tpe-racing
  --redo --n-jobs 2`` once, from a clean clone of the commit that states this,
  with sktpe's defaults (source 0105e36bb869). Its rows are reported whatever
  they show; a run that fails or is stopped is reported as such, not redone
  silently.
* **Read, on the six tasks**, with the report suite's tests
  (``heldout_report.tables``): each (task, budget) cell, TPESearchCV against
  each peer, paired Wilcoxon over the 20 seeds, Holm within each peer's family
  of cells. Issue 24's criterion is met on these tasks if no peer is
  significantly ahead in any cell. Beside it, untested: the worst seed against
  random search's and against random search run again (``random-b``); the
  estimator's defaults against TPESearchCV per task (Wilcoxon over the seeds,
  Holm over the tasks, at every budget).
* **Pooled over 16 tasks** (the 10 of the report suite, their rows at
  n_iter 10, 20, 40 from ``report.jsonl`` and 80 from ``report_80.jsonl``;
  these six): each task's mean difference over its 20 seeds, in that task's
  sd (random search's test scores over its seeds and budgets: 10 to 40 for
  the report suite, as on its page, 10 to 80 here), then a Wilcoxon test over
  the 16 tasks at each budget, Holm over the 4 budgets, one family per peer:
  TPESearchCV against random search, and against Optuna's TPE.
* **Half the trials, pooled over 16 tasks**: TPESearchCV at n_iter 40 against
  random search at 80, the mean over the tasks of the per-task mean gap, with
  its 95% t-interval over the tasks; met if the lower end is above -0.05 task
  sd (round 10's criterion).
* **Expected** from the report suite: better than random search at 10
  candidates, no difference from 20 on, half the trials not met.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import plain_words  # noqa: E402
from heldout_report import (  # noqa: E402
    ALPHA, FRESH_MARGIN, LABEL, PooledReach, Table, _and, _p, _sd, compare, load, load_large, load_stated,
    random_again, reach_of_one_run, tables, task_scale, tasks_md,
)
from heldout import load_rows  # noqa: E402
from heldout_tasks import SUITES  # noqa: E402

SUITE = "report-real"
SUITE_TASKS = [t.name for t in SUITES[SUITE]]
BUDGETS = (10, 20, 40, 80)
SEEDS = list(range(20))
#: The sktpe source the run was stated for (the statement above).
SKTPE = "0105e36bb869"
#: The methods of the stated run, ``random-b`` aside (read by ``random_again``); all of them
#: were timed side by side in that one run.
METHODS = {"default", "random", "halving", "optuna", "tpe", "tpe-racing"}
#: The sktpe source of the report suite's TPESearchCV rows that the statement pools with
#: (``report.jsonl`` and ``report_80.jsonl``): pinned, so that a later run of that suite
#: appended to those files does not change the stated reading.
REPORT_SKTPE = "0089df7ea71b"
#: Where the statement was committed, where the code that reads the run was (while the run
#: went on, before any of its rows was read), and the one run's command.
STATED, READER = "0809139", "ef6405d"
COMMAND = ("python benchmarks/heldout.py --suite report-real --seeds 0-19 --budgets 10,20,40,80 "
           "--methods default,random,random-b,halving,optuna,tpe,tpe-racing --redo --n-jobs 2")


def incomplete() -> list[str]:
    """The page's lines while the stated run has rows but is not complete (a run that failed or
    was stopped is reported, not left out): none when it has no row or is complete."""
    rows = [r for r in load_rows(SUITE) if r["method"] != "random-b"]
    if not rows or load_real() is not None:
        return []
    return [f"## On {len(SUITE_TASKS)} more real data sets", "",
            f"The run stated in `benchmarks/heldout_real.py` is incomplete: {len(rows)} rows in "
            f"`benchmarks/results/heldout/{SUITE}.jsonl`, where every method on every seed and task needs "
            f"{len(METHODS) * len(SEEDS) * len(SUITE_TASKS)}. Nothing of it is read until it is complete.", ""]


def load_real() -> Table | None:
    """The stated run, or None until it holds every method on every seed and task."""
    return load_stated(SUITE, SKTPE, BUDGETS, SEEDS, METHODS)


def report_four(main: Table, big: Table) -> Table:
    """The report suite at ``main``'s budgets and ``big``'s (its run at 80) as one table, in
    ``main``'s task units. Times and per-trial records are left out: the pooled tests compare
    at the same number of candidates only."""
    methods = [m for m in main.test if m in big.test]
    test = {m: {t: np.c_[main.test[m][t], big.test[m][t]] for t in main.tasks} for m in methods}
    cv = {m: {t: np.c_[main.cv[m][t], big.cv[m][t]] for t in main.tasks} for m in methods}
    return replace(main, budgets=main.budgets + big.budgets, test=test, cv=cv, seconds={}, trials={},
                   scale={t: task_scale(main, t) for t in main.tasks})


def pooled(four: Table, real: Table) -> Table:
    """The report suite (``four``, :func:`report_four`) and the six real tasks as one table
    of 16 tasks, each in its own suite's task units, for the methods both hold."""
    if four.budgets != real.budgets or four.seeds != real.seeds:
        raise ValueError("the two runs must share budgets and seeds to be pooled")
    if set(four.tasks) & set(real.tasks):
        raise ValueError("the two runs must have no task in common to be pooled")
    methods = [m for m in ("random", "optuna", "tpe") if m in four.test and m in real.test]
    return Table(f"{four.suite}+{real.suite}", list(four.budgets), list(four.seeds), four.tasks + real.tasks,
                 {m: {**four.test[m], **real.test[m]} for m in methods},
                 {m: {**four.cv[m], **real.cv[m]} for m in methods}, {}, {},
                 f"{four.sktpe} and {real.sktpe}",
                 {**{t: task_scale(four, t) for t in four.tasks}, **{t: task_scale(real, t) for t in real.tasks}})


def half(both: Table) -> tuple[PooledReach, bool]:
    """TPESearchCV at half the largest budget against random search at the largest, pooled
    over the tasks (``heldout_report.PooledReach``), and whether the stated margin is met."""
    top = both.budgets[-1]
    r = next(x for x in reach_of_one_run(both)["tpe"] if x.budget == top // 2)
    return r, r.low > -FRESH_MARGIN


def sig_cells(real: Table) -> list[tuple[str, str, int, float, float, int]]:
    """Every (peer, task, budget) cell where TPESearchCV and a peer differ significantly
    (Wilcoxon over the seeds, Holm over that peer's cells): (peer, task, budget, mean gap,
    Holm p, side), side +1 where TPESearchCV is ahead."""
    return [(peer, x[0], real.budgets[x[1]], x[2], x[4], x[7])
            for peer in ("random", "halving", "optuna") if peer in real.test
            for x in compare(real, "tpe", peer).cells if x[4] < ALPHA and x[7]]


def peer_cells(real: Table) -> list[tuple[str, str, int, float, float]]:
    """The cells of :func:`sig_cells` where the peer is ahead: (peer, task, budget, mean gap,
    Holm p)."""
    return [c[:5] for c in sig_cells(real) if c[5] < 0]


def bullet(real: Table, both: Table) -> str:
    """The plain-words lead's sentence on the six tasks and the 16 pooled."""
    cells = sig_cells(real)
    r, met = half(both)
    n = len(both.tasks)
    alone_, pooled_ = plain_words.verdicts(real, "random"), plain_words.verdicts(both, "random")
    unit = plain_words._unit(real)
    where = [f"{LABEL[p]} {'worse' if side > 0 else 'better'} on {t} at {b}" for p, t, b, _, _, side in cells]
    return (f"- **On {len(real.tasks)} more real data sets** (a run stated before it was made; TPESearchCV at "
            f"sktpe source {real.sktpe}; task sd over budgets {real.budgets[0]} to {real.budgets[-1]}"
            + (f": {unit}" if unit else "") + "): "
            + ("no search's model differs significantly from TPESearchCV's on any task at any budget"
               if not cells else "no search's model differs significantly from TPESearchCV's on any task at any "
               "budget but " + _and(where))
            + f" (Wilcoxon over the {len(real.seeds)} splits, Holm over each peer's cells). Its mean differences "
            f"from random search on these six are {_and([_sd(v.diff) for v in alone_])} task sd at "
            f"{_and(real.budgets)} candidates (random search's mean is the higher on "
            f"{_and([str(v.behind) for v in alone_])} of the {len(real.tasks)}; read after the run). Pooled "
            f"with the {n - len(real.tasks)} tasks above ({n} tasks), against random search with the same "
            f"number of candidates: " + plain_words._runs(pooled_, n)
            + (f"; the gain at {pooled_[0].budget} expected before the run is not confirmed"
               if pooled_[0].word != "better" else "")
            + f". That its model at {r.budget} candidates matches random search's at {both.budgets[-1]} within "
            f"{FRESH_MARGIN} task sd (the test stated before the run) is {'shown' if met else 'not shown'}: "
            f"{_sd(r.diff)} task sd, 95% t-interval over the tasks {r.low:+.3f} to {r.high:+.3f}."
            + halving_cost(real))


def halving_cost(real: Table) -> str:
    """HalvingRandomSearchCV's median CPU time over TPESearchCV's at the same budgets (both timed
    in the stated run), as a sentence ('' without both)."""
    if not {"halving", "tpe"} <= set(real.seconds):
        return ""
    ratio = [np.median(np.concatenate([real.seconds["halving"][t][:, j] for t in real.tasks]))
             / np.median(np.concatenate([real.seconds["tpe"][t][:, j] for t in real.tasks]))
             for j in range(len(real.budgets))]
    return (f" HalvingRandomSearchCV, timed beside the others here, took {min(ratio):.2f} to {max(ratio):.2f} "
            "times TPESearchCV's median CPU time for the same number of candidates.")


def test_lines(both: Table) -> list[str]:
    """The pooled tests of the statement, for the page."""
    L = []
    for peer in ("random", "optuna"):
        vs = plain_words.verdicts(both, peer)
        L.append(f"- Pooled over the {len(both.tasks)} tasks, against {LABEL[peer]} with the same "
                 f"number of candidates (Wilcoxon over the tasks, Holm over {_and(both.budgets)}): "
                 + "; ".join(f"at {v.budget} {_sd(v.diff)} (Holm {plain_words._peq(v.p_holm)}, ahead on "
                             f"{v.ahead}, behind on {v.behind})" for v in vs) + ".")
    r, met = half(both)
    L.append(f"- Half the trials, pooled over the {len(both.tasks)} tasks: TPESearchCV at {r.budget} against "
             f"random search at {both.budgets[-1]}, {_sd(r.diff)} task sd (95% t-interval over the tasks "
             f"{r.low:+.3f} to {r.high:+.3f}; "
             f"per-task standard errors over the seeds {r.se_low:.3f} to {r.se_high:.3f}); stated margin "
             f"-{FRESH_MARGIN}: **{'met' if met else 'not met'}**.")
    return L


def fell(tab: Table) -> str:
    """Where more candidates lowered a search's mean test score (the winner's curse, seen, not
    tested): per method, the tasks whose mean at the largest budget is below that at the smallest."""
    first, last = tab.budgets[0], tab.budgets[-1]
    parts = []
    for m in [m for m in ("random", "halving", "optuna", "tpe", "tpe-racing") if m in tab.test]:
        down = [t for t in tab.tasks if np.round(tab.test[m][t][:, -1].mean() - tab.test[m][t][:, 0].mean(), 12) < 0]
        parts.append(f"{LABEL[m]} on {len(down)}" + (f" ({_and(down)})" if down else ""))
    return (f"- More candidates, a lower mean test score (not tested): the mean test score at {last} "
            f"candidates is below the same method's at {first} for " + "; ".join(parts) + f" of the "
            f"{len(tab.tasks)} tasks. Some of these gaps are within noise; a search that selects among more "
            "candidates on a noisy CV score can return a worse model (the winner's curse), but the cause "
            "was not tested here.")


def defaults_lines(real: Table) -> list[str]:
    """TPESearchCV against the estimator's defaults at every budget (the statement): per task, a
    paired Wilcoxon test over the seeds, Holm over the tasks."""
    parts = []
    for j, b in enumerate(real.budgets):
        _, better, worse, below = plain_words.defaults_cells(plain_words.versus_defaults(real, real, j))
        parts.append(f"at {b} better on {len(better)} and worse on {len(worse)}"
                     + (f" ({_and(worse)})" if worse else "")
                     + (f", its mean below the defaults' on {_and(below)}" if below else ""))
    return [f"- Against the estimator's own default settings (paired Wilcoxon over the {len(real.seeds)} "
            f"splits of each task, Holm over the {len(real.tasks)} tasks), TPESearchCV's model is "
            + "; ".join(parts) + "."]


def alone(real: Table) -> str:
    """TPESearchCV against random search on the six tasks alone (not stated: over 6 tasks a
    Wilcoxon test cannot pass Holm's correction over 4 budgets)."""
    vs = plain_words.verdicts(real, "random")
    return (f"- On the {len(real.tasks)} tasks alone, against random search with the same number of candidates "
            "(not stated before the run; a Wilcoxon test over 6 tasks cannot pass Holm over 4 budgets): "
            + "; ".join(f"at {v.budget} {_sd(v.diff)} task sd (ahead on {v.ahead}, behind on {v.behind})"
                        for v in vs)
            + ". The pooled difference at 10 comes from the report suite's tasks.")


def section(real: Table, both: Table) -> list[str]:
    """The benchmark page's section on the six tasks and the pooled tests."""
    L = [f"## On {len(real.tasks)} more real data sets", "",
         f"The report suite above has {len(both.tasks) - len(real.tasks)} tasks, 4 of them on real data. "
         f"These {len(real.tasks)} tasks use real data sets that ship inside statsmodels (no download; "
         "`pip install -e '.[bench]'`); none of them is in a tuning suite. How the run would be read was "
         f"stated in `benchmarks/heldout_real.py` and committed ({STATED}) before the run was made; the code "
         f"that reads it was committed ({READER}) while the run went on, before any of its rows was read; "
         "what was added after the reading is under its own heading below. The run, made once from a fresh "
         "clone of the first commit (sktpe/ unmodified; the provenance line records the clone as modified "
         "because the run's log was written into it): "
         f"`{COMMAND}` (rows in `benchmarks/results/heldout/{SUITE}.jsonl`, one per method, task and seed, "
         "none repeated). TPESearchCV's rows of the report suite pooled with it are those at sktpe source "
         f"{REPORT_SKTPE}.", "",
         "How the tasks were chosen, and what they bias: on their data, their cost, and the estimator "
         "defaults' and random search's test scores over 3 splits (nothing from sktpe; the spaces of lr_fair "
         "and lr_modechoice were narrowed after that first look, because their slowest candidates took "
         "most of the time). Three leave little "
         "room between searches, which pulls the pooled tests towards no difference: tree_randhie (R^2 "
         "near 0.01: doctor visits are hardly predictable from these columns), lr_fair (every search within "
         "a few thousandths of ROC AUC) and lr_modechoice (accuracy on 105 test rows, steps of about 0.01). "
         "spline_grunfeld splits a panel of 11 firms at random and drops the firm, so the test half "
         "interpolates within firms' years (flattering every method's R^2 alike). knn_anes96's log loss is "
         "heavy-tailed at small k.", ""]
    L += tasks_md(SUITE) + ["", "![Held-out test score against n_iter, the six real tasks]"
                             "(_static/heldout_real_curves.png)", "", "### The stated tests", ""]
    wins = peer_cells(real)
    L.append("- Issue 24's criterion on these tasks (no peer significantly ahead of TPESearchCV in any "
             "(task, budget) cell, Wilcoxon over the seeds, Holm within each peer's cells): "
             + ("**met**." if not wins else "**not met**: " + _and(
                 [f"{LABEL[p]} on {t} at {b} ({g:+.4f}, Holm p={_p(ph)})"
                  for p, t, b, g, ph in wins]) + "."))
    L += test_lines(both)
    again = random_again(real)
    L.append(plain_words._worst(real, again, None).replace("- **Worst split**", "- Worst split (not tested)"))
    L += defaults_lines(real)
    L += ["", "### Read after the run (not stated before it)", "",
          "Added after the rows were read: these lines and, in the plain-words lead, the wording of 'In short' "
          "where the pooled run does not confirm the gain at 10 candidates and the six tasks' own differences "
          "from random search in the bullet on them.", "",
          alone(real), fell(real)]
    L += [""] + tables(real, timed_together=tuple(sorted(METHODS - {"default"})))
    return L


def tables_of() -> tuple[Table, Table] | None:
    """The six tasks' table and the 16 pooled (:func:`pooled`), with the report suite's rows at
    ``REPORT_SKTPE``; None until the stated run and the report's run at 80 are complete."""
    real = load_real()
    if real is None:
        return None
    main = load("report", sktpe=REPORT_SKTPE)
    big = load_large(main, sktpe=REPORT_SKTPE)
    return None if big is None else (real, pooled(report_four(main, big), real))


def for_lead(real: Table, both: Table) -> tuple[str, list, str]:
    """What ``plain_words.lead`` takes as ``more``."""
    return (f"pooled with the {len(real.tasks)} more real data sets ({len(both.tasks)} tasks)",
            plain_words.verdicts(both, "random"), bullet(real, both))
