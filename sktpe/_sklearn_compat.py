"""Every contact sktpe has with scikit-learn's private internals, in one place.

``TPESearchCV`` is built on ``BaseSearchCV``'s extension point,
``_run_search(evaluate_candidates)``. That contract evaluates a batch of
candidates and returns ``cv_results_`` rebuilt from scratch; it cannot, on its
own, keep a search of many small batches cheap, survive a batch whose every
fit failed, or report one progress bar for the whole search. Each thing it
cannot do is one function or class below, with the reason it is needed.
Nothing here changes scikit-learn: no module attribute is replaced.

Checked on scikit-learn 1.5.2 and 1.9.1. ``tests/test_sklearn_contract.py``
checks every assumption made here, so a release that breaks one fails loudly
in the test suite instead of silently in a user's search.

Contacts:

0. ``BaseSearchCV`` itself, from ``sklearn.model_selection._search``: the
   base class whose ``_run_search(evaluate_candidates)`` is the documented
   extension point, but which scikit-learn does not export publicly.
1. ``format_results``: ``BaseSearchCV._format_results``. TPESearchCV
   overrides it (:class:`DeferredResults`) to defer formatting
   (evaluate_candidates reformats every earlier candidate after every batch,
   which makes a sequential search quadratic) and calls it once at the end,
   with extra columns through its ``more_results``.
2. Fold records: the dicts ``_fit_and_score`` returns (keys ``fit_error``,
   ``test_scores``, ``train_scores``, ``n_test_samples``, ``fit_time``,
   ``score_time``). Read for the score TPE learns from; written to score a
   too-slow fit as failed (``max_fit_time``) and to keep the rows of a batch
   whose every fit failed.
3. Failure judgement: ``_warn_or_raise_about_fit_failures`` and its message
   format. evaluate_candidates judges each batch: a batch whose every fit
   failed raises and loses its rows, a partly failed one warns. TPESearchCV
   keeps such rows and judges once over the whole search, as
   RandomizedSearchCV's single batch is judged.
4. Verbose header: evaluate_candidates prints "Fitting k folds for each of n
   candidates" per call when ``search.verbose > 0``; TPESearchCV prints one
   header for the search and mutes the per-batch ones.
5. Callbacks (scikit-learn >= 1.9, an experimental API): the search context
   and the per-fit contexts evaluate_candidates creates (their task ids
   restart at 0 on every call, so a shared parent gets offset ids), and the
   ``_skl_callbacks`` attribute that tells whether callbacks are set.
6. Fit tasks pickle the search (scikit-learn >= 1.9 passes ``caller=self`` to
   every fit task, for callbacks). Unpickling a space of scipy distributions
   costs about as much as a small fit, so a running search without callbacks
   pickles to a placeholder.
7. ``sklearn.utils._param_validation`` (``Interval``, ``StrOptions``,
   ``InvalidParameterError``, ``validate_parameter_constraints``): the
   constraint objects ``BaseSearchCV._parameter_constraints`` is written in,
   the error class its validation raises (so that sktpe's own checks raise
   the same kind), and the function that checks values against constraints.
   ``TPESampler`` is no estimator, so nothing validates its settings for it:
   it calls the same function on the same constraints
   (``sktpe._tpe.SAMPLER_CONSTRAINTS``) as ``TPESearchCV.fit``, so that both
   reject a bad setting with one message.
8. Racing (``racing=True``) fits single folds of a candidate, which
   evaluate_candidates cannot do (it checks that every batch runs every
   split). To give those folds exactly the records, scores and failure
   handling evaluate_candidates gives, racing uses what it uses:
   ``BaseSearchCV._get_scorers``, ``BaseSearchCV._get_routed_params_for_fit``,
   ``sklearn.utils.validation._check_method_params`` and
   ``sklearn.model_selection._validation._fit_and_score``. (The public
   ``cross_validate`` returns neither the fit error texts nor the records
   ``cv_results_`` is formatted from.)
9. ``BaseSearchCV._select_best_index(refit, refit_metric, results)``: the
   one place ``fit`` chooses ``best_index_`` (then ``best_score_`` and
   ``best_params_`` from it). TPESearchCV overrides it for
   ``selection='smoothed'`` and calls scikit-learn's own through
   :func:`sklearn_best_index` for everything else (a callable ``refit``).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sklearn
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._validation import (
    _fit_and_score,
    _warn_or_raise_about_fit_failures,
)
from sklearn.utils import indexable
from sklearn.utils._param_validation import (
    InvalidParameterError,
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import _check_method_params

from ._warnings import held_back, reissue

__all__ = [
    "FORMAT_WARNINGS",
    "BaseSearchCV",
    "InvalidParameterError",
    "Interval",
    "StrOptions",
    "validate_parameter_constraints",
    "Capture",
    "DeferredResults",
    "format_results",
    "fold_objectives",
    "nonfinite_mean_warning",
    "masked_column_cast_warning",
    "skipped_fold",
    "fold_test_scores",
    "n_failed",
    "fail_slow_fits",
    "failed_folds",
    "give_metric_names",
    "judge_fit_failures",
    "all_fits_failed_errors",
    "batch_failures_deferred",
    "known_n_splits",
    "muted_batch_header",
    "has_callbacks",
    "search_context",
    "RunningSearch",
    "FoldFitter",
    "sklearn_best_index",
]


# -- 1. formatting cv_results_ -------------------------------------------------
@dataclass
class Capture:
    """What a running fit's calls of evaluate_candidates produced (see :class:`DeferredResults`)."""

    results: dict = field(default_factory=dict)  # handed back to BaseSearchCV by every call
    records: list | None = None  # the fold records of the latest call
    n_seen: int = 0  # candidates of BaseSearchCV's lists already taken (they only grow)
    n_splits: int | None = None


