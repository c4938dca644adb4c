"""Racing: stop cross-validating a candidate once it is clearly losing.

With ``TPESearchCV(racing=True)`` the folds of a batch run in waves: the
first ``MIN_FOLDS`` folds of every candidate, then one more fold at a time for
the candidates still in the race. After each wave a candidate is compared with
the incumbent (the best candidate so far that ran every fold) on the same
folds, with a one-sided paired t-test on the per-fold differences. It leaves
the race when it is behind the incumbent on those folds (its mean over them
is lower) and the test rules out, at level ``ALPHA``, that it beats the
incumbent by more than ``MARGIN`` standard errors of the incumbent's mean
score (its standard deviation over folds over the square root of the number
of folds): an improvement smaller than that is within the noise of the
cross-validated score, the same yardstick as the one-standard-error rule.
A candidate ahead of the incumbent, or level with it (ties on easy folds,
common with accuracy), on the folds it ran stays in the race. (Without that
condition a candidate ahead on every fold by less than the margin was
dropped, and one ahead by the same amount on each was not; and with nearly
equal fold differences the test weighed them against a margin estimated
from a few folds, and dropped a candidate better than the margin far more
often than ``ALPHA``.) Differences that are the same on every fold so far
leave the test no spread: a candidate behind by the same amount on each
leaves. A candidate better than the incumbent by more than the margin is
therefore dropped with probability at most ``ALPHA`` per look, under the
test's normality assumption (less where the folds agree; see
``benchmarks/racing_sim.py``). The level and margin were chosen by replaying
settings on full-fold searches (``benchmarks/racing.py``). A fold whose fit
failed (whatever ``error_score``: see ``compat.fold_objectives``) leaves the
candidate's mean undefined, so it can never become best: it leaves the race
at once.

Here are the rules: the test, the score a raced-out candidate is learnt
as, and its honest row in ``cv_results_``. The waves themselves are the
scheduler's (``sktpe._scheduler``). Nothing here touches scikit-learn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

__all__ = ["MIN_FOLDS", "ALPHA", "MARGIN", "worse_than_incumbent", "estimated_mean", "mark_raced",
           "raced_out"]

#: Folds every candidate runs before it can leave the race.
MIN_FOLDS = 2
#: Level of the one-sided paired t-test at each look.
ALPHA = 0.1
#: Improvement over the incumbent, in standard errors of its mean, too small to be worth the folds.
MARGIN = 0.5


def worse_than_incumbent(
    scores: Sequence[float] | np.ndarray,
    incumbent: Sequence[float] | np.ndarray | None,
    n_splits: int,
    alpha: float = ALPHA,
    min_folds: int = MIN_FOLDS,
    margin: float = MARGIN,
) -> bool:
    """Whether ``scores`` (a candidate's first folds) cannot beat the incumbent's.

    Parameters
    ----------
    scores : sequence of float
        The candidate's objective on its first ``len(scores)`` folds.
    incumbent : sequence of float or None
        The incumbent's objective on every fold; None if there is none yet.
    n_splits : int
        Number of folds of the search.
    alpha : float
        Level of the one-sided paired t-test.
    min_folds : int
        Folds a candidate runs before the test may drop it.
    margin : float
        Improvements smaller than ``margin`` standard errors of the
        incumbent's mean score do not keep a candidate that is behind on the
        folds it ran in the race; 0 drops only candidates found worse than
        the incumbent.

    Returns
    -------
    bool
    """
    scores = np.asarray(scores, dtype=float)
    if np.isnan(scores).any() or (scores == -np.inf).any():
        return True  # its mean is NaN or -inf whatever the other folds give
    if (scores == np.inf).any():
        return False  # its mean is +inf: no finite incumbent beats it
    n = len(scores)
    if incumbent is None or n < max(min_folds, 2) or n >= n_splits:
        return False
    incumbent = np.asarray(incumbent, dtype=float)
    d = incumbent[:n] - scores
    # Ahead of the incumbent or level with it on the folds so far: in the race. (Up to
    # rounding: 0.57 - 0.56 is not 0.51 - 0.50, hence a tolerance relative to the scores.)
    tol = 1e-12 * max(float(np.abs(incumbent[:n]).max()), float(np.abs(scores).max()))
    if not d.mean() > tol:
        return False
    # The same difference on every fold (discrete scores give that often) leaves the test
    # no spread to weigh it by: behind on every fold, so out.
    if np.ptp(d) <= tol:
        return True
    delta = margin * incumbent.std(ddof=1) / math.sqrt(len(incumbent)) if len(incumbent) > 1 else 0.0
    shortfall = d.mean() + delta  # > 0: the candidate does not beat the incumbent by the margin
    sd = d.std(ddof=1)
    t = shortfall / (sd / math.sqrt(n))
    return bool(stats.t.sf(t, n - 1) < alpha)


def estimated_mean(
    scores: Sequence[float] | np.ndarray, incumbent: Sequence[float] | np.ndarray | None
) -> float:
    """What a raced-out candidate would score on all folds, as the sampler learns it.

    The incumbent's mean less the candidate's mean paired shortfall on the
    folds it ran, and never above the incumbent's mean (a raced-out
    candidate was behind it on those folds, so below it). A raw partial mean
    could be above it when the folds run were easy ones.
    """
    scores = np.asarray(scores, dtype=float)
    if incumbent is None or np.isnan(scores).any():
        return float("nan")
    incumbent = np.asarray(incumbent, dtype=float)
    shortfall = (incumbent[: len(scores)] - scores).mean()
    return float(incumbent.mean() - max(shortfall, 0.0))


def rank(means: Sequence[float] | np.ndarray) -> np.ndarray:
    """Ranks as scikit-learn gives them: 1 is best, ties share the lowest, NaN last."""
    means = np.asarray(means, dtype=float)
    if not len(means) or np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    return stats.rankdata(-filled, method="min").astype(np.int32)


def _ran_stats(values: np.ndarray, ran: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each row over its folds that ran (``ran``, a mask of the
    same shape): a failed fold's NaN stays in, as scikit-learn leaves it in a mean."""
    n = ran.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ran, values, 0.0).sum(axis=1) / n
        var = np.where(ran, (values - mean[:, None]) ** 2, 0.0).sum(axis=1) / n
    return mean, np.sqrt(var)


