"""Issue 24's moonshot on 80 fresh tasks: ``confirm-2`` and ``confirm-3`` at 80 candidates (round 25).

Why: the moonshot asks that at the full budget TPESearchCV's model score significantly better on
held-out data than both random search's and Optuna's, pooled across tasks, with a smaller
optimism than theirs. Measured before this round: on the report suite (10 tasks) and 6 more
real data sets, no difference at 80 candidates is measurable; on the confirmation suite (40
tasks, no Optuna) TPESearchCV at 80 against random search at 80 was -0.03 task sd, and its
optimism at 80 was +0.39 task sd against random search's +0.25. Optuna has been compared with
TPESearchCV on held-out data on 16 tasks only. Round 24 ran random search (to 80 candidates)
and TPESearchCV (at 40) on ``confirm-2`` and ``confirm-3``; neither TPESearchCV at 80 nor
Optuna has run there.

Stated before the run (stop 62, committed before a row of this round existed, at sktpe source
ab302d76ce67, the defaults of stops 46-61; sktpe's source is not edited until both runs are
complete, and the reader refuses TPESearchCV rows of another source):

* **Run**, per suite, from a fresh clone of the stating commit, seeds 0-19, the two methods in
  two processes side by side (one core each; their test scores do not depend on the load)::

      python benchmarks/heldout.py --suite confirm-2 --seeds 0-19 --methods tpe \\
          --budgets 80 --file moon_tpe_confirm2 --n-jobs 1
      python benchmarks/heldout.py --suite confirm-2 --seeds 0-19 --methods optuna \\
          --budgets 10,20,40,80 --horizon 1 --file moon_optuna_confirm2 --n-jobs 1

  and the same with ``confirm-3`` (files ``moon_tpe_confirm3``, ``moon_optuna_confirm3``).
  Random search's rows (to 80 candidates) and TPESearchCV's at 40 are round 24's
  (``half_confirm2``, ``half_confirm3``, the same splits and folds). ``--horizon 1``: Optuna
  stops at 80 candidates, so no comparison at equal time is made. HalvingRandomSearchCV and
  racing are not run (cost). A run cut short by the end of a session is resumed by the same
  command; a method that raises on a task stops the run: the run is resumed without that task
  (``--tasks``), and the task is named and left out of every pool. Every run made is reported
  whatever it shows.
* **Nothing is read until both suites hold both methods on every seed and task**; then once.
* **The moonshot, three pooled tests** over the 80 tasks of both suites, per task the mean
  over the 20 splits in that task's sd (``heldout_report.task_scale``: random search's test
  scores over the seeds and budgets 10, 20, 40, 80), with a 95% t-interval over the tasks:
  (1) TPESearchCV's test score at 80 minus random search's at 80: significantly better if the
  interval's lower end is above 0; (2) the same against Optuna at 80; (3) optimism (the
  search's best CV score minus its model's test score) at 80, TPESearchCV's minus random
  search's and minus Optuna's: smaller if both intervals' upper ends are below 0. **Met if
  (1), (2) and (3) all hold.** A claim that needs every part (an intersection-union test) needs
  no correction for their number.
* **Secondary, stated, none a test of the moonshot**: (a) each statistic on each suite alone;
  (b) per task, TPESearchCV against Optuna at the same number of candidates, at 40 and at 80
  (Wilcoxon over the splits, Holm over the 160 cells): where Optuna is significantly ahead,
  named, and where TPESearchCV is, counted (the acceptance's "not significantly worse than any
  peer", for Optuna on these tasks); (c) per task, TPESearchCV at 80 against random search at
  80 (Wilcoxon, Holm over the 80 tasks), named either way; (d) the tasks where TPESearchCV's
  worst split at 80 is below Optuna's worst at 80 and below random search's worst at 80,
  counted; (e) Optuna at 40 against random search at 80, the statistic of round 24's primary
  test (TPESearchCV's there: +0.032); (f) TPESearchCV at 80 minus TPESearchCV at 40, pooled:
  what the second 40 candidates buy; (g) the mean optimism at 80 of each of the three, in task
  sd.
* **Expected**: with the confirmation suite's -0.03 and a task spread of about 0.12, (1)'s
  interval is about +-0.027 wide, and its lower end clears 0 with probability well under 0.1
  unless the confirmation suite's mean was an unlucky draw. TPESearchCV's optimism was larger
  than random search's on every suite measured, so (3) is expected to fail against random
  search. The moonshot is expected **not** to be met; the round is run because Optuna, the
  peer a TPE user would otherwise pick, has never been compared with TPESearchCV on held-out
  data beyond 16 tasks, and the acceptance's criterion "not significantly worse than any peer"
  has never been tested against it on these suites.

A correction after the statement, before any row of this round was read (stop 62): TPESearchCV
did run at 80 candidates on ``confirm-2`` before, in round 21 (``confirm2_reevaluate``, sktpe
source ca82ce4d54b1, against ``selection='reevaluate'`` only); those rows are of another source
and not read here. Random search's rows and TPESearchCV's at 40 are round 24's, read there.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import half_fresh  # noqa: E402
from half_fresh import Pooled, cell_tests, index_rows  # noqa: E402
from heldout_report import ALPHA, _stored_lines  # noqa: E402
from heldout_tasks import SUITES  # noqa: E402

#: The sktpe source the run was stated for.
SKTPE = "ab302d76ce67"
#: Each suite's results files for this round, per method (``benchmarks/results/heldout/<file>.jsonl``).
FILES = {"confirm-2": {"tpe": "moon_tpe_confirm2", "optuna": "moon_optuna_confirm2"},
         "confirm-3": {"tpe": "moon_tpe_confirm3", "optuna": "moon_optuna_confirm3"}}
SEEDS = tuple(range(20))
#: TPESearchCV's budget here and Optuna's (one run read at each).
TPE_BUDGET, OPTUNA_BUDGETS = 80, (10, 20, 40, 80)
#: Random search's budgets (round 24's rows, read at each).
RANDOM_BUDGETS = half_fresh.RANDOM_BUDGETS
#: The stated arms: each reads one method's test scores and best CV scores at these budgets.
ARMS = {"random": RANDOM_BUDGETS, "tpe40": (half_fresh.TPE_BUDGET,), "tpe": (TPE_BUDGET,),
        "optuna": OPTUNA_BUDGETS}
#: Tasks left out of every pool under the stated rule (a method raised on them): none so far.
EXCLUDED: dict[str, str] = {}
#: Where the statement was committed.
STATED = "adfb3dd"
#: The runs made, every one (added after the runs, before the reading).
RUNS = ""


def _arm_of(r: dict) -> str | None:
    """Which stated arm a row of round 24's or this round's files is, or None for a row of
    another run (the defaults, other budgets, other variants)."""
    budgets, variant = tuple(r["budgets"]), r.get("variant", "")
    arm = {("random", RANDOM_BUDGETS): "random", ("optuna", OPTUNA_BUDGETS): "optuna",
           ("tpe", ARMS["tpe40"]): "tpe40", ("tpe", ARMS["tpe"]): "tpe"}.get((r["method"], budgets))
    if arm is None or variant != "":
        return None
    if arm.startswith("tpe") and r["sktpe"] != SKTPE:
        raise ValueError(f"a TPESearchCV row of {r['task']} seed {r['seed']} is of sktpe source "
                         f"{r['sktpe']}, not the stated {SKTPE}")
    return arm


@dataclass(frozen=True)
class Moon:
    """One suite's (or several suites') stated arms, per task: ``test[arm][task]`` and
    ``cv[arm][task]``, (seeds, the arm's budgets) arrays of test scores and best CV scores, and
    the task's sd (random search's test scores over the seeds and budgets, as
    ``heldout_report.task_scale``)."""

    name: str
    tasks: list[str]
    test: dict[str, dict[str, np.ndarray]]
    cv: dict[str, dict[str, np.ndarray]]
    scale: dict[str, float]

    def at(self, arm: str, budget: int, task: str, what: str = "test") -> np.ndarray:
        """``arm``'s test scores (or ``what="cv"``: best CV scores) at ``budget`` on ``task``, per seed."""
        return getattr(self, what)[arm][task][:, ARMS[arm].index(budget)]

    def optimism(self, arm: str, budget: int, task: str) -> np.ndarray:
        """``arm``'s best CV score minus its model's test score at ``budget``, per seed."""
        return self.at(arm, budget, task, "cv") - self.at(arm, budget, task)