class DeferredResults:
    """Mixin for a BaseSearchCV subclass: formatting deferred while a fit runs.

    evaluate_candidates formats every earlier candidate again after each
    call, which makes a search of many small batches quadratic. While the
    search's ``_fitting`` attribute is a :class:`Capture`, ``_format_results``
    only keeps the new fold records there and hands back the capture's
    ``results`` dict, which the search fills once, at the end.
    """

    def _format_results(self, candidate_params: list, n_splits: int, out: list[dict],
                        more_results: dict | None = None) -> dict:
        capture = self.__dict__.get("_fitting")
        if not isinstance(capture, Capture):
            return super()._format_results(candidate_params, n_splits, out, more_results)
        capture.records = out[capture.n_seen * n_splits:]
        capture.n_seen, capture.n_splits = len(candidate_params), n_splits
        return capture.results


def format_results(search: Any, candidate_params: list, n_splits: int, records: list[dict],
                   more_results: dict | None = None) -> dict:
    """``cv_results_`` of these candidates, formatted by BaseSearchCV itself.

    ``more_results`` maps extra column names to one value per candidate, as
    the successive-halving searches add theirs.
    """
    return BaseSearchCV._format_results(search, candidate_params, n_splits, records, more_results)


_NONFINITE_MEANS = re.compile(r"One or more of the (train|test) scores are non-finite")
#: Held back while the search formats cv_results_ whatever the user's filters say: the
#: skipped folds of raced-out rows give non-finite means until they are made honest
#: (sktpe._results re-judges it).
_MASKED_CAST = re.compile(r"invalid value encountered in cast")
FORMAT_WARNINGS = ((UserWarning, _NONFINITE_MEANS.pattern), (RuntimeWarning, _MASKED_CAST.pattern))


def masked_column_cast_warning(w: warnings.WarningMessage) -> bool:
    """Whether ``w`` is numpy's warning of a cast of masked garbage in a ``param_*`` column.

    scikit-learn before 1.6 builds each column from ``np.empty`` floats cast to
    the column's dtype: where the uninitialised memory holds a NaN (which
    depends on what the process freed before), numpy warns of a cast of values
    that are masked anyway. It says nothing about the search, and is dropped.
    """
    return (issubclass(w.category, RuntimeWarning) and bool(_MASKED_CAST.match(str(w.message)))
            and w.filename.replace("\\", "/").endswith("numpy/ma/core.py"))


def nonfinite_mean_warning(w: warnings.WarningMessage) -> str | None:
    """'train' or 'test' if ``w`` is _format_results' warning of non-finite mean scores, else None."""
    match = _NONFINITE_MEANS.match(str(w.message))
    return match.group(1) if match else None


# -- 2. fold records -----------------------------------------------------------
#: The keys every fold record holds (``train_scores`` too with ``return_train_score``).
RECORD_KEYS = frozenset({"fit_error", "test_scores", "n_test_samples", "fit_time", "score_time"})


