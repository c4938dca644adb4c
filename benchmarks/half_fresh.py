"""Issue 24's "half the trials" on 80 fresh tasks: ``confirm-2`` and ``confirm-3`` (round 24).

Why: at stop 56 the confirmation suite (``heldout_confirm.py``, 40 tasks) gave TPESearchCV at
40 candidates against random search at 80 a mean of -0.03 task sd, 95% interval -0.064 to
+0.003: not met (the criterion is a lower end above -0.05), nor refuted. The tasks' spread of
that difference is about 0.10 task sd, so an interval that can clear the margin at a mean of
-0.03 needs about 110 tasks (at -0.02, about 50). This round adds 80 tasks on which random
search and that comparison have never run.

Stated before the run (stop 61, committed before a row of this round existed, at sktpe source
ab302d76ce67, the defaults of stops 46-60; sktpe's source is not edited until both runs are
complete, and the reader refuses TPESearchCV rows of another source):

* **The tasks.** ``confirm-2`` (``confirm2_tasks.py``, 40 tasks, stop 57): what was measured
  on it before is TPESearchCV alone, at 40 and 80 candidates with and without re-evaluation
  (round 21, file ``confirm2_reevaluate``), read only as differences between those two; random
  search has never run on it, nor has its comparison with TPESearchCV been read.
  ``confirm-3`` (``confirm3_tasks.py``, 40 tasks): defined by a later commit of this stop,
  before any of its rows exists, from Rdatasets files that no other suite uses, chosen from
  their descriptions and sizes only (data loaded and estimators timed, no search), by a helper
  that reads no row of this round.
* **Run**, per suite (``confirm-2`` from a fresh clone of the stating commit; ``confirm-3``
  from a fresh clone of the commit that defines it), seeds 0-19::

      python benchmarks/heldout.py --suite confirm-2 --seeds 0-19 --methods default,random \\
          --budgets 10,20,40,80 --horizon 1 --file half_confirm2 --n-jobs 2
      python benchmarks/heldout.py --suite confirm-2 --seeds 0-19 --methods tpe \\
          --budgets 40 --file half_confirm2 --n-jobs 2

  and the same with ``confirm-3`` and ``half_confirm3``. ``--horizon 1``: random search stops
  at 80 candidates (its first 80 are those of a longer run; checked on three ``confirm``
  tasks), so no comparison at equal time is made. TPESearchCV runs at 40 only: the primary
  test needs no other budget. Optuna, HalvingRandomSearchCV and racing are not run (cost). A
  run cut short by the end of a session is resumed by the same command (rows already made are
  not redone); a method that raises on a task stops the run: the run is resumed without that
  task (``--tasks``), and the task is named and left out of every pool. Every run made is
  reported whatever it shows.
* **Nothing is read until both suites hold every method on every seed and task**; then once.
* **The primary test, half the trials**: per task, the mean over the 20 seeds of TPESearchCV's
  test score at 40 candidates minus random search's at 80 (same split and folds), in that
  task's sd (``heldout_report.task_scale``: random search's test scores over the seeds and the
  four budgets); the mean over the 80 tasks of both suites with its 95% t-interval over the
  tasks. **Met if the interval's lower end is above -0.05 task sd** (round 10's margin). One
  test, no correction.
* **Secondary, stated, none a test of the criterion**: (a) the same statistic on each suite
  alone; (b) pooled over 120 tasks with the confirmation suite's 40 (its stated run at sktpe
  source 116a1d9ace7f): a second look at those 40, reported as such; (c) TPESearchCV at 40
  against random search at 40, pooled over the 80 tasks (the same statistic, Wilcoxon over the
  tasks); (d) per task, TPESearchCV at 40 against random search at 80 (Wilcoxon over the
  seeds, Holm over the 80 tasks): the tasks where random search is significantly ahead,
  named; (e) the tasks where TPESearchCV's worst seed at 40 is below random search's worst at
  40 and at 80, counted; (f) TPESearchCV at 40 against the estimator's defaults per task
  (Wilcoxon over the seeds, Holm over the 80 tasks): tasks better and worse.
* **Expected**: if the true mean is the confirmation suite's -0.03 with its spread, the
  80-task interval is about +-0.022 wide and the test is met with probability about 0.4; at
  -0.01, about 0.95.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import chance  # noqa: E402
from chance import at_chance  # noqa: E402
from heldout_report import (  # noqa: E402
    ALPHA, Table, _stored_lines, _task_gaps, ahead_behind, holm, paired_p, rank_sign, task_scale, tasks_md,
)
from heldout_tasks import SUITES  # noqa: E402

#: The sktpe source the run was stated for.
SKTPE = "ab302d76ce67"
#: Each suite's results file (``benchmarks/results/heldout/<file>.jsonl``).
FILES = {"confirm-2": "half_confirm2", "confirm-3": "half_confirm3"}
SEEDS = tuple(range(20))
#: Random search's budgets (one run read at each) and TPESearchCV's.
RANDOM_BUDGETS, TPE_BUDGET = (10, 20, 40, 80), 40
#: The margin of the primary test, in task sd (round 10's).
MARGIN = 0.05

#: Tasks left out of every pool under the stated rule (a method raised on them): none so far.
EXCLUDED: dict[str, str] = {}
#: Where the statement was committed.
STATED = "4a08fbb"
#: The runs made, every one (added after the runs, before the reading).
RUNS = ("Runs made, each once, every one reported: `confirm-2` from a fresh clone of 4a08fbb (random search "
        "and the defaults 1600 runs in 1302 s, TPESearchCV 800 runs in 781 s), `confirm-3` from a fresh clone "
        "of c77a4be, the commit that defines it (1600 runs in 1473 s, 800 in 661 s); every command's exit "
        "code 0, no task left out. Rows in `benchmarks/results/heldout/half_confirm2.jsonl` and "
        "`half_confirm3.jsonl`. Read once, when both were complete (stop 61).")


@dataclass(frozen=True)
class Suite:
    """One suite's stated rows, per task: random search's test scores (seeds x
    :data:`RANDOM_BUDGETS`), TPESearchCV's at :data:`TPE_BUDGET` and the defaults' (one per
    seed), and the task's sd (``heldout_report.task_scale``)."""

    name: str
    tasks: list[str]
    random: dict[str, np.ndarray]
    tpe: dict[str, np.ndarray]
    default: dict[str, np.ndarray]
    scale: dict[str, float]