def moon_of(name: str, rows: list[dict], tasks: list[str]) -> Moon | None:
    """``rows`` (every stored line of a suite's files) as a :class:`Moon` of ``tasks``, or None
    until every arm holds every seed of :data:`SEEDS` on every task (``half_fresh.index_rows``
    refuses repeats, and test and best CV scores that are not numbers: test (3) reads both)."""
    by = index_rows(rows, _arm_of, finite=("test", "cv_best"))
    if any((a, t, s) not in by for a in ARMS for t in tasks for s in SEEDS):
        return None
    test = {a: {t: np.array([by[a, t, s]["test"] for s in SEEDS], dtype=float) for t in tasks} for a in ARMS}
    cv = {a: {t: np.array([by[a, t, s]["cv_best"] for s in SEEDS], dtype=float) for t in tasks} for a in ARMS}
    scale = {t: float(np.std(test["random"][t])) for t in tasks}
    return Moon(name, list(tasks), test, cv, {t: sd if sd > 0 else 1.0 for t, sd in scale.items()})


def _files(suite: str) -> list[str]:
    return [half_fresh.FILES[suite], *FILES[suite].values()]


def load_suite(suite: str) -> Moon | None:
    """The stated arms on ``suite`` (its tasks less :data:`EXCLUDED`), or None until complete."""
    rows = [r for name in _files(suite) for r in _stored_lines(name) if "method" in r]
    return moon_of(suite, rows, [t.name for t in SUITES[suite] if t.name not in EXCLUDED])


