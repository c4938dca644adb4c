"""Parallel, reproducible, budgeted and resumable search (issue 4)."""

import time

import joblib
import numpy as np
import pytest
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from sktpe import TPESearchCV

X = np.random.RandomState(0).normal(size=(40, 3))
y = (X[:, 0] > 0).astype(int)
SPACE = {"a": uniform(0, 1), "b": loguniform(1e-2, 1e2), "k": randint(1, 8), "c": ["p", "q"]}


class Quadratic(ClassifierMixin, BaseEstimator):
    """Score is a smooth function of the parameters; optional sleep / interrupt."""

    def __init__(self, a=0.5, b=1.0, k=1, c="p", sleep=0.0, interrupt_at=None):
        self.a = a
        self.b = b
        self.k = k
        self.c = c
        self.sleep = sleep
        self.interrupt_at = interrupt_at

    def fit(self, X, y):
        if self.sleep:
            time.sleep(self.sleep * (1 + self.a))
        if self.interrupt_at is not None and self.a > self.interrupt_at:
            raise KeyboardInterrupt
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)

    def score(self, X, y):
        return -((self.a - 0.3) ** 2) - (np.log10(self.b) - 0.5) ** 2 - 0.01 * self.k + (self.c == "q") * 0.1


def _search(**kw):
    params = dict(n_iter=12, cv=KFold(3), random_state=0)
    params.update(kw)
    return TPESearchCV(Quadratic(), SPACE, **params)


def _params(search):
    return [tuple(sorted(p.items())) for p in search.cv_results_["params"]]


def test_same_workers_same_candidates_on_every_backend():
    ref = _search(n_jobs=2).fit(X, y)
    with joblib.parallel_backend("threading", n_jobs=2):
        assert _params(_search().fit(X, y)) == _params(ref)


def test_explicit_batch_size_same_candidates_for_any_n_jobs():
    ref = _search(n_jobs=1, batch_size=3).fit(X, y)
    assert _params(_search(n_jobs=2, batch_size=3).fit(X, y)) == _params(ref)


def test_default_is_sequential_with_one_worker(monkeypatch):
    """n_jobs=1: each candidate is asked for alone, the start-up ones too (their batches
    finish, and reach a journal, one by one)."""
    from sktpe import TPESampler

    asked = []
    ask = TPESampler.ask

    def spy(self, n_candidates=1):
        asked.append(n_candidates)
        return ask(self, n_candidates)

    monkeypatch.setattr(TPESampler, "ask", spy)
    search = _search(n_iter=30).fit(X, y)
    assert len(asked) == 30 and set(asked) == {1}
    assert _params(search) == _params(_search(n_iter=30, batch_size=1).fit(X, y))


def test_default_batches_fill_two_workers():
    from sktpe._scheduler import candidates_per_batch

    assert candidates_per_batch("auto", 2, 5, 10) == 2  # 10 fold fits on 2 workers
    assert candidates_per_batch("auto", 2, 4, 10) == 1  # 4 fold fits already fill them
    assert candidates_per_batch("auto", 2, 5, 200) == 10  # long history: a twentieth
    assert candidates_per_batch("auto", 1, 5, 200) == 1
    assert candidates_per_batch(3, 8, 5, 200) == 3  # an explicit size is kept


@pytest.mark.parametrize("batch_size", [1, 4])
def test_batches_are_model_based_and_spread(batch_size):
    search = _search(n_iter=20, batch_size=batch_size).fit(X, y)
    params = _params(search)
    assert len(set(params)) == len(params) == 20
    # After start-up, TPE concentrates near the dominant optimum log10(b) = 0.5:
    # under the prior (log10 b uniform on [-2, 2]) the median distance is 1.25.
    b = np.log10(np.asarray(search.cv_results_["param_b"], dtype=float))
    n_startup = search.sampler_.n_startup_trials
    assert np.median(np.abs(b[n_startup:] - 0.5)) < 0.6


def test_batch_size_changes_candidates_but_not_determinism():
    a = _search(batch_size=1).fit(X, y)
    b = _search(batch_size=1).fit(X, y)
    c = _search(batch_size=4).fit(X, y)
    assert _params(a) == _params(b)
    assert _params(a) != _params(c)


def test_max_time_stops_and_returns_a_fitted_search():
    search = TPESearchCV(
        Quadratic(sleep=0.02), SPACE, n_iter=200, cv=KFold(2), max_time=0.5, random_state=0
    ).fit(X, y)
    n = len(search.cv_results_["params"])
    assert 1 <= n < 200
    assert search.stop_reason_ == "max_time"
    assert hasattr(search, "best_estimator_")


def test_n_iter_no_change_stops_early():
    search = TPESearchCV(
        Quadratic(), {"sleep": [0.0], "a": uniform(0.3, 1e-9)}, n_iter=50, cv=KFold(2),
        n_iter_no_change=5, n_startup_trials=3, random_state=0,
    ).fit(X, y)
    # Every candidate scores the same (to rounding): no improvement after the first.
    assert search.stop_reason_ == "n_iter_no_change"
    assert len(search.cv_results_["params"]) < 15