def raced_out(results: Mapping[str, Any], n: int) -> np.ndarray:
    """Which of the ``n`` rows of ``cv_results_`` were raced out (all False without the column).

    Their means are over the folds they ran only: never compared with the
    means of candidates that ran every fold.
    """
    if "raced_out" not in results:
        return np.zeros(n, dtype=bool)
    return np.asarray(results["raced_out"], dtype=bool)


def mark_raced(
    results: dict[str, Any], raced: Sequence[bool] | np.ndarray, times: Mapping[str, Any],
    skipped: np.ndarray,
) -> dict[str, Any]:
    """Make formatted ``cv_results_`` honest about raced-out rows, in place.

    A raced-out row's means and stds (scores and times) are over the folds it
    ran (its skipped folds hold NaN; a fold whose fit failed keeps its NaN
    score in the mean, as scikit-learn's rows do), and it ranks below every
    row that ran all folds. ``times`` maps ``'fit_time'`` and ``'score_time'``
    to arrays of shape (n_candidates, n_splits), NaN where a fold was skipped;
    ``skipped`` is True at the skipped folds, with that shape.
    """
    raced = np.asarray(raced, dtype=bool)
    results["raced_out"] = raced.copy()
    if not raced.any():
        return results
    ran = ~np.asarray(skipped, dtype=bool)[raced]
    for name, values in times.items():
        mean, std = _ran_stats(np.asarray(values, dtype=float)[raced], ran)
        results[f"mean_{name}"][raced] = mean
        results[f"std_{name}"][raced] = std
    split_keys: dict[str, list[str]] = {}
    for key in results:
        if key.startswith("split") and "_" in key:
            head, _, tail = key.partition("_")
            split_keys.setdefault(tail, []).append(key)
    for tail, keys in split_keys.items():  # tail: test_score, train_accuracy, ...
        values = np.column_stack([np.asarray(results[k], dtype=float) for k in keys])[raced]
        mean, std = _ran_stats(values, ran)
        results[f"mean_{tail}"][raced] = mean
        results[f"std_{tail}"][raced] = std
        if f"rank_{tail}" in results:
            means = np.asarray(results[f"mean_{tail}"], dtype=float)
            ranks = np.empty(len(means), dtype=np.int32)
            ranks[~raced] = rank(means[~raced])
            ranks[raced] = (~raced).sum() + rank(means[raced])
            results[f"rank_{tail}"] = ranks
    return results
