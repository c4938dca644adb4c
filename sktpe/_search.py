"""TPESearchCV: the scikit-learn glue around :class:`~sktpe.TPESampler`.

The search class knows nothing of densities: it asks the sampler for
candidates, has scikit-learn's ``BaseSearchCV`` cross-validate them through
joblib, and tells the sampler the mean test scores.

Three changes to ``BaseSearchCV``'s evaluation loop keep a long search cheap
and safe, all scoped to this class:

* ``BaseSearchCV`` rebuilds all of ``cv_results_`` after every batch, which
  makes a one-candidate-at-a-time search quadratic. Here the results are
  formatted once, after the last batch.
* ``BaseSearchCV`` raises "All the N fits failed" for a *batch* whose fits all
  failed, losing every earlier result. Here failures are collected and judged
  once over the whole search (one warning with the counts, or the error when
  every fit of the search failed). (A search nested inside this one's
  estimator and run in the same thread is judged the same way.)
* ``BaseSearchCV`` re-splits the data for every batch; here the folds are
  split once and replayed, as RandomizedSearchCV's single batch would.
"""

import contextvars
import math
import numbers
import time
import warnings

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import is_classifier
from sklearn.model_selection import _search as _sk_search
from sklearn.model_selection import check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._validation import _insert_error_scores
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ._space import SearchSpace
from ._tpe import TPESampler

__all__ = ["TPESearchCV"]

# The search currently running in this context (None elsewhere): lets the
# failure hook below act only for TPESearchCV and leave other searches alone.
_ACTIVE = contextvars.ContextVar("sktpe_active_search", default=None)
_sk_warn_or_raise = getattr(_sk_search, "_warn_or_raise_about_fit_failures", None)


def _collect_fit_failures(results, error_score):
    if _ACTIVE.get() is None:
        return _sk_warn_or_raise(results, error_score)
    # Judged once for the whole search at its end, see _Run.finish.


if _sk_warn_or_raise is not None and not getattr(_sk_warn_or_raise, "_sktpe", False):
    _collect_fit_failures._sktpe = True
    _sk_search._warn_or_raise_about_fit_failures = _collect_fit_failures


class _Run:
    """State of one ``fit``: what BaseSearchCV evaluated, formatted lazily.

    ``args`` are the very lists BaseSearchCV accumulates candidates and fold
    results in (handed to ``_format_results``); ``results`` is the dict it
    keeps as ``cv_results_``, filled in once by :meth:`finish`.
    """

    def __init__(self, search, prev):
        self.search = search
        self.results = {}
        self.args = None
        self.prev = prev
        self.n_prev = len(prev["params"]) if prev else 0
        self.n_done = self.n_prev
        self.n_splits = None
        self.n_batches = 0
        self.trials = prev  # finished trials, this fit's once a batch is done
        self.cv = _SplitsOnce(search.cv, is_classifier(search.estimator))

    def evaluate(self, evaluate_candidates, params, search_ctx):
        """Cross-validate one batch; return the mean objective per candidate."""
        search = self.search
        kwargs = {}
        if search_ctx is not None:
            n_splits = getattr(search, "n_splits_", 1)
            kwargs["callback_ctx"] = search_ctx.subcontext(
                task_name="batch",
                max_subtasks=len(params) * n_splits,
                sequential_subtasks=False,
            ).call_on_fit_task_begin(estimator=search)
        evaluate_candidates(params, cv=self.cv, **kwargs)
        if search_ctx is not None:
            kwargs["callback_ctx"].call_on_fit_task_end(estimator=search)
        candidates, n_splits, out, _ = self.args
        if self.n_batches == 0 and self.prev:
            # Continue an earlier fit: its rows come first in cv_results_.
            if self.prev["n_splits"] != n_splits:
                raise ValueError(
                    f"warm_start=True cannot continue a search made with "
                    f"{self.prev['n_splits']} CV splits using {n_splits}; keep cv "
                    f"unchanged or set warm_start=False."
                )
            candidates[:0] = self.prev["params"]
            out[:0] = self.prev["out"]
        self.n_batches += 1
        self.n_splits = n_splits
        new = out[self.n_done * n_splits :]
        _mark_slow_fits(new, search.max_fit_time, search.error_score)
        scores = np.array(
            [search._objective(o["test_scores"]) for o in new], dtype=float
        ).reshape(len(params), n_splits)
        self.n_done += len(params)
        with np.errstate(invalid="ignore"):
            means = scores.mean(axis=1)
        self._save(candidates, out, n_splits, means)
        return means

    def _save(self, candidates, out, n_splits, means):
        """Keep the finished trials, for warm_start and faults.

        The lists are BaseSearchCV's own, so this costs nothing per batch.
        """
        if self.n_batches == 1:
            scores = list(self.prev["scores"]) if self.prev else []
            self.trials = dict(params=candidates, out=out, n_splits=n_splits, scores=scores)
        self.trials["scores"].extend(means.tolist())

    def finish(self, judge_failures=True):
        search = self.search
        if self.args is None:
            return
        _, _, out, _ = self.args
        if callable(search.scoring):
            # A batch whose fits all failed kept bare error scores; give them
            # the metric names now that the whole search is known.
            _insert_error_scores(out, search.error_score)
        if judge_failures and _sk_warn_or_raise is not None:
            _sk_warn_or_raise(out, search.error_score)
        full = BaseSearchCV._format_results(search, *self.args)
        self.results.clear()
        self.results.update(full)


