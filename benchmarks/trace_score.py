"""Trace one fold's score from the fold fit to ``TPESampler.tell``.

Runs a small sequential ``TPESearchCV`` (one worker, so every call is in this
process) under ``sys.setprofile``. When the fold fit of the traced candidate
returns its record, the trace starts; it ends when ``TPESampler.tell`` is
called with that candidate. On the way it notes every sktpe or scikit-learn
search frame whose local variables (or the attributes of an object in them,
``self.batch`` say) hold the fold record, a list or dict holding it, or the
candidate's score (its folds all score the same, a value no other candidate
has, so the mean is that value too).

It prints what the score passed through: the modules, the functions, the
names that held it (``function:variable``), and the moves between modules
(consecutive frames of the trace in different modules). Fewer is a shorter
path to read.

    python benchmarks/trace_score.py            # the summary
    python benchmarks/trace_score.py --verbose  # every frame of the trace
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import uniform
from sklearn.base import BaseEstimator

TRACED = 6  # the candidate (0-based, after the start-up ones) whose first fold is traced
WATCHED = ("sktpe", "sklearn.model_selection._search")


class Constant(BaseEstimator):
    """Scores ``round(a * 2**20) / 2**20`` on every fold: each candidate's own value."""

    def __init__(self, a: float = 0.5) -> None:
        self.a = a

    def fit(self, X: np.ndarray, y: np.ndarray | None = None) -> "Constant":
        return self

    def score(self, X: np.ndarray, y: np.ndarray | None = None) -> float:
        return round(self.a * 2**20) / 2**20


@dataclass
class Trace:
    record: object = None
    score: float = float("nan")
    params: dict | None = None
    n_fold_fits: int = 0
    done: bool = False
    frames: list[tuple[str, str, str]] = field(default_factory=list)  # (module, function, name)


def _holds(value: object, t: Trace, depth: int = 0) -> bool:
    if value is t.record:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(value == t.score)
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "f" and value.size < 10_000 and bool((value == t.score).any())
    if depth >= 2:
        return False
    if isinstance(value, (list, tuple)):
        return any(_holds(v, t, depth + 1) for v in value[:10_000])
    if isinstance(value, dict):
        return any(_holds(v, t, depth + 1) for v in value.values())
    return False


def _carriers(frame, t: Trace) -> list[str]:
    names = []
    for name, value in frame.f_locals.items():
        if _holds(value, t):
            names.append(name)
        elif hasattr(value, "__dict__") and type(value).__module__.startswith("sktpe"):
            names += [f"{name}.{a}" for a, v in vars(value).items() if _holds(v, t)]
    return names


def profiler(t: Trace):
    def prof(frame, event, arg):
        if t.done or event not in ("call", "return"):
            return
        code = frame.f_code
        module = frame.f_globals.get("__name__", "")
        if t.record is None:
            if event == "return" and code.co_name == "_fit_and_score" and isinstance(arg, dict):
                t.n_fold_fits += 1
                if t.n_fold_fits == TRACED * 5 + 1:  # 5 folds per candidate
                    t.record = arg
                    t.score = float(arg["test_scores"])
                    t.params = arg.get("parameters")
            return
        if not module.startswith(WATCHED):
            return
        fn = code.co_qualname if hasattr(code, "co_qualname") else code.co_name
        # A comprehension is part of the function it is written in (Python 3.12 inlines them).
        fn = fn.split(".<locals>.<", 1)[0] if fn.endswith((">", "expr")) else fn
        if fn.endswith("TPESampler.tell") and event == "call":
            t.frames += [(module, fn, n) for n in _carriers(frame, t)]
            t.done = True
            return
        for name in _carriers(frame, t):
            t.frames.append((module, fn, name))

    return prof


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    from sktpe import TPESearchCV

    rng = np.random.RandomState(0)
    X, y = rng.rand(60, 2), rng.rand(60)
    search = TPESearchCV(Constant(), {"a": uniform(0, 1)}, n_iter=10, cv=5, random_state=0,
                         n_startup_trials=3, refit=False)
    t = Trace()
    sys.setprofile(profiler(t))
    try:
        search.fit(X, y)
    finally:
        sys.setprofile(None)
    if not t.done:
        raise SystemExit("the trace never reached TPESampler.tell")
    modules, functions, names, bare, moves = [], [], [], [], 0
    for i, (m, f, n) in enumerate(t.frames):
        if i and m != t.frames[i - 1][0]:
            moves += 1
        for seq, item in ((modules, m), (functions, f), (names, f"{f}:{n}"),
                          (bare, n.split(".")[-1])):
            if item not in seq:
                seq.append(item)
    if args.verbose:
        for m, f, n in t.frames:
            print(f"  {m:36s} {f:40s} {n}")
    print(f"modules   {len(modules):3d}  {', '.join(modules)}")
    print(f"functions {len(functions):3d}  {', '.join(functions)}")
    print(f"names     {len(names):3d}  {', '.join(names)}")
    print(f"distinct names {len(bare):3d}  {', '.join(bare)}")
    print(f"moves between modules {moves}")


if __name__ == "__main__":
    main()
