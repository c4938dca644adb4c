"""Joint or independent densities when many candidates run at once (an exploration).

The one-worker ablation (docs/guide/ablation.md, "Joint or independent
densities") kept ``multivariate=True``: with one worker the joint model wins
wherever parameters interact. This script asks whether that still holds when
a search proposes asynchronously for many workers, the setting of the
cluster simulator (``cluster_sim.py``: the real sampler and scheduler on a
virtual clock, 5 folds, fold noise). Per candidate: the regret of the best
true value after ``n_iter`` candidates, ``TPESampler`` as shipped against
``multivariate=False``, paired by seed.

* **Tuning objectives** (``synthetic.py``'s, not the simulator's reported
  problems): hartmann3, ackley5, levy6, styblinski4, rosenbrock4 and intcat,
  each with fold noise of a tenth of its spread under the prior and a flat
  0.1 s fit time; at 1 worker with 256 candidates (sequential), 16 workers
  with 64 and 64 workers with 256 (asynchronous). Seeds 400-419.
* **The simulator's problems** at 64 workers (256 candidates), seeds 400-439:
  for information only, since defaults are not chosen on them.

Nothing here is a default of sktpe; the guide on scaling out records the
numbers. Usage: ``python benchmarks/cluster_sim_densities.py`` (about 5
minutes on 2 cores); it prints the tables as Markdown and writes
``benchmarks/results/cluster_sim_densities.json``.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections import defaultdict

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import ParameterSampler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)

import cluster_sim as cs  # noqa: E402
import synthetic  # noqa: E402
from cluster_problems import Problem  # noqa: E402
from provenance import provenance  # noqa: E402

from sktpe import TPESampler  # noqa: E402

VARIANTS = {"joint (shipped)": {}, "independent": {"multivariate": False}}
TUNING = ("hartmann3", "ackley5", "levy6", "styblinski4", "rosenbrock4", "intcat")
#: (workers, candidates) of the tuning objectives' runs
SETTINGS = ((1, 256), (16, 64), (64, 256))
TUNING_SEEDS = range(400, 420)
REPORTED_SEEDS = range(400, 440)
RESULTS = os.path.join(HERE, "results", "cluster_sim_densities.json")


@functools.lru_cache(maxsize=None)
def tuning_problem(name: str) -> Problem:
    """``synthetic.py``'s objective as a simulated problem: fold noise a tenth of its prior spread
    (computed once per process)."""
    f, space = synthetic.FUNCS[name], synthetic.SPACES[name]
    spread = float(np.std([f(p) for p in ParameterSampler(space, 300, random_state=0)]))
    return Problem(name, space, f, synthetic.OPTIMA[name], 0.1 * spread, lambda p: 0.1)


def regret(problem: Problem, variant: str, workers: int, n_iter: int, seed: int) -> float:
    """Optimum minus the best true value among the ``n_iter`` candidates of one run."""
    cluster = cs.Cluster(workers)
    best = [-np.inf]

    def settle(params: dict) -> None:
        best[0] = max(best[0], problem.true(params))

    cs.run_sktpe(problem, workers, seed, n_iter, workers > 1, cluster, settle,
                 sampler_cls=functools.partial(TPESampler, **VARIANTS[variant]))
    return float(problem.optimum - best[0])


def _job(kind: str, name: str, variant: str, workers: int, n_iter: int, seed: int) -> dict:
    problem = tuning_problem(name) if kind == "tuning" else cs.PROBLEMS[name]
    return {"kind": kind, "problem": name, "variant": variant, "workers": workers, "n_iter": n_iter,
            "seed": seed, "regret": regret(problem, variant, workers, n_iter, seed)}


def table(rows: list[dict], kind: str) -> list[str]:
    """Markdown: mean regret of each density model, and the seeds where independent is lower/higher."""
    cells: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in sorted(rows, key=lambda r: r["seed"]):
        if r["kind"] == kind:
            cells[(r["problem"], r["workers"], r["n_iter"])][r["variant"]].append(r["regret"])
    L = ["| problem | workers | candidates | mean regret, joint (shipped) | independent "
         "| seeds independent lower / higher |", "|---|---:|---:|---:|---:|---|"]
    for (name, w, n), v in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        a, b = np.array(v["joint (shipped)"]), np.array(v["independent"])
        L.append(f"| {name} | {w} | {n} | {a.mean():.4g} | {b.mean():.4g} | "
                 f"{int((b < a).sum())} / {int((b > a).sum())} |")
    return L


def main() -> None:
    """Run every setting, save the rows, print both tables."""
    jobs = [("tuning", name, v, w, n, s) for w, n in SETTINGS for name in TUNING for v in VARIANTS
            for s in TUNING_SEEDS]
    jobs += [("reported", name, v, 64, cs.n_iter_for(64), s) for name in cs.PROBLEMS for v in VARIANTS
             for s in REPORTED_SEEDS]
    rows = Parallel(n_jobs=2)(delayed(_job)(*j) for j in jobs)
    with open(RESULTS, "w") as fh:
        json.dump({"provenance": provenance(), "rows": rows}, fh)
    print("\n".join(["Tuning objectives:", ""] + table(rows, "tuning")
                    + ["", "The simulator's problems (information only):", ""] + table(rows, "reported")))


if __name__ == "__main__":
    main()