class _RunningSearch:
    """What a fit task receives for a running TPESearchCV without callbacks."""


class _SplitsOnce:
    """A CV splitter that splits once and replays the same folds.

    BaseSearchCV re-splits on every batch; RandomizedSearchCV splits once.
    Replaying keeps every candidate on the same folds (even for a shuffling
    splitter without a seed) and saves the split's cost on every batch.
    """

    def __init__(self, cv, classifier):
        self.cv = cv
        self.classifier = classifier
        self._splits = None

    def split(self, X, y=None, **params):
        if self._splits is None:
            cv = check_cv(self.cv, y, classifier=self.classifier)
            self._splits = list(cv.split(X, y, **params))
        return iter(self._splits)

    def get_n_splits(self, X=None, y=None, **params):
        return len(self._splits)


def _mark_slow_fits(out, max_fit_time, error_score):
    """Score fits that took longer than ``max_fit_time`` as failures."""
    if max_fit_time is None:
        return
    for o in out:
        if o["fit_error"] is None and o["fit_time"] > max_fit_time:
            o["fit_error"] = (
                f"Fit took {o['fit_time']:.3g}s, longer than max_fit_time={max_fit_time}s."
            )
            if error_score == "raise":
                raise ValueError(o["fit_error"] + " Raised because error_score='raise'.")
            value = error_score
            for key in ("test_scores", "train_scores"):
                if key in o:
                    s = o[key]
                    o[key] = {k: value for k in s} if isinstance(s, dict) else value