class SlowWhenA1(Quadratic):
    """Fits instantly, except with ``a == 1.0``: then sleeps ``sleep`` seconds."""

    def fit(self, X, y):
        if self.a == 1.0:
            time.sleep(self.sleep)
        self.classes_ = np.unique(y)
        return self


def test_max_fit_time_scores_slow_fits_as_failures():
    # Margins wide enough for a loaded machine: ``time.sleep`` never returns
    # early, so the slow fit takes at least 1.0 s against a 0.25 s limit, and
    # the fast fit (no work at all) has 0.25 s, about 1000 times what it needs.
    with pytest.warns(Warning):
        search = TPESearchCV(
            SlowWhenA1(sleep=1.0), {"a": [0.0, 1.0]}, n_iter=2, cv=KFold(2),
            max_fit_time=0.25, random_state=0,
        ).fit(X, y)
    res = search.cv_results_
    slow = [i for i, p in enumerate(res["params"]) if p["a"] == 1.0][0]
    fast = 1 - slow
    assert np.isnan(res["mean_test_score"][slow])
    assert np.isfinite(res["mean_test_score"][fast])
    assert search.best_params_ == {"a": 0.0}


def test_max_fit_time_judges_the_recorded_fit_time():
    """The limit reads each fold record's ``fit_time``: an injected clock, no sleeping."""
    from sktpe import _sklearn_compat as compat

    records = [
        dict(fit_error=None, test_scores=0.5, fit_time=t, score_time=0.0) for t in (0.1, 5.0, 7.0)
    ]
    compat.fail_slow_fits(records, 1.0, np.nan)
    assert records[0]["fit_error"] is None and records[0]["test_scores"] == 0.5
    assert "max_fit_time=1.0" in records[1]["fit_error"] and np.isnan(records[1]["test_scores"])
    # one text for every slow fit: scikit-learn's warning counts them under one message
    assert records[2]["fit_error"] == records[1]["fit_error"]
    assert "raise max_fit_time or set it to None" in records[1]["fit_error"]


def test_warm_start_continues_without_refitting():
    first = _search(n_iter=8).fit(X, y)
    rows = _params(first)
    scores = first.cv_results_["mean_test_score"].copy()
    fitted = []

    class Counting(Quadratic):
        def fit(self, X, y):
            fitted.append(self.a)
            return super().fit(X, y)

    first.set_params(estimator=Counting(), n_iter=14, warm_start=True).fit(X, y)
    assert _params(first)[:8] == rows
    np.testing.assert_array_equal(first.cv_results_["mean_test_score"][:8], scores)
    assert len(first.cv_results_["params"]) == 14
    assert len(fitted) == 6 * 3 + 1  # 6 new candidates x 3 folds, plus the refit
    assert len(set(_params(first))) == 14


def test_warm_start_needs_n_iter_of_at_least_the_candidates_done():
    search = _search(n_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="already evaluated 5 candidates, but n_iter=4"):
        search.set_params(warm_start=True, n_iter=4).fit(X, y)


def test_warm_start_evaluates_the_initial_candidates_an_earlier_fit_did_not_reach():
    known = [{"a": 0.3, "b": 3.0, "k": 1, "c": "q"}, {"a": 0.9, "b": 0.1, "k": 7, "c": "p"},
             {"a": 0.5, "b": 1.0, "k": 2, "c": "p"}]
    search = _search(initial_candidates=known, n_iter=6, warm_start=True, max_time=1e-9).fit(X, y)
    n_first = len(search.cv_results_["params"])
    assert n_first < 3 and search.cv_results_["params"] == known[:n_first]  # the case
    search.set_params(max_time=None).fit(X, y)
    assert search.cv_results_["params"][:3] == known
    added = {"a": 0.7, "b": 0.5, "k": 3, "c": "q"}  # new for this fit: evaluated first
    search.set_params(initial_candidates=known + [added], n_iter=8).fit(X, y)
    assert search.cv_results_["params"][6] == added
    with pytest.raises(ValueError, match="2 candidates not yet evaluated, more than the 1"):
        search.set_params(initial_candidates=[{**added, "k": 4}, {**added, "k": 5}],
                          n_iter=9).fit(X, y)
    assert len(search.cv_results_["params"]) == 8  # the earlier candidates are kept


@pytest.mark.parametrize("change", [{"refit": "neg"}, {"error_score": 0.0},
                                    {"max_fit_time": 10.0}])
def test_warm_start_refuses_a_change_of_what_the_scores_mean(change):
    scoring = {"score": "accuracy", "neg": "balanced_accuracy"} if "refit" in change else None
    search = _search(n_iter=4, warm_start=True, scoring=scoring,
                     refit="score" if scoring else True).fit(X, y)
    name = next(iter(change))
    with pytest.raises(ValueError, match=f"scored with {name}=.*set it back"):
        search.set_params(n_iter=6, **change).fit(X, y)
    assert len(search.cv_results_["params"]) == 4


