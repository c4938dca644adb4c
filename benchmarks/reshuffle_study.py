"""Would reshuffling the folds per candidate return better models?

One of the issue's candidate cures for overtuning (Nagler, Schneider, Bischl
& Feurer, NeurIPS 2024): give every candidate its own shuffle of the folds,
so that no candidate wins by suiting one fixed set of splits. Measured on the
held-out-test protocol of ``heldout.py`` (tuning suite), with sktpe's
sampler driven through its ask/tell interface (``TPESampler``, the defaults
``TPESearchCV`` builds it with), one run per budget, two arms paired per seed:

* ``shared``: every candidate cross-validated on the task's folds, as
  ``TPESearchCV`` does. Its scores are checked against ``TPESearchCV.fit``
  at the smallest budget: the same candidates and mean scores, bit for bit
  (``reproduced`` in the rows), so the arm *is* the shipped search;
* ``reshuffled``: candidate ``i`` cross-validated on the same kind of
  splitter shuffled by its own seed (``task.cv(FOLD_SEEDS + 1000 * seed + i)``).

Each arm returns its candidate of largest mean CV score, refit on the
training half and scored on the test half. The difference is pooled in the
tasks' standard deviations of test scores, Wilcoxon over tasks.

Usage::

    python benchmarks/reshuffle_study.py run      # seeds 100-139, 2 processes
    python benchmarks/reshuffle_study.py write    # the table into docs/guide/ablation.md
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

import numpy as np
from joblib import delayed
from sklearn.base import clone
from sklearn.model_selection import cross_val_score

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)

from heldout import _test_of, read_study, run_study  # noqa: E402
from heldout_report import paired_p, write_ablation_block  # noqa: E402
from heldout_tasks import SUITES, HeldoutTask  # noqa: E402

BUDGETS = (10, 20, 40, 80)
SEEDS = range(100, 140)
ARMS = ("shared", "reshuffled")
FOLD_SEEDS = 1_000_003
RESULTS = "reshuffle_tuning"


def search(task: HeldoutTask, seed: int, budget: int, reshuffle: bool,
           data: tuple[np.ndarray, np.ndarray]) -> tuple[list[float], list[dict]]:
    """One search of ``budget`` candidates: every candidate's mean CV score, and its params."""
    from sktpe import TPESampler, TPESearchCV
    from sktpe._candidates import n_startup

    assert budget < 1000  # the reshuffled arm's fold seeds stay apart from seed to seed
    X_tr, y_tr = data
    sampler = TPESampler(task.space, n_startup_trials=n_startup("auto", budget, TPESearchCV._startup_min),
                         random_state=seed)
    means, params = [], []
    for i in range(budget):
        p = sampler.ask()[0]
        cv = task.cv(FOLD_SEEDS + 1000 * seed + i) if reshuffle else task.cv(seed)
        est = clone(task.estimator).set_params(**p)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = float(np.mean(cross_val_score(est, X_tr, y_tr, cv=cv, scoring=task.scoring,
                                              error_score=np.nan)))
        sampler.tell(p, s)
        means.append(s)
        params.append(p)
    return means, params


