"""Issue 21, numbered bugs 1-8: each test failed before its fix."""

import threading
import time
import warnings

import numpy as np
import pytest
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import KFold

from sktpe import TPESampler, TPESearchCV, one_std_error_rule

from conftest import ParamScoreClassifier

X = np.random.RandomState(0).normal(size=(40, 3))
y = (X[:, 0] > 0).astype(int)


# -- bug 1: initial_candidates no longer end the search -------------------------
def test_initial_candidates_are_followed_by_tpe_up_to_n_iter():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "exhausted" warning either
        search = TPESearchCV(
            ParamScoreClassifier(), {"c": loguniform(1e-2, 1e2)}, n_iter=6, cv=3,
            initial_candidates=[{"c": 1.0}], random_state=0,
        ).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 6 and params[0] == {"c": 1.0}
    assert search.stop_reason_ == "n_iter"


def test_initial_candidates_in_a_small_space_of_lists_still_stop_when_exhausted():
    with pytest.warns(UserWarning, match="only 3 distinct candidates"):
        search = TPESearchCV(
            ParamScoreClassifier(), {"kind": ["a", "b", "c"]}, n_iter=5, cv=2,
            initial_candidates=[{"kind": "b"}], random_state=0,
        ).fit(X, y)
    assert [p["kind"] for p in search.cv_results_["params"]][0] == "b"
    assert sorted(p["kind"] for p in search.cv_results_["params"]) == ["a", "b", "c"]
    assert search.stop_reason_ == "exhausted"


