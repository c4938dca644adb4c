"""What users keep: the held-out test score of the model each search returns.

Protocol, per task of a suite (``heldout_tasks.py``) and per seed:

* the data is split in half by the seed; the search sees the first half only,
  through 5 folds shuffled by the seed (the same folds for every method);
* each method runs with its defaults; the model it returns, refit on the whole
  first half, is scored on the second half (the *test score*);
* ``optimism`` is the search's best CV score minus that test score.

Methods and budgets (``n_iter``):

* ``random``: RandomizedSearchCV. Its candidates at budget ``b`` are the first
  ``b`` of its largest-budget run (ParameterSampler draws them in sequence), so
  one run gives every budget: the best of the first ``b`` is refit and scored.
* ``optuna``: Optuna's default ``TPESampler(seed=seed)`` maximising the mean
  CV score on the same folds, read at every budget the same way.
* ``halving``: HalvingRandomSearchCV with ``n_candidates=b`` (cheaper than ``b``
  full cross-validations: its fits use growing subsets), one run per budget.
* ``tpe`` and ``tpe-racing``: ``TPESearchCV(n_iter=b)`` with its defaults
  (and ``racing=True``), ``.fit`` end to end, one run per budget (its start-up
  depends on ``n_iter``).
* ``default``: the estimator at its own default settings, no search;
  ``default-cv`` the same, also cross-validated on the seed's folds (its mean
  in ``cv_best``): round 15 of docs/guide/ablation.md.
* ``random-b``: RandomizedSearchCV again, on the same split and folds, with
  other candidate draws (``random_state=seed + RANDOM_B_OFFSET``): random
  search against itself, the noise floor of a worst-seed comparison (not
  part of the tables; see ``heldout_report.worst_seed_floor``).

Every run records its wall and CPU time (refit excluded) and, for the
sequential methods, when each candidate finished, so a comparison at equal
time reads the peer's best model found within the time TPESearchCV took.
Random search and Optuna run on to 1.5 times the largest budget for that
purpose only. Equal time is CPU time: every search runs in one process
(``n_jobs=1``), so its CPU time is its cost whatever else loads the machine,
where wall times measured in different runs under different loads are not
comparable.

Results go to ``benchmarks/results/heldout/<suite>.jsonl``, one JSON line per
(method, task, seed); a run already there (same method, variant, task, seed,
budgets and, for sktpe's rows, the same sktpe source hash) is not redone.

Usage::

    python benchmarks/heldout.py --suite report --seeds 0-19 --n-jobs 2 --redo  # methods timed together
    python benchmarks/heldout.py --suite report --seeds 0-19 --n-jobs 2 --redo --budgets 80 \
        --methods random,optuna,tpe,tpe-racing,halving --file report_80  # the larger budget, on its own
    python benchmarks/heldout.py --suite tuning --seeds 100-109 --methods tpe --variant NAME
    python benchmarks/heldout_report.py     # tables and docs/benchmarks.md section
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterator

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import get_scorer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# joblib's worker processes import this directory's modules too.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)

from heldout_tasks import SUITES, HeldoutTask  # noqa: E402
from provenance import provenance, sktpe_fingerprint  # noqa: E402

RESULTS = os.path.join(HERE, "results", "heldout")
METHODS = ("default", "random", "halving", "optuna", "tpe", "tpe-racing")
#: Methods with no budget: the estimator as given (``default-cv`` also cross-validates it on the
#: seed's folds, for round 15 of guide/ablation.md: the estimator as given competing in the choice).
NO_BUDGET = ("default", "default-cv")
#: random-b's candidate draws: another seed than random's, the same split and folds.
RANDOM_B_OFFSET = 10_000
SKTPE_METHODS = ("tpe", "tpe-racing")
BUDGETS = (10, 20, 40)
#: A larger budget, run on its own (``--budgets 80 --file report_80``): the peers
#: then run on to 1.5 times it, so every method of that run is timed side by side.
LARGE_BUDGET = 80
LARGE_FILE = "report_80"
#: Random search and Optuna run this many times the largest budget, so that the
#: comparison at equal time can read their best model at TPESearchCV's time.
HORIZON = 1.5


# -- variants of sktpe's private settings, for choosing defaults on the tuning suite --
def _smoothed_modelled(modelled: Callable, plateau: bool = True) -> Callable:
    """Round 13's variant of ``TPESampler._modelled`` (which wraps ``modelled``, the shipped one):
    the scores the good/bad split ranks are each told trial's kernel-smoothed score
    (``TPESampler.smoothed_scores`` at its chosen width and prior weight), so that an isolated
    lucky score counts for less than a region that scores well. Failed trials, pending ones and
    their provisional scores are left as they are.

    With ``plateau`` (``smooth-split-2``), the raw scores are returned where the shipped plateau
    rule of ``_split`` applies to them (every finite score the same, or more told trials sharing
    the best score than the good set holds), so that the rule fires as in the defaults; smoothing
    would break such ties by their neighbours or by rounding. Without it (``smooth-split``, the
    first version, stopped: guide/ablation.md, round 13) the rule rarely fires."""

    def smoothed(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        done, scores = modelled(self, n)
        told = self._done[:n]
        idx = np.flatnonzero(told & np.isfinite(scores))
        if len(idx) < 2:
            return done, scores
        raw = scores[idx]
        if plateau:
            n_good = max(1, math.ceil(self.gamma * np.count_nonzero(told)))
            if raw.min() == raw.max() or np.count_nonzero(raw == raw.max()) > n_good:
                return done, scores
        out = np.array(scores, dtype=float)
        out[idx] = self.smoothed_scores([self.params_[i] for i in idx], raw)
        return done, out

    return smoothed


def _variant_settings(name: str) -> dict:
    """Class attributes of TPESampler / TPESearchCV that a variant overrides."""
    from sktpe import TPESampler, TPESearchCV

    share = (TPESampler, "_explore_share")
    startup = (TPESearchCV, "_startup_min")
    table = {
        "": {},
        # The code before the held-out work, run from a checkout of it put first
        # on PYTHONPATH: a label only.
        "before": {},
        "share=0.2": {share: 0.2},
        "share=0.1": {share: 0.1},
        "startup5": {startup: 5},  # the default from round 2 (docs/guide/ablation.md)
        "startup3": {startup: 3},  # the default before round 2
        "startup5,share=0.2": {startup: 5, share: 0.2},
        "select=best": {},
        "bw=0.12": {},
        "bw=0.2": {},
        "gamma=0.25": {},
        "n_ei=8": {},
        "mv=False": {},
        "startup10": {},
        "tie-explore": {(TPESampler, "_tie_explore"): True},
        "tie-explore,share=0.2": {(TPESampler, "_tie_explore"): True, share: 0.2},
        # older trials weigh less in l(x) and g(x) (TPESampler._forget_after; round 9)
        "forget25": {(TPESampler, "_forget_after"): 25,
                     (TPESampler, "_forget_modes"): ("joint", "independent")},
        # round 11: a search that exploits more (public settings, see VARIANT_KWARGS)
        "gamma=0.1": {},
        "n_ei=64": {},
        "bw=0.05": {},
        # round 13: the good/bad split ranks the trials by their neighbour-smoothed scores
        "smooth-split": {(TPESampler, "_modelled"): _smoothed_modelled(TPESampler._modelled, plateau=False)},
        # ... with the plateau rule on the raw scores, as in the defaults (the round's measured run)
        "smooth-split-2": {(TPESampler, "_modelled"): _smoothed_modelled(TPESampler._modelled)},
        # round 14: the same search, its model chosen by the one-standard-error rule (VARIANT_KWARGS)
        "1se": {},
        # round 17: the same search, its model the largest lower bound (VARIANT_KWARGS)
        "lcb": {},
        # round 20: the top 5 re-evaluated on a reshuffled copy of the folds (VARIANT_KWARGS)
        "reevaluate": {},
        # round 22: no proposal within half a good-set kernel scale of an earlier trial
        "spread": {(TPESampler, "_near_radius"): 0.5},
        # round 23: the defaults' search of b - 1 candidates, beside the estimator as given
        # (benchmarks/default_first.py): a label only
        "as-given": {},
    }
    if name not in table:
        raise SystemExit(f"unknown variant {name!r}; known: {sorted(table)}")
    return table[name]


#: Round 14 (guide/ablation.md): what "simpler" means for ``sktpe.one_std_error_rule`` on each
#: tuning task, the one parameter a textbook names as its strength of regularisation or its size.
ONE_SE_PREFER: dict[str, tuple[str, str]] = {
    "svc_circles": ("C", "low"), "knn_iris": ("knn__n_neighbors", "high"),
    "kridge_friedman2": ("alpha", "high"), "tree_clf": ("max_depth", "low"), "lr_sparse": ("C", "low"),
    "ridge_poly_friedman3": ("poly__degree", "low"), "knn_reg": ("knn__n_neighbors", "high"),
    "svr_waves": ("C", "low"), "sgd_clf": ("sgd__alpha", "high"), "ridge_lowrank": ("alpha", "high"),
    "rf_quantiles": ("max_depth", "low"), "tree_waves": ("max_depth", "low"),
}


def _one_se_refit(n_iter: int, task: str) -> dict:
    """Variant ``1se``: the same search, its model chosen by the one-standard-error rule."""
    from sktpe import one_std_error_rule

    return {"refit": one_std_error_rule(ONE_SE_PREFER[task])}


def lower_bound_choice(cv_results: dict) -> int:
    """Variant ``lcb``'s refit (round 17): the index of the candidate whose mean CV score minus
    its standard error over the folds (``std_test_score / sqrt(n_splits)``) is the largest; a
    candidate without a finite score is not chosen while another has one, and a tie goes to the
    first."""
    n_splits = sum(1 for k in cv_results if k.startswith("split") and k.endswith("_test_score"))
    bound = (np.asarray(cv_results["mean_test_score"], dtype=float)
             - np.asarray(cv_results["std_test_score"], dtype=float) / np.sqrt(n_splits))
    return int(np.argmax(np.where(np.isfinite(bound), bound, -np.inf)))


#: Constructor arguments a variant passes (a public setting at another value), or a function of
#: the budget ``n_iter`` and the task's name that gives them.
VARIANT_KWARGS: dict[str, dict | Callable[[int, str], dict]] = {
    "select=best": {"selection": "best"},
    "bw=0.12": {"bandwidth": 0.12}, "bw=0.2": {"bandwidth": 0.2},
    "gamma=0.25": {"gamma": 0.25}, "n_ei=8": {"n_ei_candidates": 8},
    "mv=False": {"multivariate": False},
    # round 11: the other side of round 3's settings (a smaller good set, a greedier pick,
    # narrower kernels)
    "gamma=0.1": {"gamma": 0.1}, "n_ei=64": {"n_ei_candidates": 64}, "bw=0.05": {"bandwidth": 0.05},
    # Optuna's 10 start-up candidates from n_iter=40 (the default gives 6 at 40, 9 at 80)
    "startup10": lambda n_iter, task: {"n_startup_trials": 10} if n_iter >= 40 else {},
    # round 14: the one-standard-error rule as refit
    "1se": _one_se_refit,
    # round 17: the largest mean minus one standard error as refit
    "lcb": {"refit": lower_bound_choice},
    # round 20: selection='reevaluate' (its 5 candidates' fits run after the search)
    "reevaluate": {"selection": "reevaluate"},
}


def _variant_kwargs(name: str, n_iter: int, task: str) -> dict:
    """The constructor arguments of variant ``name`` for a search of ``n_iter`` candidates on
    the task named ``task``."""
    kwargs = VARIANT_KWARGS.get(name, {})
    return kwargs(n_iter, task) if callable(kwargs) else kwargs


@contextlib.contextmanager
def variant(name: str) -> Iterator[None]:
    """Run sktpe with the private settings of variant ``name``."""
    settings = _variant_settings(name)
    old = {k: getattr(*k) for k in settings}
    try:
        for (cls, attr), v in settings.items():
            setattr(cls, attr, v)
        yield
    finally:
        for (cls, attr), v in old.items():
            setattr(cls, attr, v)


# -- one run -------------------------------------------------------------------------
class _TimedScorer:
    """A scorer that notes when it was called (wall and CPU clocks): fold completion
    times of a sequential search."""

    def __init__(self, scoring: str) -> None:
        self.scorer = get_scorer(scoring)
        self.calls: list[tuple[float, float]] = []

    def __call__(self, est, X, y) -> float:
        self.calls.append((time.perf_counter(), time.process_time()))
        return self.scorer(est, X, y)


@dataclass
class Row:
    """One (method, task, seed) run: test score of the returned model at each budget."""

    method: str
    variant: str
    task: str
    seed: int
    budgets: list
    cv_best: list  # the search's best CV score (best_score_) at each budget
    test: list  # test score of its refit model at each budget
    seconds: list  # wall time of the search at each budget, refit excluded
    n_fits: list  # fold fits made at each budget
    cpu: list = field(default_factory=list)  # CPU time of the search at each budget, refit excluded
    trial_cv: list = field(default_factory=list)  # sequential methods: every candidate's CV mean
    trial_done: list = field(default_factory=list)  # ... and when it finished (wall s from start)
    trial_cpu: list = field(default_factory=list)  # ... (CPU s from start)
    trial_test: list = field(default_factory=list)  # ... and the test score of the best so far
    cv_smoothed: list = field(default_factory=list)  # sktpe: smoothed_best_score_ at each budget
    sktpe: str = ""


def _fit_quiet(search, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return search.fit(X, y)


def _test_of(task: HeldoutTask, params: dict, split: tuple) -> float:
    X_tr, X_te, y_tr, y_te = split
    est = clone(task.estimator).set_params(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X_tr, y_tr)
    return float(get_scorer(task.scoring)(est, X_te, y_te))


def best_so_far(means) -> list[int]:
    """For each trial of a sequential run, the index of the best mean CV score up to it (a
    non-finite score never best while a finite one came before; a tie keeps the first)."""
    finite = np.where(np.isfinite(np.asarray(means, dtype=float)), means, -np.inf)
    return [int(np.argmax(finite[: k + 1])) for k in range(len(finite))]


def _prefix_row(method, task, seed, budgets, means, done, cpu, params, split):
    """Row of a sequential method read at every budget from one long run.

    The run may go on past the largest budget (``HORIZON``): those trials only
    serve the comparison at equal time."""
    means = np.asarray(means, dtype=float)
    finite = np.where(np.isfinite(means), means, -np.inf)
    best_idx = best_so_far(means)
    tests: dict[int, float] = {}
    for i in sorted(set(best_idx)):
        tests[i] = _test_of(task, params[i], split)
    n_splits = task.cv(seed).get_n_splits()
    return Row(
        method, "", task.name, seed, list(budgets),
        cv_best=[float(finite[best_idx[b - 1]]) for b in budgets],
        test=[tests[best_idx[b - 1]] for b in budgets],
        seconds=[float(done[b - 1]) for b in budgets],
        n_fits=[b * n_splits for b in budgets],
        cpu=[float(cpu[b - 1]) for b in budgets],
        trial_cv=[float(m) for m in means], trial_done=[float(t) for t in done],
        trial_cpu=[float(t) for t in cpu], trial_test=[tests[i] for i in best_idx],
    )


def run_one(method: str, task: HeldoutTask, seed: int, budgets: tuple, variant_name: str = "",
            horizon_factor: float = HORIZON) -> Row:
    """Run ``method`` on ``task`` for ``seed`` at every budget; see the module doc. The sequential
    peers run on to ``horizon_factor`` times the largest budget (1: no comparison at equal time,
    the same candidates up to the largest budget at two thirds of the cost)."""
    split = task.split(seed)
    X_tr, X_te, y_tr, y_te = split
    cv = task.cv(seed)
    top = max(budgets)
    horizon = int(horizon_factor * top)  # sequential peers run on, for the comparison at equal time
    if method == "default":
        t0 = time.perf_counter()
        test = _test_of(task, {}, split)
        return Row(method, "", task.name, seed, [0], [float("nan")], [test],
                   [time.perf_counter() - t0], [1])
    if method == "default-cv":
        from sklearn.model_selection import cross_val_score

        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            folds = cross_val_score(clone(task.estimator), X_tr, y_tr, cv=cv, scoring=task.scoring)
        test = _test_of(task, {}, split)
        return Row(method, "", task.name, seed, [0], [float(np.mean(folds))], [test],
                   [time.perf_counter() - t0], [cv.get_n_splits() + 1])
    if method in ("random", "random-b"):
        from sklearn.model_selection import RandomizedSearchCV

        scorer = _TimedScorer(task.scoring)
        # Every space has a distribution, so ParameterSampler draws in sequence and
        # the candidates of n_iter=b are the first b of a longer run.
        assert any(hasattr(v, "rvs") for v in task.space.values())
        draws = seed + (RANDOM_B_OFFSET if method == "random-b" else 0)
        search = RandomizedSearchCV(task.estimator, task.space, n_iter=horizon, cv=cv,
                                    scoring=scorer, refit=False, random_state=draws)
        t0, c0 = time.perf_counter(), time.process_time()
        _fit_quiet(search, X_tr, y_tr)
        k = cv.get_n_splits()
        if len(scorer.calls) != horizon * k:  # a failed fold would shift every time after it
            raise RuntimeError(f"{task.name}: a fold failed; per-candidate times would be misaligned")
        done = [scorer.calls[(i + 1) * k - 1][0] - t0 for i in range(horizon)]
        cpu = [scorer.calls[(i + 1) * k - 1][1] - c0 for i in range(horizon)]
        res = search.cv_results_
        return _prefix_row(method, task, seed, budgets, res["mean_test_score"], done, cpu,
                           list(res["params"]), split)
    if method == "optuna":
        import optuna
        from sklearn.model_selection import cross_val_score

        from methods import _optuna_params, to_dims

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        branches = to_dims(task.space)
        means, done, cpu, params = [], [], [], []
        t0, c0 = time.perf_counter(), time.process_time()

        def objective(trial):
            p = _optuna_params(trial, branches)
            est = clone(task.estimator).set_params(**p)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                s = float(np.mean(cross_val_score(est, X_tr, y_tr, cv=cv, scoring=task.scoring,
                                                  error_score=np.nan)))
            means.append(s)
            params.append(p)
            done.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            return s if np.isfinite(s) else -1e12

        study = optuna.create_study(direction="maximize",
                                    sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(objective, n_trials=horizon)
        return _prefix_row(method, task, seed, budgets, means, done, cpu, params, split)
    # budget-dependent methods: one run per budget
    cv_best, test, seconds, cpu, n_fits, smoothed = [], [], [], [], [], []
    for b in budgets:
        if method == "halving":
            from sklearn.experimental import enable_halving_search_cv  # noqa: F401
            from sklearn.model_selection import HalvingRandomSearchCV

            search = HalvingRandomSearchCV(task.estimator, task.space, n_candidates=b, cv=cv,
                                           scoring=task.scoring, random_state=seed)
        elif method in SKTPE_METHODS:
            from sktpe import TPESearchCV

            search = TPESearchCV(task.estimator, task.space, n_iter=b, cv=cv,
                                 scoring=task.scoring, random_state=seed,
                                 racing=method == "tpe-racing",
                                 **_variant_kwargs(variant_name, b, task.name))
        else:
            raise SystemExit(f"unknown method {method!r}; choose from {METHODS}")
        t0, c0 = time.perf_counter(), time.process_time()
        with variant(variant_name):
            _fit_quiet(search, X_tr, y_tr)
        refit = getattr(search, "refit_time_", 0.0)  # the peers' times have no refit either
        seconds.append(time.perf_counter() - t0 - refit)
        cpu.append(time.process_time() - c0 - refit)
        res = search.cv_results_
        # a callable refit (variant 1se) sets no best_score_: the chosen candidate's mean score
        cv_best.append(float(search.best_score_) if hasattr(search, "best_score_")
                       else float(res["mean_test_score"][search.best_index_]))
        smoothed.append(float(getattr(search, "smoothed_best_score_", np.nan)))
        test.append(float(get_scorer(task.scoring)(search.best_estimator_, X_te, y_te)))
        fits = sum(np.isfinite(res[f"split{i}_test_score"]).sum() for i in range(cv.get_n_splits()))
        if method == "halving":
            fits = len(res["params"]) * cv.get_n_splits()
        if hasattr(search, "reevaluation_"):  # selection='reevaluate': its fits count too
            fits += int(np.isfinite(search.reevaluation_.split_scores).sum())
        n_fits.append(int(fits))
    return Row(method, variant_name, task.name, seed, list(budgets), cv_best, test, seconds, n_fits,
               cpu=cpu, cv_smoothed=smoothed if method in SKTPE_METHODS else [])


# -- the cache ------------------------------------------------------------------------
def results_path(name: str) -> str:
    """The results file ``name`` (a suite's name, or ``--file``)."""
    return os.path.join(RESULTS, f"{name}.jsonl")


def load_rows(name: str) -> list[dict]:
    """Every row stored in results file ``name`` (the last one wins for a repeated key)."""
    path = results_path(name)
    if not os.path.exists(path):
        return []
    rows: dict[tuple, dict] = {}
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if line:
                r = json.loads(line)
                if "method" in r:  # not a provenance line
                    rows[key(r)] = r
    return list(rows.values())


def run_study(name: str, calls: list, n_jobs: int) -> None:
    """Run an offline study's ``calls`` (joblib ``delayed`` calls, each returning a list of
    dict rows) and write results file ``name`` afresh: a provenance line, then every row
    tagged with sktpe's source hash (``score_estimates.py``, ``reevaluate_study.py``)."""
    fp = sktpe_fingerprint()
    with open(results_path(name), "w") as fh:
        fh.write(json.dumps({"provenance": provenance(), "argv": sys.argv[1:]}) + "\n")
        out = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(calls)
        for i, rows in enumerate(out, 1):
            for r in rows:
                fh.write(json.dumps({**r, "sktpe": fp}) + "\n")
            fh.flush()
            if i % 20 == 0 or i == len(calls):
                print(f"{i}/{len(calls)}", flush=True)


def read_study(name: str) -> list[dict]:
    """The rows of an offline study's results file ``name`` (see :func:`run_study`)."""
    with open(results_path(name)) as fh:
        return [r for r in map(json.loads, fh) if "provenance" not in r]


def key(r: dict) -> tuple:
    return (r["method"], r["variant"], r["task"], r["seed"], tuple(r["budgets"]), r.get("sktpe", ""))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--suite", choices=sorted(SUITES), default="report")
    p.add_argument("--seeds", default="0-19", help="e.g. 0-19 or 3,5,8")
    p.add_argument("--methods", default=",".join(METHODS))
    p.add_argument("--tasks", default="", help="comma-separated task names (default: the whole suite)")
    p.add_argument("--budgets", default=",".join(map(str, BUDGETS)))
    p.add_argument("--variant", default="", help="sktpe variant (tuning only); see _variant_settings")
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--file", default="",
                   help="results file name under results/heldout/ (default: the suite's name); "
                        "a run of other budgets goes to a file of its own")
    p.add_argument("--horizon", type=float, default=HORIZON,
                   help="random search and Optuna run this many times the largest budget (1: no "
                        "comparison at equal time; the budgets' rows are the same)")
    p.add_argument("--redo", action="store_true",
                   help="run again even where a row is cached (the new row wins; the old stays in the "
                        "file), interleaving the methods so that their CPU times share the same conditions")
    args = p.parse_args(argv)
    if args.horizon < 1:
        p.error("--horizon must be at least 1: random search and Optuna must reach the largest budget")
    if "-" in args.seeds:
        lo, hi = map(int, args.seeds.split("-"))
        seeds = list(range(lo, hi + 1))
    else:
        seeds = [int(s) for s in args.seeds.split(",")]
    budgets = tuple(int(b) for b in args.budgets.split(","))
    tasks = [t for t in SUITES[args.suite] if not args.tasks or t.name in args.tasks.split(",")]
    methods = args.methods.split(",")
    _variant_settings(args.variant)
    fp = sktpe_fingerprint()
    name = args.file or args.suite
    done = {key(r) for r in load_rows(name)}
    jobs = []
    for m in methods:
        var = args.variant if m in SKTPE_METHODS else ""
        bud = (0,) if m in NO_BUDGET else budgets
        for t in tasks:
            for s in seeds:
                k = (m, var, t.name, s, bud, fp if m in SKTPE_METHODS else "")
                if args.redo or k not in done:
                    jobs.append((m, t, s, bud, var))
    if args.redo:
        # Every method of a (seed, task) one after another: CPU time on a shared
        # machine drifts (up to 2x between sessions here), so a comparison at
        # equal time needs the methods timed side by side.
        jobs.sort(key=lambda j: (j[2], j[1].name))
    else:
        # Slow methods first, so the two workers finish together.
        order = {m: i for i, m in enumerate(("tpe-racing", "tpe", "optuna", "random", "halving", "default"))}
        jobs.sort(key=lambda j: order.get(j[0], 0))
    print(f"{len(jobs)} runs to do ({len(done)} cached)", flush=True)
    os.makedirs(RESULTS, exist_ok=True)
    prov = provenance()
    with open(results_path(name), "a") as fh:
        if jobs:
            fh.write(json.dumps({"provenance": prov, "argv": sys.argv[1:]}) + "\n")
        out = Parallel(n_jobs=args.n_jobs, return_as="generator_unordered")(
            # b: (0,) for NO_BUDGET methods
            delayed(run_one)(m, t, s, b, v, args.horizon) for m, t, s, b, v in jobs
        )
        t0 = time.perf_counter()
        for i, row in enumerate(out, 1):
            d = asdict(row)
            if row.method in SKTPE_METHODS:
                d["sktpe"] = fp
            fh.write(json.dumps(d) + "\n")
            fh.flush()
            if i % 10 == 0 or i == len(jobs):
                print(f"{i}/{len(jobs)} runs, {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
