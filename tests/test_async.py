"""batch_size='async': proposals as workers free up."""

import _thread
import gc
import json
import signal
import threading
import time
import warnings

import numpy as np
import pytest
import sklearn
from joblib import parallel_backend
from scipy.stats import randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import KFold

from sktpe import TPESearchCV, _racing

X = np.random.RandomState(0).rand(60, 3)
Y = np.arange(60) % 2
SPACE = {"a": uniform(0, 1), "k": randint(1, 6), "mode": ["x", "y"]}


def expected(a, k, mode, n_test):
    return round(-((a - 0.3) ** 2) - 0.01 * k + (0.02 if mode == "y" else 0) + (n_test % 7) / 100, 12)


class Uneven(ClassifierMixin, BaseEstimator):
    """Sleeps in fit for a time set by its parameters; scores a function of them and the fold."""

    running = 0
    most = 0
    lock = threading.Lock()

    def __init__(self, a=0.5, k=1, mode="x", fail=False):
        self.a, self.k, self.mode, self.fail = a, k, mode, fail

    def fit(self, X, y):
        with Uneven.lock:
            Uneven.running += 1
            Uneven.most = max(Uneven.most, Uneven.running)
        try:
            time.sleep(0.001 + 0.004 * self.k * (1 + (len(X) % 3)))  # uneven fold times
            if self.fail and self.a > 0.8:
                raise ValueError("a > 0.8")
        finally:
            with Uneven.lock:
                Uneven.running -= 1
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return expected(self.a, self.k, self.mode, len(X))


def _fit(n_jobs=4, **kw):
    kw = {"n_iter": 30, "cv": 5, "random_state": 0, "batch_size": "async", **kw}
    with parallel_backend("threading", n_jobs=n_jobs):
        return TPESearchCV(Uneven(), SPACE, n_jobs=n_jobs, **kw).fit(X, Y)


def _splits(res):
    return np.column_stack([res[f"split{i}_test_score"] for i in range(5)])


def _fold_sizes(n_splits=5):
    from sklearn.model_selection import StratifiedKFold

    return [len(test) for _, test in StratifiedKFold(n_splits).split(X, Y)]


def test_every_row_holds_its_own_candidates_folds():
    Uneven.most = 0
    search = _fit()
    res = search.cv_results_
    assert len(res["params"]) == 30 and search.stop_reason_ == "n_iter"
    sizes = _fold_sizes()
    for p, row in zip(res["params"], _splits(res)):  # folds came back out of order
        want = [expected(p["a"], p["k"], p["mode"], n) for n in sizes]
        np.testing.assert_allclose(row, want, rtol=0, atol=1e-12)
    assert len(search.sampler_.params_) == 30  # each told once
    assert search.best_index_ == int(np.argmax(res["mean_test_score"]))  # selection="best"
    assert Uneven.most >= 2  # the folds did run side by side


def test_one_worker_is_the_sequential_search():
    a = TPESearchCV(Uneven(), SPACE, n_iter=12, cv=5, random_state=0, batch_size="async").fit(X, Y)
    b = TPESearchCV(Uneven(), SPACE, n_iter=12, cv=5, random_state=0).fit(X, Y)
    assert a.cv_results_["params"] == b.cv_results_["params"]


def test_racing_asynchronously_keeps_the_rules():
    search = _fit(racing=True, n_iter=40)
    res = search.cv_results_
    out, splits = res["raced_out"], _splits(res)
    assert len(out) == 40 and out.any()
    assert res["rank_test_score"][out].min() > res["rank_test_score"][~out].max()
    ran = np.isfinite(splits).sum(axis=1)
    assert np.all(ran[out] >= _racing.MIN_FOLDS) and np.all(ran[~out] == 5)
    for row in splits[out]:  # the folds a raced-out candidate ran are its first ones
        k = np.isfinite(row).sum()
        assert np.isfinite(row[:k]).all() and np.isnan(row[k:]).all()


