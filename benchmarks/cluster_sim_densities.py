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

``python benchmarks/cluster_sim_densities.py`` (about 5 minutes on 2 cores)
prints those tables as Markdown and writes
``benchmarks/results/cluster_sim_densities.json``.

``python benchmarks/cluster_sim_densities.py sweep`` (about 12 minutes) is
the tuning step of a rule "independent densities when many trials are
pending": the tuning objectives only, 256 candidates, asynchronous at 4, 8,
16, 32 and 64 workers, seeds 400-449, both density models, and the number of
trials pending at each model-based ask (about a quarter of the workers). Per
worker count: a paired Wilcoxon test per objective (Holm over the 30 cells)
and the pooled normalised difference (mean difference over the spread of
both models' regrets, Wilcoxon over the 6 objectives). It writes
``benchmarks/results/cluster_sim_threshold.json``.

``python benchmarks/cluster_sim_densities.py rule`` (about 4 minutes, after
``sweep``) runs the rule chosen from the sweep and shipped as
``multivariate='auto'`` (independent from 8 pending trials) at 16, 32 and 64
workers on the same seeds, beside the sweep's two models; it writes
``benchmarks/results/cluster_sim_rule.json``.

``python benchmarks/cluster_sim_densities.py alternatives`` (about 15
minutes, after ``rule``) tries three rules that keep some joint proposals when
many trials are pending, on the same tuning objectives, workers (32, 64) and
seeds: ``alternate`` (every other such ask joint), ``late-joint`` (the
shipped rule for the first half of the budget, joint after) and
``alternate-4`` (every fourth such ask joint). Each is paired
with the shipped rule and with the joint model. On conditional and boosting
at 256 workers (the simulator's seeds 0-19, for information only: where the
shipped rule lost its lead over the waves), each is set beside the shipped
search's and the waves' runs stored in ``cluster_sim.json``. It writes
``benchmarks/results/cluster_sim_alternatives.json``.

``python benchmarks/cluster_sim_densities.py alternatives-conditional``
(after ``alternatives``, about 4 minutes) runs two more tuning objectives,
``kernels3`` and ``kernels3_wide``, conditional spaces (an SVC-like choice
of kernel), where none of the six is conditional: the shipped rule, the
joint model and the rules tried, at 32 and 64 workers on the same seeds;
then pools every rule over the eight. It writes
``benchmarks/results/cluster_sim_alternatives_conditional.json``.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
from collections import defaultdict

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import loguniform, randint, uniform
from sklearn.model_selection import ParameterSampler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)

import cluster_sim as cs  # noqa: E402
import synthetic  # noqa: E402
from cluster_problems import Problem  # noqa: E402
from cluster_sim_equal_time import normalised_difference  # noqa: E402
from cluster_sim_report import final_regret, holm, paired_p  # noqa: E402
from provenance import provenance  # noqa: E402

from sktpe import TPESampler  # noqa: E402

VARIANTS = {"joint": {"multivariate": True}, "independent": {"multivariate": False},
            "auto": {"multivariate": "auto"}}
MODELS = ("joint", "independent")  # compared by the exploration and the sweep
TUNING = ("hartmann3", "ackley5", "levy6", "styblinski4", "rosenbrock4", "intcat")
#: (workers, candidates) of the tuning objectives' runs
SETTINGS = ((1, 256), (16, 64), (64, 256))
TUNING_SEEDS = range(400, 420)
REPORTED_SEEDS = range(400, 440)
RESULTS = os.path.join(HERE, "results", "cluster_sim_densities.json")
SWEEP_WORKERS = (4, 8, 16, 32, 64)
SWEEP_SEEDS = range(400, 450)
SWEEP_RESULTS = os.path.join(HERE, "results", "cluster_sim_threshold.json")
RULE_WORKERS = (16, 32, 64)
RULE_RESULTS = os.path.join(HERE, "results", "cluster_sim_rule.json")
ALTERNATIVES = ("alternate", "late-joint", "alternate-4")
#: how often an ask with many trials pending is joint, for the alternating rules
ALTERNATE_EVERY = {"alternate": 2, "alternate-4": 4}
ALT_WORKERS = (32, 64)
ALT_RESULTS = os.path.join(HERE, "results", "cluster_sim_alternatives.json")
ALT_CONDITIONAL_RESULTS = os.path.join(HERE, "results", "cluster_sim_alternatives_conditional.json")
#: the simulator's problems where the shipped rule lost its lead over the waves at 256 workers
ALT_REPORTED = ("conditional", "boosting")
ALT_256_SEEDS = range(20)  # the simulator's report seeds


