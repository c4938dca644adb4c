"""Cluster-scale simulator: sktpe's real sampler and scheduler, fit times on a virtual clock.

Every fold fit is simulated: its score is the problem's true objective plus
fold noise, its duration comes from the problem's cost model
(``cluster_problems.py``), and W identical workers run the fits on a virtual
clock. What decides which candidates run, and when, is the code under test:

* ``sktpe-async``: ``sktpe._scheduler.Scheduler`` with ``Policy(asynchronous=True)``
  (TPESearchCV's ``batch_size='async'``) and sktpe's ``TPESampler``; the
  simulated evaluator is a discrete-event simulation that calls the
  scheduler's ``next_task`` whenever a worker frees up and ``done`` when a
  fold finishes. As in TPESearchCV, the policy is asynchronous only with
  more than one worker; after the loop, the quickest finished candidate runs
  again as one wave (``TrialStore.rerun_order``: scikit-learn's ``fit`` needs one
  ``evaluate_candidates`` call), and that wave counts as idle time.
* ``sktpe-waves``: the same with ``asynchronous=False`` (today's default
  ``batch_size='auto'``): each batch runs as one synchronous wave, list
  scheduled on the workers, and the next batch starts when its slowest fit ends.
* ``random``: RandomizedSearchCV's candidates (``ParameterSampler``); each
  worker takes the next candidate's next fold as it frees up.
* ``optuna``: ``optuna.samplers.TPESampler(seed, constant_liar=True,
  multivariate=True, group=True)`` driven by ``study.ask()`` whenever a worker
  needs a new candidate (the running ones are RUNNING trials, which the
  constant liar counts) and ``study.tell`` once its folds are done.

Every fold task costs its fit time plus a fixed dispatch overhead
(``OVERHEAD``, the same for every method). The samplers' own compute time is
measured (``cpu_seconds``) but does not advance the virtual clock. A trial
*settles* at the virtual time its result reaches the sampler (the end of its
wave for waves, its last fold otherwise); the cache keeps, per run, the
best-so-far true value as a step function of that time.

    python benchmarks/cluster_sim.py                      # run what is missing from the cache
    python benchmarks/cluster_sim.py --seeds 20 --budget-minutes 35
    python benchmarks/cluster_sim_report.py               # docs/cluster_sim.md and the figure
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from sklearn.model_selection import ParameterSampler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cluster_problems import PROBLEMS, Problem, point_key  # noqa: E402
from methods import _optuna_params, to_dims  # noqa: E402
from provenance import provenance  # noqa: E402

from sktpe import TPESampler, TPESearchCV  # noqa: E402
from sktpe._candidates import n_startup  # noqa: E402
from sktpe._scheduler import Policy, Progress, Scheduler, candidates_per_batch  # noqa: E402
from sktpe._trials import Trial, TrialStore  # noqa: E402

__all__ = ["METHODS", "WORKERS", "n_iter_for", "simulate"]

K = 5  # CV folds
OVERHEAD = 0.005  # seconds of dispatch per fold task, every method alike
WORKERS = (1, 4, 16, 64, 256)
METHODS = ("sktpe-async", "sktpe-waves", "random", "optuna")
OPTUNA_WORKERS = (1, 4, 16, 64)  # Optuna's ask costs tens of ms at hundreds of trials: not 256
RESULTS = os.path.join(HERE, "results", "cluster_sim.json")


def n_iter_for(workers: int) -> int:
    """The budget: ``max(50, 4 W)`` candidates, so that at W >= 16 about 20 "generations"
    of the ``W / K`` candidates in flight run one after another."""
    return max(50, 4 * workers)


# -- the virtual cluster ---------------------------------------------------------------
class Cluster:
    """W identical workers on a virtual clock; counts busy time.

    ``tell_first``: when a task ends, its result is handed back before the
    freed worker asks for its next task (False: after, as joblib does, whose
    callback thread dispatches the next task before the main thread reads the
    result). ``intervals`` keeps every task's (start, end); ``first_wave_end``
    and ``dispatch_end`` mark the end of the first wave and the time the
    event-driven dispatch ran out of tasks, ``drain_end`` the time its last
    task ended. ``busy`` is worker time on fits that told the search
    something; ``rerun_busy`` the time of a candidate run again
    (``wave(..., rerun=True)``), which counts as idle.
    """

    def __init__(self, workers: int, tell_first: bool = True) -> None:
        self.workers = workers
        self.tell_first = tell_first
        self.clock = 0.0
        self.busy = 0.0
        self.intervals: list[tuple[float, float]] = []
        self.first_wave_end: float | None = None
        self.dispatch_end: float | None = None
        self.drain_end: float | None = None
        self.rerun_busy = 0.0

    def wave(self, durations: list[float], rerun: bool = False) -> list[float]:
        """Run tasks as one synchronous wave (list scheduling from an idle cluster).

        Each task goes, in order, to the worker that frees up first; the clock
        moves to the wave's makespan. Returns each task's finish time.
        ``rerun``: a candidate run again, whose time counts as idle
        (``rerun_busy``), not as a first wave.
        """
        free = [self.clock] * self.workers  # a heap of worker free times
        finish = []
        for d in durations:
            start = heapq.heappop(free)
            heapq.heappush(free, start + d)
            finish.append(start + d)
            if rerun:
                self.rerun_busy += d
            else:
                self.busy += d
            self.intervals.append((start, start + d))
        self.clock = max(finish, default=self.clock)
        if self.first_wave_end is None and not rerun:
            self.first_wave_end = self.clock
        return finish

    def events(self, next_task: Callable[[], Any], duration: Callable[[Any], float],
               on_done: Callable[[Any], None]) -> None:
        """Discrete-event run: a free worker takes ``next_task()`` (None: dispatch ends).

        ``on_done(task)`` runs at the task's finish time (the clock set to it),
        before the worker that ran it asks for its next task.
        """
        heap: list[tuple[float, int, Any]] = []
        seq = 0

        def dispatch() -> bool:
            """Start the next task on a free worker; False once there is none."""
            nonlocal seq
            task = next_task()
            if task is None:
                self.dispatch_end = self.clock
                return False
            d = duration(task)
            self.busy += d
            self.intervals.append((self.clock, self.clock + d))
            heapq.heappush(heap, (self.clock + d, seq, task))
            seq += 1
            return True

        dispatching = True
        for _ in range(self.workers):
            if not dispatch():
                dispatching = False
                break
        while heap:
            t_end, _, task = heapq.heappop(heap)
            self.clock = t_end
            if self.tell_first:
                on_done(task)
            if dispatching:
                dispatching = dispatch()
            if not self.tell_first:
                on_done(task)
        self.drain_end = self.clock


class Folds:
    """The simulated fold results of one run: score and duration per (params, fold), cached."""

    def __init__(self, problem: Problem, seed: int) -> None:
        self.problem, self.seed = problem, seed
        self._cache: dict[tuple[str, int], tuple[float, float]] = {}

    def get(self, params: dict, fold: int) -> tuple[float, float]:
        """(score, duration including dispatch overhead) of one fold."""
        key = (point_key(params), fold)
        if key not in self._cache:
            score, fit = self.problem.fold(params, fold, self.seed, key[0])
            self._cache[key] = (score, fit + OVERHEAD)
        return self._cache[key]

    def record(self, params: dict, fold: int) -> tuple[dict, float, float]:
        """A fold record as the scheduler reads it, the fold's score, its duration."""
        score, d = self.get(params, fold)
        return {"fit_error": None, "test_scores": score, "fit_time": d - OVERHEAD,
                "score_time": 0.0}, score, d


