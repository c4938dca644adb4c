"""Holding back a thread's warnings, safely while other threads run searches.

``warnings.catch_warnings`` swaps process-wide state (the filters and the
function that shows a warning) on entry and puts back what it saved on exit.
Two searches in two threads that each enter and leave their own
``catch_warnings`` interleave: one leaves first and removes the other's
recorder, or the other puts back a recorder that no one reads, and warnings
are lost.

Here every search of the process shares one recorder: the first thread to
start holding back warnings enters one ``catch_warnings``, the last to finish
leaves it, and each warning goes to the list of the thread that issued it.
Warnings of other threads (joblib's threading workers, the user's own code),
and those a thread re-issues while another still holds back, are kept and
re-issued, through the filters in force, once the last thread has finished.

While warnings are held back the user's filters stay in force, as they are
for RandomizedSearchCV: an ``"error"`` filter makes a fit's warning an
exception (the fit fails and follows ``error_score``) and an ``"ignore"``
filter drops it, in this process and in joblib's workers (scikit-learn's
``Parallel`` hands them the filters). Only the filters that show a warning
once (``"default"``, ``"once"``, ``"module"``, and no filter at all) hold
every occurrence, so that the re-issue decides once what is shown. So a
batch's warning of failed fits, which the search judges once over the whole
search, is held unless the user's filters make it an error (raised at the
first batch with a failed fit) or ignore it. A hold may name warnings it
needs whatever the filters say (``held_back(always=...)``): the search's
formatting of ``cv_results_``, after every fit, does (see ``sktpe._results``).
Fits never run under such an entry: the filters of a fit (in this process or
in joblib's workers, which get the filters in force) are the user's.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = ["held_back", "reissue", "user_stacklevel"]


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes the caller's warning name the first frame outside sktpe,
    scikit-learn and joblib (the user's ``TPESampler(...)``, ``search.fit(...)``, or
    ``cross_val_score(search, ...)`` for a nested search), however deep in them the warning
    is given; the outermost frame where every frame is theirs (a joblib worker's)."""
    inside = tuple(os.path.dirname(os.path.realpath(m.__file__)) + os.sep
                   for m in (sys.modules[name] for name in ("sktpe", "sklearn", "joblib")
                             if name in sys.modules))
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and os.path.realpath(frame.f_code.co_filename).startswith(inside):
        frame, level = frame.f_back, level + 1
    return level


@dataclass
class _State:
    """The process-wide holding back of warnings (guarded by ``_lock``)."""

    depth: int = 0  # threads holding back warnings now (nested holds count each)
    cm: warnings.catch_warnings | None = None  # entered by the first, left by the last


_lock = threading.Lock()
_state = _State()
# thread id -> its stack of open lists
_by_thread: dict[int, list[list[warnings.WarningMessage]]] = {}
_orphans: list[tuple[warnings.WarningMessage, dict[Any, Any] | None]] = []


def _route(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """``warnings.showwarning`` while warnings are held back: file each warning."""
    w = warnings.WarningMessage(message, category, filename, lineno, file, line)
    stack = _by_thread.get(threading.get_ident())
    if stack:
        stack[-1].append(w)
        return
    with _lock:
        if _state.depth > 0:
            _orphans.append((w, None))
            return
    # The last holder finished between this warning's issue and now: show it.
    _show([(w, None)])


def _module_of(filename: str) -> str | None:
    """The name of the imported module at ``filename`` (for warning filters)."""
    for name, module in list(sys.modules.items()):
        if getattr(module, "__file__", None) == filename:
            return name
    return None


def _show(items: list[tuple[warnings.WarningMessage, dict[Any, Any] | None]]) -> None:
    """Issue held-back warnings through the filters in force now."""
    for w, registry in items:
        module = _module_of(w.filename)
        if registry is None and module is not None:
            # what warnings.warn from that module would have used
            registry = vars(sys.modules[module]).setdefault("__warningregistry__", {})
        # (module=None would drop the warning: leave it out for code of no module file,
        # a script run by exec, a notebook cell; Python then derives it from the file name)
        where = {"module": module} if module is not None else {}
        warnings.warn_explicit(
            w.message, w.category, w.filename, w.lineno, registry=registry, **where,
        )


def _holding_filters(always: Sequence[tuple[type[Warning], str]]) -> None:
    """Set the filters in force while warnings are held back (see the module docstring).

    The user's filters are kept in their order (entries may hold what the public API
    would refuse, such as a tuple of categories), those that show once made "always".
    """
    warnings.filters[:] = [
        ("always" if action in ("default", "once", "module") else action, *rest)
        for action, *rest in warnings.filters
    ]
    # No filter at all: Python's default shows once. Added through the public API, which
    # also makes every module forget which warnings it has shown (the in-place change
    # above does not).
    warnings.simplefilter("always", append=True)
    for category, message in always:
        warnings.filterwarnings("always", message, category)


@contextmanager
def held_back(
    always: Sequence[tuple[type[Warning], str]] = (),
) -> Iterator[list[warnings.WarningMessage]]:
    """Collect the warnings the calling thread issues meanwhile; yield their list.

    ``always``: (category, message regex) of warnings held whatever the user's filters
    say, when this hold is the first (another thread's hold keeps its filters). Nothing
    is re-issued here: pass (some of) the list to :func:`reissue`.
    """
    me = threading.get_ident()
    mine: list[warnings.WarningMessage] = []
    with _lock:
        if _state.depth == 0:
            cm = warnings.catch_warnings()
            cm.__enter__()
            _holding_filters(always)
            warnings.showwarning = _route
            _state.cm = cm
        _state.depth += 1
        _by_thread.setdefault(me, []).append(mine)
    try:
        yield mine
    finally:
        with _lock:
            stack = _by_thread[me]
            stack.pop()
            if not stack:
                del _by_thread[me]
            _state.depth -= 1
            late = []
            if _state.depth == 0:
                cm, _state.cm = _state.cm, None
                if cm is not None:  # always: the first holder entered it
                    cm.__exit__(None, None, None)
                late, _orphans[:] = list(_orphans), []
        _show(late)


def reissue(caught: list[warnings.WarningMessage], registry: dict[Any, Any] | None = None) -> None:
    """Re-issue held-back warnings, with ``registry`` deciding what "once" means.

    While another thread still holds warnings back they wait, and are issued
    when it finishes.
    """
    items = [(w, registry) for w in caught]
    with _lock:
        if _state.depth > 0:
            _orphans.extend(items)
            return
    _show(items)