def _method_of(r: dict) -> str | None:
    """Which stated arm a row belongs to, or None for a row of another run of the file."""
    if r["method"] == "default":
        return "default"
    if r["method"] == "random" and tuple(r["budgets"]) == RANDOM_BUDGETS:
        return "random"
    if r["method"] == "tpe" and r["variant"] == "" and list(r["budgets"]) == [TPE_BUDGET]:
        if r["sktpe"] != SKTPE:
            raise ValueError(f"a TPESearchCV row of {r['task']} seed {r['seed']} is of sktpe source "
                             f"{r['sktpe']}, not the stated {SKTPE}")
        return "tpe"
    return None


def index_rows(rows: list[dict], arm_of: Callable[[dict], str | None],
               finite: tuple[str, ...] = ("test",)) -> dict[tuple[str, str, int], dict]:
    """The rows of a stated run by (arm, task, seed), ``arm_of`` naming each row's arm (None: a
    row of another run, skipped). A key stored twice and a value of ``finite`` that is not a
    number are refused (neither is in a statement)."""
    by: dict[tuple[str, str, int], dict] = {}
    for r in rows:
        arm = arm_of(r)
        if arm is None:
            continue
        k = (arm, r["task"], r["seed"])
        if k in by:
            raise ValueError(f"{k} was run twice; the stated run makes each once")
        for field in finite:
            if not np.isfinite(np.asarray(r[field], dtype=float)).all():
                raise ValueError(f"{k} has a {field} that is not a number: {r[field]}")
        by[k] = r
    return by