class SimEvaluator:
    """Stands in for ``sktpe._evaluation.Evaluator``: fold fits on a :class:`Cluster`."""

    def __init__(self, cluster: Cluster, folds: Folds) -> None:
        self.cluster, self.folds = cluster, folds
        self.fed = False
        self.journal = None

    def splits(self) -> list[int]:
        """K placeholder splits (the scheduler only counts them)."""
        return list(range(K))

    def skipped_fold(self, like: dict, fold: int) -> dict:
        """A fold that racing skipped (unused: the simulator does not race)."""
        return {"fit_error": None, "test_scores": math.nan, "fit_time": 0.0, "score_time": 0.0}

    def run_whole(self, trials: list[Trial]) -> None:
        """Every fold of each trial, candidate by candidate, as one wave."""
        out = [self.folds.record(t.params, f) for t in trials for f in range(K)]
        self.cluster.wave([d for _, _, d in out])
        for i, t in enumerate(trials):
            t.folds = [r for r, _, _ in out[i * K:(i + 1) * K]]
            t.fold_scores = [s for _, s, _ in out[i * K:(i + 1) * K]]
        self.fed = self.fed or bool(trials)

    def run_folds(self, tasks: list[tuple[Trial, int]]) -> None:
        """The (trial, fold) tasks as one wave."""
        out = [self.folds.record(t.params, f) for t, f in tasks]
        self.cluster.wave([d for _, _, d in out])
        for (t, f), (record, score, _) in zip(tasks, out):
            t.folds[f] = record
            t.fold_scores.append(score)

    def run_asynchronously(self, scheduler: Scheduler) -> bool:
        """Discrete-event run: ``next_task`` whenever a worker frees up, ``done`` as folds end."""
        def done(task: tuple[Trial, int]) -> None:
            t, f = task
            record, score, _ = self.folds.record(t.params, f)
            scheduler.done(t, f, record, score)

        self.cluster.events(scheduler.next_task,
                            lambda task: self.folds.get(task[0].params, task[1])[1], done)
        return True


