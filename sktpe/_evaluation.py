"""Running fold tasks: whole candidates through ``evaluate_candidates``, single folds through joblib.

A wave is a list of fold tasks, each a (trial, fold) pair, that run together.
A *whole* wave (every fold of its candidates) goes through BaseSearchCV's
``evaluate_candidates``, the documented extension point, so scikit-learn's
callbacks, verbose output and failure handling see it. Racing's waves of
single folds cannot (``evaluate_candidates`` runs every split of a
candidate), so they are fitted with the same function it fits with
(``sktpe._sklearn_compat.FoldFitter``, contact 8).

A journal being resumed answers the tasks of the trials it holds first: those
are not fitted again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from joblib import effective_n_jobs
from joblib.parallel import BACKENDS, get_active_backend
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils.parallel import Parallel, delayed

from . import _sklearn_compat as compat
from ._trials import Record, Trial, TrialStore

if TYPE_CHECKING:
    from ._journal import Journal

__all__ = ["Evaluator", "SplitsOnce"]


class SplitsOnce:
    """A CV splitter that splits once and replays the same folds.

    BaseSearchCV re-splits on every call of evaluate_candidates;
    RandomizedSearchCV splits once. Replaying keeps every candidate on the
    same folds (even for a shuffling splitter without a seed) and saves the
    split's cost on every batch.
    """

    def __init__(self, cv: Any, classifier: bool) -> None:
        self.cv = cv
        self.classifier = classifier
        self._splits: list | None = None

    def split(self, X: Any, y: Any = None, **params: Any) -> Iterator[tuple[Any, Any]]:
        if self._splits is None:
            cv = check_cv(self.cv, y, classifier=self.classifier)
            self._splits = list(cv.split(X, y, **params))
        return iter(self._splits)

    def get_n_splits(self, X: Any = None, y: Any = None, **params: Any) -> int:
        return len(self._splits)


class Evaluator:
    """Runs the waves of one ``fit`` and writes their fold records into the trials.

    Parameters
    ----------
    search : TPESearchCV
    evaluate_candidates : callable
        BaseSearchCV's, as handed to ``_run_search``.
    capture : sktpe._sklearn_compat.Capture
        Where the search's ``_format_results`` leaves the records of each call.
    store : TrialStore
    context : sktpe._sklearn_compat.search_context
        The callback context of the search.
    cv : SplitsOnce or None
        The folds every whole wave runs on (None: BaseSearchCV's own, for an
        iterable of splits it has already listed).
    fitter : FoldFitter or None
        Single-fold fits, and the data and split parameters of the fit (with
        racing, asynchronous proposals or a journal).
    metric : str or None
        The metric TPE maximises where several are scored (None: the first).
    journal : Journal or None
        A journal being resumed.
    """

    def __init__(self, search: Any, evaluate_candidates: Callable, capture: compat.Capture,
                 store: TrialStore, context: Any, cv: SplitsOnce | None,
                 fitter: compat.FoldFitter | None, metric: str | None,
                 journal: Journal | None = None) -> None:
        self.search, self.evaluate_candidates, self.store = search, evaluate_candidates, store
        self.capture, self.metric = capture, metric
        self.context, self.cv, self.fitter, self.journal = context, cv, fitter, journal
        self.fed = False  # a whole wave of this fit had a fit that succeeded
        self.header_printed = False
        self.n_calls = 0
        self.warning_registry: dict = {}
        self._splits: list | None = None
        self._pool: Parallel | None = None
        self._opened: list[Parallel] = []  # entered joblib pools, exited by close()

    def print_header(self, n_new: int) -> None:
        """Print scikit-learn's "Fitting ..." line for ``n_new`` candidates, once, if verbose."""
        n_splits = self.store.n_splits
        if self.search.verbose > 0 and not self.header_printed:
            print(f"Fitting {n_splits} folds for each of {n_new} candidates, "
                  f"totalling {n_new * n_splits} fits")
            self.header_printed = True

    # -- waves ------------------------------------------------------------------------
    def run_whole(self, trials: list[Trial]) -> None:
        """Run every fold of ``trials`` in one call of evaluate_candidates.

        A batch whose every fit failed keeps its rows (contact 3). Trials a
        journal holds are answered from it instead.
        """
        search, store = self.search, self.store
        todo = [t for t in trials if not self._replayed(t)]
        if todo:
            params = [t.params for t in todo]
            mute = self.header_printed or self.n_calls > 0
            self.n_calls += 1
            with compat.batch_failures_deferred(self.warning_registry) as done:
                start = time.perf_counter()
                try:
                    with compat.muted_batch_header(search, mute):
                        self.evaluate_candidates(
                            params, cv=self.cv, **self.context.batch_kwargs(len(params))
                        )
                except ValueError as exc:
                    # With error_score='raise' no fit failure becomes scikit-learn's "all fits
                    # failed" error: one that reads like it came from inside a fit (a nested
                    # search whose own fits all failed) and is the user's to see.
                    errors = None if search.error_score == "raise" else compat.all_fits_failed_errors(exc)
                    if errors is None or len(errors) % len(params):
                        raise
                    store.check_n_splits(len(errors) // len(params))
                    # scikit-learn drops the fits' times with the batch: each fit is given
                    # the call's wall time shared over the fits each worker ran
                    n = len(errors)
                    share = (time.perf_counter() - start) * min(effective_n_jobs(search.n_jobs), n) / n
                    records = compat.failed_folds(
                        errors, store.n_splits, store.records(), search.error_score,
                        search.return_train_score, fit_time=share,
                    )
                else:
                    store.check_n_splits(self.capture.n_splits)
                    records = self.capture.records
                done(compat.n_failed(records), len(records))
            compat.fail_slow_fits(records, search.max_fit_time, search.error_score)
            k = store.n_splits
            for i, t in enumerate(todo):
                t.folds = records[i * k:(i + 1) * k]
                t.fold_scores = compat.fold_objectives(t.folds, self.metric)
        # As if they had run in one call (a resumed one may not have): did a fit succeed?
        self.fed = self.fed or any(compat.n_failed(t.folds) < len(t.folds) for t in trials)

    def run_folds(self, tasks: list[tuple[Trial, int]]) -> None:
        """Fit the (trial, fold) tasks in parallel, with racing's fold fitter (contact 8).

        Tasks of trials a journal holds are answered from it instead.
        """
        for t, _ in tasks:  # made before the number of splits was known (scikit-learn < 1.9)
            if len(t.folds) < self.store.n_splits:
                t.folds += [None] * (self.store.n_splits - len(t.folds))
        tasks = [(t, f) for t, f in tasks if not self._replayed(t, f)]
        if not tasks:
            return
        search, fitter = self.search, self.fitter
        splits = self.splits()
        n_splits = len(splits)
        base = clone(search.estimator)
        out = self._parallel()(
            delayed(fitter.fit_fold)(clone(base), t.params, *splits[f], (f, n_splits),
                                     (t.number, search.n_iter))
            for t, f in tasks
        )
        compat.fail_slow_fits(out, search.max_fit_time, search.error_score)
        for (t, f), record, score in zip(tasks, out, compat.fold_objectives(out, self.metric)):
            t.folds[f] = record
            t.fold_scores.append(score)

    def fit_on(self, fitter: compat.FoldFitter, candidates: list[dict],
               splits: list[tuple[Any, Any]]) -> list[list[Record]]:
        """The fold records of each of ``candidates`` on ``splits`` (other folds than the
        search's: ``selection='reevaluate'``), fitted in this fit's pool; no trial changes."""
        search, n_splits = self.search, len(splits)
        base = clone(search.estimator)
        out = self._parallel()(
            delayed(fitter.fit_fold)(clone(base), params, *split, (f, n_splits),
                                     (i, len(candidates)))
            for i, params in enumerate(candidates) for f, split in enumerate(splits)
        )
        compat.fail_slow_fits(out, search.max_fit_time, search.error_score)
        return [out[i * n_splits:(i + 1) * n_splits] for i in range(len(candidates))]

    def _parallel(self) -> Parallel:
        """One joblib pool for every wave of single folds of this fit (closed by :meth:`close`).

        Some backends (Ray's) start a pool per ``Parallel`` call, which would
        cost seconds per wave.
        """
        if self._pool is None:
            self._pool = self._open(Parallel(n_jobs=self.search.n_jobs,
                                             pre_dispatch=self.search.pre_dispatch,
                                             **_unshared_backend()))
        return self._pool

    def _open(self, pool: Parallel) -> Parallel:
        """Enter ``pool``, to stay open until :meth:`close`.

        Inside a ``parallel_config`` / ``parallel_backend`` context every
        ``Parallel`` shares the context's one backend object, BaseSearchCV's
        too, and a ``Parallel`` call that ends outside a ``with`` block shuts
        that backend down: loky's cannot then take BaseSearchCV's next call
        (:meth:`feed_sklearn`). An entered pool leaves it running until it is
        closed, after the search's last joblib call.
        """
        pool.__enter__()
        self._opened.append(pool)
        return pool

    def close(self) -> None:
        """Release every pool this fit opened, the last opened first."""
        self._pool = None
        while self._opened:
            self._opened.pop().__exit__(None, None, None)

    def run_asynchronously(self, scheduler: Any) -> bool:
        """Hand each worker a new fold task as soon as it frees up, until none is left.

        ``scheduler.next_task()`` gives a task, ``scheduler.done(...)`` takes
        its result; both run under one lock, as joblib asks for the next task
        from its own thread. Returns False, running nothing, if the joblib
        backend cannot return results as they come (joblib >= 1.4 with loky,
        threading or Dask can).
        """
        search, fitter = self.search, self.fitter
        splits, lock = self.splits(), threading.Lock()
        n_splits, base = len(splits), clone(search.estimator)
        trials: dict[int, Trial] = {}
        if not self.n_calls:  # scikit-learn < 1.9, and no batch printed its own header yet
            self.print_header(search.n_iter - len(self.store))

        def tasks() -> Iterator[Any]:
            while True:
                with lock:
                    task = scheduler.next_task()
                if task is None:
                    return
                t, f = task
                trials[t.number] = t
                yield delayed(_fit_task)(fitter, clone(base), t.params, splits[f], (f, n_splits),
                                         (t.number, search.n_iter), (t.number, f))

        try:
            out = self._open(Parallel(n_jobs=search.n_jobs, pre_dispatch="n_jobs", batch_size=1,
                                      return_as="generator_unordered",
                                      **_unshared_backend()))(tasks())
        except ValueError as exc:  # a backend without unordered results, or joblib < 1.4
            if "return_as" in str(exc) or "generator" in str(exc):
                return False
            raise
        try:
            for (number, f), record in out:
                compat.fail_slow_fits([record], search.max_fit_time, search.error_score)
                score = compat.fold_objectives([record], self.metric)[0]
                with lock:
                    scheduler.done(trials[number], f, record, score)
        except Exception:
            # (error_score='raise' with max_fit_time): hand out no more work, and let the
            # fits already running end before the error goes up, so none is left behind
            # (joblib warned of its dropped results); the settled trials are kept.
            with lock:
                scheduler.halted = True
            try:
                for _ in out:
                    pass
            except Exception:  # a fit in flight failed too: the first error goes up
                pass
            raise
        return True

    def _replayed(self, t: Trial, fold: int | None = None) -> bool:
        """Give ``t`` its records (every fold, or ``fold``) from the journal, if it holds them."""
        records = None if self.journal is None else self.journal.records(t, fold)
        if records is None:
            return False
        if fold is None:
            self.store.check_n_splits(len(records))
            t.folds = records
            t.fold_scores = compat.fold_objectives(records, self.metric)
        else:
            t.folds[fold] = records[0]
            t.fold_scores += compat.fold_objectives(records, self.metric)
        return True

    def splits(self) -> list | None:
        """The (train, test) indices of every fold, listed once per fit; None if they cannot be.

        Where no batch has told the number of splits yet (scikit-learn < 1.9
        gives it only through evaluate_candidates, which an asynchronous
        search calls last), it is taken from the listed folds, which must
        agree with the splitter's ``get_n_splits``.
        """
        if self._splits is None:
            splits = list_splits(self.search, self.cv, self.fitter)
            if splits and self.store.n_splits is None:
                check_listed_splits(self.search, self.fitter, len(splits))
                self.store.check_n_splits(len(splits))
            self._splits = splits if splits and len(splits) == self.store.n_splits else False
        return self._splits or None

    def skipped_fold(self, like: Record, fold: int) -> Record:
        """The record of a fold a raced-out trial did not run: NaN scores."""
        return compat.skipped_fold(like, len(self.splits()[fold][1]))

    def feed_sklearn(self) -> None:
        """Evaluate one settled trial again through evaluate_candidates, its records unused.

        BaseSearchCV's ``fit`` needs one evaluate_candidates call (it reads
        the first fold record); an asynchronous search, or a fit whose every
        trial came from a journal, made none. The trial is the quickest with
        the fewest failed fits (:meth:`TrialStore.rerun_order`), so that the
        workers idle as briefly as can be; if every fit of it fails this time
        (an estimator that fails at random), the next one is tried.
        """
        error: ValueError | None = None
        for trial in self.store.rerun_order():
            with compat.batch_failures_deferred(self.warning_registry) as done:
                try:
                    with compat.muted_batch_header(self.search, True):
                        self.evaluate_candidates(
                            [trial.params], cv=self.cv, **self.context.batch_kwargs(1)
                        )
                except ValueError as exc:
                    if self.search.error_score == "raise" or compat.all_fits_failed_errors(exc) is None:
                        raise  # (see run_whole)
                    error = exc
                    continue
                done(compat.n_failed(self.capture.records), len(self.capture.records))
            return
        if error is not None:
            raise error


def _unshared_backend() -> dict[str, str]:
    """``backend=`` for this search's own pools: a new backend object where the one of a
    ``parallel_backend("multiprocessing")`` context holds a single pool.

    In a ``parallel_backend`` context every ``Parallel`` shares the context's
    backend object, BaseSearchCV's too, which holds its pool open for the whole
    fit. joblib's multiprocessing backend makes one pool per object at each
    entered ``Parallel``, so a second one entered on it replaced BaseSearchCV's
    pool, which was then never closed (a ResourceWarning, and idle processes
    until garbage collection). A backend of the same name, made for this pool,
    takes the context's ``n_jobs`` as before. Other backends are left as they
    are: loky's reusable executor and joblib's threading backend (whose pool is
    made when first used) share one pool, Ray's actors are collected, and a new
    Dask or Ray object could lose the context's arguments.
    """
    backend, _ = get_active_backend()
    # (joblib leaves the name out where multiprocessing is off: JOBLIB_MULTIPROCESSING=0)
    if type(backend) is BACKENDS.get("multiprocessing"):
        return {"backend": "multiprocessing"}
    return {}


def _fit_task(fitter: compat.FoldFitter, estimator: Any, params: dict, split: tuple,
              split_progress: tuple[int, int], candidate_progress: tuple[int, int],
              key: tuple[int, int]) -> tuple[tuple[int, int], Record]:
    """One fold fit of the asynchronous policy, returned with its (trial, fold) key."""
    return key, fitter.fit_fold(estimator, params, *split, split_progress, candidate_progress)


def check_listed_splits(search: Any, fitter: compat.FoldFitter, n_listed: int) -> None:
    """Raise, before any fit, if the splitter's ``get_n_splits`` disagrees with its folds.

    evaluate_candidates would raise it after its fits; an asynchronous search
    calls it last.
    """
    cv = check_cv(search.cv, fitter.y, classifier=is_classifier(search.estimator))
    expected = cv.get_n_splits(fitter.X, fitter.y, **fitter.split_params)
    if expected != n_listed:
        raise ValueError(
            f"cv: its split() gave {n_listed} folds but its get_n_splits() returned "
            f"{expected}, inconsistent results. Make get_n_splits() return the number of "
            "folds split() yields."
        )


def list_splits(search: Any, cv: SplitsOnce | None, fitter: compat.FoldFitter) -> list:
    """The (train, test) indices of every fold ([] if a one-shot iterable was used up)."""
    if cv is None:  # an iterable of splits: list it again if it can be
        cv = check_cv(search.cv, fitter.y, classifier=is_classifier(search.estimator))
    return list(cv.split(fitter.X, fitter.y, **fitter.split_params))
