"""Racing benchmark: fold fits saved by ``TPESearchCV(racing=True)``, and what it costs.

Two real tasks from :mod:`tasks` (``svc_digits``, ``hgb_synth``), cv = 5
shuffled stratified folds, 100 candidates, one worker, seeds 5-9. Methods:

* ``random``: RandomizedSearchCV;
* ``halving``: HalvingRandomSearchCV (``n_candidates=n_iter``, factor 3,
  resources = samples): it cuts by sample size, so its "fold fits" are
  cheaper fits on fewer samples and its best CV score is on its last rung;
* ``optuna``: Optuna's ``OptunaSearchCV`` (default TPE, every fold);
* ``tpe``: TPESearchCV(racing=False);
* ``tpe_racing``: TPESearchCV(racing=True).

Each run records the fold fits, the best CV score, the held-out test score
of the refitted best, the wall time, and a timeline: when each candidate
finished and the best complete candidate so far. (For the scikit-learn
searches, a candidate's time is its fold fit and score times, scaled so that
the timeline ends at the run's wall time; for Optuna the trials' own clock.)
From the timelines the summary reads:

* the wall time to reach RandomizedSearchCV's mean best at 100 candidates;
* the best CV score, and the held-out test score of that best refitted,
  at equal wall time: the wall time of the ``tpe_racing`` run of the same
  seed.

False-drop check: every candidate ``tpe_racing`` dropped is cross-validated
on all folds; a drop is counted when its full mean beats the incumbent it
was dropped against, or the search's final best ("would have won").

Replay: racing's settings (level per look, minimum folds, margin) were
chosen by replaying them on the full-fold histories of ``racing=False``
searches in ``results/racing_tuning.json`` (other seeds, 50 candidates); the
same replay on this run's ``tpe`` histories checks the choice out of sample.

Run: ``nice python benchmarks/racing.py [--tasks ...] [--seeds 5 10]``; runs
are cached in ``results/racing_runs/``, so tasks can run in two processes.
``--report-only`` rewrites the results: ``results/racing.json``, the
"Measured" section of ``docs/guide/racing.md`` and ``docs/_static/racing_fits.png``.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per fit: runs are single-core

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from scipy.stats import wilcoxon  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.experimental import enable_halving_search_cv  # noqa: E402, F401
from sklearn.model_selection import (  # noqa: E402
    HalvingRandomSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_val_score,
)

from markers import write_block  # noqa: E402
from methods import optuna_distributions  # noqa: E402
from provenance import describe, provenance  # noqa: E402
from sktpe import TPESearchCV  # noqa: E402
from sktpe._racing import ALPHA, MARGIN, MIN_FOLDS, worse_than_incumbent  # noqa: E402
from tasks import TASKS  # noqa: E402

HERE = Path(__file__).resolve().parent
RUNS = HERE / "results" / "racing_runs"
OUT = HERE / "results" / "racing.json"
TUNING = HERE / "results" / "racing_tuning.json"
GUIDE = HERE.parent / "docs" / "guide" / "racing.md"
FIGURE = HERE.parent / "docs" / "_static" / "racing_fits.png"
METHODS = ["tpe", "tpe_racing", "random", "halving", "optuna"]
LABEL = {"tpe": "TPESearchCV", "tpe_racing": "TPESearchCV(racing=True)", "random": "RandomizedSearchCV",
         "halving": "HalvingRandomSearchCV", "optuna": "OptunaSearchCV"}
N_SPLITS = 5
N_ITER = 100
SETTINGS = [  # (level per look, minimum folds, margin in standard errors of the incumbent's mean)
    (0.05, 2, 0.0), (0.10, 2, 0.0), (0.20, 2, 0.0), (0.30, 2, 0.0),
    (0.05, 2, 0.25), (0.10, 2, 0.25), (0.05, 2, 0.5), (0.10, 2, 0.5), (0.20, 2, 0.5),
    (0.10, 2, 1.0), (0.10, 3, 0.5),
]


def _cv():
    return StratifiedKFold(N_SPLITS, shuffle=True, random_state=0)


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _sklearn_timeline(res, seconds, raced=None):
    """(finish time, mean score, eligible as best) of every candidate, in order."""
    ran = np.column_stack([np.isfinite(res[f"split{k}_test_score"]) for k in range(N_SPLITS)]).sum(axis=1)
    cost = (np.asarray(res["mean_fit_time"]) + np.asarray(res["mean_score_time"])) * ran
    t = np.cumsum(cost)
    t = t * (seconds / t[-1]) if t[-1] > 0 else t
    means = np.asarray(res["mean_test_score"], dtype=float)
    ok = np.isfinite(means) & (~np.asarray(raced, bool) if raced is not None else True)
    return t.tolist(), means.tolist(), ok.tolist()


def run_one(task, method, seed, n_iter=N_ITER):
    X_tr, X_te, y_tr, y_te = task.split()
    kw = dict(scoring=task.scoring, cv=_cv(), random_state=seed)
    if method == "random":
        search = RandomizedSearchCV(task.estimator, task.space, n_iter=n_iter, **kw)
    elif method == "halving":
        search = HalvingRandomSearchCV(task.estimator, task.space, n_candidates=n_iter, factor=3, **kw)
    elif method == "optuna":
        import optuna
        from optuna_integration import OptunaSearchCV

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # OptunaSearchCV is 'experimental'
            search = OptunaSearchCV(task.estimator, optuna_distributions(task.space), n_trials=n_iter,
                                    verbose=0, **kw)
    else:
        search = TPESearchCV(task.estimator, task.space, n_iter=n_iter, racing=method == "tpe_racing", **kw)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_tr, y_tr)
    seconds = time.perf_counter() - start
    row = dict(task=task.name, method=method, seed=seed, n_iter=n_iter, seconds=seconds,
               best_cv=float(search.best_score_), test_score=float(search.score(X_te, y_te)))
    if method == "optuna":
        trials = search.trials_
        t0 = trials[0].datetime_start
        t = np.array([(tr.datetime_complete - t0).total_seconds() for tr in trials])
        t = t * (seconds / t[-1])
        row.update(fold_fits=N_SPLITS * len(trials), times=t.tolist(),
                   means=[float(tr.value) for tr in trials], eligible=[True] * len(trials),
                   params=[{k: _plain(v) for k, v in tr.params.items()} for tr in trials])
        return row
    res = search.cv_results_
    if method == "halving":
        row.update(fold_fits=int(len(res["params"]) * N_SPLITS),
                   fit_samples=int(sum(res["n_resources"]) * (N_SPLITS - 1)),
                   times=[seconds], means=[row["best_cv"]], eligible=[True],
                   params=[{k: _plain(v) for k, v in search.best_params_.items()}])
        return row
    raced = res.get("raced_out")
    splits = np.column_stack([res[f"split{k}_test_score"] for k in range(N_SPLITS)])
    t, means, ok = _sklearn_timeline(res, seconds, raced)
    row.update(fold_fits=int(np.isfinite(splits).sum()), times=t, means=means, eligible=ok,
               params=[{k: _plain(v) for k, v in p.items()} for p in res["params"]],
               splits=splits.tolist())
    if method == "tpe_racing":
        row["raced_out"] = [bool(v) for v in raced]
        row.update(_false_drops(task, search, splits, row["raced_out"]))
    return row


def _false_drops(task, search, splits, raced):
    """Cross-validate every dropped candidate on all folds; count the drops that were wrong."""
    X_tr, _, y_tr, _ = task.split()
    res = search.cv_results_
    means = np.asarray(res["mean_test_score"], dtype=float)
    best = int(search.best_index_)
    final_best = float(search.best_score_)
    best_se = float(np.std(splits[best], ddof=1) / np.sqrt(N_SPLITS))
    n_false_vs_incumbent = n_would_win = 0
    full_means, excess = [], []
    for j in np.flatnonzero(raced):
        est = clone(task.estimator).set_params(**res["params"][j])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            full = cross_val_score(est, X_tr, y_tr, cv=_cv(), scoring=task.scoring)
        full_mean = float(np.mean(full))
        full_means.append(full_mean)
        earlier = [i for i in range(j) if not raced[i] and np.isfinite(means[i])]
        incumbent = max(means[i] for i in earlier) if earlier else -np.inf
        n_false_vs_incumbent += full_mean > incumbent
        if full_mean > final_best:
            n_would_win += 1
            excess.append((full_mean - final_best) / best_se if best_se > 0 else np.inf)
    return dict(n_raced=int(np.sum(raced)), false_drops_vs_incumbent=int(n_false_vs_incumbent),
                would_have_won=int(n_would_win), would_have_won_by_se=excess, raced_full_means=full_means)


# -- reading the runs ---------------------------------------------------------------
def best_at(row, t):
    """(best eligible mean, its params) among candidates finished by wall time ``t``."""
    best, params = -np.inf, None
    for ti, m, ok, p in zip(row["times"], row["means"], row["eligible"], row["params"]):
        if ti <= t + 1e-9 and ok and m > best:
            best, params = m, p
    return best, params


def time_to(row, target):
    """Wall time at which the best complete candidate first reached ``target`` (None: never)."""
    best = -np.inf
    for ti, m, ok in zip(row["times"], row["means"], row["eligible"]):
        if ok and m > best:
            best = m
        if best >= target - 1e-12:
            return ti
    return None


def equal_time(rows, task):
    """Best CV and refitted test score of every run at the wall time of tpe_racing's run (same seed)."""
    t = TASKS[task]
    budget = {r["seed"]: r["seconds"] for r in rows if r["task"] == task and r["method"] == "tpe_racing"}
    out = {}
    for r in rows:
        if r["task"] != task or r["seed"] not in budget:
            continue
        cv, params = best_at(r, budget[r["seed"]])
        test = None
        if params is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                test = t.test_score(params)
        out[(r["method"], r["seed"])] = (cv if np.isfinite(cv) else None, test)
    return out


