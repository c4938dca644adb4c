"""Search quality: methods x problems x seeds, with a cache so that only sktpe re-runs.

What is measured: for every problem, method and seed, the best score found
within 25, 50 and 100 trials. ``tpe`` is what users run, ``TPESearchCV(est,
space, n_iter=n, random_state=seed)`` with its defaults, end to end; because
its schedule depends on ``n_iter`` it runs once per budget. The peers (random
search, Optuna's and hyperopt's default TPE) do not know the budget, so one
100-trial run per seed gives all three budgets (its prefixes).

Seeds: synthetic problems use seeds 0-19, real tasks 0-4. Seeds 1000-1019 are
the tuning seeds on which sktpe's defaults are chosen (``benchmarks/ablation.py``);
they are never reported here.

Cache: every run is stored in ``benchmarks/results/runs/<problem>.json``
(git-tracked), per method, with a fingerprint of what it depends on: the
problem's definition, the method's driver version and library versions, and
for sktpe's methods the hash of ``sktpe/*.py``. A run whose fingerprint
matches is reused; so after a change in ``sktpe/``, ``python
benchmarks/quality.py`` re-runs only the ``tpe`` and ``tpe-sampler`` rows.
The summary (statistics, paired tests, provenance) goes to
``benchmarks/results/quality.json``; ``benchmarks/report.py`` turns it into
``docs/benchmarks.md``.

    python benchmarks/quality.py                     # refresh stale runs, summarise everything
    python benchmarks/quality.py --quick             # smoke: 3 / 1 seeds, budgets 10 and 25, own cache
    python benchmarks/quality.py --methods tpe --tasks hartmann6 branin
    python benchmarks/quality.py --synthetic-only    # skip the (slow) real tasks
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per job: 2 jobs on 2 cores

import argparse  # noqa: E402
import hashlib  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402

from methods import (BUDGET_DEPENDENT, DRIVER_VERSION, LIBRARY, METHODS,  # noqa: E402
                     SKTPE_METHODS, NotApplicable, available, run, to_dims)
from objectives import OBJECTIVES  # noqa: E402
from provenance import provenance, sktpe_fingerprint, version  # noqa: E402
from tasks import TASKS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
BUDGETS = [25, 50, 100]
SYNTH_SEEDS = list(range(20))
REAL_SEEDS = list(range(5))
TUNING_SEEDS = list(range(1000, 1020))  # sktpe's defaults are chosen on these: never reported
DEFAULT_METHODS = ["tpe", "tpe-sampler", "random", "optuna", "optuna-mv", "hyperopt"]
REAL_METHODS = ["tpe", "random", "optuna", "hyperopt", "skopt", "optuna-mv"]  # no tpe-sampler
COMPARE = ["optuna", "random", "hyperopt", "optuna-mv", "skopt"]  # paired tests of tpe against these
ALPHA = 0.05


def _problem(name):
    return OBJECTIVES[name] if name in OBJECTIVES else TASKS[name]


# -- fingerprints and cache --------------------------------------------------------------
def _space_sig(space):
    return repr(to_dims(space))


def problem_signature(name):
    """Text that changes when the problem's definition changes."""
    if name in OBJECTIVES:
        o = OBJECTIVES[name]
        return "\n".join([name, inspect.getsource(o.f), _space_sig(o.space), repr(o.optimum)])
    t = TASKS[name]
    return "\n".join([name, repr(t.estimator), _space_sig(t.space), inspect.getsource(t.load),
                      t.scoring, repr(t.cv), inspect.getsource(type(t).split)])


def fingerprint(name, method, _sktpe=[]):
    """12 hex digits over everything a (problem, method) run depends on."""
    parts = {"problem": problem_signature(name), "method": method,
             "driver": DRIVER_VERSION[method], "numpy": version("numpy"), "scipy": version("scipy"),
             "lib": version(LIBRARY[method])}
    if name in TASKS or method == "random":
        parts["sklearn"] = version("sklearn")
    if method in SKTPE_METHODS:
        if not _sktpe:
            _sktpe.append(sktpe_fingerprint())
        parts["sktpe_source"] = _sktpe[0]
        parts["sklearn"] = version("sklearn")
    if method == "optuna" or method == "optuna-mv":
        parts["lib"] = version("optuna")
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:12]


