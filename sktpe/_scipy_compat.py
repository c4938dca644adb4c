"""What sktpe reads of scipy.stats beyond its documented methods.

A frozen continuous distribution with ``scale=0`` (``uniform(1, 0)``,
``norm(3, 0)``) is a point mass: its ``rvs`` returns ``loc`` for every draw,
so RandomizedSearchCV samples a constant, while its ``ppf``, ``cdf`` and
``support`` give NaN. No public method returns the ``loc`` and ``scale`` a
frozen distribution was made with, and ``dist.kwds`` alone does not hold them
when they were given by position (``norm(3, 0)``). scipy's own reading of the
arguments is the private ``rv_generic._parse_args``.

:func:`loc_scale` does the same from public attributes only: the frozen
distribution's ``args`` and ``kwds`` (what it was called with) and its
generator's ``shapes`` (the names of its shape parameters, comma separated),
bound as scipy's generated parser binds them: the shape parameters, then
``loc=0`` and ``scale=1``, positionally or by keyword.

Checked against ``_parse_args`` on every continuous distribution of
``scipy.stats`` (and ``rv_histogram``, and a user subclass whose shapes come
from its ``_pdf``) with positional, keyword, default and array arguments:
scipy 1.17.1. ``tests/test_scipy_contract.py`` repeats the check, and checks
that a ``scale=0`` distribution still draws ``loc``, on the installed scipy.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["loc_scale"]

_P = inspect.Parameter


def loc_scale(dist: Any) -> tuple[Any, Any]:
    """The ``loc`` and ``scale`` a frozen scipy.stats distribution was made with.

    Parameters
    ----------
    dist : frozen scipy.stats distribution
        An object with ``args``, ``kwds`` and ``dist.shapes`` (a frozen
        ``rv_continuous``).

    Returns
    -------
    loc, scale : object
        As given (scalars or arrays); 0 and 1 where not given.

    Raises
    ------
    TypeError
        If the arguments do not fit the distribution's parameters, or
        ``dist`` is not a frozen scipy.stats distribution.
    AttributeError
        If ``dist`` lacks ``args``, ``kwds`` or ``dist.shapes``.
    """
    shapes = dist.dist.shapes
    names = [s.strip() for s in shapes.split(",")] if shapes else []
    signature = inspect.Signature(
        [_P(n, _P.POSITIONAL_OR_KEYWORD) for n in names]
        + [_P("loc", _P.POSITIONAL_OR_KEYWORD, default=0),
           _P("scale", _P.POSITIONAL_OR_KEYWORD, default=1)]
    )
    bound = signature.bind(*dist.args, **dist.kwds)
    return bound.arguments.get("loc", 0), bound.arguments.get("scale", 1)