def kernels3(p: dict, width: float = 1.0) -> float:
    """A conditional tuning objective shaped like an SVC's choice of kernel; maximum 1.0.

    ``linear``: a broad plateau, at most 0.6. ``rbf``: a smooth bump of
    ``log10 C`` and ``log10 gamma``, at most 0.9. ``poly``: the narrow best
    peak, at ``log10 C = -1``, ``coef0 = 0.3`` and ``degree = 4``, 0.015 lost
    per squared step of ``degree``; ``width`` widens it (its squared widths
    in ``log10 C`` and ``coef0`` are 0.5 and 0.01 times ``width``). (Written
    for choosing how many trials in flight switch the densities, as a tuning
    problem with the structure of the simulator's reported ``conditional``:
    a best branch holding an integer next to a narrow continuous peak.)
    """
    lc = math.log10(p["C"])
    if p["kernel"] == "linear":
        return 0.6 - 0.02 * lc ** 2
    if p["kernel"] == "rbf":
        return 0.9 * math.exp(-((lc - 2) ** 2 / 2 + (math.log10(p["gamma"]) + 3) ** 2))
    bump = ((lc + 1) ** 2 / 0.5 + (p["coef0"] - 0.3) ** 2 / 0.01) / width
    return math.exp(-bump) - 0.015 * (p["degree"] - 4) ** 2


def kernels3_wide(p: dict) -> float:
    """``kernels3`` with the polynomial peak 4 times wider (squared): found more often, so that
    refining ``degree`` there decides more runs."""
    return kernels3(p, width=4.0)


_C = loguniform(1e-3, 1e3)
_KERNELS3 = [
    {"kernel": ["linear"], "C": _C},
    {"kernel": ["rbf"], "C": _C, "gamma": loguniform(1e-5, 1e1)},
    {"kernel": ["poly"], "C": _C, "degree": randint(1, 9), "coef0": uniform(0, 1)},
]
#: Conditional tuning objectives of this script (beside ``synthetic.py``'s): function, space, optimum.
CONDITIONAL_TUNING = {
    "kernels3": (kernels3, _KERNELS3, 1.0),
    "kernels3_wide": (kernels3_wide, _KERNELS3, 1.0),
}


@functools.lru_cache(maxsize=None)
def tuning_problem(name: str) -> Problem:
    """A tuning objective as a simulated problem: fold noise a tenth of its prior spread
    (computed once per process)."""
    if name in CONDITIONAL_TUNING:
        f, space, optimum = CONDITIONAL_TUNING[name]
    else:
        f, space, optimum = synthetic.FUNCS[name], synthetic.SPACES[name], synthetic.OPTIMA[name]
    spread = float(np.std([f(p) for p in ParameterSampler(space, 300, random_state=0)]))
    return Problem(name, space, f, optimum, 0.1 * spread, lambda p: 0.1)


