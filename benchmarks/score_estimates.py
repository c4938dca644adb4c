"""How well does a score the search reports estimate its model's held-out test score?

``best_score_`` is the largest of many noisy cross-validation means, so it
overstates the chosen candidate (the winner's curse); it is also the score of
models fit on 4/5 of the data, where the refit model sees all of it. This
script measures, on the held-out-test protocol of ``heldout.py`` (the same
tasks, splits and folds), how far each estimate computable from a finished
search lies from the refit model's test score:

* ``best_score_``: the chosen candidate's mean CV score (scikit-learn's);
* ``smoothed_best_score_``: as TPESearchCV reports it (kernel width 0.1,
  half an observation of the median), and kernel smoothing at widths 0.05,
  0.1 and 0.2 without the median;
* ``leave one fold out``: for each fold, the candidate with the best mean on
  the other folds, scored on that fold; the mean over folds (the choice
  never sees the fold that scores it);
* ``fold bootstrap``: ``best_score_`` minus the mean gap, over bootstrap
  draws of the folds, between the chosen candidate's in-bag mean and its
  out-of-bag mean (scores centred per fold first);
* ``empirical Bayes``: ``best_score_`` shrunk towards the mean of every
  candidate (or of the top quarter, the chosen one included) by the factor
  spread / (spread + noise): the candidates' spread of true means over that
  group (their variance minus the noise; the top quarter's is narrowed by
  the cut) against the fold noise of one mean (a two-way candidate × fold
  decomposition). An estimate that has too few complete candidates to work
  with returns ``best_score_``.

``run`` stores, per (task, seed, budget), TPESearchCV's fold scores with its
defaults, its chosen index, the smoothed scores and the test score in
``benchmarks/results/heldout/estimates_<suite>.jsonl``; ``write`` puts the
tables into ``docs/guide/ablation.md`` (round 5): the tuning suite's
comparison of every estimate, and on the report suite the shipped
``smoothed_best_score_`` against ``best_score_`` (from
``heldout.py --methods tpe --budgets 10,20,40,80 --file report_estimate``).

Usage::

    python benchmarks/score_estimates.py run --suite tuning --seeds 100-119
    python benchmarks/score_estimates.py write
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from typing import TYPE_CHECKING, Callable

import numpy as np
from joblib import delayed
from sklearn.metrics import get_scorer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)

from heldout import load_rows, read_study, run_study  # noqa: E402
from heldout_tasks import SUITES, HeldoutTask  # noqa: E402

if TYPE_CHECKING:
    from heldout_report import Table

BUDGETS = (10, 20, 40, 80)
#: (kernel width, median weight) of the smoothed scores stored per run; (0.1, 0.5)
#: is what ``smoothed_best_score_`` reports.
SMOOTHINGS = ((0.05, 0.0), (0.1, 0.0), (0.2, 0.0), (0.1, 0.5))


def _key(width: float, prior: float) -> str:
    """The stored name of the smoothed scores of kernel ``width`` and median weight ``prior``."""
    return f"{width}_{prior}"


def run_one(task: HeldoutTask, seed: int, budgets: tuple[int, ...]) -> list[dict]:
    """TPESearchCV with its defaults at every budget: what each estimate needs."""
    from sktpe import TPESearchCV

    X_tr, X_te, y_tr, y_te = task.split(seed)
    cv = task.cv(seed)
    out = []
    for b in budgets:
        search = TPESearchCV(task.estimator, task.space, n_iter=b, cv=cv, scoring=task.scoring,
                             random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(X_tr, y_tr)
        res = search.cv_results_
        folds = np.column_stack([np.asarray(res[f"split{i}_test_score"], dtype=float)
                                 for i in range(cv.get_n_splits())])
        means = np.asarray(res["mean_test_score"], dtype=float)
        smoothed = {_key(w, p): search.sampler_.smoothed_scores(list(res["params"]), means, width=w,
                                                                 prior_weight=p).tolist()
                    for w, p in SMOOTHINGS}
        out.append({"task": task.name, "seed": seed, "budget": b,
                    "folds": np.where(np.isfinite(folds), folds, None).tolist(),
                    "best": int(search.best_index_),
                    "test": float(get_scorer(task.scoring)(search.best_estimator_, X_te, y_te)),
                    "smoothed": smoothed})
    return out


# -- the estimates: (fold scores, chosen index, stored run) -> estimate --------------
Estimate = Callable[[np.ndarray, int, dict], float]


def _complete(folds: np.ndarray) -> np.ndarray:
    """The candidates with a score on every fold (a failed fit drops its candidate)."""
    return folds[np.isfinite(folds).all(axis=1)]


def best_score(folds: np.ndarray, best: int, run: dict) -> float:
    """The chosen candidate's mean CV score: scikit-learn's ``best_score_``."""
    return float(np.nanmean(folds[best]))


def leave_one_fold_out(folds: np.ndarray, best: int, run: dict) -> float:
    """Mean over folds of the fold's score of the best candidate on the other folds."""
    f = _complete(folds)
    if len(f) < 2:
        return best_score(folds, best, run)
    scores = []
    for k in range(f.shape[1]):
        rest = np.delete(f, k, axis=1).mean(axis=1)
        scores.append(f[int(np.argmax(rest)), k])
    return float(np.mean(scores))