def test_failed_fits_follow_error_score():
    with parallel_backend("threading", n_jobs=4):
        s = TPESearchCV(Uneven(fail=True), SPACE, n_iter=25, cv=5, random_state=0, n_jobs=4,
                        batch_size="async").fit(X, Y)
    res = s.cv_results_
    failed = np.array([p["a"] > 0.8 for p in res["params"]])
    assert failed.any()
    assert np.isnan(res["mean_test_score"][failed]).all()
    assert np.isfinite(res["mean_test_score"][~failed]).all()
    assert s.cv_results_["params"][s.best_index_]["a"] <= 0.8


def test_a_backend_without_unordered_results_falls_back_to_waves():
    with parallel_backend("multiprocessing", n_jobs=2):
        s = TPESearchCV(Uneven(), SPACE, n_iter=10, cv=5, random_state=0, n_jobs=2,
                        batch_size="async").fit(X, Y)
    assert len(s.cv_results_["params"]) == 10 and np.isfinite(s.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize("racing", [False, True])
def test_a_loky_context_is_left_usable_for_the_call_scikit_learn_needs(racing):
    """Inside parallel_backend('loky') every Parallel shares the context's one backend,
    BaseSearchCV's too. The asynchronous joblib call must not shut it down before the
    evaluate_candidates call at the end (it did, and the finished search was lost)."""
    with parallel_backend("loky", n_jobs=2):
        s = TPESearchCV(Uneven(), SPACE, n_iter=8, cv=3, random_state=0, n_jobs=2,
                        batch_size="async", racing=racing).fit(X, Y)
    assert len(s.cv_results_["params"]) == 8 and np.isfinite(s.best_score_)
    assert s.stop_reason_ == "n_iter"


def test_a_multiprocessing_context_keeps_scikit_learns_pool():
    """Inside parallel_backend('multiprocessing') racing's own pool was entered on the
    context's backend object, which holds one pool: it replaced BaseSearchCV's, which
    was never closed (a running pool left behind, and a ResourceWarning)."""
    from multiprocessing.pool import Pool

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with parallel_backend("multiprocessing", n_jobs=2):
            s = TPESearchCV(Uneven(), SPACE, n_iter=6, cv=3, random_state=0, n_jobs=2,
                            racing=True).fit(X, Y)
            left = sum(isinstance(o, Pool) and o._state == "RUN" for o in gc.get_objects())
        gc.collect()
    assert len(s.cv_results_["params"]) == 6 and np.isfinite(s.best_score_)
    assert left == 0
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


class ConfigBound(Uneven):
    """Fails its fit unless scikit-learn's configuration of the caller reached it, and
    warns when ``a`` is above 0.5 (a warning the caller's filters may make an error)."""

    def fit(self, X, y):
        if sklearn.get_config()["assume_finite"] is not True:
            raise RuntimeError("scikit-learn's configuration did not reach the fit")
        if self.a > 0.5:
            warnings.warn("a above 0.5", ConfigBoundWarning)
        return super().fit(X, y)


class ConfigBoundWarning(UserWarning):
    pass


@pytest.mark.parametrize("mode", ["racing", "async"])
@pytest.mark.parametrize("backend", ["threading", "loky"])
def test_fits_of_its_own_pools_get_the_callers_config_and_warning_filters(mode, backend):
    """Racing's and the asynchronous mode's fold fits ran through joblib's own Parallel,
    which hands a task neither scikit-learn's configuration (set_config, config_context:
    transform_output, metadata routing) nor the caller's warning filters: every fit of a
    pipeline that needs pandas output failed, and filtered warnings were shown. They now
    get both wherever RandomizedSearchCV's fits do (its scikit-learn version's Parallel)."""
    from sklearn.model_selection import RandomizedSearchCV

    kw = {"n_iter": 8, "cv": 3, "random_state": 0, "n_jobs": 2, "error_score": np.nan}
    with warnings.catch_warnings(), sklearn.config_context(assume_finite=True), \
            parallel_backend(backend, n_jobs=2):
        warnings.filterwarnings("error", category=ConfigBoundWarning)
        ref = RandomizedSearchCV(ConfigBound(), SPACE, **kw).fit(X, Y).cv_results_
        warnings.simplefilter("ignore", FitFailedWarning)  # (after the reference's own)
        res = TPESearchCV(ConfigBound(), SPACE, racing=mode == "racing",
                          batch_size="async" if mode == "async" else "auto", **kw).fit(X, Y).cv_results_
    high = np.array([p["a"] > 0.5 for p in ref["params"]])
    failed = np.isnan(ref["mean_test_score"])
    assert high.any() and not failed[~high].any()
    filters_reach = bool(failed[high].all())  # scikit-learn >= 1.7 hands workers the filters
    high = np.array([p["a"] > 0.5 for p in res["params"]])
    assert high.any() and (~high).any()
    assert np.isfinite(res["mean_test_score"][~high]).all()  # the configuration reached them
    assert np.isnan(res["mean_test_score"][high]).all() == filters_reach
    assert np.isfinite(res["mean_test_score"][high]).all() != filters_reach


def test_n_iter_no_change_and_max_time_stop_it():
    s = _fit(n_iter=200, n_iter_no_change=5)
    assert s.stop_reason_ == "n_iter_no_change" and len(s.cv_results_["params"]) < 200
    s = _fit(n_iter=10_000, max_time=1.0)
    assert s.stop_reason_ == "max_time"


class _Flat(ClassifierMixin, BaseEstimator):
    """Every candidate scores 1.0: nothing ever improves."""

    def __init__(self, a=0.0):
        self.a = a

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return 1.0


class _SlowFit(Uneven):
    """Every fit takes 1.5 s, without using the CPU."""

    def fit(self, X, y):
        time.sleep(1.5)
        self.classes_ = np.unique(y)
        return self


def test_a_search_that_asked_every_candidate_stopped_at_n_iter():
    """With every candidate asked, the asynchronous mode and racing's overlapping waves
    still consulted the stopping rules, and named max_time or n_iter_no_change as why a
    search that ran all n_iter candidates stopped."""
    # The start-up: all 3 candidates are asked as the 9 workers start, within a second even
    # on a loaded machine (asking takes milliseconds), and every fit ends after max_time.
    # (With max_time=0.01 and fits of milliseconds, a loaded machine asked the second
    # candidate after the budget: one row, rightly stopped by max_time.)
    with parallel_backend("threading", n_jobs=9):
        s = TPESearchCV(_SlowFit(), SPACE, n_jobs=9, n_iter=3, cv=3, random_state=0,
                        batch_size="async", max_time=1.0).fit(X, Y)
    assert len(s.cv_results_["params"]) == 3 and s.stop_reason_ == "n_iter"
    for n_jobs in (1, 2):
        with parallel_backend("threading", n_jobs=n_jobs):
            s = TPESearchCV(_Flat(), {"a": uniform(0, 1)}, n_iter=7, cv=3, n_jobs=n_jobs,
                            racing=True, n_startup_trials=5, n_iter_no_change=6,
                            random_state=0).fit(X, Y)
        assert len(s.cv_results_["params"]) == 7 and s.stop_reason_ == "n_iter"


def test_an_interrupted_asynchronous_search_goes_on_from_its_journal(tmp_path):
    path = tmp_path / "j.jsonl"
    first = _fit(n_iter=12, journal=path)
    lines = path.read_text().splitlines()
    assert len(lines) == 13
    path.write_text("\n".join(lines[:8]) + "\n")  # as if killed after 7 candidates
    again = _fit(n_iter=12, journal=path)
    res = again.cv_results_
    assert len(res["params"]) == 12
    kept = [json.loads(line) for line in lines[1:8]]
    # the journal's candidates are kept as they were, first, and not fitted again
    for row, entry in enumerate(kept):
        assert res["mean_test_score"][row] == pytest.approx(entry["score"])
    assert res["params"][:7] == first.cv_results_["params"][:7]


def test_one_progress_line_per_fold_that_settles_trials(capsys):
    """A fold that settled several trials at once (the first incumbent, then the others
    raced out against it) printed the same line once per trial."""
    _fit(n_iter=16, racing=True, verbose=1)
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith("[TPESearchCV]")]
    counts = [int(line.split()[1].split("/")[0]) for line in lines]
    assert counts and counts == sorted(set(counts))


