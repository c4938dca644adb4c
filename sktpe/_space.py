"""Search-space translation.

Turns what :class:`~sklearn.model_selection.RandomizedSearchCV` accepts (a dict,
or a list of dicts, of scipy.stats distributions and lists) into encoded
dimensions the sampler understands, and encoded points back into parameter
dicts.

Every numeric dimension lives on the unit interval through its distribution's
CDF, so the user's distribution *is* the prior and, e.g., ``loguniform`` is
searched on the log scale without a special case:

* continuous: a value ``v`` is stored as ``u = F(v)``;
* discrete (``randint``, ``poisson``, ...): a value ``k`` is the *cell*
  ``(F(k - 1), F(k)]``, so the prior mass of a cell is its width and kernels
  integrate over cells instead of rounding;
* categorical (a list of any objects): an index into the list;
* constant (a point mass such as ``uniform(1, 0)``, whose draws scipy returns
  as ``loc``): a one-element list, so it is sampled as RandomizedSearchCV does;
* opaque (an object with ``rvs`` only): drawn from ``rvs``, not modelled.

A list of dicts is a tree of depth one: each dict is a *branch* with its own
dimensions, and the sampler models a branch only from the trials that used it.
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, Set
from typing import Any, NamedTuple, Union

import numpy as np
from scipy import stats

from ._scipy_compat import is_new_interface, loc_scale, repair_copied_normals
from ._warnings import user_stacklevel

__all__ = ["SearchSpace", "same_params", "same_value"]

#: A candidate's hashable identity on a countable branch (see :meth:`Branch.keys`).
PointKey = tuple[tuple[str, ...], tuple[Hashable, ...]]


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python scalar it holds (``np.float64(1.0)`` -> ``1.0``)."""
    return value.item() if isinstance(value, np.generic) else value


def same_value(a: Any, b: Any) -> bool:
    """Whether two parameter values are the same: identical, or equal and of
    one type (so ``1 != 1.0 != True``), a numpy scalar counting as the Python
    scalar it holds (``np.float64(1.0)`` is ``1.0``, ``np.str_("a")`` is
    ``"a"``, ``np.int64(2)`` is ``2``). Two float NaNs are the same (a list
    holding ``np.nan``, as ``SimpleImputer(missing_values=...)`` takes it, is
    told back after a pickle made another NaN object). Values whose ``==``
    fails or is ambiguous (arrays of several elements) are the same only if
    identical.
    """
    if a is b:
        return True
    a, b = _plain(a), _plain(b)
    try:
        return type(a) is type(b) and (bool(a == b) or _is_nan(a) and _is_nan(b))
    except (TypeError, ValueError):
        return False


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _copy_of(a: Any, b: Any, depth: int = 0) -> bool:
    """Whether ``b`` could be a deep copy of ``a``: the same value (:func:`same_value`), or,
    of one type, arrays of equal dtype, shape and elements, random generators in the same
    state, estimators of equal ``get_params(deep=False)``, other objects (a CV splitter)
    of equal attributes, or lists, tuples and dicts of such values."""
    if same_value(a, b):
        return True
    if type(a) is not type(b) or isinstance(a, type) or depth > 8:
        return False
    if isinstance(a, np.ndarray):
        return (a.dtype == b.dtype and a.shape == b.shape
                and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")))
    if isinstance(a, np.random.RandomState):
        (kind_a, keys_a, *rest_a), (kind_b, keys_b, *rest_b) = a.get_state(), b.get_state()
        return kind_a == kind_b and np.array_equal(keys_a, keys_b) and rest_a == rest_b
    if isinstance(a, np.random.Generator):
        return _copy_of(a.bit_generator.state, b.bit_generator.state, depth + 1)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_copy_of(x, y, depth + 1) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_copy_of(v, b[k], depth + 1) for k, v in a.items())
    if isinstance(a, functools.partial):  # (a copy keeps the function itself)
        return a.func is b.func and _copy_of((a.args, a.keywords), (b.args, b.keywords), depth)
    if callable(getattr(a, "get_params", None)):
        try:
            pa, pb = a.get_params(deep=False), b.get_params(deep=False)
        except Exception:  # not scikit-learn's get_params after all
            return False
    elif callable(a):  # another function (copies keep their functions): not the same
        return False
    elif hasattr(a, "__dict__") and hasattr(b, "__dict__"):
        pa, pb = vars(a), vars(b)
    else:
        return False
    return pa.keys() == pb.keys() and all(_copy_of(v, pb[k], depth + 1) for k, v in pa.items())


_EPS = 1e-12
# A finite branch with at most this many points is enumerated when random
# proposals keep hitting points that were already evaluated.
MAX_ENUMERATE = 200_000


def same_params(p: Mapping[str, Any], q: Mapping[str, Any]) -> bool:
    """Whether two parameter dicts hold the same values (see :func:`same_value`)."""
    return p.keys() == q.keys() and all(same_value(v, q[k]) for k, v in p.items())


def _listed_values(dist: Any) -> np.ndarray | None:
    """The values a frozen ``rv_discrete(values=(xk, pk))`` draws: the ``xk`` of positive
    mass shifted by its ``loc`` (which ``support()`` includes), ints where ``xk`` and the
    shift are integral, else floats. None for any other distribution."""
    xk = getattr(getattr(dist, "dist", None), "xk", None)
    if xk is None:
        return None
    xk = np.asarray(xk)
    pk = np.asarray(getattr(dist.dist, "pk", np.ones(len(xk))), dtype=float)
    shift = float(dist.support()[0]) - float(np.min(xk))
    if xk.dtype.kind in "iu" and shift.is_integer():
        return xk[pk > 0] + int(shift)
    return xk[pk > 0].astype(float) + shift