def replay(rows, settings):
    """Replay racing settings on the full-fold histories of racing=False runs."""
    out = []
    for alpha, min_folds, margin in settings:
        fits = full_fits = dropped = false_inc = would_win = n = 0
        lost = []
        for row in rows:
            splits = np.asarray(row["splits"], dtype=float)
            n_startup = min(len(splits), max(3, min(20, round(np.sqrt(len(splits))))))
            means = splits.mean(axis=1)
            final_best = np.nanmax(means)
            complete = []
            for j in range(len(splits)):
                full_fits += N_SPLITS
                if j < n_startup:
                    fits += N_SPLITS
                    complete.append(j)
                    continue
                ok = [i for i in complete if np.isfinite(means[i])]
                inc = max(ok, key=lambda i: means[i]) if ok else None
                done = N_SPLITS
                for k in range(min_folds, N_SPLITS):
                    if inc is not None and worse_than_incumbent(
                        splits[j, :k], splits[inc], N_SPLITS, alpha=alpha, min_folds=min_folds, margin=margin
                    ):
                        done = k
                        break
                fits += done
                n += 1
                if done < N_SPLITS:
                    dropped += 1
                    false_inc += means[j] > means[inc]
                    would_win += means[j] > final_best
                else:
                    complete.append(j)
            found = max(means[i] for i in complete if np.isfinite(means[i]))
            se = np.std(splits[int(np.nanargmax(means))], ddof=1) / np.sqrt(N_SPLITS)
            lost.append(float((final_best - found) / se) if se > 0 else 0.0)
        out.append(dict(alpha=alpha, min_folds=min_folds, margin=margin, fit_fraction=fits / full_fits,
                        dropped=dropped, candidates=n, false_drops_vs_incumbent=int(false_inc),
                        would_have_won=int(would_win), searches=len(rows),
                        searches_lost_best=int(sum(x > 0 for x in lost)), max_lost_se=max(lost)))
    return out


