"""The record of a search: one ``Trial`` per candidate, kept in one ``TrialStore``.

Every reader of a search's results reads the store: the scheduler (the
incumbent racing compares against), ``cv_results_``, the progress line, the
journal, and ``warm_start``. The sampler keeps its own history, as an ask/tell
object usable without a search must; the store tells it each trial once, when
the trial settles (and the journal writes it then).

A fold record is the dict scikit-learn's ``_fit_and_score`` returns
(``sktpe._sklearn_compat``, contact 2); a trial holds one per fold, or None
for a fold it has not run (yet, or ever, when racing dropped it).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _sklearn_compat as compat

__all__ = ["State", "Trial", "TrialStore", "fold_offsets", "MIN_COMPLETE"]

#: Complete trials a fit needs before provisional scores are corrected by fold
#: offsets: with fewer, the offsets' own noise costs more than they correct
#: (chosen on the tuning suite by ``benchmarks/fold_offsets.py``).
MIN_COMPLETE = 4

Record = dict  # one fold's record (sktpe._sklearn_compat, contact 2)


def fold_offsets(scores: np.ndarray) -> np.ndarray:
    """Each fold's offset from the fold scores of complete trials (see ``TrialStore.fold_offsets``).

    Parameters
    ----------
    scores : ndarray of shape (n_trials, n_folds)
        Finite fold scores, one row per complete trial, ``n_trials >= 1``.

    Returns
    -------
    ndarray of shape (n_folds,)
        The median, over the better half of the rows by mean (at least two
        rows where there are two), of each fold's score less its row's mean.
    """
    means = scores.mean(axis=1)
    n = len(scores)
    keep = min(n, max(2, math.ceil(n / 2)))
    better = np.argpartition(-means, keep - 1)[:keep] if keep < n else np.arange(n)
    return np.median(scores[better] - means[better, None], axis=0)


class State(str, enum.Enum):
    """Where a trial is in its life."""

    PENDING = "pending"  # asked; some folds still to run
    COMPLETE = "complete"  # ran every fold, every fit succeeded
    FAILED = "failed"  # ran every fold, some fit failed (scored error_score)
    RACED_OUT = "raced_out"  # left the race: its other folds were skipped


@dataclass(eq=False)
class Trial:
    """One candidate: its parameters, its fold records, its state and score.

    ``number`` is its place in the order candidates were asked (from 0, over
    every fit of a ``warm_start`` search); ``score`` is what the sampler
    learns: the mean objective over its folds (NaN where a fit failed, whatever
    ``error_score``), or for a raced-out trial the estimate
    ``sktpe._racing.estimated_mean``.
    """

    number: int
    params: dict
    folds: list[Record | None]  # by fold; None: not run (yet)
    fold_scores: list[float] = field(default_factory=list)  # the objective of each fold run, in order
    state: State = State.PENDING
    score: float = math.nan
    skipped: tuple[int, ...] = ()  # folds racing skipped (their records hold NaN)
    row: int | None = None  # its row of cv_results_, once settled

    @property
    def n_run(self) -> int:
        """Folds run so far (a trial runs its folds first to last)."""
        return len(self.fold_scores)

    @property
    def ran(self) -> list[Record]:
        """The records of the folds it ran."""
        return [r for f, r in enumerate(self.folds) if r is not None and f not in self.skipped]

    @property
    def settled(self) -> bool:
        return self.row is not None


@dataclass
class TrialStore:
    """Every trial of a search, and the order they settled in (the rows of ``cv_results_``)."""

    n_splits: int | None = None
    trials: list[Trial] = field(default_factory=list)  # in the order asked or restored
    rows: list[Trial] = field(default_factory=list)  # settled, in row order
    sampler: Any = None  # told each trial as it settles (a TPESampler)
    on_settle: list[Callable[[Trial], None]] = field(default_factory=list)  # e.g. the journal
    # Called with each new trial's parameters before it is fitted (the journal checks it can
    # store them).
    on_new: list[Callable[[dict], None]] = field(default_factory=list)
    # The search settings the trials were scored with (TPESearchCV._scored_with): a warm
    # start checks them.
    settings: dict[str, str] = field(default_factory=dict)
    # Fold scores of this fit's complete trials (the first ``_n_complete``
    # rows, grown by doubling), and their offsets once computed (see
    # ``fold_offsets``).
    _complete: np.ndarray | None = field(default=None, init=False, repr=False)
    _n_complete: int = field(default=0, init=False, repr=False)
    _offsets: np.ndarray | None = field(default=None, init=False, repr=False)
    # The next trial's number: past every number held, whatever order trials were restored in.
    _next_number: int = field(default=0, init=False, repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Trial]:
        return iter(self.rows)

    def check_n_splits(self, n_splits: int) -> None:
        """Record the number of CV splits; a continued search must keep its own."""
        if self.n_splits is not None and self.n_splits != n_splits:
            if n_splits == 0:
                raise ValueError(
                    f"warm_start=True cannot continue a search made with {self.n_splits} CV "
                    f"splits: cv is a one-shot iterable of splits (a generator such as "
                    f"KFold().split(X)), used up by the earlier fit. Pass cv as a list of "
                    f"the splits, cv=list(...), or the splitter itself, or set "
                    f"warm_start=False."
                )
            raise ValueError(
                f"warm_start=True cannot continue a search made with {self.n_splits} CV "
                f"splits using {n_splits}; keep cv unchanged or set warm_start=False."
            )
        self.n_splits = n_splits

    def new(self, params: dict) -> Trial:
        """A pending trial for ``params``, numbered in ask order."""
        for listener in self.on_new:
            listener(params)
        number = self._next_number
        self._next_number += 1
        trial = Trial(number, params, [None] * (self.n_splits or 0))
        self.trials.append(trial)
        return trial

    def settle(self, trial: Trial) -> None:
        """Make a decided trial (its state no longer pending) the next row."""
        trial.row = len(self.rows)
        self.rows.append(trial)
        scores = np.asarray(trial.fold_scores, dtype=float)
        if (trial.state is State.COMPLETE and len(scores) and len(scores) == len(trial.folds)
                and np.isfinite(scores).all()):
            self._add_complete(scores)
        if self.sampler is not None:
            self.sampler.tell(trial.params, trial.score)
        for listener in self.on_settle:
            listener(trial)

    def _add_complete(self, scores: np.ndarray) -> None:
        """Keep the fold scores of a complete trial for :meth:`fold_offsets`."""
        if self._complete is None:  # (one number of folds per store: check_n_splits)
            self._complete, self._n_complete = np.empty((16, len(scores))), 0
        elif self._n_complete == len(self._complete):
            self._complete = np.concatenate([self._complete, np.empty_like(self._complete)])
        self._complete[self._n_complete] = scores
        self._n_complete += 1
        self._offsets = None

    def forget_fold_offsets(self) -> None:
        """Start learning fold offsets afresh: a new fit, whose folds may differ."""
        self._complete, self._n_complete, self._offsets = None, 0, None

    def fold_offsets(self) -> np.ndarray | None:
        """How much easier each fold is than the mean, from this fit's complete trials.

        The folds of one split are easier or harder for every candidate alike
        (the same rows land in the same validation fold). A fold's offset is
        the median, over the better half of the trials that ran every fold
        with finite scores, of that fold's score less the trial's mean score
        (:func:`fold_offsets`). None before ``MIN_COMPLETE`` such trials, or
        if the offsets are not finite. The better half, because a fold that
        is hard for good candidates can be easy for bad ones; the median,
        because once a few trials are complete one erratic trial should not
        move it. ``benchmarks/fold_offsets.py`` chose this on the tuning
        suite of real tasks, against the mean over all trials and other
        variants. Only trials settled since :meth:`forget_fold_offsets` (the
        start of the fit) count: another fit may have other folds.
        """
        if self._n_complete < MIN_COMPLETE:
            return None
        if self._offsets is None:
            with np.errstate(over="ignore", invalid="ignore"):
                self._offsets = fold_offsets(self._complete[: self._n_complete])
        return self._offsets if np.isfinite(self._offsets).all() else None

    def report(self, trial: Trial) -> None:
        """Tell the sampler a pending trial's score from the folds back so far.

        A provisional score, which its final one replaces when it settles:
        the mean over the folds back of each fold's score less that fold's
        offset (:meth:`fold_offsets`), so that easy first folds do not make a
        candidate look better than it will end (``benchmarks/fold_offsets.py``
        measures both on real tasks). Before ``MIN_COMPLETE`` trials are
        complete, the raw mean.
        """
        if self.sampler is not None and trial.fold_scores:
            scores = np.asarray(trial.fold_scores, dtype=float)
            offsets = self.fold_offsets()
            if offsets is not None:
                scores = scores - offsets[: len(scores)]
            with np.errstate(invalid="ignore"):
                score = float(scores.mean())
            self.sampler.tell(trial.params, score, provisional=True)

    def restore(self, trials: list[Trial]) -> None:
        """Take trials settled by an earlier process (a journal's), as rows, in order.

        A journal of asynchronous proposals holds them in the order they settled, not by
        number: new trials are numbered past the largest number held (numbered after the
        last one, they reused numbers the file held and were never written)."""
        for t in trials:
            self.check_n_splits(len(t.folds))
            self.trials.append(t)
            self.settle(t)
            self._next_number = max(self._next_number, t.number + 1)

    def drop_pending(self) -> None:
        """Forget trials that never settled (a fit stopped by an exception)."""
        self.trials = [t for t in self.trials if t.settled]

    def incumbent(self) -> list[float] | None:
        """Per-fold objective of the best trial that ran every fold, or None."""
        best, best_score = None, -np.inf
        for t in self.rows:
            if t.state is not State.RACED_OUT and np.isfinite(t.score) and t.score > best_score:
                best, best_score = t, t.score
        return None if best is None else best.fold_scores

    def rerun_order(self) -> list[Trial]:
        """The settled trials, best first to run again where scikit-learn's ``fit`` needs one
        ``evaluate_candidates`` call (see ``Evaluator.feed_sklearn``).

        Fewest failed folds first (a trial raced out counts its skipped folds
        as failed), then the quickest: a trial's time is its slowest fold's
        (fit plus score), as its folds run side by side.
        """
        def key(t: Trial) -> tuple[int, float]:
            ran = t.ran
            failed = compat.n_failed(ran) + len(t.folds) - len(ran)
            slowest = max((r["fit_time"] + r["score_time"] for r in ran), default=math.inf)
            return failed, slowest

        return sorted(self.rows, key=key)

    # -- what cv_results_ is formatted from -------------------------------------------
    @property
    def params(self) -> list[dict]:
        return [t.params for t in self.rows]

    @property
    def scores(self) -> list[float]:
        return [t.score for t in self.rows]

    @property
    def raced(self) -> list[bool]:
        return [t.state is State.RACED_OUT for t in self.rows]

    @property
    def skipped(self) -> np.ndarray:
        """True at the folds racing skipped, one row per trial (shape (rows, n_splits))."""
        mask = np.zeros((len(self.rows), self.n_splits), dtype=bool)
        for i, t in enumerate(self.rows):
            mask[i, list(t.skipped)] = True
        return mask

    def records(self) -> list[Record]:
        """Every row's fold records, row by row (skipped folds' NaN records included)."""
        return [r for t in self.rows for r in t.folds]

    def run_records(self, start: int = 0) -> list[Record]:
        """The records of folds that ran, of the rows from ``start`` on."""
        return [r for t in self.rows[start:] for r in t.ran]