class TPESearchCV(BaseSearchCV):
    """Search over parameters with a Tree-structured Parzen Estimator.

    A drop-in replacement for
    :class:`~sklearn.model_selection.RandomizedSearchCV`: same constructor,
    same search-space format, same fitted attributes. Instead of drawing every
    candidate independently, each new candidate is chosen from what the
    earlier candidates scored: finished candidates are split into a good and
    a bad group, a Parzen density is fitted to each, and the candidate most
    likely under the good density relative to the bad one is evaluated next.

    Parameters
    ----------
    estimator : estimator object
        An object of that type is instantiated for each candidate. It must
        implement ``fit`` and either ``score`` or a ``scoring`` must be given.

    param_distributions : dict or list of dicts
        Parameter names (``str``) mapped to distributions or lists of
        candidates, as for RandomizedSearchCV. A scipy.stats continuous
        distribution is the prior of its parameter and is searched on its own
        quantile scale (``loguniform`` on the log scale); a discrete one
        (``randint``, ``poisson`` ...) keeps integer values; a list is
        categorical and may hold any objects. A list of dicts is a
        conditional space: TPE learns which dict scores better and models a
        dict's parameters only from the candidates drawn from it. An object
        with ``rvs`` but no ``cdf``/``ppf`` is drawn at random, not modelled.

    n_iter : int, default=10
        Number of candidates evaluated. Fewer are evaluated when a finite
        space (lists and bounded integers only) has fewer points.

    scoring : str, callable, list, tuple or dict, default=None
        Strategy to evaluate the candidates on the test folds, as in
        RandomizedSearchCV. With several metrics, TPE optimises the ``refit``
        metric when it is a name, else the first metric.

    n_jobs : int, default=None
        Number of jobs to run in parallel through joblib. ``None`` means 1
        unless in a :obj:`joblib.parallel_backend` context; ``-1`` means all
        processors.

    refit : bool, str, or callable, default=True
        Refit an estimator using the best found parameters on the whole
        dataset, exactly as in RandomizedSearchCV.

    cv : int, cross-validation generator or iterable, default=None
        Cross-validation splitting strategy, as in RandomizedSearchCV.

    verbose : int, default=0
        Controls the verbosity: ``> 0`` prints each batch with the best score
        so far, ``> 1`` adds the computation time of each fold, ``> 2`` the
        scores too.

    pre_dispatch : int or str, default='2*n_jobs'
        Number of jobs dispatched during parallel execution, as in
        RandomizedSearchCV.

    random_state : int, RandomState instance or None, default=None
        Seed of the sampler. The same seed gives the same candidates and the
        same ``cv_results_`` (for a deterministic estimator and ``cv``).

    error_score : 'raise' or numeric, default=np.nan
        Score assigned to a failing fit. TPE treats a failed candidate as the
        worst result. With 'raise', the error is raised.

    return_train_score : bool, default=False
        Whether ``cv_results_`` includes training scores.

    n_startup_trials : int or 'auto', default='auto'
        Number of first candidates drawn from the prior (Latin hypercube over
        the distributions' quantiles) before TPE takes over. 'auto' scales it
        with the budget: ``clip(round(sqrt(n_iter)), 3, 20)`` (never more than
        ``n_iter``).

    gamma : float, default=0.15
        Fraction of finished candidates, ranked by score, that form the good
        density.

    n_ei_candidates : int, default=24
        Number of candidates drawn from the good density per suggestion; the
        one with the largest good/bad density ratio is evaluated.

    multivariate : bool, default=True
        Model parameters jointly (product kernels), so interactions between
        parameters are learnt; ``False`` models each one independently, as
        hyperopt does.

    bandwidth : float, default=0.07
        Kernel width on the quantile scale of each parameter, shrunk with the
        number of trials. Smaller values exploit the best region harder.

    batch_size : int or 'auto', default='auto'
        Candidates proposed together and cross-validated in one joblib call.
        Pending candidates count as bad results, so a batch spreads out, but
        each member ignores its batch mates' results, so wider batches lose a
        little per trial. 'auto' proposes one candidate at a time with one
        worker (strictly sequential TPE: ``n_jobs=None`` or ``1``). With
        ``w`` workers it proposes the fewest candidates whose fold fits keep
        the workers at least 90% busy (2 for ``n_jobs=2`` and 5 folds),
        growing to a twentieth of the finished candidates so that a long
        search of quick fits is not dominated by joblib round trips. The
        start-up candidates are always one batch. The same ``random_state``
        and the same number of workers give the same candidates on every
        joblib backend; set ``batch_size`` explicitly to get the same
        candidates for any ``n_jobs`` (``batch_size=1`` is sequential TPE).

    initial_candidates : list of dict, default=None
        Known parameter dicts (e.g. the estimator's defaults or last year's
        best) evaluated first, in one batch; they count toward ``n_iter`` and
        inform TPE like any other candidate. Each must lie in
        ``param_distributions``.

    max_time : float, default=None
        Wall-clock budget in seconds for the search: once spent, no new batch
        is started, and the search finishes (refit included) with what was
        evaluated. ``stop_reason_`` tells whether it stopped for this.

    n_iter_no_change : int, default=None
        Stop once this many candidates in a row have not improved the best
        mean test score.

    max_fit_time : float, default=None
        A fit that takes longer than this many seconds is scored as a failed
        fit (``error_score``; with 'raise' an error), so TPE steers away from
        slow regions. Fits are not interrupted: the limit is applied once a
        fit returns.

    warm_start : bool, default=False
        When True, ``fit`` continues the previous search (or the finished part
        of an interrupted one) up to a total of ``n_iter`` candidates, without
        refitting what was done: the earlier candidates stay in
        ``cv_results_`` and inform TPE. Keep ``X``, ``y`` and ``cv`` unchanged.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        A dict with keys as column headers and values as columns, that can be
        imported into a pandas ``DataFrame``; the same keys as
        RandomizedSearchCV's, one row per candidate in evaluation order.
        If ``fit`` is interrupted (KeyboardInterrupt, a crashed worker, an
        error), it holds the candidates of every batch that finished before
        the exception propagates, and ``fit`` with ``warm_start=True``
        resumes from them.

    stop_reason_ : str
        Why the search stopped: 'n_iter', 'max_time', 'n_iter_no_change' or
        'exhausted' (a finite space had no unevaluated candidate left).

    best_estimator_ : estimator
        Estimator refitted on the whole data with the best parameters. Not
        available if ``refit=False``.

    best_score_ : float
        Mean cross-validated score of the best candidate.

    best_params_ : dict
        Parameter setting that gave the best results on the hold-out data.

    best_index_ : int
        Index of the best candidate in ``cv_results_``.

    scorer_ : function or a dict
        Scorer function(s) used on the held-out data.

    n_splits_ : int
        Number of cross-validation splits (folds/iterations).

    refit_time_ : float
        Seconds used for refitting the best model on the whole dataset.

    multimetric_ : bool
        Whether or not the scorers compute several metrics.

    sampler_ : TPESampler
        The sampler after the search, holding every candidate and its score.

    classes_ : ndarray of shape (n_classes,)
        The classes labels. Only with ``refit`` and a classifier.

    n_features_in_ : int
        Number of features seen during fit. Only with ``refit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit. Only with ``refit`` and feature
        names in ``X``.

    See Also
    --------
    sklearn.model_selection.RandomizedSearchCV : Candidates drawn at random.
    sktpe.TPESampler : The ask/tell sampler this search drives.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktpe import TPESearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> space = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-3, 1e1)}
    >>> search = TPESearchCV(SVC(), space, n_iter=15, random_state=0).fit(X, y)
    >>> sorted(search.best_params_)
    ['C', 'gamma']
    >>> len(search.cv_results_["params"])
    15
    """

    _required_parameters = ["estimator", "param_distributions"]

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "param_distributions": [dict, list],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_startup_trials": [
            Interval(numbers.Integral, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "gamma": [Interval(numbers.Real, 0, 1, closed="right")],
        "n_ei_candidates": [Interval(numbers.Integral, 1, None, closed="left")],
        "multivariate": ["boolean"],
        "bandwidth": [Interval(numbers.Real, 0, None, closed="neither")],
        "batch_size": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "initial_candidates": [list, None],
        "max_time": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_fit_time": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        n_iter=10,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        n_startup_trials="auto",
        gamma=0.15,
        n_ei_candidates=24,
        multivariate=True,
        bandwidth=0.07,
        batch_size="auto",
        initial_candidates=None,
        max_time=None,
        n_iter_no_change=None,
        max_fit_time=None,
        warm_start=False,
    ):
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state
        self.n_startup_trials = n_startup_trials
        self.gamma = gamma
        self.n_ei_candidates = n_ei_candidates
        self.multivariate = multivariate
        self.bandwidth = bandwidth
        self.batch_size = batch_size
        self.initial_candidates = initial_candidates
        self.max_time = max_time
        self.n_iter_no_change = n_iter_no_change
        self.max_fit_time = max_fit_time
        self.warm_start = warm_start
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )

    # -- helpers -----------------------------------------------------------------
    def _n_startup(self):
        if self.n_startup_trials == "auto":
            return min(self.n_iter, max(3, min(20, round(math.sqrt(self.n_iter)))))
        return min(self.n_startup_trials, self.n_iter)

    def _effective_batch_size(self, n_splits, n_done):
        """Candidates to propose together: one, unless workers would idle.

        With one worker, every candidate is proposed from every earlier
        result (strictly sequential TPE). With ``w`` workers, a batch holds
        the fewest candidates whose ``k * n_splits`` fold fits keep the
        workers at least 90% busy, and grows to a twentieth of the finished
        candidates, since a long history barely moves with a few more results
        while each batch costs a joblib round trip.
        """
        if self.batch_size != "auto":
            return self.batch_size
        workers = effective_n_jobs(self.n_jobs)
        if workers <= 1:
            return 1
        n_splits = max(1, n_splits)
        k = 1
        while k * n_splits < 0.9 * workers * math.ceil(k * n_splits / workers):
            k += 1
        return max(k, n_done // 20)

    def _make_space(self):
        space = SearchSpace(self.param_distributions)
        valid = self.estimator.get_params(deep=True)
        for b in space.branches:
            # A name is valid if it is a parameter of the estimator, or of an
            # estimator that this very branch sets (e.g. {"clf": [SVC()], "clf__C": ...}).
            set_here = {
                d.name: d.choices for d in b.cat if any(hasattr(c, "get_params") for c in d.choices)
            }
            unknown = [
                n
                for n in b.names
                if n not in valid
                and not any(
                    n.startswith(prefix + "__")
                    and all(
                        not hasattr(c, "get_params")
                        or n[len(prefix) + 2 :] in c.get_params(deep=True)
                        for c in choices
                    )
                    for prefix, choices in set_here.items()
                )
            ]
            if unknown:
                raise ValueError(
                    f"Invalid parameter(s) {unknown} in param_distributions for "
                    f"estimator {self.estimator!r}. Valid parameters are: "
                    f"{sorted(valid)!r}. Check the spelling; nested parameters "
                    f"are written 'step__param'."
                )
        return space

    def _objective(self, test_scores):
        """The score TPE maximises, from one fit's test scores."""
        if isinstance(test_scores, dict):
            key = self.refit if isinstance(self.refit, str) else next(iter(test_scores))
            return test_scores[key]
        return test_scores

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: it may be self.__dict__
        state.pop("_tpe_run", None)  # transient state of a running fit
        return state

    def _has_callbacks(self):
        """Whether callbacks were set (scikit-learn >= 1.9 ``set_callbacks``)."""
        return bool(getattr(self, "_skl_callbacks", None))

    def __reduce_ex__(self, protocol):
        # scikit-learn >= 1.9 sends the search along with every fit task, for
        # callbacks only. Unpickling a search space of scipy distributions
        # costs milliseconds per task, as much as a small fit: a running
        # search without callbacks sends a placeholder instead.
        if "_tpe_run" in self.__dict__ and not self._has_callbacks():
            return (_RunningSearch, ())
        return super().__reduce_ex__(protocol)

    # -- BaseSearchCV hooks ----------------------------------------------------
    def _format_results(self, candidate_params, n_splits, out, more_results=None):
        run = getattr(self, "_tpe_run", None)
        if run is None:
            return super()._format_results(candidate_params, n_splits, out, more_results)
        run.args = (candidate_params, n_splits, out, more_results)
        return run.results

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        """Ask the sampler, cross-validate the batch, tell the mean scores."""
        space = self._make_space()
        prev = self._previous_trials()
        queue = [] if prev else self._initial_candidates(space)
        sampler = TPESampler(
            space,
            n_startup_trials=self._n_startup(),
            gamma=self.gamma,
            n_ei_candidates=self.n_ei_candidates,
            multivariate=self.multivariate,
            bandwidth=self.bandwidth,
            random_state=check_random_state(self.random_state),
        )
        if prev:
            sampler.tell(prev["params"], prev["scores"])
        run = _Run(self, prev)
        self._tpe_run = run
        search_ctx = None
        if callback_ctx is not None and self._has_callbacks():
            search_ctx = callback_ctx.subcontext(
                task_name="search", max_subtasks=None
            ).call_on_fit_task_begin(estimator=self)
        token = _ACTIVE.set(self)
        try:
            self.stop_reason_ = self._loop(evaluate_candidates, sampler, run, queue, search_ctx)
        except BaseException:
            # Keep what finished (for inspection, and for warm_start to resume).
            if run.args is not None:
                run.finish(judge_failures=False)
                self.cv_results_ = run.results
            raise
        finally:
            _ACTIVE.reset(token)
            del self._tpe_run
            # Set only now: in scikit-learn >= 1.9 every fit task pickles the
            # search itself, which must stay light during the run.
            self.sampler_ = sampler
            self._tpe_trials = run.trials
        run.finish()
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)

    def _loop(self, evaluate_candidates, sampler, run, queue, search_ctx):
        """The ask -> evaluate -> tell loop; returns why it stopped."""
        n_startup = sampler.n_startup_trials
        batch = self._effective_batch_size(1, run.n_done)  # until n_splits is known
        start = time.monotonic()
        best, since_best = -np.inf, 0
        while run.n_done < self.n_iter:
            if run.n_done > run.n_prev:
                if self.max_time is not None and time.monotonic() - start >= self.max_time:
                    return "max_time"
                if self.n_iter_no_change is not None and since_best >= self.n_iter_no_change:
                    return "n_iter_no_change"
            n_left = self.n_iter - run.n_done
            if queue:  # known candidates first, in one batch
                params, queue = queue[:n_left], []
            else:
                k = n_startup - run.n_done if run.n_done < n_startup else batch
                params = sampler.ask(min(k, n_left))
            if not params:
                warnings.warn(
                    f"The search space has only {sampler.space_.size} distinct "
                    f"candidates, fewer than n_iter={self.n_iter}; all of them were "
                    f"evaluated. Lower n_iter to silence this warning.",
                    UserWarning,
                )
                return "exhausted"
            means = run.evaluate(evaluate_candidates, params, search_ctx)
            sampler.tell(params, means)
            batch = self._effective_batch_size(run.n_splits, run.n_done)
            finite = means[np.isfinite(means)]
            if len(finite) and finite.max() > best:
                best, since_best = finite.max(), 0
            else:
                since_best += len(params)
            if self.verbose > 0:
                print(
                    f"[TPESearchCV] {run.n_done}/{self.n_iter} candidates, best "
                    f"score {best:.5g}, {time.monotonic() - start:.1f}s"
                )
        return "n_iter"

    def _previous_trials(self):
        """Finished trials of an earlier fit to continue from (warm_start)."""
        # Drop the earlier fit's state: every fit task may pickle the search.
        prev = self.__dict__.pop("_tpe_trials", None)
        self.__dict__.pop("sampler_", None)
        prev = prev if self.warm_start else None
        if not prev or not prev["params"]:
            return None
        if len(prev["params"]) >= self.n_iter:
            raise ValueError(
                f"warm_start=True continues a search that already evaluated "
                f"{len(prev['params'])} candidates, but n_iter={self.n_iter}: set "
                f"n_iter to the new total, e.g. n_iter={len(prev['params']) + 10}."
            )
        return prev

    def _initial_candidates(self, space):
        candidates = list(self.initial_candidates or [])
        for i, params in enumerate(candidates):
            try:
                space.encode(params)
            except ValueError as exc:
                raise ValueError(
                    f"initial_candidates[{i}] = {params!r} is not in "
                    f"param_distributions: {exc}"
                ) from None
        return [dict(p) for p in candidates]
