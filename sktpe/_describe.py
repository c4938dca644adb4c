"""A text that tells values apart, the same in every process: what a journal compares.

A journal's header holds a description of the estimator, the space and the
scoring a search ran with, and resuming with other ones is refused. So two
values that fit differently must get different texts (a change deep inside a
long pipeline, one lambda for another, another seed's RandomState), and the
same value must get the same text in a new process (no memory addresses, no
dependence on the hash seed or on numpy's print settings).

* A scikit-learn estimator (anything with ``get_params``) is written as
  ``Name(param=value, ...)`` with the parameters that differ from their
  ``__init__`` defaults, each described the same way and never shortened
  (scikit-learn's own repr elides past 700 characters and 30 list
  elements). For an estimator whose repr fits on one line this is the same
  text. A BaseEstimator subclass with its own ``__repr__`` is described by it.
* Lists, tuples, dicts (sorted, as scikit-learn's printer sorts them) and
  sets (sorted) are described element by element.
* A numpy array is written out in full, each float by its shortest exact
  repr; one of more than 1000 elements by its dtype, shape and a hash of its
  bytes. Anything with ``__array__`` (a pandas Index) likewise.
* A function by its module, name and a hash of its code, constants,
  defaults and closure, so two lambdas differ (a bound method and a
  ``functools.partial`` by their function and the rest); a RandomState or
  Generator by a hash of its state.
* A CV splitter, or any other object whose repr shows a memory address, by
  its type and its attributes.
* A value met again inside itself (an object holding a bound method of its
  own, a list holding itself) as ``<Type k up>``, ``k`` the number of values
  from it to there: its description would otherwise not end.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
import sys
import threading
import types
from typing import Any

import numpy as np

__all__ = ["describe", "unwrapped"]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_PRINTER_BREAK = re.compile(r",\n *")  # where scikit-learn's printer wraps a long repr
_LONG = 1000  # arrays longer than this are described by a hash
# numpy's print settings, fixed: a user's np.set_printoptions must not change a description
_PRINT = dict(precision=8, threshold=sys.maxsize, edgeitems=3, linewidth=75, suppress=False,
              nanstr="nan", infstr="inf", sign="-", floatmode="unique", legacy=False)


def _hash(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()[:16]


def _default(cls: type, name: str) -> Any:
    """The default of ``cls.__init__``'s parameter ``name`` (``inspect.Parameter.empty``: none)."""
    try:
        param = inspect.signature(cls.__init__).parameters.get(name)
    except (TypeError, ValueError):  # no signature to read: every parameter is written
        return inspect.Parameter.empty
    return inspect.Parameter.empty if param is None else param.default


def _is_default(value: Any, default: Any) -> bool:
    if default is inspect.Parameter.empty:
        return False
    if isinstance(value, float) and isinstance(default, float) and np.isnan(value) and np.isnan(default):
        return True
    return _text(value) == _text(default)


def _estimator(value: Any) -> str:
    from sklearn.base import BaseEstimator

    if isinstance(value, BaseEstimator) and type(value).__repr__ is not BaseEstimator.__repr__:
        return _ADDRESS.sub("", repr(value))
    cls = type(value)
    changed = [f"{k}={_text(v)}" for k, v in value.get_params(deep=False).items()
               if not _is_default(v, _default(cls, k))]
    return f"{cls.__name__}({', '.join(changed)})"


def _sorted_items(value: dict) -> list:
    try:
        return sorted(value.items())
    except TypeError:  # keys of types that do not compare
        return sorted(value.items(), key=lambda kv: _text(kv[0]))


def _array(value: np.ndarray) -> str:
    if value.dtype == object:
        return f"array({_text(value.tolist())}, dtype=object)"
    if value.size <= _LONG:
        return repr(value)
    data = np.ascontiguousarray(value)
    return (f"array(shape={value.shape}, dtype={value.dtype.str}, "
            f"sha256={_hash(data.tobytes())})")


def _code(code: types.CodeType) -> bytes:
    """The bytecode, constants (nested code too) and names of ``code``."""
    consts = [_code(c) if isinstance(c, types.CodeType) else _text(c).encode() for c in code.co_consts]
    return b"\0".join([code.co_code, *consts, " ".join(code.co_names).encode()])


_LOCAL = threading.local()  # .busy: functions, .within: other values being described (ids)


