"""Racing: stop cross-validating a candidate once it is clearly losing.

With ``TPESearchCV(racing=True)`` the folds of a batch run in waves: the
first ``MIN_FOLDS`` folds of every candidate, then one more fold at a time for
the candidates still in the race. After each wave a candidate is compared with
the incumbent (the best candidate so far that ran every fold) on the same
folds, with a one-sided paired t-test on the per-fold differences. It leaves
the race when the test rules out, at level ``ALPHA``, that it beats the
incumbent by more than ``MARGIN`` standard errors of the incumbent's mean
score (its standard deviation over folds over the square root of the number
of folds): an improvement smaller than that is within the noise of the
cross-validated score, the same yardstick as the one-standard-error rule.
A candidate better than the incumbent by more than the margin is therefore
dropped with probability at most ``ALPHA`` per look, under the test's
normality assumption; one better by less may be dropped, which costs less
than the noise of the score. The level and margin were chosen by replaying
settings on full-fold searches (``benchmarks/racing.py``). A fold whose fit
failed with a NaN ``error_score`` leaves the candidate's mean undefined, so it
can never become best: it leaves the race at once.

Nothing here touches scikit-learn; the search supplies the fold fits.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from scipy import stats

__all__ = ["MIN_FOLDS", "ALPHA", "MARGIN", "worse_than_incumbent", "race", "race_flow", "estimated_mean", "mark_raced"]

#: Folds every candidate runs before it can leave the race.
MIN_FOLDS = 2
#: Level of the one-sided paired t-test at each look.
ALPHA = 0.1
#: Improvement over the incumbent, in standard errors of its mean, too small to be worth the folds.
MARGIN = 0.5


#: One fold fit to run: (candidate index, fold index).
FoldTask = tuple[int, int]


class RaceResult(NamedTuple):
    """What :func:`race` returns (unpacks as ``records, raced``)."""

    records: list[list[Any]]  # per candidate, its fold records; None for a skipped fold
    raced: list[bool]  # whether each candidate left the race


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
        incumbent's mean score do not keep a candidate in the race; 0 drops
        only candidates found worse than the incumbent.

    Returns
    -------
    bool
    """
    scores = np.asarray(scores, dtype=float)
    if np.isnan(scores).any():
        return True  # its mean is NaN whatever the other folds give
    n = len(scores)
    if incumbent is None or n < max(min_folds, 2) or n >= n_splits:
        return False
    incumbent = np.asarray(incumbent, dtype=float)
    d = incumbent[:n] - scores
    delta = margin * incumbent.std(ddof=1) / math.sqrt(len(incumbent)) if len(incumbent) > 1 else 0.0
    shortfall = d.mean() + delta  # > 0: the candidate does not beat the incumbent by the margin
    if not shortfall > 0:
        return False
    sd = d.std(ddof=1)
    if sd == 0:
        return True  # the same shortfall on every fold
    t = shortfall / (sd / math.sqrt(n))
    return bool(stats.t.sf(t, n - 1) < alpha)


def estimated_mean(
    scores: Sequence[float] | np.ndarray, incumbent: Sequence[float] | np.ndarray | None
) -> float:
    """What a raced-out candidate would score on all folds, as the sampler learns it.

    The incumbent's mean less the candidate's mean paired shortfall on the
    folds it ran, and never above the incumbent's mean: the test found the
    candidate no better than it. A raw partial mean could be above it when
    the folds run were easy ones.
    """
    scores = np.asarray(scores, dtype=float)
    if incumbent is None or np.isnan(scores).any():
        return float("nan")
    incumbent = np.asarray(incumbent, dtype=float)
    shortfall = (incumbent[: len(scores)] - scores).mean()
    return float(incumbent.mean() - max(shortfall, 0.0))


def race(
    n_candidates: int,
    n_splits: int,
    incumbent: Sequence[float] | np.ndarray | None,
    run_wave: Callable[[list[FoldTask]], Sequence[Any]],
    objective: Callable[[Any], float],
    min_folds: int = MIN_FOLDS,
    alpha: float = ALPHA,
    margin: float = MARGIN,
) -> RaceResult:
    """Run a batch's folds in waves, dropping the candidates that lose.

    Parameters
    ----------
    n_candidates, n_splits : int
    incumbent : sequence of float or None
        The incumbent's objective on every fold.
    run_wave : callable
        ``run_wave([(candidate, fold), ...])`` returns the fold records of
        those fits, in order.
    objective : callable
        The objective of one fold record.

    Returns
    -------
    result : RaceResult
        ``records`` (list of list): per candidate, its records by fold; None
        for a fold it skipped. ``raced`` (list of bool): whether each
        candidate left the race.
    """
    records: list[list[Any]] = [[None] * n_splits for _ in range(n_candidates)]
    alive = list(range(n_candidates))
    first = min(max(1, min_folds), n_splits)
    wave = [(i, f) for i in alive for f in range(first)]
    done = first
    while wave:
        for (i, f), record in zip(wave, run_wave(wave)):
            records[i][f] = record
        if done >= n_splits:
            break
        alive = [
            i for i in alive
            if not worse_than_incumbent(
                [objective(r) for r in records[i][:done]], incumbent, n_splits,
                alpha=alpha, min_folds=min_folds, margin=margin,
            )
        ]
        wave = [(i, done) for i in alive]
        done += 1
    raced = [r[-1] is None for r in records]
    return RaceResult(records, raced)


