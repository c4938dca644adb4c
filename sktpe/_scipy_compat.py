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

A copy of scipy's new-interface ``Normal(mu=100, sigma=10)`` (``copy.deepcopy``,
``pickle``, so ``clone()`` of a search and every nested cross-validation) comes
back as a ``StandardNormal`` that keeps ``mu`` and ``sigma`` in its state and
ignores them: ``Normal.__new__`` called without arguments, as copying calls it,
returns a ``StandardNormal`` (scipy 1.15 to 1.17.1 at least). So do the copies of
every distribution built on one (``truncate``, ``exp``, shifted and scaled ones),
and a search on such a copy silently searches N(0, 1).
:func:`repair_copied_normals` finds such objects inside a distribution (through
its attributes) and gives them back their class, ``Normal``, whose methods read
the state they kept; it reads the private ``_parameters`` (empty on a true
``StandardNormal``). ``tests/test_scipy_contract.py`` checks, on the installed
scipy, that copies of these distributions draw as their originals once repaired,
and that a healthy distribution is left alone.

:func:`is_new_interface` tells the new interface's objects by the names of its
base classes, which not every scipy that has them makes public.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["is_new_interface", "loc_scale", "repair_copied_normals"]

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


def repair_copied_normals(dist: Any) -> Any:
    """``dist``, a distribution of scipy's new interface, with every copied ``Normal``
    inside it made a ``Normal`` again, in place (see the module docstring).

    The methods such an object had bound when it was copied (scipy caches the ones it
    dispatched to, and a transformed distribution holds its base's) are bound again,
    and the moments cached by a copy used before its repair are cleared.

    Parameters
    ----------
    dist : object
        A new-interface scipy distribution (``Normal``, ``truncate(...)``, a
        ``Mixture`` ...), or anything else (left alone).

    Returns
    -------
    dist : object
        The same object.
    """
    reached, todo = {}, [dist]  # id -> every distribution object dist is built on
    while todo:
        obj = todo.pop()
        if id(obj) in reached or not hasattr(obj, "__dict__"):
            continue
        reached[id(obj)] = obj
        for value in vars(obj).values():
            for part in value if isinstance(value, (list, tuple)) else [value]:
                if not isinstance(part, type) and is_new_interface(part):
                    todo.append(part)
    repaired = set()
    for obj in reached.values():
        cls = type(obj)
        if cls.__name__ == "StandardNormal" and getattr(obj, "_parameters", None):
            obj.__class__ = next(c for c in cls.__mro__ if c.__name__ == "Normal")
            repaired.add(id(obj))
    if repaired:
        for obj in reached.values():
            if callable(getattr(obj, "reset_cache", None)):  # moments cached while broken
                obj.reset_cache()
            for holder in [vars(obj), *(v for v in vars(obj).values() if isinstance(v, dict))]:
                for key, value in list(holder.items()):
                    if inspect.ismethod(value) and id(value.__self__) in repaired:
                        holder[key] = getattr(value.__self__, value.__func__.__name__)
    return dist


def is_new_interface(obj: Any, base: str = "UnivariateDistribution") -> bool:
    """Whether ``obj`` (an instance or a class) is of scipy's new distribution interface.

    Parameters
    ----------
    obj : object
        A distribution object or class, or anything else.
    base : str, default="UnivariateDistribution"
        The name of the interface's class it must derive from
        (``"DiscreteDistribution"`` for a discrete one). By name: these classes
        are not public in every scipy that has the interface.

    Returns
    -------
    bool
    """
    cls = obj if isinstance(obj, type) else type(obj)
    return any(c.__name__ == base for c in cls.__mro__)
