"""Equal wall time: asynchronous proposals given the time the waves took, not their budget.

``cluster_sim.py`` gives every method the same number of candidates, so the
asynchronous search finishes early and is compared with the waves at the
waves' finishing time T by the candidates it had. Here it runs on the same
virtual cluster until T itself (``max_time=T`` on the virtual clock, with no
candidate limit), T being the virtual time the waves' run of the same
(problem, workers, seed) needed for its ``n_iter`` candidates: what a user
who gives the search a time budget gets. Regret at T is compared with the
waves' (cached in ``results/cluster_sim.json``), paired by seed, Wilcoxon
signed-rank, Holm over the (problem, workers) cells.

    python benchmarks/cluster_sim_equal_time.py           # runs, writes results/cluster_sim_equal_time.json
    python benchmarks/cluster_sim_equal_time.py --report  # the table (docs/cluster_sim.md)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
from scipy.stats import wilcoxon

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cluster_problems import PROBLEMS, Problem  # noqa: E402
from cluster_sim import K, Cluster, Folds, SimEvaluator, n_iter_for  # noqa: E402
from cluster_sim_report import holm, lower_regret, regret_at  # noqa: E402

from sktpe import TPESampler, TPESearchCV  # noqa: E402
from sktpe._candidates import n_startup  # noqa: E402
from sktpe._scheduler import Policy, Progress, Scheduler, candidates_per_batch  # noqa: E402
from sktpe._trials import TrialStore  # noqa: E402

CACHE = os.path.join(HERE, "results", "cluster_sim.json")
OUT = os.path.join(HERE, "results", "cluster_sim_equal_time.json")
WORKERS = [16, 64, 256]


def run_timed(problem_name: str | Problem, workers: int, seed: int, seconds: float,
              sampler_cls: type = TPESampler, store_cls: type = TrialStore) -> dict:
    """sktpe asynchronous until ``seconds`` of virtual time (then its running folds finish).

    ``problem_name``: a simulator problem by name, or a :class:`Problem`
    (``cluster_sim_pending.py``'s tuning objectives). ``sampler_cls`` and
    ``store_cls`` let ``cluster_sim_confirm.py`` run an earlier design as an
    ablation.
    """
    problem = PROBLEMS[problem_name] if isinstance(problem_name, str) else problem_name
    problem_name, cluster = problem.name, Cluster(workers)
    n_iter = 50 * n_iter_for(workers)  # never the limit
    store = store_cls(n_splits=K)
    sampler = sampler_cls(problem.space, random_state=seed,
                          n_startup_trials=n_startup("auto", n_iter_for(workers), TPESearchCV._startup_min))
    store.sampler = sampler
    steps: list[list[float]] = []

    def settle(t: object) -> None:
        value = problem.true(t.params)
        if not steps or value > steps[-1][1]:
            steps.append([cluster.clock, value])

    store.on_settle.append(settle)
    progress = Progress(seconds, None, 0, n_iter, False, store, clock=lambda: cluster.clock)
    policy = Policy(n_iter=n_iter, racing=False, overlap=False, slots=workers, timed=False,
                    asynchronous=True,
                    batch_size=lambda k, n: candidates_per_batch("auto", workers, k, n))
    reason = Scheduler(sampler, store, SimEvaluator(cluster, Folds(problem, seed)), progress,
                       policy, queue=[]).run()
    return {"method": "sktpe-async-T", "problem": problem_name, "workers": workers, "seed": seed,
            "T": seconds, "reason": reason, "n_trials": len(store),
            "steps": [[round(t, 6), v] for t, v in steps], "wall": cluster.clock,
            # an upper bound: the busy time of the whole run (folds running at T
            # finish after it), capped at workers x T
            "utilisation_to_T": min(cluster.busy, workers * seconds) / (workers * seconds)}


def normalised_difference(a: np.ndarray, b: np.ndarray) -> float:
    """The difference of mean regrets over the sd of both methods' regrets (0 if no spread)."""
    sd = np.std(np.concatenate([a, b]), ddof=1)
    return float((a.mean() - b.mean()) / sd) if sd > 0 else 0.0


def paired_regrets(rows: list[dict], waves: dict, problem: str, workers: int
                   ) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Regret at T of the timed async runs of one cell and of the waves' runs of the same seeds
    (``waves``: (problem, workers, seed) -> run), in seed order; and the timed runs."""
    timed = sorted((r for r in rows if r["problem"] == problem and r["workers"] == workers),
                   key=lambda r: r["seed"])
    a = np.array([regret_at(r, r["T"]) for r in timed])
    b = np.array([regret_at(waves[(problem, workers, r["seed"])], r["T"]) for r in timed])
    return a, b, timed


def report(rows: list[dict], cache: dict) -> str:
    waves = {(r["problem"], r["workers"], r["seed"]): r for r in cache["runs"] if r["method"] == "sktpe-waves"}
    cells = sorted({(r["problem"], r["workers"]) for r in rows}, key=lambda c: (c[1], c[0]))
    stats = []
    for p, w in cells:
        a, b, timed = paired_regrets(rows, waves, p, w)
        d = a - b
        pval = 1.0 if np.all(d == 0) else float(wilcoxon(a, b).pvalue)
        util = np.median([r["utilisation_to_T"] for r in timed])
        n = np.median([r["n_trials"] for r in timed])
        stats.append((p, w, a.mean(), b.mean(), int((d < 0).sum()), int((d > 0).sum()), pval, util, n))
    adj = holm([s[6] for s in stats])
    lines = ["| problem | W | mean regret at T, async | waves | async better/worse (seeds) | p (Holm) | "
             "lower regret | candidates by T, async (median) | async utilisation to T (upper bound) |",
             "| --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: |"]
    for (p, w, ma, mb, better, worse, _, util, n), q in zip(stats, adj):
        won = lower_regret(q, ma - mb, better, worse, "async", "waves")
        won = "no significant difference" if won is None else "**async**" if won == "async" else won
        lines.append(f"| {p} | {w} | {ma:.3g} | {mb:.3g} | {better}/{worse} | {q:.2g} | {won} | "
                     f"{n:.0f} | {util:.1%} |")
    lines += ["", "Pooled over problems (per problem, the difference of mean regrets over the "
              "sd of both methods' regrets; Wilcoxon over the problems; negative: async lower):", ""]
    for w in sorted({c[1] for c in cells}):
        effs = []
        for p in sorted({c[0] for c in cells if c[1] == w}):
            effs.append(normalised_difference(*paired_regrets(rows, waves, p, w)[:2]))
        effs = np.array(effs)
        pval = 1.0 if np.all(effs == 0) else float(wilcoxon(effs).pvalue)
        lines.append(f"- W = {w}: mean {effs.mean():+.2f}, async lower on {int((effs < 0).sum())} "
                     f"of {len(effs)} problems, p = {pval:.3g}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args(argv)
    with open(CACHE) as fh:
        cache = json.load(fh)
    if not args.report:
        waves = {(r["problem"], r["workers"], r["seed"]): r["wall"]
                 for r in cache["runs"] if r["method"] == "sktpe-waves"}
        rows, start = [], time.perf_counter()
        for seed in range(args.seeds):
            for w in WORKERS:
                for p in PROBLEMS:
                    rows.append(run_timed(p, w, seed, waves[(p, w, seed)]))
            print(f"seed {seed} done, {(time.perf_counter() - start) / 60:.1f} min", flush=True)
        with open(OUT, "w") as fh:
            json.dump({"command": "python benchmarks/cluster_sim_equal_time.py "
                       + " ".join(argv or []), "seconds": time.perf_counter() - start,
                       "runs": rows}, fh, separators=(",", ":"))
    with open(OUT) as fh:
        print(report(json.load(fh)["runs"], cache))


if __name__ == "__main__":
    main()
