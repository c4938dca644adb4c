"""`make demo`: TPESearchCV against RandomizedSearchCV, over several seeds.

The task: an RBF support vector classifier on scikit-learn's digits data, with
C and gamma searched over wide log ranges (6 and 7 decades). Only a small
corner of that square is any good (gamma about 1e-4 to 1e-2 with C above
about 1), so most random candidates are wasted; this is the kind of problem
model-based search is meant for. It was chosen for that reason, before any
run, and the seeds are simply 0 to SEEDS-1.

Both searches run with their default settings (TPESearchCV's default is one
worker, strictly sequential), the same budget, the same train/test split and
the same CV folds, once per seed. The demo prints, over the seeds, the median
and range of the best CV score and of the held-out test score after a few
budgets; each seed's result; the trials and wall time each method needs to
reach random search's final best CV score of the same seed; and saves a plot
of both best-so-far curves with their spread.
"""

import argparse
import os
import time

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, train_test_split
from sklearn.svm import SVC

from sktpe import TPESearchCV

SPACE = {"C": loguniform(1e-3, 1e3), "gamma": loguniform(1e-6, 1e1)}
METHODS = {"TPESearchCV": TPESearchCV, "RandomizedSearchCV": RandomizedSearchCV}


class TimedAccuracy:
    """Scoring callable: the estimator's accuracy, noting when it was scored.

    With the default single worker every fold is scored in this process, in
    order, so the time of a candidate's last fold is when it finished.
    """

    def __init__(self):
        self.stamps = []

    def __call__(self, estimator, X, y):
        score = estimator.score(X, y)
        self.stamps.append(time.perf_counter())
        return score


def run_search(method, seed, n_iter, data, cv):
    """One search; returns its per-trial scores, finish times and test scores."""
    X_tr, X_te, y_tr, y_te = data
    timer = TimedAccuracy()
    search = METHODS[method](SVC(), SPACE, n_iter=n_iter, cv=cv, scoring=timer, random_state=seed)
    t0 = time.perf_counter()
    search.fit(X_tr, y_tr)
    wall = time.perf_counter() - t0
    n_splits = search.n_splits_
    scores = np.asarray(search.cv_results_["mean_test_score"], dtype=float)
    done_at = np.asarray(timer.stamps[n_splits - 1 :: n_splits]) - t0  # last fold of each trial
    # Held-out score of the candidate each budget would have picked (the
    # first of the top scores among the first b trials, as best_index_ does).
    test = {}
    for b in range(1, len(scores) + 1):
        best = int(np.nanargmax(scores[:b]))
        if best not in test:
            test[best] = SVC(**search.cv_results_["params"][best]).fit(X_tr, y_tr).score(X_te, y_te)
    best_idx = [int(np.nanargmax(scores[:b])) for b in range(1, len(scores) + 1)]
    return dict(
        method=method, seed=seed, scores=scores, done_at=done_at, wall=wall,
        test=np.array([test[i] for i in best_idx]), best_params=search.best_params_,
    )


def first_reaching(scores, target):
    """1-based trial at which the running best first reaches ``target`` (or None)."""
    hits = np.flatnonzero(np.maximum.accumulate(scores) >= target - 1e-12)
    return int(hits[0]) + 1 if len(hits) else None


def spread(values, fmt="{:.4f}"):
    """'median [min, max]' of ``values``."""
    v = np.asarray(values, dtype=float)
    return f"{fmt.format(np.median(v))} [{fmt.format(v.min())}, {fmt.format(v.max())}]"