# -- the methods -----------------------------------------------------------------------
def run_sktpe(problem: Problem, workers: int, seed: int, n_iter: int, asynchronous: bool,
              cluster: Cluster, settle: Callable[[dict], None], racing: bool = False,
              sampler_cls: type = TPESampler, store_cls: type = TrialStore) -> None:
    """A search built as ``TPESearchCV._run_search`` builds it, on the simulated evaluator.

    ``racing``: racing's waves, overlapping with more than one worker (as
    TPESearchCV's ``batch_size='auto'``); ``sampler_cls`` and ``store_cls``
    let ``cluster_sim_confirm.py`` run an earlier design as an ablation.
    """
    store = store_cls(n_splits=K)
    sampler = sampler_cls(problem.space, random_state=seed,
                          n_startup_trials=n_startup("auto", n_iter, TPESearchCV._startup_min))
    store.sampler = sampler
    store.on_settle.append(lambda t: settle(t.params))
    progress = Progress(None, None, 0, n_iter, False, store)
    policy = Policy(
        n_iter=n_iter, racing=racing, overlap=racing and workers > 1, slots=workers, timed=False,
        asynchronous=asynchronous and workers > 1,  # as TPESearchCV: batch_size='async', n_jobs > 1
        batch_size=lambda k, n: candidates_per_batch("auto", workers, k, n),
    )
    folds = Folds(problem, seed)
    evaluator = SimEvaluator(cluster, folds)
    reason = Scheduler(sampler, store, evaluator, progress, policy, queue=[]).run()
    assert reason == "n_iter" and len(store) == n_iter, (reason, len(store))
    if policy.asynchronous:  # TPESearchCV's Evaluator.feed_sklearn
        again = store.rerun_order()[0]
        cluster.wave([folds.get(again.params, f)[1] for f in range(K)], rerun=True)


def run_by_fold(cluster: Cluster, folds: Folds, n_iter: int, propose: Callable[[], Any],
                params_of: Callable[[Any], dict], tell: Callable[[Any, float], None]) -> None:
    """A free worker takes the newest candidate's next fold, or a new candidate from ``propose``.

    A candidate is told (``tell(handle, mean fold score)``) when its last fold ends.
    """
    state = {"asked": 0, "open": None, "next_fold": K}
    scores: dict[int, list[float]] = {}
    handles: dict[int, Any] = {}

    def next_task() -> tuple[int, int] | None:
        if state["next_fold"] >= K:
            if state["asked"] >= n_iter:
                return None
            i = state["asked"]
            handles[i] = propose()
            scores[i] = []
            state.update(asked=i + 1, open=i, next_fold=0)
        f = state["next_fold"]
        state["next_fold"] += 1
        return state["open"], f

    def done(task: tuple[int, int]) -> None:
        i, f = task
        scores[i].append(folds.get(params_of(handles[i]), f)[0])
        if len(scores[i]) == K:
            tell(handles[i], float(np.mean(scores[i])))

    cluster.events(next_task, lambda task: folds.get(params_of(handles[task[0]]), task[1])[1],
                   done)


def run_random(problem: Problem, workers: int, seed: int, n_iter: int, cluster: Cluster,
               settle: Callable[[dict], None]) -> None:
    """RandomizedSearchCV's candidates, folds handed to workers as they free up."""
    candidates = iter(ParameterSampler(problem.space, n_iter, random_state=seed))
    run_by_fold(cluster, Folds(problem, seed), n_iter, lambda: next(candidates),
                lambda p: p, lambda p, score: settle(p))


