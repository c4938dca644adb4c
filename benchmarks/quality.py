"""Search quality: methods x problems x seeds, best-so-far curves and ranks.

Every (problem, method, seed) run is an independent joblib job (2 processes
by default). A run evaluates ``--budget`` trials; its best-so-far curve is
read at 10/25/50/100 trials. Reported per problem: mean and std over seeds of
the best score so far, the held-out test score of the refitted best estimator
(real tasks), mean rank of the methods per budget across problems, and how
many trials each method needs for its mean best-so-far to reach random
search's mean best at the full budget (median over problems).

Raw runs go to ``benchmarks/results/raw/quality*.json`` (git-ignored), the
summary to ``benchmarks/results/quality*.json`` and plots to ``docs/_static/``.

    python benchmarks/quality.py                   # 10 seeds synthetic, 3 real, 100 trials
    python benchmarks/quality.py --quick           # 3 / 1 seeds, 30 trials
    python benchmarks/quality.py --tasks hartmann6 branin --methods tpe optuna --seeds 20
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per job: 2 jobs on 2 cores

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from scipy.stats import rankdata  # noqa: E402

from methods import METHODS, NotApplicable, available, run  # noqa: E402
from objectives import OBJECTIVES  # noqa: E402
from tasks import TASKS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUDGETS = [10, 25, 50, 100]
DEFAULT_METHODS = ["tpe", "random", "optuna", "hyperopt"]  # skopt: opt-in, slow


def _problem(name):
    return OBJECTIVES[name] if name in OBJECTIVES else TASKS[name]


def _job(problem, method, budget, seed):
    try:
        out = run(method, _problem(problem), budget, seed)
    except NotApplicable as e:
        return {"problem": problem, "method": method, "seed": seed, "skipped": str(e)}
    return {"problem": problem, "method": method, "seed": seed, **out}


def sktpe_fingerprint():
    """Hash of the sktpe sources benchmarked (the package may be uncommitted)."""
    import hashlib

    import sktpe

    d = os.path.dirname(sktpe.__file__)
    h = hashlib.sha256()
    for f in sorted(os.listdir(d)):
        if f.endswith(".py"):
            with open(os.path.join(d, f), "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()[:12]


def best_so_far(scores):
    s = np.asarray(scores, dtype=float)
    return np.maximum.accumulate(np.where(np.isfinite(s), s, -np.inf))


# -- summary --------------------------------------------------------------------------
def summarise(runs, budget):
    """Per-problem statistics, mean ranks and trials-to-random's-best."""
    budgets = [b for b in BUDGETS if b <= budget] + ([budget] if budget not in BUDGETS else [])
    problems = list(dict.fromkeys(r["problem"] for r in runs))
    methods = list(dict.fromkeys(r["method"] for r in runs))
    per = {}
    for p in problems:
        per[p] = {"synthetic": p in OBJECTIVES, "methods": {}}
        for m in methods:
            rs = [r for r in runs if r["problem"] == p and r["method"] == m and "scores" in r]
            if not rs:
                continue
            curves = np.array([best_so_far(r["scores"]) for r in rs])
            test = [r["test_score"] for r in rs if r["test_score"] is not None]
            per[p]["methods"][m] = {
                "n_seeds": len(rs),
                "mean_curve": curves.mean(axis=0).tolist(),
                "std_curve": curves.std(axis=0).tolist(),
                "best_at": {str(b): [float(curves[:, b - 1].mean()), float(curves[:, b - 1].std())]
                            for b in budgets},
                "test": [float(np.mean(test)), float(np.std(test))] if test else None,
                "seconds": float(np.mean([r["seconds"] for r in rs])),
            }
    ranks = {str(b): {m: [] for m in methods} for b in budgets}
    for p in problems:
        ms = per[p]["methods"]
        for b in budgets:
            names = list(ms)
            r = rankdata([-ms[m]["best_at"][str(b)][0] for m in names])  # 1 = best, ties averaged
            for m, v in zip(names, r):
                ranks[str(b)][m].append(float(v))
    mean_rank = {b: {m: float(np.mean(v)) for m, v in d.items() if v} for b, d in ranks.items()}
    reach = {}
    for m in methods:
        need = {}
        for p in problems:
            ms = per[p]["methods"]
            if m not in ms or "random" not in ms:
                continue
            target = ms["random"]["best_at"][str(budget)][0]
            hit = np.flatnonzero(np.asarray(ms[m]["mean_curve"]) >= target - 1e-12)
            need[p] = int(hit[0]) + 1 if len(hit) else None  # None: not within the budget
        vals = [budget * 10 if v is None else v for v in need.values()]  # "never" sorts last
        med = float(np.median(vals)) if vals else None
        reach[m] = {"per_problem": need, "median": med if med is None or med <= budget else None}
    return {"budget": budget, "budgets": budgets, "problems": per, "mean_rank": mean_rank,
            "trials_to_random_best": reach}