def report(runs, n_iter, seeds, budgets, n_splits):
    by = {(r["method"], r["seed"]): r for r in runs}
    print(
        f"\nSVC (RBF) on digits, C ~ loguniform(1e-3, 1e3), gamma ~ loguniform(1e-6, 1e1); "
        f"{n_splits}-fold CV on 1257 training images, 540 held out; seeds {seeds[0]}..{seeds[-1]}.\n"
        f"Accuracy, median [min, max] over the {len(seeds)} seeds. The value at b trials is "
        f"that of the first b trials of each {n_iter}-trial search. One image is "
        f"{1 / 1257:.4f} of the CV accuracy and {1 / 540:.4f} of the test accuracy.\n"
    )
    print(f"{'trials':>6}  {'method':<20}{'best CV score':>28}{'test score':>28}")
    for b in budgets:
        for m in METHODS:
            cvs = [np.max(by[m, s]["scores"][:b]) for s in seeds]
            tests = [by[m, s]["test"][b - 1] for s in seeds]
            print(f"{b:>6}  {m:<20}{spread(cvs):>28}{spread(tests):>28}")
    print(
        f"\nEach seed after {n_iter} trials (CV / test accuracy), and the trial at which "
        f"TPE first reached random search's best:\n"
    )
    print(f"{'seed':>4}  {'TPESearchCV':>17}  {'RandomizedSearchCV':>19}  {'TPE - random CV':>16}  {'TPE reaches':>12}")
    for s in seeds:
        t, r = by["TPESearchCV", s], by["RandomizedSearchCV", s]
        diff = round(t["scores"].max() - r["scores"].max(), 10) + 0.0  # no "-0.0000"
        at = first_reaching(t["scores"], r["scores"].max())
        print(
            f"{s:>4}  {t['scores'].max():>8.4f} / {t['test'][-1]:.4f}  "
            f"{r['scores'].max():>9.4f} / {r['test'][-1]:.4f}  {diff:>+16.4f}"
            f"  {at if at else 'not reached':>12}"
        )
    print(f"\nTo reach random search's best CV score after {n_iter} trials (same seed):\n")
    print(f"{'method':<20}{'trials':>22}{'wall seconds':>24}{'reached':>10}{'total wall s':>22}")
    for m in METHODS:
        trials, secs = [], []
        for s in seeds:
            run = by[m, s]
            at = first_reaching(run["scores"], by["RandomizedSearchCV", s]["scores"].max())
            if at is not None:
                trials.append(at)
                secs.append(run["done_at"][at - 1])
        walls = [by[m, s]["wall"] for s in seeds]
        # random search reaches its own best by construction
        reached = "(own)" if m == "RandomizedSearchCV" else f"{len(trials)}/{len(seeds)}"
        t_s = spread(trials, "{:.0f}") if trials else "-"
        w_s = spread(secs, "{:.1f}") if secs else "-"
        print(f"{m:<20}{t_s:>22}{w_s:>24}{reached:>10}{spread(walls, '{:.1f}'):>22}")
    print(
        "\n(random search reaches its own best at the trial that found it; wall seconds "
        "include each method's time to propose candidates, not the refit, and are those of "
        "searches run side by side, --n-jobs at a time, each on one worker)"
    )


def plot(runs, n_iter, seeds, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
    trials = np.arange(1, n_iter + 1)
    t_max = max(r["done_at"][-1] for r in runs)
    grid = np.linspace(0, t_max, 400)
    for (m, colour) in (("TPESearchCV", "C0"), ("RandomizedSearchCV", "C1")):
        mine = [r for r in runs if r["method"] == m]
        err = np.array([1 - np.maximum.accumulate(r["scores"]) for r in mine])
        lo, mid, hi = np.min(err, 0), np.median(err, 0), np.max(err, 0)
        axes[0].step(trials, mid, where="post", color=colour, label=f"{m}, median")
        axes[0].fill_between(trials, lo, hi, step="post", color=colour, alpha=0.2,
                             label=f"{m}, min to max")
        # Best so far against wall time: a step function per seed on a common grid.
        err_t = []
        for r in mine:
            idx = np.searchsorted(r["done_at"], grid, side="right") - 1
            best = np.maximum.accumulate(r["scores"])
            # Before its first trial a search has no model: error 1.
            err_t.append(np.where(idx >= 0, 1 - best[np.clip(idx, 0, None)], 1.0))
        err_t = np.array(err_t)
        axes[1].plot(grid, np.median(err_t, 0), color=colour, label=f"{m}, median")
        axes[1].fill_between(grid, err_t.min(0), err_t.max(0), color=colour, alpha=0.2)
    axes[0].set_xlabel("trial")
    axes[1].set_xlabel("wall seconds (one worker per search; searches run side by side)")
    for ax in axes:
        ax.set_yscale("log")
        ax.set_ylim(top=0.3)  # above that: the first few trials, nothing of use
        ax.set_ylabel("best CV error so far (1 - accuracy)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend()
    fig.suptitle(
        f"SVC on digits, C and gamma over wide log ranges: {len(seeds)} seeds, "
        f"median and min-max band"
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-iter", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..SEEDS-1")
    parser.add_argument("--n-jobs", type=int, default=2,
                        help="searches run side by side (each search itself has one worker)")
    parser.add_argument("--out", default="demo_output")
    args = parser.parse_args(argv)

    t_start = time.perf_counter()
    X, y = load_digits(return_X_y=True)
    data = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    seeds = list(range(args.seeds))
    budgets = sorted({b for b in (10, 25, args.n_iter) if b <= args.n_iter})
    print(
        f"Running {len(seeds)} seeds x 2 methods x {args.n_iter} trials, "
        f"{args.n_jobs} searches at a time ..."
    )
    jobs = [(m, s) for s in seeds for m in METHODS]
    runs = Parallel(n_jobs=args.n_jobs)(
        delayed(run_search)(m, s, args.n_iter, data, cv) for m, s in jobs
    )
    report(runs, args.n_iter, seeds, budgets, cv.get_n_splits())

    try:
        import matplotlib  # noqa: F401
    except ImportError:  # the plot extra is not installed
        print(f"\nDone in {time.perf_counter() - t_start:.0f} s (no plot: matplotlib missing).")
        return
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "demo_history.png")
    plot(runs, args.n_iter, seeds, path)
    print(f"\nPlot of both best-so-far curves saved to {os.path.abspath(path)}")
    print(f"Done in {time.perf_counter() - t_start:.0f} s.")


if __name__ == "__main__":
    main()