# -- bug 2: racing with a numeric error_score and a first candidate that fails ------
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite:UserWarning")
@pytest.mark.parametrize("error_score", [0, -1.0, np.nan])
def test_racing_survives_a_first_candidate_failing_every_fold(error_score):
    search = TPESearchCV(
        ParamScoreClassifier(), {"x": uniform(0, 1), "fail": [True, False]}, n_iter=8, cv=3,
        racing=True, error_score=error_score, initial_candidates=[{"x": 0.5, "fail": True}],
        refit=False, random_state=0,  # error_score=0 beats every real score here
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    res = search.cv_results_
    assert len(res["params"]) == 8
    first = res["mean_test_score"][0]
    assert np.isnan(first) if np.isnan(error_score) else first == error_score
    assert np.isfinite(res["mean_test_score"][[p["fail"] is False for p in res["params"]]]).all()


# -- bug 3: integer ranges wider than int64 ------------------------------------------
def test_huge_integer_range_is_sampled():
    space = {"constant": randint(-(2**62), 2**62)}
    sampler = TPESampler(space, random_state=0)
    assert sampler.space_.size == 2**63
    assert len(sampler.ask(3)) == 3
    search = TPESearchCV(
        ParamScoreClassifier(), {"n": randint(-(2**62), 2**62)}, n_iter=6, cv=2, random_state=0
    ).fit(X, y)
    values = [p["n"] for p in search.cv_results_["params"]]
    assert len(values) == 6 and all(-(2**62) <= v < 2**62 for v in values)


# -- bug 4: values equal to a list entry, of a numpy type -------------------------
SPACE4 = {"c": [0.01, 0.1, 1.0], "kind": ["a", "b"], "n": [1, 2]}


def test_tell_accepts_numpy_scalars_for_list_entries():
    sampler = TPESampler(SPACE4, random_state=0)
    sampler.tell({"c": np.float64(1.0), "kind": np.str_("a"), "n": np.int64(2)}, 0.5)
    sampler.tell({"c": 0.1, "kind": "b", "n": 1}, 0.1)
    assert len(sampler.params_) == 2
    # the told point counts as evaluated: 12 points, 2 told, 10 left to ask
    assert len(sampler.ask(20)) == 10


def test_tell_matches_a_pending_trial_given_numpy_scalars():
    sampler = TPESampler({"c": list(np.logspace(-2, 2, 5))}, random_state=0)
    (asked,) = sampler.ask(1)
    sampler.tell({"c": float(asked["c"])}, 1.0)  # a Python float for an np.float64 entry
    assert sampler.n_pending == 0 and len(sampler.params_) == 1


def test_initial_candidates_accept_numpy_scalars():
    search = TPESearchCV(
        ParamScoreClassifier(), {"c": np.logspace(-2, 2, 5).tolist(), "kind": ["a", "b"]},
        n_iter=3, cv=2, random_state=0,
        initial_candidates=[{"c": np.float64(1.0), "kind": np.str_("b")}],
    ).fit(X, y)
    assert search.cv_results_["params"][0] == {"c": 1.0, "kind": "b"}


def test_equal_values_of_different_python_types_stay_distinct():
    sampler = TPESampler({"v": [1, 2]}, random_state=0)
    with pytest.raises(ValueError, match="not in the search space"):
        sampler.tell({"v": 1.0}, 0.5)
    with pytest.raises(ValueError, match="not in the search space"):
        sampler.tell({"v": np.float64(1.0)}, 0.5)


# -- bug 5: None in the one-standard-error rule -------------------------------------
def _results(params, means):
    out = {"params": params, "mean_test_score": np.array(means, dtype=float),
           "std_test_score": np.zeros(len(means))}
    for i in range(3):
        out[f"split{i}_test_score"] = np.zeros(len(means))
    return out


def test_none_is_larger_than_every_value_in_the_rule():
    res = _results([{"max_depth": None}, {"max_depth": 5}, {"max_depth": 2}], [0.9, 0.9, 0.9])
    assert one_std_error_rule(("max_depth", "low"))(res) == 2
    assert one_std_error_rule(("max_depth", "high"))(res) == 0
    res = _results([{"max_depth": None}, {"max_depth": None}], [0.8, 0.9])
    assert one_std_error_rule(("max_depth", "low"))(res) == 1


def test_values_that_cannot_be_ordered_get_advice():
    res = _results([{"max_features": "sqrt"}, {"max_features": 0.5}], [0.9, 0.9])
    with pytest.raises(ValueError, match=r"prefer=\('max_features', 'low'\).*callable"):
        one_std_error_rule(("max_features", "low"))(res)


# -- bug 6: two searches in two threads keep each other's warnings ------------------
class _FailsSome(ClassifierMixin, BaseEstimator):
    """Fails on the fold whose training set starts at row 0 when ``x > 0.5``."""

    def __init__(self, x=0.0):
        self.x = x

    def fit(self, X, y):
        if self.x > 0.5 and X[0, 0] == _X6[0, 0]:
            raise ValueError("fails on purpose")
        self.classes_ = np.unique(y)
        time.sleep(0.002)  # let the two threads interleave
        return self

    def score(self, X, y):
        return -abs(self.x - 0.3)


_X6 = np.arange(80, dtype=float).reshape(40, 2)


def _threaded_warnings(n_threads):
    def run():
        TPESearchCV(
            _FailsSome(), {"x": uniform(0, 1)}, n_iter=12, cv=KFold(2), batch_size=1,
            n_startup_trials=4, random_state=0,
        ).fit(_X6, y)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=run) for _ in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    fit_failed = [w for w in caught if issubclass(w.category, FitFailedWarning)]
    non_finite = [w for w in caught if "non-finite" in str(w.message)]
    return len(fit_failed), len(non_finite)


def test_one_search_warns_once_of_failures_and_of_non_finite_scores():
    assert _threaded_warnings(1) == (1, 1)


@pytest.mark.parametrize("attempt", range(3))
def test_searches_in_two_threads_keep_each_others_warnings(attempt):
    assert _threaded_warnings(2) == (2, 2)


# -- bug 7: max_time binds at every stage -----------------------------------------------
class _Slow(ClassifierMixin, BaseEstimator):
    def __init__(self, x=0.0, sleep=0.3):
        self.x = x
        self.sleep = sleep

    def fit(self, X, y):
        time.sleep(self.sleep)  # never returns early: a lower bound on each fit
        self.classes_ = np.unique(y)
        return self

    def score(self, X, y):
        return -self.x