def _cache_file(runs_dir, name):
    return os.path.join(runs_dir, f"{name}.json")


def load_cache(runs_dir, name):
    try:
        with open(_cache_file(runs_dir, name)) as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {}


def save_cache(runs_dir, name, data):
    os.makedirs(runs_dir, exist_ok=True)
    tmp = _cache_file(runs_dir, name) + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(data, fh, separators=(",", ":"), sort_keys=True)
        fh.write("\n")
    os.replace(tmp, _cache_file(runs_dir, name))


def _compact(x):
    return None if x is None else (x if not np.isfinite(x) else float(f"{x:.10g}"))


def _job(name, method, budget, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = run(method, _problem(name), budget, seed)
        except NotApplicable as e:
            return name, method, budget, seed, {"skipped": str(e)}
    out["scores"] = [_compact(s) for s in out["scores"]]
    out["test_score"] = _compact(out["test_score"])
    out["seconds"] = round(out["seconds"], 3)
    return name, method, budget, seed, out


def _key(seed, budget):
    return f"{seed}:{budget}"


def run_budgets(method, budgets):
    return list(budgets) if method in BUDGET_DEPENDENT else [max(budgets)]


def _measured(_p=[]):
    """Short provenance stored with each cached (problem, method) entry."""
    if not _p:
        full = provenance()
        _p.append({k: full[k] for k in ("git_commit", "git_dirty", "sktpe_dirty", "sktpe_source", "date")})
    return _p[0]


def plan(problems, methods, seeds_of, budgets, runs_dir, force=()):
    """Jobs still to run: every run of a (problem, method) whose cached fingerprint changed
    (or is forced), and the runs missing from the others.

    The cache is not written here: a stale entry stays on disk until the first run that
    replaces it is back (``_store``), so a refresh that is stopped, or never run, loses
    nothing.
    """
    jobs = []
    for name in problems:
        cache = load_cache(runs_dir, name)
        for m in methods:
            entry = cache.get(m)
            fresh = entry is not None and entry.get("fingerprint") == fingerprint(name, m)
            have = entry["runs"] if fresh and m not in force else {}
            for s in seeds_of(name):
                for b in run_budgets(m, budgets):
                    if _key(s, b) not in have:
                        jobs.append((name, m, b, s))
    return jobs


def _store(runs_dir, name, method, key, out, anew=False):
    """Put one run into the cache; the first run back of a stale (problem, method), or ``anew``
    (the first of a forced one), starts its entry afresh."""
    cache = load_cache(runs_dir, name)
    fp = fingerprint(name, method)
    entry = cache.get(method)
    if anew or entry is None or entry.get("fingerprint") != fp:
        entry = cache[method] = {"fingerprint": fp, "measured": _measured(), "runs": {}}
    entry["runs"][key] = out
    save_cache(runs_dir, name, cache)


# -- statistics ----------------------------------------------------------------------------
def best_so_far(scores):
    s = np.asarray([np.nan if v is None else v for v in scores], dtype=float)
    return np.maximum.accumulate(np.where(np.isfinite(s), s, -np.inf))


def best_at(entry, method, seed, b):
    """Best score within b trials for one seed, or None if not run."""
    runs = entry["runs"]
    key = _key(seed, b) if method in BUDGET_DEPENDENT else _key(seed, max(int(k.split(":")[1]) for k in runs))
    r = runs.get(key)
    if r is None or "scores" not in r or len(r["scores"]) < b:
        return None
    return float(best_so_far(r["scores"])[b - 1])


def paired(a, b):
    """Wilcoxon signed-rank test of a vs b (paired by seed): p, mean diff, outcome W/T/L."""
    from scipy.stats import wilcoxon

    a, b = np.asarray(a, float), np.asarray(b, float)
    d = a - b
    if len(d) == 0:
        return None
    if np.allclose(d, 0, atol=1e-12):
        p, stat = 1.0, 0.0
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = wilcoxon(a, b)
        p, stat = float(res.pvalue), float(res.statistic)
    outcome = "T" if p >= ALPHA else ("W" if d.mean() > 0 else "L")
    return {"p": p, "statistic": stat, "mean_diff": float(d.mean()), "median_diff": float(np.median(d)),
            "n": int(len(d)), "outcome": outcome}


def summarise(problems, methods, seeds_of, budgets, runs_dir):
    """Per-problem statistics and paired tests from the cache (current fingerprints only)."""
    per, stale = {}, []
    for name in problems:
        cache = load_cache(runs_dir, name)
        synthetic = name in OBJECTIVES
        d = {"synthetic": synthetic, "seeds": seeds_of(name), "methods": {}, "compare": {}}
        if synthetic:
            d["optimum"] = OBJECTIVES[name].optimum
        for m in methods:
            entry = cache.get(m)
            if not entry or not entry["runs"]:
                continue
            if entry["fingerprint"] != fingerprint(name, m):
                stale.append(f"{name}/{m}")
                continue
            if any("skipped" in r for r in entry["runs"].values()):
                d["methods"][m] = {"skipped": next(r["skipped"] for r in entry["runs"].values() if "skipped" in r)}
                continue
            s = {"fingerprint": entry["fingerprint"], "measured": entry.get("measured"), "best": {}}
            for b in budgets:
                vals = {seed: best_at(entry, m, seed, b) for seed in seeds_of(name)}
                vals = {k: v for k, v in vals.items() if v is not None}
                if not vals:
                    continue
                v = np.array(list(vals.values()))
                s["best"][str(b)] = {"per_seed": {str(k): x for k, x in vals.items()}, "mean": float(v.mean()),
                                     "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
                                     "median": float(np.median(v)), "n": int(len(v))}
            B = max(budgets)
            longest = [entry["runs"].get(_key(seed, B)) for seed in seeds_of(name)]
            longest = [r for r in longest if r and "scores" in r and len(r["scores"]) >= B]
            if longest:
                curves = np.array([best_so_far(r["scores"])[:B] for r in longest])
                s["mean_curve"] = curves.mean(axis=0).tolist()
                s["std_curve"] = curves.std(axis=0).tolist()
                tests = [r["test_score"] for r in longest if r.get("test_score") is not None]
                s["test"] = ({"mean": float(np.mean(tests)), "std": float(np.std(tests, ddof=1)) if len(tests) > 1
                              else 0.0, "n": len(tests)} if tests else None)
                s["seconds"] = float(np.mean([r["seconds"] for r in longest]))
            d["methods"][m] = s
        per[name] = d  # its paired tests: restat
    for n in per:
        if per[n]["synthetic"]:
            per[n]["random_point_mean"] = _reference(n, runs_dir)
    return restat({"budgets": budgets, "problems": per, "stale": stale})


def restat(summary: dict) -> dict:
    """The tests of a summary, from its per-seed results (in place; also for a summary
    stored by an earlier version, whose tests were uncorrected).

    Each cell (problem, budget) is a paired Wilcoxon by seed of TPESearchCV against a
    peer, Holm-corrected over every cell of that peer; the pooled test is over the
    synthetic problems (each problem's mean over its seeds), not over (problem, seed)
    pairs as if they were independent, Holm-corrected over the budgets.
    """
    from heldout_report import holm

    per, budgets = summary["problems"], summary["budgets"]
    for ref in COMPARE:
        cells = []
        for d in per.values():
            ms = d["methods"]
            if "best" not in ms.get("tpe", {}) or "best" not in ms.get(ref, {}):
                continue
            d["compare"][ref] = {}
            for b in map(str, budgets):
                if b not in ms["tpe"]["best"] or b not in ms[ref]["best"]:
                    continue
                x, y = ms["tpe"]["best"][b]["per_seed"], ms[ref]["best"][b]["per_seed"]
                common = [k for k in x if k in y]
                c = paired([x[k] for k in common], [y[k] for k in common])
                d["compare"][ref][b] = c
                if c:
                    cells.append(c)
        _holm_outcomes(cells, holm)
    summary["pooled"] = pooled(per, budgets, holm)
    summary["wtl"] = wtl(per, budgets)
    return summary


def _holm_outcomes(tests: list[dict], holm) -> None:
    """Holm-correct the p of ``tests`` (one family), in place; the raw p is kept as p_raw."""
    if not tests:
        return
    adj = holm([t["p"] for t in tests])
    for t, p in zip(tests, adj):
        t["p_raw"], t["p"] = t["p"], float(p)
        t["outcome"] = "T" if t["p"] >= ALPHA else ("W" if t["mean_diff"] > 0 else "L")


def _reference(name, runs_dir):
    """Mean score of a random point (all of random search's trials): regret normaliser."""
    entry = load_cache(runs_dir, name).get("random")
    if not entry:
        return None
    vals = [v for r in entry["runs"].values() for v in r.get("scores", []) if v is not None and np.isfinite(v)]
    return float(np.mean(vals)) if vals else None


def normalised_regret(per, name, m, b):
    d = per[name]
    opt, ref = d["optimum"], d.get("random_point_mean")
    if ref is None or m not in d["methods"] or str(b) not in d["methods"][m].get("best", {}):
        return None
    return {k: max(opt - v, 0.0) / (opt - ref) for k, v in d["methods"][m]["best"][str(b)]["per_seed"].items()}


def pooled(per, budgets, holm):
    """Paired test over the synthetic problems of normalised regret, tpe vs each peer: per
    problem, the mean over the seeds both ran; Wilcoxon over problems, Holm over budgets.

    Normalised regret = (optimum - best) / (optimum - mean score of a random point),
    clipped at 0 (``mixed`` is noisy): 0 is the optimum, 1 a typical random point. The
    mean regrets shown beside it are over every (problem, seed).
    """
    out = {}
    synth = [n for n, d in per.items() if d["synthetic"]]
    for b in budgets:
        out[str(b)] = {"mean_regret": {}, "vs": {}, "problems": synth}
        regrets = {}
        for m in {m for n in synth for m in per[n]["methods"]}:
            r = {}
            for n in synth:
                nr = normalised_regret(per, n, m, b)
                if nr:
                    r.update({(n, k): v for k, v in nr.items()})
            if r:
                regrets[m] = r
                out[str(b)]["mean_regret"][m] = {"mean": float(np.mean(list(r.values()))),
                                                 "median": float(np.median(list(r.values()))), "n": len(r)}
        for ref in COMPARE:
            if "tpe" not in regrets or ref not in regrets:
                continue
            common = [k for k in regrets["tpe"] if k in regrets[ref]]
            probs = sorted({n for n, _ in common})
            # lower regret is better: test -regret so that 'W' means tpe better
            a = [-np.mean([regrets["tpe"][k] for k in common if k[0] == n]) for n in probs]
            c = [-np.mean([regrets[ref][k] for k in common if k[0] == n]) for n in probs]
            out[str(b)]["vs"][ref] = paired(a, c)
    for ref in COMPARE:
        _holm_outcomes([out[str(b)]["vs"][ref] for b in budgets if out[str(b)]["vs"].get(ref)], holm)
    return out


def wtl(per, budgets):
    """Wins/ties/losses of tpe against each peer, per budget, over problems (p < ALPHA)."""
    out = {}
    for ref in COMPARE:
        out[ref] = {}
        for b in map(str, budgets):
            for group in ("synthetic", "real", "all"):
                cnt = {"W": 0, "T": 0, "L": 0}
                for d in per.values():
                    if group != "all" and d["synthetic"] != (group == "synthetic"):
                        continue
                    c = d["compare"].get(ref, {}).get(b)
                    if c:
                        cnt[c["outcome"]] += 1
                out[ref].setdefault(b, {})[group] = cnt
    return out


# -- plots -----------------------------------------------------------------------------
COLORS = {"tpe": "C0", "tpe-sampler": "C1", "random": "C2", "optuna": "C3", "hyperopt": "C4",
          "optuna-mv": "C5", "skopt": "C6"}


def plot(summary, path_curves):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    probs = [p for p, d in summary["problems"].items() if d["methods"]]
    cols = min(4, len(probs))
    rows = -(-len(probs) // cols)
    cols = min(3, len(probs))
    rows = -(-len(probs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 4.0 * rows), squeeze=False)
    for ax, p in zip(axes.flat, probs):
        d = summary["problems"][p]
        for m, s in d["methods"].items():
            if "mean_curve" not in s:
                continue
            mean, std = np.asarray(s["mean_curve"]), np.asarray(s["std_curve"])
            x = np.arange(1, len(mean) + 1)
            style = "--" if m == "tpe-sampler" else "-"
            if d["synthetic"]:  # simple regret on a log scale
                y = np.maximum(d["optimum"] - mean, 1e-4)
                ax.set_yscale("log")
                ax.set_ylabel("regret (optimum - best)")
            else:
                y = mean
                ax.set_ylabel("best mean CV score")
            # TPESearchCV drawn last and thickest, so no peer hides it.
            mine = m == "tpe"
            line, = ax.plot(x, y, style, label=m, lw=2.4 if mine else 1.2, color=COLORS.get(m),
                            zorder=10 if mine else 2)
            if m == "tpe":  # TPESearchCV at n_iter=25 and 50: separate runs, their final mean best
                for b in ("25", "50"):
                    if b in s["best"]:
                        v = s["best"][b]["mean"]
                        ax.plot([int(b)], [max(d["optimum"] - v, 1e-4) if d["synthetic"] else v], "o",
                                color=line.get_color(), ms=6, zorder=11)
        if not d["synthetic"]:
            vals = [np.asarray(s["mean_curve"]) for s in d["methods"].values() if "mean_curve" in s]
            lo = min(v[min(9, len(v) - 1)] for v in vals)
            hi = max(v.max() for v in vals)
            ax.set_ylim(lo - 0.1 * (hi - lo + 1e-9), hi + 0.1 * (hi - lo + 1e-9))
        ax.set_title(p, fontsize=10)
        ax.set_xlabel("trial")
    for ax in axes.flat[len(probs):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle("Mean best so far over seeds (curves: the 100-trial runs; dots: TPESearchCV with n_iter=25, 50)",
                 fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.985))
    fig.savefig(path_curves, dpi=90)
    plt.close(fig)


# -- main ------------------------------------------------------------------------------
def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="3 synthetic / 1 real seed, budgets 10 and 25")
    p.add_argument("--tasks", nargs="+", default=None, help="problems to (re-)run (default: all)")
    p.add_argument("--synthetic-only", action="store_true", help="skip the real tasks")
    p.add_argument("--methods", nargs="+", default=DEFAULT_METHODS, choices=METHODS)
    p.add_argument("--force", nargs="*", default=[], choices=METHODS,
                   help="re-run these methods even if their cached runs are current")
    p.add_argument("--n-jobs", type=int, default=1, help="processes (1; at most 2 on 2 cores)")
    p.add_argument("--no-run", action="store_true", help="only summarise the cache")
    p.add_argument("--tag", default=None, help="suffix of the output files (own cache directory)")
    args = p.parse_args(argv)
    quick = args.quick
    budgets = [10, 25] if quick else BUDGETS
    synth_seeds = SYNTH_SEEDS[:3] if quick else SYNTH_SEEDS
    real_seeds = REAL_SEEDS[:1] if quick else REAL_SEEDS
    assert not set(synth_seeds + real_seeds) & set(TUNING_SEEDS)
    tag = args.tag or ("quick" if quick else "")
    suffix = f"_{tag}" if tag else ""
    runs_dir = os.path.join(RESULTS, f"runs{suffix}")
    all_problems = list(OBJECTIVES) + list(TASKS)
    problems = args.tasks or all_problems
    if args.synthetic_only:
        problems = [t for t in problems if t in OBJECTIVES]
    unknown = [t for t in problems if t not in OBJECTIVES and t not in TASKS]
    if unknown:
        p.error(f"unknown tasks {unknown}; choose from {all_problems}")
    methods = available(args.methods)
    skipped = sorted(set(args.methods) - set(methods))
    if skipped:
        print(f"not installed, skipped: {skipped}")

    def seeds_of(name):
        return real_seeds if name in TASKS else synth_seeds

    t0 = time.perf_counter()
    jobs = []
    if not args.no_run:
        for name in problems:
            ms = [m for m in methods if name in OBJECTIVES or m in REAL_METHODS]
            jobs += plan([name], ms, seeds_of, budgets, runs_dir, force=args.force)
    # real tasks first, seed by seed (a stopped run leaves whole seeds), then synthetic problems
    jobs.sort(key=lambda j: (j[0] in OBJECTIVES, j[3], j[0], j[1], -j[2]))
    print(f"{len(jobs)} runs to do ({sum(j[1] in SKTPE_METHODS for j in jobs)} of sktpe) "
          f"on {args.n_jobs} process(es) ...", flush=True)
    done = 0
    if jobs:
        results = Parallel(n_jobs=args.n_jobs, return_as="generator_unordered")(
            delayed(_job)(*j) for j in jobs)
        started = set()  # (problem, method) pairs this invocation has stored a run of
        for name, m, b, s, out in results:
            _store(runs_dir, name, m, _key(s, b), out,
                   anew=m in args.force and (name, m) not in started)
            started.add((name, m))
            done += 1
            if done % 25 == 0 or done == len(jobs):
                print(f"  {done}/{len(jobs)} runs, {time.perf_counter() - t0:.0f}s", flush=True)
    wall = time.perf_counter() - t0
    # the summary covers every problem and method in the cache, not only those just run
    report_problems = [t for t in all_problems if os.path.exists(_cache_file(runs_dir, t))]
    report_methods = list(dict.fromkeys(methods + [m for t in report_problems
                                                   for m in load_cache(runs_dir, t) if m in METHODS]))
    report_methods.sort(key=METHODS.index)
    summary = summarise(report_problems, report_methods, seeds_of, budgets, runs_dir)
    sk = {"synthetic": 0.0, "real": 0.0}  # serial seconds of sktpe's runs: the cost of a refresh
    for t in report_problems:
        for m, e in load_cache(runs_dir, t).items():
            if m in SKTPE_METHODS:
                sk["synthetic" if t in OBJECTIVES else "real"] += sum(r.get("seconds", 0) for r in e["runs"].values())
    summary.update(provenance=provenance(), run_seconds=wall, sktpe_serial_seconds=sk, runs_done=done, synth_seeds=synth_seeds,
                   real_seeds=real_seeds, tuning_seeds_never_reported=[TUNING_SEEDS[0], TUNING_SEEDS[-1]],
                   methods=report_methods, command="python benchmarks/quality.py "
                   + " ".join(argv if argv is not None else os.sys.argv[1:]))
    if summary["stale"]:
        print("stale (fingerprint changed, not re-run, left out):", ", ".join(summary["stale"]))
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, f"quality{suffix}.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    static = os.path.join(ROOT, "docs", "_static")
    os.makedirs(static, exist_ok=True)
    plot(summary, os.path.join(static, f"bench_curves{suffix}.png"))
    print(f"{done} runs in {wall:.0f}s; summary in results/quality{suffix}.json")
    return summary


if __name__ == "__main__":
    main()