def _is_distribution(obj: object) -> bool:
    return hasattr(obj, "rvs")


# What scipy requires of the arguments of common distributions.
_ARGUMENT_HINTS = {
    "randint": "randint(low, high) needs low < high (high is excluded)",
    "loguniform": "loguniform(a, b) needs 0 < a < b",
    "reciprocal": "reciprocal(a, b) needs 0 < a < b",
    "uniform": "uniform(loc, scale) spans [loc, loc + scale] and needs scale >= 0",
    "truncnorm": "truncnorm(a, b) needs a < b",
    "binom": "binom(n, p) needs an int n >= 0 and 0 <= p <= 1",
    "poisson": "poisson(mu) needs mu >= 0",
}


def _describe(dist: Any) -> str:
    """``family(arg, ..., key=value)`` of a frozen scipy distribution."""
    family = getattr(getattr(dist, "dist", None), "name", type(dist).__name__)
    args = [repr(a) for a in getattr(dist, "args", ())]
    args += [f"{k}={v!r}" for k, v in getattr(dist, "kwds", {}).items()]
    return f"{family}({', '.join(args)})"


def _point_mass(dist: Any) -> float | None:
    """The value of a frozen continuous distribution with ``scale=0``, else None.

    scipy's ``rvs`` returns ``loc`` for every draw of such a distribution
    (so RandomizedSearchCV samples a constant) while its ``ppf`` and
    ``support`` are NaN.
    """
    gen = getattr(dist, "dist", None)
    if not isinstance(gen, stats.rv_continuous):
        return None
    try:
        loc, scale = loc_scale(dist)  # no public accessor: see _scipy_compat
    except Exception:  # not a standard frozen distribution
        return None
    if np.ndim(loc) == 0 and np.ndim(scale) == 0 and scale == 0 and np.isfinite(loc):
        return float(loc)
    return None


def _finite_bound(ppf: Callable[[float], Any], u_end: float) -> float:
    """The value of ``ppf`` nearest to ``u_end`` that is finite (bisection).

    ``ppf(u_end)`` can overflow for heavy tails (e.g. ``lognorm(300)``,
    ``pareto(0.01)``); the unit scale then ends at the last finite quantile.
    """
    x = float(ppf(u_end))
    if np.isfinite(x):
        return x
    good, bad = 0.5, u_end
    for _ in range(100):
        mid = 0.5 * (good + bad)
        if mid in (good, bad):
            break
        if np.isfinite(float(ppf(mid))):
            good = mid
        else:
            bad = mid
    return float(ppf(good))


def _closed_ppf(
    u: np.ndarray, a: float | np.ndarray, width: float | np.ndarray, is_log: bool | np.ndarray
) -> np.ndarray:
    """Quantile function of uniform / loguniform axes: ``a + u * width``,
    exponentiated where ``is_log`` (scalars or arrays of axes)."""
    x = np.asarray(a + u * width, dtype=float)
    return np.exp(x, out=x, where=is_log)


def _randint_index(u: np.ndarray, size: int | np.ndarray) -> np.ndarray:
    """0-based value of a randint of ``size`` values whose cell holds ``u``."""
    return np.minimum(np.floor(u * size), size - 1)


class _ClosedForm(NamedTuple):
    """The quantile function of a uniform or loguniform axis in closed form."""

    kind: str  # "lin" (a + u * width) or "log" (exp of it)
    a: float
    width: float