def test_an_error_raised_from_a_result_leaves_no_fit_running():
    """max_fit_time with error_score='raise' raises as a fold's result is read: the
    workers went on fitting and joblib warned of results it dropped."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="max_fit_time"):
            _fit(n_iter=30, max_fit_time=0.02, error_score="raise")
        assert Uneven.running == 0  # every fit in flight ended before the error went up
    assert not [w for w in caught if "executed" in str(w.message)]


@pytest.mark.parametrize("n_jobs", [4, 1])
def test_a_journal_in_completion_order_resumes_and_grows(tmp_path, n_jobs):
    """The file holds candidates in the order they settled. New ones were numbered after
    the last line's number, took numbers the file held and were never written; and with
    one worker the search tried to replay the timing-dependent file and stopped."""
    path = tmp_path / "j.jsonl"
    _fit(n_iter=8, journal=path)
    lines = path.read_text().splitlines()
    trials = sorted(lines[1:], key=lambda line: json.loads(line)["number"])
    # settled in the order 7, 0, 1, ..., 6: the last line is not the highest number
    path.write_text("\n".join([lines[0], trials[-1], *trials[:-1]]) + "\n")
    again = _fit(n_jobs=n_jobs, n_iter=12, journal=path)
    numbers = [json.loads(line)["number"] for line in path.read_text().splitlines()[1:]]
    assert len(numbers) == 12 and sorted(numbers) == list(range(12))
    assert len(again.cv_results_["params"]) == 12
    resumed = _fit(n_jobs=n_jobs, n_iter=12, journal=path)
    assert len(path.read_text().splitlines()) == 13
    assert resumed.cv_results_["params"] == again.cv_results_["params"]


def test_what_stays_fixed_from_the_seed():
    """The start-up candidates (asked in order from one Latin hypercube) and each row's
    scores for its parameters are the same from run to run; later candidates may not be."""
    a, b = _fit(n_iter=20), _fit(n_iter=20)
    n = a.sampler_.n_startup_trials
    assert a.sampler_.params_[:n] == b.sampler_.params_[:n]
    sizes = _fold_sizes()
    for s in (a, b):
        for p, row in zip(s.cv_results_["params"], _splits(s.cv_results_)):
            np.testing.assert_allclose(row, [expected(p["a"], p["k"], p["mode"], m) for m in sizes],
                                       rtol=0, atol=1e-12)


class Interrupted(Uneven):
    """Ctrl-C in the middle of the search: the first fit with a > 0.8 interrupts the
    main thread, as Ctrl-C does (whichever thread runs the fit)."""

    sent = False

    def fit(self, X, y):
        if self.a > 0.8:
            with Uneven.lock:
                send, Interrupted.sent = not Interrupted.sent, True
            if send:
                _thread.interrupt_main()
        return super().fit(X, y)


def test_ctrl_c_stops_an_asynchronous_search_without_a_stray_warning():
    # Ctrl-C as Python handles it by default. A process started in the background by a
    # non-interactive shell (``make test &``) inherits SIGINT ignored, and then
    # interrupt_main() does nothing: the test sets the default handler for its run.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _interrupt_a_search()
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupt_a_search() -> None:
    """Ctrl-C in the main thread while the search's folds run: it stops the search."""
    Interrupted.sent = False
    with warnings.catch_warnings(record=True) as caught, parallel_backend("threading", n_jobs=4):
        warnings.simplefilter("always")
        search = TPESearchCV(Interrupted(), SPACE, n_iter=40, cv=5, random_state=0, n_jobs=4,
                             batch_size="async")
        with pytest.raises(KeyboardInterrupt):
            search.fit(X, Y)
    # joblib's note that the running folds' results went unused is not passed on
    assert not [w for w in caught if "successfully executed" in str(w.message)]