# -- report -------------------------------------------------------------------------
def _ms(x, d=4):
    x = [v for v in x if v is not None]
    return f"{np.mean(x):.{d}f} ± {np.std(x):.{d}f}" if x else "–"


def summary(rows):
    tasks = sorted({r["task"] for r in rows})
    seeds = sorted({r["seed"] for r in rows})
    L = []
    for task in tasks:
        rs = {m: sorted((r for r in rows if r["task"] == task and r["method"] == m), key=lambda r: r["seed"])
              for m in METHODS}
        if not rs["random"]:
            continue
        target = float(np.mean([r["best_cv"] for r in rs["random"]]))
        eq = equal_time(rows, task)
        ref = np.mean([r["fold_fits"] for r in rs["tpe"]]) if rs["tpe"] else np.nan
        L += [f"**{task}** ({len(rs['random'])} seeds; a seed that never reaches the target counts as "
              "infinitely slow in the median; target = RandomizedSearchCV's mean best at "
              f"{N_ITER} candidates, {target:.4f}; equal time = the wall time of the racing run of the same seed)",
              "", "| method | fold fits (vs TPESearchCV) | best CV | held-out test | wall s | time to target, s: median "
              "(seeds reaching it) | best CV at equal time | test at equal time |",
              "|---|---|---|---|---|---|---|---|"]
        for m in METHODS:
            if not rs[m]:
                continue
            f = np.mean([r["fold_fits"] for r in rs[m]])
            tt = [time_to(r, target) for r in rs[m]]
            reached = [x for x in tt if x is not None]
            median = float(np.median([np.inf if x is None else x for x in tt]))
            e = [eq.get((m, r["seed"]), (None, None)) for r in rs[m]]
            fits = f"{f:.0f} ({f / ref:.0%})" + (" †" if m == "halving" else "")
            L.append(f"| {LABEL[m]} | {fits} | {_ms([r['best_cv'] for r in rs[m]])} | "
                     f"{_ms([r['test_score'] for r in rs[m]])} | {_ms([r['seconds'] for r in rs[m]], 1)} | "
                     f"{(f'{median:.1f}' if np.isfinite(median) else 'not reached')} ({len(reached)} of {len(tt)}) | "
                     f"{_ms([x[0] for x in e])} | {_ms([x[1] for x in e])} |")
        L.append("")
        if rs["tpe"] and rs["tpe_racing"]:
            a = {r["seed"]: r["best_cv"] for r in rs["tpe_racing"]}
            b = {r["seed"]: r["best_cv"] for r in rs["tpe"]}
            common = sorted(set(a) & set(b))
            d = [a[s] - b[s] for s in common]
            p = wilcoxon(d).pvalue if any(abs(x) > 1e-12 for x in d) else 1.0
            L += ["Best CV score, racing less no racing, seed by seed: "
                  + ", ".join(f"{x:+.4f}" for x in d) + f" (Wilcoxon p = {p:.2f})."]
            L += [""]
    return L, seeds