def suite_of(name: str, rows: list[dict], tasks: list[str]) -> Suite | None:
    """``rows`` (one results file, every stored line) as a :class:`Suite` of ``tasks``, or None
    until every arm holds every seed of :data:`SEEDS` on every task (:func:`index_rows` refuses
    repeats and test scores that are not numbers)."""
    by = index_rows(rows, _method_of)
    arms = ("random", "tpe", "default")
    if any((m, t, s) not in by for m in arms for t in tasks for s in SEEDS):
        return None
    random_ = {t: np.array([by["random", t, s]["test"] for s in SEEDS], dtype=float) for t in tasks}
    tpe = {t: np.array([by["tpe", t, s]["test"][0] for s in SEEDS], dtype=float) for t in tasks}
    default = {t: np.array([by["default", t, s]["test"][0] for s in SEEDS], dtype=float) for t in tasks}
    scale = {t: float(np.std(random_[t])) for t in tasks}
    scale = {t: sd if sd > 0 else 1.0 for t, sd in scale.items()}  # task_scale's rule
    return Suite(name, list(tasks), random_, tpe, default, scale)


def load_suite(suite: str) -> Suite | None:
    """The stated run on ``suite`` (its tasks less :data:`EXCLUDED`), or None until complete.
    Every stored line is read (``heldout.load_rows`` would keep the last of a repeated run)."""
    rows = [r for r in _stored_lines(FILES[suite]) if "method" in r]
    return suite_of(suite, rows, [t.name for t in SUITES[suite] if t.name not in EXCLUDED])


def from_table(tab: Table) -> Suite:
    """The confirmation suite's stated run (``heldout_confirm.load_confirm()``) as a :class:`Suite`."""
    j = tab.budgets.index(TPE_BUDGET)
    return Suite(tab.suite, list(tab.tasks), {t: tab.test["random"][t] for t in tab.tasks},
                 {t: tab.test["tpe"][t][:, j] for t in tab.tasks},
                 {t: tab.test["default"][t][:, 0] for t in tab.tasks},
                 {t: task_scale(tab, t) for t in tab.tasks})


def confirm_suite() -> Suite | None:
    """The confirmation suite's stated run (``heldout_confirm.py``) as a :class:`Suite`, or None
    while it is incomplete."""
    import heldout_confirm

    tab = heldout_confirm.load_confirm()
    return None if tab is None else from_table(tab)


def joined(suites: list[Suite]) -> Suite:
    """Several suites as one (no task in two), each task in its own sd."""
    tasks = [t for s in suites for t in s.tasks]
    if len(set(tasks)) < len(tasks):
        raise ValueError("the suites must have no task in common to be pooled")
    return Suite("+".join(s.name for s in suites), tasks,
                 *({t: v for s in suites for t, v in getattr(s, f).items()}
                   for f in ("random", "tpe", "default", "scale")))


@dataclass(frozen=True)
class Pooled:
    """A mean over tasks of per-task mean differences in task sd, with its 95% t-interval, a
    Wilcoxon p over the tasks, and how many tasks are ahead and behind."""

    n_tasks: int
    diff: float
    low: float
    high: float
    p: float
    ahead: int
    behind: int

    @classmethod
    def of(cls, gaps: list[np.ndarray]) -> "Pooled":
        """Pooled over the tasks: ``gaps`` one array per task over its seeds, in task sd."""
        d, _, low, high = _task_gaps(gaps)
        return cls(len(d), float(d.mean()), low, high, paired_p(d, np.zeros_like(d)), *ahead_behind(d))

    def words(self, wilcoxon: bool = False) -> str:
        """``-0.012 task sd [-0.034, +0.010]`` and the rest, as the page prints it; the Wilcoxon p
        only where the statement names that test (reading (c)), and uncorrected."""
        test = f"Wilcoxon over the tasks p={self.p:.2g}, uncorrected; " if wilcoxon else ""
        return (f"{self.diff:+.3f} task sd, 95% t-interval over the {self.n_tasks} tasks [{self.low:+.3f}, "
                f"{self.high:+.3f}] ({test}ahead on {self.ahead}, behind on {self.behind})")