class FailsOn(Uneven):
    """Fails on one value of ``a``."""

    def __init__(self, a=0.5, k=1, mode="x", bad_a=-1.0):
        super().__init__(a, k, mode)
        self.bad_a = bad_a

    def fit(self, X, y):
        if self.a == self.bad_a:
            raise ValueError("the bad candidate")
        return super().fit(X, y)


def test_error_score_raise_raises_the_fits_own_error_on_a_shared_pool():
    """On loky, whose workers every joblib call shares, with error_score='raise' the error
    of the first candidate's fits comes out as itself, not as 'executor shut down'."""
    first = _fit(n_iter=30)._trials.trials[0].params["a"]  # the first candidate
    with parallel_backend("loky", n_jobs=2):
        search = TPESearchCV(FailsOn(bad_a=first), SPACE, n_iter=30, cv=5, random_state=0,
                             n_jobs=2, batch_size="async", error_score="raise")
        with pytest.raises(ValueError, match="the bad candidate"):
            search.fit(X, Y)


class Logged(Uneven):
    """Uneven that logs the parameters of every fit, in the order the fits start."""

    fits: list = []

    def fit(self, X, y):
        with Uneven.lock:
            Logged.fits.append((self.a, self.k, self.mode, len(X)))
        return super().fit(X, y)