def real_scores(scores: Any) -> Any:
    """A fold's score(s) as ``cv_results_`` takes them: a complex score as its real part
    (scikit-learn's formatting casts it, with numpy's warning); a dict of several metrics
    score by score."""
    if isinstance(scores, dict):
        return {k: real_scores(v) for k, v in scores.items()}
    return scores.real if np.iscomplexobj(scores) else scores


def fold_test_scores(record: dict) -> float | dict:
    """The test score(s) of one fold fit: a float, or a dict for several metrics."""
    return record["test_scores"]


def fold_objectives(records: list[dict], metric: str | None) -> list[float]:
    """The test score of each fold record; of ``metric`` where it scored several (None: the first).

    A fold whose fit failed counts NaN, whatever ``error_score`` put in its record: the
    sampler, racing and the stopping rules learn a failed fit as the worst result
    (``error_score=0`` on a negated error would otherwise be the best score of all),
    while ``cv_results_`` keeps scikit-learn's ``error_score``.
    """
    out = []
    for r in records:
        if r.get("fit_error") is not None:
            out.append(math.nan)
            continue
        scores = r["test_scores"]
        if isinstance(scores, dict):
            if metric is not None and metric not in scores:  # a callable scoring's own keys
                raise ValueError(
                    f"For multi-metric scoring, the parameter refit must be set to a scorer "
                    f"key or a callable: the scoring callable returns "
                    f"{', '.join(map(repr, scores))}, and refit={metric!r} is none of them. "
                    f"Set refit to one of those keys, a callable, or False."
                )
            scores = scores[metric if metric is not None else next(iter(scores))]
        out.append(real_scores(scores))
    return out


def _error_scores(like: float | dict, error_score: float) -> float | dict:
    return {k: error_score for k in like} if isinstance(like, dict) else error_score


def n_failed(records: list[dict]) -> int:
    """How many of these fold fits failed."""
    return sum(r["fit_error"] is not None for r in records)


def fail_slow_fits(records: list[dict], max_fit_time: float | None,
                   error_score: str | float) -> None:
    """Score fold fits that took longer than ``max_fit_time`` seconds as failed."""
    if max_fit_time is None:
        return
    for r in records:
        if r["fit_error"] is None and r["fit_time"] > max_fit_time:
            if error_score == "raise":
                raise ValueError(f"Fit took {r['fit_time']:.3g}s, longer than max_fit_time="
                                 f"{max_fit_time}s. Raised because error_score='raise'.")
            # One text for every slow fit, so that scikit-learn's warning counts them
            # under one message instead of one per fit time.
            r["fit_error"] = (
                f"The fit took longer than max_fit_time={max_fit_time}s. If every fit is "
                f"this slow, raise max_fit_time or set it to None."
            )
            for key in ("test_scores", "train_scores"):
                if key in r:
                    r[key] = _error_scores(r[key], error_score)


def failed_folds(errors: list[str], n_splits: int, earlier: list[dict], error_score: float,
                 return_train_score: bool, fit_time: float = 0.0) -> list[dict]:
    """Fold records for fits that failed with ``errors`` (one text per fit).

    Their test-fold sizes come from the first candidate of ``earlier`` whose
    every fold succeeded (0 if none did; cv_results_ does not show them).
    scikit-learn's error keeps no times: each fit is given ``fit_time`` (the
    caller's estimate), and a score time of 0, as scikit-learn gives a failed fit.
    """
    sizes = [0] * n_splits
    for i in range(0, len(earlier), n_splits):
        fold = earlier[i : i + n_splits]
        if n_failed(fold) == 0:
            sizes = [r["n_test_samples"] for r in fold]
            break
    records = []
    for i, error in enumerate(errors):
        record = dict(
            fit_error=error, test_scores=error_score, n_test_samples=sizes[i % n_splits],
            fit_time=fit_time, score_time=0.0,
        )
        if return_train_score:
            record["train_scores"] = error_score
        records.append(record)
    return records