def _is_number(value: Any) -> bool:
    """A real number, for a numeric parameter: a bool is a category, not a number."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


class _Continuous:
    kind = "continuous"

    def __init__(self, name: str, dist: Any) -> None:
        self.name = name
        self.dist = dist
        self._fast: _ClosedForm | None = None
        family = getattr(getattr(dist, "dist", None), "name", None)
        lo, hi = (float(b) for b in dist.support())
        self.low, self.high = lo, hi
        if family == "uniform" and np.isfinite(lo) and np.isfinite(hi):
            self._fast = _ClosedForm("lin", lo, hi - lo)
        elif family in ("loguniform", "reciprocal") and lo > 0 and np.isfinite(hi):
            self._fast = _ClosedForm("log", np.log(lo), np.log(hi) - np.log(lo))
        if self._fast is not None:
            # Check the closed form against scipy once (loc/scale variants).
            probe = np.array([0.1234, 0.5123, 0.9071])
            if not np.allclose(self._ppf(probe), dist.ppf(probe), rtol=1e-9, atol=0.0):
                self._fast = None

        # Finite values at the ends of the unit scale, for heavy tails whose
        # quantiles overflow there: no finite distribution yields inf or NaN.
        self._ends: tuple[float, float] | None = None
        if self._fast is None:
            with np.errstate(all="ignore"):
                ends = (_finite_bound(dist.ppf, _EPS), _finite_bound(dist.ppf, 1 - _EPS))
            if not all(np.isfinite(ends)):
                raise ValueError(
                    f"Parameter {name!r}: the quantile function of "
                    f"{_describe(dist)} gives no finite value, so it cannot be "
                    f"searched; use a distribution with finite quantiles."
                )
            self._ends = ends

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        kind, a, width = self._fast
        return _closed_ppf(u, a, width, kind == "log")

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        u = np.clip(u, _EPS, 1 - _EPS)
        if self._fast is not None:
            return self._ppf(u)
        with np.errstate(all="ignore"):
            x = np.asarray(self.dist.ppf(u), dtype=float)
        bad = ~np.isfinite(x)
        if bad.any():
            x = np.array(x, dtype=float, ndmin=1)
            u = np.broadcast_to(u, x.shape)
            x[bad] = np.where(u[bad] < 0.5, *self._ends)
            x = x.reshape(np.shape(u))
        return x

    def to_unit(self, values: Any) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        if self._fast is not None:
            kind, a, width = self._fast
            x = np.log(values) if kind == "log" else values
            return np.clip((x - a) / width, 0.0, 1.0)
        return np.asarray(self.dist.cdf(values), dtype=float)

    def contains(self, value: Any) -> bool:
        if not _is_number(value):
            return False
        try:  # (infinite values are never drawn, even from an unbounded distribution)
            finite = math.isfinite(float(value))
        except OverflowError:  # an int beyond float range
            return False
        return finite and self.low <= value <= self.high


#: Finite discrete supports up to this size are checked for values of zero prior mass.
_MASS_CHECKED = 100_000


def _is_randint(dist: Any) -> bool:
    """Whether ``dist`` is a frozen ``scipy.stats.randint`` (every value of its support drawn)."""
    return getattr(getattr(dist, "dist", None), "name", None) == "randint"


def _discrete_point_mass(dist: Any) -> int | None:
    """The value of a frozen discrete distribution whose whole mass is at one end of its
    support, else None.

    RandomizedSearchCV samples a constant from ``bernoulli(0)``, ``binom(n, 1)``,
    ``geom(1)`` or ``poisson(0)``, whose support says otherwise.
    """
    with np.errstate(all="ignore"):
        for end in dist.support():
            if np.isfinite(end) and float(dist.pmf(end)) == 1.0:
                return int(end)
    return None


#: Values tabled for a discrete distribution whose scipy quantile function sums its mass;
#: past them (zipf(1.5) holds less than 0.001 of its mass there) the prior is cut off.
_TABLED = 2**20
#: Past this share of the prior mass beyond the table, the cut is warned of.
_CUT_WARNED = 0.01


def _quantiles_by_summing(dist: Any) -> bool:
    """Whether scipy computes ``dist``'s quantiles by adding up its mass value by value."""
    gen = getattr(dist, "dist", None)
    return isinstance(gen, stats.rv_discrete) and type(gen)._ppf is stats.rv_discrete._ppf


def _check_exact_integers(name: str, dist: Any, where: str) -> None:
    """Refuse a discrete distribution on values that are not integers (a loc of 0.5), or
    whose integers the sampler's floats cannot tell apart.

    Discrete values are handled as float64, exact up to 2**53 in size. Past it,
    neighbouring integers round to one float: ``randint(2**60, 2**60 + 10)``
    became a space of 1 candidate. A support wider than 2**53 values (such as
    ``randint(0, 2**63 - 1)`` for seeds) still has that many distinct floats,
    and is kept.
    """
    lo, hi = dist.support()
    if any(np.isfinite(b) and not isinstance(b, numbers.Integral) and not float(b).is_integer()
           for b in (lo, hi)):
        raise ValueError(
            f"Parameter {name!r} in {where} is {_describe(dist)}, a discrete distribution on "
            f"values that are not integers (from {float(lo)!r}: a loc that is not an "
            f"integer), on which scipy's rvs and pmf disagree (rvs draws integers). Give "
            f"it an integer loc, or list the values."
        )
    ends = [int(b) for b in (lo, hi) if np.isfinite(b)]
    if not ends or max(abs(b) for b in ends) <= 2**53:
        return
    if len(ends) == 2 and ends[1] - ends[0] + 1 > 2**53:
        return
    offset = (f"randint(0, {ends[1] - ends[0] + 1})" if len(ends) == 2
              else f"the same distribution with its loc lowered by {int(lo)}")
    raise ValueError(
        f"Parameter {name!r} in {where} is {_describe(dist)}, whose integers lie beyond "
        f"2**53 in size, where sktpe's float64 sampler cannot tell neighbouring ones "
        f"apart. Search an offset instead (here {offset}, adding {int(lo)} in the "
        f"estimator), or give the values as a list."
    )