class _Counting(TPESampler):
    """TPESampler that records how many trials are pending at each model-based ask."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.pending_at_ask: list[int] = []

    def ask(self, n_candidates: int = 1) -> list[dict]:
        if len(self.params_) >= self.n_startup_trials:
            self.pending_at_ask.append(self.n_pending)
        return super().ask(n_candidates)


class _Alternating(_Counting):
    """The shipped rule, except that every ``every``-th ask with many trials pending is joint."""

    n_many = 0  # asks so far with many trials pending
    every = 2

    def _joint_now(self) -> bool:
        """Joint with few trials pending; with many, on every ``every``-th such ask."""
        if self.n_pending < self._independent_from_pending:
            return True
        self.n_many += 1
        return self.n_many % self.every == 0


class _LateJoint(_Counting):
    """The shipped rule for the first half of the budget (``n_iter``), joint densities after."""

    n_iter = 0  # the run's budget, set by ``run`` before the first ask

    def _joint_now(self) -> bool:
        """Joint once half the budget has been asked for; before, as the shipped rule."""
        assert self.n_iter > 0, "set n_iter before asking"
        return len(self.params_) >= self.n_iter / 2 or super()._joint_now()


def run(problem: Problem, variant: str, workers: int, n_iter: int, seed: int) -> tuple[float, list[int]]:
    """Optimum minus the best true value among the ``n_iter`` candidates of one run, and the
    number of pending trials at each model-based ask."""
    cluster = cs.Cluster(workers)
    best = [-np.inf]
    samplers: list[_Counting] = []

    def settle(params: dict) -> None:
        best[0] = max(best[0], problem.true(params))

    def make(*args: object, **kwargs: object) -> _Counting:
        if variant in ALTERNATE_EVERY:
            samplers.append(_Alternating(*args, **kwargs))
            samplers[-1].every = ALTERNATE_EVERY[variant]
        elif variant == "late-joint":
            samplers.append(_LateJoint(*args, **kwargs))
            samplers[-1].n_iter = n_iter
        else:
            samplers.append(_Counting(*args, **kwargs, **VARIANTS[variant]))
        return samplers[-1]

    cs.run_sktpe(problem, workers, seed, n_iter, workers > 1, cluster, settle, sampler_cls=make)
    return float(problem.optimum - best[0]), samplers[0].pending_at_ask


def regret(problem: Problem, variant: str, workers: int, n_iter: int, seed: int) -> float:
    """Optimum minus the best true value among the ``n_iter`` candidates of one run."""
    return run(problem, variant, workers, n_iter, seed)[0]


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
    L = ["| problem | workers | candidates | mean regret, joint | independent "
         "| seeds independent lower / higher |", "|---|---:|---:|---:|---:|---|"]
    for (name, w, n), v in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        a, b = np.array(v["joint"]), np.array(v["independent"])
        L.append(f"| {name} | {w} | {n} | {a.mean():.4g} | {b.mean():.4g} | "
                 f"{int((b < a).sum())} / {int((b > a).sum())} |")
    return L


def _sweep_job(name: str, variant: str, workers: int, seed: int) -> dict:
    r, pending = run(tuning_problem(name), variant, workers, 256, seed)
    return {"problem": name, "variant": variant, "workers": workers, "seed": seed, "regret": r,
            "pending_median": float(np.median(pending)), "pending_min": int(min(pending)),
            "pending_max": int(max(pending))}


def sweep_table(rows: list[dict]) -> list[str]:
    """Markdown: per worker count and objective, both models' mean regret, seeds, Holm p; then
    the pooled normalised difference per worker count."""
    cells: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    pend: dict[int, list[float]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["seed"]):
        cells[(r["workers"], r["problem"])][r["variant"]].append(r["regret"])
        pend[r["workers"]].append(r["pending_median"])
    keys = sorted(cells)
    adj = holm([paired_p(cells[k]["joint"], cells[k]["independent"]) for k in keys])
    L = ["| workers | problem | mean regret, joint | independent | seeds independent lower / higher "
         "| p (Holm) |", "|---:|---|---:|---:|---|---:|"]
    for k, p in zip(keys, adj):
        a, b = np.array(cells[k]["joint"]), np.array(cells[k]["independent"])
        L.append(f"| {k[0]} | {k[1]} | {a.mean():.4g} | {b.mean():.4g} | "
                 f"{int((b < a).sum())} / {int((b > a).sum())} | {p:.2g} |")
    L += ["", "| workers | pending trials at an ask (median of runs' medians) | pooled normalised "
          "difference, independent minus joint | objectives independent lower / higher | p |",
          "|---:|---:|---:|---|---:|"]
    reg = _regrets(rows)
    for w in sorted(pend):
        names = tuple(sorted({name for ww, name in keys if ww == w}))
        z, p, per = _pooled_against(reg, w, names, "independent", "joint")
        zz = np.array([x[0] for x in per])
        L.append(f"| {w} | {np.median(pend[w]):g} | {z:+.2f} | {int((zz < 0).sum())} / "
                 f"{int((zz > 0).sum())} | {p:.2g} |")
    return L


def _in_workers(job: str, jobs: list[tuple]) -> list[dict]:
    """``job`` (a function of this module, by name) over ``jobs`` on 2 processes. The workers
    import this module by name: a function pickled from ``__main__`` would not find
    ``tuning_problem`` there."""
    import cluster_sim_densities as by_name

    return Parallel(n_jobs=2)(delayed(getattr(by_name, job))(*j) for j in jobs)


def _save(path: str, rows: list[dict]) -> None:
    """Write a results file of this script: its provenance and its rows."""
    with open(path, "w") as fh:
        json.dump({"provenance": provenance(), "rows": rows}, fh)


def _load(path: str) -> list[dict]:
    """The rows of a results file written by :func:`_save`."""
    with open(path) as fh:
        return json.load(fh)["rows"]


def sweep() -> None:
    """The tuning sweep over worker counts (see the module docstring)."""
    jobs = [(name, v, w, s) for w in SWEEP_WORKERS for name in TUNING for v in MODELS
            for s in SWEEP_SEEDS]
    rows = _in_workers("_sweep_job", jobs)
    _save(SWEEP_RESULTS, rows)
    print("\n".join(sweep_table(rows)))


def rule_table(sweep_rows: list[dict], rule_rows: list[dict]) -> list[str]:
    """Markdown: the shipped rule ('auto') beside both models of the sweep, per worker count and
    objective, and its pooled normalised difference against the joint model."""
    reg = _regrets(sweep_rows + rule_rows)
    L = ["| workers | problem | mean regret, joint | independent | 'auto' | seeds 'auto' equal to "
         "joint / lower / higher |", "|---:|---|---:|---:|---:|---|"]
    for w, name in sorted({(r["workers"], r["problem"]) for r in rule_rows}):
        seeds = sorted(reg[(w, name, "auto")])
        a, i, r = (np.array([reg[(w, name, v)][s] for s in seeds]) for v in ("joint", "independent", "auto"))
        L.append(f"| {w} | {name} | {a.mean():.4g} | {i.mean():.4g} | {r.mean():.4g} | "
                 f"{int((r == a).sum())} / {int((r < a).sum())} / {int((r > a).sum())} |")
    L += ["", "| workers | pooled normalised difference, 'auto' minus joint | objectives lower / higher "
          "| p |", "|---:|---:|---|---:|"]
    for w in sorted({r["workers"] for r in rule_rows}):
        names = tuple(sorted({r["problem"] for r in rule_rows if r["workers"] == w}))
        z, p, per = _pooled_against(reg, w, names, "auto", "joint")
        zz = np.array([x[0] for x in per])
        L.append(f"| {w} | {z:+.2f} | {int((zz < 0).sum())} / {int((zz > 0).sum())} | {p:.2g} |")
    return L


def _regrets(rows: list[dict]) -> dict[tuple, dict[int, float]]:
    """Regret of each run, by (workers, problem, variant) and then seed."""
    reg: dict[tuple, dict[int, float]] = defaultdict(dict)
    for r in rows:
        reg[(r["workers"], r["problem"], r["variant"])][r["seed"]] = r["regret"]
    return reg


def rule() -> None:
    """The shipped rule at 16, 32 and 64 workers on the sweep's seeds (see the module docstring)."""
    jobs = [(name, "auto", w, s) for w in RULE_WORKERS for name in TUNING for s in SWEEP_SEEDS]
    rows = _in_workers("_sweep_job", jobs)
    _save(RULE_RESULTS, rows)
    print("\n".join(rule_table(_load(SWEEP_RESULTS), rows)))


