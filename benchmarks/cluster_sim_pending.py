"""Why the asynchronous search loses boosting at 256 workers, and whether a default should change.

At 256 workers the asynchronous search lost to the waves on the simulator's
``boosting`` problem, on 100 fresh seeds (``cluster_sim_many_seeds.py
--at-256``), and split with them on ``conditional``. boosting is the problem
whose good region is its slow one. Two parts:

**The probe** (``--probe``, for information: these are reported problems,
not tuning ones): boosting and conditional at 256 workers, seeds 500-519.
The waves run their ``n_iter_for(256)`` candidates, taking virtual time T;
each asynchronous variant runs until T (``cluster_sim_equal_time.run_timed``).
Besides regret at T, each run records the mean fit time (the cost model's
mean, no noise) of the later half of the candidates it proposed: whether a
search keeps away from the slow region. Variants (``VARIANTS``):

* ``shipped``: the design shipped when this script was written (v9, until
  stop 38; the cached rows are of it): running candidates join g(x) with an
  observation's kernel width, and the densities are independent from 8
  pending trials (``multivariate='auto'``);
* ``narrow``: with independent densities, running candidates join g(x) as
  narrow as a batch's own picks (``TPESampler._pending_width_independent``
  set to ``_pick_width``);
* ``joint``: joint densities however many trials are pending;
* ``recent``: with independent densities, a running candidate with no fold
  back repels only if it was proposed within the last m asks, m the number
  of such candidates (``TPESampler._pending_recent_factor``): those running
  longer are the slow fits that bias the running set;
* ``l-joint`` (stop 40, compared with ``recent``, the default since stop 39):
  with independent densities, l(x) joint all the same
  (``TPESampler._joint_good``), for boosting's diagonal ridge at 256 workers.
  Far behind, so the switch was removed: its rows are kept, and running the
  variant again needs the commit in ``REMOVED``.
* ``joint-every-4`` (stop 41, compared with ``recent``): with independent
  densities, every fourth ask joint all the same (``TPESampler._joint_every``),
  to follow diagonal ridges while keeping the independent proposals'
  spread. Level with ``recent`` (pooled -0.17 to +0.17, no p below 0.15), so
  the switch was removed as ``l-joint``'s was.
* ``default-stop42`` (stop 42): the default at that source, whose only change
  for these objectives (a branch's constant no longer counted in Scott's rule)
  moves kernels3 and kernels3_wide; the base of the next two.
* ``scored-startup`` and ``scored-startup-prior`` (stop 42,
  ``TPESampler._startup_scored``): model-based proposals wait until
  ``n_startup_trials`` trials have a score (told or provisional), not only
  until that many were asked; meanwhile the proposals are those of an empty
  good set (``'explore'``) or plain prior draws (``'prior'``). Seeds 500-519
  for both, then 520-549 for ``scored-startup`` at 32 and 256 workers
  (``--seeds 520-549 --variants default-stop42 scored-startup --workers 32
  256``), with an adoption rule written before that second call (guide
  scaling_design.md). Not adopted; the switch was removed.

The candidates running at any moment over-represent slow fits (a slow fit
stays running longer), and each joins the independent g(x) on every axis.

**The tuning step** (the default run): a default is not chosen on the
simulator's reported problems, so the same variants run on the tuning
objectives of ``cluster_sim_densities.py`` (``synthetic.py``'s six and the two
conditional ``kernels3`` objectives, fold noise a tenth of each one's prior
spread), with two cost models:

* ``flat``: every fold fit takes 0.1 s (the densities sweep's);
* ``slow-good``: a fold fit takes 0.02 + 0.58 q seconds, q the fraction of
  300 prior draws that score below the candidate: the better the model, the
  slower it fits (more trees, wider networks), as on boosting.

Each (objective, cost model, workers, seed) runs every variant asynchronously
for the same virtual time T: the time random search's ``n_iter_for(W)``
candidates take on W workers at the prior's mean fit time (plus the dispatch
overhead), so no method's own speed sets the budget. Regret at T is paired
with the shipped search's by seed (Wilcoxon, Holm over the cells of each
variant); pooled per (workers, cost model): per objective, the difference of
mean regrets over the sd of both searches' regrets, Wilcoxon over the 8
objectives. Seeds 500-519, used by no earlier choice.

    python benchmarks/cluster_sim_pending.py            # runs what results/cluster_sim_pending.json lacks (about 15 minutes)
    python benchmarks/cluster_sim_pending.py --report   # the tables only
    python benchmarks/cluster_sim_pending.py --probe    # runs what results/cluster_sim_pending_probe.json lacks
    python benchmarks/cluster_sim_pending.py --fresh-256  # recent on the 256-worker fresh seeds (about 20 minutes)

``--fresh-256`` runs ``recent`` on boosting and conditional at the waves' time T of
each row of ``cluster_sim_many_seeds_256_v9.json`` (seeds 200-399), beside the
waves' and the shipped search's stored regrets: for information, before it
became the default (stop 39; ``recent`` is now the class default, and the
``shipped`` and ``narrow`` variants set the switch back to None, so that
every cached row stays what it was).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from collections import defaultdict

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import spearmanr
from sklearn.model_selection import ParameterSampler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cluster_problems import PROBLEMS, Problem  # noqa: E402
from cluster_sim import K, OVERHEAD, Cluster, n_iter_for, run_sktpe  # noqa: E402
from cluster_sim_densities import TUNING, tuning_problem  # noqa: E402
from cluster_sim_equal_time import normalised_difference, run_timed  # noqa: E402
from cluster_sim_report import best_at, holm, paired_p  # noqa: E402
from provenance import provenance  # noqa: E402

from sktpe import TPESampler  # noqa: E402

OUT = os.path.join(HERE, "results", "cluster_sim_pending.json")
PROBE_OUT = os.path.join(HERE, "results", "cluster_sim_pending_probe.json")
PROBE_PROBLEMS = ("boosting", "conditional")
PROBE_WORKERS = 256
FRESH_OUT = os.path.join(HERE, "results", "cluster_sim_pending_256.json")
# The 256-worker rows as they were before recent became the default (their "async" is v9).
FRESH_SOURCE = os.path.join(HERE, "results", "cluster_sim_many_seeds_256_v9.json")
NAMES = TUNING + ("kernels3", "kernels3_wide")
COSTS = ("flat", "slow-good")
SEEDS = range(500, 520)
#: Every variant measured before forgetting became the default for independent densities (stop
#: 45) sets it off, so that its cached rows stay what a new run gives.
BEFORE_FORGETTING = {"_forget_after": None}
#: TPESampler's class settings per variant, and the worker counts each runs at: ``narrow``,
#: running candidates in an independent g(x) as narrow as a batch's own picks; ``joint``, joint
#: densities however many trials are pending (``multivariate=True``'s proposals).
VARIANTS: dict[str, tuple[dict, tuple[int, ...]]] = {
    "shipped": ({**BEFORE_FORGETTING, "_pending_recent_factor": None}, (32, 64, 256)),
    "narrow": ({**BEFORE_FORGETTING, "_pending_width_independent": TPESampler._pick_width,
                "_pending_recent_factor": None}, (32, 64, 256)),
    "joint": ({"_independent_from_pending": 10**9}, (64, 256)),
    "recent": ({**BEFORE_FORGETTING, "_pending_recent_factor": 1.0}, (32, 64, 256)),
    "l-joint": ({**BEFORE_FORGETTING, "_pending_recent_factor": 1.0, "_joint_good": True}, (32, 64, 256)),
    "joint-every-4": ({**BEFORE_FORGETTING, "_pending_recent_factor": 1.0, "_joint_every": 4}, (32, 64, 256)),
    "default-stop42": ({**BEFORE_FORGETTING}, (32, 64, 256)),
    "scored-startup": ({**BEFORE_FORGETTING, "_startup_scored": "explore"}, (32, 64, 256)),
    "scored-startup-prior": ({**BEFORE_FORGETTING, "_startup_scored": "prior"}, (32, 64, 256)),
    "forget-25": ({"_forget_after": 25, "_forget_modes": ("independent",)}, (32, 64, 256)),
}
#: What each variant is compared with (the shipped search unless named here): ``l-joint``
#: (stop 40: l(x) joint beside an independent g(x)) with ``recent``, the default since stop 39.
BASE = {"l-joint": "recent", "joint-every-4": "recent", "default-stop42": "recent",
        "scored-startup": "default-stop42", "scored-startup-prior": "default-stop42",
        "forget-25": "default-stop42"}
#: The variants of the probe (``--probe``), run before ``l-joint`` was added.
PROBE_VARIANTS = ("shipped", "narrow", "joint", "recent")


#: Switches measured, not adopted and then removed from TPESampler: the commit that has them.
REMOVED = {"_joint_good": "c4d721f", "_cat_floor_independent": "c4d721f", "_joint_every": "991586a",
           "_startup_scored": "2ba12d9"}


def _sampler(variant: str) -> type:
    """TPESampler with the class settings of ``variant``."""
    return sampler_with(VARIANTS[variant][0], variant)


def sampler_with(settings: dict, variant: str) -> type:
    """TPESampler with the class ``settings``; stops if one of them is no longer a switch of it
    (a removed one would be set to no effect, and the runs would be the default's)."""
    for key in settings:
        if not hasattr(TPESampler, key):
            raise SystemExit(f"variant {variant!r} sets TPESampler.{key}, a switch removed after "
                             f"it was measured: run it at commit {REMOVED.get(key, '?')}")
    return type(f"TPESampler_{variant}", (TPESampler,), settings)


@functools.lru_cache(maxsize=None)
def costed(name: str, cost: str) -> tuple[Problem, float]:
    """The tuning objective ``name`` with the cost model ``cost``, and its prior mean fit time."""
    return with_cost(tuning_problem(name), cost)


def with_cost(base: Problem, cost: str) -> tuple[Problem, float]:
    """``base`` with the cost model ``cost``, and its prior mean fit time."""
    if cost == "flat":
        return base, 0.1
    draws = np.sort([base.true(p) for p in ParameterSampler(base.space, 300, random_state=1)])

    def slow_good(p: dict) -> float:
        q = np.searchsorted(draws, base.true(p)) / len(draws)
        return 0.02 + 0.58 * float(q)

    problem = Problem(base.name, base.space, base.true, base.optimum, base.fold_sd, slow_good)
    return problem, float(np.mean([slow_good(p) for p in ParameterSampler(base.space, 300,
                                                                           random_state=2)]))


def one(name: str, cost: str, workers: int, seed: int, variant: str) -> dict:
    """Regret at T of the asynchronous search of ``variant``, for one (objective, cost, W, seed)."""
    return timed_row(costed(name, cost), name, cost, workers, seed, variant, _sampler(variant))


def timed_row(costed_problem: tuple[Problem, float], name: str, cost: str, workers: int,
              seed: int, variant: str, sampler_cls: type) -> dict:
    """The row of one asynchronous run with ``sampler_cls`` until the virtual time T: random
    search's ``n_iter_for(workers)`` candidates at the prior's mean fit time (``costed_problem``:
    the problem with its cost model, and that mean)."""
    problem, mean = costed_problem
    T = n_iter_for(workers) * K * (mean + OVERHEAD) / workers
    run = run_timed(problem, workers, seed, T, sampler_cls=sampler_cls)
    return {"problem": name, "cost": cost, "workers": workers, "seed": seed, "variant": variant,
            "T": T, "regret": problem.optimum - best_at(run, T), "n_trials": run["n_trials"]}


def _recording(variant: str, problem: Problem, costs: list[float]) -> type:
    """``_sampler(variant)`` that appends the mean fit time of every candidate it proposes to ``costs``."""

    class Recording(_sampler(variant)):
        def ask(self, n_candidates: int = 1) -> list[dict]:
            params = super().ask(n_candidates)
            costs.extend(problem.cost(p) for p in params)
            return params

    return Recording


def _late(costs: list[float]) -> float:
    """Mean of the later half of ``costs``."""
    return float(np.mean(costs[len(costs) // 2:]))


def probe_one(name: str, seed: int) -> dict:
    """The waves and every variant at the waves' time T, on a simulator problem at 256 workers."""
    problem, workers = PROBLEMS[name], PROBE_WORKERS
    cluster, steps, costs = Cluster(workers), [], []

    def settle(params: dict) -> None:
        value = problem.true(params)
        if not steps or value > steps[-1][1]:
            steps.append([cluster.clock, value])

    run_sktpe(problem, workers, seed, n_iter_for(workers), False, cluster, settle,
              sampler_cls=_recording("shipped", problem, costs))
    T = cluster.clock
    row = {"problem": name, "seed": seed, "T": T,
           "waves": {"regret": problem.optimum - best_at({"steps": steps}, T),
                     "late_fit_time": _late(costs), "n_trials": n_iter_for(workers)}}
    return probe_variants(row)


def probe_variants(row: dict) -> dict:
    """``row`` (a probe row: problem, seed, the waves' T) with the variants it lacks run until T."""
    problem, T = PROBLEMS[row["problem"]], row["T"]
    for variant in PROBE_VARIANTS:
        if variant in row:
            continue
        costs: list[float] = []
        run = run_timed(problem, PROBE_WORKERS, row["seed"], T,
                        sampler_cls=_recording(variant, problem, costs))
        row[variant] = {"regret": problem.optimum - best_at(run, T), "late_fit_time": _late(costs),
                        "n_trials": run["n_trials"]}
    return row


def probe_report(rows: list[dict]) -> str:
    """Markdown: per problem and method, mean regret at T, seeds ahead of the waves, p, fit times."""
    L = ["| problem | method | mean regret at T | seeds lower / higher than the waves | p (Holm) "
         "| seeds lower / higher than shipped | p (Holm) | mean fit time of the later proposals (s) "
         "| candidates by T (median) |", "|---|---|---:|---|---:|---|---:|---:|---:|"]
    cells = []
    for name in PROBE_PROBLEMS:
        rs = sorted((r for r in rows if r["problem"] == name), key=lambda r: r["seed"])
        w = np.array([r["waves"]["regret"] for r in rs])
        for m in ("waves", *PROBE_VARIANTS):
            a = np.array([r[m]["regret"] for r in rs])
            cells.append((name, m, a, w, rs))
    def shipped(rs: list[dict]) -> np.ndarray:
        return np.array([r["shipped"]["regret"] for r in rs])

    adj = holm([paired_p(a, w) for _, m, a, w, _ in cells if m != "waves"])
    adj_s = holm([paired_p(a, shipped(rs)) for _, m, a, _, rs in cells if m != "shipped"])
    k = ks = 0
    for name, m, a, w, rs in cells:
        versus = p = versus_s = p_s = ""
        if m != "waves":
            versus, p = f"{int((a < w).sum())} / {int((a > w).sum())}", f"{adj[k]:.2g}"
            k += 1
        if m != "shipped":
            b = shipped(rs)
            versus_s, p_s = f"{int((a < b).sum())} / {int((a > b).sum())}", f"{adj_s[ks]:.2g}"
            ks += 1
        L.append(f"| {name} | {m} | {a.mean():.3g} | {versus} | {p} | {versus_s} | {p_s} | "
                 f"{np.mean([r[m]['late_fit_time'] for r in rs]):.3f} | "
                 f"{np.median([r[m]['n_trials'] for r in rs]):.0f} |")
    L += ["", "Over the seeds, the shipped search's regret at T against how much faster its later "
          "proposals fit than the waves' (Spearman):", ""]
    for name in PROBE_PROBLEMS:
        rs = [r for r in rows if r["problem"] == name]
        faster = [r["waves"]["late_fit_time"] - r["shipped"]["late_fit_time"] for r in rs]
        rho, p = spearmanr(faster, [r["shipped"]["regret"] for r in rs])
        L.append(f"- {name}: rho = {rho:+.2f} (p = {p:.2g}); its later proposals fit faster "
                 f"than the waves' on {sum(f > 0 for f in faster)} of {len(rs)} seeds")
    return "\n".join(L)


def fresh_one(row: dict) -> dict:
    """``recent`` until the stored waves' time T of a 256-worker row of the fresh seeds."""
    problem = PROBLEMS[row["problem"]]
    run = run_timed(problem, PROBE_WORKERS, row["seed"], row["T"], sampler_cls=_sampler("recent"))
    return {"problem": row["problem"], "seed": row["seed"], "T": row["T"], "waves": row["waves"],
            "shipped": row["async"], "recent": problem.optimum - best_at(run, row["T"]),
            "n_trials": run["n_trials"]}


def fresh_report(rows: list[dict]) -> str:
    """Markdown: ``recent`` against the waves and the shipped search on the fresh seeds."""
    L = ["| problem | seeds | mean regret at T, recent | shipped | waves | recent lower / higher "
         "than the waves (p) | than shipped (p) |", "|---|---:|---:|---:|---:|---|---|"]
    for name in PROBE_PROBLEMS:
        rs = [r for r in rows if r["problem"] == name]
        a, s_, w = (np.array([r[k] for r in rs]) for k in ("recent", "shipped", "waves"))
        L.append(f"| {name} | {len(rs)} | {a.mean():.3g} | {s_.mean():.3g} | {w.mean():.3g} | "
                 f"{int((a < w).sum())} / {int((a > w).sum())} ({paired_p(a, w):.2g}) | "
                 f"{int((a < s_).sum())} / {int((a > s_).sum())} ({paired_p(a, s_):.2g}) |")
    return "\n".join(L)


def report(rows: list[dict], variant: str, base: str = "shipped") -> str:
    """Markdown, ``variant`` against ``base``: per cell both mean regrets, seeds, Holm p;
    pooled per (workers, cost)."""
    cells: dict[tuple, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    trials: dict[tuple, list[int]] = defaultdict(list)
    for r in rows:
        cells[(r["workers"], r["cost"], r["problem"])][r["variant"]][r["seed"]] = r["regret"]
        trials[(r["workers"], r["cost"], r["variant"])].append(r["n_trials"])
    keys = sorted(k for k in cells if variant in cells[k])

    def pair(k: tuple) -> tuple[np.ndarray, np.ndarray]:
        seeds = sorted(set(cells[k][base]) & set(cells[k][variant]))
        return (np.array([cells[k][variant][s] for s in seeds]),
                np.array([cells[k][base][s] for s in seeds]))

    adj = holm([paired_p(*pair(k)) for k in keys])
    L = [f"| workers | cost | objective | mean regret at T, {variant} | {base} "
         f"| seeds {variant} lower / higher | p (Holm) |", "|---:|---|---|---:|---:|---|---:|"]
    for k, p in zip(keys, adj):
        a, b = pair(k)
        L.append(f"| {k[0]} | {k[1]} | {k[2]} | {a.mean():.4g} | {b.mean():.4g} | "
                 f"{int((a < b).sum())} / {int((a > b).sum())} | {p:.2g} |")
    L += ["", f"Pooled over the objectives (per objective, the difference of mean regrets over "
          f"the sd of both searches' regrets; Wilcoxon over the objectives; negative: {variant} "
          f"lower):", "", f"| workers | cost | {variant} minus {base} | objectives {variant} "
          f"lower / higher | p | candidates by T, {variant} / {base} (median) |",
          "|---:|---|---:|---|---:|---|"]
    for w, c in sorted({k[:2] for k in keys}):
        z = np.array([normalised_difference(*pair(k)) for k in keys if k[:2] == (w, c)])
        p = paired_p(z, np.zeros_like(z))
        L.append(f"| {w} | {c} | {z.mean():+.2f} | {int((z < 0).sum())} / {int((z > 0).sum())} "
                 f"| {p:.2g} | {np.median(trials[(w, c, variant)]):.0f} / "
                 f"{np.median(trials[(w, c, base)]):.0f} |")
    return "\n".join(L)


def trapped(rows: list[dict], variant: str, base: str) -> str:
    """Runs "trapped" per worker count: regret above ten times the median regret of both
    searches' runs of the cell (as ``cluster_sim_categorical.py`` counts them), and the runs
    trapped in one search only, with a two-sided binomial test on those."""
    from scipy.stats import binomtest

    cells: dict[tuple, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        cells[(r["workers"], r["cost"], r["problem"])][r["variant"]][r["seed"]] = r["regret"]
    L = [f"| workers | runs | trapped, {variant} | trapped, {base} | in {variant} only / "
         f"in {base} only | p |", "|---:|---:|---:|---:|---|---:|"]
    for w in sorted({k[0] for k in cells if variant in cells[k] and base in cells[k]}):
        n = tv = tb = only_v = only_b = 0
        for k, v in cells.items():
            if k[0] != w or variant not in v or base not in v:
                continue
            seeds = sorted(set(v[variant]) & set(v[base]))
            med = np.median([v[m][s] for m in (variant, base) for s in seeds])
            for s in seeds:
                a, b = v[variant][s] > 10 * med, v[base][s] > 10 * med
                n, tv, tb = n + 1, tv + a, tb + b
                only_v, only_b = only_v + (a and not b), only_b + (b and not a)
        p = binomtest(only_v, only_v + only_b).pvalue if only_v + only_b else 1.0
        L.append(f"| {w} | {n} | {tv} | {tb} | {only_v} / {only_b} | {p:.2g} |")
    return "\n".join(L)


def _seed_range(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--report", action="store_true", help="print the tables of the stored runs")
    ap.add_argument("--probe", action="store_true",
                    help="run (unless --report) and print the probe on boosting and conditional")
    ap.add_argument("--fresh-256", action="store_true",
                    help="run (unless --report) and print recent on the 256-worker fresh seeds")
    ap.add_argument("--seeds", type=_seed_range, default=SEEDS, metavar="FIRST-LAST",
                    help="seeds of the tuning step (default 500-519)")
    ap.add_argument("--variants", nargs="*", default=None, help="only these variants")
    ap.add_argument("--workers", type=int, nargs="*", default=None, help="only these W")
    args = ap.parse_args(argv)
    if args.fresh_256:
        if not args.report:
            import cluster_sim_pending as by_name

            with open(FRESH_SOURCE) as fh:
                source = [r for r in json.load(fh)["runs"] if r["problem"] in PROBE_PROBLEMS]
            start, prov = time.time(), provenance()
            rows = Parallel(n_jobs=2)(delayed(by_name.fresh_one)(r) for r in source)
            with open(FRESH_OUT, "w") as fh:
                json.dump({"command": "python benchmarks/cluster_sim_pending.py --fresh-256",
                           "seconds": round(time.time() - start), "provenance": prov,
                           "rows": rows}, fh)
        with open(FRESH_OUT) as fh:
            print(fresh_report(json.load(fh)["rows"]))
        return
    if args.probe:
        if not args.report:
            import cluster_sim_pending as by_name

            probe = {"rows": [], "calls": []}
            if os.path.exists(PROBE_OUT):
                with open(PROBE_OUT) as fh:
                    probe = json.load(fh)
            have = {(r["problem"], r["seed"]) for r in probe["rows"]}
            start, prov = time.time(), provenance()
            new = Parallel(n_jobs=2)(delayed(by_name.probe_one)(n, s) for n in PROBE_PROBLEMS
                                     for s in SEEDS if (n, s) not in have)
            grown = Parallel(n_jobs=2)(delayed(by_name.probe_variants)(r) for r in probe["rows"])
            probe["rows"] = grown + new
            probe["calls"].append({"command": "python benchmarks/cluster_sim_pending.py --probe",
                                   "seconds": round(time.time() - start), "provenance": prov,
                                   "new_rows": len(new), "variants": list(PROBE_VARIANTS)})
            with open(PROBE_OUT, "w") as fh:
                json.dump(probe, fh)
        with open(PROBE_OUT) as fh:
            print(probe_report(json.load(fh)["rows"]))
        return
    data: dict = {"rows": [], "calls": []}
    if os.path.exists(OUT):
        with open(OUT) as fh:
            data = json.load(fh)
    if not args.report:
        import cluster_sim_pending as by_name  # workers find ``one`` by module name

        have = {(r["problem"], r["cost"], r["workers"], r["seed"], r["variant"])
                for r in data["rows"]}
        jobs = [(n, c, w, s, v) for v, (_, workers) in VARIANTS.items() for w in workers
                for c in COSTS for n in NAMES for s in args.seeds if (n, c, w, s, v) not in have
                and (args.variants is None or v in args.variants)
                and (args.workers is None or w in args.workers)]
        for v in {j[4] for j in jobs}:
            _sampler(v)  # stops before any run if a variant's switch is gone
        start, prov = time.time(), provenance()
        data["rows"] += Parallel(n_jobs=2)(delayed(by_name.one)(*j) for j in jobs)
        data["calls"].append({"command": " ".join(["python"] + sys.argv), "jobs": len(jobs),
                              "seconds": round(time.time() - start), "provenance": prov,
                              "variants": sorted({j[4] for j in jobs})})
        with open(OUT, "w") as fh:
            json.dump(data, fh)
    for variant in VARIANTS:
        if variant != "shipped":
            base = BASE.get(variant, "shipped")
            print(f"### {variant} against {'the shipped search' if base == 'shipped' else base}\n")
            print(report(data["rows"], variant, base) + "\n")
            if variant == "scored-startup":
                print("Runs trapped (regret above ten times the cell's median):\n")
                print(trapped(data["rows"], variant, base) + "\n")


if __name__ == "__main__":
    main()