def pooled(s: Suite, against: int) -> Pooled:
    """TPESearchCV at :data:`TPE_BUDGET` against random search at ``against`` candidates, pooled
    over ``s``'s tasks."""
    j = RANDOM_BUDGETS.index(against)
    return Pooled.of([(s.tpe[t] - s.random[t][:, j]) / s.scale[t] for t in s.tasks])


def primary(s: Suite) -> tuple[Pooled, bool]:
    """The stated test: against random search at the largest budget; met if the lower end of the
    interval is above -:data:`MARGIN`."""
    r = pooled(s, RANDOM_BUDGETS[-1])
    return r, r.low > -MARGIN


def cell_tests(gaps: list[np.ndarray]) -> list[tuple[float, float, int]]:
    """One family of paired tests, each cell's gaps an array over the seeds: per cell (mean gap,
    Holm p over the family of a Wilcoxon test over the seeds, the test's direction: +1 where
    the first of the pair ranks ahead)."""
    p = holm(np.array([paired_p(g, np.zeros_like(g)) for g in gaps]))
    return [(float(np.mean(g)), float(q), rank_sign(g)) for g, q in zip(gaps, p)]


def per_task(s: Suite, other: dict[str, np.ndarray]) -> list[tuple[str, float, float, int]]:
    """Per task, TPESearchCV's test scores against ``other``'s (one per seed): (task, and
    :func:`cell_tests`' mean gap, Holm p over the tasks and direction)."""
    return [(t, *c) for t, c in zip(s.tasks, cell_tests([s.tpe[t] - other[t] for t in s.tasks]))]


def worst_below(s: Suite, j: int) -> list[str]:
    """The tasks whose worst TPESearchCV split is below random search's worst at budget index ``j``
    (by more than float noise, as ``heldout_report.worst_seed_below_random``)."""
    return [t for t in s.tasks if s.tpe[t].min() - s.random[t][:, j].min() < -1e-12]


class ChanceSplits(NamedTuple):
    """Splits at chance level (``chance.at_chance``: a test score at or below that of a model that
    ignores the features) over every task and seed of a suite."""

    tpe: int  # TPESearchCV at TPE_BUDGET
    random_same: int  # random search at TPE_BUDGET
    random_top: int  # random search at the largest budget
    tpe_only: int  # TPESearchCV at chance where random search at TPE_BUDGET is not
    random_only: int  # the reverse
    tpe_only_tasks: tuple[str, ...]


def chance_splits(s: Suite, dummies: dict[str, np.ndarray]) -> ChanceSplits:
    """:class:`ChanceSplits` of ``s`` given each task's chance-level score per seed."""
    jb = RANDOM_BUDGETS.index(TPE_BUDGET)
    a = {t: at_chance(s.tpe[t][:, None], dummies[t])[:, 0] for t in s.tasks}
    same = {t: at_chance(s.random[t][:, [jb]], dummies[t])[:, 0] for t in s.tasks}
    top = {t: at_chance(s.random[t][:, [-1]], dummies[t])[:, 0] for t in s.tasks}
    only = {t: int((a[t] & ~same[t]).sum()) for t in s.tasks}
    return ChanceSplits(sum(int(a[t].sum()) for t in s.tasks), sum(int(same[t].sum()) for t in s.tasks),
                        sum(int(top[t].sum()) for t in s.tasks), sum(only.values()),
                        sum(int((same[t] & ~a[t]).sum()) for t in s.tasks), tuple(t for t in s.tasks if only[t]))