def _pooled_against(reg: dict, w: int, names: tuple, variant: str, base: str) -> tuple[float, float, list]:
    """Pooled normalised difference ``variant`` minus ``base`` at ``w`` workers over ``names``,
    its Wilcoxon p over them, and per name (difference, seeds lower, seeds higher)."""
    per = []
    for name in names:
        seeds = sorted(reg[(w, name, variant)])
        a = np.array([reg[(w, name, variant)][s] for s in seeds])
        b = np.array([reg[(w, name, base)][s] for s in seeds])
        per.append((normalised_difference(a, b), int((a < b).sum()), int((a > b).sum())))
    z = np.array([x[0] for x in per])
    return float(z.mean()), paired_p(z, np.zeros_like(z)), per


def alternatives_table(rows: list[dict]) -> list[str]:
    """Markdown: each rule tried against the shipped one ('auto') and the joint model, pooled and
    per objective; then the simulator's problems at 256 workers."""
    reg = _regrets(rows)
    L = ["| rule | workers | against | pooled | p | per objective: difference (seeds lower / higher) |",
         "|---|---:|---|---:|---:|---|"]
    for v in ALTERNATIVES:
        for w in ALT_WORKERS:
            for base in ("auto", "joint"):
                z, p, per = _pooled_against(reg, w, TUNING, v, base)
                cells = ", ".join(f"{n} {d:+.2f} ({lo}/{hi})" for n, (d, lo, hi) in zip(TUNING, per))
                L.append(f"| {v} | {w} | {base} | {z:+.2f} | {p:.2g} | {cells} |")
    L += ["", "| problem (256 workers, 1024 candidates) | mean regret, 'auto' (asynchronous) | "
          + " | ".join(ALTERNATIVES) + " | the waves | runs above 0.01 regret, in the same order |",
          "|---|---:|" + "---:|" * len(ALTERNATIVES) + "---:|---|"]
    for name in ALT_REPORTED:
        got = [np.array([reg[(256, name, v)][s] for s in ALT_256_SEEDS])
               for v in ("sktpe-async", *ALTERNATIVES, "sktpe-waves")]
        high = " / ".join(str(int((x > 0.01).sum())) for x in got)
        L.append(f"| {name} | " + " | ".join(f"{x.mean():.3g}" for x in got) + f" | {high} |")
    return L


