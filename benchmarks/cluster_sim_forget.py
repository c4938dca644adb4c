"""Forgetting with independent densities, on the simulator's reported problems (stop 45).

With 8 or more candidates pending, ``multivariate='auto'`` models the
parameters independently, and from stop 45 older trials weigh less in those
densities (``TPESampler._forget_after = 25``: the 25 latest trials of the good
and of the bad set weigh 1, older ones linearly less). The default was chosen
on tuning objectives (``cluster_sim_pending.py`` and
``cluster_sim_categorical.py``, variant ``forget-25``); this script measures
it on the reported problems, paired with the stored runs of the design before
it, which it leaves as they are:

* **256 workers**: the rows of ``results/cluster_sim_many_seeds_256.json``
  (each has the waves' time T, the waves' regret at T and the asynchronous
  design's before forgetting); the asynchronous search of the current
  default runs until the same T;
* **64 workers**: the rows of ``results/cluster_sim_many_seeds.json`` at 64
  workers: the same at T, and per candidate (``n_iter_for(64)`` candidates,
  against the stored Optuna run of the same seed).

Jobs go seed by seed, every problem and worker count of a seed together, and
each row is appended to ``results/cluster_sim_forget.jsonl`` as it ends, so a
run stopped early leaves whole seeds; a row already there is not redone.
Before any run, one stored row per worker count is run again with forgetting
off and must give the stored regret bit for bit.

    python benchmarks/cluster_sim_forget.py --seeds 200-299   # runs what the file lacks
    python benchmarks/cluster_sim_forget.py --report          # the tables only
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import wilcoxon

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cluster_sim import Cluster, simulate_on  # noqa: E402
from cluster_sim_equal_time import normalised_difference, run_timed  # noqa: E402
from cluster_sim_report import final_regret, holm, regret_at  # noqa: E402
from provenance import provenance  # noqa: E402

from sktpe import TPESampler  # noqa: E402

OUT = os.path.join(HERE, "results", "cluster_sim_forget.jsonl")
SOURCES = {256: os.path.join(HERE, "results", "cluster_sim_many_seeds_256.json"),
           64: os.path.join(HERE, "results", "cluster_sim_many_seeds.json")}


def stored(workers: int) -> dict[tuple[str, int], dict]:
    """The stored rows at ``workers``, by (problem, seed)."""
    with open(SOURCES[workers]) as fh:
        runs = json.load(fh)["runs"]
    return {(r["problem"], r["seed"]): r for r in runs if r["workers"] == workers}


def one(row: dict) -> dict:
    """The current default's asynchronous search on a stored row: regret at its T (and at 64
    workers, per candidate)."""
    problem, workers, seed = row["problem"], row["workers"], row["seed"]
    timed = run_timed(problem, workers, seed, row["T"])
    out = {"problem": problem, "workers": workers, "seed": seed, "T": row["T"],
           "waves": row["waves"], "before": row["async"], "forget": regret_at(timed, row["T"]),
           "n_trials": {"before": row["n_trials"]["async"], "forget": timed["n_trials"]}}
    if "optuna per candidate" in row:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = simulate_on(Cluster(workers), "sktpe-async", problem, seed)
        out.update({"before per candidate": row["async per candidate"],
                    "forget per candidate": final_regret(run),
                    "optuna per candidate": row["optuna per candidate"]})
    return out


def check_before(workers: int) -> None:
    """Stop unless a stored row comes out bit for bit with forgetting off."""
    row = stored(workers)[("mixed", 201)]
    old = TPESampler._forget_after
    TPESampler._forget_after = None
    try:
        again = regret_at(run_timed("mixed", workers, 201, row["T"]), row["T"])
    finally:
        TPESampler._forget_after = old
    if again != row["async"]:
        raise SystemExit(f"the stored row {row} is not reproduced with forgetting off: {again}")


def load() -> list[dict]:
    if not os.path.exists(OUT):
        return []
    with open(OUT) as fh:
        return [r for r in map(json.loads, fh) if "problem" in r]


def _seed_range(text: str) -> range:
    lo, hi = map(int, text.split("-"))
    return range(lo, hi + 1)


def _p(a: np.ndarray, b: np.ndarray) -> float:
    d = a - b
    return 1.0 if not np.any(d) else float(wilcoxon(a, b).pvalue)


def comparison(rows: list[dict], a: str, b: str, title: str) -> list[str]:
    """Markdown: ``a`` against ``b`` per (problem, W): means, seeds lower / higher, Holm p; pooled."""
    cells = sorted({(r["workers"], r["problem"]) for r in rows if a in r and b in r})
    stats = []
    for w, p in cells:
        rs = sorted((r for r in rows if (r["workers"], r["problem"]) == (w, p) and a in r),
                    key=lambda r: r["seed"])
        x, y = np.array([r[a] for r in rs]), np.array([r[b] for r in rs])
        stats.append((w, p, x, y, _p(x, y)))
    adj = holm([s[4] for s in stats])
    L = [f"### {title}", "", f"| problem | W | seeds | mean regret, {a} | {b} | {a} lower / higher "
         "| p (Holm) |", "| --- | ---: | ---: | ---: | ---: | --- | ---: |"]
    for (w, p, x, y, _), q in zip(stats, adj):
        L.append(f"| {p} | {w} | {len(x)} | {x.mean():.3g} | {y.mean():.3g} | "
                 f"{int((x < y).sum())} / {int((x > y).sum())} | {q:.2g} |")
    L.append("")
    for w in sorted({s[0] for s in stats}):
        d = np.array([normalised_difference(x, y) for ww, _, x, y, _ in stats if ww == w])
        p = 1.0 if not np.any(d) else float(wilcoxon(d).pvalue)
        L.append(f"- pooled, W = {w}: mean normalised difference {d.mean():+.2f}, {a} lower mean "
                 f"regret on {int((d < 0).sum())} of {len(d)} problems, Wilcoxon over problems "
                 f"p = {p:.3g}")
    return L


def report(rows: list[dict]) -> str:
    L = comparison(rows, "forget", "before", "With forgetting against before it, at the waves' time T")
    L += [""] + comparison(rows, "forget", "waves", "With forgetting against the waves, at T")
    L += [""] + comparison(rows, "before", "waves", "Before forgetting against the waves, at T "
                                                   "(the same seeds)")
    L += [""] + comparison(rows, "forget per candidate", "optuna per candidate",
                           "With forgetting against Optuna's parallel TPE, per candidate")
    return "\n".join(L)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=_seed_range, default=range(200, 300), metavar="FIRST-LAST")
    ap.add_argument("--workers", type=int, nargs="*", default=[256, 64])
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args(argv)
    if not args.report:
        import cluster_sim_forget as by_name  # workers find ``one`` by module name

        have = {(r["problem"], r["workers"], r["seed"]) for r in load()}
        jobs = [row for s in args.seeds for w in args.workers
                for (p, seed), row in sorted(stored(w).items()) if seed == s
                and (p, w, s) not in have]
        for w in args.workers:
            check_before(w)
        start = time.time()
        with open(OUT, "a") as fh:
            fh.write(json.dumps({"command": " ".join(["python"] + sys.argv),
                                 "provenance": provenance(), "jobs": len(jobs)}) + "\n")
            for row in Parallel(n_jobs=2, return_as="generator")(
                    delayed(by_name.one)(r) for r in jobs):
                fh.write(json.dumps(row) + "\n")
                fh.flush()
            fh.write(json.dumps({"seconds": round(time.time() - start)}) + "\n")
    print(report(load()))


if __name__ == "__main__":
    main()