def test_max_time_binds_during_start_up():
    # 4 start-up candidates; the first alone takes >= 2 x 0.3 s > max_time.
    search = TPESearchCV(
        _Slow(), {"x": uniform(0, 1)}, n_iter=20, cv=KFold(2), max_time=0.5,
        n_startup_trials=4, random_state=0,
    ).fit(X, y)
    assert search.stop_reason_ == "max_time"
    assert len(search.cv_results_["params"]) == 1


def test_max_time_binds_during_initial_candidates():
    search = TPESearchCV(
        _Slow(), {"x": uniform(0, 1)}, n_iter=20, cv=KFold(2), max_time=0.5, random_state=0,
        initial_candidates=[{"x": 0.1}, {"x": 0.2}, {"x": 0.3}],
    ).fit(X, y)
    assert search.stop_reason_ == "max_time"
    assert search.cv_results_["params"] == [{"x": 0.1}]


def test_max_time_keeps_the_candidates_of_an_untimed_search():
    kw = dict(n_iter=8, cv=KFold(2), n_startup_trials=4, random_state=0)
    ref = TPESearchCV(_Slow(sleep=0.0), {"x": uniform(0, 1)}, **kw).fit(X, y)
    timed = TPESearchCV(_Slow(sleep=0.0), {"x": uniform(0, 1)}, max_time=1e6, **kw).fit(X, y)
    assert timed.cv_results_["params"] == ref.cv_results_["params"]


# -- bug 8: +inf is the best score for the sampler as for cv_results_ ----------------
def test_sampler_counts_plus_inf_as_the_best_score():
    sampler = TPESampler({"x": uniform(0, 1)}, n_startup_trials=0, gamma=0.1, random_state=0)
    xs = np.linspace(0.05, 0.95, 10)
    sampler.tell([{"x": float(v)} for v in xs], [np.inf if v == xs[-1] else 0.0 for v in xs])
    assert sampler.scores_[-1] == np.inf
    dens = sampler.split_densities("x")
    assert dens["n_good"] == 1
    # the good density sits on the +inf trial, at x = 0.95
    assert abs(dens["values"][np.argmax(dens["l"])] - 0.95) < 0.1


def test_plus_inf_in_a_conditional_space_keeps_the_arithmetic_finite():
    space = [{"x": uniform(0, 1)}, {"k": ["a", "b", "c"]}, {"z": uniform(0, 1)}]
    sampler = TPESampler(space, n_startup_trials=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warning
        for i in range(20):
            batch = sampler.ask(2)
            sampler.tell(batch, [np.inf if "x" in p and p["x"] > 0.5 else 0.1 * i
                                 for p in batch])
    assert np.isinf(sampler.scores_).any()


class _InfAbove(ClassifierMixin, BaseEstimator):
    def __init__(self, x=0.0):
        self.x = x

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def score(self, X, y):
        return np.inf if self.x > 0.9 else -self.x


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite:UserWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered in subtract:RuntimeWarning")
def test_search_and_sampler_agree_on_plus_inf():
    search = TPESearchCV(
        _InfAbove(), {"x": uniform(0, 1)}, n_iter=30, cv=2, random_state=0,
    ).fit(X, y)
    res = search.cv_results_
    top = np.flatnonzero(np.isinf(res["mean_test_score"]))
    assert len(top) and search.best_params_["x"] > 0.9  # scikit-learn ranks +inf best
    np.testing.assert_array_equal(search.sampler_.scores_, res["mean_test_score"])
    # When the first +inf trial was told it was the one best score, so the
    # sampler's good density peaks there. (Later, several trials share +inf:
    # nothing tells them apart, and the sampler explores instead.)
    dens = search.sampler_.split_densities("x", n_trials=int(top[0]) + 1)
    assert dens["n_good"] >= 1
    assert dens["values"][np.argmax(dens["l"] / dens["g"])] > 0.8
