"""Run any search method on any benchmark problem the same way.

``run(method, problem, n_trials, seed)`` returns a dict with ``scores`` (the
score of every trial in evaluation order, greater is better, NaN for a failed
trial), ``test_score`` (held-out score of the refitted best estimator, real
tasks only) and ``seconds`` (wall time).

Methods:

* ``tpe``: what a user runs, ``TPESearchCV(est, space, n_iter=n_trials,
  random_state=seed)`` with every other setting at its default, ``.fit``
  end to end. On a synthetic :class:`~objectives.Objective` the estimator is
  its :class:`~objectives.ObjectiveEstimator` and ``cv`` a single trivial
  split, so the score of a trial is the objective. Its schedule depends on
  ``n_iter``, so each budget is a separate run.
* ``tpe-sampler``: the bare ``TPESampler`` asked one candidate at a time with
  TPESearchCV's start-up size: an explanation, not what users run.
* ``random``: RandomizedSearchCV's candidates (``ParameterSampler``) on
  synthetic objectives, RandomizedSearchCV itself on real tasks.
* ``optuna``: Optuna's default ``TPESampler(seed=seed)``; ``optuna-mv`` the same
  with ``multivariate=True, group=True`` (opt-in reference).
* ``hyperopt``: hyperopt's default ``tpe.suggest``.
* ``skopt``: scikit-optimize's GP ``Optimizer`` / ``BayesSearchCV`` (opt-in,
  single-dict spaces only).

Optuna and hyperopt drive the synthetic function directly; on real tasks they
optimise the mean ``cross_val_score`` on the very same folds and their best
parameters are then refitted (OptunaSearchCV cannot express list-of-dicts
spaces). Comparison libraries are optional: :func:`available` lists what
imports. ``DRIVER_VERSION`` is part of the cache fingerprint of each method
(``quality.py``): bump a method's entry when its driver code changes.
"""

import importlib
import math
import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import ParameterSampler, RandomizedSearchCV, cross_val_score

from sktpe import TPESampler, TPESearchCV

__all__ = ["METHODS", "available", "importable", "run", "to_dims"]

METHODS = ["tpe", "tpe-sampler", "random", "optuna", "optuna-mv", "hyperopt", "skopt"]
_NEEDS = {"optuna": "optuna", "optuna-mv": "optuna", "hyperopt": "hyperopt", "skopt": "skopt"}
LIBRARY = {"tpe": "sktpe", "tpe-sampler": "sktpe", "random": "sklearn", "optuna": "optuna",
           "optuna-mv": "optuna", "hyperopt": "hyperopt", "skopt": "skopt"}
SKTPE_METHODS = ("tpe", "tpe-sampler")  # the rows that change with sktpe/
BUDGET_DEPENDENT = ("tpe", "tpe-sampler")  # n_trials changes the schedule: one run per budget
DRIVER_VERSION = {"tpe": 2, "tpe-sampler": 1, "random": 1, "optuna": 1, "optuna-mv": 1,
                  "hyperopt": 1, "skopt": 1}


class NotApplicable(Exception):
    """The method cannot express this search space."""


def importable(module):
    """True if ``module`` imports (find_spec alone fails on lazy modules)."""
    try:
        importlib.import_module(module)
    except Exception:
        return False
    return True


def available(methods=METHODS):
    """The methods whose library is importable."""
    return [m for m in methods if m not in _NEEDS or importable(_NEEDS[m])]


def n_startup(n_trials):
    """TPESearchCV's 'auto' start-up size, reused when driving TPESampler directly."""
    try:  # follow TPESearchCV's own rule when it changes
        from sktpe._candidates import n_startup as startup_rule

        return startup_rule("auto", n_trials, TPESearchCV._startup_min)
    except Exception:
        return min(n_trials, max(3, min(20, round(math.sqrt(n_trials)))))


