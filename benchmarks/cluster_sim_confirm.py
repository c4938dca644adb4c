"""Equal wall time on fresh seeds: the asynchronous mode against the waves, and against its earlier design.

The simulator's report (``cluster_sim.py``, seeds 0-19) uses the seeds on which
the asynchronous mode's handling of running candidates was chosen (seeds 0-59
at 16 workers and 0-39 at 64, regret at equal wall time). This script checks
the choice on seeds never looked at before it (100-139): for each
(problem, W, seed) it runs the waves (``sktpe-waves``, to their ``n_iter``,
time T) and gives the asynchronous mode the same virtual time T
(``cluster_sim_equal_time.run_timed``) twice:

* ``async``: the shipped design. A running candidate is told to the sampler
  provisionally, by the mean of its folds back so far, each corrected by its
  fold's offset among the complete trials (``TrialStore.report``; the
  correction was added after this check was first run, at stop 31, and the
  check re-run); one with no fold back is a pending kernel in g(x) as wide
  as an observation's (``TPESampler._pending_width``).
* ``async-v6``: the design before it, run as an ablation: no provisional
  tells, and pending candidates are narrow kernels like a batch's picks.

Racing's overlapping waves (``racing=True`` with 2 to 7 workers) also ask for
candidates while others run, so the change reaches them too; with racing, a
running candidate is told the mean of its folds so far after each wave. The
script runs them per candidate (``n_iter=50``, regret at the end) at 2 and 4
workers on the same fresh seeds, as ``racing`` (shipped) and ``racing-v6``.

Paired Wilcoxon tests over the seeds per (problem, W), Holm within each
comparison; pooled: per problem, the difference of mean regrets over the sd
of both, Wilcoxon over the problems.

    python benchmarks/cluster_sim_confirm.py             # runs (2 processes), writes results/cluster_sim_confirm.json
    python benchmarks/cluster_sim_confirm.py --report    # the tables only
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from multiprocessing import Pool
from typing import Any, NamedTuple

import numpy as np
from scipy.stats import wilcoxon

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cluster_problems import PROBLEMS  # noqa: E402
from cluster_sim import Cluster, run_sktpe, simulate_on  # noqa: E402
from cluster_sim_equal_time import normalised_difference, run_timed  # noqa: E402
from cluster_sim_report import holm, lower_regret, regret_at  # noqa: E402
from provenance import provenance  # noqa: E402

from sktpe import TPESampler  # noqa: E402
from sktpe._trials import Trial, TrialStore  # noqa: E402

OUT = os.path.join(HERE, "results", "cluster_sim_confirm.json")
SEEDS = range(100, 140)
WORKERS = (16, 64)
RACING_WORKERS = (2, 4)
RACING_N_ITER = 50


class V6Sampler(TPESampler):
    """The earlier design's sampler: a pending candidate is as narrow as a batch's pick."""

    _pending_width = TPESampler._pick_width


class V6Store(TrialStore):
    """The earlier design's trial store: running candidates are not told provisionally."""

    def report(self, trial: Trial) -> None:
        """Tell nothing until the trial settles."""


def at_waves_time(problem: str, workers: int, seed: int,
                  designs: dict[str, tuple[type, type]]) -> dict:
    """Regret of the waves and of each asynchronous design at the waves' time T.

    ``designs`` maps a name to the (sampler class, store class) the
    asynchronous mode runs with (``cluster_sim_equal_time.run_timed``); the
    row holds T, each method's regret at T and each one's number of trials.
    """
    waves = simulate_on(Cluster(workers), "sktpe-waves", problem, seed)
    T = waves["wall"]
    runs = {name: run_timed(problem, workers, seed, T, sampler_cls=sampler_cls,
                            store_cls=store_cls)
            for name, (sampler_cls, store_cls) in designs.items()}
    return {"problem": problem, "workers": workers, "seed": seed, "T": T,
            "waves": regret_at(waves, T), **{n: regret_at(r, T) for n, r in runs.items()},
            "n_trials": {"waves": waves["n_iter"],
                         **{n: r["n_trials"] for n, r in runs.items()}}}


def one(job: tuple[str, int, int]) -> dict:
    """Waves, async and async-v6 regret at the waves' time T for one (problem, W, seed)."""
    return at_waves_time(*job, {"async": (TPESampler, TrialStore),
                                "async-v6": (V6Sampler, V6Store)})


def racing_regret(problem_name: str, workers: int, seed: int, sampler_cls: type,
                  store_cls: type) -> float:
    """Regret after ``RACING_N_ITER`` candidates of racing's overlapping waves (per candidate)."""
    problem = PROBLEMS[problem_name]
    best = [-np.inf]
    run_sktpe(problem, workers, seed, RACING_N_ITER, False, Cluster(workers),
              lambda params: best.__setitem__(0, max(best[0], problem.true(params))),
              racing=True, sampler_cls=sampler_cls, store_cls=store_cls)
    return problem.optimum - best[0]