def report(rows, prov_rows):
    L, seeds = summary(rows)
    racing_rows = [r for r in rows if r["method"] == "tpe_racing"]
    tuning = json.loads(TUNING.read_text())
    rep_tune = replay([r for r in tuning["rows"] if r["method"] == "tpe"], SETTINGS)
    rep_new = replay([r for r in rows if r["method"] == "tpe"], SETTINGS)
    n_raced = sum(r["n_raced"] for r in racing_rows)
    won = [x for r in racing_rows for x in r["would_have_won_by_se"]]
    M = [f"`benchmarks/racing.py` at {describe(prov_rows)}: {N_ITER} candidates, `cv=5` (shuffled, "
         f"stratified), one worker, seeds {seeds[0]}-{seeds[-1]}, on two tasks of `benchmarks/tasks.py`: "
         "`svc_digits` (SVC on digits, `C` and `gamma`, accuracy) and `hgb_synth` (HistGradientBoosting, five "
         "parameters, log loss). Mean ± standard deviation over seeds. † HalvingRandomSearchCV fits on fewer "
         "samples in its early rungs, so its fold fits are not comparable, and its best CV score is that of its "
         "last rung; its timeline is its whole run. Wall times are on a two-core machine running two such "
         "benchmarks side by side: compare methods within a table.", ""]
    M += L
    M += [f"**Drops that were wrong.** Every one of the {n_raced} candidates that `racing=True` dropped "
          f"was cross-validated on all its folds afterwards: "
          f"{sum(r['false_drops_vs_incumbent'] for r in racing_rows)} would have beaten the incumbent they "
          f"were dropped against, and {len(won)} would have beaten the search's final best"
          + (f", by at most {max(won):.2g} standard errors of that best's mean" if won else "") + ".", "",
          "**Choosing the level and margin.** Settings replayed on full-fold histories of `racing=False` "
          "searches (each candidate after the start-up raced against the best earlier complete candidate, "
          "on its recorded fold scores). The *tuning* histories (`results/racing_tuning.json`: "
          f"{sum(r['method'] == 'tpe' for r in tuning['rows'])} earlier runs, other seeds, 50 candidates) chose the default; the "
          "*check* column replays the same settings on this run's TPESearchCV histories. \"lost the best\" "
          "counts searches whose final best would be lower than without racing, and by how many standard "
          "errors of that best at most.", "",
          "| level per look | min folds | margin (SE) | fold fits, tuning | would have won / dropped, tuning "
          "| lost the best, tuning | fold fits, check | would have won / dropped, check | lost the best, check |",
          "|---|---|---|---|---|---|---|---|---|"]
    for a, b in zip(rep_tune, rep_new):
        mark = " **(default)**" if (a["alpha"], a["min_folds"], a["margin"]) == (ALPHA, MIN_FOLDS, MARGIN) else ""
        M.append(f"| {a['alpha']:g}{mark} | {a['min_folds']} | {a['margin']:g} | {a['fit_fraction']:.0%} | "
                 f"{a['would_have_won']} / {a['dropped']} | {a['searches_lost_best']} of {a['searches']} "
                 f"(≤ {a['max_lost_se']:.2f} SE) | {b['fit_fraction']:.0%} | {b['would_have_won']} / "
                 f"{b['dropped']} | {b['searches_lost_best']} of {b['searches']} (≤ {b['max_lost_se']:.2f} SE) |")
    M += ["", "The replay does not race the start-up batch, which `racing=True` does, so it saves a little "
          "less than the real runs. These are two tasks and a few seeds: the rates are small counts, not "
          "guarantees.", ""]
    M += ["```{image} ../_static/racing_fits.png",
          ":alt: Folds run by each candidate of one racing search per task: most candidates after the first "
          "few are raced out after two or three folds.", "```", "",
          f"*Folds run per candidate (seed {seeds[0]}). Blue: ran every fold; red: raced out; grey: the folds "
          "it skipped.*"]
    OUT.write_text(json.dumps({"provenance": prov_rows, "replay_tuning": rep_tune, "replay_check": rep_new,
                               "rows": rows}) + "\n")  # first: a guide without markers stops the write
    write_block(str(GUIDE), "racing-results", M)
    print("\n".join(M))


