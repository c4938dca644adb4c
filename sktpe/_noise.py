"""Noise-aware reading of search results.

A cross-validated score is an average over a handful of folds, so two
candidates whose mean scores differ by less than the fold-to-fold noise are
not really ranked. The helpers here make that explicit:

* :func:`within_one_std_error` marks the candidates whose mean score is within
  one standard error of the best one;
* :func:`one_std_error_rule` builds a ``refit`` callable for any scikit-learn
  search (``TPESearchCV``, ``GridSearchCV``, ``RandomizedSearchCV`` ...) that
  picks the *simplest* of those candidates: the one-standard-error rule of
  Breiman et al. (1984) and Hastie, Tibshirani and Friedman (2009, sec. 7.10).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Union

import numpy as np

from . import _sklearn_compat as compat
from ._checks import check_name, check_params, name_fix
from ._racing import raced_out

__all__ = ["within_one_std_error", "one_std_error_rule"]

#: What "simpler" means to :func:`one_std_error_rule`: a key function, or a
#: pair (parameter name, "low" | "high").
Prefer = Union[Callable[[dict], Any], tuple[str, str], list]


class _StdErrors(NamedTuple):
    """Mean test scores of the candidates and their standard errors over folds."""

    mean: np.ndarray
    se: np.ndarray


def _results(cv_results: Mapping[str, Any] | Any) -> Mapping[str, Any]:
    """Accept a ``cv_results_`` dict or a fitted search holding one."""
    if hasattr(cv_results, "cv_results_"):
        return cv_results.cv_results_
    if not hasattr(cv_results, "keys"):
        raise TypeError(
            f"cv_results is a {type(cv_results).__name__}; pass a fitted "
            f"search's cv_results_ dict, or the fitted search itself."
        )
    return cv_results


def _metrics(results: Mapping[str, Any]) -> list[str]:
    return sorted(k[len("mean_test_"):] for k in results if k.startswith("mean_test_"))


def split_columns(results: Mapping[str, Any], metric: str) -> list[str]:
    """The keys of ``cv_results_``'s per-fold test scores of ``metric``, fold by fold (exactly
    ``split<k>_test_<metric>``: not another metric's whose name ends alike)."""
    pattern = re.compile(rf"split(\d+)_test_{re.escape(metric)}")
    found = sorted((int(m.group(1)), k) for k in results if (m := pattern.fullmatch(k)))
    return [k for _, k in found]


def _n_splits(results: Mapping[str, Any], metric: str) -> int:
    """The number of folds ``cv_results_`` holds for ``metric``."""
    return len(split_columns(results, metric))


# Plain type and range checks of the arguments (see _checks.check_params).
_CONSTRAINTS = {
    "metric": [str],
    "ddof": [compat.Interval(numbers.Integral, 0, None, closed="left")],
}
_ADVICE = {
    "metric": "use a str, 'score' for a single scorer or the name of one scorer "
              "of a multi-metric search",
    "ddof": "use a non-negative int",
}


def _check_ddof(ddof: object, caller: str) -> None:
    """``ddof`` a non-negative int (not a bool, which scikit-learn's Interval takes as 0 or 1)."""
    check_params(_CONSTRAINTS, {"ddof": ddof}, caller=caller, advice=_ADVICE)
    if isinstance(ddof, (bool, np.bool_)):
        raise compat.InvalidParameterError(f"ddof={ddof!r} is invalid: {_ADVICE['ddof']}.")


def _check_metric_type(metric: object) -> None:
    check_params(_CONSTRAINTS, {"metric": metric}, caller="sktpe", advice=_ADVICE)


def _standard_errors(results: Mapping[str, Any], metric: str, ddof: int) -> _StdErrors:
    """Mean scores and their standard errors over folds for ``metric``."""
    _check_metric_type(metric)
    key = f"mean_test_{metric}"
    if key not in results:
        hint = (
            " (a multi-metric search has no 'score': name one of its scorers)"
            if metric == "score"
            else ""
        )
        raise ValueError(
            f"metric={metric!r} names the unknown metric {metric!r}{hint}; "
            f"{name_fix(metric, _metrics(results), 'metric')}"
        )
    mean = np.asarray(results[key], dtype=float)
    # TPESearchCV(racing=True): a mean over fewer folds is no contender
    mean = np.where(raced_out(results, len(mean)), np.nan, mean)
    std = np.asarray(results[f"std_test_{metric}"], dtype=float)
    k = _n_splits(results, metric)
    if k < 1:
        raise ValueError(
            f"cv_results has no split<i>_test_{metric} columns, so the number "
            f"of folds is unknown."
        )
    if not 0 <= ddof < k:
        raise ValueError(f"ddof={ddof!r} is invalid: use 0 <= ddof < n_splits={k}.")
    # std_test_* is the population standard deviation (ddof=0) over folds;
    # rescale it to the requested ddof before dividing by sqrt(k).
    se = std * math.sqrt(k / (k - ddof)) / math.sqrt(k)
    return _StdErrors(mean, se)