def one_racing(job: tuple[str, int, int]) -> dict:
    """Racing's overlapping waves, shipped and v6, for one (problem, W, seed)."""
    problem, workers, seed = job
    return {"problem": problem, "workers": workers, "seed": seed,
            "racing": racing_regret(problem, workers, seed, TPESampler, TrialStore),
            "racing-v6": racing_regret(problem, workers, seed, V6Sampler, V6Store)}


class Paired(NamedTuple):
    """One (problem, W) cell of a paired comparison of ``a`` with ``b`` over seeds."""

    problem: str
    workers: int
    mean_a: float
    mean_b: float
    better: int  # seeds where a's regret is lower
    worse: int  # ... higher
    p_holm: float  # Wilcoxon over the seeds, Holm over the cells of the comparison
    effect: float  # difference of mean regrets over the sd of both (normalised_difference)


def compare(rows: list[dict], a: str, b: str) -> list[Paired]:
    """Every (problem, W) cell whose rows hold ``a``, ``a`` against ``b`` paired by seed."""
    cells = sorted({(r["problem"], r["workers"]) for r in rows if a in r}, key=lambda c: (c[1], c[0]))
    stats = []
    for p, w in cells:
        rs = sorted((r for r in rows if r["problem"] == p and r["workers"] == w),
                    key=lambda r: r["seed"])
        x, y = np.array([r[a] for r in rs]), np.array([r[b] for r in rs])
        pval = 1.0 if np.all(x == y) else float(wilcoxon(x, y).pvalue)
        stats.append((p, w, x.mean(), y.mean(), int((x < y).sum()), int((x > y).sum()), pval,
                      normalised_difference(x, y)))
    adj = holm([s[6] for s in stats])
    return [Paired(*s[:6], q, s[7]) for s, q in zip(stats, adj)]


def pooled(cells: list[Paired], workers: int) -> tuple[np.ndarray, float]:
    """The cells' effects at ``workers`` and their Wilcoxon p over the problems."""
    effs = np.array([c.effect for c in cells if c.workers == workers])
    return effs, 1.0 if np.all(effs == 0) else float(wilcoxon(effs).pvalue)


def report(rows: list[dict], pairs: tuple[tuple[str, str], ...] = (
        ("async", "waves"), ("async", "async-v6"), ("async-v6", "waves"))) -> str:
    """Markdown tables: async against the waves and against async-v6, per cell and pooled."""
    out = []
    for a_name, b_name in pairs:
        cells = compare(rows, a_name, b_name)
        out += [f"#### {a_name} against {b_name}", "",
                f"| problem | W | mean regret, {a_name} | {b_name} | {a_name} better/worse (seeds) "
                f"| p (Holm) | lower regret |", "| --- | ---: | ---: | ---: | --- | ---: | --- |"]
        for c in cells:
            won = lower_regret(c.p_holm, c.mean_a - c.mean_b, c.better, c.worse, a_name, b_name)
            won = ("no significant difference" if won is None
                   else f"**{a_name}**" if won == a_name else won)
            out.append(f"| {c.problem} | {c.workers} | {c.mean_a:.3g} | {c.mean_b:.3g} | "
                       f"{c.better}/{c.worse} | {c.p_holm:.2g} | {won} |")
        out.append("")
        for w in sorted({c.workers for c in cells}):
            effs, pval = pooled(cells, w)
            lower = sum(c.mean_a < c.mean_b for c in cells if c.workers == w)
            out.append(f"- pooled, W = {w}: mean normalised difference {effs.mean():+.2f}, {a_name} "
                       f"lower mean regret on {lower} of {len(effs)} problems, Wilcoxon over "
                       f"problems p = {pval:.3g}")
        out.append("")
    return "\n".join(out)


def run_grids(path: str, command: str, grids: dict[str, tuple[Callable[[Any], dict], list]]) -> None:
    """Run each grid's jobs (``key -> (function, jobs)``) on 2 processes and write ``path``.

    The file holds the command, the provenance, the seconds taken and each
    grid's rows under its key.
    """
    start = time.perf_counter()
    with Pool(2) as pool:
        rows = {key: pool.map(fn, jobs, chunksize=4) for key, (fn, jobs) in grids.items()}
    with open(path, "w") as fh:
        json.dump({"command": command, "provenance": provenance(),
                   "seconds": time.perf_counter() - start, **rows}, fh, separators=(",", ":"))


def main(argv: list[str] | None = None) -> None:
    """Run the grid (unless ``--report``) and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args(argv)
    if not args.report:
        run_grids(OUT, "python benchmarks/cluster_sim_confirm.py", {
            "runs": (one, [(p, w, s) for w in WORKERS for p in PROBLEMS for s in SEEDS]),
            "racing": (one_racing, [(p, w, s) for w in RACING_WORKERS for p in PROBLEMS
                                    for s in SEEDS])})
    with open(OUT) as fh:
        data = json.load(fh)
    print("### Regret at equal wall time T (the waves' time)\n")
    print(report(data["runs"]))
    print("### Racing's overlapping waves, regret after 50 candidates\n")
    print(report(data["racing"], (("racing", "racing-v6"),)))


if __name__ == "__main__":
    main()
