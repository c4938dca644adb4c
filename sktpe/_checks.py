"""Checks of names a user passes: parameter, metric and scorer names.

Each check raises an error that names the argument, the unknown name, the
known names and, where one is close, suggests it ("did you mean ...").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from . import _sklearn_compat as compat
from ._sklearn_compat import InvalidParameterError

__all__ = ["check_name", "check_params", "check_scoring", "name_fix", "suggest_names"]


def check_params(
    constraints: dict[str, list[Any]],
    params: dict[str, Any],
    *,
    caller: str,
    advice: dict[str, str],
) -> None:
    """Check arguments against scikit-learn constraints, with sktpe's wording.

    The validity of each argument is decided by
    :func:`sklearn.utils._param_validation.validate_parameter_constraints`
    (the route of ``TPESampler``'s settings); the message reads
    ``"<name>=<value> is invalid: <advice>."``.

    Parameters
    ----------
    constraints : dict
        Argument name to its list of scikit-learn constraints.
    params : dict
        Argument name to the value given.
    caller : str
        The function checked, for scikit-learn's message.
    advice : dict
        Argument name to what to use instead, e.g. ``"use a str"``.

    Raises
    ------
    InvalidParameterError
        scikit-learn's error class (a ``ValueError`` and a ``TypeError``).
    """
    for name, value in params.items():
        try:
            compat.validate_parameter_constraints(
                {name: constraints[name]}, {name: value}, caller_name=caller
            )
        except InvalidParameterError:
            raise InvalidParameterError(
                f"{name}={value!r} is invalid: {advice[name]}."
            ) from None

_MAX_SUGGESTIONS = 3


def suggest_names(name: str, known: Iterable[Any]) -> list[str]:
    """Known names that ``name`` was probably meant to be, best first.

    Tried in order: the same name in another case; nested names ending in
    ``"__" + name`` (a pipeline step's parameter given without its step);
    names starting with ``name`` (an abbreviation, e.g. ``"acc"``); names
    close in spelling (:func:`difflib.get_close_matches`), whole or by their
    last ``__`` part.

    Parameters
    ----------
    name : str
        The unknown name.
    known : iterable of str
        The valid names.

    Returns
    -------
    suggestions : list of str
        At most three known names, most likely first; empty if none is close.
    """
    known = sorted({k for k in known if isinstance(k, str)})
    name = str(name)
    lower = name.lower()
    out = [k for k in known if k.lower() == lower]
    out += [k for k in known if k.endswith("__" + name) or k.lower().endswith("__" + lower)]
    if len(name) >= 2:
        out += [k for k in known if k.startswith(name)]
    out += difflib.get_close_matches(name, known, n=_MAX_SUGGESTIONS, cutoff=0.6)
    by_last: dict[str, list[str]] = {}
    for k in known:
        by_last.setdefault(k.rsplit("__", 1)[-1], []).append(k)
    for last in difflib.get_close_matches(name, list(by_last), n=_MAX_SUGGESTIONS, cutoff=0.75):
        out += by_last[last]
    return list(dict.fromkeys(k for k in out if k != name))[:_MAX_SUGGESTIONS]


def name_fix(name: str, known: Iterable[Any], kind: str = "parameter") -> str:
    """The fix to quote for an unknown name, for an error message.

    Parameters
    ----------
    name : str
        The unknown name.
    known : iterable of str
        The valid names.
    kind : str, default="parameter"
        What the names are, for the message.

    Returns
    -------
    fix : str
        ``"did you mean 'x'? The <kind>s are [...]."`` when some known names
        are close (see :func:`suggest_names`), else ``"use one of [...]."``.
    """
    known = sorted({k for k in known if isinstance(k, str)})
    suggestions = suggest_names(name, known)
    if suggestions:
        mean = " or ".join(repr(s) for s in suggestions)
        return f"did you mean {mean}? The {kind}s are {known}."
    return f"use one of {known}."


def check_name(name: Any, known: Iterable[Any], *, where: str, kind: str = "parameter") -> None:
    """Raise a ValueError if ``name`` is not one of ``known``.

    Parameters
    ----------
    name : str
        The name to check.
    known : iterable of str
        The valid names.
    where : str
        The argument as the user wrote it, e.g. ``"prefer=('C', 'low')"``;
        the message starts with it.
    kind : str, default="parameter"
        What the names are ("parameter", "metric" ...), for the message.

    Raises
    ------
    ValueError
        If ``name`` is unknown; the message names it, suggests the closest
        known names and lists them all.
    """
    known = list(known)
    if name in known:
        return
    raise ValueError(f"{where} names the unknown {kind} {name!r}; {name_fix(name, known, kind)}")


# Common names of metrics that are not scorer names.
_SCORER_ALIASES = {
    "mse": "neg_mean_squared_error",
    "rmse": "neg_root_mean_squared_error",
    "mae": "neg_mean_absolute_error",
    "mape": "neg_mean_absolute_percentage_error",
    "auc": "roc_auc",
    "logloss": "neg_log_loss",
}


def _scorer_suggestions(name: str, known: set[str]) -> list[str]:
    """Scorer names for ``name``: its scorer spelling, then close names."""
    lower = name.lower().replace("-", "_").replace(" ", "_")
    direct = [_SCORER_ALIASES.get(lower), lower, lower.removesuffix("_score"), "neg_" + lower,
              "neg_" + lower.removesuffix("_score")]
    out = [k for k in direct if k in known]
    return list(dict.fromkeys(out + suggest_names(name, known)))[:_MAX_SUGGESTIONS]


def check_scoring(scoring: Any) -> None:
    """Check the scorer names in ``scoring`` before scikit-learn does.

    scikit-learn rejects an unknown scorer name by listing all of its ~50
    names; this check says which given name is unknown and suggests the
    closest ones, e.g. ``scoring="acc"`` -> did you mean ``'accuracy'``.
    Strings, and strings in a list, tuple or among a dict's values, are
    checked; anything else (None, callables) is left to scikit-learn.

    Parameters
    ----------
    scoring : str, callable, list, tuple, dict or None
        The ``scoring`` argument of a search.

    Raises
    ------
    InvalidParameterError
        scikit-learn's error class (a ``ValueError`` and a ``TypeError``), if
        a given name is not in :func:`sklearn.metrics.get_scorer_names`.
    """
    from sklearn.metrics import get_scorer_names

    if isinstance(scoring, str):
        names = [scoring]
    elif isinstance(scoring, (list, tuple)):
        names = [s for s in scoring if isinstance(s, str)]
    elif isinstance(scoring, dict):
        names = [s for s in scoring.values() if isinstance(s, str)]
    else:
        return
    known = set(get_scorer_names())
    for name in names:
        if name in known:
            continue
        suggestions = _scorer_suggestions(name, known)
        fix = (
            f"did you mean {' or '.join(repr(s) for s in suggestions)}? Use"
            if suggestions
            else "use"
        )
        raise InvalidParameterError(
            f"scoring={scoring!r}: {name!r} is not a scorer name; {fix} a name "
            f"from sklearn.metrics.get_scorer_names(), a callable, a list, tuple "
            f"or dict of them, or None."
        )