def within_one_std_error(
    cv_results: Mapping[str, Any] | Any, metric: str = "score", *, ddof: int = 0
) -> np.ndarray:
    """Which candidates are statistically indistinguishable from the best.

    The standard error of a candidate's mean test score is
    ``std_test_<metric> / sqrt(n_splits)``: the spread of its fold scores
    divided by the square root of the number of folds. A candidate is kept
    when its mean test score is at least ``best_mean - best_se``, where
    ``best_mean`` and ``best_se`` belong to the candidate with the largest
    mean test score (the first of them in row order when several share it,
    as scikit-learn's ``best_index_`` is).

    Parameters
    ----------
    cv_results : dict or fitted search
        The ``cv_results_`` of a fitted scikit-learn search (any of
        ``TPESearchCV``, ``GridSearchCV``, ``RandomizedSearchCV`` ...), or the
        search itself.
    metric : str, default="score"
        Metric to read: ``"score"`` for a single scorer, else the name of one
        scorer of a multi-metric search (the key suffix of
        ``mean_test_<metric>``).
    ddof : int, default=0
        Delta degrees of freedom of the fold standard deviation. ``0`` uses
        ``std_test_<metric>`` as scikit-learn reports it; ``1`` uses the
        sample standard deviation, a slightly wider, unbiased-variance
        version.

    Returns
    -------
    mask : ndarray of bool of shape (n_candidates,)
        True for the candidates within one standard error of the best.
        Candidates with a non-finite mean score (failed fits) are False, and
        so are raced-out ones (``TPESearchCV(racing=True)``). All
        False when no candidate has a finite score.

    Raises
    ------
    ValueError
        If ``metric`` is not a metric of ``cv_results`` (the message suggests
        the closest ones), or ``ddof`` is not in ``[0, n_splits)``.

    See Also
    --------
    one_std_error_rule : A ``refit`` callable choosing the simplest of them.

    Examples
    --------
    >>> import numpy as np
    >>> from sktpe import within_one_std_error
    >>> results = {
    ...     "mean_test_score": np.array([0.90, 0.88, 0.80]),
    ...     "std_test_score": np.array([0.04, 0.02, 0.01]),
    ...     "split0_test_score": np.zeros(3),
    ...     "split1_test_score": np.zeros(3),
    ...     "split2_test_score": np.zeros(3),
    ...     "split3_test_score": np.zeros(3),
    ... }
    >>> within_one_std_error(results).tolist()  # 0.90 - 0.04 / 2 = 0.88
    [True, True, False]
    """
    _check_ddof(ddof, "within_one_std_error")
    results = _results(cv_results)
    mean, se = _standard_errors(results, metric, ddof)
    finite = np.isfinite(mean)
    if not finite.any():
        return np.zeros(len(mean), dtype=bool)
    best = int(np.argmax(np.where(finite, mean, -np.inf)))
    se_best = se[best] if np.isfinite(se[best]) else 0.0
    threshold = mean[best] - se_best
    # A relative tolerance so that the best candidate itself, and exact ties
    # at the threshold, survive floating point rounding.
    tol = 1e-12 * max(1.0, abs(threshold))
    return finite & (mean >= threshold - tol)