def chance_line(c: ChanceSplits, n_splits: int) -> str:
    """The page's line on :func:`chance_splits` (read after the run, not stated before it)."""
    return (f"- Read after the run, not stated: at chance level (a test score at or below that of a model that "
            f"ignores the features, `benchmarks/chance.py`), TPESearchCV at {TPE_BUDGET} ends on {c.tpe} of "
            f"{n_splits} splits, random search on {c.random_same} at {TPE_BUDGET} and {c.random_top} at "
            f"{RANDOM_BUDGETS[-1]}; TPESearchCV at chance where random search at {TPE_BUDGET} is not on "
            f"{c.tpe_only} splits ({len(c.tpe_only_tasks)} tasks), the reverse on {c.random_only}.")


def _verdict(r: Pooled, met: bool) -> str:
    return f"{r.words()}: **{'met' if met else 'not met'}**"


def section(fresh: Suite, parts: list[Suite], confirm: Suite | None) -> list[str]:
    """The benchmark page's section on round 24, read once both suites are complete."""
    r, met = primary(fresh)
    top, b = RANDOM_BUDGETS[-1], TPE_BUDGET
    L = [f"## Half the trials, on {len(fresh.tasks)} fresh tasks (round 24)", "",
         f"The test stated in `benchmarks/half_fresh.py` (committed at {STATED} before a row of it existed): "
         f"TPESearchCV's model at {b} candidates against random search's at {top}, per task the mean over "
         f"{len(SEEDS)} splits in task sd, pooled over the {len(fresh.tasks)} tasks of `confirm-2` and "
         f"`confirm-3`, met if the lower end is above -{MARGIN}. {RUNS}", "",
         f"- **Primary**: {_verdict(r, met)}."]
    L += [f"- (a) `{p.name}` alone: {primary(p)[0].words()}." for p in parts]
    if confirm is not None:
        w = joined([fresh, confirm])
        L.append(f"- (b) With the confirmation suite's {len(confirm.tasks)} tasks (a second look at them, "
                 f"read at stop 56), {len(w.tasks)} tasks: {primary(w)[0].words()}.")
    L.append(f"- (c) Against random search at {b} candidates too: {pooled(fresh, b).words(wilcoxon=True)}.")
    ahead = [(t, g, p) for t, g, p, side in per_task(fresh, {t: fresh.random[t][:, -1] for t in fresh.tasks})
             if p < ALPHA and side < 0]
    L.append(f"- (d) Tasks where random search at {top} is significantly ahead of TPESearchCV at {b} "
             f"(Wilcoxon over the splits, Holm over the {len(fresh.tasks)} tasks): "
             + (", ".join(f"{t} ({g:+.4f}, Holm p={p:.2g})" for t, g, p in ahead) if ahead else "none") + ".")
    jb = RANDOM_BUDGETS.index(b)
    at_b, at_top = worst_below(fresh, jb), worst_below(fresh, len(RANDOM_BUDGETS) - 1)
    L.append(f"- (e) TPESearchCV's worst split at {b} below random search's worst at {b} on "
             f"{len(at_b)} tasks, below its worst at {top} on {len(at_top)}, below both on "
             f"{len(set(at_b) & set(at_top))}, of {len(fresh.tasks)}.")
    vs = per_task(fresh, fresh.default)
    better = [t for t, _, p, side in vs if p < ALPHA and side > 0]
    worse = [t for t, _, p, side in vs if p < ALPHA and side < 0]
    L.append(f"- (f) Against the estimator's own defaults (Wilcoxon over the splits, Holm over the tasks): "
             f"better on {len(better)}, worse on {len(worse)}" + (f" ({', '.join(worse)})" if worse else "")
             + ".")
    return L + [""]