# -- search-space conversion ----------------------------------------------------
def to_dims(space):
    """Branches as lists of ``(name, kind, info)``: kind 'float' (lo, hi, log),
    'int' (lo, hi inclusive) or 'cat' (choices)."""
    branches = []
    for d in space if isinstance(space, list) else [space]:
        dims = []
        for name, v in d.items():
            if not hasattr(v, "rvs"):
                dims.append((name, "cat", list(v)))
                continue
            family = v.dist.name
            lo, hi = (float(b) for b in v.support())
            if family == "uniform":
                dims.append((name, "float", (lo, hi, False)))
            elif family in ("loguniform", "reciprocal"):
                dims.append((name, "float", (lo, hi, True)))
            elif family == "randint":
                dims.append((name, "int", (int(lo), int(hi))))
            else:
                raise NotApplicable(f"no conversion for scipy distribution {family!r}")
        branches.append(dims)
    return branches


def _optuna_params(trial, branches):
    b = trial.suggest_categorical("branch", list(range(len(branches)))) if len(branches) > 1 else 0
    prefix = f"b{b}:" if len(branches) > 1 else ""
    params = {}
    for name, kind, info in branches[b]:
        label = prefix + name
        if kind == "float":
            params[name] = trial.suggest_float(label, info[0], info[1], log=info[2])
        elif kind == "int":
            params[name] = trial.suggest_int(label, *info)
        else:
            params[name] = info[trial.suggest_categorical(label, list(range(len(info))))]
    return params


def optuna_distributions(space):
    """A one-branch space as Optuna distributions (``OptunaSearchCV``'s ``param_distributions``)."""
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    (dims,) = to_dims(space)
    out = {}
    for name, kind, info in dims:
        if kind == "float":
            out[name] = FloatDistribution(info[0], info[1], log=info[2])
        elif kind == "int":
            out[name] = IntDistribution(*info)
        else:
            out[name] = CategoricalDistribution(info)
    return out


def _hyperopt_space(branches):
    from hyperopt import hp

    def branch(b, dims, prefix):
        out = {"__branch": b}
        for name, kind, info in dims:
            label = prefix + name
            if kind == "float" and info[2]:
                out[name] = hp.loguniform(label, math.log(info[0]), math.log(info[1]))
            elif kind == "float":
                out[name] = hp.uniform(label, info[0], info[1])
            elif kind == "int":
                out[name] = hp.quniform(label, info[0] - 0.4999, info[1] + 0.4999, 1)
            else:
                out[name] = hp.choice(label, list(range(len(info))))
        return out

    if len(branches) == 1:
        return branch(0, branches[0], "")
    return hp.choice("branch", [branch(b, d, f"b{b}:") for b, d in enumerate(branches)])


def _hyperopt_params(sample, branches):
    params = {}
    for name, kind, info in branches[sample["__branch"]]:
        v = sample[name]
        if kind == "int":
            params[name] = int(min(max(round(v), info[0]), info[1]))
        elif kind == "cat":
            params[name] = info[int(v)]
        else:
            params[name] = float(v)
    return params


def _skopt_dims(branches):
    from skopt.space import Categorical, Integer, Real

    if len(branches) > 1:
        raise NotApplicable("skopt has no conditional (list-of-dicts) spaces")
    dims = []
    for name, kind, info in branches[0]:
        if kind == "float":
            dims.append(Real(info[0], info[1], prior="log-uniform" if info[2] else "uniform", name=name))
        elif kind == "int":
            dims.append(Integer(info[0], info[1], name=name))
        else:
            dims.append(Categorical(list(info), name=name))
    return dims