class _Discrete:
    kind = "discrete"

    def __init__(self, name: str, dist: Any) -> None:
        self.name = name
        self.dist = dist
        lo, hi = dist.support()
        self.low, self.high = lo, hi
        # In Python ints: randint(-2**62, 2**62) has more values than int64 holds.
        self.size = int(hi) - int(lo) + 1 if np.isfinite(lo) and np.isfinite(hi) else None
        # rv_discrete(values=(xk, pk)): only the listed values, which may have gaps
        listed = _listed_values(dist)
        self._support: np.ndarray | None = None
        mass: np.ndarray | None = None  # the prior mass of the values from lo up, where computed
        if listed is not None:
            self._support = np.unique(listed.astype(float))
            self.size = len(self._support)
        elif self.size is not None and self.size <= _MASS_CHECKED and not _is_randint(dist):
            # A finite search never repeats a point, so it enumerates the values left:
            # only those the prior can draw (binom(10, 0.5) has all 11, bernoulli(0) one).
            ks = np.arange(lo, hi + 1, dtype=float)
            mass = np.asarray(dist.pmf(ks), dtype=float)
            if np.count_nonzero(mass) < self.size:
                self._support = ks[mass > 0]
                self.size = len(self._support)
        # zipf, betanbinom: scipy's quantiles add up the mass value by value, so one far in the
        # tail costs gigabytes; they are tabled once instead (see _TABLED).
        self._cdf: np.ndarray | None = None
        if listed is None and np.isfinite(lo) and _quantiles_by_summing(dist):
            if mass is None:  # an infinite support, or a finite one past _MASS_CHECKED
                n = _TABLED if not np.isfinite(hi) else min(int(hi) - int(lo) + 1, _TABLED)
                with np.errstate(all="ignore"):
                    mass = np.asarray(dist.pmf(lo + np.arange(n)), dtype=float)
            cdf = np.cumsum(mass)
            cut = not np.isfinite(hi) or int(hi) - int(lo) + 1 > len(cdf)  # values past the table
            rest = 1.0 - float(cdf[-2]) if len(cdf) > 1 else 0.0
            if cut and rest > _CUT_WARNED:
                warnings.warn(
                    f"Parameter {name!r}: {_describe(dist)} holds {rest:.3g} of its mass past "
                    f"its first {len(cdf) - 1} values, which sktpe tables (scipy's quantiles "
                    f"add up its mass value by value); that mass is drawn as the value "
                    f"{int(lo) + len(cdf) - 1}, where RandomizedSearchCV draws larger values "
                    f"too. Search a transformed parameter (a continuous distribution, rounded "
                    f"in the estimator), or list the values.",
                    UserWarning, stacklevel=user_stacklevel(),
                )
            cdf[-1] = 1.0  # the last value holds the rest of the mass
            self._cdf = np.minimum(cdf, 1.0)
        if self._cdf is None and listed is None and not _is_randint(dist):
            # scipy's quantiles can fail far out (poisson(1e12) gives NaN below its median,
            # where rvs works): refused before any fit, not in the middle of a search.
            with np.errstate(all="ignore"):
                probe = np.asarray(dist.ppf(np.linspace(_EPS, 1 - _EPS, 65)), dtype=float)
            if np.isnan(probe).any():
                raise ValueError(
                    f"Parameter {name!r}: scipy's quantile function of {_describe(dist)} "
                    f"gives NaN, so sktpe cannot sample it. Search an offset or a rescaled "
                    f"parameter (one whose quantiles scipy computes), or list the values."
                )
        self._uniform = False
        if _is_randint(dist) and self.size:
            if self.size < 2**53:
                probe = np.array([0.1234, 0.5123, 0.9071])
                self._uniform = np.array_equal(self._fast_value(probe), dist.ppf(probe))
            else:  # scipy's ppf overflows there; randint is uniform by definition
                self._uniform = True

    def _fast_value(self, u: np.ndarray) -> np.ndarray:
        return self.low + _randint_index(u, self.size)

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """The value whose cell holds each unit value."""
        u = np.clip(u, _EPS, 1 - _EPS)
        if self._uniform:
            return self._fast_value(u)
        if self._cdf is not None:
            return self.low + np.minimum(np.searchsorted(self._cdf, u), len(self._cdf) - 1)
        # scipy's ppf can leave the support where the whole mass is at one end (geom(1) gives 0)
        return np.clip(np.asarray(self.dist.ppf(u), dtype=float), self.low, self.high)

    def cells(self, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper unit bounds of the cells of the values ``k``."""
        k = np.asarray(k, dtype=float)
        if self._uniform:
            lo = (k - self.low) / self.size
            return lo, lo + 1.0 / self.size
        if self._cdf is not None:  # a value past the table is in its last cell
            i = np.clip(k - self.low, 0, len(self._cdf) - 1).astype(np.intp)
            return np.where(i > 0, self._cdf[np.maximum(i - 1, 0)], 0.0), self._cdf[i]
        return (
            np.asarray(self.dist.cdf(k - 1), dtype=float),
            np.asarray(self.dist.cdf(k), dtype=float),
        )

    def values(self) -> np.ndarray:
        if self._support is not None:
            return self._support
        return np.arange(self.low, self.high + 1, dtype=float)

    def contains(self, value: Any) -> bool:
        if not _is_number(value):
            return False
        integral = isinstance(value, numbers.Integral) or float(value).is_integer()
        if not integral:
            return False
        if self._uniform:  # randint: every integer of the support
            return self.low <= value <= self.high
        return self.dist.pmf(value) > 0


class _Categorical:
    kind = "categorical"
    is_constant = False  # a list, not a point-mass distribution

    def __init__(self, name: str, choices: Sequence[Any]) -> None:
        self.name = name
        self.choices = list(choices)
        self.size = len(self.choices)
        # Hashable identity of each choice: equal hashable values are the
        # same candidate (["a", "a", "b"] has two), other objects by identity.
        self.keys = [_hashable(c) for c in self.choices]

    def index(self, value: Any) -> int | None:
        for i, c in enumerate(self.choices):
            if c is value:
                return i
        for i, c in enumerate(self.choices):
            if same_value(c, value):
                return i
        # A copy of a choice with no value equality (an estimator, an array): clone() of
        # the search deep-copies param_distributions and initial_candidates apart.
        for i, c in enumerate(self.choices):
            if _copy_of(c, value):
                return i
        return None

    def contains(self, value: Any) -> bool:
        return self.index(value) is not None


def _hashable(value: Any) -> Hashable:
    value = _plain(value)
    if _is_nan(value):  # every NaN one key (NaN objects are unequal, hashed by identity)
        return ("float", "nan")
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return (type(value).__name__, value)


class _Constant(_Categorical):
    """A point-mass distribution: one value, as RandomizedSearchCV samples it."""

    is_constant = True

    def __init__(self, name: str, value: float) -> None:
        super().__init__(name, [value])
        self.value = value

    def index(self, value: Any) -> int | None:
        if isinstance(value, numbers.Real) and not isinstance(value, bool) and value == self.value:
            return 0
        return None


class _Opaque:
    kind = "opaque"

    def __init__(self, name: str, dist: Any) -> None:
        self.name = name
        self.dist = dist

    def contains(self, value: Any) -> bool:
        return True


_SKOPT_PRIORS = {"uniform", "log-uniform"}


def _check_not_skopt(name: str, value: object, where: str) -> None:
    """Reject a tuple written in scikit-optimize's space syntax, with advice.

    ``(low, high, "log-uniform")`` is a dimension to scikit-optimize but three
    categories to RandomizedSearchCV, whose every fit would then fail.
    """
    if not (isinstance(value, tuple) and len(value) in (3, 4)):
        return
    low, high, prior = value[:3]
    numbers_ = all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in (low, high)
    )
    if not (numbers_ and isinstance(prior, str) and prior in _SKOPT_PRIORS):
        return
    integral = all(isinstance(v, numbers.Integral) for v in (low, high))
    note = ""
    if integral:
        fix = f"randint({low!r}, {high + 1!r})"
        if prior == "log-uniform":
            note = " (for integers on a log scale, list them instead: [1, 2, 5, 10, ...])"
    else:
        fix = (
            f"loguniform({low!r}, {high!r})" if prior == "log-uniform"
            else f"uniform({low!r}, {high!r} - {low!r})"  # uniform(loc, scale)
        )
    raise ValueError(
        f"Parameter {name!r} in {where} is {value!r}, scikit-optimize's syntax for a "
        f"{prior} range; here (as in RandomizedSearchCV) a tuple is a list of "
        f"{len(value)} candidates. Write the range as a scipy.stats distribution: "
        f"{{{name!r}: {fix}}}, from scipy.stats{note}; or pass a list to mean the "
        f"candidates themselves."
    )


class _NewStyle:
    """A distribution object of scipy's new interface (``scipy.stats.Normal``,
    ``make_distribution``, ``truncate`` ...) with the classic methods sktpe and
    RandomizedSearchCV use (``rvs``, ``ppf``, ``cdf``, ``pmf``, ``support``)."""

    def __init__(self, dist: object) -> None:
        self.new = repair_copied_normals(dist)  # (a clone's Normal is a StandardNormal)
        self.discrete = is_new_interface(dist, "DiscreteDistribution")

    def __setstate__(self, state: dict) -> None:  # unpickled or deep-copied: repaired again
        self.__dict__.update(state)
        repair_copied_normals(self.new)

    def __repr__(self) -> str:
        return repr(self.new)

    def rvs(
        self, size: int | tuple | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> float | np.ndarray:
        """Draws, seeded like the classic ``rvs`` (int, RandomState or None)."""
        if isinstance(random_state, np.random.RandomState):
            random_state = random_state.randint(2**32)
        shape = () if size is None else size
        out = self.new.sample(shape, rng=np.random.default_rng(random_state))
        return out.item() if np.ndim(out) == 0 else out

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.new.icdf(u)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        return self.new.cdf(x)

    def pmf(self, x: np.ndarray) -> np.ndarray:
        return self.new.pmf(x)

    def support(self) -> tuple[float, float]:
        lo, hi = self.new.support()
        return float(lo), float(hi)


def _is_new_style(obj: object) -> bool:
    """Whether ``obj`` (an instance or a class) is of scipy's new distribution interface."""
    return is_new_interface(obj) and not hasattr(obj, "rvs")


