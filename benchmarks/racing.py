"""Racing benchmark: fold fits saved by ``TPESearchCV(racing=True)``, and what it costs.

Two real tasks from :mod:`tasks` (``svc_digits``, ``hgb_synth``), cv = 5
shuffled stratified folds, ``n_iter`` trials, several seeds, one worker.
For each method it records the fold fits performed, the best CV score, the
held-out test score of the refitted best estimator and the wall time:

* ``random``: RandomizedSearchCV;
* ``halving``: HalvingRandomSearchCV (``n_candidates=n_iter``, factor 3,
  resources = samples): it cuts by sample size, so its "fold fits" are
  cheaper fits on fewer samples and its best CV score is on its last rung;
* ``tpe``: TPESearchCV(racing=False);
* ``tpe_racing``: TPESearchCV(racing=True).

Then the false-drop check: every candidate ``tpe_racing`` dropped is
cross-validated on the folds it skipped, and counted as a false drop when its
full mean beats the incumbent's it was dropped against, or beats the search's
final best ("would have won").

Finally ``replay``: the paired test's settings (level per look, minimum
folds) are replayed on the full-fold histories of the ``tpe`` runs:
each candidate after the start-up is raced against the best earlier
candidate, on its recorded fold scores, giving the folds it would have run
and whether its drop was false. This is how the default was chosen.

Run: ``nice python benchmarks/racing.py [--seeds 3] [--n-iter 50] [--tasks ...]``.
Writes ``benchmarks/results/racing.json`` and ``docs/_static/racing_fits.png``.
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    HalvingRandomSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_val_score,
)

from sktpe import TPESearchCV
from sktpe._racing import worse_than_incumbent
from tasks import TASKS

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "racing.json"
FIGURE = HERE.parent / "docs" / "_static" / "racing_fits.png"
METHODS = ["tpe", "tpe_racing", "random", "halving"]
N_SPLITS = 5


def _cv():
    return StratifiedKFold(N_SPLITS, shuffle=True, random_state=0)


def _fold_fits(search, method):
    res = search.cv_results_
    if method == "halving":
        return int(len(res["params"]) * N_SPLITS)
    return int(sum(np.isfinite(res[f"split{k}_test_score"]).sum() for k in range(N_SPLITS)))


def run_one(task, method, n_iter, seed):
    X_tr, X_te, y_tr, y_te = task.split()
    kw = dict(scoring=task.scoring, cv=_cv(), random_state=seed)
    if method == "random":
        search = RandomizedSearchCV(task.estimator, task.space, n_iter=n_iter, **kw)
    elif method == "halving":
        search = HalvingRandomSearchCV(task.estimator, task.space, n_candidates=n_iter,
                                       factor=3, **kw)
    else:
        search = TPESearchCV(task.estimator, task.space, n_iter=n_iter,
                             racing=method == "tpe_racing", **kw)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_tr, y_tr)
    seconds = time.perf_counter() - start
    res = search.cv_results_
    row = dict(
        task=task.name, method=method, seed=seed, seconds=seconds,
        fold_fits=_fold_fits(search, method), best_cv=float(search.best_score_),
        test_score=float(search.score(X_te, y_te)),
        n_candidates=len(res["params"]),
    )
    if method == "halving":
        row["fit_samples"] = int(sum(res["n_resources"]) * N_SPLITS * (N_SPLITS - 1) / N_SPLITS)
    if method in ("tpe", "tpe_racing"):
        splits = np.column_stack([res[f"split{k}_test_score"] for k in range(N_SPLITS)])
        row["splits"] = splits.tolist()
        row["raced_out"] = [bool(v) for v in res.get("raced_out", np.zeros(len(splits)))]
        row["params"] = [{k: _plain(v) for k, v in p.items()} for p in res["params"]]
    if method == "tpe_racing":
        row.update(_false_drops(task, search, splits, row["raced_out"]))
    return row


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _false_drops(task, search, splits, raced):
    """Cross-validate every dropped candidate on all folds; count the drops that were wrong."""
    X_tr, _, y_tr, _ = task.split()
    res = search.cv_results_
    means = np.asarray(res["mean_test_score"], dtype=float)
    final_best = float(search.best_score_)
    n_false_vs_incumbent = n_would_win = 0
    full_means = []
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
        n_would_win += full_mean > final_best
    return dict(
        n_raced=int(np.sum(raced)), false_drops_vs_incumbent=int(n_false_vs_incumbent),
        would_have_won=int(n_would_win), raced_full_means=full_means,
    )


def replay(rows, settings):
    """Replay racing settings on the full-fold histories of the racing=False runs."""
    out = []
    for alpha, min_folds in settings:
        fits = full_fits = dropped = false_inc = would_win = n = 0
        for row in rows:
            splits = np.asarray(row["splits"], dtype=float)
            n_startup = min(len(splits), max(3, min(20, round(np.sqrt(len(splits))))))
            means = splits.mean(axis=1)
            final_best = np.nanmax(means)
            for j in range(len(splits)):
                full_fits += N_SPLITS
                if j < n_startup:
                    fits += N_SPLITS
                    continue
                ok = np.isfinite(means[:j])
                inc = int(np.flatnonzero(ok)[np.argmax(means[:j][ok])]) if ok.any() else None
                incumbent = splits[inc] if inc is not None else None
                done = N_SPLITS
                for k in range(min_folds, N_SPLITS):
                    if incumbent is not None and worse_than_incumbent(
                        splits[j, :k], incumbent, N_SPLITS, alpha=alpha, min_folds=min_folds
                    ):
                        done = k
                        break
                fits += done
                n += 1
                if done < N_SPLITS:
                    dropped += 1
                    false_inc += means[j] > means[inc]
                    would_win += means[j] >= final_best
        out.append(dict(
            alpha=alpha, min_folds=min_folds,
            fit_fraction=fits / full_fits, dropped=dropped, candidates=n,
            false_drops_vs_incumbent=int(false_inc), would_have_won=int(would_win),
        ))
    return out


def summary(rows):
    lines = []
    tasks = sorted({r["task"] for r in rows})
    for t in tasks:
        ref = [r for r in rows if r["task"] == t and r["method"] == "tpe"]
        for m in METHODS:
            rs = [r for r in rows if r["task"] == t and r["method"] == m]
            if not rs:
                continue
            f = np.array([r["fold_fits"] for r in rs], float)
            b = np.array([r["best_cv"] for r in rs])
            te = np.array([r["test_score"] for r in rs])
            s = np.array([r["seconds"] for r in rs])
            frac = (f.mean() / np.mean([r["fold_fits"] for r in ref])) if ref else np.nan
            lines.append(
                f"| {t} | {m} | {f.mean():.0f} ({frac:.0%}) | {b.mean():.4f} ± {b.std():.4f} "
                f"| {te.mean():.4f} ± {te.std():.4f} | {s.mean():.1f} ± {s.std():.1f} |"
            )
    return "\n".join(
        ["| task | method | fold fits (vs tpe) | best CV | held-out test | wall s |",
         "|---|---|---|---|---|---|"] + lines
    )


def figure(rows, path=FIGURE):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tasks = sorted({r["task"] for r in rows})
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.2 * len(tasks), 3.2), squeeze=False)
    for ax, t in zip(axes[0], tasks):
        rs = [r for r in rows if r["task"] == t and r["method"] == "tpe_racing"]
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
    fig.legend(
        handles=[plt.Rectangle((0, 0), 1, 1, color=c) for c in ("tab:blue", "tab:red", "0.88")],
        labels=["ran every fold", "raced out", "fold skipped"], loc="upper center", ncol=3,
        frameon=False,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


SETTINGS = [  # (level per look, minimum folds)
    (0.0167, 2), (0.05, 2), (0.10, 2), (0.20, 2), (0.30, 2), (0.10, 3),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--n-iter", type=int, default=50)
    parser.add_argument("--tasks", nargs="+", default=["svc_digits", "hgb_synth"])
    parser.add_argument("--methods", nargs="+", default=METHODS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = []
    if args.out.exists():
        rows = json.loads(args.out.read_text())["rows"]
    done = {(r["task"], r["method"], r["seed"]) for r in rows}
    for name in args.tasks:
        for seed in range(args.seeds):
            for m in args.methods:
                if (name, m, seed) in done:
                    continue
                row = run_one(TASKS[name], m, args.n_iter, seed)
                print(name, m, seed, row["fold_fits"], round(row["best_cv"], 4),
                      round(row["seconds"], 1), row.get("n_raced", ""),
                      row.get("would_have_won", ""), flush=True)
                rows.append(row)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text(json.dumps({"n_iter": args.n_iter, "rows": rows}))
    tpe_rows = [r for r in rows if r["method"] == "tpe"]
    rep = replay(tpe_rows, SETTINGS)
    args.out.write_text(json.dumps({"n_iter": args.n_iter, "rows": rows, "replay": rep}))
    print(summary(rows))
    for r in rep:
        print(r)
    racing_rows = [r for r in rows if r["method"] == "tpe_racing"]
    print("raced out:", sum(r["n_raced"] for r in racing_rows),
          "false vs incumbent:", sum(r["false_drops_vs_incumbent"] for r in racing_rows),
          "would have won:", sum(r["would_have_won"] for r in racing_rows))
    if racing_rows:
        figure(rows)


if __name__ == "__main__":
    main()