def race_flow(
    n_splits: int,
    slots: int,
    ask: Callable[[int], Sequence[Hashable]],
    run_wave: Callable[[list[tuple[Any, int]]], Sequence[Any]],
    objective: Callable[[Any], float],
    incumbent: Callable[[], Sequence[float] | np.ndarray | None],
    finish: Callable[[Any, list[Any], bool], None],
    min_folds: int = MIN_FOLDS,
    alpha: float = ALPHA,
    margin: float = MARGIN,
) -> None:
    """Race candidates in overlapping waves that keep ``slots`` fits each.

    Every wave holds the next fold of each candidate still in the race,
    plus the first fold of new candidates asked for the free slots, so that
    the workers never wait for the last candidates of a batch. After a wave,
    the candidates that ran every fold finish first (one may become the
    incumbent), then each other candidate is tested against the incumbent.

    Parameters
    ----------
    n_splits, slots : int
    ask : callable
        ``ask(k)`` returns up to ``k`` new candidates; fewer stops the asking.
    run_wave : callable
        ``run_wave([(candidate, fold), ...])`` returns those fold records.
    objective : callable
        The objective of one fold record.
    incumbent : callable
        ``incumbent()`` returns the incumbent's objective on every fold, or None.
    finish : callable
        ``finish(candidate, records, raced)``, once per candidate, in an order
        fixed by the results (so the run is deterministic); ``records`` are
        the folds it ran, in order.
    """
    active: list[tuple[Any, list[Any]]] = []
    asking = True
    while True:
        free = slots - len(active)
        if asking and free > 0:
            new = list(ask(free))
            asking = len(new) == free
            active += [(c, []) for c in new]
        if not active:
            return
        wave = [(c, len(records)) for c, records in active]
        for (_, records), record in zip(active, run_wave(wave)):
            records.append(record)
        for c, records in active:
            if len(records) == n_splits:
                finish(c, records, False)
        inc = incumbent()
        still = []
        for c, records in active:
            if len(records) == n_splits:
                continue
            if worse_than_incumbent([objective(r) for r in records], inc, n_splits,
                                    alpha=alpha, min_folds=min_folds, margin=margin):
                finish(c, records, True)
            else:
                still.append((c, records))
        active = still


def rank(means: Sequence[float] | np.ndarray) -> np.ndarray:
    """Ranks as scikit-learn gives them: 1 is best, ties share the lowest, NaN last."""
    means = np.asarray(means, dtype=float)
    if not len(means) or np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    return stats.rankdata(-filled, method="min").astype(np.int32)


def _nan_stats(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each row, over its non-NaN values."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a row of NaN only
        return np.nanmean(values, axis=1), np.nanstd(values, axis=1)


def mark_raced(
    results: dict[str, Any], raced: Sequence[bool] | np.ndarray, times: Mapping[str, Any]
) -> dict[str, Any]:
    """Make formatted ``cv_results_`` honest about raced-out rows, in place.

    A raced-out row's means and stds (scores and times) are over the folds it
    ran (its skipped folds hold NaN), and it ranks below every row that ran
    all folds. ``times`` maps ``'fit_time'`` and ``'score_time'`` to arrays of
    shape (n_candidates, n_splits), NaN where a fold was skipped.
    """
    raced = np.asarray(raced, dtype=bool)
    results["raced_out"] = raced.copy()
    if not raced.any():
        return results
    for name, values in times.items():
        mean, std = _nan_stats(np.asarray(values, dtype=float)[raced])
        results[f"mean_{name}"][raced] = mean
        results[f"std_{name}"][raced] = std
    split_keys: dict[str, list[str]] = {}
    for key in results:
        if key.startswith("split") and "_" in key:
            head, _, tail = key.partition("_")
            split_keys.setdefault(tail, []).append(key)
    for tail, keys in split_keys.items():  # tail: test_score, train_accuracy, ...
        values = np.column_stack([np.asarray(results[k], dtype=float) for k in keys])[raced]
        mean, std = _nan_stats(values)
        results[f"mean_{tail}"][raced] = mean
        results[f"std_{tail}"][raced] = std
        if f"rank_{tail}" in results:
            means = np.asarray(results[f"mean_{tail}"], dtype=float)
            ranks = np.empty(len(means), dtype=np.int32)
            ranks[~raced] = rank(means[~raced])
            ranks[raced] = (~raced).sum() + rank(means[raced])
            results[f"rank_{tail}"] = ranks
    return results