def tables_md(summary):
    """Markdown tables of a summary (also printed by this script)."""
    out = []
    budgets = summary["budgets"]
    for p, d in summary["problems"].items():
        kind = "synthetic, score maximised" if d["synthetic"] else "real task, mean CV score"
        out += [f"\n**{p}** ({kind})\n", "| method | " + " | ".join(f"best@{b}" for b in budgets)
                + (" | test score" if not d["synthetic"] else "") + " | s/run |",
                "|---" * (len(budgets) + 2 + (not d["synthetic"])) + "|"]
        for m, s in d["methods"].items():
            cells = [f"{s['best_at'][str(b)][0]:.4g} ± {s['best_at'][str(b)][1]:.2g}" for b in budgets]
            if not d["synthetic"]:
                cells.append(f"{s['test'][0]:.4g} ± {s['test'][1]:.2g}" if s["test"] else "")
            out.append(f"| {m} | " + " | ".join(cells) + f" | {s['seconds']:.1f} |")
    mr = summary["mean_rank"]
    methods = list(next(iter(mr.values())))
    out += ["\n**Mean rank across problems** (1 = best)\n",
            "| method | " + " | ".join(f"@{b}" for b in mr) + " |", "|---" * (len(mr) + 1) + "|"]
    out += [f"| {m} | " + " | ".join(f"{mr[b].get(m, float('nan')):.2f}" for b in mr) + " |" for m in methods]
    reach = summary["trials_to_random_best"]
    probs = list(summary["problems"])
    out += [f"\n**Trials needed to reach random search's mean best at {summary['budget']}** "
            "(mean best-so-far curve; '-' = not reached)\n",
            "| method | median | " + " | ".join(probs) + " |", "|---" * (len(probs) + 2) + "|"]
    for m, r in reach.items():
        cells = [str(r["per_problem"].get(p) or "-") for p in probs]
        out.append(f"| {m} | {r['median'] if r['median'] is not None else '-'} | " + " | ".join(cells) + " |")
    return "\n".join(out)