class _Reversed:
    """Wraps a value so that sorting ascending orders it descending."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return other.value < self.value

    def __eq__(self, other: Any) -> bool:
        return self.value == other.value


def _check_prefer(prefer: object) -> None:
    if callable(prefer):
        return
    ok = (
        isinstance(prefer, (tuple, list))
        and len(prefer) == 2
        and isinstance(prefer[0], str)
        and prefer[1] in ("low", "high")
    )
    if not ok:
        raise ValueError(
            f"prefer={prefer!r} is invalid: give a callable mapping a parameter "
            f"dict to a sortable key (smaller = simpler), or a pair "
            f"(param_name, 'low' | 'high'), e.g. ('C', 'low')."
        )


class _OneStdErrorRule:
    """The ``refit`` callable returned by :func:`one_std_error_rule`."""

    def __init__(self, prefer: Prefer, metric: str, ddof: int) -> None:
        _check_prefer(prefer)
        _check_metric_type(metric)
        self.prefer = prefer
        self.metric = metric
        self.ddof = ddof

    def __repr__(self) -> str:
        return (
            f"one_std_error_rule(prefer={self.prefer!r}, metric={self.metric!r}, "
            f"ddof={self.ddof!r})"
        )

    def _key(self, params: Mapping[str, Any]) -> tuple:
        prefer = self.prefer
        if callable(prefer):
            return (0, prefer(params))
        name, direction = prefer
        if name not in params:
            # Candidates of a conditional space without the parameter come
            # after those that have it.
            return (1, 0)
        # None (no limit: max_depth, max_features, max_leaf_nodes ...) is
        # larger than every value: last with "low", first with "high".
        value = params[name]
        value = (1, 0) if value is None else (0, value)
        return (0, value if direction == "low" else _Reversed(value))

    def __call__(self, cv_results: Mapping[str, Any] | Any) -> int:
        results = _results(cv_results)
        mask = within_one_std_error(results, self.metric, ddof=self.ddof)
        if not callable(self.prefer):
            # A misspelt name would otherwise select the plain best candidate.
            known = {n for p in results["params"] for n in p}
            check_name(self.prefer[0], known, where=f"prefer={tuple(self.prefer)!r}")
        candidates = np.flatnonzero(mask)
        if len(candidates) == 0:
            raise ValueError(
                f"No candidate has a finite mean_test_{self.metric} (every fit "
                f"failed or scored NaN), so none can be selected; see the fit "
                f"errors in the FitFailedWarning, or set error_score='raise'."
            )
        mean = np.asarray(results[f"mean_test_{self.metric}"], dtype=float)
        params = results["params"]
        # Simplest first; among equally simple ones the better score, then
        # the earlier candidate.
        try:
            order = sorted(
                candidates, key=lambda i: (self._key(params[i]), -mean[i], int(i))
            )
        except TypeError as exc:
            if callable(self.prefer):
                raise TypeError(
                    f"prefer={self.prefer!r} returned keys that cannot be compared "
                    f"({exc}); return keys of one sortable type, e.g. numbers."
                ) from exc
            name = self.prefer[0]
            values = sorted({repr(params[i].get(name)) for i in candidates})
            raise ValueError(
                f"prefer={tuple(self.prefer)!r} cannot order the values "
                f"{', '.join(values)} of {name!r} among the candidates within one "
                f"standard error ({exc}); pass a callable that maps a parameter "
                f"dict to a sortable key, smaller meaning simpler, e.g. "
                f"prefer=lambda p: {{'sqrt': 0, 'log2': 1}}.get(p[{name!r}], 2)."
            ) from None
        return int(order[0])


def one_std_error_rule(
    prefer: Prefer, metric: str = "score", *, ddof: int = 0
) -> Callable[[Mapping[str, Any]], int]:
    """A ``refit`` callable applying the one-standard-error rule.

    Among the candidates whose mean test score is within one standard error
    of the best (see :func:`within_one_std_error`), the returned callable
    selects the simplest one, as defined by ``prefer``. Pass it as the
    ``refit`` argument of any scikit-learn search: ``best_index_``,
    ``best_params_`` and ``best_estimator_`` then describe that candidate.

    Parameters
    ----------
    prefer : callable or (str, {"low", "high"})
        What "simpler" means. A callable receives a candidate's parameter dict
        and returns a sortable key, smaller meaning simpler (e.g.
        ``lambda p: p["max_depth"]``). A pair ``(name, "low")`` prefers the
        smallest value of parameter ``name``, ``(name, "high")`` the largest;
        e.g. ``("C", "low")`` picks the most regularised SVC or logistic
        regression, ``("alpha", "high")`` the most regularised ridge.
        ``None`` counts as larger than every value (no limit, as for
        ``max_depth``, ``max_features`` or ``max_leaf_nodes``): it is the
        least simple with ``"low"`` and the simplest with ``"high"``. In a
        conditional (list-of-dicts) space, candidates without ``name`` rank
        after those with it. Ties go to the better mean score, then to the
        earlier candidate.
    metric : str, default="score"
        Metric to read, ``"score"`` for a single scorer. With several scorers
        pass the name of one of them; note that scikit-learn then does not set
        ``best_score_`` for a callable ``refit``, and ``TPESearchCV``
        optimises the first scorer.
    ddof : int, default=0
        Delta degrees of freedom of the fold standard deviation, see
        :func:`within_one_std_error`.

    Returns
    -------
    refit : callable
        ``refit(cv_results) -> int``, the index of the selected candidate. It
        pickles whenever ``prefer`` does (a pair always does; a lambda does
        not).

    Raises
    ------
    ValueError
        If ``prefer`` is neither a callable nor a valid pair, or ``metric`` is
        not a str. The returned callable raises a ValueError, naming the
        closest known names, if the parameter of a ``prefer`` pair or
        ``metric`` is not in the ``cv_results_`` it is given.

    See Also
    --------
    within_one_std_error : The mask of candidates considered.

    Notes
    -----
    CV means are noisy: the best-scoring candidate is often only luckier than
    its neighbours. The rule trades a difference in mean CV score smaller
    than one standard error for a simpler model (often cheaper, easier to
    read, more regularised); it does not buy a better test score by itself.
    On the 12 small, noisy tuning tasks of sktpe's benchmarks (one
    regularisation or size parameter as "simpler", 20 and 40 candidates of
    ``TPESearchCV``), its models scored lower on held-out data than the top
    mean's on 10 of the 12 tasks at each budget, by about a fifth of a task's
    spread on average (round 14 of the ablation guide). Use it when
    simplicity is worth that price.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sktpe import TPESearchCV, one_std_error_rule, within_one_std_error
    >>> X, y = load_iris(return_X_y=True)
    >>> search = TPESearchCV(
    ...     LogisticRegression(max_iter=500), {"C": loguniform(1e-3, 1e2)},
    ...     n_iter=10, refit=one_std_error_rule(("C", "low")), random_state=0,
    ... ).fit(X, y)
    >>> bool(within_one_std_error(search.cv_results_)[search.best_index_])
    True
    """
    _check_ddof(ddof, "one_std_error_rule")
    return _OneStdErrorRule(prefer, metric, int(ddof))
