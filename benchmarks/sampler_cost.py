"""Seconds per suggestion of each TPE sampler as the history grows.

A 10-parameter mixed space (3 uniform floats, 3 log-uniform floats, 2 ints,
2 categoricals). For each history size N: tell N random trials (random
scores), then time ``--calls`` ask+tell rounds: the mean seconds per round.
All samplers are measured in the same run, interleaved over ``--repeats``
rounds; the minimum over rounds is reported (robust to a busy machine).

* sktpe: ``TPESampler`` (multivariate and independent);
* Optuna: ``TPESampler(multivariate=False / True)``, history added with
  ``study.add_trials``, then ``study.ask`` + suggest + ``study.tell``;
* hyperopt: ``fmin(algo=tpe.suggest)`` continued from a ``Trials`` object
  holding N random evaluations (the objective is trivial).

    python benchmarks/sampler_cost.py [--sizes 100 300 1000] [--calls 30]
"""

import argparse
import json
import os
import time
import warnings

import numpy as np
from scipy.stats import loguniform, randint, uniform
from sklearn.model_selection import ParameterSampler

from methods import importable
from sktpe import TPESampler

SPACE = {
    "f0": uniform(0, 1), "f1": uniform(-5, 10), "f2": uniform(0, 100),
    "l0": loguniform(1e-5, 1), "l1": loguniform(1e-3, 1e3), "l2": loguniform(1, 1e4),
    "i0": randint(1, 20), "i1": randint(0, 500),
    "c0": ["a", "b", "c"], "c1": ["p", "q", "r", "s", "t"],
}
HERE = os.path.dirname(os.path.abspath(__file__))


def _history(n, seed=0):
    rng = np.random.default_rng(seed)
    return list(ParameterSampler(SPACE, n, random_state=seed)), rng.standard_normal(n)


def time_sktpe(n, calls, multivariate=True):
    params, scores = _history(n)
    s = TPESampler(SPACE, n_startup_trials=0, multivariate=multivariate, random_state=0)
    s.tell(params, scores)
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    for _ in range(calls):
        s.tell(s.ask()[0], rng.standard_normal())
    return (time.perf_counter() - t0) / calls


def time_optuna(n, calls, multivariate):
    import optuna
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    from methods import _optuna_params, to_dims

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    branches = to_dims(SPACE)
    dists = {}
    for name, kind, info in branches[0]:
        if kind == "float":
            dists[name] = FloatDistribution(info[0], info[1], log=info[2])
        elif kind == "int":
            dists[name] = IntDistribution(*info)
        else:
            dists[name] = CategoricalDistribution(list(range(len(info))))
    params, scores = _history(n)
    trials = [
        optuna.trial.create_trial(
            params={k: (SPACE[k].index(v) if isinstance(SPACE[k], list) else v) for k, v in p.items()},
            distributions=dists, value=float(y))
        for p, y in zip(params, scores)
    ]
    sampler = optuna.samplers.TPESampler(multivariate=multivariate, seed=0, n_startup_trials=0)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    study.add_trials(trials)
    rng = np.random.default_rng(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        for _ in range(calls):
            trial = study.ask()
            _optuna_params(trial, branches)
            study.tell(trial, float(rng.standard_normal()))
    return (time.perf_counter() - t0) / calls


def time_hyperopt(n, calls):
    from hyperopt import Trials, fmin, rand, tpe

    from methods import _hyperopt_space, to_dims

    space = _hyperopt_space(to_dims(SPACE))
    rng = np.random.default_rng(1)
    trials = Trials()

    def loss(_):
        return float(rng.standard_normal())

    fmin(loss, space, algo=rand.suggest, max_evals=n, trials=trials,
         rstate=np.random.default_rng(0), show_progressbar=False)
    t0 = time.perf_counter()
    fmin(loss, space, algo=tpe.suggest, max_evals=n + calls, trials=trials,
         rstate=np.random.default_rng(0), show_progressbar=False)
    return (time.perf_counter() - t0) / calls


def samplers():
    out = {
        "sktpe": lambda n, c: time_sktpe(n, c, True),
        "sktpe (independent)": lambda n, c: time_sktpe(n, c, False),
    }
    if importable("optuna"):
        out["optuna (multivariate=False)"] = lambda n, c: time_optuna(n, c, False)
        out["optuna (multivariate=True)"] = lambda n, c: time_optuna(n, c, True)
    if importable("hyperopt"):
        out["hyperopt"] = time_hyperopt
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    p.add_argument("--calls", type=int, default=30)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", default=os.path.join(HERE, "results", "sampler_cost.json"))
    args = p.parse_args(argv)
    fns = samplers()
    runs = {name: {str(n): [] for n in args.sizes} for name in fns}
    for _ in range(args.repeats):
        for n in args.sizes:
            for name, fn in fns.items():
                runs[name][str(n)].append(fn(n, args.calls))
    results = {name: {n: min(v) for n, v in d.items()} for name, d in runs.items()}
    print(f"{'sampler':28s}" + "".join(f"{f'N={n}':>12s}" for n in args.sizes) + "   (ms per ask+tell)")
    for name in fns:
        print(f"{name:28s}" + "".join(f"{1e3 * results[name][str(n)]:12.2f}" for n in args.sizes))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump({"calls": args.calls, "repeats": args.repeats, "seconds_per_suggestion": results,
                   "all_seconds": runs}, fh, indent=1)
    return results


if __name__ == "__main__":
    main()