def skipped_fold(like: dict, n_test_samples: int) -> dict:
    """The record of a fold that was not run (racing skipped it): NaN scores and times."""
    def nan_like(scores: float | dict) -> float | dict:
        return {k: float("nan") for k in scores} if isinstance(scores, dict) else float("nan")

    record = dict(
        fit_error=None, test_scores=nan_like(like["test_scores"]),
        n_test_samples=n_test_samples, fit_time=float("nan"), score_time=float("nan"),
    )
    if "train_scores" in like:
        record["train_scores"] = nan_like(like["train_scores"])
    return record


def give_metric_names(records: list[dict], error_score: float) -> None:
    """Error scores as dicts where the other folds scored several metrics.

    A callable ``scoring`` reveals whether it returns several metrics only
    once a fit succeeds; records of a batch whose every fit failed hold plain
    error scores until then.
    """
    like = next(
        (r["test_scores"] for r in records if isinstance(r["test_scores"], dict)), None
    )
    if like is None:
        return
    for r in records:
        for key in ("test_scores", "train_scores"):
            if key in r and not isinstance(r[key], dict):
                r[key] = _error_scores(like, error_score)


# -- 3. failure judgement --------------------------------------------------------
def judge_fit_failures(records: list[dict], error_score: str | float) -> None:
    """Warn once if some fits failed, raise if every fit failed (scikit-learn's words)."""
    _warn_or_raise_about_fit_failures(records, error_score)


_ALL_FAILED = re.compile(r"\s*All the (\d+) fits failed\.")
_SUMMARY = re.compile(r"-{80}\n(\d+) fits failed with the following error:\n")


def all_fits_failed_errors(exc: BaseException) -> list[str] | None:
    """The fit errors of a batch whose every fit failed, from evaluate_candidates' error.

    Returns one error text per failed fit, or None if ``exc`` is another error.
    """
    text = str(exc)
    match = _ALL_FAILED.match(text)
    if not isinstance(exc, ValueError) or match is None:
        return None
    total = int(match.group(1))
    parts = _SUMMARY.split(text)
    groups = list(zip(parts[1::2], parts[2::2]))
    errors = []
    for i, (count, error) in enumerate(groups):
        if i < len(groups) - 1 and error.endswith("\n"):
            error = error[:-1]  # the "\n" joining two groups; the error's own one stays
        errors.extend([error] * int(count))
    if len(errors) != total:
        # An error text holding a summary of its own (a nested search whose fits all
        # failed): the groups cannot be told apart, so every fit gets the whole text.
        return [text.strip("\n") + "\n"] * total
    return errors


def _is_batch_warning(w: warnings.WarningMessage, n_failed: int, n_fits: int) -> bool:
    return issubclass(w.category, FitFailedWarning) and str(w.message).startswith(
        f"\n{n_failed} fits failed out of a total of {n_fits}."
    )


@contextmanager
def batch_failures_deferred(registry: dict) -> Iterator[Callable[[int, int], None]]:
    """Hold back evaluate_candidates' warning about its batch's failed fits.

    Yields a callback ``done(n_failed, n_fits)`` to call once the batch's fold
    records are known. Every other warning raised meanwhile (a nested search's,
    an estimator's) is re-issued, through the filters in force, with
    ``registry`` (one per search) deciding what "show once" means. The
    batch's own warning is the last FitFailedWarning with its counts:
    evaluate_candidates issues it after all the batch's fits returned.
    """
    batch = {}

    def done(n_failed: int, n_fits: int) -> None:
        batch.update(n_failed=n_failed, n_fits=n_fits)

    caught = []
    try:
        # Not warnings.catch_warnings, which loses warnings when searches run
        # in several threads: see sktpe._warnings.
        with held_back() as caught:
            yield done
    finally:
        if batch.get("n_failed"):
            for i in range(len(caught) - 1, -1, -1):
                if _is_batch_warning(caught[i], batch["n_failed"], batch["n_fits"]):
                    del caught[i]
                    break
        reissue(caught, registry)


SKLEARN_VERSION = tuple(int(v) for v in re.findall(r"\d+", sklearn.__version__)[:2])


def known_n_splits(search: Any) -> int | None:
    """The number of CV splits, if ``fit`` set it before ``_run_search``.

    scikit-learn >= 1.9 sets ``n_splits_`` first; earlier releases only once
    the search is done (an attribute there is an earlier fit's), so the
    number is then learnt from the first batch.
    """
    return search.n_splits_ if SKLEARN_VERSION >= (1, 9) else None