def test_the_call_scikit_learn_needs_runs_a_finished_candidate_again_at_the_end():
    """No candidate runs whole first: every candidate's folds run as workers free up,
    then one finished candidate (the quickest) is cross-validated again through
    evaluate_candidates, its results unused."""
    Logged.fits = []
    with parallel_backend("threading", n_jobs=4):
        s = TPESearchCV(Logged(), SPACE, n_iter=20, cv=5, random_state=0, n_jobs=4,
                        batch_size="async", refit=False).fit(X, Y)
    fits = Logged.fits
    assert len(fits) == 20 * 5 + 5
    again = {f[:3] for f in fits[-5:]}
    assert len(again) == 1  # the last five fits are one candidate's five folds
    a, k, mode = again.pop()
    rows = [(p["a"], p["k"], p["mode"]) for p in s.cv_results_["params"]]
    assert rows.count((a, k, mode)) == 1  # a finished candidate; no row was added
    assert sorted(f[3] for f in fits[-5:]) == sorted(len(X) - n for n in _fold_sizes())
    assert len(s.sampler_.params_) == 20


def test_the_candidate_run_again_is_the_quickest_with_the_fewest_failed_fits():
    from sktpe._trials import State, Trial, TrialStore

    def trial(number, times, failed=0, state=State.COMPLETE):
        folds = [{"fit_time": t, "score_time": 0.001, "fit_error": "boom" if i < failed else None}
                 for i, t in enumerate(times)]
        return Trial(number, {"n": number}, folds, state=state)

    store = TrialStore(n_splits=3)
    store.restore([
        trial(0, [0.5, 0.1, 0.1]),  # its slowest fold decides: 0.5
        trial(1, [0.2, 0.3, 0.2]),
        trial(2, [0.01, 0.01, 0.01], failed=1, state=State.FAILED),
    ])
    assert [t.number for t in store.rerun_order()] == [1, 0, 2]
    failing = TrialStore(n_splits=3)
    failing.restore([trial(0, [0.1] * 3, failed=3, state=State.FAILED),
                     trial(1, [0.3] * 3, failed=1, state=State.FAILED)])
    assert failing.rerun_order()[0].number == 1  # a fit of it succeeded


class FailsSomeFits(Uneven):
    """Fits fail on one fold of every candidate (the one whose training set lacks the
    first row), and on every fold when mode is 'x'."""

    def fit(self, X, y):
        if self.mode == "x" or not (np.asarray(X) == _FIRST).all(axis=1).any():
            raise ValueError("fails")
        return super().fit(X, y)


_FIRST = X[0]