def _as_classic(name: str, value: object, where: str) -> object:
    """scipy's new distribution objects as classic frozen ones, or an error with advice."""
    if not _is_new_style(value):
        return value
    if isinstance(value, type):
        raise ValueError(
            f"Parameter {name!r} in {where} is the distribution class "
            f"{value.__name__}, which has no parameters to sample from; create it "
            f"with them, e.g. {{{name!r}: scipy.stats.Normal(mu=0, sigma=1)}}."
        )
    if np.shape(value.support()[0]) != ():
        raise ValueError(
            f"Parameter {name!r} in {where} is {value!r}, an array of "
            f"distributions; give one distribution per parameter."
        )
    return _NewStyle(value)


def _as_list(name: str, value: object, where: str) -> object:
    """Containers a user passes for a list of candidates, as RandomizedSearchCV reads them.

    numpy arrays, tuples and ranges are sequences already; a pandas Series or
    Index gives its values (by position, not label). A container without an
    order, or one that can be read only once, and arrays of another
    dimension get an error with advice.
    """
    module = type(value).__module__ or ""
    if module.startswith("pandas") and getattr(value, "ndim", None) is not None:
        if value.ndim != 1:
            raise TypeError(
                f"Parameter {name!r} in {where} is a {type(value).__name__}; give one "
                f"column of candidates, e.g. {{{name!r}: frame['column'].tolist()}}."
            )
        return value.tolist()
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(
            f"Parameter {name!r} in {where} is a {value.ndim}-D numpy array; a list of "
            f"candidates is one-dimensional: pass {name!r}: list(array) if each row "
            f"is a candidate, or array.ravel() for its elements."
        )
    if isinstance(value, (Set, Iterator)) or (
        isinstance(value, Iterable) and not isinstance(value, Sequence)
        and not isinstance(value, np.ndarray) and not _is_distribution(value)
    ):
        unordered = isinstance(value, (set, frozenset))
        fix = "sorted(...)" if unordered else "list(...)"
        what = (
            "has no order" if unordered
            else "can be read only once" if isinstance(value, Iterator)
            else "is not a sequence"
        )
        raise TypeError(
            f"Parameter {name!r} in {where} is a {type(value).__name__}, which {what}; "
            f"pass a list of the candidates instead: {{{name!r}: {fix}}}."
        )
    return value