def _stored_256() -> list[dict]:
    """The shipped search's runs at 256 workers (seeds 0-19) from ``cluster_sim.json``, as rows
    of this script: final regret, by method."""
    with open(cs.RESULTS) as fh:
        runs = json.load(fh)["runs"]
    return [{"problem": r["problem"], "variant": r["method"], "workers": 256, "seed": r["seed"],
             "regret": final_regret(r)} for r in runs
            if r["workers"] == 256 and r["problem"] in ALT_REPORTED
            and r["method"] in ("sktpe-async", "sktpe-waves") and r["seed"] in ALT_256_SEEDS]


def _alt_job(name: str, variant: str, workers: int, seed: int) -> dict:
    """A run of ``_sweep_job``'s kind, or on a simulator problem at 256 workers (``n_iter_for``)."""
    if workers != 256:
        return _sweep_job(name, variant, workers, seed)
    r = regret(cs.PROBLEMS[name], variant, workers, cs.n_iter_for(workers), seed)
    return {"problem": name, "variant": variant, "workers": workers, "seed": seed, "regret": r}


def alternatives() -> None:
    """The rules tried beside the shipped one (see the module docstring)."""
    jobs = [(name, v, w, s) for v in ALTERNATIVES for w in ALT_WORKERS for name in TUNING
            for s in SWEEP_SEEDS]
    jobs += [(name, v, 256, s) for v in ALTERNATIVES for name in ALT_REPORTED for s in ALT_256_SEEDS]
    rows = _in_workers("_alt_job", jobs)
    _save(ALT_RESULTS, rows)
    known = _load(SWEEP_RESULTS) + _load(RULE_RESULTS) + _stored_256()
    print("\n".join(alternatives_table(known + rows)))