@pytest.mark.parametrize("seed", range(4))
def test_a_search_whose_every_candidate_failed_some_fit_still_ends(seed):
    """No candidate ran every fold without failing: the one run again at the end is one
    whose fits did succeed, so the search ends with its rows instead of an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with parallel_backend("threading", n_jobs=4):
            s = TPESearchCV(FailsSomeFits(), SPACE, n_iter=12, cv=5, random_state=seed,
                            n_jobs=4, batch_size="async", refit=False).fit(X, Y)
    assert len(s.cv_results_["params"]) == 12


def test_a_spent_max_time_still_evaluates_a_candidate():
    with parallel_backend("threading", n_jobs=4):
        s = TPESearchCV(Uneven(), SPACE, n_iter=20, cv=5, random_state=0, n_jobs=4,
                        batch_size="async", max_time=1e-9).fit(X, Y)
    assert s.stop_reason_ == "max_time" and len(s.cv_results_["params"]) >= 1


def test_a_one_shot_iterable_of_splits_runs_in_waves():
    """Folds given as a generator cannot be listed again for single-fold fits: the search
    runs its candidates whole, in waves, and each row still holds its own folds."""
    from sklearn.model_selection import KFold

    with parallel_backend("threading", n_jobs=4):
        s = TPESearchCV(Uneven(), SPACE, n_iter=8, cv=KFold(3).split(X), random_state=0,
                        n_jobs=4, batch_size="async").fit(X, Y)
    res = s.cv_results_
    assert len(res["params"]) == 8
    for i, p in enumerate(res["params"]):
        got = [res[f"split{f}_test_score"][i] for f in range(3)]
        np.testing.assert_allclose(got, [expected(p["a"], p["k"], p["mode"], 20)] * 3, atol=1e-12)


def test_splits_that_disagree_with_get_n_splits_fail_before_any_fit():
    from sklearn.model_selection import KFold

    class Miscounts(KFold):
        def get_n_splits(self, X=None, y=None, groups=None):
            return 4

    Logged.fits = []
    with parallel_backend("threading", n_jobs=4), pytest.raises(ValueError, match="inconsistent"):
        TPESearchCV(Logged(), SPACE, n_iter=6, cv=Miscounts(3), random_state=0, n_jobs=4,
                    batch_size="async").fit(X, Y)
    assert Logged.fits == []


def test_running_candidates_are_modelled_by_their_folds_so_far(monkeypatch):
    """As folds come back, a running candidate is told to the sampler
    provisionally (never after its final score), so the next proposals use what
    is already known of it: the mean of its folds so far, each less its offset
    among the complete trials (the raw mean before any trial is complete).

    With 7 folds of 60 rows, folds of 9 rows score 0.01 above folds of 8 for
    every candidate: a fold effect, which the offsets remove exactly, so a
    corrected provisional score is the candidate's final mean.
    """
    from sktpe._tpe import TPESampler

    calls = []
    tell = TPESampler.tell

    def spy(self, params, scores, provisional=False):
        calls.append((dict(params), float(scores), provisional))
        return tell(self, params, scores, provisional)

    monkeypatch.setattr(TPESampler, "tell", spy)
    _fit(n_iter=24, cv=7)
    sizes = _fold_sizes(7)
    assert len(set(n % 7 for n in sizes)) == 2  # the folds differ for every candidate
    provisional = [c for c in calls if c[2]]
    assert provisional  # some candidates were told while their folds ran
    corrected = 0
    for params, score, _ in provisional:
        want = [expected(params["a"], params["k"], params["mode"], n) for n in sizes]
        prefixes = [np.mean(want[:m]) for m in range(1, 7)]  # folds enter in order
        if abs(score - np.mean(want)) < 1e-9 and min(abs(score - p) for p in prefixes) > 1e-6:
            corrected += 1
        else:  # told before any trial was complete
            assert min(abs(score - p) for p in prefixes) < 1e-9
    assert corrected > len(provisional) / 2
    for i, (params, _, prov) in enumerate(calls):
        if not prov:  # told its final score: no provisional one after it
            assert not any(c[2] and c[0] == params for c in calls[i + 1:])
    assert sum(not c[2] for c in calls) == 24


def test_fold_offsets_come_from_the_better_complete_trials():
    """A provisional score is corrected by each fold's offset: the median, over
    the better half of the complete trials with finite scores (at least two), of
    the fold's deviation from its trial's mean, once MIN_COMPLETE trials are
    complete (the raw mean before). Failed trials (even with finite fold scores,
    as a numeric error_score gives), trials with a NaN fold and raced-out trials
    do not count; a new fit starts afresh."""
    from sktpe._trials import MIN_COMPLETE, State, TrialStore

    assert MIN_COMPLETE == 4  # the counts below are written for it
    told = []

    class Sampler:
        def tell(self, params, score, provisional=False):
            told.append((params["i"], score, provisional))

    store = TrialStore(n_splits=3, sampler=Sampler())
    assert store.fold_offsets() is None

    def settle(i, scores, state):
        t = store.new({"i": i})
        t.fold_scores, t.state = list(scores), state
        t.folds = [{} for _ in scores] + [None] * (3 - len(scores))
        t.score = float(np.mean(scores))
        store.settle(t)

    running = store.new({"i": 99})
    running.fold_scores = [0.5]
    store.report(running)  # no complete trial yet: the raw mean
    settle(0, [0.9, 0.7, 0.5], State.COMPLETE)  # mean 0.7, deviations +0.2, 0, -0.2
    settle(1, [0.9, 0.9, np.nan], State.FAILED)
    settle(2, [0.9, 0.9, 0.3], State.FAILED)  # finite folds, yet failed: left out
    settle(3, [0.1, 0.9, 0.2], State.COMPLETE)  # mean 0.4, deviations -0.3, +0.5, -0.2
    settle(4, [2.0, 0.0], State.RACED_OUT)
    settle(5, [0.9, np.nan, 0.9], State.COMPLETE)  # a NaN fold: left out
    settle(6, [0.0, 0.3, 0.3], State.COMPLETE)  # the worse half: left out
    assert store.fold_offsets() is None  # 3 complete trials: too few
    store.report(running)
    settle(7, [0.05, 0.05, 0.05], State.COMPLETE)  # 4 complete; better half: 0 and 3
    np.testing.assert_allclose(store.fold_offsets(), [-0.05, 0.25, -0.2])
    store.report(running)
    running.fold_scores = [0.5, 0.6]
    store.report(running)
    settle(8, [1.0, 1.0, 1.0], State.COMPLETE)
    settle(9, [0.8, 0.8, 0.8], State.COMPLETE)  # better half: 8, 9, 0; medians 0
    np.testing.assert_allclose(store.fold_offsets(), [0.0, 0.0, 0.0], atol=1e-12)
    assert [(i, p) for i, _, p in told if i == 99] == [(99, True)] * 4
    np.testing.assert_allclose([s for i, s, _ in told if i == 99], [0.5, 0.5, 0.55, 0.45],
                               atol=1e-12)
    store.forget_fold_offsets()  # a new fit, perhaps on other folds
    assert store.fold_offsets() is None


def test_a_continued_fit_learns_fold_offsets_on_its_own_folds():
    """warm_start keeps the trials but not the fold offsets: the continued fit
    may split differently (a shuffling splitter without a seed)."""
    from sktpe._trials import State

    search = _fit(n_iter=8, cv=KFold(5, shuffle=True))
    assert search._trials._n_complete == 8
    search.set_params(warm_start=True, n_iter=14).fit(X, Y)
    rows = search._trials.rows
    assert len(rows) == 14
    assert search._trials._n_complete == sum(t.state is State.COMPLETE for t in rows[8:]) == 6


def test_waves_tell_no_provisional_score(monkeypatch):
    """Synchronous waves ask only when nothing runs: no candidate is told
    before it settles (their results do not depend on fold timing)."""
    from sktpe._tpe import TPESampler

    calls = []
    tell = TPESampler.tell

    def spy(self, params, scores, provisional=False):
        calls.append(provisional)
        return tell(self, params, scores, provisional)

    monkeypatch.setattr(TPESampler, "tell", spy)
    _fit(n_iter=12, batch_size="auto")  # 4 workers: waves
    assert len(calls) == 12 and not any(calls)