#: One encoded dimension of a branch.
Dimension = Union[_Continuous, _Discrete, _Categorical, _Opaque]


def _make_dim(name: str, value: Any, where: str) -> Dimension:
    if isinstance(value, Mapping) or isinstance(value, (str, bytes)):
        raise TypeError(
            f"Parameter {name!r} in {where} is {value!r}; each value must be a "
            f"list of candidates or a scipy.stats distribution. Wrap a single "
            f"value in a list: {{{name!r}: [{value!r}]}}."
        )
    value = _as_classic(name, value, where)
    if isinstance(value, (stats.rv_continuous, stats.rv_discrete)) and value.numargs == 0:
        # No shape parameters (norm, expon, rv_histogram(...), rv_discrete(values=...)):
        # RandomizedSearchCV samples it as it is, which is its default frozen form.
        value = value()
    if isinstance(value, (stats.rv_continuous, stats.rv_discrete)) or (
        isinstance(value, type) and _is_distribution(value)
    ):
        family = getattr(value, "name", getattr(value, "__name__", "dist"))
        shapes = getattr(value, "shapes", None)
        default = "loc" if isinstance(value, stats.rv_discrete) else "loc, scale"
        raise ValueError(
            f"Parameter {name!r} in {where} is the unfrozen distribution "
            f"scipy.stats.{family}, which has no parameters to sample from; "
            f"freeze it by calling it with them: {{{name!r}: {family}({shapes or default})}}."
        )
    if _is_distribution(value):
        dist_type = getattr(value, "dist", None)
        listed = _listed_values(value)
        if listed is not None and listed.dtype.kind == "f":
            # Float values stay floats (RandomizedSearchCV draws 1.0, not 1: max_features=1.0
            # is all features, max_features=1 one), as choices of a list.
            return _Categorical(name, listed.tolist())
        constant = _point_mass(value)
        if constant is not None:
            return _Constant(name, constant)
        if isinstance(dist_type, (stats.rv_continuous, stats.rv_discrete)):
            with np.errstate(all="ignore"):
                bounds = value.support()
            if any(np.ndim(b) for b in bounds):
                raise ValueError(
                    f"Parameter {name!r} in {where} is {_describe(value)}, a distribution "
                    f"with array arguments (several distributions at once); give one "
                    f"distribution per parameter, with scalar arguments."
                )
            lo, hi = (float(b) for b in bounds)
            if np.isnan(lo) or np.isnan(hi):
                hint = _ARGUMENT_HINTS.get(dist_type.name, "see its scipy.stats documentation")
                raise ValueError(
                    f"Parameter {name!r} in {where} is {_describe(value)}, "
                    f"whose arguments scipy rejects, so it cannot be sampled; "
                    f"fix them: {hint}."
                )
            if lo == hi and isinstance(dist_type, stats.rv_continuous):
                return _Constant(name, lo)
        if isinstance(value, _NewStyle):
            return _Discrete(name, value) if value.discrete else _Continuous(name, value)
        if isinstance(dist_type, stats.rv_discrete):
            constant = _discrete_point_mass(value)
            if constant is not None:
                return _Constant(name, constant)
            _check_exact_integers(name, value, where)
            return _Discrete(name, value)
        if isinstance(dist_type, stats.rv_continuous):
            return _Continuous(name, value)
        if hasattr(value, "cdf") and hasattr(value, "ppf") and hasattr(value, "support"):
            return _Continuous(name, value)
        return _Opaque(name, value)
    value = _as_list(name, value, where)
    if isinstance(value, Sequence) or isinstance(value, np.ndarray):
        _check_not_skopt(name, value, where)
        if len(value) == 0:
            raise ValueError(
                f"Parameter {name!r} in {where} is an empty list; give at least "
                f"one candidate value or remove the parameter."
            )
        return _Categorical(name, value)
    raise TypeError(
        f"Parameter {name!r} in {where} is {value!r} of type "
        f"{type(value).__name__}; each value must be a list of candidates or a "
        f"scipy.stats distribution (an object with an 'rvs' method). Wrap a "
        f"single value in a list: {{{name!r}: [{value!r}]}}."
    )


