"""``selection='reevaluate'``: the top candidates cross-validated again on fresh folds.

A search that exploits hard picks, among near-ties, the candidate that the
folds happened to favour; its neighbours share that favour, so no choice
made on the same folds undoes it. Cross-validating the candidates of largest
mean again on a second shuffle of the folds (a copy of the user's splitter
with another seed) and choosing by the mean over both sets of folds does,
in part: measured on the 40 tasks of the tuning suite ``tuning-r``, rounds
18 and 19 of the user guide's ablation page.

This module makes the second splitter, and chooses from the scores; the
search runs the fits (``sktpe._evaluation.Evaluator.fit_on``).
"""

from __future__ import annotations

import copy
import inspect
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import check_cv

from ._noise import split_columns
from ._racing import raced_out
from ._warnings import user_stacklevel

__all__ = ["Reevaluation", "TOP", "check_reshufflable", "choose", "fold_score", "leaders",
           "reshuffled", "top_candidates", "warn_failures"]

#: How many candidates are cross-validated again (the measured rule's).
TOP = 5


@dataclass(frozen=True, eq=False)  # (arrays: compare the fields themselves)
class Reevaluation:
    """The top candidates of a search, cross-validated again on a second shuffle of the folds.

    The value of ``TPESearchCV.reevaluation_`` (``selection='reevaluate'``).

    Attributes
    ----------
    candidates : ndarray of shape (n_top,)
        Their indices in ``cv_results_``, largest mean test score first.
    split_scores : ndarray of shape (n_top, n_second_splits)
        Their test scores on each fold of ``cv`` (of the metric ``refit``
        names where several are scored), ``error_score`` where a fit failed.
    mean_scores : ndarray of shape (n_top,)
        Their mean test scores on ``cv``.
    combined_scores : ndarray of shape (n_top,)
        Their mean test scores over both sets of folds, the search's and
        ``cv``'s: what the choice maximises.
    chosen : int
        The index in ``cv_results_`` of the candidate chosen, ``best_index_``
        (on a tie, the one of larger mean on the search's folds).
    cv : cross-validation splitter
        The second splitter: a copy of the search's ``cv`` with shuffling on
        and another ``random_state``.
    """

    candidates: np.ndarray
    split_scores: np.ndarray
    mean_scores: np.ndarray
    combined_scores: np.ndarray
    chosen: int
    cv: Any


def _settable(cv: Any) -> set[str]:
    """Which of ``shuffle`` and ``random_state`` the splitter's class takes and keeps."""
    try:
        names = inspect.signature(type(cv).__init__).parameters
    except (TypeError, ValueError):  # pragma: no cover - a builtin signature
        return set()
    return {n for n in ("shuffle", "random_state") if n in names and hasattr(cv, n)}


def check_reshufflable(cv: Any, y: Any, classifier: bool) -> Any:
    """The search's splitter (``check_cv``'s), if a reshuffled copy can be made of it.

    Raises
    ------
    ValueError
        Naming ``cv`` and what to pass instead, for a splitter without a
        ``random_state`` (leave-one-out, predefined or time-series folds, an
        iterable of splits).
    """
    checked = check_cv(cv, y, classifier=classifier) if not _is_iterable_of_splits(cv) else None
    if checked is None or "random_state" not in _settable(checked):
        raise ValueError(
            f"selection='reevaluate' cross-validates the top candidates again on a "
            f"reshuffled copy of cv, but {_described(cv)} takes no random_state: its folds "
            f"cannot be drawn again. Pass a splitter that shuffles, such as KFold(5, shuffle=True), "
            f"StratifiedKFold, ShuffleSplit or GroupShuffleSplit (or an int, for KFold / "
            f"StratifiedKFold), or set selection='best'."
        )
    return checked


def _described(cv: Any) -> str:
    """``cv`` for an error message: its repr, or what kind of iterable it is."""
    if _is_iterable_of_splits(cv):
        return f"cv (an iterable of splits, {type(cv).__name__})"
    return f"cv={cv!r}"


def _is_iterable_of_splits(cv: Any) -> bool:
    """Whether ``cv`` is an iterable of (train, test) index pairs, which no seed can reshuffle."""
    return cv is not None and not isinstance(cv, (int, np.integer)) and not hasattr(cv, "split")


def reshuffled(cv: Any, seed: int) -> Any:
    """A copy of splitter ``cv`` (from :func:`check_reshufflable`) that shuffles with ``seed``;
    ``seed + 1`` where ``cv`` already has ``seed`` as its random_state (other folds)."""
    second = copy.deepcopy(cv)
    if "shuffle" in _settable(second):
        second.shuffle = True
    if getattr(cv, "random_state", None) == seed and getattr(cv, "shuffle", True):
        seed += 1
    second.random_state = seed
    return second


def top_candidates(means: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """The indices of the (at most) ``TOP`` largest finite eligible means, largest first
    (ties: the earlier candidate first)."""
    scores = np.where(eligible & np.isfinite(means), means, -np.inf)
    order = np.argsort(-scores, kind="stable")[:TOP]
    return order[np.isfinite(scores[order])]


def leaders(results: Mapping[str, Any], metric: str) -> tuple[np.ndarray, np.ndarray]:
    """The candidates to re-evaluate, from ``cv_results_``: the indices of the ``TOP`` largest
    mean test scores of ``metric`` among the candidates not raced out (their means are
    partial), largest first, and their fold scores, of shape (n_top, n_splits)."""
    means = np.asarray(results[f"mean_test_{metric}"], dtype=float)
    top = top_candidates(means, ~raced_out(results, len(means)))
    columns = split_columns(results, metric)
    first = np.array([[results[k][i] for k in columns] for i in top], dtype=float)
    return top, first.reshape(len(top), len(columns))


def choose(candidates: np.ndarray, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, int]:
    """Each candidate's mean over both sets of fold scores, and the index of the largest.

    Parameters
    ----------
    candidates : ndarray of shape (n_top,)
        Indices into ``cv_results_``, largest first mean first.
    first, second : ndarray of shape (n_top, n_splits) and (n_top, n_second_splits)
        Their fold scores on the search's folds and on the second ones.

    Returns
    -------
    combined : ndarray of shape (n_top,)
    chosen : int
        The element of ``candidates`` of largest combined mean (a tie, or every
        combined mean NaN: the earlier, of larger first mean).
    """
    combined = np.concatenate([first, second], axis=1).mean(axis=1)
    finite = np.where(np.isfinite(combined), combined, -np.inf)
    return combined, int(candidates[int(np.argmax(finite))])


def fold_score(record: dict, metric: str, error_score: float) -> float:
    """One fold record's test score of ``metric`` ('score' where one was scored), as
    ``cv_results_`` would hold it: ``error_score`` where the fit failed."""
    if record.get("fit_error") is not None:
        return float(error_score)
    scores = record["test_scores"]
    if isinstance(scores, dict):
        scores = scores[metric]
    return float(np.real(scores))


def warn_failures(records: list[list[dict]]) -> None:
    """A FitFailedWarning naming how many re-evaluation fits failed, and the first error."""
    failed = [r["fit_error"] for rows in records for r in rows if r.get("fit_error") is not None]
    if failed:
        n = sum(len(rows) for rows in records)
        warnings.warn(
            f"{len(failed)} of the {n} fits that re-evaluated the top candidates "
            f"(selection='reevaluate') failed and scored error_score; the first error: "
            f"{failed[0]}", FitFailedWarning, stacklevel=user_stacklevel())