def run_optuna(problem: Problem, workers: int, seed: int, n_iter: int, cluster: Cluster,
               settle: Callable[[dict], None]) -> None:
    """Optuna's TPE, ask/tell with the running trials pending (constant liar)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    branches = to_dims(problem.space)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # group=True is 'experimental'
        sampler = optuna.samplers.TPESampler(seed=seed, constant_liar=True, multivariate=True,
                                             group=True)
    study = optuna.create_study(direction="maximize", sampler=sampler)

    def propose() -> tuple[Any, dict]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trial = study.ask()
            return trial, _optuna_params(trial, branches)

    def tell(handle: tuple[Any, dict], score: float) -> None:
        study.tell(handle[0], score)
        settle(handle[1])

    run_by_fold(cluster, Folds(problem, seed), n_iter, propose, lambda h: h[1], tell)


def simulate(method: str, problem_name: str, workers: int, seed: int) -> dict:
    """One run: the best-so-far true value as a step function of virtual time, and utilisation."""
    return simulate_on(Cluster(workers), method, problem_name, seed)


def simulate_on(cluster: Cluster, method: str, problem_name: str, seed: int) -> dict:
    """One run on ``cluster`` (see :func:`simulate`)."""
    problem = PROBLEMS[problem_name]
    workers = cluster.workers
    n_iter = n_iter_for(workers)
    steps: list[list[float]] = []  # [virtual time, best true value so far] at each improvement
    n_settled = [0]

    def settle(params: dict) -> None:
        n_settled[0] += 1
        value = problem.true(params)
        if not steps or value > steps[-1][1]:
            steps.append([cluster.clock, value])

    cpu = time.process_time()
    if method in ("sktpe-async", "sktpe-waves"):
        run_sktpe(problem, workers, seed, n_iter, method == "sktpe-async", cluster, settle)
    elif method == "random":
        run_random(problem, workers, seed, n_iter, cluster, settle)
    elif method == "optuna":
        run_optuna(problem, workers, seed, n_iter, cluster, settle)
    else:
        raise ValueError(f"unknown method {method!r}")
    assert n_settled[0] == n_iter
    return {
        "method": method, "problem": problem_name, "workers": workers, "seed": seed,
        "n_iter": n_iter, "steps": [[round(t, 6), v] for t, v in steps],
        "wall": cluster.clock, "busy": cluster.busy, "rerun_busy": cluster.rerun_busy,
        "utilisation": cluster.busy / (workers * cluster.clock),
        "cpu_seconds": time.process_time() - cpu,
    }


# -- the grid, cached ------------------------------------------------------------------
def grid(seeds: int, problems: list[str], workers: tuple[int, ...],
         optuna_workers: tuple[int, ...]) -> Iterator[tuple[str, str, int, int]]:
    """(method, problem, W, seed), seed by seed so that a cut-short grid is whole for fewer seeds."""
    for seed in range(seeds):
        for problem in problems:
            for w in workers:
                for method in METHODS:
                    if method == "optuna" and w not in optuna_workers:
                        continue
                    yield method, problem, w, seed


def load(path: str) -> dict:
    """The cache: {'runs': [...], 'log': [...]}, empty if absent."""
    if os.path.exists(path):
        with open(path) as fh:
            return json.load(fh)
    return {"runs": [], "log": []}


def save(cache: dict, path: str) -> None:
    """Write the cache atomically."""
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(cache, fh, separators=(",", ":"))
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> None:
    """Run what the cache lacks, seed by seed, saving after each seed."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--problems", nargs="*", default=list(PROBLEMS))
    parser.add_argument("--workers", type=int, nargs="*", default=list(WORKERS))
    parser.add_argument("--optuna-workers", type=int, nargs="*", default=list(OPTUNA_WORKERS))
    parser.add_argument("--budget-minutes", type=float, default=None,
                        help="stop (after a whole seed) once this much time has passed")
    parser.add_argument("--json", default=RESULTS)
    args = parser.parse_args(argv)
    cache = load(args.json)
    have = {(r["method"], r["problem"], r["workers"], r["seed"]) for r in cache["runs"]}
    t0 = time.perf_counter()
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    n_new, last_seed = 0, None
    for key in grid(args.seeds, args.problems, tuple(args.workers), tuple(args.optuna_workers)):
        if key in have:
            continue
        seed = key[3]
        if last_seed is not None and seed != last_seed:
            save(cache, args.json)
            elapsed = time.perf_counter() - t0
            print(f"seed {last_seed} done, {elapsed / 60:.1f} min", flush=True)
            if args.budget_minutes and elapsed > 60 * args.budget_minutes:
                print("time budget reached: stopping")
                break
        last_seed = seed
        cache["runs"].append(simulate(*key))
        n_new += 1
    cache["provenance"] = provenance()
    cache["settings"] = {"K": K, "overhead": OVERHEAD, "workers": list(args.workers),
                         "optuna_workers": list(args.optuna_workers),
                         "n_iter": {str(w): n_iter_for(w) for w in args.workers}}
    cache["log"].append({"started": started, "new_runs": n_new,
                         "seconds": round(time.perf_counter() - t0, 1),
                         "argv": sys.argv[1:] if argv is None else argv})
    save(cache, args.json)
    print(f"{n_new} new runs in {(time.perf_counter() - t0) / 60:.1f} min -> {args.json}")


if __name__ == "__main__":
    main()