class _ContFast(NamedTuple):
    """Closed-form quantile functions of all continuous axes of a branch."""

    a: np.ndarray
    width: np.ndarray
    is_log: np.ndarray


class _DiscFast(NamedTuple):
    """All discrete axes of a branch as randints: lowest value and size."""

    low: np.ndarray
    size: np.ndarray


class Branch:
    """One dict of a search space: its dimensions grouped by kind."""

    def __init__(self, index: int, mapping: Any, where: str) -> None:
        if not isinstance(mapping, Mapping):
            raise TypeError(
                f"{where} must be a dict of parameter names to lists or "
                f"distributions, got {type(mapping).__name__}."
            )
        self.index = index
        self.names: list[str] = []
        for name in mapping:
            if not isinstance(name, str):
                raise TypeError(
                    f"Parameter names in {where} must be strings, got {name!r}."
                )
            self.names.append(name)
        dims = [_make_dim(n, mapping[n], where) for n in self.names]
        self.dims = dims
        self.cont: list[_Continuous] = [d for d in dims if isinstance(d, _Continuous)]
        self.disc: list[_Discrete] = [d for d in dims if isinstance(d, _Discrete)]
        self.cat: list[_Categorical] = [d for d in dims if isinstance(d, _Categorical)]
        self.opaque: list[_Opaque] = [d for d in dims if isinstance(d, _Opaque)]
        self.cat_sizes = np.array([d.size for d in self.cat], dtype=np.intp)
        # Finite: every dimension discrete with finite support or categorical.
        sizes = [d.size for d in self.disc] + [d.size for d in self.cat]
        self.finite = not self.cont and not self.opaque and all(s for s in sizes)
        # Countable: every dimension discrete or categorical, so a point can be told
        # apart from an evaluated one (poisson's values too, though not finite).
        self.countable = not self.cont and not self.opaque
        self.size = int(np.prod(sizes, dtype=float)) if self.finite else None
        # Closed forms for whole rows when every axis of a kind has one
        # (uniform / loguniform floats, randint ints): one numpy call per
        # kind instead of one per axis.
        self._cont_fast: _ContFast | None = None
        if all(d._fast is not None for d in self.cont):
            fast = [d._fast for d in self.cont]
            self._cont_fast = _ContFast(
                np.array([f.a for f in fast]),
                np.array([f.width for f in fast]),
                np.array([f.kind == "log" for f in fast]),
            )
        self._disc_fast: _DiscFast | None = None
        if all(d._uniform for d in self.disc):
            self._disc_fast = _DiscFast(
                np.array([d.low for d in self.disc], dtype=float),
                np.array([d.size for d in self.disc], dtype=float),
            )

    # -- points ---------------------------------------------------------------
    def _points(self, cont_u: np.ndarray, disc_val: np.ndarray, cat: np.ndarray) -> Points:
        disc_lo = np.empty_like(disc_val)
        disc_hi = np.empty_like(disc_val)
        for j, d in enumerate(self.disc):
            disc_lo[:, j], disc_hi[:, j] = d.cells(disc_val[:, j])
        num = np.hstack([np.clip(cont_u, _EPS, 1 - _EPS), 0.5 * (disc_lo + disc_hi)])
        width = np.hstack([np.zeros_like(cont_u), disc_hi - disc_lo])
        return Points(self.index, num, width, disc_val, cat)

    def snap(self, num_u: np.ndarray, cat: np.ndarray) -> Points:
        """Turn raw unit draws (continuous axes first) into encoded points."""
        nc = len(self.cont)
        if self._disc_fast is None or not self.disc:
            disc_val = np.empty((len(cat), len(self.disc)))
            for j, d in enumerate(self.disc):
                disc_val[:, j] = d.from_unit(num_u[:, nc + j])
            return self._points(num_u[:, :nc], disc_val, cat)
        low, size = self._disc_fast
        k = _randint_index(num_u[:, nc:], size)
        num = np.empty_like(num_u)
        width = np.empty_like(num_u)
        np.clip(num_u[:, :nc], _EPS, 1 - _EPS, out=num[:, :nc])
        num[:, nc:] = (k + 0.5) / size
        width[:, :nc] = 0.0
        width[:, nc:] = 1.0 / size
        return Points(self.index, num, width, k + low, cat)

    def keys(self, points: Points) -> list[PointKey | None]:
        """Hashable identity of each point's parameters, for countable branches.

        Keys name parameters and values, not the branch, so equal candidates
        of overlapping branches share a key. None where a parameter is
        continuous or opaque.
        """
        if not self.countable:
            return [None] * len(points)
        # A discrete value is keyed as a list's value is, so that randint's 1 and a list's 1
        # in overlapping branches are one candidate.
        cols = [(d.name, [_hashable(int(v)) for v in points.disc_val[:, j]])
                for j, d in enumerate(self.disc)]
        cols += [
            (d.name, [d.keys[i] for i in points.cat[:, j]]) for j, d in enumerate(self.cat)
        ]
        cols.sort(key=lambda c: c[0])
        names = tuple(c[0] for c in cols)
        if not cols:  # an empty dict: every point is the one empty candidate
            return [((), ())] * len(points)
        return [(names, vals) for vals in zip(*(c[1] for c in cols))]

    def decode(
        self, points: Points, i: int, rng: np.random.RandomState | None = None
    ) -> dict[str, Any]:
        """The parameter dict of point ``i`` of ``points``."""
        values: dict[str, Any] = {}
        if self._cont_fast is not None and self.cont:
            a, w, is_log = self._cont_fast
            u = np.clip(points.num[i, : len(self.cont)], _EPS, 1 - _EPS)
            values.update(zip((d.name for d in self.cont), _closed_ppf(u, a, w, is_log).tolist()))
        else:
            for j, d in enumerate(self.cont):
                values[d.name] = float(d.from_unit(points.num[i, j : j + 1])[0])
        for d, v in zip(self.disc, points.disc_val[i].tolist()):
            values[d.name] = int(v)
        for d, c in zip(self.cat, points.cat[i].tolist()):
            values[d.name] = d.choices[c]
        for d in self.opaque:
            values[d.name] = d.dist.rvs(random_state=rng)
        return {name: values[name] for name in self.names}

    def encode(self, params: Mapping[str, Any]) -> Points | None:
        """Encode one parameter dict of this branch, or return None."""
        if set(params) != set(self.names):
            return None
        if not all(d.contains(params[d.name]) for d in self.dims):
            return None
        cont_u = np.array([[float(d.to_unit(params[d.name])) for d in self.cont]])
        disc_val = np.array([[float(params[d.name]) for d in self.disc]])
        cat = np.array([[d.index(params[d.name]) for d in self.cat]], dtype=np.intp)
        return self._points(cont_u, disc_val, cat)

    def enumerate(self) -> Points:
        """Every point of a finite branch (``size`` must be small)."""
        axes = [d.values() for d in self.disc] + [
            np.arange(d.size, dtype=float) for d in self.cat
        ]
        if axes:
            grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, len(axes))
        else:  # an empty dict: one point, the estimator as it is
            grid = np.empty((1, 0))
        nd = len(self.disc)
        return self._points(
            np.empty((len(grid), 0)), grid[:, :nd], grid[:, nd:].astype(np.intp)
        )