# -- plots -----------------------------------------------------------------------------
def plot(summary, path_curves, path_ranks):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    probs = list(summary["problems"])
    cols = min(4, len(probs))
    rows = -(-len(probs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows), squeeze=False)
    for ax, p in zip(axes.flat, probs):
        d = summary["problems"][p]
        for m, s in d["methods"].items():
            mean, std, n = (np.asarray(s[k]) for k in ("mean_curve", "std_curve", "n_seeds"))
            x = np.arange(1, len(mean) + 1)
            if d["synthetic"]:  # simple regret on a log scale
                y = np.maximum(OBJECTIVES[p].optimum - mean, 1e-4)
                ax.set_yscale("log")
                ax.set_ylabel("regret (optimum - best)")
            else:
                y = mean
                ax.set_ylabel("best mean CV score")
            ax.plot(x, y, label=m)
            if not d["synthetic"]:
                se = std / np.sqrt(n)
                ax.fill_between(x, y - se, y + se, alpha=0.2)
        if not d["synthetic"]:
            lo = min(np.asarray(s["mean_curve"])[min(9, len(s["mean_curve"]) - 1)]
                     for s in d["methods"].values())
            hi = max(max(s["mean_curve"]) for s in d["methods"].values())
            ax.set_ylim(lo - 0.1 * (hi - lo + 1e-9), hi + 0.1 * (hi - lo + 1e-9))
        ax.set_title(p)
        ax.set_xlabel("trial")
    for ax in axes.flat[len(probs):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path_curves, dpi=90)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 3.2))
    mr = summary["mean_rank"]
    for m in next(iter(mr.values())):
        ax.plot([int(b) for b in mr], [mr[b].get(m, np.nan) for b in mr], marker="o", label=m)
    ax.set_xlabel("trials")
    ax.set_ylabel("mean rank (1 = best)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path_ranks, dpi=90)
    plt.close(fig)


# -- main ------------------------------------------------------------------------------
def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="3 synthetic / 1 real seed, 30 trials")
    p.add_argument("--tasks", nargs="+", default=list(OBJECTIVES) + list(TASKS))
    p.add_argument("--methods", nargs="+", default=DEFAULT_METHODS, choices=METHODS)
    p.add_argument("--seeds", type=int, default=None, help="seeds for synthetic problems (10)")
    p.add_argument("--real-seeds", type=int, default=None, help="seeds for real tasks (3)")
    p.add_argument("--budget", type=int, default=None, help="trials per run (100)")
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--tag", default=None, help="suffix of the output files")
    args = p.parse_args(argv)
    quick = args.quick
    seeds = args.seeds or (3 if quick else 10)
    real_seeds = args.real_seeds or (1 if quick else 3)
    budget = args.budget or (30 if quick else 100)
    tag = args.tag or ("quick" if quick else "")
    suffix = f"_{tag}" if tag else ""
    methods = available(args.methods)
    skipped = sorted(set(args.methods) - set(methods))
    if skipped:
        print(f"not installed, skipped: {skipped}")
    unknown = [t for t in args.tasks if t not in OBJECTIVES and t not in TASKS]
    if unknown:
        p.error(f"unknown tasks {unknown}; choose from {list(OBJECTIVES) + list(TASKS)}")
    jobs = [(t, m, s) for t in args.tasks for m in methods
            for s in range(real_seeds if t in TASKS else seeds)]
    jobs.sort(key=lambda j: (j[0] in OBJECTIVES, j[1] == "random"))  # slow jobs first
    print(f"{len(jobs)} runs of {budget} trials on {args.n_jobs} processes ...", flush=True)
    t0 = time.perf_counter()
    runs = Parallel(n_jobs=args.n_jobs, verbose=0)(delayed(_job)(t, m, budget, s) for t, m, s in jobs)
    wall = time.perf_counter() - t0
    print(f"done in {wall:.0f}s")
    order = {t: i for i, t in enumerate(args.tasks)}
    runs = sorted((r for r in runs if "skipped" not in r), key=lambda r: order[r["problem"]])
    summary = summarise(runs, budget)
    summary.update(wall_seconds=wall, seeds=seeds, real_seeds=real_seeds, methods=methods,
                   sktpe_source=sktpe_fingerprint(),
                   command="python benchmarks/quality.py " + " ".join(argv if argv is not None else os.sys.argv[1:]))
    os.makedirs(os.path.join(HERE, "results", "raw"), exist_ok=True)
    with open(os.path.join(HERE, "results", "raw", f"quality{suffix}.json"), "w") as fh:
        json.dump(runs, fh)
    with open(os.path.join(HERE, "results", f"quality{suffix}.json"), "w") as fh:
        small = {**summary, "problems": {
            k: {**v, "methods": {m: {kk: vv for kk, vv in s.items() if "curve" not in kk}
                                 for m, s in v["methods"].items()}}
            for k, v in summary["problems"].items()}}
        json.dump(small, fh, indent=1)
    static = os.path.join(ROOT, "docs", "_static")
    os.makedirs(static, exist_ok=True)
    plot(summary, os.path.join(static, f"bench_curves{suffix}.png"),
         os.path.join(static, f"bench_ranks{suffix}.png"))
    print(tables_md(summary))
    return summary


if __name__ == "__main__":
    main()
