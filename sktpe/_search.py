"""TPESearchCV: the scikit-learn glue around :class:`~sktpe.TPESampler`.

The search class knows nothing of densities: it asks the sampler for
candidates, has ``BaseSearchCV``'s ``evaluate_candidates`` cross-validate them
through joblib, and tells the sampler the mean test scores.

Where ``evaluate_candidates`` alone would not do, ``_sklearn_compat`` holds
the one contact with scikit-learn's internals that each thing needs:

* results are formatted once, after the last batch, not after every batch
  (which would make a sequential search quadratic);
* a batch whose every fit failed keeps its rows, and failures are judged once
  over the whole search, as RandomizedSearchCV's single batch is judged;
* the folds are split once and replayed, as RandomizedSearchCV's single batch
  would see them;
* ``verbose`` prints one header for the search, and callbacks see one search
  task whose children are all its fits.
"""

import itertools
import math
import numbers
import time
import warnings
from collections.abc import Mapping

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import clone, is_classifier
from sklearn.model_selection import ParameterGrid, check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import check_random_state

from . import _racing
from . import _sklearn_compat as compat
from ._checks import check_scoring
from ._noise import within_one_std_error
from ._space import SearchSpace
from ._tpe import SAMPLER_CONSTRAINTS, TPESampler
from ._warnings import held_back, reissue

__all__ = ["TPESearchCV"]


class _Trials:
    """The evaluated candidates of a search: parameters, fold records, TPE scores.

    Owned by sktpe (BaseSearchCV's own lists are only read), so earlier
    trials (``warm_start``) and batches whose every fit failed are rows like
    any other.
    """

    def __init__(self, n_splits=None, params=(), records=(), scores=()):
        self.n_splits = n_splits
        self.params = list(params)
        self.records = list(records)
        self.scores = list(scores)
        self.raced = [False] * len(self.params)  # left the race (racing=True)
        self.skipped = set()  # indices of records of folds a raced-out candidate skipped

    def __len__(self):
        return len(self.params)

    def check_n_splits(self, n_splits):
        """Record the number of CV splits; a continued search must keep its own."""
        if self.n_splits is not None and self.n_splits != n_splits:
            raise ValueError(
                f"warm_start=True cannot continue a search made with {self.n_splits} CV "
                f"splits using {n_splits}; keep cv unchanged or set warm_start=False."
            )
        self.n_splits = n_splits

    def add(self, params, records, scores, raced=None, skipped=()):
        offset = len(self.records)
        self.params.extend(params)
        self.records.extend(records)
        self.scores.extend(scores)
        self.raced.extend(raced if raced is not None else [False] * len(params))
        self.skipped.update(offset + i for i in skipped)

    def incumbent(self, objective):
        """Per-fold objective of the best candidate that ran every fold, or None."""
        best, best_score = None, -np.inf
        for i, (score, raced) in enumerate(zip(self.scores, self.raced)):
            if not raced and np.isfinite(score) and score > best_score:
                best, best_score = i, score
        if best is None:
            return None
        k = self.n_splits
        return [objective(r) for r in self.records[best * k : (best + 1) * k]]


class _Progress:
    """A fit's best score so far, its stopping rules and its verbose lines."""

    def __init__(self, search, run):
        self.search, self.run = search, run
        self.start = time.monotonic()
        self.best, self.since_best = -np.inf, 0

    def stop_reason(self):
        """'max_time' or 'n_iter_no_change' once that limit is reached, else None."""
        search = self.search
        if search.max_time is not None and time.monotonic() - self.start >= search.max_time:
            return "max_time"
        if search.n_iter_no_change is not None and self.since_best >= search.n_iter_no_change:
            return "n_iter_no_change"
        return None

    def update(self, scores):
        """Take the TPE scores of newly evaluated candidates; print a line if verbose."""
        scores = np.asarray(scores, dtype=float)
        finite = scores[np.isfinite(scores)]
        if len(finite) and finite.max() > self.best:
            self.best, self.since_best = finite.max(), 0
        else:
            self.since_best += len(scores)
        search, run = self.search, self.run
        if search.verbose > 0:
            raced = f", {sum(run.trials.raced)} raced out" if search.racing else ""
            print(
                f"[TPESearchCV] {run.n_done}/{search.n_iter} candidates, best score "
                f"so far {self.best:.5g}{raced}, {time.monotonic() - self.start:.1f}s elapsed"
            )