def _function(value: types.FunctionType) -> str:
    name = f"{value.__module__}.{value.__qualname__}"
    busy = _LOCAL.__dict__.setdefault("busy", set())
    if id(value) in busy:  # a closure that holds the function itself
        return f"<function {name}>"
    busy.add(id(value))
    try:
        cells = [c.cell_contents for c in (value.__closure__ or ()) if _filled(c)]
        digest = _hash(_code(value.__code__), _text(value.__defaults__).encode(),
                       _text(value.__kwdefaults__).encode(), _text(cells).encode())
    finally:
        busy.discard(id(value))
    return f"<function {name} {digest}>"


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents
    except ValueError:  # a closure variable not yet assigned
        return False
    return True


def _attributes(value: Any) -> str:
    """``Type(attribute=value, ...)``; the repr without its address if there are none."""
    state = vars(value) if hasattr(value, "__dict__") else None
    if not state:
        return _ADDRESS.sub("", repr(value))
    return f"{type(value).__name__}({', '.join(f'{k}={_text(v)}' for k, v in sorted(state.items()))})"


_SCALARS = (str, bytes, bool, int, float, complex, np.generic, type(None))


def _text(value: Any) -> str:
    """:func:`describe` of ``value``. A value found inside itself (an object holding a
    bound method of its own, a list that holds itself) is written ``<Type k up>`` there,
    ``k`` the number of values between, counting itself: its description would not end."""
    if isinstance(value, _SCALARS) or isinstance(value, types.FunctionType):
        return _text_of(value)  # (a function guards its closure itself, as before)
    within = _LOCAL.__dict__.setdefault("within", [])
    if id(value) in within:
        return f"<{type(value).__name__} {len(within) - within.index(id(value))} up>"
    within.append(id(value))
    try:
        return _text_of(value)
    finally:
        within.pop()


def _text_of(value: Any) -> str:
    if isinstance(value, type):
        return f"<class {value.__module__}.{value.__qualname__}>"
    if callable(getattr(value, "get_params", None)):
        return _estimator(value)
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_text(v) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        items = (f"{_text(k)}: {_text(v)}" for k, v in _sorted_items(value))
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (set, frozenset)):
        inner = sorted(_text(v) for v in value)
        return f"{type(value).__name__}({{{', '.join(inner)}}})" if inner else f"{type(value).__name__}()"
    if isinstance(value, np.ndarray):
        return _array(value)
    if isinstance(value, np.random.RandomState):
        return f"RandomState({_hash(_text(value.get_state(legacy=False)).encode())})"
    if isinstance(value, np.random.Generator):
        return f"Generator({_hash(_text(value.bit_generator.state).encode())})"
    if isinstance(value, types.FunctionType):
        return _function(value)
    if isinstance(value, types.MethodType):
        return f"<method {_text(value.__func__)} of {_text(value.__self__)}>"
    if isinstance(value, functools.partial):
        return f"partial({_text(value.func)}, {_text(value.args)}, {_text(value.keywords)})"
    if not isinstance(value, (str, bytes, int, float, complex, np.generic)) \
            and hasattr(value, "__array__") and hasattr(value, "shape"):
        return f"{type(value).__name__}({_array(np.asarray(value))})"
    if callable(getattr(value, "split", None)) and callable(getattr(value, "get_n_splits", None)):
        return _attributes(value)  # a CV splitter: its repr shortens long arrays
    text = repr(value)
    if _ADDRESS.search(text):
        return _attributes(value)
    return text


def describe(value: Any) -> str:
    """A text for ``value`` that tells it apart and is the same in every process (see the
    module docstring)."""
    with np.printoptions(**_PRINT):
        return _text(value)


def unwrapped(value: Any) -> Any:
    """``value`` (a signature as a file holds it) with scikit-learn's line breaks taken out
    of its texts. Journals written before sktpe described estimators itself hold the
    printer's repr, which breaks lines past 80 characters, and a description may hold
    the repr of an object that breaks its own lines: both sides are compared unwrapped."""
    if isinstance(value, str):
        return _PRINTER_BREAK.sub(", ", value)
    if isinstance(value, list):
        return [unwrapped(v) for v in value]
    if isinstance(value, dict):
        return {k: unwrapped(v) for k, v in value.items()}
    return value