def joined(parts: list[Moon]) -> Moon:
    """Several suites as one (no task in two), each task in its own sd."""
    tasks = [t for m in parts for t in m.tasks]
    if len(set(tasks)) < len(tasks):
        raise ValueError("the suites must have no task in common to be pooled")
    return Moon("+".join(m.name for m in parts), tasks,
                {a: {t: v for m in parts for t, v in m.test[a].items()} for a in ARMS},
                {a: {t: v for m in parts for t, v in m.cv[a].items()} for a in ARMS},
                {t: v for m in parts for t, v in m.scale.items()})


def _pool(m: Moon, gap) -> Pooled:  # gap(task) -> an array over the seeds, in the task's units
    return Pooled.of([gap(t) / m.scale[t] for t in m.tasks])


def score_gap(m: Moon, arm: str, budget: int, peer: str, peer_budget: int) -> Pooled:
    """``arm`` at ``budget`` minus ``peer`` at ``peer_budget``, test scores, pooled over the tasks."""
    return _pool(m, lambda t: m.at(arm, budget, t) - m.at(peer, peer_budget, t))


def optimism_gap(m: Moon, peer: str) -> Pooled:
    """TPESearchCV's optimism at 80 minus ``peer``'s at 80, pooled over the tasks (below 0:
    TPESearchCV's best CV score overstates its model's test score less)."""
    return _pool(m, lambda t: m.optimism("tpe", TPE_BUDGET, t) - m.optimism(peer, TPE_BUDGET, t))


@dataclass(frozen=True)
class Moonshot:
    """The three stated tests and whether each holds: (1) better than random search at 80, (2)
    better than Optuna at 80 (lower ends above 0), (3) optimism smaller than both (upper ends
    below 0)."""

    random: Pooled
    optuna: Pooled
    optimism_random: Pooled
    optimism_optuna: Pooled

    @property
    def parts(self) -> tuple[bool, bool, bool]:
        """Whether (1), (2) and (3) hold."""
        return (self.random.low > 0, self.optuna.low > 0,
                self.optimism_random.high < 0 and self.optimism_optuna.high < 0)

    @property
    def met(self) -> bool:
        """The moonshot: every part holds."""
        return all(self.parts)


def moonshot(m: Moon) -> Moonshot:
    """The stated tests on ``m``'s tasks."""
    b = TPE_BUDGET
    return Moonshot(score_gap(m, "tpe", b, "random", b), score_gap(m, "tpe", b, "optuna", b),
                    optimism_gap(m, "random"), optimism_gap(m, "optuna"))


def _holds(ok: bool) -> str:
    return "**holds**" if ok else "**does not hold**"


def moonshot_words(s: Moonshot) -> list[str]:
    """The three tests as the page's bullets."""
    one, two, three = s.parts
    return [f"- (1) Test score at {TPE_BUDGET}, TPESearchCV minus random search: {s.random.words()}: {_holds(one)}.",
            f"- (2) Test score at {TPE_BUDGET}, TPESearchCV minus Optuna: {s.optuna.words()}: {_holds(two)}.",
            f"- (3) Optimism at {TPE_BUDGET}, TPESearchCV's minus random search's: {s.optimism_random.words()}; "
            f"minus Optuna's: {s.optimism_optuna.words()}: {_holds(three)}."]