def _reproduces(task: HeldoutTask, seed: int, budget: int, means: list[float],
                data: tuple[np.ndarray, np.ndarray]) -> bool:
    """Whether ``TPESearchCV.fit`` with its defaults gives the shared arm's mean scores."""
    from sktpe import TPESearchCV

    s = TPESearchCV(task.estimator, task.space, n_iter=budget, cv=task.cv(seed),
                    scoring=task.scoring, random_state=seed, refit=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s.fit(*data)
    return np.array_equal(np.asarray(s.cv_results_["mean_test_score"], dtype=float),
                          np.asarray(means), equal_nan=True)


def run_one(task: HeldoutTask, seed: int) -> list[dict]:
    """Both arms at every budget: best CV score, test score of the refit best model."""
    split = task.split(seed)
    X_tr, _, y_tr, _ = split
    out = []
    for arm in ARMS:
        for b in BUDGETS:
            means, params = search(task, seed, b, arm == "reshuffled", (X_tr, y_tr))
            finite = np.where(np.isfinite(means), means, -np.inf)
            best = int(np.argmax(finite))  # the first of the largest, as TPESearchCV's 'best'
            row = {"task": task.name, "seed": seed, "arm": arm, "budget": b,
                   "cv_best": float(finite[best]), "test": _test_of(task, params[best], split)}
            if arm == "shared" and b == BUDGETS[0]:
                row["reproduced"] = bool(_reproduces(task, seed, b, means, (X_tr, y_tr)))
            out.append(row)
    return out


def table(rows: list[dict]) -> list[str]:
    """Markdown: reshuffled minus shared, per budget and task, and the optimism of each."""
    tasks = sorted({r["task"] for r in rows})
    seeds = sorted({r["seed"] for r in rows})
    cell = {(r["task"], r["seed"], r["arm"], r["budget"]): r for r in rows}
    # A task's spread: the shared arm's test scores over seeds and budgets.
    scale = {t: float(np.std([r["test"] for r in rows if r["task"] == t and r["arm"] == "shared"]))
             or 1.0 for t in tasks}
    checked = [r["reproduced"] for r in rows if "reproduced" in r]
    L = [f"Tuning suite, {len(tasks)} tasks × {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}), one run per "
         "budget. Test score of the refit best model with each candidate on its own shuffle of the folds "
         "minus with shared folds (the shipped search), in task standard deviations (the spread of the "
         "shared arm's test scores); per task the seeds ahead / behind and Wilcoxon over seeds, pooled "
         "Wilcoxon over tasks (ties split); none corrected. Optimism: best mean CV score minus test "
         "score, mean in task sd. "
         f"The shared arm reproduces `TPESearchCV.fit` at n_iter={BUDGETS[0]} in "
         f"{sum(checked)} of {len(checked)} searches (every candidate's mean score, bit for bit).", "",
         "| task | " + " | ".join(f"n_iter={b}" for b in BUDGETS) + " |", "|---|" + "---|" * len(BUDGETS)]
    pooled = {b: [] for b in BUDGETS}
    opt = {(a, b): [] for a in ARMS for b in BUDGETS}
    for t in tasks:
        cells = []
        for b in BUDGETS:
            d = np.array([(cell[t, s, "reshuffled", b]["test"] - cell[t, s, "shared", b]["test"]) / scale[t]
                          for s in seeds])
            p = paired_p(d, np.zeros_like(d))
            pooled[b].append(d.mean())
            for a in ARMS:
                opt[a, b].append(np.mean([(cell[t, s, a, b]["cv_best"] - cell[t, s, a, b]["test"]) / scale[t]
                                          for s in seeds]))
            cells.append(f"{d.mean():+.3f} ({int((d > 0).sum())}/{int((d < 0).sum())}, p={p:.2g})")
        L.append(f"| {t} | " + " | ".join(cells) + " |")
    cells = []
    for b in BUDGETS:
        x = np.array(pooled[b])
        p = paired_p(x, np.zeros_like(x))
        cells.append(f"**{x.mean():+.3f}** ({int((x > 0).sum())}/{int((x < 0).sum())} tasks, p={p:.2g})")
    L.append("| pooled | " + " | ".join(cells) + " |")
    for a in ARMS:
        L.append(f"| optimism, {a} | " + " | ".join(f"{np.mean(opt[a, b]):+.2f}" for b in BUDGETS) + " |")
    return L


def main(argv: list[str] | None = None) -> None:
    """``run`` the study or ``write`` its table (see the module docstring)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("run", "write"))
    p.add_argument("--n-jobs", type=int, default=2)
    args = p.parse_args(argv)
    if args.action == "write":
        write_ablation_block("reshuffle", table(read_study(RESULTS)))
        return
    run_study(RESULTS, [delayed(run_one)(t, s) for t in SUITES["tuning"] for s in SEEDS], args.n_jobs)


if __name__ == "__main__":
    main()