def test_initial_candidates_are_evaluated_first():
    known = [{"a": 0.3, "b": 3.0, "k": 1, "c": "q"}, {"a": 0.9, "b": 0.1, "k": 7, "c": "p"}]
    search = _search(initial_candidates=known).fit(X, y)
    assert search.cv_results_["params"][:2] == known
    assert search.best_params_ == known[0]


@pytest.mark.parametrize(
    "n_iter, known, match",
    [
        (5, [{"a": 2.0}], r"initial_candidates\[0\]"),  # outside the space
        (2, [{"a": a, "b": 1.0, "k": 1, "c": "p"} for a in (0.1, 0.2, 0.3)],
         "set n_iter=3 or more"),  # more than n_iter
    ],
    ids=["outside the space", "more than n_iter"],
)
def test_bad_initial_candidates_fail_before_any_fit(n_iter, known, match):
    fitted = []

    class Counting(Quadratic):
        def fit(self, X, y):
            fitted.append(1)
            return super().fit(X, y)

    search = TPESearchCV(Counting(), SPACE, n_iter=n_iter, initial_candidates=known)
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)
    assert fitted == []


def test_keyboard_interrupt_keeps_finished_trials_and_resumes():
    search = TPESearchCV(
        Quadratic(interrupt_at=0.9), {"a": uniform(0, 1), "interrupt_at": [0.9]},
        n_iter=40, cv=KFold(2), n_startup_trials=4, batch_size=1, random_state=1,
    )
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)
    done = search.cv_results_["params"]
    assert 0 < len(done) < 40
    assert all(p["a"] <= 0.9 for p in done)
    # Resume: the finished trials are kept and not refitted.
    search.set_params(
        estimator=Quadratic(), param_distributions={"a": uniform(0, 0.9), "interrupt_at": [0.9]},
        warm_start=True, n_iter=len(done) + 5,
    )
    search.fit(X, y)
    assert search.cv_results_["params"][: len(done)] == done
    assert len(search.cv_results_["params"]) == len(done) + 5


@pytest.mark.extras
def test_dask_cluster_gives_the_local_result():
    """Two Dask workers give what two local (loky) workers give."""
    distributed = pytest.importorskip("distributed")
    ref = TPESearchCV(LogisticRegression(), {"C": loguniform(1e-3, 1e3)}, n_iter=8, cv=3,
                      random_state=0, n_jobs=2).fit(X, y)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        with joblib.parallel_backend("dask"):
            search = TPESearchCV(LogisticRegression(), {"C": loguniform(1e-3, 1e3)},
                                 n_iter=8, cv=3, random_state=0).fit(X, y)
        assert len(client.scheduler_info()["workers"]) == 2
    assert _params(search) == _params(ref)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"]
    )


def test_n_iter_no_change_counts_the_candidates_after_a_batchs_best():
    """The count of candidates without improvement is of candidates in a row:
    those settled after the best of a batch count, those before it do not."""
    from sktpe._scheduler import Progress
    from sktpe._trials import TrialStore

    progress = Progress(None, 3, 0, 20, False, TrialStore(n_splits=3))
    progress.update([0.1, 0.5, 0.2, 0.3])  # best second: two after it
    assert progress.best == 0.5 and progress.since_best == 2 and progress.stop_reason() is None
    progress.update([0.4])
    assert progress.stop_reason() == "n_iter_no_change"
    progress.update([0.5, 0.7, 0.7, float("nan")])  # a tie does not improve; a failure counts
    assert progress.best == 0.7 and progress.since_best == 2


def test_n_iter_no_change_after_a_warm_start_compares_with_the_earlier_best():
    """warm_start: new candidates must beat the earlier fits' best to count as an
    improvement; the count starts with the new fit."""
    from sktpe._scheduler import Progress
    from sktpe._trials import State, Trial, TrialStore

    store = TrialStore(n_splits=3)
    for i, score in enumerate([0.2, 0.9, 0.3]):
        t = Trial(i, {"n": i}, [{}] * 3, state=State.COMPLETE, score=score)
        store.trials.append(t)
        store.rows.append(t)
    progress = Progress(None, 1, 0, 10, False, store)
    assert progress.best == 0.9 and progress.stop_reason() is None
    progress.update([0.5])
    assert progress.stop_reason() == "n_iter_no_change"

    from sklearn.datasets import make_classification

    X, y = make_classification(120, 5, random_state=0)
    space = {"C": loguniform(1e-3, 1e3)}
    search = TPESearchCV(LogisticRegression(), space, n_iter=8, cv=3, random_state=0).fit(X, y)
    before = search.best_score_
    search.set_params(warm_start=True, n_iter=20, n_iter_no_change=1, batch_size=1).fit(X, y)
    new = search.cv_results_["mean_test_score"][8:]
    assert search.stop_reason_ == "n_iter_no_change"
    # it stops at the first new candidate that does not beat the earlier best
    assert np.all(new[:-1] > np.maximum.accumulate(np.r_[before, new[:-2]]))
    assert new[-1] <= np.max(np.r_[before, new[:-1]])