class _Run:
    """One ``fit``: feeds batches to evaluate_candidates and keeps their rows.

    ``results`` is the dict handed back to BaseSearchCV from every
    ``_format_results`` call; it is filled once, by :meth:`publish`.
    """

    def __init__(self, search, prev):
        self.search = search
        self.results = {}
        self.n_prev = len(prev) if prev else 0
        self.trials = prev if prev else _Trials()
        self.n_seen = 0  # candidates of BaseSearchCV's lists already taken
        self.n_batches = 0
        self.header_printed = False
        self.batch = None  # (params, records) of the batch being evaluated
        self.fitter = None  # single-fold fits, with racing=True
        self.splits = None  # the folds, listed once for racing (False: cannot)
        self.warning_registry = {}

    @property
    def n_done(self):
        return len(self.trials)

    def receive(self, candidate_params, n_splits, out):
        """Take the newest batch from BaseSearchCV's lists (they only grow)."""
        self.trials.check_n_splits(n_splits)
        new_params = candidate_params[self.n_seen :]
        self.batch = (list(new_params), out[self.n_seen * n_splits :])
        self.n_seen = len(candidate_params)

    def evaluate(self, evaluate_candidates, params, context):
        """Cross-validate one batch; return the TPE score of each candidate."""
        search = self.search
        self.batch = None
        mute = self.header_printed or self.n_batches > 0
        self.n_batches += 1
        with compat.batch_failures_deferred(self.warning_registry) as done:
            try:
                with compat.muted_batch_header(search, mute):
                    evaluate_candidates(
                        params, cv=search._tpe_cv, **context.batch_kwargs(len(params))
                    )
            except ValueError as exc:
                errors = compat.all_fits_failed_errors(exc)
                if errors is None or len(errors) % len(params):
                    raise
                n_splits = len(errors) // len(params)
                self.trials.check_n_splits(n_splits)
                records = compat.failed_folds(
                    errors, n_splits, self.trials.records, search.error_score,
                    search.return_train_score,
                )
                self.batch = (list(params), records)
            params, records = self.batch
            done(compat.n_failed(records), len(records))
        compat.fail_slow_fits(records, search.max_fit_time, search.error_score)
        scores = np.array(
            [search._objective(compat.fold_test_scores(r)) for r in records], dtype=float
        ).reshape(len(params), self.trials.n_splits)
        with np.errstate(invalid="ignore"):
            means = scores.mean(axis=1)
        self.trials.add(params, records, means.tolist())
        return means

    def evaluate_raced(self, params):
        """Race one batch over the folds; return the score the sampler learns.

        Returns None (nothing evaluated) when there is no incumbent yet (no
        candidate ran every fold with a finite score) or the folds cannot be
        listed again (a one-shot iterable ``cv``): the batch then runs every
        fold through evaluate_candidates.
        """
        search, trials = self.search, self.trials
        objective = lambda r: search._objective(compat.fold_test_scores(r))  # noqa: E731
        incumbent = trials.incumbent(objective)
        if incumbent is None:
            return None
        splits = self.race_splits()
        if splits is None:
            return None
        n_splits = trials.n_splits
        wave_runner = self._wave_runner(splits)

        def run_wave(wave):
            return wave_runner([(params[i], f, (i, len(params))) for i, f in wave])

        by_candidate, raced = _racing.race(
            len(params), n_splits, incumbent, run_wave, objective
        )
        told = [
            self._add_raced(p, folds, raced_i, incumbent, objective)
            for p, folds, raced_i in zip(params, by_candidate, raced)
        ]
        return np.array(told, dtype=float)

    def flow_raced(self, ask_params, told):
        """Race candidates in overlapping waves until ``ask_params`` stops giving them.

        With several workers and ``batch_size='auto'`` the first folds of
        new candidates fill the workers a shrinking race would leave idle.
        ``ask_params(k)`` returns up to ``k`` new parameter dicts; each
        candidate is passed to ``told(params, score)`` as soon as it finishes
        or drops. Returns False, evaluating nothing, when the folds cannot be
        listed again or there is no incumbent yet.
        """
        search, trials = self.search, self.trials
        objective = lambda r: search._objective(compat.fold_test_scores(r))  # noqa: E731
        splits = self.race_splits()
        if splits is None or trials.incumbent(objective) is None:
            return False
        wave_runner = self._wave_runner(splits)
        ids = itertools.count(len(trials))  # a candidate's number, for fit messages

        def ask(k):
            return [(next(ids), p) for p in ask_params(k)]

        def run_wave(wave):
            return wave_runner([(p, f, (i, search.n_iter)) for (i, p), f in wave])

        def finish(candidate, records, raced):
            params = candidate[1]
            folds = records + [None] * (trials.n_splits - len(records))
            inc = trials.incumbent(objective)
            told(params, self._add_raced(params, folds, raced, inc, objective))

        _racing.race_flow(
            trials.n_splits, effective_n_jobs(search.n_jobs), ask, run_wave, objective,
            lambda: trials.incumbent(objective), finish,
        )
        return True

    def _wave_runner(self, splits):
        """Run ``[(params, fold, candidate_progress), ...]`` fold fits in parallel."""
        search, fitter = self.search, self.fitter
        n_splits = len(splits)
        base = clone(search.estimator)

        def run_wave(fits):
            out = Parallel(n_jobs=search.n_jobs, pre_dispatch=search.pre_dispatch)(
                delayed(fitter.fit_fold)(clone(base), p, *splits[f], (f, n_splits), progress)
                for p, f, progress in fits
            )
            compat.fail_slow_fits(out, search.max_fit_time, search.error_score)
            return out

        return run_wave

    def _add_raced(self, params, folds, raced, incumbent, objective):
        """Add one raced candidate (None for the folds it skipped); return its TPE score."""
        ran = [r for r in folds if r is not None]
        records, skipped = [], []
        for f, r in enumerate(folds):
            if r is None:
                skipped.append(f)
                r = self._skipped_fold(ran[0], len(self.splits[f][1]))
            records.append(r)
        scores = [objective(r) for r in ran]
        if raced:
            told = _racing.estimated_mean(scores, incumbent)
        else:
            with np.errstate(invalid="ignore"):
                told = float(np.mean(scores))
        self.trials.add([params], records, [told], raced=[raced], skipped=skipped)
        return told

    def race_splits(self):
        """The (train, test) indices of every fold, listed once per run."""
        if self.splits is None:
            search, fitter = self.search, self.fitter
            cv = search._tpe_cv
            if cv is None:  # an iterable of splits: list it again if it can be
                cv = check_cv(search.cv, fitter.y, classifier=is_classifier(search.estimator))
            splits = list(cv.split(fitter.X, fitter.y, **fitter.split_params))
            self.splits = splits if len(splits) == self.trials.n_splits else False
        return self.splits or None

    def _skipped_fold(self, like, n_test_samples):
        """The record of a fold a raced-out candidate did not run: NaN scores."""
        def nan_like(scores):
            return {k: np.nan for k in scores} if isinstance(scores, dict) else np.nan

        record = dict(
            fit_error=None, test_scores=nan_like(like["test_scores"]),
            n_test_samples=n_test_samples, fit_time=np.nan, score_time=np.nan,
        )
        if "train_scores" in like:
            record["train_scores"] = nan_like(like["train_scores"])
        return record

    def publish(self, judge_failures=True):
        """Fill ``results`` with every trial; judge this fit's failed fits once."""
        search, trials = self.search, self.trials
        if not len(trials):
            return
        compat.give_metric_names(trials.records, search.error_score)
        self.results.clear()
        if search.racing:
            self._format_raced()
        else:
            self.results.update(
                compat.format_results(
                    search, list(trials.params), trials.n_splits, trials.records
                )
            )
        search.cv_results_ = self.results
        if judge_failures:
            start = self.n_prev * trials.n_splits
            compat.judge_fit_failures(
                [
                    r for i, r in enumerate(trials.records[start:], start)
                    if i not in trials.skipped
                ],
                search.error_score,
            )

    def _format_raced(self):
        """Format every trial, then make the raced-out rows honest.

        scikit-learn warns of non-finite mean scores, which the skipped folds
        of raced-out rows give before they are averaged over the folds they
        ran: such a warning is passed on only if a mean is still non-finite.
        """
        trials = self.trials
        with held_back() as caught:  # thread-safe, unlike warnings.catch_warnings
            self.results.update(
                compat.format_results(
                    self.search, list(trials.params), trials.n_splits, trials.records
                )
            )
        times = {
            name: np.array(
                [r[name] for r in trials.records], dtype=float
            ).reshape(len(trials), trials.n_splits)
            for name in ("fit_time", "score_time")
        }
        _racing.mark_raced(self.results, trials.raced, times)
        kept = []
        for w in caught:
            if str(w.message).startswith("One or more of the "):
                kind = "train" if "train" in str(w.message).split()[5] else "test"
                means = [
                    v for k, v in self.results.items() if k.startswith(f"mean_{kind}_")
                ]
                if all(np.isfinite(np.asarray(m, dtype=float)).all() for m in means):
                    continue
            kept.append(w)
        reissue(kept, self.warning_registry)


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
        density (of each dict separately in a list-of-dicts space).

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
        start-up candidates are one batch, unless ``max_time`` is set. The
        same ``random_state`` and the same number of workers give the same
        candidates on every joblib backend; set ``batch_size`` explicitly to
        get the same candidates for any ``n_jobs`` (``batch_size=1`` is
        sequential TPE).

    initial_candidates : list of dict, default=None
        Known parameter dicts (e.g. the estimator's defaults or last year's
        best) evaluated first, in one batch (in batches of ``batch_size``
        with ``max_time``); they count toward ``n_iter`` and
        inform TPE like any other candidate, and the search then goes on up
        to ``n_iter``. Each must lie in ``param_distributions``.

    max_time : float, default=None
        Wall-clock budget in seconds for the search: once spent, no new batch
        is started, and the search finishes (refit included) with what was
        evaluated. When it is set, initial and start-up candidates are
        evaluated in batches of ``batch_size`` too, so the search overshoots
        the budget by at most about one batch (one candidate's
        cross-validation with one worker), plus the refit. ``stop_reason_``
        tells whether it stopped for this.

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

    racing : bool, default=False
        Stop cross-validating a candidate once it is clearly losing. The
        folds of each batch after the start-up candidates run in waves: the
        first two folds of every candidate, then one more fold at a time for
        the candidates still in the race. A candidate leaves the race when a
        one-sided paired t-test over the folds it ran rules out, at level 0.1
        at each look, that it beats the incumbent (the best candidate that ran
        every fold) by more than half a standard error of the incumbent's
        mean score; a fold that failed with a NaN ``error_score`` makes it
        leave at once. The incumbent, and every candidate the test cannot
        rule out, runs every fold. A raced-out candidate has NaN in the folds
        it skipped, ``True`` in the ``cv_results_`` column ``raced_out``,
        means and stds over the folds it ran, ranks below every candidate
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

    selection : {'smoothed', 'best'}, default='smoothed'
        Which candidate becomes ``best_index_`` (and is refit). 'best' is
        scikit-learn's rule: the largest mean test score. 'smoothed' takes
        the largest score after averaging each candidate's score with its
        neighbours' (:meth:`TPESampler.smoothed_scores`): the best raw mean
        of many candidates is partly a lucky draw of the CV noise, and TPE
        evaluates many candidates near the optimum, so a candidate whose
        neighbours score well too usually generalises better. Either way
        ``best_score_`` is the mean test score of the chosen candidate and
        ``cv_results_`` (its ranks included) is unchanged. Only candidates
        whose mean is within one standard error (over folds) of the top mean
        are eligible, so smoothing breaks near-ties and never overrules a
        clear winner. A callable ``refit`` chooses for itself and ignores
        this setting.

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

    smoothed_best_score_ : float
        The chosen candidate's smoothed score (see ``selection``): its mean
        test score averaged with its neighbours', a less optimistic estimate
        of how the chosen settings score than ``best_score_``, which is the
        largest of many noisy means. NaN with a callable ``refit``.

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
    # Fewest start-up candidates of n_startup_trials='auto' (chosen by
    # benchmarks/heldout.py on its tuning suite; not a public setting).
    _startup_min = 3

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
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
            compat.StrOptions({"auto"}),
        ],
        "initial_candidates": [list, None],
        "max_time": [compat.Interval(numbers.Real, 0, None, closed="neither"), None],
        "n_iter_no_change": [compat.Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_fit_time": [compat.Interval(numbers.Real, 0, None, closed="neither"), None],
        "warm_start": ["boolean"],
        "racing": ["boolean"],
        "selection": [compat.StrOptions({"smoothed", "best"})],
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
        racing=False,
        selection="smoothed",
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
        self.racing = racing
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

    def fit(self, X, y=None, **params):
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
        if not self.racing:
            return super().fit(X, y, **params)
        # Racing fits single folds itself, from the data fit was given.
        self._tpe_fit_args = (X, y, params)
        try:
            return super().fit(X, y, **params)
        finally:
            del self._tpe_fit_args

    # -- helpers -----------------------------------------------------------------
    def _n_startup(self):
        if self.n_startup_trials == "auto":
            return min(self.n_iter, max(self._startup_min, min(20, round(math.sqrt(self.n_iter)))))
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
        dicts = self.param_distributions
        valid = self.estimator.get_params(deep=True)
        for d in dicts if isinstance(dicts, list) else [dicts]:
            unknown = [n for n in d if n not in valid]
            if not unknown:
                continue
            # get_params need not list every name set_params accepts (a
            # parameter of an estimator this dict sets, an estimator that
            # does not derive from BaseEstimator): ask set_params itself.
            probe = {
                n: v.rvs(random_state=0) if hasattr(v, "rvs") else next(iter(v))
                for n, v in d.items()
            }
            try:
                clone(self.estimator).set_params(**clone(probe, safe=False))
            except Exception as exc:
                raise ValueError(
                    f"Invalid parameter(s) {unknown} in param_distributions for "
                    f"estimator {self.estimator!r}. Valid parameters are: "
                    f"{sorted(valid)!r}. Check the spelling; nested parameters "
                    f"are written 'step__param'."
                ) from exc
        return space

    def _objective(self, test_scores):
        """The score TPE maximises, from one fit's test scores."""
        if isinstance(test_scores, dict):
            key = self.refit if isinstance(self.refit, str) else next(iter(test_scores))
            return test_scores[key]
        return test_scores

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: it may be self.__dict__
        for key in ("_tpe_run", "_tpe_cv", "_tpe_fit_args"):  # transient: a running fit
            state.pop(key, None)
        return state

    def __reduce_ex__(self, protocol):
        # Fit tasks pickle the search (see _sklearn_compat, contact 6).
        if "_tpe_run" in self.__dict__ and not compat.has_callbacks(self):
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
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=float).copy()
        if "raced_out" in results:  # partial means: never chosen, as in the ranks
            scores[np.asarray(results["raced_out"], dtype=bool)] = np.nan
        smoothed = self.sampler_.smoothed_scores(list(results["params"]), scores)
        if self.selection == "smoothed" and np.isfinite(smoothed[best]):
            # Only candidates within one standard error (over folds) of the
            # top mean are eligible: smoothing breaks near-ties, it does not
            # overrule a clear winner.
            eligible = within_one_std_error(results, refit_metric, ddof=1) & np.isfinite(smoothed)
            best = int(np.argmax(np.where(eligible, smoothed, -np.inf)))
        self.smoothed_best_score_ = float(smoothed[best])
        return best

    def _format_results(self, candidate_params, n_splits, out, more_results=None):
        # Deferred: see _sklearn_compat, contact 1.
        run = self.__dict__.get("_tpe_run")
        if run is None:
            return super()._format_results(candidate_params, n_splits, out, more_results)
        run.receive(candidate_params, n_splits, out)
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
        grid = False  # the queue is the whole (finite) space: it ends the search
        if prev:
            sampler.tell(prev.params, prev.scores)
        elif not queue:
            queue = self._exhaustive_grid(space)
            grid = bool(queue)
        run = _Run(self, prev)
        if self.racing:
            run.fitter = compat.FoldFitter(self, *self._tpe_fit_args)
        n_splits = compat.known_n_splits(self)
        n_new = len(queue) if len(queue) == self.n_iter else self.n_iter - run.n_done
        context = compat.search_context(callback_ctx, self, n_new, n_splits)
        if n_splits is not None:
            run.trials.check_n_splits(n_splits)
            if self.verbose > 0:
                print(
                    f"Fitting {n_splits} folds for each of {n_new} candidates, "
                    f"totalling {n_new * n_splits} fits"
                )
                run.header_printed = True
        self._tpe_cv = self._replayed_cv()
        self._tpe_run = run
        try:
            self.stop_reason_ = self._loop(
                evaluate_candidates, sampler, run, queue, context, grid=grid
            )
        except BaseException:
            run.publish(judge_failures=False)  # keep what finished, for warm_start
            raise
        finally:
            del self._tpe_run, self._tpe_cv
            # Set only now: fit tasks pickle the search, which must stay light.
            self.sampler_ = sampler
            self._tpe_trials = run.trials
        run.publish()
        context.end(self)

    def _replayed_cv(self):
        """The folds every batch is evaluated on (None: BaseSearchCV's own).

        An iterable of splits was already listed by BaseSearchCV, which
        replays it; calling ``check_cv`` again would find a one-shot iterator
        empty.
        """
        cv = self.cv
        if cv is None or isinstance(cv, numbers.Integral) or hasattr(cv, "split"):
            return _SplitsOnce(cv, is_classifier(self.estimator))
        return None

    def _exhaustive_grid(self, space):
        """Every candidate in ParameterGrid order, when n_iter covers a space of lists.

        With nothing to learn, the search evaluates what RandomizedSearchCV
        evaluates, in the same order (one batch). The lists are the space's
        own (a pandas Series or Index, say, as a list of its values).
        """
        if not all(d.kind == "categorical" and not d.is_constant
                   for b in space.branches for d in b.dims):
            return []
        grid = ParameterGrid([{d.name: d.choices for d in b.dims} for b in space.branches])
        if len(grid) > self.n_iter:
            return []
        if len(grid) < self.n_iter:
            self._warn_exhausted(len(grid))
        return list(grid)

    def _loop(self, evaluate_candidates, sampler, run, queue, context, grid=False):
        """The ask -> evaluate -> tell loop; returns why it stopped.

        ``queue`` holds known candidates evaluated first (``initial_candidates``,
        or with ``grid`` every point of a space of lists, which then ends the
        search).
        """
        n_startup = sampler.n_startup_trials
        batch = self._effective_batch_size(run.trials.n_splits or 1, run.n_done)
        progress = _Progress(self, run)
        while run.n_done < self.n_iter:
            reason = progress.stop_reason() if run.n_done > run.n_prev else None
            if reason:
                return reason
            if self._flows(run, queue, n_startup):
                flowed = self._flow(run, sampler, progress)
                if flowed is not None:
                    return flowed
            n_left = self.n_iter - run.n_done
            # With max_time, known and start-up candidates come in batches
            # too, so the budget binds within about one batch at every stage.
            timed = self.max_time is not None
            if queue:  # known candidates first, in one batch
                k = min(n_left, batch if timed else len(queue))
                params, queue = queue[:k], queue[k:]
                exhaustive = grid and not queue and len(params) < n_left
            else:
                k = batch
                if run.n_done < n_startup:
                    k = min(batch, n_startup - run.n_done) if timed else n_startup - run.n_done
                params = sampler.ask(min(k, n_left))
                exhaustive = False
            if not params:
                self._warn_exhausted(sampler.space_.size)
                return "exhausted"
            if self.racing:
                means = self._race(evaluate_candidates, run, params, context)
            else:
                means = run.evaluate(evaluate_candidates, params, context)
            sampler.tell(params, means)
            batch = self._effective_batch_size(run.trials.n_splits, run.n_done)
            progress.update(means)
            if exhaustive:
                return "exhausted"
        return "n_iter"

    def _flows(self, run, queue, n_startup):
        """Whether the rest of the search races in overlapping waves (see ``flow_raced``).

        Only with racing, several workers and ``batch_size='auto'``: an
        explicit batch size keeps its promise of the same search for any
        number of workers, and one worker never idles.
        """
        return (
            self.racing and self.batch_size == "auto" and effective_n_jobs(self.n_jobs) > 1
            and run.n_seen > 0 and not queue and run.n_done >= n_startup
        )

    def _flow(self, run, sampler, progress):
        """Race the remaining candidates in overlapping waves; return why it stopped.

        None if it could not start (the batch loop then carries on).
        """
        state = {"pending": 0, "reason": "n_iter"}

        def ask_params(k):
            reason = progress.stop_reason()
            if reason:
                state["reason"] = reason
                return []
            n_left = self.n_iter - run.n_done - state["pending"]
            params = sampler.ask(min(k, n_left)) if n_left > 0 else []
            if len(params) < min(k, n_left):
                state["reason"] = "exhausted"
            state["pending"] += len(params)
            return params

        def told(params, score):
            state["pending"] -= 1
            sampler.tell(params, score)
            progress.update([score])

        if not run.flow_raced(ask_params, told):
            return None
        if state["reason"] == "exhausted":
            self._warn_exhausted(sampler.space_.size)
        return state["reason"]

    def _warn_exhausted(self, size):
        warnings.warn(
            f"The search space has only {size} distinct candidates, fewer than "
            f"n_iter={self.n_iter}; all of them were evaluated. Lower n_iter to "
            f"silence this warning.",
            UserWarning,
        )

    def _race(self, evaluate_candidates, run, params, context):
        """Evaluate a batch with racing=True; return the scores the sampler learns.

        scikit-learn's ``fit`` needs one batch of its own (it reads the first
        fold record to tell single from multi-metric scoring), so the first
        candidate of a fit's first batch runs every fold through
        evaluate_candidates and is the first incumbent; the rest of that
        batch is raced against it. Until some fit of evaluate_candidates has
        succeeded (scikit-learn keeps no record of a batch whose every fit
        failed), whole batches go through evaluate_candidates.
        """
        head = []
        if run.n_seen == 0:
            head = run.evaluate(evaluate_candidates, params[:1], context).tolist()
            params = params[1:]
            if not params:
                return np.array(head, dtype=float)
            if run.n_seen == 0:  # every fold of the head failed
                means = run.evaluate(evaluate_candidates, params, context)
                return np.concatenate([head, means]).astype(float)
        means = run.evaluate_raced(params)
        if means is None:
            means = run.evaluate(evaluate_candidates, params, context)
        return np.concatenate([head, means]).astype(float)

    def _previous_trials(self):
        """Finished trials of an earlier fit to continue from (warm_start)."""
        prev = self.__dict__.get("_tpe_trials") if self.warm_start else None
        if prev is not None and len(prev) >= self.n_iter:
            raise ValueError(
                f"warm_start=True continues a search that already evaluated "
                f"{len(prev)} candidates, but n_iter={self.n_iter}: set "
                f"n_iter to the new total, e.g. n_iter={len(prev) + 10}."
            )
        n_splits = compat.known_n_splits(self)
        if prev is not None and n_splits is not None:
            prev.check_n_splits(n_splits)  # raises on a change of cv
        # Drop the earlier fit's state only now that this fit goes ahead: fit
        # tasks pickle the search, which must stay light. (Where the number
        # of splits is learnt from the first batch, a change of cv raises
        # then, and the trials are put back.)
        self.__dict__.pop("_tpe_trials", None)
        self.__dict__.pop("sampler_", None)
        return prev if prev is not None and len(prev) else None

    def _initial_candidates(self, space):
        candidates = list(self.initial_candidates or [])
        for i, params in enumerate(candidates):
            if not isinstance(params, Mapping):
                raise TypeError(
                    f"initial_candidates[{i}] is {params!r} of type "
                    f"{type(params).__name__}; initial_candidates must be a list of "
                    f"parameter dicts, e.g. initial_candidates=[{{'C': 1.0}}]."
                )
            try:
                space.encode(params)
            except ValueError as exc:
                raise ValueError(
                    f"initial_candidates[{i}] = {params!r} is not in "
                    f"param_distributions: {exc}"
                ) from None
        return [dict(p) for p in candidates]