def fold_bootstrap(folds: np.ndarray, best: int, run: dict, draws: int = 200) -> float:
    """``best_score_`` minus the mean in-bag minus out-of-bag gap of the in-bag winner."""
    f = _complete(folds)
    if len(f) < 2:
        return best_score(folds, best, run)
    centred = f - f.mean(axis=0) + f.mean()
    k = f.shape[1]
    rng = np.random.default_rng(0)
    gaps = []
    for _ in range(draws):
        bag = rng.integers(0, k, k)
        out = np.setdiff1d(np.arange(k), bag)
        if len(out):
            inbag = centred[:, bag].mean(axis=1)
            i = int(np.argmax(inbag))
            gaps.append(inbag[i] - centred[i, out].mean())
    return best_score(folds, best, run) - float(np.mean(gaps))


def _empirical_bayes(folds: np.ndarray, best: int, top: float) -> float:
    """``best_score_`` shrunk towards the mean of the top ``top`` share of the candidates."""
    f = _complete(folds)
    n, k = f.shape
    if n < 3:
        return float(np.nanmean(folds[best]))
    means = f.mean(axis=1)
    resid = f - means[:, None] - f.mean(axis=0)[None, :] + f.mean()
    noise = (resid ** 2).sum() / max((n - 1) * (k - 1), 1) / k  # variance of one candidate's mean
    prior = np.sort(means)[-max(3, int(np.ceil(top * n))):]
    spread = max(float(np.var(prior, ddof=1)) - noise, 0.0)
    raw = float(np.nanmean(folds[best]))
    if spread + noise == 0:
        return raw
    return float(prior.mean() + spread / (spread + noise) * (raw - prior.mean()))


def empirical_bayes(folds: np.ndarray, best: int, run: dict) -> float:
    """Shrunk towards the mean of every candidate."""
    return _empirical_bayes(folds, best, 1.0)


def empirical_bayes_top(folds: np.ndarray, best: int, run: dict) -> float:
    """Shrunk towards the mean of the top quarter."""
    return _empirical_bayes(folds, best, 0.25)


def _smoothed(width: float, prior: float) -> Estimate:
    """The chosen candidate's stored smoothed score of kernel ``width`` and median weight ``prior``."""
    def estimate(folds: np.ndarray, best: int, run: dict) -> float:
        return float(run["smoothed"][_key(width, prior)][best])
    return estimate


#: label -> estimate, in the order of the tables.
ESTIMATES: dict[str, Estimate] = {
    "`best_score_`": best_score,
    "`smoothed_best_score_` (width 0.1, median weight 0.5)": _smoothed(0.1, 0.5),
    "smoothed, width 0.05": _smoothed(0.05, 0.0),
    "smoothed, width 0.1": _smoothed(0.1, 0.0),
    "smoothed, width 0.2": _smoothed(0.2, 0.0),
    "leave one fold out": leave_one_fold_out,
    "fold bootstrap": fold_bootstrap,
    "empirical Bayes, every candidate": empirical_bayes,
    "empirical Bayes, top quarter": empirical_bayes_top,
}


def errors(runs: list[dict], estimate: Estimate, scale: dict[str, float], budget: int) -> np.ndarray:
    """Per task and seed, estimate minus test score in task sd: shape (tasks, seeds)."""
    tasks = sorted(scale)
    return np.array([[(estimate(np.array(r["folds"], dtype=float), r["best"], r) - r["test"]) / scale[t]
                      for r in sorted((r for r in runs if r["task"] == t and r["budget"] == budget),
                                      key=lambda r: r["seed"])]
                     for t in tasks])