# -- the generic drivers: maximise f(params) for n trials ----------------------------
def _drive(method, space, f, n, seed):
    """Run ``method`` on a function of params; return (scores, best params)."""
    scores, params_seen = [], []

    def record(p):
        s = f(p)
        scores.append(s)
        params_seen.append(p)
        return s

    if method == "tpe-sampler":
        sampler = TPESampler(space, n_startup_trials=n_startup(n), random_state=seed)
        for _ in range(n):
            p = sampler.ask()[0]
            sampler.tell(p, record(p))
    elif method == "random":
        for p in ParameterSampler(space, n, random_state=seed):
            record(p)
    elif method in ("optuna", "optuna-mv"):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        branches = to_dims(space)
        extra = {"multivariate": True, "group": True} if method == "optuna-mv" else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # multivariate/group are 'experimental'
            sampler = optuna.samplers.TPESampler(seed=seed, **extra)
        study = optuna.create_study(direction="maximize", sampler=sampler)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            study.optimize(lambda t: _finite(record(_optuna_params(t, branches))), n_trials=n)
    elif method == "hyperopt":
        from hyperopt import STATUS_FAIL, STATUS_OK, Trials, fmin, tpe

        branches = to_dims(space)

        def loss(sample):
            s = record(_hyperopt_params(sample, branches))
            return {"loss": -s, "status": STATUS_OK} if np.isfinite(s) else {"status": STATUS_FAIL}

        fmin(loss, _hyperopt_space(branches), algo=tpe.suggest, max_evals=n, trials=Trials(),
             rstate=np.random.default_rng(seed), show_progressbar=False)
    elif method == "skopt":
        from skopt import Optimizer

        branches = to_dims(space)
        opt = Optimizer(_skopt_dims(branches), random_state=seed)
        for _ in range(n):
            x = opt.ask()
            p = {name: v for (name, _, _), v in zip(branches[0], x)}
            opt.tell(x, -_finite(record(p)))
    else:
        raise ValueError(f"unknown method {method!r}; choose from {METHODS}")
    scores = np.asarray(scores, dtype=float)
    finite = np.where(np.isfinite(scores), scores, -np.inf)
    best = params_seen[int(np.argmax(finite))] if np.isfinite(finite).any() else None
    return scores, best


def _finite(s, worst=-1e12):
    return s if np.isfinite(s) else worst


# -- public entry point --------------------------------------------------------------
def run(method, problem, n_trials, seed):
    """Run ``method`` for ``n_trials`` on an Objective or a Task; see module doc."""
    t0 = time.perf_counter()
    if not hasattr(problem, "split") and method == "tpe":  # synthetic, end to end
        search = TPESearchCV(problem.estimator(), problem.space, n_iter=n_trials, random_state=seed,
                             **problem.search_kwargs())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(*problem.data())
        scores = np.asarray(search.cv_results_["mean_test_score"], dtype=float)
        return {"scores": scores.tolist(), "test_score": None, "seconds": time.perf_counter() - t0}
    if not hasattr(problem, "split"):  # synthetic objective
        scores, _ = _drive(method, problem.space, problem, n_trials, seed)
        return {"scores": scores.tolist(), "test_score": None, "seconds": time.perf_counter() - t0}

    X_tr, X_te, y_tr, y_te = problem.split()
    common = dict(cv=problem.cv, scoring=problem.scoring, n_jobs=1, random_state=seed)
    if method in ("tpe", "random", "skopt"):
        if method == "tpe":
            search = TPESearchCV(problem.estimator, problem.space, n_iter=n_trials, **common)
        elif method == "random":
            search = RandomizedSearchCV(problem.estimator, problem.space, n_iter=n_trials, **common)
        else:
            from skopt import BayesSearchCV

            dims = {d.name: d for d in _skopt_dims(to_dims(problem.space))}
            search = BayesSearchCV(problem.estimator, dims, n_iter=n_trials, **common)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(X_tr, y_tr)
        scores = np.asarray(search.cv_results_["mean_test_score"], dtype=float)
        test = float(search.score(X_te, y_te))
    else:
        def cv_score(params):
            est = clone(problem.estimator).set_params(**params)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return float(np.mean(cross_val_score(est, X_tr, y_tr, cv=problem.cv, scoring=problem.scoring)))

        scores, best = _drive(method, problem.space, cv_score, n_trials, seed)
        test = problem.test_score(best)
    return {"scores": scores.tolist(), "test_score": test, "seconds": time.perf_counter() - t0}