def conditional_table(rows: list[dict], known: list[dict]) -> list[str]:
    """Markdown: every rule on each objective of ``CONDITIONAL_TUNING``; then each rule against the
    shipped one and the joint model, per conditional objective and pooled over the 6 objectives of
    ``TUNING`` and the conditional ones."""
    reg = _regrets(known + rows)
    rules = ("auto", "joint", *ALTERNATIVES)
    conditional = tuple(CONDITIONAL_TUNING)
    L = ["| objective | workers | " + " | ".join(f"mean regret, {v}" for v in rules)
         + " | runs above 0.01 regret, in the same order |",
         "|---|---:|" + "---:|" * len(rules) + "---|"]
    for name in conditional:
        for w in ALT_WORKERS:
            got = [np.array(list(reg[(w, name, v)].values())) for v in rules]
            L.append(f"| {name} | {w} | " + " | ".join(f"{x.mean():.3g}" for x in got) + " | "
                     + " / ".join(str(int((x > 0.01).sum())) for x in got) + " |")
    names = (*TUNING, *conditional)
    L += ["", "| rule | workers | against | " + " | ".join(f"{n}: difference (seeds lower / higher)"
                                                        for n in conditional)
          + f" | pooled over {len(names)} objectives | p | objectives lower / higher |",
          "|---|---:|---|" + "---|" * len(conditional) + "---:|---:|---|"]
    for v, base in (("auto", "joint"), *((a, b) for a in ALTERNATIVES for b in ("auto", "joint"))):
        for w in ALT_WORKERS:
            z, p, per = _pooled_against(reg, w, names, v, base)
            zz = np.array([x[0] for x in per])
            cells = " | ".join(f"{d:+.2f} ({lo}/{hi})" for d, lo, hi in per[len(TUNING):])
            L.append(f"| {v} | {w} | {base} | {cells} | {z:+.2f} | {p:.2g} | "
                     f"{int((zz < 0).sum())} / {int((zz > 0).sum())} |")
    return L


def alternatives_conditional() -> None:
    """The shipped rule, the joint model and the rules tried on ``CONDITIONAL_TUNING`` (see the
    module docstring)."""
    jobs = [(name, v, w, s) for name in CONDITIONAL_TUNING for v in ("auto", "joint", *ALTERNATIVES)
            for w in ALT_WORKERS for s in SWEEP_SEEDS]
    rows = _in_workers("_sweep_job", jobs)
    _save(ALT_CONDITIONAL_RESULTS, rows)
    known = [r for path in (SWEEP_RESULTS, RULE_RESULTS, ALT_RESULTS) for r in _load(path)
             if r["workers"] in ALT_WORKERS]
    print("\n".join(conditional_table(rows, known)))


def main() -> None:
    """Run every setting, save the rows, print both tables."""
    jobs = [("tuning", name, v, w, n, s) for w, n in SETTINGS for name in TUNING for v in MODELS
            for s in TUNING_SEEDS]
    jobs += [("reported", name, v, 64, cs.n_iter_for(64), s) for name in cs.PROBLEMS for v in MODELS
             for s in REPORTED_SEEDS]
    rows = _in_workers("_job", jobs)
    _save(RESULTS, rows)
    print("\n".join(["Tuning objectives:", ""] + table(rows, "tuning")
                    + ["", "The simulator's problems (information only):", ""] + table(rows, "reported")))


if __name__ == "__main__":
    {"sweep": sweep, "rule": rule, "alternatives": alternatives,
     "alternatives-conditional": alternatives_conditional}.get(sys.argv[1] if sys.argv[1:] else "", main)()