def against_optuna(m: Moon) -> list[tuple[str, int, float, float, int]]:
    """Reading (b): per task and budget (40, 80), TPESearchCV against Optuna with as many
    candidates: (task, budget, mean gap, Holm p over every cell of a Wilcoxon test over the
    seeds, the test's direction: +1 where TPESearchCV's ranks are ahead)."""
    cells = [(t, b, arm) for b, arm in ((half_fresh.TPE_BUDGET, "tpe40"), (TPE_BUDGET, "tpe")) for t in m.tasks]
    tests = cell_tests([m.at(arm, b, t) - m.at("optuna", b, t) for t, b, arm in cells])
    return [(t, b, *c) for (t, b, _), c in zip(cells, tests)]


def against_random(m: Moon) -> list[tuple[str, float, float, int]]:
    """Reading (c): per task, TPESearchCV at 80 against random search at 80 (task, mean gap, Holm
    p over the tasks, direction)."""
    tests = cell_tests([m.at("tpe", TPE_BUDGET, t) - m.at("random", TPE_BUDGET, t) for t in m.tasks])
    return [(t, *c) for t, c in zip(m.tasks, tests)]


def worst_below(m: Moon, peer: str) -> list[str]:
    """Reading (d): the tasks whose worst TPESearchCV split at 80 is below ``peer``'s worst at 80
    (by more than float noise)."""
    b = TPE_BUDGET
    return [t for t in m.tasks if m.at("tpe", b, t).min() - m.at(peer, b, t).min() < -1e-12]


def mean_optimism(m: Moon, arm: str) -> float:
    """Reading (g): ``arm``'s mean optimism at 80 over the tasks, in task sd."""
    return float(np.mean([m.optimism(arm, TPE_BUDGET, t).mean() / m.scale[t] for t in m.tasks]))


def _cell(t: str, g: float, p: float) -> str:
    return f"{t} ({g:+.4f}, Holm p={p:.2g})"


def _named(cells: list[tuple], fmt) -> str:
    return ", ".join(fmt(*c) for c in cells) if cells else "none"


def section(fresh: Moon, parts: list[Moon]) -> list[str]:
    """The benchmark page's section on round 25, read once both suites are complete."""
    s, b = moonshot(fresh), TPE_BUDGET
    left = (" Left out under the stated rule (a method raised on them): "
            + ", ".join(f"{t} ({why})" for t, why in EXCLUDED.items()) + "." if EXCLUDED else "")
    L = [f"## The moonshot, on the {len(fresh.tasks)} tasks of round 24 (round 25)", "",
         f"The tests stated in `benchmarks/moon_fresh.py` (committed at {STATED} before a row of TPESearchCV at "
         f"{b} or of Optuna on these tasks existed at that source; random search's rows and TPESearchCV's at "
         f"{half_fresh.TPE_BUDGET} are round 24's, read there): at {b} candidates, TPESearchCV's model against "
         f"random search's and Optuna's, per task the mean over {len(SEEDS)} splits in task sd, pooled over "
         f"the {len(fresh.tasks)} tasks of `confirm-2` and `confirm-3`; the moonshot is met if (1), (2) and "
         f"(3) all hold. {RUNS}{left}", "",
         f"- **The moonshot: {'met' if s.met else 'not met'}.**"] + moonshot_words(s)
    for p in parts:
        ps = moonshot(p)
        L.append(f"- (a) `{p.name}` alone: (1) {ps.random.words()}; (2) {ps.optuna.words()}; (3) against "
                 f"random search {ps.optimism_random.words()}, against Optuna {ps.optimism_optuna.words()}.")
    cells = against_optuna(fresh)
    behind = [(t, bb, g, p) for t, bb, g, p, side in cells if p < ALPHA and side < 0]
    ahead = [c for c in cells if c[3] < ALPHA and c[4] > 0]
    L.append(f"- (b) Task by task against Optuna with as many candidates, at {half_fresh.TPE_BUDGET} and {b} "
             f"(Wilcoxon over the splits, Holm over the {len(cells)} cells): Optuna significantly ahead on "
             + _named(behind, lambda t, bb, g, p: f"{t} at {bb} ({g:+.4f}, Holm p={p:.2g})")
             + f"; TPESearchCV significantly ahead in {len(ahead)} cells.")
    rows = against_random(fresh)
    L.append(f"- (c) Task by task against random search at {b} (Wilcoxon over the splits, Holm over the "
             f"{len(fresh.tasks)} tasks): TPESearchCV significantly ahead on "
             + _named([(t, g, p) for t, g, p, side in rows if p < ALPHA and side > 0], _cell)
             + "; random search significantly ahead on "
             + _named([(t, g, p) for t, g, p, side in rows if p < ALPHA and side < 0], _cell) + ".")
    wo, wr = worst_below(fresh, "optuna"), worst_below(fresh, "random")
    L.append(f"- (d) TPESearchCV's worst split at {b} below Optuna's worst at {b} on {len(wo)} tasks, below "
             f"random search's worst at {b} on {len(wr)}, below both on {len(set(wo) & set(wr))}, of "
             f"{len(fresh.tasks)}.")
    h = half_fresh.TPE_BUDGET
    L.append(f"- (e) Optuna's model at {h} candidates against random search's at {b} (round 24's primary "
             f"statistic; TPESearchCV's there is in the section above): {score_gap(fresh, 'optuna', h, 'random', b).words()}.")
    L.append(f"- (f) TPESearchCV with n_iter={b} minus with n_iter={h} (separate searches; the start-up "
             f"depends on n_iter): "
             f"{score_gap(fresh, 'tpe', b, 'tpe40', h).words()}.")
    L.append(f"- (g) Mean optimism at {b} in task sd: TPESearchCV {mean_optimism(fresh, 'tpe'):+.2f}, random "
             f"search {mean_optimism(fresh, 'random'):+.2f}, Optuna {mean_optimism(fresh, 'optuna'):+.2f}.")
    return L + [""]


