"""Statistics and pages of the held-out-test benchmark (``heldout.py``).

Reads ``benchmarks/results/heldout/<suite>.jsonl`` and writes

* ``docs/heldout_<suite>.md``: what users keep, task by task and pooled;
* for the report suite, the figure ``docs/_static/heldout_curves.png`` and the
  lines that ``report.py`` puts at the top of ``docs/benchmarks.md`` and of the
  README summary.

Statistics:

* per (task, budget), TPESearchCV against each peer: a two-sided paired
  Wilcoxon signed-rank test over seeds (the same split and folds for both),
  Holm-corrected within each family (one peer, every task and budget);
* pooled across tasks: each task's mean difference over seeds, in units of
  that task's spread of test scores (standard deviation over every method,
  seed and budget), then a Wilcoxon signed-rank test over the tasks: the
  tasks, not the (task, seed) pairs, are the independent units;
* the worst seed of each method, beside the means: a search that ends at
  chance where random search does not shows there, not in a mean.

Usage: ``python benchmarks/heldout_report.py [--suite report|tuning]
[--variants a,b]``; ``--reach``, ``--greedy``, ``--extra``, ``--smooth``,
``--one-se`` and ``--guard`` write rounds 10 to 15 of docs/guide/ablation.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
from scipy.stats import wilcoxon

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from heldout import (  # noqa: E402
    BUDGETS, LARGE_BUDGET, LARGE_FILE, SKTPE_METHODS, key, load_rows, results_path,
)
from heldout_tasks import SUITES  # noqa: E402

PEERS = ("random", "halving", "optuna")
LABEL = {"tpe": "TPESearchCV", "tpe-racing": "TPESearchCV racing", "random": "RandomizedSearchCV",
         "halving": "HalvingRandomSearchCV", "optuna": "Optuna TPE", "default": "estimator defaults"}
ALPHA = 0.05


@dataclass
class Table:
    """Test scores, best CV scores and seconds: ``[method][task]`` -> (seeds, budgets) arrays."""

    suite: str
    budgets: list
    seeds: list
    tasks: list
    test: dict
    cv: dict
    seconds: dict  # CPU seconds (wall seconds for rows that predate CPU timing)
    trials: dict  # [method][task] -> list per seed of (trial_done, trial_test) for prefix methods
    sktpe: str
    #: Per task, the spread that normalises differences (``task_scale``); empty:
    #: this table's own. A run of one larger budget borrows the main table's, so
    #: its differences are in the same units.
    scale: dict = field(default_factory=dict)
    #: The sktpe source of each sktpe method's rows (``tpe``, ``tpe-racing``).
    sources: dict = field(default_factory=dict)


#: The methods whose runs were timed side by side in one run (``heldout.py --redo``):
#: only their CPU times are compared (times from different sessions drift up to 2x).
TIMED_TOGETHER = ("random", "optuna", "tpe", "tpe-racing")


def source_words(tab: Table) -> str:
    """The sktpe source of TPESearchCV's rows, and racing's where it was measured at another."""
    tpe, racing = tab.sources.get("tpe", tab.sktpe), tab.sources.get("tpe-racing")
    return tpe + (f" (TPESearchCV racing's: {racing})" if racing not in (None, tpe) else "")


def methods_timed_together(tab: Table) -> tuple[str, ...]:
    """:data:`TIMED_TOGETHER`, less an sktpe method measured again later than the run (its rows
    of another sktpe source than TPESearchCV's: timed in another session)."""
    return tuple(m for m in TIMED_TOGETHER
                 if m not in tab.sources or tab.sources[m] == tab.sources.get("tpe"))


def load(suite: str, variant: str = "", sktpe: str | None = None, name: str | None = None,
         budgets: tuple[int, ...] = BUDGETS) -> Table:
    """The complete runs of ``suite``: every method on the seeds all of them ran.

    sktpe's rows are those of ``variant`` measured at the sktpe source hash
    ``sktpe`` (the newest one present when None). ``name`` is the results file
    (default: the suite's), ``budgets`` the runs' budgets.
    """
    rows = [r for r in load_rows(name or suite)
            if r["method"] == "default" or r["budgets"] == list(budgets)]
    rows = [r for r in rows if r["method"] != "random-b"]  # the noise floor: worst_seed_floor
    latest = {}  # newest sktpe source hash of each sktpe method
    for r in rows:
        if r["method"] in SKTPE_METHODS and r["variant"] == variant:
            latest[r["method"]] = r["sktpe"]
    rows = [r for r in rows if r["method"] not in SKTPE_METHODS
            or r["variant"] == variant and r["sktpe"] == (sktpe or latest[r["method"]])]
    tasks = [t.name for t in SUITES[suite]]
    methods = sorted({r["method"] for r in rows})
    by = {(r["method"], r["task"], r["seed"]): r for r in rows}
    every = sorted({r["seed"] for r in rows})
    seeds = [s for s in every if all((m, t, s) in by for m in methods for t in tasks)]
    if len(seeds) < len(every):
        print(f"note: seeds {[s for s in every if s not in seeds]} of {suite!r} are incomplete and left out",
              file=sys.stderr)
    budgets = list(budgets)
    sktpe = ",".join(sorted(set(latest.values()))) if sktpe is None else sktpe
    test, cv, sec, trials = {}, {}, {}, {}
    if not seeds:
        return Table(suite, budgets, [], tasks, {}, {}, {}, {}, sktpe or "")
    for m in methods:
        test[m], cv[m], sec[m], trials[m] = {}, {}, {}, {}
        for t in tasks:
            rs = [by[(m, t, s)] for s in seeds]
            test[m][t] = np.array([r["test"] for r in rs], dtype=float)
            cv[m][t] = np.array([r["cv_best"] for r in rs], dtype=float)
            # CPU time where recorded (see heldout.py: robust to the machine's load)
            sec[m][t] = np.array([r.get("cpu") or r["seconds"] for r in rs], dtype=float)
            trials[m][t] = [(r.get("trial_cpu") or r["trial_done"], r["trial_test"]) for r in rs]
    return Table(suite, budgets, seeds, tasks, test, cv, sec, trials, sktpe or "",
                 sources={m: v for m, v in latest.items() if m in methods})


def load_stated(suite: str, sktpe: str, budgets: tuple[int, ...], seeds: list, methods: set) -> Table | None:
    """A run stated before it was made (``heldout_real.py``, ``heldout_confirm.py``): its table,
    or None until it holds every one of ``methods`` on every seed of ``seeds`` and every task."""
    try:
        tab = load(suite, sktpe=sktpe, budgets=budgets)
    except (FileNotFoundError, KeyError):
        return None
    if tab.seeds != seeds or not methods <= set(tab.test):
        return None
    return tab


def mean_in_sd(tab: Table, gap: Callable[[str], np.ndarray]) -> float:
    """The mean over ``tab``'s tasks of ``gap(task)`` (an array over the seeds) averaged over
    the seeds, each task in its own task sd."""
    return float(np.mean([np.mean(gap(t)) / task_scale(tab, t) for t in tab.tasks]))


def optimism(tab: Table, methods: list[str]) -> dict[str, float]:
    """Each of ``methods``' optimism (best CV score minus test score) at ``tab``'s largest
    budget, in task sd, averaged over the tasks."""
    return {m: mean_in_sd(tab, lambda t: tab.cv[m][t][:, -1] - tab.test[m][t][:, -1]) for m in methods}


def holm(p: np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values of one family."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    adj = np.empty_like(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adj[i] = running
    return adj


def paired_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided paired Wilcoxon p-value (1.0 when every pair ties)."""
    d = np.round(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), 12)
    if not d.any():
        return 1.0
    return float(wilcoxon(d, zero_method="zsplit").pvalue)


def ahead_behind(d: np.ndarray) -> tuple[int, int]:
    """How many of the per-task mean differences ``d`` are above and below 0; a difference
    that is float noise (equal means) is neither: the same rounding as :func:`paired_p`'s."""
    signs = np.sign(np.round(np.asarray(d, dtype=float), 12))
    return int((signs > 0).sum()), int((signs < 0).sum())


def rank_sign(d: np.ndarray) -> int:
    """Direction of a signed-rank test: the sign of (positive minus negative rank sums)."""
    from scipy.stats import rankdata

    d = np.round(np.asarray(d, dtype=float), 12)
    nz = d[d != 0]
    if not len(nz):
        return 0
    r = rankdata(np.abs(nz))
    return int(np.sign(r[nz > 0].sum() - r[nz < 0].sum()))


def task_scale(tab: Table, task: str) -> float:
    """A task's spread of test scores: random search's std over seeds and budgets.

    The reference method's, so that the scale does not depend on which peers a table
    holds (until stop 41 it was the std over every method, which HalvingRandomSearchCV's
    failed seeds inflated up to 2.7-fold). Over every method where random search is
    missing (tuning rounds without it)."""
    if task in tab.scale:
        return tab.scale[task]
    methods = ["random"] if "random" in tab.test else [m for m in tab.test if m != "default"]
    vals = np.concatenate([tab.test[m][task].ravel() for m in methods])
    sd = float(np.std(vals))
    return sd if sd > 0 else 1.0


def at_time(tab: Table, method: str, task: str, seed_i: int, seconds: float) -> float:
    """Test score of ``method``'s best model found within ``seconds``.

    NaN when the peer's run ended before ``seconds`` (it was not run long
    enough to say) or had finished no candidate by then."""
    done, test = tab.trials[method][task][seed_i]
    if seconds > done[-1]:
        return float("nan")
    k = int(np.searchsorted(np.asarray(done), seconds, side="right"))
    return float(test[k - 1]) if k else float("nan")


@dataclass
class Comparison:
    """TPESearchCV (``ours``) against one peer in one family of cells."""

    peer: str
    cells: list  # [task, budget index, mean diff, p, p_holm, ours worst, peer worst, direction, pairs]
    pooled: list  # per budget: (mean normalised diff, Holm p over tasks, tasks ahead, tasks behind)


def compare(tab: Table, ours: str, peer: str, equal_time: bool = False) -> Comparison:
    """Paired tests of ``ours`` against ``peer`` at every (task, budget)."""
    cells, ps = [], []
    for t in tab.tasks:
        for j, _b in enumerate(tab.budgets):
            a = tab.test[ours][t][:, j]
            if equal_time:
                b = np.array([at_time(tab, peer, t, i, tab.seconds[ours][t][i, j])
                              for i in range(len(tab.seeds))])
                keep = np.isfinite(b)
                a, b = a[keep], b[keep]
            else:
                b = tab.test[peer][t][:, j]
            p = paired_p(a, b) if len(a) > 1 else 1.0
            ps.append(p)
            cells.append([t, j, float(np.mean(a - b)) if len(a) else 0.0, p, 0.0,
                          float(a.min()) if len(a) else np.nan, float(b.min()) if len(b) else np.nan,
                          rank_sign(a - b), int(len(a))])
    for c, ph in zip(cells, holm(np.array(ps))):
        c[4] = float(ph)
    pooled, praw = [], []
    for j in range(len(tab.budgets)):
        d = np.array([c[2] / task_scale(tab, c[0]) for c in cells if c[1] == j])
        praw.append(paired_p(d, np.zeros_like(d)))
        pooled.append([float(d.mean()), 0.0, *ahead_behind(d)])
    for row, ph in zip(pooled, holm(np.array(praw))):  # Holm over the budgets of this peer
        row[1] = float(ph)
    return Comparison(peer, cells, [tuple(r) for r in pooled])


def first_budget_reaching(budgets: list, means: dict, targets: dict) -> dict:
    """Per task: the first of ``budgets`` from which on the mean test score (``means[task]``,
    one per budget) stays at or above ``targets[task]`` at every larger budget (None: not at
    the largest). A crossing that a larger budget falls back from is noise, not a budget
    that reaches the target (until stop 41 the first crossing counted)."""
    out = {}
    for t, target in targets.items():
        ok = [m >= target - 1e-12 for m in means[t]]
        first = None
        for b, good in zip(reversed(budgets), reversed(ok)):
            if not good:
                break
            first = b
        out[t] = first
    return out


@dataclass(frozen=True)
class PooledReach:
    """One method at one budget against random search's largest-budget model, pooled over tasks.

    Each task gives the mean over its seeds of (the method's test score minus random
    search's at the largest budget, same split and folds), in that task's standard
    deviation; the tasks are the independent units."""

    method: str
    budget: int
    diff: float  # mean over tasks
    low: float  # 95% t-interval of that mean over the tasks
    high: float
    p_holm: float  # Wilcoxon over the tasks, Holm over this method's budgets
    reached: int  # tasks whose mean stays at or above the target from this budget on (-1: not run at the top)
    se_low: float  # smallest and largest per-task standard error (over seeds) of the difference
    se_high: float
    se_rms: float  # their root mean square: the spread of the task means that noise alone gives
    spread: float  # the standard deviation of the task means

    @property
    def interval(self) -> str:
        """``diff [low, high]`` as the pages print it."""
        return _interval(self.diff, self.low, self.high)


def _task_gaps(gaps: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Per-task differences (one array over seeds per task, in task sd) pooled over the tasks:
    the task means, their standard errors over seeds, and the 95% t-interval of the mean of the
    task means (the tasks the units)."""
    from scipy.stats import t as student_t

    d = np.array([g.mean() for g in gaps])
    se = np.array([g.std(ddof=1) / np.sqrt(len(g)) for g in gaps])
    half = student_t.ppf(0.975, len(d) - 1) / np.sqrt(len(d)) * d.std(ddof=1)
    return d, se, float(d.mean() - half), float(d.mean() + half)


def pooled_reach(tasks: list, budgets: list, test: dict, target: dict, scale: dict) -> dict:
    """Per method: a :class:`PooledReach` for each of ``budgets`` but the largest.

    ``test[method][task]``: (seeds, budgets) test scores, the last column at the
    largest budget; ``target[task]``: random search's test scores at the largest
    budget, the same seeds; ``scale[task]``: the task's standard deviation
    (``task_scale``). ``reached`` follows :func:`first_budget_reaching` over every
    budget, the largest included.
    """
    below = budgets[:-1]
    out = {}
    for m, by_task in test.items():
        pooled = [_task_gaps([(by_task[t][:, j] - target[t]) / scale[t] for t in tasks])
                  for j in range(len(below))]
        reach = first_budget_reaching(budgets, {t: by_task[t].mean(axis=0) for t in tasks},
                                      {t: target[t].mean() for t in tasks})
        complete = all(np.isfinite(by_task[t][:, -1]).all() for t in tasks)  # else no per-task rule
        p_adj = holm(np.array([paired_p(d, np.zeros_like(d)) for d, *_ in pooled]))
        out[m] = [PooledReach(m, b, float(d.mean()), low, high, float(p_),
                              sum(r is not None and r <= b for r in reach.values()) if complete else -1,
                              float(se.min()), float(se.max()), float(np.sqrt(np.mean(se ** 2))),
                              float(d.std(ddof=1)))
                  for b, (d, se, low, high), p_ in zip(below, pooled, p_adj)]
    return out


def reach_of_report(main: Table, big: Table) -> dict:
    """:func:`pooled_reach` of the report suite: the budgets of ``main`` and ``big`` against
    random search's model at ``big``'s budget (the same seeds, in ``main``'s task units)."""
    methods = [m for m in ("tpe", "optuna", "tpe-racing", "random") if m in main.test and m in big.test]
    return pooled_reach(main.tasks, main.budgets + big.budgets,
                        {m: {t: np.c_[main.test[m][t], big.test[m][t][:, 0]] for t in main.tasks}
                         for m in methods},
                        {t: big.test["random"][t][:, 0] for t in main.tasks},
                        {t: task_scale(main, t) for t in main.tasks})


def reach_of_one_run(tab: Table) -> dict:
    """:func:`pooled_reach` of a run that holds every budget, the largest one the target."""
    methods = [m for m in ("tpe", "optuna", "random") if m in tab.test]
    return pooled_reach(tab.tasks, tab.budgets, {m: tab.test[m] for m in methods},
                        {t: tab.test["random"][t][:, -1] for t in tab.tasks},
                        {t: task_scale(tab, t) for t in tab.tasks})


#: Round 10's confirmation run on fresh seeds (guide/ablation.md): its file, seeds and the
#: criterion stated before it was run (TPESearchCV at n_iter=40 reaches random search's
#: 80-trial model if the lower end of the pooled 95% interval is above -MARGIN task sd).
FRESH_FILE, FRESH_SEEDS, FRESH_BUDGETS, FRESH_MARGIN = "report_fresh", tuple(range(20, 80)), (20, 40, 80), 0.05
#: The sktpe source the confirmation's TPESearchCV rows were stated for.
FRESH_SKTPE = "4bab8ec0c327"


@dataclass(frozen=True)
class Fresh:
    """The confirmation run: :func:`pooled_reach` on its seeds and the criterion's verdict."""

    #: test scores at ``FRESH_BUDGETS``, method -> task -> (seeds, budgets) (TPESearchCV's 80
    #: column NaN until run); its ``scale``: random search's std over these seeds and budgets
    tab: Table
    reach: dict  # method -> [PooledReach at 20, 40]; Optuna's only when its runs are complete
    met: bool  # TPESearchCV at 40: the interval's lower end above -FRESH_MARGIN
    repeated: int  # keys stored more than once (the run is made once: should be 0)
    #: random search run again with other candidate draws (``random-b``), read as ``random``:
    #: the chance reference of a worst-seed comparison; None until complete
    again: dict | None = None


def _stored_lines(name: str) -> list[dict]:
    """Every line of the results file ``name`` as stored, provenance lines and repeated keys
    included (``load_rows`` keeps the last row of each key)."""
    import json

    if not os.path.exists(results_path(name)):
        return []
    with open(results_path(name)) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _repeated(name: str) -> int:
    """How many runs the results file ``name`` stores more than once (``load_rows`` reads the
    last of each; a run stated to be made once should give 0)."""
    keys = [key(r) for r in _stored_lines(name) if "method" in r]
    return len(keys) - len(set(keys))


def _and(xs: list) -> str:
    """'a', 'a and b', 'a, b and c' ('' for none)."""
    xs = [str(x) for x in xs]
    return ", ".join(xs[:-1]) + " and " + xs[-1] if len(xs) > 1 else "".join(xs)


def _sd(x: float) -> str:
    """A difference in task sd, signed, with a third decimal where two would read as zero."""
    return f"{x:+.3f}" if x != 0 and round(x, 2) == 0 else f"{x:+.2f}"


def _interval(diff: float, low: float, high: float) -> str:
    """A pooled difference and its interval as the pages print it: ``diff [low, high]``."""
    return f"{_sd(diff)} [{_sd(low)}, {_sd(high)}]"


def load_fresh(name: str = FRESH_FILE) -> Fresh | None:
    """Round 10's confirmation run; None until TPESearchCV at 20 and 40 and random search
    have every task and seed (the criterion needs nothing else).

    RandomizedSearchCV and Optuna ran once with 80 candidates and are read at 20 and 40
    from their incumbent's test score after each candidate (``trial_test``), as the
    benchmark page reads them; TPESearchCV ran at 20 and 40 in one row, at 80 in another.
    Only rows of the defaults (no variant) count, TPESearchCV's at ``FRESH_SKTPE``.
    Optuna and TPESearchCV at 80, added to the run later, are left out while incomplete."""
    rows = [r for r in load_rows(name) if r["variant"] == ""
            and (r["method"] not in SKTPE_METHODS or r.get("sktpe") == FRESH_SKTPE)]
    by = {(r["method"], r["task"], r["seed"], tuple(r["budgets"])): r for r in rows}
    repeated = _repeated(name)
    tasks = [t.name for t in SUITES["report"]]

    def column(m: str, budgets: tuple, pick) -> dict | None:
        out = {}
        for t in tasks:
            rs = [by.get((m, t, s, budgets)) for s in FRESH_SEEDS]
            if any(r is None for r in rs):
                return None
            out[t] = np.array([pick(r) for r in rs], dtype=float)
        return out

    def prefix(r: dict) -> list:
        return [r["trial_test"][b - 1] for b in FRESH_BUDGETS]

    tpe, random_ = column("tpe", (20, 40), lambda r: r["test"]), column("random", (80,), prefix)
    if tpe is None or random_ is None:
        return None
    tpe80 = column("tpe", (80,), lambda r: r["test"][0])
    test = {"tpe": {t: np.c_[tpe[t], tpe80[t] if tpe80 else np.full(len(FRESH_SEEDS), np.nan)]
                    for t in tasks}, "random": random_}
    optuna = column("optuna", (80,), prefix)
    if optuna is not None:
        test["optuna"] = optuna
    scale = {t: float(np.std(random_[t])) or 1.0 for t in tasks}
    reach = pooled_reach(tasks, list(FRESH_BUDGETS), test, {t: random_[t][:, -1] for t in tasks}, scale)
    at40 = next(r for r in reach["tpe"] if r.budget == 40)
    tab = Table("report", list(FRESH_BUDGETS), list(FRESH_SEEDS), tasks, test, {}, {}, {}, FRESH_SKTPE, scale)
    return Fresh(tab, reach, at40.low > -FRESH_MARGIN, repeated, column("random-b", (80,), prefix))


def fresh_lines(fresh: Fresh) -> list[str]:
    """The confirmation's verdict and figures in plain words (README and benchmark page)."""
    tab = fresh.tab
    at = {m: {r.budget: r for r in rs} for m, rs in fresh.reach.items()}
    t40, t20 = at["tpe"][40], at["tpe"][20]
    n_tasks = len(tab.tasks)

    def complete(test: dict | None) -> bool:
        return test is not None and all(np.isfinite(test[t]).all() for t in tab.tasks)

    def gaps(m: str, j: int) -> np.ndarray:
        """Per task: the mean of ``m``'s test score minus random search's, both at budget index j."""
        return np.array([np.mean(tab.test[m][t][:, j] - tab.test["random"][t][:, j]) / tab.scale[t]
                         for t in tab.tasks])

    verdict = (f"is **met**: at 40 trials TPESearchCV's model is shown to be at most {FRESH_MARGIN} task "
               "sd behind random search's 80-trial one" if fresh.met else
               f"is **not met**: that its model at 40 trials is at most {FRESH_MARGIN} task sd behind "
               "random search's 80-trial one is not shown (which is not to say it is worse)")
    L = [f"- **On {len(tab.seeds)} fresh seeds ({tab.seeds[0]}-{tab.seeds[-1]}), with the test "
         "stated before any result was read** (round 10 of docs/guide/ablation.md; TPESearchCV at sktpe "
         f"source {FRESH_SKTPE}): "
         "pooled over the "
         f"{n_tasks} tasks, TPESearchCV's model at n_iter=40 is {_sd(t40.diff)} task sd "
         f"[95% interval {t40.low:+.3f}, {_sd(t40.high)}] from random search's 80-trial one, so the "
         f"criterion (the interval's lower end above -{FRESH_MARGIN}) " + verdict
         + f". At n_iter=20: {t20.interval}. Random search's own 40-trial model: "
         f"{at['random'][40].interval}"
         + (f"; Optuna TPE's: {at['optuna'][40].interval}" if "optuna" in at else "") + "."]
    same = []
    for j, b in enumerate(FRESH_BUDGETS[:-1]):
        d = gaps("tpe", j)
        up, down = ahead_behind(d)
        same.append(f"at {b} {_sd(d.mean())} (p={_p(paired_p(d, np.zeros_like(d)))}, ahead on "
                    f"{up}, behind on {down})")
    L.append("  - Against random search at the same budget (not part of the stated test; Wilcoxon over the "
             f"tasks, uncorrected): {'; '.join(same)}.")
    extra = []
    for m in ("tpe", "optuna"):
        if complete(tab.test.get(m)):
            d = gaps(m, -1)
            extra.append(f"{LABEL[m]} {_sd(d.mean())} (Wilcoxon over the tasks, p={_p(paired_p(d, np.zeros_like(d)))})")
    if extra:
        L.append(f"  - At 80 candidates, against random search's: {'; '.join(extra)}.")
    if t40.reached >= 0:
        L.append(f"  - Per-task rule at 40 (the benchmark page's): TPESearchCV's model on {t40.reached} of "
                 f"{n_tasks} tasks"
                 + (f", Optuna TPE's on {at['optuna'][40].reached}" if "optuna" in at else "")
                 + f", random search's own on {at['random'][40].reached}.")
    worst = worst_seed_parts(tab, [(name, test) for name, test in (
        ("random search run again with other candidate draws (the chance reference)", fresh.again),
        (LABEL["tpe"] + "'s", tab.test.get("tpe")), (LABEL["optuna"] + "'s", tab.test.get("optuna")))
        if complete(test)])
    if worst:
        L.append(f"  - Worst of the {len(tab.seeds)} seeds below random search's worst, (task, budget) cells "
                 f"at 20, 40 and 80 (not part of the stated test): {'; '.join(worst)}.")
    L.append("  - Task sd here is random search's spread over these seeds at 20, 40 and 80 candidates, as "
             "stated before any result was read (the figures above use its spread at 10, 20 and 40 on "
             "seeds 0-19).")
    if fresh.repeated:
        L.append(f"  - {fresh.repeated} run(s) of this file were stored more than once; the last row of "
                 "each is used.")
    return L


def reach_table(reach: dict, n_tasks: int, top: int) -> list[str]:
    """Markdown: each method's pooled difference from random search's ``top``-trial model."""
    budgets = [r.budget for r in next(iter(reach.values()))]
    L = ["| method | " + " | ".join(f"n_iter={b}" for b in budgets)
         + f" | tasks at or above it from n_iter={top // 2} on (per-task rule) |",
         "|---|" + "---|" * (len(budgets) + 1)]
    for m, rs in reach.items():
        at_half = next((r.reached for r in rs if r.budget == top // 2), None)
        L.append(f"| {LABEL[m]} | " + " | ".join(
            f"{r.interval} (p={_p(r.p_holm)})" for r in rs)
            + (f" | {at_half} of {n_tasks} |" if at_half is not None and at_half >= 0 else " | — |"))
    return L


def median_budget(reach: dict, top: int) -> str:
    """The lower median of ``reach``'s budgets (a budget that was measured), in words;
    a task that never reached counts as more than ``top``."""
    vals = sorted(b if b is not None else np.inf for b in reach.values())
    med = vals[(len(vals) - 1) // 2]
    return f"n_iter={med:g}" if np.isfinite(med) else f"no measured budget (more than {top})"


def _f(x: float, d: int = 4) -> str:
    return f"{x:+.{d}f}" if x else f"{0:.{d}f}"


def _p(p: float) -> str:
    return f"{p:.2g}" if p >= 0.001 else "<0.001"


def figure(tab: Table, path: str, big: Table | None = None) -> None:
    """Pooled normalised test score against budget, TPESearchCV drawn on top.

    ``big`` (``load_large``) adds its budget as a last point of each curve.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = [m for m in ("random", "halving", "optuna", "tpe-racing", "tpe") if m in tab.test]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    style = {"tpe": dict(color="C3", lw=3, zorder=10, marker="o"),
             "tpe-racing": dict(color="C1", lw=2, zorder=9, marker="s", ls="--"),
             "random": dict(color="C0", lw=2, marker="^"), "halving": dict(color="C2", lw=1.5, marker="v"),
             "optuna": dict(color="C4", lw=1.5, marker="D")}
    tabs = [tab] + ([big] if big is not None else [])
    budgets = [b for x in tabs for b in x.budgets]
    ref = {t: tab.test["random"][t][:, -1].mean() for t in tab.tasks}
    for m in methods:
        z = np.array([[(x.test[m][t][:, j] - ref[t]) / task_scale(tab, t) for t in tab.tasks]
                      for x in tabs for j in range(len(x.budgets))])  # budgets, tasks, seeds
        axes[0].plot(budgets, z.mean(axis=(1, 2)), label=LABEL[m], **style[m])
        worst = np.array([[(x.test[m][t][:, j].min() - ref[t]) / task_scale(tab, t) for t in tab.tasks]
                          for x in tabs for j in range(len(x.budgets))])
        axes[1].plot(budgets, worst.mean(axis=1), label=LABEL[m], **style[m])
    for ax, title in zip(axes, ("mean over tasks and seeds", "worst seed, mean over tasks")):
        ax.axhline(0, color="grey", lw=1, ls=":")
        ax.set_xscale("log", base=2)
        ax.set_xticks(budgets, [str(b) for b in budgets])
        ax.set_xlabel("n_iter (candidates)")
        ax.set_title(f"Held-out test score: {title}")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(f"test score − random search's at {tab.budgets[-1]}\n(in task standard deviations)")
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def headline(tab: Table) -> list[str]:
    """The plain-words claims, each with its test (used by README and docs)."""
    L = []
    reach = first_budget_reaching(tab.budgets, {t: tab.test["tpe"][t].mean(axis=0) for t in tab.tasks},
                                  {t: tab.test["random"][t][:, -1].mean() for t in tab.tasks})
    hits = [b for b in reach.values() if b is not None]
    top = tab.budgets[-1]
    med_s = median_budget(reach, top)
    L.append(f"- **Trials to random search's {top}-trial model**: TPESearchCV's mean held-out test "
             f"score reaches RandomizedSearchCV's {top}-trial one by {med_s} (median over the "
             f"{len(tab.tasks)} tasks; budgets measured: {', '.join(map(str, tab.budgets))}): on "
             f"{sum(b is not None and b <= top // 2 for b in reach.values())} tasks by n_iter={top // 2}, "
             f"on {len(hits)} by {top}"
             + (f"; never on {', '.join(t for t, b in reach.items() if b is None)}" if len(hits) < len(reach)
                else "") + ".")
    for peer in ("random", "optuna", "halving"):
        if peer not in tab.test:
            continue
        c = compare(tab, "tpe", peer)
        parts = [f"{b}: {_f(d, 2)} (Holm p={_p(p)}, ahead on {w} tasks, behind on {l_})"
                 for b, (d, p, w, l_) in zip(tab.budgets, c.pooled)]
        wins = sum(1 for x in c.cells if x[4] < ALPHA and x[7] > 0)
        losses = sum(1 for x in c.cells if x[4] < ALPHA and x[7] < 0)
        L.append(f"- **Against {LABEL[peer]}**, pooled test score difference in task standard "
                 f"deviations (Wilcoxon over the {len(tab.tasks)} tasks, Holm over the budgets) at n_iter "
                 + "; ".join(parts)
                 + f". Cells significantly better / worse after Holm: {wins} / {losses} of "
                 f"{len(c.cells)}.")
    worse = worst_seed_below_random(tab, tab.test["tpe"])
    L.append(f"- **Worst seed**: TPESearchCV's worst seed is below random search's worst seed in "
             f"{len(worse)} of {len(tab.tasks) * len(tab.budgets)} (task, budget) cells"
             + (": " + ", ".join(f"{t}@{b}" for t, b, _ in worse) if worse else "") + ".")
    floor = worst_seed_floor(tab)
    if floor:
        L.append(floor)
    return L


def worst_seed_below_random(tab: Table, test: dict) -> list[tuple[str, int, float]]:
    """Cells where the worst seed of ``test`` ([task] -> seeds x budgets) is below random
    search's worst seed: (task, budget, shortfall)."""
    out = []
    for t in tab.tasks:
        for j, b in enumerate(tab.budgets):
            gap = test[t][:, j].min() - tab.test["random"][t][:, j].min()
            if gap < -1e-12:
                out.append((t, b, -gap / task_scale(tab, t)))
    return out


def worst_seed_parts(tab: Table, named: list[tuple[str, dict]]) -> list[str]:
    """For each (name, test scores [task] -> seeds x budgets): in how many of the table's
    (task, budget) cells its worst seed is below random search's, and by how much at most."""
    n = len(tab.tasks) * len(tab.budgets)
    parts = []
    for name, test in named:
        cells = worst_seed_below_random(tab, test)
        parts.append(f"{name} in {len(cells)} of {n}"
                     + (f" (largest shortfall {max(c[2] for c in cells):.2f} task sd)" if cells else ""))
    return parts


def random_again(tab: Table) -> dict | None:
    """``random-b``'s test scores on the table's tasks, seeds and budgets ([task] -> (seeds,
    budgets)): RandomizedSearchCV run again on the same splits and folds with other candidate
    draws (``heldout.py``). None when it was not run on every seed and task of the table."""
    rows = {(r["task"], r["seed"]): r for r in load_rows(tab.suite)
            if r["method"] == "random-b" and r["budgets"] == list(tab.budgets)}
    if not all((t, s) in rows for t in tab.tasks for s in tab.seeds):
        return None
    return {t: np.array([rows[(t, s)]["test"] for s in tab.seeds], dtype=float) for t in tab.tasks}


def worst_seed_floor(tab: Table) -> str | None:
    """How often a search as good as random search has a worse worst seed than it.

    ``random-b`` (:func:`random_again`) is the same method as random search, so
    only chance makes its worst seed lower or higher. None when it was not run on
    every seed and task of the table.
    """
    again = random_again(tab)
    if again is None:
        return None
    parts = worst_seed_parts(tab, [(name, test) for name, test in (
        ("random search run again with other candidate draws", again),
        (LABEL["optuna"], tab.test.get("optuna")), ("TPESearchCV", tab.test["tpe"])) if test is not None])
    return ("- **Worst seed against random search's own spread**: on the same splits and folds, "
            f"the worst of {len(tab.seeds)} seeds falls below random search's worst for "
            + "; ".join(parts) + ". The first is the same method as random search, so its count "
            "is what chance alone gives a search no better and no worse than it.")


def tables(tab: Table, timed_together: tuple[str, ...] | None = None) -> list[str]:
    """The per-cell tables of a run: test scores, optimism, equal time, cost and where a peer
    wins; ``timed_together``: the methods whose CPU times the run measured side by side
    (None: :func:`methods_timed_together` of ``tab``)."""
    if timed_together is None:
        timed_together = methods_timed_together(tab)
    L = []
    methods = [m for m in ("default", "random", "halving", "optuna", "tpe", "tpe-racing") if m in tab.test]
    L += ["### Test score by task and budget", "",
          "Mean held-out test score over seeds (worst seed in brackets). "
          "`*` marks a cell where TPESearchCV differs significantly from that peer (paired Wilcoxon, "
          "Holm within each peer's family of task × budget cells): `+` TPESearchCV better, `−` worse.", ""]
    comps = {p: compare(tab, "tpe", p) for p in PEERS if p in tab.test}
    if "tpe-racing" in tab.test:
        comps["tpe-racing"] = compare(tab, "tpe", "tpe-racing")
    head = "| task | n_iter | " + " | ".join(LABEL[m] for m in methods) + " |"
    L += [head, "|" + "---|" * (len(methods) + 2)]
    for t in tab.tasks:
        for j, b in enumerate(tab.budgets):
            cells = []
            for m in methods:
                if m == "default":
                    v = tab.test[m][t][:, 0]
                else:
                    v = tab.test[m][t][:, j]
                s = f"{v.mean():.4f} ({v.min():.3f})"
                if m in comps:
                    c = next(x for x in comps[m].cells if x[0] == t and x[1] == j)
                    if c[4] < ALPHA:
                        s += " *" + ("+" if c[7] > 0 else "−")
                cells.append(s)
            L.append(f"| {t} | {b} | " + " | ".join(cells) + " |")
    L += ["", "### Optimism: CV score of the returned candidate minus its held-out test score", "",
          f"Mean over seeds at n_iter={tab.budgets[-1]} of `best_score_` (the mean CV score of the "
          "candidate the search returns, the largest one for every method here: TPESearchCV's default is "
          "`selection='best'`) minus the test score. Every metric is greater-is-better (log loss is negated); a "
          "positive optimism means the CV score overstated the model. On the tuning suite no estimate "
          "computed from the fold scores came clearly closer to the test score than `best_score_`, and "
          "TPESearchCV's `smoothed_best_score_` is further from it on these tasks too (guide/ablation.md, "
          "round 5).", ""]
    ms = [m for m in methods if m != "default"]
    L += ["| task | " + " | ".join(LABEL[m] for m in ms) + " |", "|" + "---|" * (len(ms) + 1)]
    for t in tab.tasks:
        L.append(f"| {t} | " + " | ".join(
            f"{np.mean(tab.cv[m][t][:, -1] - tab.test[m][t][:, -1]):+.4f}" for m in ms) + " |")
    avg = optimism(tab, ms)
    L.append("| mean, in task sd | " + " | ".join(f"{avg[m]:+.3f}" for m in ms) + " |")
    L += ["", "### At equal time", "",
          "For each TPESearchCV run (n_iter = b) of CPU time T (refit excluded; every search runs in one "
          "process, so CPU time is its cost whatever else loads the machine), the peer's best model found "
          "within T in its own sequential run, which goes on to 1.5 times the largest budget for this "
          "purpose. Pairs where the peer had not run long enough, or had finished no candidate, are left "
          "out and counted. HalvingRandomSearchCV is not sequential and is left out. Pooled difference "
          "in task standard deviations, Wilcoxon over tasks, Holm over budgets; cells significantly "
          "different after Holm over the family.", ""]
    for peer in ("random", "optuna"):
        if peer not in tab.test:
            continue
        c = compare(tab, "tpe", peer, equal_time=True)
        parts = [f"T of n_iter={b}: {_f(d, 2)} (Holm p={_p(p)}, "
                 f"{sum(x[8] for x in c.cells if x[1] == j)} of {len(tab.seeds) * len(tab.tasks)} pairs)"
                 for j, (b, (d, p, _, _)) in enumerate(zip(tab.budgets, c.pooled))]
        sig = [(x[0], tab.budgets[x[1]], x[7]) for x in c.cells if x[4] < ALPHA]
        L.append(f"- against {LABEL[peer]}: " + "; ".join(parts) + ". Significant cells: "
                 + (", ".join(f"{t}@{b} ({'+' if d > 0 else '−'})" for t, b, d in sig) or "none") + ".")
    timed = [m for m in ms if m in timed_together]
    apart = [LABEL[m] for m in ms if m not in timed]
    L += ["", "### Cost", "", "Median CPU seconds of one search over seeds and tasks (n_jobs=1, refit "
          "excluded; random search and Optuna at the time their n_iter-th candidate finished), for the "
          "methods timed side by side in one run (see the protocol)"
          + (f"; {_and(apart)} {'were' if len(apart) > 1 else 'was'} timed in another session and "
             f"{'are' if len(apart) > 1 else 'is'} left out." if apart else "."), "",
          "| n_iter | " + " | ".join(LABEL[m] for m in timed) + " |", "|" + "---|" * (len(timed) + 1)]
    for j, b in enumerate(tab.budgets):
        L.append(f"| {b} | " + " | ".join(
            f"{np.median(np.concatenate([tab.seconds[m][t][:, j] for t in tab.tasks])):.2f}" for m in timed)
            + " |")
    L += ["", "### Where a peer wins", ""]
    any_win = False
    for p, c in comps.items():
        for x in c.cells:
            if x[4] < ALPHA and x[7] < 0:
                any_win = True
                L.append(f"- {LABEL[p]} is significantly ahead on {x[0]} at n_iter={tab.budgets[x[1]]} "
                         f"(mean difference {x[2]:+.4f}, Holm p={_p(x[4])}).")
        ahead = [f"{x[0]}@{tab.budgets[x[1]]}" for x in c.cells if x[2] < 0 and x[4] >= ALPHA]
        if ahead:
            L.append(f"- {LABEL[p]}'s mean is ahead, not significantly, in {len(ahead)} of "
                     f"{len(c.cells)} cells: {', '.join(ahead)}.")
    if not any_win:
        L.append("- No peer is significantly ahead in any cell after Holm correction.")
    return L


def load_large(main: Table, sktpe: str | None = None) -> Table | None:
    """The run of ``LARGE_BUDGET`` candidates, in ``main``'s units; None until it is complete.

    Complete: every method of ``main`` but the estimator defaults, on ``main``'s seeds.
    ``sktpe``: the sktpe source of its TPESearchCV rows (the newest one present when None).
    """
    try:
        big = load(main.suite, name=LARGE_FILE, budgets=(LARGE_BUDGET,), sktpe=sktpe)
    except (FileNotFoundError, KeyError):
        return None
    wanted = set(main.test) - {"default"}
    if big.seeds != main.seeds or not wanted <= set(big.test):
        return None
    big.scale = {t: task_scale(main, t) for t in main.tasks}
    return big


#: TPESearchCV's searches of the report suite made again at later sktpe sources, by the stop
#: that made them (``heldout.py --methods tpe --budgets 10,20,40,80 --file reproduce_stopN``);
#: the last is the newest.
REPRODUCE_FILES = {46: "reproduce_stop46", 49: "reproduce_stop49", 53: "reproduce_stop53",
                   54: "reproduce_stop54", 58: "reproduce_stop58",
                   59: "reproduce_stop59", 60: "reproduce_stop60"}
REPRODUCE_FILE = REPRODUCE_FILES[max(REPRODUCE_FILES)]


def tpe_rerun(main: Table, big: Table | None, name: str = REPRODUCE_FILE) -> dict | None:
    """How TPESearchCV's test scores of ``main`` (and ``big``) compare with the same searches
    made again (results file ``name``): counts of equal cells, cells equal to 1e-9 relatively
    (rounding in linear algebra), and the cells that differ more, with the rerun's sktpe
    source. None if the rerun does not cover every (task, seed) of ``main``."""
    rows = [r for r in load_rows(name) if r.get("method") == "tpe"]  # [] if never run
    by = {(r["task"], r["seed"]): r for r in rows}
    if not all((t, s) in by for t in main.tasks for s in main.seeds):
        return None
    equal = close = 0
    differ = []
    for t in main.tasks:
        for i, s in enumerate(main.seeds):
            r = by[(t, s)]
            ref = dict(zip(main.budgets, main.test["tpe"][t][i]))
            if big is not None:
                ref[big.budgets[0]] = big.test["tpe"][t][big.seeds.index(s)][0]
            for b, x in zip(r["budgets"], r["test"]):
                if b not in ref:
                    continue
                y = float(ref[b])
                if x == y:
                    equal += 1
                elif abs(x - y) <= 1e-9 * max(1.0, abs(y)):
                    close += 1
                else:
                    differ.append(f"{t} seed {s} at {b}")
    return {"sktpe": rows[-1]["sktpe"], "equal": equal, "close": close, "differ": differ,
            "n": equal + close + len(differ)}


def _reproduced(main: Table, big: Table) -> tuple[int, int]:
    """(equal, compared): random search's and Optuna's best-so-far test scores at ``main``'s
    budgets in the large run against ``main``'s (the same candidates, so the same models)."""
    equal = n = 0
    for m in ("random", "optuna"):
        for t in main.tasks:
            for i in range(len(main.seeds)):
                tests = big.trials[m][t][i][1]
                for j, b in enumerate(main.budgets):
                    n += 1
                    equal += bool(abs(tests[b - 1] - main.test[m][t][i, j]) <= 1e-12)
    return equal, n


def reach_large(main: Table, big: Table) -> dict:
    """:func:`first_budget_reaching` over TPESearchCV's budgets of the main table and the large
    one, against random search's mean test score at the large one."""
    return first_budget_reaching(
        main.budgets + big.budgets,
        {t: np.r_[main.test["tpe"][t].mean(axis=0), big.test["tpe"][t][:, 0].mean()] for t in main.tasks},
        {t: big.test["random"][t][:, 0].mean() for t in main.tasks})


def large_headline(main: Table, big: Table, pooled: bool = True) -> list[str]:
    """The plain-words claims at the large budget (README and docs); with ``pooled``, the
    pooled distance to random search's model and round 10's confirmation after them."""
    b = big.budgets[0]
    reach = reach_large(main, big)
    med_s = median_budget(reach, b)
    parts = []
    for peer in ("random", "optuna"):
        d, p, w, l_ = compare(big, "tpe", peer).pooled[0]
        parts.append(f"against {LABEL[peer]} {_f(d, 2)} task sd (p={_p(p)}, ahead on {w} tasks, "
                     f"behind on {l_})")
    return [f"- **At {b} candidates** (a run of its own): TPESearchCV's mean test score reaches "
            f"random search's {b}-trial one by {med_s} (median over tasks; on "
            f"{sum(x is not None and x <= b // 2 for x in reach.values())} of {len(reach)} tasks by "
            f"n_iter={b // 2}); at {b}, " + "; ".join(parts) + "."] + (pooled_lines(main, big) if pooled else [])


def pooled_lines(main: Table, big: Table) -> list[str]:
    """The pooled distance to random search's large-budget model, then round 10's confirmation."""
    fresh = load_fresh()
    return pooled_reach_lines(main, big) + (fresh_lines(fresh) if fresh is not None else [])


def pooled_reach_lines(main: Table, big: Table) -> list[str]:
    """The plain-words pooled claim against random search's large-budget model."""
    b = big.budgets[0]
    reach = reach_of_report(main, big)

    def cell(r: PooledReach) -> str:
        return (f"at {r.budget} {r.interval}"
                + (f" (Holm p={_p(r.p_holm)})" if r.p_holm < ALPHA else ""))

    ours, own = reach["tpe"], reach["random"]
    half = next(r for r in ours if r.budget == b // 2)
    peers = [(m, next(r for r in rs if r.budget == b // 2)) for m, rs in reach.items()
             if m not in ("tpe", "random")]
    L = [f"- **Pooled across the {len(main.tasks)} tasks, against random search's {b}-trial model** "
         f"(each task's mean difference over its {len(main.seeds)} seeds on the same splits and folds, "
         "in task sd, [95% t-interval over the tasks]; Holm p over the budgets of a Wilcoxon test over "
         f"the tasks, shown where below {ALPHA}): TPESearchCV {'; '.join(cell(r) for r in ours)}. Random "
         f"search itself {'; '.join(cell(r) for r in own)}. At {b // 2}: "
         + "; ".join(f"{LABEL[m]} {r.interval}" for m, r in peers) + "."]
    level = [r.budget for r in ours if r.low <= 0 <= r.high]
    ahead = [r.budget for r in ours if r.low > 0]
    short = [r.budget for r in ours if r.high < 0]
    behind = [r.budget for r in own if r.high < 0]
    said = ([f"at {_and(level)} candidates TPESearchCV's model cannot be told apart from random search's "
             f"{b}-trial one"] if level else []) + (
        [f"at {_and(ahead)} it is measurably ahead of it"] if ahead else []) + (
        [f"at {_and(short)} it is measurably behind it"] if short else [])
    words = "  - In plain words, by these intervals: " + "; ".join(said)
    words += (f"; random search's own model at {_and(behind)} is measurably behind it"
              if behind else "; random search's own smaller budgets cannot be told apart from it either")
    words += (f". That TPESearchCV's at {b // 2} is at most {FRESH_MARGIN} task sd behind it is "
              + ("shown" if half.low > -FRESH_MARGIN else "not shown")
              + f" (lower end {half.low:+.3f}); round 10 of docs/guide/ablation.md asks it again on fresh seeds.")
    L.append(words)
    noise = half.spread <= half.se_rms
    L.append(f"  - Per task, a mean difference has a standard error of up to {half.se_high:.2f} task sd at "
             f"n_iter={b // 2} ({half.se_rms:.2f} root mean square over the tasks, {len(main.seeds)} seeds); "
             f"the task means spread by {half.spread:.2f}, "
             + ("no more than that noise alone gives: which tasks pass the per-task rule is largely noise. "
                if noise else "more than that noise alone gives: the tasks differ. ")
             + f"By that rule the models reaching random search's {b}-trial one by n_iter={b // 2}: "
             f"TPESearchCV's on {half.reached} of {len(main.tasks)} tasks, "
             + ", ".join(f"{LABEL[m]}'s on {r.reached}" for m, r in peers)
             + f", random search's own {b // 2}-trial model on "
             f"{next(r for r in own if r.budget == b // 2).reached}.")
    return L


def _runs_made(name: str) -> str:
    """How many runs the results file ``name`` holds, in words (its provenance lines)."""
    runs = sum(1 for line in _stored_lines(name) if "provenance" in line)
    if runs <= 1:
        return "One run was made."
    return (f"{runs} runs were made; where a key was run again the last row is reported (the "
            f"earlier rows stay in the file).")


def large_section(main: Table, big: Table) -> list[str]:
    """Markdown: the large-budget run, task by task and pooled."""
    b = big.budgets[0]
    equal, n = _reproduced(main, big)
    L = [f"### At {b} candidates", "",
         f"A run of its own (`heldout.py --budgets {b} --file {LARGE_FILE} --redo`, "
         f"`benchmarks/results/heldout/{LARGE_FILE}.jsonl`): the same tasks, seeds, splits and folds; "
         f"random search and Optuna run on to {int(1.5 * b)} candidates; every method of this run timed "
         "side by side. Differences are in the task standard deviations of the tables above, so they read "
         f"on the same scale. Random search's and Optuna's best models at {', '.join(map(str, main.budgets))} "
         f"candidates in this run are those of the tables above in {equal} of {n} (task, seed, budget) "
         f"cells (the same candidates). {_runs_made(LARGE_FILE)}", ""]
    L += large_headline(main, big, pooled=False)
    comps = {p: compare(big, "tpe", p) for p in ("random", "halving", "optuna", "tpe-racing") if p in big.test}
    for p, c in comps.items():
        d, ph, w, l_ = c.pooled[0]
        sig = [(x[0], x[7]) for x in c.cells if x[4] < ALPHA]
        L.append(f"- Against {LABEL[p]}: pooled {_f(d, 2)} task sd (Wilcoxon over the {len(big.tasks)} "
                 f"tasks, p={_p(ph)}; ahead on {w}, behind on {l_}); significant tasks after Holm: "
                 + (", ".join(f"{t} ({'+' if s > 0 else '−'})" for t, s in sig) or "none") + ".")
    for p in ("random", "optuna"):
        c = compare(big, "tpe", p, equal_time=True)
        d, ph, w, l_ = c.pooled[0]
        sig = [(x[0], x[7]) for x in c.cells if x[4] < ALPHA]
        L.append(f"- At equal time (TPESearchCV's CPU time at n_iter={b}) against {LABEL[p]}: "
                 f"{_f(d, 2)} task sd (p={_p(ph)}, ahead on {w}, behind on {l_}; "
                 f"{sum(x[8] for x in c.cells)} of {len(big.seeds) * len(big.tasks)} pairs); significant "
                 "tasks after Holm: "
                 + (", ".join(f"{t} ({'+' if s > 0 else '−'})" for t, s in sig) or "none") + ".")
    worse = worst_seed_below_random(big, big.test["tpe"])
    L.append(f"- Worst seed below random search's worst seed on {len(worse)} of {len(big.tasks)} tasks"
             + (": " + ", ".join(f"{t} (by {g:.2f} task sd)" for t, _, g in worse) if worse else "") + ".")
    ms = [m for m in ("random", "halving", "optuna", "tpe", "tpe-racing") if m in big.test]
    opt = optimism(big, ms)  # its only budget
    L.append("- Optimism (best CV score minus test score), mean in task sd: "
             + ", ".join(f"{LABEL[m]} {opt[m]:+.3f}" for m in ms) + ".")
    timed = [m for m in ms if m in methods_timed_together(big)]
    apart = [LABEL[m] for m in ms if m in TIMED_TOGETHER and m not in timed]
    median_cpu = {m: np.median(np.concatenate([big.seconds[m][t][:, 0] for t in big.tasks])) for m in timed}
    L.append(f"- Cost: median CPU seconds of one search at n_iter={b} over seeds and tasks (refit "
             f"excluded; random search and Optuna when their candidate {b} finished): "
             + ", ".join(f"{LABEL[m]} {median_cpu[m]:.2f}" for m in timed)
             + (f" ({', '.join(apart)} was measured again in another session and is left out)"
                if apart else "") + ".")
    L += ["", f"Mean held-out test score at n_iter={b} (worst seed in brackets; `*` as above).", "",
          "| task | " + " | ".join(LABEL[m] for m in ms) + " |", "|" + "---|" * (len(ms) + 1)]
    for t in big.tasks:
        cells = []
        for m in ms:
            v = big.test[m][t][:, 0]
            s_ = f"{v.mean():.4f} ({v.min():.3f})"
            if m in comps:
                x = next(x for x in comps[m].cells if x[0] == t)
                if x[4] < ALPHA:
                    s_ += " *" + ("+" if x[7] > 0 else "−")
            cells.append(s_)
        L.append(f"| {t} | " + " | ".join(cells) + " |")
    L += ["", f"### Against random search's {b}-trial model, pooled", ""] + pooled_lines(main, big)
    return L


def page(tab: Table, title: str, lead: list[str] | None = None,
         lead_tests: list[str] | None = None) -> list[str]:
    """The held-out section of the benchmark page; ``lead`` (the plain-words summary, see
    ``plain_words.py``) goes first, the tests behind it in a subsection after it, with
    ``lead_tests`` (those of its tests this module does not print) after the headline's."""
    L = [f"## {title}", ""]
    if lead:
        L += lead + ["", "### The tests behind it", ""]
    L += [f"{len(tab.tasks)} tasks × {len(tab.seeds)} seeds (each its own half/half split and 5 "
         f"shuffled folds), n_iter in {tab.budgets}; sktpe source {source_words(tab)}. Generated by "
         "`python benchmarks/heldout_report.py` from `benchmarks/results/heldout/"
         f"{tab.suite}.jsonl`.", ""]
    L += headline(tab) + (lead_tests or []) + [""] + tables(tab)
    big = load_large(tab) if tab.suite == "report" else None
    if big is not None:
        L += [""] + large_section(tab, big)
    return L


def tasks_md(suite: str) -> list[str]:
    L = ["| task | what |", "|---|---|"]
    for t in SUITES[suite]:
        L.append(f"| {t.name} | {t.about} ({t.scoring}) |")
    return L


#: The rounds of variants tried on the tuning suite, each a table of its own in
#: docs/guide/ablation.md between its markers: (variant, sktpe source) pairs, the
#: reference first, and what each variant was. Sources are pinned, so a round's
#: table stays what it was when later rounds change the code.
TUNING_ROUNDS = {
    "heldout-tuning": [
        ("", "a9fbfebbd5e9", "plateau rule + smoothed selection"),
        ("before", "62692e1e575c", "before this work (no plateau rule, selection by top mean)"),
        ("tie-explore", "230fa6ad7cec", "plateau rule + smoothed selection + shared-best explores (**chosen**)"),
        ("tie-explore,share=0.2", "230fa6ad7cec", "the chosen + every 5th proposal explores"),
    ],
    "heldout-tuning-startup": [
        ("", "8b6d7c24d547", "the defaults of round 1 (start-up floor 3: 3 start-up candidates at n_iter=10, 4 at 20)"),
        ("startup5", "8b6d7c24d547", "start-up floor 5 (5 at n_iter=10 and 20; unchanged from 30) (**chosen**)"),
    ],
    "heldout-tuning-width": [
        ("", "6faed7f5bb1b", "the defaults (bandwidth 0.07, gamma 0.15, 24 EI candidates) (**kept**)"),
        ("bw=0.12", "6faed7f5bb1b", "wider kernels: bandwidth 0.12"),
        ("bw=0.2", "6faed7f5bb1b", "kernels as wide as Optuna's multivariate ones: bandwidth 0.2"),
        ("gamma=0.25", "6faed7f5bb1b", "a larger good set: gamma 0.25"),
        ("n_ei=8", "6faed7f5bb1b", "a less greedy pick: 8 EI candidates"),
        ("select=best", "08221135fbd0",
         "the top mean returned (`selection='best'`; a later source, same search with one worker)"),
    ],
    "heldout-tuning-80": [
        ("", "496f2ab29e1b", "the defaults of round 3 (`selection='smoothed'`)"),
        ("bw=0.2", "496f2ab29e1b", "kernels as wide as Optuna's multivariate ones: bandwidth 0.2"),
        ("select=best", "496f2ab29e1b", "the top mean returned (`selection='best'`) (**chosen**)"),
    ],
    "heldout-tuning-optuna": [
        ("", "079017f7e8eb", "the defaults (joint densities; 6 start-up candidates at n_iter=40, 9 at 80) (**kept**)"),
        ("mv=False", "079017f7e8eb", "independent densities (`multivariate=False`), as Optuna's default TPE"),
        ("startup10", "815223fb0372",
         "Optuna's 10 start-up candidates from n_iter=40 (a later source, same search with one worker)"),
    ],
    "heldout-tuning-forget": [
        ("", "079017f7e8eb", "the defaults (every trial weighs 1) (**kept**)"),
        ("forget25", "aa5d9bd6d882",
         "older trials weigh less (`TPESampler._forget_after = 25`: the 25 latest of the good and of "
         "the bad set weigh 1, older ones linearly less), as Optuna's and hyperopt's TPE"),
    ],
}


#: Rounds run at other budgets than ``BUDGETS``, in a results file of their own: (file, budgets).
TUNING_FILES = {"heldout-tuning-80": ("tuning_80", (80,)),
                "heldout-tuning-optuna": ("tuning_mv", (10, 20, 40, 80)),
                "heldout-tuning-forget": ("tuning_mv", (10, 20, 40, 80))}


def variant_table(variants: list[tuple[str, str, str]], name: str | None = None,
                  budgets: tuple[int, ...] = BUDGETS) -> list[str]:
    """Markdown: each (variant, sktpe source, label) against the first and random search, tuning suite
    (results file ``name``, runs of ``budgets``)."""
    tabs = {v: load("tuning", v, src, name=name, budgets=budgets) for v, src, _ in variants}
    labels = {v: label for v, _, label in variants}
    reference = variants[0][0]
    ref = tabs[reference]
    L = [f"Tuning suite: {len(ref.tasks)} tasks × {len(ref.seeds)} seeds ({ref.seeds[0]}-{ref.seeds[-1]}), "
         f"n_iter in {ref.budgets}. Pooled difference of held-out test score from the variant "
         f"`{labels[reference]}`, in task standard deviations, mean over tasks (Wilcoxon over tasks); "
         "then against RandomizedSearchCV; then the (task, budget) cells where the variant's worst seed is "
         "below random search's worst seed.", "",
         "| variant | sktpe source | vs the first row at " + ", ".join(map(str, ref.budgets))
         + " | vs random at " + ", ".join(map(str, ref.budgets)) + " | worst seed below random's |",
         "|---|---|---|---|---|"]
    for v, tab in tabs.items():
        common = [s for s in tab.seeds if s in ref.seeds]
        if v == reference:
            vs_ref = "—"
        else:
            cells = []
            for j in range(len(tab.budgets)):
                d = []
                for t in tab.tasks:
                    a = tab.test["tpe"][t][[tab.seeds.index(s) for s in common], j]
                    b = ref.test["tpe"][t][[ref.seeds.index(s) for s in common], j]
                    d.append(np.mean(a - b) / task_scale(ref, t))
                d = np.array(d)
                cells.append(f"{_f(d.mean(), 3)} (p={_p(paired_p(d, np.zeros_like(d)))})")
            vs_ref = ", ".join(cells)
        c = compare(tab, "tpe", "random")
        vs_rand = ", ".join(f"{_f(m, 3)} (p={_p(p)})" for m, p, _, _ in c.pooled)
        worse = [f"{t}@{b}" for t in tab.tasks for j, b in enumerate(tab.budgets)
                 if tab.test["tpe"][t][:, j].min() < tab.test["random"][t][:, j].min() - 1e-12]
        L.append(f"| {labels[v]} | {tab.sktpe[:8]} | {vs_ref} | {vs_rand} | {len(worse)}"
                 + (f": {', '.join(worse)}" if worse else "") + " |")
    return L


ABLATION = os.path.join(ROOT, "docs", "guide", "ablation.md")


def write_ablation_block(name: str, lines: list[str]) -> None:
    """Put ``lines`` into docs/guide/ablation.md between the markers ``<!-- name:start/end -->``."""
    from markers import write_block

    write_block(ABLATION, name, lines)


def _write_round(name: str, lines: list[str] | None, incomplete: str) -> None:
    """:func:`write_ablation_block` of a round's ``lines``; exit with ``incomplete`` while they
    are None (its runs are not complete)."""
    if lines is None:
        raise SystemExit(incomplete)
    write_ablation_block(name, lines)


def write_tuning() -> None:
    """Put each round's variant table into docs/guide/ablation.md between its markers."""
    for name, variants in TUNING_ROUNDS.items():
        write_ablation_block(name, variant_table(variants, *TUNING_FILES.get(name, (None, BUDGETS))))


#: Round 11 (guide/ablation.md), stated before it was run: settings that make the search exploit
#: more against the defaults, on the tuning suite; its file, seeds, budgets, the sktpe source it was
#: stated for, and each variant with its label.
GREEDY_FILE, GREEDY_SEEDS, GREEDY_BUDGETS, GREEDY_SKTPE = ("tuning_greedy", list(range(100, 160)), (20, 40),
                                                           "4bab8ec0c327")
GREEDY_VARIANTS = (("gamma=0.1", "a smaller good set: gamma 0.1"),
                   ("n_ei=64", "a greedier pick: 64 EI candidates"),
                   ("bw=0.05", "narrower kernels: bandwidth 0.05"))
#: Its second run (stated before it was run): the greedier pick alone on fresh seeds; at the
#: smaller budget its mean may not fall below -GREEDY_SLACK task sd.
GREEDY_FILE_2, GREEDY_SEEDS_2, GREEDY_VARIANTS_2, GREEDY_SLACK = ("tuning_greedy_2", list(range(160, 280)),
                                                                  GREEDY_VARIANTS[1:2], 0.02)


@dataclass(frozen=True)
class VariantGap:
    """One variant at one budget against the defaults (or, in round 16, TPESearchCV against
    random search over one group of tasks), on the same splits and folds, pooled over the tasks
    (each task's mean difference over seeds in its task sd; the tasks are the units)."""

    variant: str
    budget: int
    diff: float  # mean over the tasks
    low: float  # 95% t-interval of that mean over the tasks
    high: float
    p_t: float  # one-sample t-test over the tasks
    p_wilcoxon: float  # Wilcoxon over the tasks, uncorrected
    ahead: int  # tasks whose mean difference is above 0 (float noise counts as neither)
    behind: int
    se_rms: float  # root mean square of the per-task standard errors (over seeds)
    worst_cells: int  # (task, budget) cells of the whole run where its worst seed is below random's
    p_holm: float = float("nan")  # p_t, Holm over every (variant, budget) of the round

    @property
    def interval(self) -> str:
        """``diff [low, high]`` as the pages print it."""
        return _interval(self.diff, self.low, self.high)


def pooled_gap(name: str, budget: int, gaps: list[np.ndarray], worst: int) -> VariantGap:
    """:class:`VariantGap` of per-task differences ``gaps`` (one array over seeds per task, in
    task sd) pooled over the tasks, before Holm's correction (``p_holm`` NaN)."""
    from scipy.stats import ttest_1samp

    d, se, low, high = _task_gaps(gaps)
    return VariantGap(name, budget, float(d.mean()), low, high, float(ttest_1samp(d, 0.0).pvalue),
                      paired_p(d, np.zeros_like(d)), *ahead_behind(d), float(np.sqrt(np.mean(se ** 2))), worst)


def with_holm(gaps: list[VariantGap]) -> list[VariantGap]:
    """``gaps`` with ``p_holm``: their t-test p-values, Holm over all of them."""
    adj = holm(np.array([g.p_t for g in gaps]))
    return [replace(g, p_holm=float(a)) for g, a in zip(gaps, adj)]


def variant_gaps(ref: Table, tabs: dict[str, Table]) -> list[VariantGap]:
    """:class:`VariantGap` of each variant table in ``tabs`` against ``ref`` (the defaults),
    at every budget, Holm over all of them."""
    out = []
    for v, tab in tabs.items():
        if tab.seeds != ref.seeds:
            raise SystemExit(f"variant {v!r}: seeds {tab.seeds} differ from the defaults' {ref.seeds}")
        worst = len(worst_seed_below_random(tab, tab.test["tpe"]))
        out += [pooled_gap(v, b, [(tab.test["tpe"][t][:, j] - ref.test["tpe"][t][:, j]) / task_scale(ref, t)
                                  for t in ref.tasks], worst)
                for j, b in enumerate(tab.budgets)]
    return with_holm(out)


def greedy_choice(gaps: list[VariantGap], ref_worst: int) -> str | None:
    """Round 11's criterion: the variant ahead of the defaults at every budget, Holm p below
    ALPHA at one at least, with no more worst-seed cells below random's than the defaults'
    (``ref_worst``); of several, the larger mean at the largest budget. None: the defaults stay."""
    top = max(g.budget for g in gaps)
    passing = []
    for v in dict.fromkeys(g.variant for g in gaps):
        mine = [g for g in gaps if g.variant == v]
        if (all(g.diff > 0 for g in mine) and any(g.p_holm < ALPHA for g in mine)
                and mine[0].worst_cells <= ref_worst):
            passing.append((next(g.diff for g in mine if g.budget == top), v))
    return max(passing)[1] if passing else None


def greedy_confirmed(gaps: list[VariantGap], ref_worst: int) -> bool:
    """The second run's criterion: at the largest budget the interval lies above 0, at the
    smaller one the mean is not below -GREEDY_SLACK, and the worst seed is below random
    search's in no more cells than the defaults' (``ref_worst``)."""
    top = max(g.budget for g in gaps)
    return (all(g.low > 0 for g in gaps if g.budget == top)
            and all(g.diff >= -GREEDY_SLACK for g in gaps if g.budget != top)
            and all(g.worst_cells <= ref_worst for g in gaps))


def _only_seeds(tab: Table, seeds: list) -> Table:
    """``tab`` restricted to ``seeds`` (each of which it holds)."""
    rows = [tab.seeds.index(s) for s in seeds]

    def pick(arrays: dict) -> dict:
        return {m: {t: a[rows] for t, a in by.items()} for m, by in arrays.items()}

    return replace(tab, seeds=list(seeds), test=pick(tab.test), cv=pick(tab.cv), seconds=pick(tab.seconds),
                   trials={m: {t: [a[i] for i in rows] for t, a in by.items()} for m, by in tab.trials.items()})


def _stated(tab: Table, seeds: list, methods: set) -> Table | None:
    """``tab`` restricted to the stated ``seeds``; None unless each of ``methods`` holds every
    one of them on every task (``load`` keeps only the seeds complete for every method)."""
    if not methods <= set(tab.test) or not set(seeds) <= set(tab.seeds):
        return None
    return _only_seeds(tab, seeds)


def _gap_table(suites: str, subject: str, ref: Table, gaps: list[VariantGap], labels: dict[str, str],
               ref_worst: int, notes: str, source: str = GREEDY_SKTPE) -> list[str]:
    """The description and table of a tuning round's variants against the defaults (``ref``),
    one row per variant of ``labels`` (name -> label) from ``gaps``; ``notes`` ends the description,
    ``source`` names the sktpe source(s) of the rows."""
    L = [f"{suites}: {len(ref.tasks)} tasks × {len(ref.seeds)} seeds ({ref.seeds[0]}-{ref.seeds[-1]}), "
         f"sktpe source {source}. {subject} test score minus the defaults' on the same split and "
         "folds, each task's mean over seeds in task sd (random search's spread), then the mean over the "
         "tasks with its 95% t-interval over the tasks; p: one-sample t-test over the tasks, Holm over the "
         f"{len(gaps)} tests (Wilcoxon over the tasks beside it, uncorrected); tasks ahead / behind; the "
         "root mean square of the per-task standard errors. Last column: (task, budget) cells where the "
         f"worst seed is below random search's worst (the defaults: {ref_worst} of "
         f"{len(ref.tasks) * len(ref.budgets)})." + notes, "",
         "| variant | " + " | ".join(f"n_iter={b}" for b in ref.budgets) + " | worst seed below random's |",
         "|---|" + "---|" * len(ref.budgets) + "---|"]
    for v, label in labels.items():
        mine = [g for g in gaps if g.variant == v]
        L.append(f"| {label} | " + " | ".join(
            f"{g.interval} (Holm p={_p(g.p_holm)}; Wilcoxon p={_p(g.p_wilcoxon)}; "
            f"{g.ahead}/{g.behind}; SE {g.se_rms:.2f})" for g in mine) + f" | {mine[0].worst_cells} |")
    return L


def greedy_lines(name: str = GREEDY_FILE, seeds: list = GREEDY_SEEDS,
                 variants: tuple[tuple[str, str], ...] = GREEDY_VARIANTS) -> list[str] | None:
    """Round 11's table and verdict for the results file ``name`` on its stated ``seeds``: the
    first run's criterion over three variants (:func:`greedy_choice`), or the second run's
    (``GREEDY_FILE_2``, one variant: :func:`greedy_confirmed`). None unless the defaults, random
    search and every variant hold every stated seed of every task."""
    tabs = {v: _stated(load("tuning", v, GREEDY_SKTPE, name=name, budgets=GREEDY_BUDGETS), seeds,
                       {"tpe", "random"}) for v in [""] + [v for v, _ in variants]}
    if any(tab is None for tab in tabs.values()):
        return None
    ref = tabs.pop("")
    gaps = variant_gaps(ref, tabs)
    ref_worst = len(worst_seed_below_random(ref, ref.test["tpe"]))
    repeated = _repeated(name)
    labels = dict(variants)
    L = _gap_table("Tuning suite", "Each variant's", ref, gaps, labels, ref_worst,
                   f" The file stores {repeated} run(s) more than once (each was to be run once; the last is "
                   "read)." if repeated else "")
    if name == GREEDY_FILE_2:
        top = max(ref.budgets)
        at_top = next(g for g in gaps if g.budget == top)
        below = [g for g in gaps if g.budget != top]
        L += ["", "Criterion (stated before the run): the interval at n_iter=40 above 0, the mean at 20 not "
              f"below -{GREEDY_SLACK}, no more worst-seed cells than the defaults. Here: lower end at "
              f"{top} {at_top.low:+.4f}; "
              + "; ".join(f"mean at {g.budget} {g.diff:+.4f}" for g in below)
              + f"; worst-seed cells {at_top.worst_cells} against the defaults' {ref_worst}. "
              + ("**Passed**: next, its run at 10 and 80 candidates and the report suite's runs made again, "
                 "before any default changes." if greedy_confirmed(gaps, ref_worst)
                 else "**Not passed: the defaults stay.**")]
    else:
        choice = greedy_choice(gaps, ref_worst)
        L += ["", "Criterion (stated before the run): ahead of the defaults at both budgets, Holm p below 0.05 "
              "at one at least, no more worst-seed cells than the defaults. "
              + (f"**Passed by `{choice}`** ({labels[choice]}): next, its run at 10 and 80 candidates."
                 if choice else "**No variant passes: the defaults stay.**")]
    return L


def write_greedy() -> None:
    """Put round 11's tables into docs/guide/ablation.md: the first run (block
    ``heldout-tuning-greedy``), then the second once complete (``heldout-tuning-greedy-2``)."""
    _write_round("heldout-tuning-greedy", greedy_lines(), f"{GREEDY_FILE}: round 11's runs are not complete")
    second = greedy_lines(GREEDY_FILE_2, GREEDY_SEEDS_2, GREEDY_VARIANTS_2)
    if second is None:
        print(f"{GREEDY_FILE_2}: the second run is not complete; its block is left as it is")
        return
    write_ablation_block("heldout-tuning-greedy-2", second)


#: Round 12 (guide/ablation.md), stated before it was run: the second tuning suite measured
#: with the defaults and random search on round 11's first seeds, pooled with that run.
EXTRA_FILE, EXTRA_SUITE, EXTRA_SEEDS = "tuning_extra", "tuning-extra", GREEDY_SEEDS


def tpe_minus_random_gaps(tabs: list[Table], j: int) -> list[np.ndarray]:
    """Per task of ``tabs``, TPESearchCV minus random search over the seeds at budget index ``j``,
    in its own table's task sd."""
    return [(tab.test["tpe"][t][:, j] - tab.test["random"][t][:, j]) / task_scale(tab, t)
            for tab in tabs for t in tab.tasks]


def tpe_minus_random(tabs: list[Table], j: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """:func:`_task_gaps` of TPESearchCV minus random search at budget index ``j``, over the tasks
    of ``tabs`` (each in its own table's task sd)."""
    return _task_gaps(tpe_minus_random_gaps(tabs, j))


def suite_table(tab: Table) -> list[str]:
    """A tuning suite's table (rounds 12 and 16): per task, the mean test score of the estimator
    at its defaults, of random search and of TPESearchCV at each budget, and TPESearchCV minus
    random search in task sd ± its standard error over the seeds."""
    budgets = " / ".join(map(str, tab.budgets))
    L = [f"| task | estimator defaults | random search {budgets} | TPESearchCV {budgets} | "
         + " | ".join(f"TPESearchCV − random, {b}" for b in tab.budgets) + " |",
         "|---|---:|---:|---:|" + "---:|" * len(tab.budgets)]
    own = [tpe_minus_random([tab], j) for j in range(len(tab.budgets))]
    for i, t in enumerate(tab.tasks):
        rnd, tpe = tab.test["random"][t].mean(axis=0), tab.test["tpe"][t].mean(axis=0)
        L.append(f"| {t} | {tab.test['default'][t].mean():.3f} | " + " / ".join(f"{x:.3f}" for x in rnd)
                 + " | " + " / ".join(f"{x:.3f}" for x in tpe) + " | "
                 + " | ".join(f"{d[i]:+.2f} ± {se[i]:.2f}" for d, se, _, _ in own) + " |")
    return L


def extra_lines(name: str = EXTRA_FILE, first_name: str = GREEDY_FILE,
                seeds: list = EXTRA_SEEDS) -> list[str] | None:
    """Round 12's table: per task of the second tuning suite (results file ``name``), the
    estimator's defaults, random search and TPESearchCV (mean test scores) and TPESearchCV minus
    random search in task sd with its standard error; then pooled over its tasks and over those
    and the first tuning suite's (``first_name``, round 11's first run). None unless the
    estimator's defaults, random search and TPESearchCV (its defaults, at ``GREEDY_SKTPE``) hold
    every one of ``seeds`` of every task in the one, random search and TPESearchCV in the other."""
    extra = _stated(load(EXTRA_SUITE, "", GREEDY_SKTPE, name=name, budgets=GREEDY_BUDGETS), seeds,
                    {"default", "tpe", "random"})
    first = _stated(load("tuning", "", GREEDY_SKTPE, name=first_name, budgets=GREEDY_BUDGETS), seeds,
                    {"tpe", "random"})
    if extra is None or first is None:
        return None

    budgets = " / ".join(map(str, extra.budgets))
    repeated = _repeated(name) + _repeated(first_name)
    L = [f"Second tuning suite: {len(extra.tasks)} tasks × {len(extra.seeds)} seeds "
         f"({extra.seeds[0]}-{extra.seeds[-1]}), sktpe source {GREEDY_SKTPE}. Mean held-out test score of "
         f"each estimator at its own defaults, of random search and of TPESearchCV at n_iter={budgets}; then "
         "TPESearchCV minus random search on the same split and folds, in task sd (random search's "
         "spread), ± its standard error over the seeds."
         + (f" The files store {repeated} run(s) more than once (each was to be run once; the last is read)."
            if repeated else ""), ""] + suite_table(extra)
    own = [tpe_minus_random([extra], j) for j in range(len(extra.budgets))]
    L += ["", "Pooled, TPESearchCV minus random search (mean over the tasks of each task's mean, task sd, "
          "[95% t-interval over the tasks]; Wilcoxon over the tasks, uncorrected; root mean square of the "
          "per-task standard errors):", ""]
    both = len(extra.tasks) + len(first.tasks)
    for label, by_budget in ((f"the {len(extra.tasks)} new tasks", own),
                             (f"the {both} tasks of both tuning suites",
                              [tpe_minus_random([first, extra], j) for j in range(len(extra.budgets))])):
        L.append(f"- {label}: " + "; ".join(
            f"at {b} {_interval(float(d.mean()), low, high)} "
            f"(p={_p(paired_p(d, np.zeros_like(d)))}; SE {np.sqrt(np.mean(se ** 2)):.2f})"
            for b, (d, se, low, high) in zip(extra.budgets, by_budget)) + ".")
    return L


def write_extra() -> None:
    """Put round 12's table into docs/guide/ablation.md (block ``heldout-tuning-extra``)."""
    _write_round("heldout-tuning-extra", extra_lines(), f"{EXTRA_FILE}: round 12's run is not complete")


#: Round 13 (guide/ablation.md), stated before its rows were read: the good/bad split ranks the
#: trials by their neighbour-smoothed scores, against the defaults, over both tuning suites on
#: seeds 100-219. The defaults' and random search's rows come from rounds 11 and 12 (seeds 100-159)
#: and their second runs (160-219); the variant's from one file per suite.
SMOOTH_VARIANT = "smooth-split-2"
#: Rounds 13 and 14 run over both tuning suites on these seeds; the defaults' and random search's
#: rows of each suite come from two files, each for its own seeds.
BOTH_SEEDS = list(range(100, 220))
#: The commit the variant's runs were made from (its wrapper lives in heldout.py, outside the
#: sktpe source hash that a row's key holds).
SMOOTH_COMMIT = "615ad80"
SMOOTH_LABEL = "the split ranks neighbour-smoothed scores"
BOTH_REF = {"tuning": ((GREEDY_FILE, GREEDY_SEEDS), (GREEDY_FILE_2, BOTH_SEEDS[60:])),
            EXTRA_SUITE: ((EXTRA_FILE, GREEDY_SEEDS), ("tuning_extra_2", BOTH_SEEDS[60:]))}
SMOOTH_FILES = {"tuning": "tuning_smooth", EXTRA_SUITE: "tuning_extra_smooth"}


def _joined(tabs: list[Table]) -> Table:
    """One table of the same tasks and budgets over the seeds of ``tabs`` in turn (the methods
    every one of them holds; task sd over all those seeds)."""
    methods = [m for m in tabs[0].test if all(m in tab.test for tab in tabs)]

    def cat(field_: str) -> dict:
        return {m: {t: np.concatenate([getattr(tab, field_)[m][t] for tab in tabs])
                    for t in tabs[0].tasks} for m in methods}

    return replace(tabs[0], seeds=[s for tab in tabs for s in tab.seeds], test=cat("test"), cv=cat("cv"),
                   seconds=cat("seconds"),
                   trials={m: {t: [x for tab in tabs for x in tab.trials[m][t]] for t in tabs[0].tasks}
                           for m in methods}, scale={})


def _side_by_side(tabs: list[Table]) -> Table:
    """One table of the tasks of ``tabs`` (same seeds and budgets; the methods every one holds),
    each task keeping its own table's task sd."""
    methods = [m for m in tabs[0].test if all(m in tab.test for tab in tabs)]

    def merge(field_: str) -> dict:
        return {m: {t: a for tab in tabs for t, a in getattr(tab, field_)[m].items()} for m in methods}

    return replace(tabs[0], suite=" + ".join(tab.suite for tab in tabs), tasks=[t for tab in tabs for t in tab.tasks],
                   test=merge("test"), cv=merge("cv"), seconds=merge("seconds"), trials=merge("trials"),
                   scale={t: task_scale(tab, t) for tab in tabs for t in tab.tasks})


def _both_ref() -> Table | None:
    """The defaults' table over both tuning suites on ``BOTH_SEEDS`` (TPESearchCV and random
    search, from ``BOTH_REF``; each task in its own suite's task sd); None unless every file holds
    every stated seed of every task."""
    out = {}
    for suite, parts in BOTH_REF.items():
        ref = [_stated(load(suite, "", GREEDY_SKTPE, name=name, budgets=GREEDY_BUDGETS), seeds,
                       {"tpe", "random"}) for name, seeds in parts]
        if any(tab is None for tab in ref):
            return None
        out[suite] = _joined(ref)
        if out[suite].seeds != BOTH_SEEDS:
            raise SystemExit(f"{suite}: the defaults' seeds ({out[suite].seeds[:3]}...) are not the stated "
                             "ones in order")
    return _side_by_side(list(out.values()))


def round_tables(variant: str, files: dict[str, str]) -> tuple[Table, Table] | None:
    """A round over both tuning suites on ``BOTH_SEEDS`` (rounds 13 and 14): the defaults' table
    (:func:`_both_ref`), and the same with the test scores of ``variant`` (from ``files``, one per
    suite) as TPESearchCV's. None unless every stated file holds every stated seed of every task."""
    ref = _both_ref()
    if ref is None:
        return None
    variants = []
    for suite in BOTH_REF:
        var = _stated(load(suite, variant, GREEDY_SKTPE, name=files[suite], budgets=GREEDY_BUDGETS),
                      BOTH_SEEDS, {"tpe"})
        if var is None:
            return None
        if var.seeds != BOTH_SEEDS:
            raise SystemExit(f"{variant}, {suite}: the variant's seeds ({var.seeds[:3]}...) are not the "
                             "stated ones in order")
        variants.append(var)
    tpe = {t: a for var in variants for t, a in var.test["tpe"].items()}
    return ref, replace(ref, test={**ref.test, "tpe": tpe})


def _run_commits(name: str) -> set[str]:
    """The git commits (short) that the provenance lines of results file ``name`` name."""
    return {r["provenance"].get("git_commit", "?")[:7] for r in _stored_lines(name) if "provenance" in r}


def round_lines(variant: str, files: dict[str, str], label: str, commit: str,
                same_search: bool = False,
                tables: Callable[[], tuple[Table, Table] | None] | None = None,
                suites: str = "Both tuning suites", ref_files: tuple[str, ...] = (),
                source: str = GREEDY_SKTPE) -> list[str] | None:
    """The table and verdict of a round over both tuning suites (round 11's criterion,
    :func:`greedy_choice`): ``variant``'s rows in ``files``, run from ``commit``. With
    ``same_search`` (the variant only chooses another model of the same search), how many
    searches returned another model. ``tables`` makes the defaults' and the variant's tables
    (by default :func:`round_tables` of ``variant`` and ``files``); a round over more suites
    names them (``suites``), the reference's files beyond ``BOTH_REF`` (``ref_files``) and the
    rows' sktpe sources (``source``). None until its runs are complete."""
    tabs = tables() if tables is not None else round_tables(variant, files)
    if tabs is None:
        return None
    ref, var = tabs
    gaps = variant_gaps(ref, {variant: var})
    ref_worst = len(worst_seed_below_random(ref, ref.test["tpe"]))
    repeated = sum(_repeated(name) for parts in BOTH_REF.values() for name, _ in parts)
    repeated += sum(_repeated(name) for name in (*files.values(), *ref_files))
    commits = set().union(*(_run_commits(name) for name in files.values()))
    L = _gap_table(suites, "The variant's", ref, gaps, {variant: label}, ref_worst,
                   (f" The files store {repeated} run(s) more than once (each was to be run once; the last is "
                    "read)." if repeated else "")
                   + (f" The variant's runs were made from {', '.join(sorted(commits))}, not {commit} as "
                      "stated." if commits != {commit} else ""), source)
    if same_search:
        other = sum(int(np.count_nonzero(var.test["tpe"][t] != ref.test["tpe"][t])) for t in ref.tasks)
        L += ["", f"The variant's searches are the defaults'; {other} of {len(ref.tasks) * len(ref.seeds) * len(ref.budgets)} "
              "returned a model of another test score."]
    L += ["", "Per task, the variant minus the defaults (mean over the seeds in task sd ± its standard error):", "",
          "| task | " + " | ".join(f"n_iter={b}" for b in ref.budgets) + " |",
          "|---|" + "---:|" * len(ref.budgets)]
    per = [_task_gaps([(var.test["tpe"][t][:, j] - ref.test["tpe"][t][:, j]) / task_scale(ref, t)
                       for t in ref.tasks])[:2] for j in range(len(ref.budgets))]
    for i, t in enumerate(ref.tasks):
        L.append(f"| {t} | " + " | ".join(f"{d[i]:+.2f} ± {se[i]:.2f}" for d, se in per) + " |")
    choice = greedy_choice(gaps, ref_worst)
    L += ["", "Criterion (stated before any row was read): ahead of the defaults at both budgets, Holm p "
          "below 0.05 at one at least, no more worst-seed cells than the defaults. "
          + ("**Passed**: a candidate, not yet a default (see the text)." if choice
             else "**Not passed: the defaults stay.**")]
    return L


def smooth_lines() -> list[str] | None:
    """Round 13's table and verdict (:func:`round_lines`)."""
    return round_lines(SMOOTH_VARIANT, SMOOTH_FILES, SMOOTH_LABEL, SMOOTH_COMMIT)


#: Round 14 (guide/ablation.md), stated before its rows were read: the same searches as the
#: defaults, the model chosen by ``sktpe.one_std_error_rule`` (``heldout.ONE_SE_PREFER``).
ONE_SE_VARIANT, ONE_SE_COMMIT = "1se", "2b73b83"
ONE_SE_LABEL = "the one-standard-error rule chooses the model"
ONE_SE_FILES = {"tuning": "tuning_1se", EXTRA_SUITE: "tuning_extra_1se"}


def one_se_lines() -> list[str] | None:
    """Round 14's table and verdict (:func:`round_lines`)."""
    return round_lines(ONE_SE_VARIANT, ONE_SE_FILES, ONE_SE_LABEL, ONE_SE_COMMIT, same_search=True)


#: Round 15 (guide/ablation.md), stated before its rows were read: the defaults' searches, and
#: the estimator as given (``heldout.py``'s ``default-cv``: cross-validated on the same folds)
#: returned instead of the search's best where its mean CV score is the larger.
GUARD_VARIANT, GUARD_COMMIT = "defaults-compete", "d4b3da3"
GUARD_LABEL = "the estimator as given competes in the choice"
GUARD_FILES = {"tuning": "tuning_defaults_cv", EXTRA_SUITE: "tuning_extra_defaults_cv"}


def _defaults_cv(name: str) -> dict:
    """``default-cv`` rows of results file ``name``: (task, seed) -> (mean CV score, test score)."""
    return {(r["task"], r["seed"]): (r["cv_best"][0], r["test"][0]) for r in load_rows(name)
            if r["method"] == "default-cv"}


def guard_tables() -> tuple[Table, Table] | None:
    """Round 15's tables: the defaults' (:func:`_both_ref`), and the same where
    each search returns the estimator as given if its mean CV score on the same folds is larger
    than the search's best (a tie, to 12 decimals, keeps the search's). None unless every stated file holds
    every stated seed of every task."""
    ref = _both_ref()
    if ref is None:
        return None
    given = {**_defaults_cv(GUARD_FILES["tuning"]), **_defaults_cv(GUARD_FILES[EXTRA_SUITE])}
    if any((t, s_) not in given for t in ref.tasks for s_ in BOTH_SEEDS):
        return None
    tpe = {}
    for t in ref.tasks:
        cv_given = np.array([given[(t, s_)][0] for s_ in BOTH_SEEDS])[:, None]
        test_given = np.array([given[(t, s_)][1] for s_ in BOTH_SEEDS])[:, None]
        # a tie keeps the search's model; a difference in the last bits of a mean is a tie (the
        # rounding of paired_p), as on svc_circles seed 109: 0.9040000000000001 against 0.9039999999999999
        tpe[t] = np.where(np.round(cv_given - ref.cv["tpe"][t], 12) > 0, test_given, ref.test["tpe"][t])
    return ref, replace(ref, test={**ref.test, "tpe": tpe})


def guard_lines() -> list[str] | None:
    """Round 15's table and verdict (:func:`round_lines` on :func:`guard_tables`)."""
    return round_lines(GUARD_VARIANT, GUARD_FILES, GUARD_LABEL, GUARD_COMMIT, same_search=True,
                       tables=guard_tables)


def write_guard() -> None:
    """Put round 15's table into docs/guide/ablation.md (block ``heldout-tuning-guard``)."""
    _write_round("heldout-tuning-guard", guard_lines(), "round 15's runs are not complete")


def write_smooth() -> None:
    """Put round 13's table into docs/guide/ablation.md (block ``heldout-tuning-smooth``)."""
    _write_round("heldout-tuning-smooth", smooth_lines(), "round 13's runs are not complete")


def write_one_se() -> None:
    """Put round 14's table into docs/guide/ablation.md (block ``heldout-tuning-1se``)."""
    _write_round("heldout-tuning-1se", one_se_lines(), "round 14's runs are not complete")


def write_reach() -> None:
    """Put the pooled distance to random search's largest-budget model, on both suites, into
    docs/guide/ablation.md (round 10): the report suite's main and large runs, the tuning
    suite's run of every budget (``tuning_mv``)."""
    main_ = load("report")
    big = load_large(main_)
    if big is None:
        raise SystemExit("the report suite's large-budget run is incomplete")
    tuning = load("tuning", name="tuning_mv", budgets=(10, 20, 40, 80))
    for name, tab, reach, top in (("reach-report", main_, reach_of_report(main_, big), big.budgets[0]),
                                  ("reach-tuning", tuning, reach_of_one_run(tuning), tuning.budgets[-1])):
        lines = [f"{tab.suite.capitalize()} suite: {len(tab.tasks)} tasks × {len(tab.seeds)} seeds "
                 f"({tab.seeds[0]}-{tab.seeds[-1]}). Each method's test score minus random search's at "
                 f"n_iter={top} on the same split and folds, each task's mean over seeds in task sd, "
                 "then the mean over the tasks with its 95% t-interval over the tasks; p: Wilcoxon over "
                 "the tasks, Holm over the method's budgets. Last column: the per-task rule of the "
                 "benchmark page (the mean stays at or above the target from that budget on)."
                 + (f" With {len(tab.tasks)} tasks the smallest two-sided Wilcoxon p is "
                    f"{2 / 2 ** len(tab.tasks):.3g}, so after Holm over {len(reach['tpe'])} budgets no p "
                    f"here can fall below {len(reach['tpe']) * 2 / 2 ** len(tab.tasks):.3g}."
                    if len(reach["tpe"]) * 2 / 2 ** len(tab.tasks) >= ALPHA else ""), ""]
        write_ablation_block(name, lines + reach_table(reach, len(tab.tasks), top))
    fresh = load_fresh()
    if fresh is None:
        print(f"{FRESH_FILE}: the confirmation run is not complete; its block is left as it is")
        return
    write_ablation_block("reach-fresh", [
        f"Report suite, fresh seeds {fresh.tab.seeds[0]}-{fresh.tab.seeds[-1]} ({len(fresh.tab.seeds)}): as the first "
        "table, in the task standard deviations of these seeds (random search's test scores at 20, 40 and "
        f"80); p: Wilcoxon over the tasks, Holm over the budgets 20 and 40. Criterion: TPESearchCV at "
        f"n_iter=40, the interval's lower end ({next(r for r in fresh.reach['tpe'] if r.budget == 40).low:+.3f}) "
        f"above -{FRESH_MARGIN}: "
        + ("met." if fresh.met else "not met."), ""]
        + reach_table(fresh.reach, len(fresh.tab.tasks), FRESH_BUDGETS[-1]) + [""] + fresh_lines(fresh))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--suite", choices=("report", "tuning"), default="report")
    p.add_argument("--variants", default="", help="tuning: print these sktpe variants, separated by ;")
    p.add_argument("--write", action="store_true",
                   help="tuning: write the tables of TUNING_ROUNDS into docs/guide/ablation.md")
    p.add_argument("--reach", action="store_true",
                   help="write round 10's tables (distance to random search's largest-budget model, "
                        "both suites) into docs/guide/ablation.md")
    p.add_argument("--greedy", action="store_true",
                   help="write round 11's table (settings that exploit more) into docs/guide/ablation.md")
    p.add_argument("--extra", action="store_true",
                   help="write round 12's table (the second tuning suite) into docs/guide/ablation.md")
    p.add_argument("--smooth", action="store_true",
                   help="write round 13's table (the split on smoothed scores) into docs/guide/ablation.md")
    p.add_argument("--one-se", action="store_true",
                   help="write round 14's table (the one-standard-error rule) into docs/guide/ablation.md")
    p.add_argument("--guard", action="store_true",
                   help="write round 15's table (the estimator as given competes) into docs/guide/ablation.md")
    args = p.parse_args(argv)
    if args.guard:
        write_guard()
        return
    if args.one_se:
        write_one_se()
        return
    if args.smooth:
        write_smooth()
        return
    if args.extra:
        write_extra()
        return
    if args.greedy:
        write_greedy()
        return
    if args.reach:
        write_reach()
        return
    if args.suite == "tuning" and args.write:
        write_tuning()
        return
    if args.suite == "tuning":
        for v in args.variants.split(";"):
            tab = load("tuning", v)
            print(f"\n===== variant {v!r} ({len(tab.seeds)} seeds, sktpe {tab.sktpe})")
            print("\n".join(headline(tab)))
            for t in tab.tasks:
                m = {k: tab.test[k][t].mean(axis=0) for k in ("tpe", "random", "optuna") if k in tab.test}
                w = {k: tab.test[k][t].min(axis=0) for k in m}
                print(f"  {t:22s} " + "  ".join(f"{k}: {np.round(m[k], 4)} worst {np.round(w[k], 3)}" for k in m))
        return
    tab = load(args.suite)
    missing = {"random", "tpe"} - set(tab.test)
    if not tab.seeds or missing:
        raise SystemExit(f"{args.suite}: no complete seeds yet (missing methods: {sorted(missing)})")
    out = os.path.join(ROOT, "docs", "_static", "heldout_curves.png")
    figure(tab, out, load_large(tab))
    print("\n".join(page(tab, "What users keep")))
    print(results_path(args.suite))


if __name__ == "__main__":
    main()
