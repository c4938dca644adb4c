"""Two report tasks where the returned model loses, read closely (after stop 51's runs; nothing
here was stated before them, and nothing is chosen on it).

* ``svc_chance``: the estimator at its own defaults scores higher on the test half than every
  search's model. Read from the report run's random-search rows (each candidate's mean CV score,
  ``trial_cv``, and the test score of the best so far, ``trial_test``), beside every one of its
  first candidates refit and scored on the test half here (drawn again as ``heldout.py`` draws
  them, and checked against the stored best-so-far scores) and the defaults cross-validated on
  the same folds (``heldout.py``'s ``default-cv``).
* ``knn_anes96`` (scored by log loss): every search's mean test score is worse at 80 candidates
  than at 10. Read from a grid over the number of neighbours, each cross-validated on the seed's
  folds and scored on its test half, with the count of test points given zero probability for
  their class (each costs about 36 in log loss).

Usage: ``python benchmarks/case_studies.py`` writes the block ``case-studies`` of
docs/guide/ablation.md (about two minutes on one core).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from heldout import HORIZON, _test_of, best_so_far, load_rows, run_one  # noqa: E402
from heldout_real import REPORT_SKTPE  # noqa: E402
from heldout_tasks import SUITES, HeldoutTask  # noqa: E402

SEEDS = list(range(20))
#: Random search's candidates read on svc_chance: the first 40, the report run's largest budget
#: (its runs drew ``HORIZON`` times as many, for the comparison at equal time).
BUDGET = REPORT_LARGEST = 40
KS = list(range(1, 100))


def _task(suite: str, name: str) -> HeldoutTask:
    """The task named ``name`` of ``suite``."""
    return next(t for t in SUITES[suite] if t.name == name)


@dataclass(frozen=True)
class DefaultsWin:
    """svc_chance: how random search's candidates stand against the estimator's defaults."""

    seeds: int
    budget: int  # random search's candidates read: its first ``budget``
    defaults_test: float  # mean over seeds
    defaults_cv: float
    random_cv: float  # random search's best mean CV score among those candidates
    random_test: float  # ... its refit's test score
    random_oracle: float  # the best test score among those candidates (no search can pick it)
    cv_at_least: int  # seeds where the defaults' CV score is at least random search's best
    none_better: int  # seeds where no candidate scores above the defaults on the test half
    both: int  # seeds where both hold
    tpe_cv: float  # TPESearchCV's best CV score and test score at ``budget``
    tpe_test: float


def defaults_win(rows: list[dict], defaults_cv: dict[int, float], tests: dict[int, np.ndarray],
                 budget: int = BUDGET) -> DefaultsWin:
    """:class:`DefaultsWin` from a task's stored rows (``default``, ``random`` with its
    ``trial_cv`` and best-so-far ``trial_test``, ``tpe`` at ``budget``), the defaults' mean CV
    score per seed and the test score of each of random search's first ``budget`` candidates
    per seed (``tests``; checked against the stored best-so-far scores, or ValueError)."""
    by = {(r["method"], r["seed"]): r for r in rows}
    seeds = sorted(defaults_cv)
    d_test = np.array([by["default", s]["test"][0] for s in seeds])
    d_cv = np.array([defaults_cv[s] for s in seeds])
    cv = np.array([by["random", s]["trial_cv"][:budget] for s in seeds], dtype=float)
    test = np.array([tests[s][:budget] for s in seeds], dtype=float)
    finite = np.where(np.isfinite(cv), cv, -np.inf)
    for i, s in enumerate(seeds):
        so_far = test[i, best_so_far(cv[i])]
        if not np.allclose(so_far, by["random", s]["trial_test"][:budget], rtol=1e-9, atol=0.0):
            raise ValueError(f"seed {s}: the candidates' test scores do not give the stored best-so-far ones")
    pick = np.argmax(finite, axis=1)
    j = by["tpe", seeds[0]]["budgets"].index(budget)
    tpe_cv = np.array([by["tpe", s]["cv_best"][j] for s in seeds])
    tpe_test = np.array([by["tpe", s]["test"][j] for s in seeds])
    rows_ = np.arange(len(seeds))
    at_least = d_cv >= cv[rows_, pick] - 1e-12
    none = np.nanmax(test, axis=1) <= d_test + 1e-12
    return DefaultsWin(len(seeds), budget, float(d_test.mean()), float(d_cv.mean()),
                       float(cv[rows_, pick].mean()), float(test[rows_, pick].mean()),
                       float(np.nanmax(test, axis=1).mean()), int(at_least.sum()), int(none.sum()),
                       int((at_least & none).sum()), float(tpe_cv.mean()), float(tpe_test.mean()))


def candidate_tests(task: HeldoutTask, seeds: list[int], budget: int = BUDGET,
                    largest: int = REPORT_LARGEST) -> dict[int, np.ndarray]:
    """Per seed, the test score of each of random search's first ``budget`` candidates, drawn
    as ``heldout.py`` draws them (``ParameterSampler`` with the seed, ``HORIZON`` times the run's
    largest budget ``largest``) and refit on the training half."""
    from sklearn.model_selection import ParameterSampler

    out = {}
    for s in seeds:
        draws = list(ParameterSampler(task.space, int(HORIZON * largest), random_state=s))[:budget]
        split = task.split(s)
        out[s] = np.array([_test_of(task, p, split) for p in draws])
    return out


def defaults_cv(task: HeldoutTask, seeds: list[int]) -> dict[int, float]:
    """The estimator at its defaults, cross-validated on each seed's folds of its training half
    (``heldout.py``'s ``default-cv``)."""
    return {s: run_one("default-cv", task, s, (0,)).cv_best[0] for s in seeds}


@dataclass(frozen=True)
class Grid:
    """k-nearest neighbours over ``ks`` on each seed: fold scores, test scores, and the test
    points given zero probability for their class."""

    ks: list
    folds: np.ndarray  # (seeds, ks, folds)
    test: np.ndarray  # (seeds, ks)
    zeros: np.ndarray  # (seeds, ks)


def knn_grid(task: HeldoutTask, seeds: list[int], ks: list[int]) -> Grid:
    """:class:`Grid` of ``task``'s pipeline with ``knn__n_neighbors`` in ``ks`` (other settings at
    their defaults)."""
    from sklearn.metrics import get_scorer
    from sklearn.model_selection import cross_val_score

    scorer = get_scorer(task.scoring)
    folds, test, zeros = [], [], []
    for s in seeds:
        X_tr, X_te, y_tr, y_te = task.split(s)
        f_s, t_s, z_s = [], [], []
        for k in ks:
            est = task.default_estimator().set_params(knn__n_neighbors=k)
            f_s.append(cross_val_score(est, X_tr, y_tr, cv=task.cv(s), scoring=task.scoring))
            est.fit(X_tr, y_tr)
            t_s.append(scorer(est, X_te, y_te))
            proba = est.predict_proba(X_te)[np.arange(len(y_te)), np.searchsorted(est.classes_, y_te)]
            z_s.append(int((proba == 0).sum()))
        folds.append(f_s), test.append(t_s), zeros.append(z_s)
    return Grid(list(ks), np.array(folds), np.array(test), np.array(zeros))


@dataclass(frozen=True)
class Choice:
    """One way to choose k on each seed's grid: the chosen k and its test score and optimism
    (mean CV score minus test score), means over the seeds."""

    rule: str
    k_median: float
    test: float
    optimism: float
    zero_seeds: int  # seeds whose chosen model gives some test point zero probability
    other_k: int  # seeds where the rule picks another k than the top mean


def choices(grid: Grid) -> list[Choice]:
    """The top mean CV score, and the top mean minus one standard error over the folds (the
    folds' standard deviation over the square root of their number, as ``lower_bound_choice``)."""
    mean = grid.folds.mean(axis=2)
    se = grid.folds.std(axis=2) / np.sqrt(grid.folds.shape[2])
    out = []
    rows = np.arange(len(mean))
    top = np.argmax(mean, axis=1)
    for rule, score in (("the top mean CV score", mean), ("the top mean minus one standard error", mean - se)):
        pick = np.argmax(score, axis=1)
        out.append(Choice(rule, float(np.median(np.asarray(grid.ks)[pick])), float(grid.test[rows, pick].mean()),
                          float((mean[rows, pick] - grid.test[rows, pick]).mean()),
                          int((grid.zeros[rows, pick] > 0).sum()), int((pick != top).sum())))
    return out


def cliff(grid: Grid) -> int:
    """The smallest k from which no seed's model gives a test point zero probability."""
    clean = (grid.zeros == 0).all(axis=0)
    for i in range(len(grid.ks)):
        if clean[i:].all():
            return int(grid.ks[i])
    return -1


def lines(win: DefaultsWin, grid: Grid) -> list[str]:
    """The block: svc_chance's defaults against random search's candidates, then knn_anes96's grid."""
    L = [f"`svc_chance` (report suite, {win.seeds} seeds, random search's first {win.budget} candidates of the "
         "report run, each refit and scored on the test half; the estimator's defaults cross-validated on "
         "the same folds):", "",
         "| | mean CV score | mean test score |", "|---|---:|---:|",
         f"| estimator defaults | {win.defaults_cv:.3f} | {win.defaults_test:.3f} |",
         f"| random search's best CV candidate | {win.random_cv:.3f} | {win.random_test:.3f} |",
         f"| the best test score among its {win.budget} candidates (hindsight) | | {win.random_oracle:.3f} |",
         f"| TPESearchCV, n_iter={win.budget} | {win.tpe_cv:.3f} | {win.tpe_test:.3f} |", "",
         f"- The defaults' CV score is at least random search's best on {win.cv_at_least} of {win.seeds} seeds; "
         f"no candidate of the {win.budget} scores above the defaults on the test half on {win.none_better} of "
         f"{win.seeds}; both on {win.both}.", ""]
    ch = choices(grid)
    L += [f"`knn_anes96` (report-real suite, log loss): the pipeline with k = {grid.ks[0]} to {grid.ks[-1]} "
          f"neighbours (uniform weights, p=2) on {grid.test.shape[0]} seeds' folds and test halves. From "
          f"k = {cliff(grid)} on no seed's model gives a test point zero probability for its class. Choosing k "
          "on each seed's grid:", "",
          "| rule | median k | mean test score | optimism | seeds with a zero-probability test point | "
          "seeds where k differs from the top mean's |",
          "|---|---:|---:|---:|---:|---:|"]
    n = grid.test.shape[0]
    L += [f"| {c.rule} | {c.k_median:.1f} | {c.test:.3f} | {c.optimism:+.3f} | {c.zero_seeds} of {n} | "
          f"{c.other_k} of {n} |" for c in ch]
    return L


def svc_rows() -> list[dict]:
    """svc_chance's rows of the report run that the benchmark page reads (TPESearchCV's at the
    page's pinned sktpe source)."""
    return [r for r in load_rows("report") if r.get("task") == "svc_chance" and not r.get("variant")
            and (r["method"] == "default" or r["method"] == "random" and r["budgets"] == [10, 20, 40]
                 or r["method"] == "tpe" and r.get("sktpe") == REPORT_SKTPE)]


def main() -> None:
    """Compute both studies and write their block into docs/guide/ablation.md."""
    from heldout_report import write_ablation_block

    svc = _task("report", "svc_chance")
    win = defaults_win(svc_rows(), defaults_cv(svc, SEEDS), candidate_tests(svc, SEEDS))
    grid = knn_grid(_task("report-real", "knn_anes96"), SEEDS, KS)
    block = lines(win, grid)
    print("\n".join(block))
    write_ablation_block("case-studies", block)


if __name__ == "__main__":
    main()