def bullet(fresh: Moon) -> str:
    """The plain-words lead's sentence on round 25 (README and benchmark page)."""
    s, b = moonshot(fresh), TPE_BUDGET
    held = [name for name, ok in zip(("better than random search", "better than Optuna",
                                      "a smaller optimism than both"), s.parts) if ok]
    return (f"- **At {b} candidates, on the same {len(fresh.tasks)} tasks, against random search and "
            f"Optuna** (tests stated before the run, TPESearchCV at sktpe source {SKTPE}): TPESearchCV minus "
            f"random search {s.random.words()}; minus Optuna {s.optuna.words()}. Its optimism at {b} "
            f"minus random search's {s.optimism_random.words()}; minus Optuna's {s.optimism_optuna.words()}. "
            f"That its model scores significantly better than both, with a smaller optimism (the issue's "
            f"moonshot), is **{'met' if s.met else 'not met'}** (of the three parts, "
            + (("shown: " + ", ".join(held)) if held else "none is shown") + ").")


def read() -> list[Moon] | None:
    """Both suites' stated arms, or None until both are complete and the runs made are written
    down (:data:`RUNS`, before the reading)."""
    if not RUNS:
        return None
    parts = [load_suite(s) for s in FILES]
    return None if any(p is None for p in parts) else parts


def lead_bullet(parts: list[Moon] | None) -> str | None:
    """:func:`bullet` of :func:`read`'s suites; None before both are complete."""
    return None if parts is None else bullet(joined(parts))


def incomplete() -> list[str]:
    """The page's lines while this round's files have rows but the arms are not all complete:
    none while they have no row."""
    counts = {s: sum(1 for name in FILES[s].values() for r in _stored_lines(name)
                     if "method" in r and _arm_of(r)) for s in FILES}
    if not any(counts.values()):
        return []
    need = {s: len(FILES[s]) * len(SEEDS) * len([t for t in SUITES[s] if t.name not in EXCLUDED]) for s in FILES}
    return ["## The moonshot, on the tasks of round 24 (round 25)", "",
            "The run stated in `benchmarks/moon_fresh.py` is not read yet: "
            + "; ".join(f"`{s}` {counts[s]} of {need[s]} rows" for s in FILES)
            + ". Nothing of it is read until both suites are complete and the runs made are written down.", ""]


def lines(parts: list[Moon] | None) -> list[str]:
    """Round 25's section: its reading when both suites are complete, else what is missing."""
    if parts is None:
        return incomplete()
    return section(joined(parts), parts)


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
                            ).parse_args(argv)
    print("\n".join(lines(read()) or ["no row of round 25 yet"]))


if __name__ == "__main__":
    main()
