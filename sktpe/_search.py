"""TPESearchCV: the scikit-learn face of the search.

The class holds the settings, validates them, and hands ``_run_search`` to
the modules that do the work: ``_candidates`` (what a fit starts from),
``_scheduler`` (the ask -> evaluate -> tell loop), ``_evaluation`` (fold
tasks through ``evaluate_candidates`` and joblib), ``_trials`` (the record of
trials), ``_journal`` (that record on disk) and ``_results``
(``cv_results_``). It knows nothing of densities: those are the sampler's.
Its contacts with scikit-learn's internals live in ``_sklearn_compat``.
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import is_classifier
from sklearn.utils import check_random_state

from . import _racing, _reevaluation
from . import _sklearn_compat as compat
from ._candidates import (
    exhaustive_grid,
    initial_candidates,
    make_space,
    n_startup,
    not_yet_evaluated,
)
from ._checks import check_scoring
from ._describe import describe
from ._evaluation import Evaluator, SplitsOnce, list_splits
from ._journal import Journal, journal_seed, search_signature
from ._noise import split_columns, within_one_std_error
from ._results import publish
from ._scheduler import Policy, Progress, Scheduler, candidates_per_batch
from ._space import SearchSpace
from ._tpe import SAMPLER_CONSTRAINTS, TPESampler
from ._trials import TrialStore

__all__ = ["TPESearchCV"]


@dataclass
class _Fitting(compat.Capture):
    """The one piece of state a running ``fit`` keeps on the search.

    Its data (racing and the journal need it; ``_run_search`` is not given
    it) and what evaluate_candidates produced (``compat.Capture``).
    """

    X: Any = None
    y: Any = None
    params: dict = field(default_factory=dict)


#: The fitted attributes that describe a finished fit and its chosen candidate: an
#: interrupted fit that publishes its own cv_results_ removes an earlier fit's.
_CHOSEN = ("best_index_", "best_score_", "best_params_", "best_estimator_", "refit_time_",
           "multimetric_", "scorer_", "n_splits_", "smoothed_best_score_", "stop_reason_",
           "feature_names_in_", "reevaluation_")


class TPESearchCV(compat.DeferredResults, compat.BaseSearchCV):
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
        scores too. scikit-learn prints the fold lines (``[CV 1/5; 2/3]``)
        and numbers the candidates within each batch, not over the search.

    pre_dispatch : int or str, default='2*n_jobs'
        Number of jobs dispatched during parallel execution, as in
        RandomizedSearchCV.

    random_state : int, RandomState instance or None, default=None
        Seed of the sampler. The same seed and the same number of workers
        give the same candidates and the same ``cv_results_`` (for a
        deterministic estimator and ``cv``); an integer ``batch_size`` gives
        them for any number of workers. Asynchronous proposals (``'auto'``
        from 8 workers, or ``batch_size='async'``) depend on which fits end
        first: their start-up candidates and each row's scores stay fixed.

    error_score : 'raise' or numeric, default=np.nan
        Score assigned to a failing fit in ``cv_results_``. Whatever its
        value, TPE, racing and ``n_iter_no_change`` treat a candidate whose
        fit failed as the worst result. (A fit that succeeds but whose
        scoring fails, such as a k-nearest-neighbours model asked for more
        neighbours than the training fold holds, is given ``error_score`` by
        scikit-learn with a warning but not marked failed: TPE learns that
        score, so keep a numeric ``error_score`` below every real score.)
        With 'raise', the error is raised.

    return_train_score : bool, default=False
        Whether ``cv_results_`` includes training scores.

    n_startup_trials : int or 'auto', default='auto'
        Number of first candidates drawn from the prior (Latin hypercube over
        the distributions' quantiles) before TPE takes over. 'auto' scales it
        with the budget: ``clip(round(sqrt(n_iter)), 5, 20)`` (never more than
        ``n_iter``).

    gamma : float, default=0.15
        Fraction of finished candidates, ranked by score, that form the good
        density (of each dict separately in a list-of-dicts space).

    n_ei_candidates : int, default=24
        Number of candidates drawn from the good density per suggestion; the
        one with the largest good/bad density ratio is evaluated.

    multivariate : bool or 'auto', default='auto'
        Model parameters jointly (product kernels, ``True``), so interactions
        between parameters are learnt, or each one independently, as hyperopt
        does (``False``). ``'auto'`` is joint, except while at least 8
        candidates are pending when new ones are proposed (asynchronous
        proposals with about 32 or more workers and 5 folds), where
        independent densities found better candidates in the cluster
        simulator (see the guide on scaling out). With one worker or in
        waves, ``'auto'`` searches exactly as ``True``.

    bandwidth : float, default=0.07
        Kernel width on the quantile scale of each parameter, shrunk with the
        number of trials. Smaller values exploit the best region harder.

    batch_size : int, 'auto' or 'async', default='auto'
        Candidates proposed together and cross-validated in one joblib call.
        Pending candidates count as bad results, so a batch spreads out, but
        each member ignores its batch mates' results, so wider batches lose a
        little per trial. 'auto' proposes one candidate at a time with one
        worker (strictly sequential TPE: ``n_jobs=None`` or ``1``). With
        ``w`` workers it proposes the fewest candidates whose fold fits keep
        the workers at least 90% busy (2 for ``n_jobs=2`` and 5 folds),
        growing to a twentieth of the finished candidates so that a long
        search of quick fits is not dominated by joblib round trips. The
        start-up candidates come in batches of this size too (with
        ``racing``, one batch unless ``max_time`` is set), so that a fit
        stopped partway keeps, and a ``journal`` holds, every batch that
        finished; their candidates are the same either way. The
        same ``random_state`` and the same number of workers give the same
        candidates on every joblib backend; set ``batch_size`` explicitly to
        get the same candidates for any ``n_jobs`` (``batch_size=1`` is
        sequential TPE). 'async' proposes as workers free up, from the first
        candidate on (after ``initial_candidates``, which run in batches):
        a worker that finishes a fold fit is handed the next fold of a
        running candidate, or the first of a new one proposed from every
        result so far, so no worker waits for the slowest fit of a batch.
        A running candidate with folds back counts by their mean until it
        settles; one with none back counts as a bad result (a wide kernel in
        the bad density).
        scikit-learn's ``fit`` needs one ``evaluate_candidates`` call: if no
        batch made one, the quickest finished candidate with the fewest
        failed fits is cross-validated once more through it at the end, and
        those scores are not used. The candidates of an asynchronous search
        depend on the order fits finish in, which timing decides: the same
        seed gives another search from run to run. Where single folds cannot be fitted
        as workers free up (a one-shot iterable of splits, a joblib backend
        without unordered results), 'async' runs in waves. With many workers
        ('auto' from ``_async_from_workers`` = 8 workers up) it is the
        default; see the user guide page on scaling out. Its fold fits run
        outside ``evaluate_candidates``, so scikit-learn callbacks do not see
        them (as with racing).

    initial_candidates : list of dict, default=None
        Known parameter dicts (e.g. the estimator's defaults or last year's
        best) evaluated first, in batches of ``batch_size`` (with ``racing``,
        one batch unless ``max_time`` is set); they count toward ``n_iter`` and
        inform TPE like any other candidate, and the search then goes on up
        to ``n_iter``. Each must lie in ``param_distributions``, and there
        may be no more of them than ``n_iter``.

    max_time : float, default=None
        Wall-clock budget in seconds for the search: once spent, no new batch
        is started, and the search finishes (refit included) with what was
        evaluated. Initial and start-up candidates are evaluated in batches
        of ``batch_size`` too (with ``racing``, only when it is set), so the
        search overshoots the budget by at most about one batch (one candidate's
        cross-validation with one worker), plus the refit (and, with
        asynchronous proposals, the quickest candidate's cross-validation run
        again; see ``batch_size``). ``stop_reason_``
        tells whether it stopped for this. With ``racing``, those batches
        race one after the other, not as one block, so setting a budget
        changes a racing search even where it is not reached (a journal
        records whether it is set).

    n_iter_no_change : int, default=None
        Stop once this many candidates in a row have not improved the best
        mean test score (counted in the order they settle; checked after each
        batch, so a batch may run past the limit). With ``warm_start`` the
        best includes the earlier fits' candidates, and the count starts
        with this fit.

    max_fit_time : float, default=None
        A fit that takes longer than this many seconds is scored as a failed
        fit (``error_score``; with 'raise' an error), so TPE steers away from
        slow regions. Fits are not interrupted: the limit is applied once a
        fit returns.

    warm_start : bool, default=False
        When True, ``fit`` continues the previous search (or the finished part
        of an interrupted one) up to a total of ``n_iter`` candidates, without
        refitting what was done: the earlier candidates stay in
        ``cv_results_`` and inform TPE. Keep ``X``, ``y``, ``cv`` and the
        estimator's fixed parameters unchanged (they are not checked; a
        ``journal`` checks them). A changed ``scoring``,
        ``return_train_score``, ``refit`` metric (with several),
        ``error_score``, ``max_fit_time`` or number of CV splits, or a
        ``param_distributions`` that no longer holds an earlier candidate,
        raises a ValueError before any fit, and the earlier candidates are
        kept (the space may grow). From ``error_score='raise'`` to a number
        is allowed: a search stopped by a failed fit continues, as its
        candidates hold no failed fit.
        ``initial_candidates`` an earlier fit did not reach are evaluated
        first. With ``n_iter`` equal to
        the number of candidates done, no new candidate is proposed: ``fit``
        only refits the best one (finishing a fit whose refit was
        interrupted; one candidate's folds run again, as scikit-learn's
        ``fit`` needs one evaluation call).

    racing : bool, default=False
        Stop cross-validating a candidate once it is clearly losing. The
        folds of each batch run in waves (the search's first candidate runs
        every fold and is the first incumbent): the first two folds of every
        candidate, then one more fold at a time for the candidates still in
        the race. A candidate leaves the race when it is behind the
        incumbent (the best candidate that ran every fold) on the folds it ran
        and a one-sided paired t-test over them rules out, at level 0.1 at
        each look, that it beats the incumbent by more than half a standard
        error of the incumbent's mean score; a fold whose fit failed makes it
        leave at once, whatever ``error_score``. The incumbent, and every
        candidate the test cannot rule out, runs every fold. A raced-out
        candidate has NaN in the folds it skipped, ``True`` in the
        ``cv_results_`` column ``raced_out``, means and stds over the folds
        it ran, ranks below every candidate
        that ran all folds (so ``best_*`` and ``refit`` only consider those),
        and TPE learns from it as the incumbent's mean less its mean
        shortfall on the folds it ran (never above the incumbent's mean).
        With several workers and ``batch_size='auto'`` the waves of
        consecutive candidates overlap, one fit per worker in every wave, and
        rows are in the order candidates were settled. The test can drop a
        candidate that would have won; see the user guide page on racing for
        how often that happened on our benchmark. Raced folds are fitted
        outside ``evaluate_candidates``, so scikit-learn callbacks do not see
        them.

    journal : str or path-like, default=None
        A file the search writes each finished candidate to, as its batch
        finishes (see ``batch_size``; a space of lists that ``n_iter`` covers
        is one batch; JSON lines, flushed and synced one line at a time).
        When ``fit`` is given a journal that already holds candidates, it
        resumes: no candidate in the file is fitted again, and a search with
        the same settings and number of workers ends as it would have uninterrupted
        (the same ``cv_results_``, timings aside; asynchronous proposals,
        which depend on timing, are taken back as they are and the search
        goes on from them). A file written by a search
        on another estimator, space, data, folds or scoring, or with other
        settings, raises an error naming what differs. With a journal,
        ``random_state=None`` draws the seed once and keeps it in the file.
        Loading a journal runs no code (values from lists are stored by their
        position). See the user guide page on persistence.

    selection : {'best', 'smoothed', 'reevaluate'}, default='best'
        Which candidate becomes ``best_index_`` (and is refit). 'best' is
        scikit-learn's rule: the largest mean test score. 'reevaluate'
        cross-validates the 5 candidates of largest mean again, after the
        search, on a second shuffle of the folds (a copy of ``cv`` with
        shuffling on and a ``random_state`` drawn from the search's), and
        takes the one of largest mean over both sets of folds: part of a
        top mean is the luck of the folds, which a candidate's neighbours
        share, and new folds do not repeat it. Its scores are in
        ``reevaluation_``; ``cv_results_`` and its ranks are unchanged. It
        costs the fits of 5 more candidates, run after the search (after
        ``max_time`` too): to spend the fits of ``n_iter=b`` (without
        racing), set ``n_iter=b - 5``. So charged, the same rule, measured
        offline on the 40 tasks of the tuning suite ``tuning-r``,
        kept models that scored higher on held-out data than the top mean's
        at 80 candidates' fits (significantly, by a small margin) and at 40
        (not significantly); on a second suite of 40 tasks, which chose
        nothing, the gain was not confirmed (level at 40, a small
        non-significant lead at 80), so it is not the default; see the
        ablation page of the user guide. It
        needs a ``cv`` that can be reshuffled (an int, or a splitter with a
        ``random_state``: KFold, StratifiedKFold, ShuffleSplit,
        GroupShuffleSplit ...); others raise an error before any fit. 'smoothed' takes
        the largest score after averaging each candidate's score with its
        neighbours' (:meth:`TPESampler.smoothed_scores`), among the
        candidates whose mean is within one standard error (over folds, the
        sample standard deviation: ``within_one_std_error(..., ddof=1)``) of
        the top mean, so it breaks near-ties and never overrules a clear
        winner. On the held-out tuning suite 'smoothed' and 'best' keep
        models of the same test score up to 40 candidates, and 'best' keeps
        better ones at 80 (see the ablation page of the user guide). Whatever
        the rule, ``best_score_`` is the chosen candidate's mean test score in
        ``cv_results_``, which (its ranks included) is unchanged. With
        ``refit=False`` and one metric, ``best_index_`` is still chosen by
        this rule (as scikit-learn still sets it), with several metrics none
        is chosen or re-evaluated; a callable ``refit`` chooses for itself
        and ignores this setting. With
        ``racing=True`` most candidates within one standard error below the
        best are raced out and not among those chosen from, so 'smoothed'
        then acts much like 'best'.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        A dict with keys as column headers and values as columns, that can be
        imported into a pandas ``DataFrame``; the same keys as
        RandomizedSearchCV's, one row per candidate in evaluation order.
        If ``fit`` is interrupted (KeyboardInterrupt, a crashed worker, an
        error), it holds the candidates of every batch that finished before
        the exception propagates, and ``fit`` with ``warm_start=True``
        resumes from them; if it adds rows, an earlier fit's ``best_*``,
        ``refit_time_``, ``scorer_`` and other attributes of a finished fit
        are removed, since no candidate was chosen from these rows. (If none
        had finished, the attributes are still those of an earlier fit, as
        with RandomizedSearchCV.)

    smoothed_best_score_ : float
        The chosen candidate's smoothed score (see ``selection``): its mean
        test score averaged with its neighbours' and pulled towards the
        median score, the quantity ``selection='smoothed'`` ranks by. It is
        never above the top mean score (``best_score_`` with the default
        ``selection='best'``), but it is not a better estimate of the refit
        model's score on new data: measured on held-out halves it
        understates that score on average and lies further from it than
        ``best_score_`` does, most of all at small budgets (see the ablation
        page of the user guide). NaN with a callable ``refit``.

    reevaluation_ : Reevaluation
        Only with ``selection='reevaluate'`` (and a choice to make: not
        with a callable ``refit``, nor ``refit=False`` and several metrics):
        the top candidates' indices in ``cv_results_`` (``candidates``),
        their test scores on each fold of the second splitter
        (``split_scores``, ``error_score`` where a fit failed) and their
        means there (``mean_scores``), their means over both sets of folds
        (``combined_scores``), the candidate chosen (``chosen``, equal to
        ``best_index_``) and the second splitter (``cv``). The mean over both
        sets of the chosen candidate still overstates its score on new data:
        it won a choice among 5.

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
        After a fit stopped by an exception it also holds the candidates
        that were running then, as pending trials (``n_pending``; those with
        folds back keep their provisional scores); ``warm_start`` and a
        journal build a new sampler from the finished candidates only.

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
    # Fewest start-up candidates of n_startup_trials='auto' (chosen by
    # benchmarks/heldout.py on its tuning suite; not a public setting).
    _startup_min = 5
    # Workers from which batch_size='auto' proposes as workers free up
    # (benchmarks/cluster_sim.py and benchmarks/utilisation.py).
    _async_from_workers = 8

    _parameter_constraints: dict = {
        **compat.BaseSearchCV._parameter_constraints,
        "param_distributions": [dict, list],
        "n_iter": [compat.Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_startup_trials": [*SAMPLER_CONSTRAINTS["n_startup_trials"], compat.StrOptions({"auto"})],
        **{
            k: SAMPLER_CONSTRAINTS[k]
            for k in ("gamma", "n_ei_candidates", "multivariate", "bandwidth")
        },
        "batch_size": [
            compat.Interval(numbers.Integral, 1, None, closed="left"),
            compat.StrOptions({"auto", "async"}),
        ],
        "initial_candidates": [list, None],
        "max_time": [compat.Interval(numbers.Real, 0, None, closed="neither"), None],
        "n_iter_no_change": [compat.Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_fit_time": [compat.Interval(numbers.Real, 0, None, closed="neither"), None],
        "warm_start": ["boolean"],
        "racing": ["boolean"],
        "journal": [str, os.PathLike, None],
        "selection": [compat.StrOptions({"smoothed", "best", "reevaluate"})],
    }

    def __init__(
        self,
        estimator: Any,
        param_distributions: dict | list,
        *,
        n_iter: int = 10,
        scoring: Any = None,
        n_jobs: int | None = None,
        refit: bool | str | Any = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        random_state: Any = None,
        error_score: str | float = np.nan,
        return_train_score: bool = False,
        n_startup_trials: int | str = "auto",
        gamma: float = 0.15,
        n_ei_candidates: int = 24,
        multivariate: bool | str = "auto",
        bandwidth: float = 0.07,
        batch_size: int | str = "auto",
        initial_candidates: list | None = None,
        max_time: float | None = None,
        n_iter_no_change: int | None = None,
        max_fit_time: float | None = None,
        warm_start: bool = False,
        racing: bool = False,
        journal: Any = None,
        selection: str = "best",
    ) -> None:
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
        self.racing = racing
        self.journal = journal
        self.selection = selection
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

    def fit(self, X: Any, y: Any = None, **params: Any) -> "TPESearchCV":
        """Run the search: ask, cross-validate and tell, then refit the best.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_samples)
            Training vectors; for a precomputed kernel or distance matrix, the
            square matrix.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target relative to X for classification or regression; None for
            unsupervised learning.

        **params : dict of str -> object
            Parameters passed to the ``fit`` method of the estimator, the
            scorer and the CV splitter, exactly as for RandomizedSearchCV
            (``groups`` goes to the splitter; arrays of length ``n_samples``,
            such as ``sample_weight``, are split with the data).

        Returns
        -------
        self : object
            The fitted search.
        """
        # Before scikit-learn's own validation, which would list every scorer
        # name instead of the one that was meant.
        check_scoring(self.scoring)
        self._fitting = _Fitting(X=X, y=y, params=params)
        try:
            return super().fit(X, y, **params)
        finally:
            del self._fitting

    # -- pickling: fit tasks pickle the search (see _sklearn_compat, contact 6) ----------
    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: it may be self.__dict__
        state.pop("_fitting", None)  # transient: a running fit
        return state

    def __reduce_ex__(self, protocol: Any) -> Any:
        if "_fitting" in self.__dict__ and not compat.has_callbacks(self):
            return (compat.RunningSearch, ())
        return super().__reduce_ex__(protocol)

    # -- BaseSearchCV hooks ----------------------------------------------------
    def _select_best_index(self, refit: object, refit_metric: str, results: dict) -> int:
        """``best_index_``: scikit-learn's choice, or the smoothed one (see ``selection``).

        Overrides BaseSearchCV's own (see _sklearn_compat, contact 9).
        """
        best = compat.sklearn_best_index(refit, refit_metric, results)
        self.smoothed_best_score_ = np.nan
        if callable(refit):
            return best
        if self.selection == "reevaluate" and "reevaluation_" in self.__dict__:
            best = self.reevaluation_.chosen
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=float).copy()
        scores[_racing.raced_out(results, len(scores))] = np.nan  # partial means: never chosen
        smoothed = self.sampler_.smoothed_scores(list(results["params"]), scores)
        # One split gives no standard error to tell near-ties by: keep the top mean.
        n_splits = len(split_columns(results, refit_metric))
        if self.selection == "smoothed" and np.isfinite(smoothed[best]) and n_splits > 1:
            # Only candidates within one standard error (over folds) of the
            # top mean are eligible: smoothing breaks near-ties, it does not
            # overrule a clear winner.
            eligible = within_one_std_error(results, refit_metric, ddof=1) & np.isfinite(smoothed)
            best = int(np.argmax(np.where(eligible, smoothed, -np.inf)))
        self.smoothed_best_score_ = float(smoothed[best])
        return best

    def _run_search(self, evaluate_candidates: Any, *, callback_ctx: Any = None) -> None:
        """Ask the sampler, cross-validate the candidates, tell the scores (``_scheduler``)."""
        try:
            self._search(evaluate_candidates, callback_ctx)
        except BaseException:
            # scikit-learn set n_splits_ for this fit's cv before calling us; a fit refused
            # before its fits started keeps the earlier trials, which n_splits_ describes.
            kept = self.__dict__.get("_trials")
            if "n_splits_" in self.__dict__ and kept is not None and kept.n_splits is not None:
                self.n_splits_ = kept.n_splits
            raise

    def _search(self, evaluate_candidates: Any, callback_ctx: Any) -> None:
        """The body of :meth:`_run_search`."""
        fitting = self._fitting
        space = make_space(self.param_distributions, self.estimator)
        n_startup_trials = n_startup(self.n_startup_trials, self.n_iter, self._startup_min)
        cv = self._replayed_cv()
        workers = effective_n_jobs(self.n_jobs)
        asynchronous = workers > 1 and (self.batch_size == "async" or (
            self.batch_size == "auto" and workers >= self._async_from_workers))
        # Racing and asynchronous proposals fit single folds themselves, and a
        # journal checks the folds it was written on.
        fitter = (compat.FoldFitter(self, fitting.X, fitting.y, fitting.params)
                  if self.racing or self.journal is not None or asynchronous else None)
        metric = self.refit if isinstance(self.refit, str) else None  # TPE's objective
        # selection='reevaluate' needs a splitter it can reshuffle: checked before any fit.
        # A callable refit chooses for itself, and refit=False with several metrics chooses
        # nothing (scikit-learn's best_index_ with refit=False and one metric is re-evaluated).
        several = isinstance(self.scoring, (list, tuple, set, dict))
        reshufflable = (_reevaluation.check_reshufflable(self.cv, fitting.y, is_classifier(self.estimator))
                        if self.selection == "reevaluate" and not callable(self.refit)
                        and not (self.refit is False and several) else None)
        journal = None
        if self.journal is not None:  # checked before any fit runs
            splits = list_splits(self, cv, fitter)
            if not splits:
                raise ValueError(
                    f"journal={self.journal!r} checks the folds it was written on, but cv is a "
                    f"one-shot iterable of splits (a generator such as KFold().split(X)), "
                    f"already used up by the search and not listed again. Pass cv as a list "
                    f"of the splits, cv=list(...), or the splitter itself, or set journal=None."
                )
            signature = search_signature(self, space, fitter.X, fitter.y, splits,
                                         n_startup_trials, metric, fitting.params)
            # Asynchronous proposals depend on timing, so they cannot be replayed: the
            # journal's trials are taken back as they are where this fit proposes so, or
            # the file's trials were proposed so (Journal.restores). A file written with
            # batch_size='async' may be taken back by a fit on more workers, which proposes
            # asynchronously: its values must survive JSON.
            journal = Journal(self.journal, signature, journal_seed(self.random_state), space,
                              exact=asynchronous or self.batch_size == "async",
                              asynchronous=asynchronous)
        store = self._previous_store(space) if journal is None else TrialStore()
        store.forget_fold_offsets()  # learnt again on this fit's folds
        if journal is not None and journal.restores:
            trials = journal.trials()
            for t in trials:
                t.fold_scores = compat.fold_objectives(t.ran, metric)
            store.restore(trials)
            if len(store) > self.n_iter:  # (a journal that replays gives back a prefix)
                raise ValueError(
                    f"journal={self.journal!r} holds {len(store)} candidates of asynchronous "
                    f"proposals, more than n_iter={self.n_iter}: such a journal is taken back "
                    f"whole, not replayed. Set n_iter={len(store)} or more to continue it, or "
                    f"give a new file."
                )
        n_prev = len(store)
        # With warm_start, the initial candidates an earlier fit did not reach come first.
        queue = not_yet_evaluated(initial_candidates(self.initial_candidates, space, self.n_iter),
                                  store.params, self.n_iter - n_prev)
        seed = self.random_state if journal is None else journal.seed
        # The second folds of selection='reevaluate' (a warm start that adds no candidate
        # re-evaluates on the same folds, and chooses the same candidate).
        second_folds_seed = seed
        if n_prev and isinstance(seed, numbers.Integral):
            # A continued search (warm_start, or an asynchronous journal taken back): a
            # sampler of the earlier fit's seed would draw its start-up block again.
            seed = np.random.RandomState([int(seed), n_prev])
        sampler = TPESampler(
            space,
            n_startup_trials=n_startup_trials,
            gamma=self.gamma,
            n_ei_candidates=self.n_ei_candidates,
            multivariate=self.multivariate,
            bandwidth=self.bandwidth,
            random_state=check_random_state(seed),
        )
        grid = False  # the queue is the whole (finite) space: it ends the search
        if n_prev:
            sampler.tell(store.params, store.scores)
        elif not queue:
            queue = exhaustive_grid(space, self.n_iter)
            grid = bool(queue)
        n_splits = compat.known_n_splits(self)
        n_new = len(queue) if grid or len(queue) == self.n_iter else self.n_iter - n_prev
        # (at least one candidate: a fit with nothing new still runs one through
        # evaluate_candidates, see Evaluator.feed_sklearn)
        context = compat.search_context(callback_ctx, self, max(n_new, 1), n_splits)
        evaluator = Evaluator(self, evaluate_candidates, fitting, store, context, cv, fitter,
                              metric, journal)
        if n_splits is not None:
            store.check_n_splits(n_splits)
            evaluator.print_header(n_new)
        store.sampler = sampler
        store.on_settle = [journal.write] if journal is not None else []
        store.on_new = [journal.check] if journal is not None else []
        policy = Policy(
            n_iter=self.n_iter, racing=self.racing,
            overlap=self.racing and self.batch_size == "auto" and workers > 1, slots=workers,
            asynchronous=asynchronous,
            timed=self.max_time is not None,
            batch_size=lambda k, n: candidates_per_batch(self.batch_size, workers, k, n),
        )
        progress = Progress(self.max_time, self.n_iter_no_change, self.verbose,
                            len(queue) if grid else self.n_iter,
                            self.racing, store)
        scheduler = Scheduler(sampler, store, evaluator, progress, policy, queue, grid)
        # Drop the earlier fit's state only now that every check has passed and the
        # fits start: fit tasks pickle the search, which must stay light. (Where the
        # number of splits is learnt from the first batch, a change of cv raises then,
        # and the trials are put back below.)
        self.__dict__.pop("_trials", None)
        self.__dict__.pop("sampler_", None)
        store.settings = self._scored_with()  # (set now: a refused fit keeps the old ones)
        try:  # the evaluator's joblib pools stay open until BaseSearchCV's last call
            try:
                self.stop_reason_ = scheduler.run()
            except BaseException:
                store.drop_pending()
                self._forget_choice(len(store) > n_prev)
                # Keep what finished, for warm_start (and it is in the journal).
                publish(self, store, fitting.results, n_prev, evaluator.warning_registry, False)
                raise
            finally:
                # Set only now: fit tasks pickle the search, which must stay light.
                self.sampler_ = sampler
                self._trials = store
                store.on_settle, store.on_new = [], []
                if journal is not None:
                    journal.close()
            publish(self, store, fitting.results, n_prev, evaluator.warning_registry)
            if not fitting.n_seen:  # asynchronous, or every trial came from the journal
                evaluator.feed_sklearn()
            self.__dict__.pop("reevaluation_", None)
            if reshufflable is not None and f"mean_test_{metric or 'score'}" in fitting.results:
                try:
                    self.reevaluation_ = self._reevaluate(evaluator, fitting, reshufflable,
                                                          check_random_state(second_folds_seed))
                except BaseException:
                    self._forget_choice(len(store) > n_prev)
                    raise
        finally:
            evaluator.close()
        context.end(self)

    # -- helpers -----------------------------------------------------------------
    def _forget_choice(self, new_rows: bool) -> None:
        """Remove an earlier fit's chosen candidate and its attributes (``_CHOSEN``) from a fit
        that stopped by an exception after adding rows: they describe other rows."""
        if new_rows:
            for name in _CHOSEN:
                self.__dict__.pop(name, None)

    def _reevaluate(self, evaluator: Evaluator, fitting: _Fitting, cv: Any,
                    rng: np.random.RandomState) -> _reevaluation.Reevaluation:
        """Cross-validate the top candidates again on a reshuffled copy of ``cv`` (see
        ``selection``); their fits go through the search's pool, ``cv_results_`` is unchanged."""
        results = fitting.results
        metric = self.refit if isinstance(self.refit, str) else "score"
        top, first = _reevaluation.leaders(results, metric)
        second = _reevaluation.reshuffled(cv, int(rng.randint(np.iinfo(np.int32).max)))
        fitter = compat.FoldFitter(self, fitting.X, fitting.y, fitting.params)
        splits = list(second.split(fitter.X, fitter.y, **fitter.split_params))
        records = evaluator.fit_on(fitter, [results["params"][i] for i in top], splits)
        scores = np.array([[_reevaluation.fold_score(r, metric, self.error_score) for r in rows]
                           for rows in records], dtype=float).reshape(len(top), len(splits))
        _reevaluation.warn_failures(records)
        if len(top):
            combined, chosen = _reevaluation.choose(top, first, scores)
        else:  # no finite mean: scikit-learn's own choice stands
            combined, chosen = np.empty(0), compat.sklearn_best_index(self.refit, metric, results)
        return _reevaluation.Reevaluation(
            candidates=top, split_scores=scores, mean_scores=scores.mean(axis=1),
            combined_scores=combined, chosen=int(chosen), cv=second)

    def _replayed_cv(self) -> SplitsOnce | None:
        """The folds every batch is evaluated on (None: BaseSearchCV's own).

        An iterable of splits was already listed by BaseSearchCV, which
        replays it; calling ``check_cv`` again would find a one-shot iterator
        empty.
        """
        cv = self.cv
        if cv is None or isinstance(cv, numbers.Integral) or hasattr(cv, "split"):
            return SplitsOnce(cv, is_classifier(self.estimator))
        return None

    def _scored_with(self, legacy: bool = False) -> dict[str, str]:
        """The settings the trials' scores and columns depend on, as text to compare (with
        the metric TPE and racing learn from, ``refit`` with several, and how failed and slow
        fits score). ``legacy``: as searches pickled before sktpe described them (repr)."""
        metric = self.refit if isinstance(self.refit, str) else None
        names = ("scoring", "return_train_score", "error_score", "max_fit_time")
        if legacy:
            return {**{name: repr(getattr(self, name)) for name in names}, "refit": repr(metric)}
        values = {name: getattr(self, name) for name in names}
        if isinstance(values["scoring"], tuple):  # scikit-learn reads a tuple of names as the list
            values["scoring"] = list(values["scoring"])
        for name in ("error_score", "max_fit_time"):  # 0 and 0.0 score a failed fit alike
            if isinstance(values[name], numbers.Real) and not isinstance(values[name], bool):
                values[name] = float(values[name])
        # describe, not repr: the same scorer function in a new process (a pickled
        # search continued there) has another address, and must compare equal.
        return {**{name: describe(value) for name, value in values.items()},
                "refit": describe(metric)}

    def _previous_store(self, space: SearchSpace) -> TrialStore:
        """The trials of an earlier fit to continue from (warm_start), else a new store.

        Raises, before any fit and keeping the earlier trials, if a setting
        their scores depend on changed, or if the space no longer holds them
        (the search keeps them until its fits start).
        """
        prev = self.__dict__.get("_trials") if self.warm_start else None
        if prev is not None and len(prev) > self.n_iter:
            raise ValueError(
                f"warm_start=True continues a search that already evaluated "
                f"{len(prev)} candidates, but n_iter={self.n_iter}: set "
                f"n_iter to the new total, e.g. n_iter={len(prev) + 10}."
            )
        if prev is not None and len(prev):
            was, now, legacy = prev.settings, self._scored_with(), self._scored_with(legacy=True)
            for name in was:
                # Trials scored with error_score='raise' hold no failed fit (one would have
                # stopped the search), so their scores are those of any numeric error_score.
                raised = name == "error_score" and was[name] == repr("raise")
                if was[name] not in (now[name], legacy[name]) and not raised:
                    raise ValueError(
                        f"warm_start=True continues a search whose {len(prev)} candidates "
                        f"were scored with {name}={was[name]}, but {name} is now "
                        f"{now[name]}: set it back to continue, or set warm_start=False "
                        f"to start a new search."
                    )
            for params in prev.params:
                try:
                    space.encode(params)
                except ValueError:
                    raise ValueError(
                        f"warm_start=True continues a search whose candidate {params!r} "
                        f"is not in the new param_distributions: keep every earlier "
                        f"candidate in the space to continue (it may grow), or set "
                        f"warm_start=False to start a new search."
                    ) from None
        n_splits = compat.known_n_splits(self)
        if prev is not None and n_splits is not None:
            prev.check_n_splits(n_splits)  # raises on a change of cv
        # The earlier fit's state stays on the search until the fits start
        # (see _run_search): a later check of this fit's input keeps it too.
        return prev if prev is not None and len(prev) else TrialStore()