def bullet(fresh: Suite, confirm: Suite | None) -> str:
    """The plain-words lead's sentence on round 24 (README and benchmark page)."""
    r, met = primary(fresh)
    s = (f"- **Half the trials, on {len(fresh.tasks)} fresh tasks** (two more suites of real data sets from R "
         f"packages, `confirm-2` and `confirm-3`, on which random search had never run; a test stated before "
         f"the run, TPESearchCV at sktpe source {SKTPE}). TPESearchCV's model at {TPE_BUDGET} candidates "
         f"against random search's at {RANDOM_BUDGETS[-1]}, at most {MARGIN} task sd behind (the lower end "
         f"of a 95% t-interval over the tasks): {_verdict(r, met)}")
    if confirm is not None:
        w = primary(joined([fresh, confirm]))[0]
        s += (f"; with the {len(confirm.tasks)} tasks of the run above ({len(fresh.tasks) + len(confirm.tasks)} "
              f"tasks, a second look at those, not a test of its own): {w.words()}")
    return s + (f". Against random search at {TPE_BUDGET} candidates too (a secondary reading): "
                f"{pooled(fresh, TPE_BUDGET).words(wilcoxon=True)}.")


@dataclass(frozen=True)
class Reading:
    """Round 24's two stated runs, both complete, and the confirmation suite's (None while it is
    incomplete): what the page's section and the lead's bullet read, loaded once."""

    parts: list[Suite]
    confirm: Suite | None

    @property
    def fresh(self) -> Suite:
        """The two suites as one: the primary test's tasks."""
        return joined(self.parts)


def read(confirm: Table | None = None) -> Reading | None:
    """The :class:`Reading`, or None until both suites are complete. ``confirm``: the confirmation
    suite's table where the caller has loaded it (``heldout_confirm.tables_of()[0]``), else it is
    loaded here."""
    parts = [load_suite(s) for s in FILES]
    if any(p is None for p in parts):
        return None
    return Reading(parts, from_table(confirm) if confirm is not None else confirm_suite())


def lead_bullet(reading: Reading | None) -> str | None:
    """:func:`bullet` of a :class:`Reading`; None before both suites are complete."""
    return None if reading is None else bullet(reading.fresh, reading.confirm)


def incomplete() -> list[str]:
    """The page's lines while the stated runs have rows but are not both complete (called only
    then): none while they have no row."""
    counts = {suite: sum(1 for r in _stored_lines(name) if "method" in r and _method_of(r))
              for suite, name in FILES.items()}
    if not any(counts.values()):
        return []
    tasks = {s: [t for t in SUITES.get(s, []) if t.name not in EXCLUDED] for s in FILES}
    need = {s: 3 * len(SEEDS) * len(tasks[s]) for s in FILES}
    return [f"## Half the trials, on {sum(map(len, tasks.values()))} fresh tasks (round 24)", "",
            "The run stated in `benchmarks/half_fresh.py` is incomplete: "
            + "; ".join(f"`{s}` {counts[s]} of {need[s]} rows" for s in FILES)
            + ". Nothing of it is read until both suites are complete.", ""]


def lines(reading: Reading | None) -> list[str]:
    """Round 24's section: the :class:`Reading` when both suites are complete, else what is missing."""
    if reading is None:
        return incomplete()
    fresh = reading.fresh
    L = section(fresh, reading.parts, reading.confirm)
    dummies = {t: d for s in reading.parts for t, d in chance.dummy_scores(s.name, s.tasks, list(SEEDS)).items()}
    L[-1:] = [chance_line(chance_splits(fresh, dummies), len(SEEDS) * len(fresh.tasks)), ""]
    for suite in FILES:
        L += [f"The tasks of `{suite}`:", ""] + tasks_md(suite) + [""]
    return L


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
                            ).parse_args(argv)
    print("\n".join(lines(read()) or ["no row of round 24 yet"]))


if __name__ == "__main__":
    main()