def tuning_table(runs: list[dict]) -> list[str]:
    """Markdown: every estimate's bias and error on the tuning suite, per budget."""
    tasks = sorted({r["task"] for r in runs})
    scale = {t: float(np.std([r["test"] for r in runs if r["task"] == t])) for t in tasks}
    seeds = sorted({r["seed"] for r in runs})
    L = [f"Tuning suite, {len(tasks)} tasks × {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}), TPESearchCV with "
         "its defaults. Error = estimate minus the refit model's test score, in the task's standard "
         "deviation of test scores (this run's). Per budget: the mean error over tasks (bias; positive "
         "overstates), the mean over tasks of each task's absolute bias (a bias that differs by task "
         "cannot be corrected for), and the mean absolute error over runs.", "",
         "| estimate | " + " | ".join(f"n_iter={b}: bias / task bias / abs error" for b in BUDGETS) + " |",
         "|---|" + "---|" * len(BUDGETS)]
    for label, est in ESTIMATES.items():
        cells = []
        for b in BUDGETS:
            e = errors(runs, est, scale, b)
            per_task = e.mean(axis=1)
            cells.append(f"{per_task.mean():+.2f} / {np.abs(per_task).mean():.2f} / {np.abs(e).mean():.2f}")
        L.append(f"| {label} | " + " | ".join(cells) + " |")
    return L


def report_table() -> list[str]:
    """Markdown: the shipped ``smoothed_best_score_`` against ``best_score_`` on the report suite."""
    import heldout_report as hr

    rows = [r for r in load_rows("report_estimate") if r["method"] == "tpe"]
    main = hr.load("report")
    big = hr.load_large(main)
    scale = {t: hr.task_scale(main, t) for t in main.tasks}
    L = ["Report suite, the same searches as the benchmark page's (`heldout.py --methods tpe --budgets "
         f"10,20,40,80 --file report_estimate`: {len(rows)} runs; their test scores equal the page's in "
         f"{_reproduced(rows, main, big)} of {len(rows) * len(BUDGETS)} (run, budget) cells). Mean error "
         "over tasks in the page's task sd (bias) and mean absolute error; the peers' `best_score_` bias "
         "from the page's runs beside them.", "",
         "| n_iter | `best_score_` bias / abs error | `smoothed_best_score_` bias / abs error "
         "| random search's `best_score_` bias | Optuna's |", "|---|---|---|---|---|"]
    for j, b in enumerate(BUDGETS):
        tab, jj = _table_at(main, big, b)
        cells = []
        for field in ("cv_best", "cv_smoothed"):
            e = np.array([[(r[field][j] - r["test"][j]) / scale[t] for r in rows if r["task"] == t]
                          for t in main.tasks])
            cells.append(f"{e.mean(axis=1).mean():+.2f} / {np.abs(e).mean():.2f}")
        for m in ("random", "optuna"):
            bias = np.mean([np.mean(tab.cv[m][t][:, jj] - tab.test[m][t][:, jj]) / scale[t] for t in main.tasks])
            cells.append(f"{bias:+.2f}")
        L.append(f"| {b} | " + " | ".join(cells) + " |")
    return L


def _table_at(main: Table, big: Table, budget: int) -> tuple[Table, int]:
    """The benchmark page's table holding ``budget`` (the main one, or the large budget's run)
    and the budget's column in it."""
    return (main, main.budgets.index(budget)) if budget in main.budgets else (big, 0)


def _reproduced(rows: list[dict], main: Table, big: Table) -> int:
    """Runs whose test score at a budget equals the benchmark page's TPESearchCV run."""
    n = 0
    for r in rows:
        for j, b in enumerate(BUDGETS):
            tab, jj = _table_at(main, big, b)
            n += abs(r["test"][j] - tab.test["tpe"][r["task"]][tab.seeds.index(r["seed"]), jj]) <= 1e-12
    return n


def write() -> None:
    """Both tables into ``docs/guide/ablation.md`` between the markers."""
    from heldout_report import write_ablation_block

    runs = read_study("estimates_tuning")
    write_ablation_block("score-estimates", tuning_table(runs) + [""] + report_table())


def main(argv: list[str] | None = None) -> None:
    """``run`` the searches or ``write`` the tables (see the module docstring)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("run", "write"))
    p.add_argument("--suite", choices=sorted(SUITES), default="tuning")
    p.add_argument("--seeds", default="100-119")
    p.add_argument("--n-jobs", type=int, default=2)
    args = p.parse_args(argv)
    if args.action == "write":
        write()
        return
    lo, hi = map(int, args.seeds.split("-"))
    run_study(f"estimates_{args.suite}", [delayed(run_one)(t, s, BUDGETS) for t in SUITES[args.suite]
                                           for s in range(lo, hi + 1)], args.n_jobs)


if __name__ == "__main__":
    main()