class Points:
    """A batch of encoded points of one branch (one row per point).

    ``num`` holds the numeric coordinates on the unit scale (continuous axes,
    then discrete cell centres), ``width`` their cell widths (0 for continuous
    axes), ``disc_val`` the discrete values and ``cat`` the category indices.
    """

    __slots__ = ("branch", "num", "width", "disc_val", "cat")

    def __init__(
        self,
        branch: int,
        num: np.ndarray,
        width: np.ndarray,
        disc_val: np.ndarray,
        cat: np.ndarray,
    ) -> None:
        self.branch = branch
        self.num = num
        self.width = width
        self.disc_val = disc_val
        self.cat = cat

    def __len__(self) -> int:
        return len(self.cat)

    def take(self, idx: np.ndarray | list[int] | slice) -> Points:
        """The points ``idx`` (rows)."""
        return Points(
            self.branch, self.num[idx], self.width[idx], self.disc_val[idx], self.cat[idx]
        )


class SearchSpace:
    """A RandomizedSearchCV-style space translated for the sampler.

    Parameters
    ----------
    param_distributions : dict or list of dicts
        Parameter names mapped to lists of candidates or scipy.stats
        distributions. A list of dicts is a conditional space: each dict is a
        branch.
    """

    def __init__(
        self, param_distributions: Mapping[str, Any] | Sequence[Mapping[str, Any]]
    ) -> None:
        where = "param_distributions"
        if isinstance(param_distributions, Mapping):
            dicts = [param_distributions]
            wheres = [where]
        elif isinstance(param_distributions, (list, tuple)):
            if len(param_distributions) == 0:
                raise ValueError(
                    f"{where} is an empty list; give a dict or a non-empty list "
                    f"of dicts."
                )
            dicts = list(param_distributions)
            wheres = [f"{where}[{i}]" for i in range(len(dicts))]
        else:
            raise TypeError(
                f"{where} must be a dict or a list of dicts, got "
                f"{type(param_distributions).__name__}."
            )
        self.branches = [Branch(i, d, w) for i, (d, w) in enumerate(zip(dicts, wheres))]
        self.opaque_names = sorted(
            {d.name for b in self.branches for d in b.opaque}
        )
        if self.opaque_names:
            warnings.warn(
                f"Parameters {self.opaque_names} are objects with 'rvs' but no "
                f"'cdf'/'ppf'; TPE cannot model them and draws them at random. "
                f"Use a scipy.stats distribution to have them searched.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        self.finite = all(b.finite for b in self.branches)
        self.size: int | None = None
        if self.finite:
            self.size = sum(b.size for b in self.branches)
            if self.size <= MAX_ENUMERATE:
                # Distinct candidates: branches may overlap, lists may repeat.
                self.size = len({k for b in self.branches for k in b.keys(b.enumerate())})

    @property
    def names(self) -> list[str]:
        """All parameter names, in order of first appearance."""
        seen: dict[str, None] = {}
        for b in self.branches:
            for n in b.names:
                seen.setdefault(n, None)
        return list(seen)

    def encode(self, params: Mapping[str, Any]) -> Points:
        """Encode one parameter dict; raise ValueError if it is not in the space."""
        for b in self.branches:
            pts = b.encode(params)
            if pts is not None:
                return pts
        raise ValueError(
            f"Parameters {params!r} are not in the search space: each must use "
            f"exactly one dict's keys with values in that dict's lists or "
            f"distributions' support."
        )
