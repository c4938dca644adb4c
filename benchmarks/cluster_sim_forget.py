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
off and must give the stored regret bit for bit, and this file's rows of
seed 201 (every problem but one being made again) are run again and must
come out as they are.

    python benchmarks/cluster_sim_forget.py --seeds 200-299   # runs what the file lacks
    python benchmarks/cluster_sim_forget.py --report          # the tables only

``--redo-problem NAME --tag TAG`` takes that problem's rows of the seeds and
worker counts given out of the file, once the checks below pass (they go
to ``results/cluster_sim_forget_<TAG>.jsonl``, a new file), so that the run
makes them again from the stored rows: after ``cluster_sim_many_seeds.py
--redo-problem NAME`` has made those again (a change of sktpe that moved the
problem's waves, and so its T).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

from joblib import Parallel, delayed

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cluster_problems import PROBLEMS  # noqa: E402
from cluster_sim import Cluster, simulate_on  # noqa: E402
from cluster_sim_confirm import report as paired_tables  # noqa: E402
from cluster_sim_equal_time import run_timed  # noqa: E402
from cluster_sim_many_seeds import _seed_range  # noqa: E402
from cluster_sim_report import final_regret, regret_at  # noqa: E402
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


def check_current(workers: int, skip: str | None = None) -> None:
    """Stop unless the rows already in the file come out bit for bit with the current code,
    checked on seed 201 of every problem but ``skip`` (the one being made again): the rows
    kept were made by the code that runs now."""
    kept = {(r["problem"], r["seed"]): r for r in _rows() if r["workers"] == workers}
    source = stored(workers)
    for problem in PROBLEMS:
        if problem == skip or (problem, 201) not in kept:
            continue
        have, again = kept[(problem, 201)], one(source[(problem, 201)])
        for key in ("forget", "forget per candidate"):
            if key in have and again[key] != have[key]:
                raise SystemExit(f"the row {have} is not reproduced by the current code: {again}")


def _rows() -> list[dict]:
    """Every row in the file."""
    if not os.path.exists(OUT):
        return []
    with open(OUT) as fh:
        return [r for r in map(json.loads, fh) if "problem" in r]


def load() -> list[dict]:
    """The rows run so far: at each worker count, only the seeds run on every problem of
    ``cluster_problems.PROBLEMS`` (a run stopped early leaves a seed's last problems out, and
    ``--redo-problem`` takes one problem's rows out until they are made again)."""
    rows = _rows()
    count: dict[tuple[int, int], int] = {}
    for r in rows:
        count[(r["workers"], r["seed"])] = count.get((r["workers"], r["seed"]), 0) + 1
    return [r for r in rows if count[(r["workers"], r["seed"])] == len(PROBLEMS)]


def report(rows: list[dict]) -> str:
    """Markdown: with forgetting against before it and against the waves at T (and before it
    against the waves on the same seeds), then per candidate against Optuna at 64 workers."""
    return "\n".join([
        "### At the waves' time T", "",
        paired_tables(rows, (("forget", "before"), ("forget", "waves"), ("before", "waves"))),
        "### Per candidate against Optuna's parallel TPE at 64 workers", "",
        paired_tables(rows, (("forget per candidate", "optuna per candidate"),)),
    ])


def take_out(problem: str, tag: str, seeds: range, workers: list[int]) -> None:
    """Move ``problem``'s rows of ``seeds`` at ``workers`` to ``cluster_sim_forget_<tag>.jsonl``
    (``--redo-problem``), which must not exist yet."""
    kept_file = OUT.replace(".jsonl", f"_{tag}.jsonl")
    if os.path.exists(kept_file):
        raise SystemExit(f"{kept_file} exists: give --tag a new suffix")
    with open(OUT) as fh:
        lines = fh.readlines()

    def out(line: str) -> bool:
        r = json.loads(line)
        return (r.get("problem") == problem and r.get("seed") in seeds
                and r.get("workers") in workers)

    moved = [line for line in lines if out(line)]
    if not moved:
        raise SystemExit(f"no rows of {problem!r} for these seeds and workers in {OUT}")
    with open(kept_file, "w") as fh:
        fh.writelines(moved)
    kept = [line for line in lines if not out(line)]
    kept.append(json.dumps({"command": " ".join(["python"] + sys.argv),
                            "taken_out": len(moved), "to": os.path.basename(kept_file),
                            "provenance": provenance()}) + "\n")
    with open(OUT + ".tmp", "w") as fh:
        fh.writelines(kept)
    os.replace(OUT + ".tmp", OUT)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=_seed_range, default=range(200, 300), metavar="FIRST-LAST")
    ap.add_argument("--workers", type=int, nargs="*", default=[256, 64])
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--redo-problem", metavar="NAME", help="make this problem's rows again")
    ap.add_argument("--tag", help="with --redo-problem: suffix of the new file of rows taken out")
    args = ap.parse_args(argv)
    if args.redo_problem and (args.report or not args.tag):
        ap.error("--redo-problem needs --tag and runs: it cannot go with --report")
    if not args.report:
        import cluster_sim_forget as by_name  # workers find ``one`` by module name

        for w in args.workers:
            check_before(w)
            check_current(w, skip=args.redo_problem)
        if args.redo_problem:
            take_out(args.redo_problem, args.tag, args.seeds, args.workers)
        have = {(r["problem"], r["workers"], r["seed"]) for r in _rows()}
        jobs = [row for s in args.seeds for w in args.workers
                for (p, seed), row in sorted(stored(w).items()) if seed == s
                and (p, w, s) not in have]
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