# -- 4. verbose header --------------------------------------------------------------
@contextmanager
def muted_batch_header(search: Any, mute: bool = True) -> Iterator[None]:
    """Mute evaluate_candidates' per-call "Fitting ..." header.

    evaluate_candidates reads ``search.verbose`` when it is called; the fold
    fits' own verbosity was fixed when ``fit`` started, so it is unchanged.
    """
    verbose = search.verbose
    if mute:
        search.verbose = 0
    try:
        yield
    finally:
        search.verbose = verbose


# -- 5. callbacks (scikit-learn >= 1.9) ---------------------------------------------
def has_callbacks(search: Any) -> bool:
    """Whether callbacks were set with ``set_callbacks``."""
    return bool(getattr(search, "_skl_callbacks", None))


class _OffsetIds:
    """A callback context whose children get task ids offset by ``offset``.

    evaluate_candidates numbers the fits of each call from 0; offsetting them
    makes every fit of the search a distinct child of one search context.
    """

    def __init__(self, context: Any, offset: int) -> None:
        self._context = context
        self._offset = offset

    def subcontext(self, task_name: str = "", task_id: int | None = None, **kwargs: Any) -> Any:
        return self._context.subcontext(
            task_name=task_name, task_id=task_id + self._offset, **kwargs
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


class search_context:
    """The callback context of a search: one task whose children are all its fits."""

    def __init__(self, callback_ctx: Any, search: Any, n_candidates: int,
                 n_splits: int | None) -> None:
        self._ctx = None
        self._n_fits = 0
        self._n_splits = n_splits
        if callback_ctx is not None and has_callbacks(search):
            self._ctx = callback_ctx.subcontext(
                task_name="search",
                max_subtasks=n_candidates * n_splits,
                sequential_subtasks=False,
            ).call_on_fit_task_begin(estimator=search)

    def batch_kwargs(self, n_candidates: int) -> dict:
        """Keyword arguments of evaluate_candidates for a batch of candidates."""
        if self._ctx is None:
            return {}
        offset = self._n_fits
        self._n_fits += n_candidates * self._n_splits
        return {"callback_ctx": _OffsetIds(self._ctx, offset)}

    def end(self, search: Any) -> None:
        if self._ctx is not None:
            self._ctx.call_on_fit_task_end(estimator=search)


# -- 6. light pickling in fit tasks ------------------------------------------------------
class RunningSearch:
    """What a fit task receives for a running TPESearchCV without callbacks."""


# -- 8. single-fold fits for racing -------------------------------------------------------
class FoldFitter:
    """Fits one candidate on one fold as evaluate_candidates would.

    Built from the arguments of ``fit``, before BaseSearchCV's own ``fit``
    runs, with the same scorers, routed metadata and ``_fit_and_score``
    arguments; :meth:`fit_fold` returns one fold record (contact 2).
    """

    def __init__(self, search: Any, X: Any, y: Any, params: dict) -> None:
        scorers, _ = search._get_scorers()
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        # BaseSearchCV.fit gives any warning about sample_weight itself: this one is
        # dropped (not warnings.catch_warnings, which loses warnings when searches run
        # in several threads: see sktpe._warnings).
        with held_back():
            routed = search._get_routed_params_for_fit(params)
        self.X, self.y = X, y
        self.split_params = dict(routed.splitter.split)
        self.kwargs = dict(
            scorer=scorers,
            fit_params=routed.estimator.fit,
            score_params=routed.scorer.score,
            return_train_score=search.return_train_score,
            return_n_test_samples=True,
            return_times=True,
            return_parameters=False,
            error_score=search.error_score,
            verbose=search.verbose,
        )

    def fit_fold(self, estimator: Any, parameters: dict, train: Any, test: Any,
                 split_progress: tuple[int, int], candidate_progress: tuple[int, int]) -> dict:
        """The fold record of ``estimator`` with ``parameters`` on one split."""
        return _fit_and_score(
            estimator, self.X, self.y, train=train, test=test, parameters=parameters,
            split_progress=split_progress, candidate_progress=candidate_progress,
            **self.kwargs,
        )


# -- 9. choosing best_index_ ---------------------------------------------------------
def sklearn_best_index(refit: object, refit_metric: str, results: dict) -> int:
    """scikit-learn's own choice of ``best_index_`` (a callable ``refit``'s, or the top rank)."""
    return BaseSearchCV._select_best_index(refit, refit_metric, results)