def figure(rows, path=FIGURE):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tasks = sorted({r["task"] for r in rows})
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.2 * len(tasks), 3.2), squeeze=False)
    for ax, t in zip(axes[0], tasks):
        rs = sorted((r for r in rows if r["task"] == t and r["method"] == "tpe_racing"), key=lambda r: r["seed"])
        if not rs:
            continue
        r = rs[0]
        splits = np.asarray(r["splits"], dtype=float)
        ran = np.isfinite(splits).sum(axis=1)
        colors = ["tab:red" if d else "tab:blue" for d in r["raced_out"]]
        ax.bar(np.arange(len(ran)), ran, color=colors, width=0.85)
        ax.bar(np.arange(len(ran)), N_SPLITS - ran, bottom=ran, color="0.88", width=0.85)
        ax.set_title(f"{t}, seed {r['seed']}: {ran.sum()} of {N_SPLITS * len(ran)} fits")
        ax.set_xlabel("candidate (evaluation order)")
        ax.set_ylabel("folds run")
    fig.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=c) for c in ("tab:blue", "tab:red", "0.88")],
               labels=["ran every fold", "raced out", "fold skipped"], loc="upper center", ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs=2, default=[5, 10], metavar=("FIRST", "STOP"))
    parser.add_argument("--tasks", nargs="+", default=["svc_digits", "hgb_synth"])
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=METHODS)
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    RUNS.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        for seed in range(*args.seeds):
            for name in args.tasks:
                for m in args.methods:
                    path = RUNS / f"{name}_{m}_{seed}.json"
                    if path.exists():
                        continue
                    row = run_one(TASKS[name], m, seed)
                    row["provenance"] = provenance()
                    path.write_text(json.dumps(row) + "\n")
                    print(name, m, seed, row["fold_fits"], round(row["best_cv"], 4), round(row["seconds"], 1),
                          row.get("n_raced", ""), row.get("would_have_won", ""), flush=True)
    rows = [json.loads(p.read_text()) for p in sorted(RUNS.glob("*.json"))]
    if not rows:
        return
    prov = [r.pop("provenance") for r in rows][-1]
    report(rows, prov)
    figure(rows)


if __name__ == "__main__":
    main()
