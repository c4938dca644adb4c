"""What a fit starts from: the space, known candidates, a whole grid, the start-up count.

Each function checks one piece of ``TPESearchCV``'s input against the
estimator and the space, before any fit runs, and says how to fix it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

from ._space import SearchSpace, _is_new_style, _NewStyle, same_params
from ._warnings import user_stacklevel

__all__ = ["make_space", "initial_candidates", "not_yet_evaluated", "exhaustive_grid",
           "n_startup", "warn_exhausted"]


def make_space(param_distributions: dict | list, estimator: Any) -> SearchSpace:
    """The search space, with every parameter name checked against the estimator."""
    space = SearchSpace(param_distributions)
    dicts = param_distributions
    valid = estimator.get_params(deep=True)
    for d in dicts if isinstance(dicts, list) else [dicts]:
        unknown = [n for n in d if n not in valid]
        if not unknown:
            continue
        # get_params need not list every name set_params accepts (a parameter
        # of an estimator this dict sets, an estimator that does not derive
        # from BaseEstimator): ask set_params itself.
        probe = {n: _example(v) for n, v in d.items()}
        try:
            clone(estimator).set_params(**clone(probe, safe=False))
        except Exception as exc:
            raise ValueError(
                f"Invalid parameter(s) {unknown} in param_distributions for "
                f"estimator {estimator!r}. Valid parameters are: "
                f"{sorted(valid)!r}. Check the spelling; nested parameters "
                f"are written 'step__param'."
            ) from exc
    return space


def _example(value: Any) -> Any:
    """A value ``value`` (a distribution or a list of param_distributions) can take."""
    if _is_new_style(value) and not isinstance(value, type):  # scipy's new interface
        value = _NewStyle(value)  # (drawn as the search draws it)
    if hasattr(value, "rvs"):
        return value.rvs(random_state=0)
    return next(iter(value))


def initial_candidates(candidates: list | None, space: SearchSpace, n_iter: int) -> list[dict]:
    """``initial_candidates`` as dicts, each checked to lie in the space, no more than ``n_iter``."""
    candidates = list(candidates or [])
    if len(candidates) > n_iter:
        raise ValueError(
            f"initial_candidates holds {len(candidates)} candidates, more than "
            f"n_iter={n_iter}, which would leave some unevaluated: set "
            f"n_iter={len(candidates)} or more, or pass fewer candidates."
        )
    for i, params in enumerate(candidates):
        if not isinstance(params, Mapping):
            raise TypeError(
                f"initial_candidates[{i}] is {params!r} of type "
                f"{type(params).__name__}; initial_candidates must be a list of "
                f"parameter dicts, e.g. initial_candidates=[{{'C': 1.0}}]."
            )
        try:
            space.encode(params)
        except ValueError as exc:
            raise ValueError(
                f"initial_candidates[{i}] = {params!r} is not in "
                f"param_distributions: {exc}"
            ) from None
    return [dict(p) for p in candidates]


def not_yet_evaluated(candidates: list[dict], done: list[dict], n_left: int) -> list[dict]:
    """The ``candidates`` not among ``done`` (a warm-started fit's earlier candidates), at
    most ``n_left`` of them (the candidates this fit adds)."""
    left = [c for c in candidates if not any(same_params(c, d) for d in done)]
    if len(left) > n_left:
        raise ValueError(
            f"initial_candidates holds {len(left)} candidates not yet evaluated, more than "
            f"the {n_left} this warm-started fit adds up to n_iter: set "
            f"n_iter={len(done) + len(left)} or more, or pass fewer candidates."
        )
    return left


def exhaustive_grid(space: SearchSpace, n_iter: int) -> list[dict]:
    """Every candidate in ParameterGrid order, when ``n_iter`` covers a space of lists.

    With nothing to learn, the search evaluates what RandomizedSearchCV
    evaluates, in the same order (one batch). The lists are the space's own
    (a pandas Series or Index, say, as a list of its values).
    """
    if not all(d.kind == "categorical" and not d.is_constant
               for b in space.branches for d in b.dims):
        return []
    grid = ParameterGrid([{d.name: d.choices for d in b.dims} for b in space.branches])
    if len(grid) > n_iter:
        return []
    # (a value listed twice is evaluated twice, as RandomizedSearchCV does; the scheduler
    # warns that the space had fewer candidates than n_iter once the grid has run). Each
    # dict keeps the space's order of keys, as every other candidate does; the grid's
    # are sorted.
    return [{d.name: p[d.name] for d in b.dims}
            for b in space.branches
            for p in ParameterGrid({d.name: d.choices for d in b.dims})]


def n_startup(n_startup_trials: int | str, n_iter: int, minimum: int) -> int:
    """Start-up candidates: ``clip(round(sqrt(n_iter)), minimum, 20)`` for 'auto', at most ``n_iter``."""
    if n_startup_trials == "auto":
        return min(n_iter, max(minimum, min(20, round(math.sqrt(n_iter)))))
    return min(n_startup_trials, n_iter)


def warn_exhausted(size: int | None, n_iter: int, evaluated: int | None = None) -> None:
    """Warn that a finite space had fewer candidates than ``n_iter``; ``evaluated``: the
    rows a grid ran, where a value listed twice (or overlapping branches) made more rows
    than distinct candidates."""
    if evaluated is not None and size is not None and evaluated > size:
        warnings.warn(
            f"The search space has only {size} distinct candidates, fewer than "
            f"n_iter={n_iter}; its grid of {evaluated} (values listed more than once, or "
            f"in more than one dict, count each time) was evaluated whole. Lower n_iter "
            f"to {evaluated} to silence this warning.",
            UserWarning, stacklevel=user_stacklevel(),
        )
        return
    warnings.warn(
        f"The search space has only {size} distinct candidates, fewer than "
        f"n_iter={n_iter}; all of them were evaluated. Lower n_iter to "
        f"silence this warning.",
        UserWarning, stacklevel=user_stacklevel(),
    )
