"""The search loop: ask the sampler, run waves of fold tasks, settle trials, tell the sampler.

One loop serves every way a search runs; a :class:`Policy` says which:

* a plain search asks a batch, runs every fold of it in one *whole* wave
  (through ``evaluate_candidates``), and settles it: a race that never drops
  a candidate;
* ``racing=True`` runs a batch's folds in waves (its first ``MIN_FOLDS``
  folds, then one more at a time), and drops a candidate the paired test of
  ``sktpe._racing`` finds losing; the batch settles once its race is over;
* with racing, several workers and ``batch_size='auto'``, the waves
  *overlap*: every wave runs the next fold of each candidate in the race and
  the first fold of new candidates asked for the free workers, and each
  candidate settles as soon as it finishes or drops;
* asynchronously (``batch_size='async'``, or ``'auto'`` with many workers),
  there are no waves after the known candidates: the evaluator asks
  :meth:`Scheduler.next_task` for a fold whenever a worker frees up and hands
  each result to :meth:`Scheduler.done` as it comes back, and each candidate
  settles as soon as it is decided. (scikit-learn's ``fit`` needs one
  ``evaluate_candidates`` call: if no wave made one, ``TPESearchCV`` runs a
  finished candidate again through it after the loop,
  ``Evaluator.feed_sklearn``.)

A trial settles into the store (a row of ``cv_results_``, a line of the
journal) and is told to the sampler. Where new candidates are asked while
others still run (overlapping waves, asynchronous), a running candidate with
folds back is told provisionally, by their mean with each fold corrected
for its difficulty (``TrialStore.report``), so each proposal models what is
already known of it. A batch settles in ask order, and a race compares its
candidates with the incumbent of the trials settled before it; overlapping
waves settle finished candidates first, then test the others against the
incumbent they may have changed. In the waves every choice depends on
results only, never on timing, so a seed and a number of workers give one
search; the asynchronous policy depends on which folds come back first.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _racing
from . import _sklearn_compat as compat
from ._candidates import warn_exhausted
from ._evaluation import Evaluator
from ._tpe import TPESampler
from ._trials import State, Trial, TrialStore

__all__ = ["Policy", "Progress", "Scheduler"]


@dataclass(frozen=True)
class Policy:
    """How a search schedules its candidates (from TPESearchCV's settings)."""

    n_iter: int
    racing: bool
    overlap: bool  # racing, several workers and batch_size='auto'
    slots: int  # workers: fits per overlapping wave
    asynchronous: bool  # propose as workers free up
    timed: bool  # max_time is set: known and start-up candidates come in batches too
    batch_size: Callable[[int, int], int]  # (n_splits, n_done) -> candidates per batch


class Progress:
    """A fit's best score so far, its stopping rules and its verbose lines."""

    def __init__(self, max_time: float | None, n_iter_no_change: int | None, verbose: int,
                 n_iter: int, racing: bool, store: TrialStore,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_time, self.n_iter_no_change = max_time, n_iter_no_change
        self.verbose, self.n_iter, self.racing, self.store = verbose, n_iter, racing, store
        self.clock = clock
        self.start = clock()
        # The best so far includes the trials of an earlier fit (warm_start);
        # the count of candidates without improvement starts with this fit.
        earlier = np.array([t.score for t in store.rows], dtype=float)
        earlier = earlier[np.isfinite(earlier)]
        self.best = float(earlier.max()) if len(earlier) else -np.inf
        self.since_best = 0

    def stop_reason(self, started_up: bool = True) -> str | None:
        """'max_time' or 'n_iter_no_change' once that limit is reached, else None.

        ``n_iter_no_change`` waits for the start-up candidates (``started_up``):
        random draws that do not improve say nothing of what TPE would find. (Their
        batches are checked one by one; as one batch, they were never cut short.)
        """
        if self.max_time is not None and self.clock() - self.start >= self.max_time:
            return "max_time"
        if (self.n_iter_no_change is not None and started_up
                and self.since_best >= self.n_iter_no_change):
            return "n_iter_no_change"
        return None

    def update(self, scores: list[float]) -> None:
        """Take the scores of newly settled trials; print a line if verbose (none settled:
        nothing to take or print)."""
        if not len(scores):
            return
        scores = np.asarray(scores, dtype=float)
        scores = np.where(np.isfinite(scores), scores, -np.inf)
        top = int(np.argmax(scores))  # the first of the batch's best
        if scores[top] > self.best:
            # the candidates settled after the new best count as without improvement
            self.best, self.since_best = float(scores[top]), len(scores) - 1 - top
        else:
            self.since_best += len(scores)
        if self.verbose > 0:
            n_raced = sum(self.store.raced)
            raced = f", {n_raced} raced out" if self.racing else ""
            print(
                f"[TPESearchCV] {len(self.store)}/{self.n_iter} candidates, best score "
                f"so far {self.best:.5g}{raced}, {self.clock() - self.start:.1f}s elapsed"
            )


class Scheduler:
    """Runs one fit's search loop (see the module docstring).

    ``queue`` holds known candidates evaluated first (``initial_candidates``,
    or with ``grid`` every point of a space of lists, which then ends the
    search).
    """

    def __init__(self, sampler: TPESampler, store: TrialStore, evaluator: Evaluator,
                 progress: Progress, policy: Policy, queue: list[dict], grid: bool = False) -> None:
        self.sampler, self.store, self.evaluator = sampler, store, evaluator
        self.progress, self.policy = progress, policy
        self.queue, self.grid = list(queue), grid
        self.n_prev = len(store)
        self.active: list[Trial] = []  # asked, not settled, in ask order
        self.overlapping = False
        self.asking = True  # overlapping waves: still asking for new candidates
        self.reason = "n_iter"
        self.exhaustive = False  # the batch running ends the search
        self.batch: list[Trial] = []  # the batch running (not overlapping)
        self.sent: dict[int, int] = {}  # asynchronous: folds handed out, by trial number
        self.landed: dict[int, dict[int, tuple]] = {}  # asynchronous: folds back out of order
        self.head_done = False  # racing: this batch's head ran whole
        self.halted = False  # asynchronous: an error stops handing out work
        self.asynchronous_failed = False  # no unordered results from joblib, or no listable folds

    # -- the loop -----------------------------------------------------------------------
    def run(self) -> str:
        """Search until ``n_iter`` trials settled or a stopping rule holds; return why."""
        batch = self.policy.batch_size(self.store.n_splits or 1, len(self.store))
        while True:
            if not self.active and not self.overlapping:
                reason = self._stop_reason()
                if reason:
                    return reason
                if self._may_go_asynchronous():
                    self.overlapping = True  # every decided trial settles at once
                    self.head_done = True  # racing: no candidate runs whole first
                    if self.evaluator.run_asynchronously(self):
                        self.asking = False  # what is left: folds racing held back
                        continue
                    self.overlapping, self.asynchronous_failed = False, True
                self.overlapping = self._may_overlap()
                if not self.overlapping:
                    params = self._next_batch(batch)
                    if not params:
                        self._warn_exhausted(self.sampler.space_.size)
                        return "exhausted"
                    self.active = [self.store.new(p) for p in params]
                    self.batch = list(self.active)
                    self.head_done = False
            if self.overlapping:
                self._ask_for_free_slots()
                if not self.active:
                    if self.reason == "exhausted":
                        self._warn_exhausted(self.sampler.space_.size)
                    return self.reason
            self._run_wave()
            settled = self._settle()
            if not self.overlapping and not self.active:  # the batch is over
                self.progress.update([t.score for t in self.batch])
                batch = self.policy.batch_size(self.store.n_splits, len(self.store))
                if self.exhaustive:  # the grid ran whole (max_time may have stopped it first)
                    if len(self.store) < self.policy.n_iter:
                        self._warn_exhausted(self.sampler.space_.size, len(self.store))
                    return "exhausted"
            elif self.overlapping:
                self.progress.update([t.score for t in settled])  # one line per wave
                for t in self.active:  # still racing: modelled by its folds so far
                    if t.state is State.PENDING:
                        self.store.report(t)

    def _stop_reason(self) -> str | None:
        if len(self.store) >= self.policy.n_iter:
            return "n_iter"
        if len(self.store) <= self.n_prev:
            return None
        return self.progress.stop_reason(len(self.store) >= self.sampler.n_startup_trials)

    def _next_batch(self, batch: int) -> list[dict]:
        """The candidates of the next batch: known ones first, then the sampler's."""
        n_done, n_left = len(self.store), self.policy.n_iter - len(self.store)
        # Known and start-up candidates come in batches of the size of the rest, so that a
        # fit stopped partway keeps the batches that finished (in a journal too, which a
        # batch reaches when its evaluate_candidates call returns); their candidates are the
        # same either way. A racing search races them as one batch unless max_time is set
        # (its decisions depend on the batches), and a grid runs whole, as
        # RandomizedSearchCV runs it.
        timed = self.policy.timed
        if self.queue:
            whole = (self.grid or self.policy.racing) and not timed
            k = min(n_left, len(self.queue) if whole else batch)
            params, self.queue = self.queue[:k], self.queue[k:]
            self.exhaustive = self.grid and not self.queue and len(params) < n_left
            return params
        k, n_startup = batch, self.sampler.n_startup_trials
        if n_done < n_startup:
            whole = self.policy.racing and not timed
            k = n_startup - n_done if whole else min(batch, n_startup - n_done)
        self.exhaustive = False
        return self.sampler.ask(min(k, n_left))

    def _may_go_asynchronous(self) -> bool:
        """Whether the rest of the search proposes as workers free up.

        From the first candidate on, once the known candidates ran: the
        start-up candidates are proposed one by one too (from the same Latin
        hypercube), so no worker waits for a start-up batch. The folds must
        be listable (not a one-shot iterable of splits).
        """
        if not self.policy.asynchronous or self.asynchronous_failed or self.queue:
            return False
        if self.evaluator.splits() is None:  # a one-shot iterable of splits: waves instead
            self.asynchronous_failed = True
        return not self.asynchronous_failed

    def _may_overlap(self) -> bool:
        """Whether the rest of the search runs in overlapping waves (see the module docstring).

        Only once racing can start (a fit that succeeded, an incumbent, folds
        that can be listed again) after the known and start-up candidates.
        """
        return (
            self.policy.overlap and self.evaluator.fed and not self.queue
            and len(self.store) >= self.sampler.n_startup_trials
            and self.evaluator.splits() is not None
            and self.store.incumbent() is not None
        )

    def _ask_for_free_slots(self) -> None:
        free = self.policy.slots - len(self.active)
        if not self.asking or free <= 0:
            return
        n_left = self.policy.n_iter - len(self.store) - len(self.active)
        # (with every candidate asked the search ends at n_iter, whatever else holds)
        reason = self.progress.stop_reason() if n_left > 0 else None
        if reason:
            self.reason, self.asking = reason, False
            return
        want = min(free, n_left)
        params = self.sampler.ask(want) if n_left > 0 else []
        if len(params) < want:
            self.reason = "exhausted"
        self.asking = len(params) == free
        self.active += [self.store.new(p) for p in params]

    # -- one wave -----------------------------------------------------------------------
    def _run_wave(self) -> None:
        """Run the next fold tasks of the active trials."""
        evaluator = self.evaluator
        active = [t for t in self.active if t.state is State.PENDING]
        if not self.policy.racing:
            return evaluator.run_whole(active)
        if not evaluator.fed and not self.head_done:
            # scikit-learn's fit needs one evaluate_candidates batch of its own;
            # the batch's first candidate runs every fold and may become the incumbent.
            self.head_done = True
            return evaluator.run_whole(active[:1])
        if (not evaluator.fed or evaluator.splits() is None
                or self.store.incumbent() is None):
            return evaluator.run_whole(active)
        if not self.overlapping and all(t.n_run == 0 for t in active):
            first = min(max(1, _racing.MIN_FOLDS), self.store.n_splits)
            return evaluator.run_folds([(t, f) for t in active for f in range(first)])
        evaluator.run_folds([(t, t.n_run) for t in active])

    def _settle(self) -> list[Trial]:
        """Decide the trials the wave finished or the race drops, and settle what may.

        First the trials that ran every fold; then, when racing, the others
        are tested against the incumbent (which a settled finished trial may
        have become). Overlapping waves settle every decided trial; a batch,
        the decided trials at its head (it settles in ask order).
        """
        n_splits, settled = self.store.n_splits, []
        for testing in (False, True):
            if testing:
                if not self.policy.racing or not self.active:
                    break
                incumbent = self.store.incumbent()
            for t in self.active:
                if t.state is not State.PENDING:
                    continue
                if not testing and len(t.fold_scores) == n_splits:
                    with np.errstate(invalid="ignore"):
                        t.score = float(np.array([t.fold_scores]).mean(axis=1)[0])
                    t.state = State.FAILED if compat.n_failed(t.folds) else State.COMPLETE
                elif testing and t.fold_scores and _racing.worse_than_incumbent(
                        t.fold_scores, incumbent, n_splits):
                    self._race_out(t, incumbent)
            for t in list(self.active):
                if t.state is State.PENDING:
                    if self.overlapping:
                        continue
                    break
                self.store.settle(t)  # a row; told to the sampler, written to the journal
                self.active.remove(t)
                settled.append(t)
        return settled

    def _race_out(self, t: Trial, incumbent: list[float] | None) -> None:
        """A trial the race drops: NaN records for the folds it skips, an estimated score."""
        t.skipped = tuple(range(len(t.fold_scores), self.store.n_splits))
        for f in t.skipped:
            t.folds[f] = self.evaluator.skipped_fold(t.folds[0], f)
        t.score = _racing.estimated_mean(t.fold_scores, incumbent)
        t.state = State.RACED_OUT

    # -- proposals as workers free up ----------------------------------------------------
    def next_task(self) -> tuple[Trial, int] | None:
        """The fold task for a worker that just freed up, or None once there is none to give.

        A started trial's next fold first (with racing, a fold past the first
        ``MIN_FOLDS`` only once the ones before it are back and it is still in
        the race); else a new candidate from the sampler, which counts the
        candidates still running as bad results.
        """
        if self.halted:
            return None
        task = self._next_fold(in_order=self.policy.racing)
        if task is not None:
            return task
        if self.asking:
            # As in the waves, a stopping rule holds only once this fit has a candidate.
            # With every candidate asked the search ends at n_iter, whatever else holds.
            asked = len(self.store.trials) > self.n_prev
            n_left = self.policy.n_iter - len(self.store) - len(self.active)
            reason = self.progress.stop_reason() if asked and n_left > 0 else None
            params = self.sampler.ask(1) if reason is None and n_left > 0 else []
            if not params:
                self.asking = False
                self.reason = reason or ("n_iter" if n_left <= 0 else "exhausted")
        if not self.asking:
            # Nothing new to ask: rather than idle, run a racing trial's next fold
            # before its earlier ones are back (it is dropped anyway if it loses).
            return self._next_fold(in_order=False)
        t = self.store.new(params[0])
        self.active.append(t)
        self.sent[t.number] = 1
        return t, 0

    def _next_fold(self, in_order: bool) -> tuple[Trial, int] | None:
        """The first running trial's next fold not yet handed out, or None.

        ``in_order`` (racing): past the first ``MIN_FOLDS``, only once the
        folds before it are back, so the race can test it first.
        """
        for t in self.active:
            f = self.sent.get(t.number, 0)
            if f < self.store.n_splits and (
                    not in_order or f < _racing.MIN_FOLDS or f == len(t.fold_scores)):
                self.sent[t.number] = f + 1
                return t, f
        return None

    def done(self, t: Trial, fold: int, record: dict, score: float) -> None:
        """Take a fold that came back; settle what it decides."""
        if t.state is not State.PENDING:  # raced out while this fold ran
            return
        landed = self.landed.setdefault(t.number, {})
        landed[fold] = (record, score)
        n_before = len(t.fold_scores)
        while len(t.fold_scores) in landed:  # folds enter a trial in order
            record, score = landed.pop(len(t.fold_scores))
            t.folds[len(t.fold_scores)] = record
            t.fold_scores.append(score)
        self.progress.update([s.score for s in self._settle()])  # one line per fold back
        if t.state is State.PENDING and len(t.fold_scores) > n_before:
            # Still running: the next proposals model it by its folds so far.
            self.store.report(t)

    def _warn_exhausted(self, size: int | None, evaluated: int | None = None) -> None:
        warn_exhausted(size, self.policy.n_iter, evaluated)


def candidates_per_batch(batch_size: int | str, workers: int, n_splits: int, n_done: int) -> int:
    """Candidates to propose together: one, unless workers would idle.

    With one worker, every candidate is proposed from every earlier result
    (strictly sequential TPE). With ``w`` workers, a batch holds the fewest
    candidates whose ``k * n_splits`` fold fits keep the workers at least 90%
    busy, and grows to a twentieth of the finished candidates, since a long
    history barely moves with a few more results while each batch costs a
    joblib round trip.
    """
    if batch_size not in ("auto", "async"):
        return batch_size
    if workers <= 1:
        return 1
    n_splits = max(1, n_splits)
    k = 1
    while k * n_splits < 0.9 * workers * math.ceil(k * n_splits / workers):
        k += 1
    return max(k, n_done // 20)
