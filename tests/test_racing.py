"""TPESearchCV(racing=True): losing candidates stop early, and cv_results_ says so."""

import warnings

import numpy as np
import pytest
from scipy.stats import uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import KFold, RandomizedSearchCV

from sktpe import TPESearchCV
from sktpe import _racing
from sktpe._candidates import n_startup
from sktpe._sklearn_compat import InvalidParameterError

N_SPLITS = 5


class FoldClassifier(ClassifierMixin, BaseEstimator):
    """Scores ``-10 (x - 0.3)^2`` plus a fold effect (the test fold's mean of X[:, 0]).

    The fold effect is shared by every candidate, so paired differences are
    exact and far candidates are clearly worse; ``fail=True`` makes ``fit``
    raise.
    """

    def __init__(self, x=0.5, fail=False):
        self.x = x
        self.fail = fail

    def fit(self, X, y=None):
        if self.fail:
            raise ValueError("FoldClassifier asked to fail")
        self.classes_ = np.unique(y)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None, sample_weight=None):
        return float(-10 * (self.x - 0.3) ** 2 + 0.1 * np.mean(X[:, 0]))

    def other_score(self, X):
        return float(-abs(self.x - 0.7) + 0.1 * np.mean(X[:, 1]))


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 3))
    y = rng.randint(0, 2, size=100)
    return X, y


SPACE = {"x": uniform(0, 1)}
CV = KFold(N_SPLITS, shuffle=True, random_state=0)


def _search(**kw):
    kw = {"n_iter": 24, "cv": CV, "random_state": 0, "racing": True, **kw}
    return TPESearchCV(FoldClassifier(), kw.pop("space", SPACE), **kw)


def _startup(n_iter):
    """Start-up candidates of n_startup_trials='auto': one batch, run whole when its head fails."""
    return n_startup("auto", n_iter, TPESearchCV._startup_min)


def _splits(res, metric="score"):
    return np.column_stack([res[f"split{k}_test_{metric}"] for k in range(N_SPLITS)])


@pytest.fixture(scope="module")
def raced(data):
    return _search().fit(*data)


def test_some_candidates_are_raced_out_and_fits_are_saved(raced):
    res = raced.cv_results_
    assert res["raced_out"].dtype == bool
    assert res["raced_out"].any()
    ran = np.isfinite(_splits(res)).sum(axis=1)
    assert ran.sum() < N_SPLITS * len(ran)
    # a raced-out row ran at least the minimum folds, then fewer than all
    assert np.all(ran[res["raced_out"]] >= _racing.MIN_FOLDS)
    assert np.all(ran[res["raced_out"]] < N_SPLITS)
    assert np.all(ran[~res["raced_out"]] == N_SPLITS)


def test_raced_rows_have_nan_in_skipped_folds_and_means_over_the_folds_run(raced):
    res = raced.cv_results_
    splits = _splits(res)[res["raced_out"]]
    ran = np.isfinite(splits)
    # folds run in order: the skipped ones are the last
    for row in ran:
        k = row.sum()
        assert row[:k].all() and not row[k:].any()
    np.testing.assert_allclose(res["mean_test_score"][res["raced_out"]], np.nanmean(splits, axis=1))
    np.testing.assert_allclose(res["std_test_score"][res["raced_out"]], np.nanstd(splits, axis=1))
    assert np.all(np.isfinite(res["mean_fit_time"]))


def test_start_up_batch_is_raced_against_its_first_candidate(raced):
    res = raced.cv_results_
    n_startup = raced.sampler_.n_startup_trials
    assert not res["raced_out"][0]
    assert res["raced_out"][1:n_startup].any()


def test_raced_rows_rank_below_every_complete_row(raced):
    res = raced.cv_results_
    ranks, out = res["rank_test_score"], res["raced_out"]
    assert ranks[out].min() > ranks[~out].max()
    assert sorted(ranks[~out]) == sorted(_racing.rank(res["mean_test_score"][~out]))


def test_best_is_a_complete_row(raced):
    res = raced.cv_results_
    assert not res["raced_out"][raced.best_index_]
    complete = ~res["raced_out"]
    assert raced.best_score_ == res["mean_test_score"][complete].max()


def test_incumbent_runs_every_fold_and_drops_lose_to_it(raced):
    res = raced.cv_results_
    splits, out = _splits(res), res["raced_out"]
    means = res["mean_test_score"]
    for j in np.flatnonzero(out):
        earlier = [i for i in range(j) if not out[i]]
        inc = max(earlier, key=lambda i: means[i])
        assert np.isfinite(splits[inc]).all()  # the incumbent ran every fold
        k = np.isfinite(splits[j]).sum()
        assert _racing.worse_than_incumbent(splits[j, :k], splits[inc], N_SPLITS)
    # the best and every candidate at least as good as a drop ran all folds
    assert np.isfinite(splits[raced.best_index_]).all()


def test_sampler_learns_raced_candidates_as_worse_than_the_incumbent(raced):
    res = raced.cv_results_
    out = res["raced_out"]
    told = np.asarray(raced._trials.scores)
    assert np.all(np.isfinite(told[out]))
    for j in np.flatnonzero(out):
        earlier = [i for i in range(j) if not out[i]]
        assert told[j] <= max(res["mean_test_score"][i] for i in earlier)
    np.testing.assert_allclose(told[~out], res["mean_test_score"][~out])


def test_cv_results_keys_superset_of_randomized(data):
    kw = dict(n_iter=6, cv=CV, random_state=0, return_train_score=True)
    rand = RandomizedSearchCV(FoldClassifier(), SPACE, **kw).fit(*data)
    search = _search(**kw).fit(*data)
    assert set(rand.cv_results_) <= set(search.cv_results_)
    assert set(search.cv_results_) - set(rand.cv_results_) == {"raced_out"}


def test_same_seed_same_results(data):
    a = _search(n_iter=12).fit(*data).cv_results_
    b = _search(n_iter=12).fit(*data).cv_results_
    for key in a:
        if "time" in key:
            continue
        if key == "params":
            assert a[key] == b[key]
        else:
            np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]), err_msg=key)


def test_two_workers_same_results_as_one_with_a_fixed_batch_size(data):
    a = _search(n_iter=12, batch_size=2).fit(*data).cv_results_
    b = _search(n_iter=12, batch_size=2, n_jobs=2).fit(*data).cv_results_
    assert a["params"] == b["params"]
    np.testing.assert_array_equal(_splits(a), _splits(b))
    np.testing.assert_array_equal(a["raced_out"], b["raced_out"])


def test_multimetric_races_on_the_refit_metric(data):
    scoring = {"main": lambda est, X, y: est.score(X), "other": lambda est, X, y: est.other_score(X)}
    search = _search(scoring=scoring, refit="main").fit(*data)
    res = search.cv_results_
    out = res["raced_out"]
    assert out.any()
    for metric in ("main", "other"):
        splits = _splits(res, metric)
        assert np.isnan(splits[out]).any()
        assert np.isfinite(splits[~out]).all()
        assert res[f"rank_test_{metric}"][out].min() > res[f"rank_test_{metric}"][~out].max()
    assert not out[search.best_index_]
    # raced on "main": every drop is worse than its incumbent there
    means = res["mean_test_main"]
    for j in np.flatnonzero(out):
        inc = max((i for i in range(j) if not out[i]), key=lambda i: means[i])
        k = np.isfinite(_splits(res, "main")[j]).sum()
        assert _racing.worse_than_incumbent(_splits(res, "main")[j, :k], _splits(res, "main")[inc], 5)


def test_failed_fold_is_a_loss_not_a_crash(data):
    space = {"x": uniform(0, 1), "fail": [False, False, True]}
    search = _search(space=space, n_iter=20)
    with pytest.warns(FitFailedWarning):
        search.fit(*data)
    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]])
    ran = np.isfinite(_splits(res)).sum(axis=1)
    # The start-up batch runs whole: its head failed, so no fit had succeeded
    # when its race would have begun.
    late = failed & (np.arange(len(failed)) >= _startup(20))
    assert late.any()
    # a failed candidate after it stops after its first wave
    assert np.all(res["raced_out"][late])
    assert np.all(ran[late] == 0)
    assert np.all(np.isnan(res["mean_test_score"][failed]))
    assert not failed[search.best_index_]


def test_failed_fold_with_numeric_error_score_races_on_that_score(data):
    space = {"x": uniform(0, 1), "fail": [False, False, True]}
    search = _search(space=space, n_iter=20, error_score=-50.0)
    with pytest.warns(FitFailedWarning):
        search.fit(*data)
    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]]) & (np.arange(20) >= _startup(20))
    assert failed.any()
    assert np.all(res["raced_out"][failed])
    assert np.all(res["mean_test_score"][failed] == -50.0)


def test_error_score_raise_raises_in_a_raced_fold(data):
    space = {"x": uniform(0, 1), "fail": [False, False, True]}
    search = _search(space=space, n_iter=20, error_score="raise")
    with pytest.raises(ValueError, match="asked to fail"):
        search.fit(*data)


@pytest.mark.parametrize("n_jobs", [1, 2])  # 2: overlapping waves
def test_warm_start_keeps_raced_rows(data, n_jobs):
    from joblib import parallel_backend

    with parallel_backend("threading", n_jobs=n_jobs):
        search = _search(n_iter=12, warm_start=True, n_jobs=n_jobs).fit(*data)
        first = search.cv_results_
        search.set_params(n_iter=20).fit(*data)
    res = search.cv_results_
    assert len(res["params"]) == 20
    np.testing.assert_array_equal(res["raced_out"][:12], first["raced_out"])
    np.testing.assert_array_equal(_splits(res)[:12], _splits(first))
    assert not res["raced_out"][search.best_index_]


def test_warm_start_without_racing_keeps_the_raced_rows_honest(data):
    """Racing turned off for a warm fit: the earlier raced-out rows keep their flag and
    their means over the folds they ran."""
    search = _search(n_iter=12, warm_start=True).fit(*data)
    first = search.cv_results_
    assert first["raced_out"].any()
    search.set_params(racing=False, n_iter=16).fit(*data)
    res = search.cv_results_
    np.testing.assert_array_equal(res["raced_out"][:12], first["raced_out"])
    assert not res["raced_out"][12:].any()
    np.testing.assert_array_equal(res["mean_test_score"][:12], first["mean_test_score"])
    assert np.isfinite(res["mean_test_score"]).all()


def test_max_time_and_n_iter_no_change(data):
    search = _search(n_iter=40, n_iter_no_change=3).fit(*data)
    assert search.stop_reason_ in ("n_iter_no_change", "n_iter")
    search = _search(n_iter=40, max_time=1e-9).fit(*data)
    assert search.stop_reason_ == "max_time"


def test_verbose_runs(data, capsys):
    _search(n_iter=8, verbose=1).fit(*data)
    out = capsys.readouterr().out
    assert out.count("Fitting 5 folds") == 1
    assert "[TPESearchCV] 8/8 candidates" in out
    assert "raced out" in out


def test_racing_false_is_the_default_and_unchanged(data):
    assert TPESearchCV(FoldClassifier(), SPACE).racing is False
    kw = dict(n_iter=10, cv=CV, random_state=0)
    a = TPESearchCV(FoldClassifier(), SPACE, **kw).fit(*data).cv_results_
    b = TPESearchCV(FoldClassifier(), SPACE, racing=False, **kw).fit(*data).cv_results_
    assert "raced_out" not in a and "raced_out" not in b
    np.testing.assert_array_equal(_splits(a), _splits(b))
    assert np.isfinite(_splits(a)).all()


def test_racing_must_be_boolean(data):
    with pytest.raises(InvalidParameterError, match="racing"):
        _search(racing="yes").fit(*data)


def test_iterable_cv_is_raced(data):
    splits = list(CV.split(data[0]))
    search = _search(cv=splits).fit(*data)
    assert search.cv_results_["raced_out"].any()


def test_one_shot_cv_iterator_runs_every_fold(data):
    search = _search(cv=iter(list(CV.split(data[0]))), n_iter=10).fit(*data)
    res = search.cv_results_
    assert not res["raced_out"].any()
    assert np.isfinite(_splits(res)).all()


# -- the test itself ----------------------------------------------------------------
def test_paired_test_needs_min_folds_and_a_consistent_loss():
    inc = [0.9, 0.8, 0.85, 0.9, 0.8]
    assert not _racing.worse_than_incumbent([0.5], inc, 5)  # one fold: never
    assert _racing.worse_than_incumbent([0.5, 0.4], inc, 5)  # same margin on both
    assert not _racing.worse_than_incumbent([0.95, 0.7], inc, 5)  # mixed
    assert not _racing.worse_than_incumbent([0.95, 0.86], inc, 5)  # better by more than the margin
    assert not _racing.worse_than_incumbent([0.5, 0.4, 0.4, 0.5, 0.4], inc, 5)  # all ran
    assert not _racing.worse_than_incumbent([0.5, 0.4], None, 5)  # no incumbent
    assert _racing.worse_than_incumbent([np.nan], inc, 5)  # a failed fold
    assert _racing.worse_than_incumbent([0.7, 0.5, 0.6], inc, 5)


def test_a_tie_on_the_first_folds_stays_in_the_race():
    """Equal fold scores (easy folds at accuracy 1.0) have no spread; they were taken as a
    certain shortfall of the margin, so a candidate that wins on the later folds was
    dropped."""
    inc = [1.0, 1.0, 0.725, 0.65, 0.6]
    assert not _racing.worse_than_incumbent([1.0, 1.0], inc, 5)
    assert not _racing.worse_than_incumbent([1.0, 1.0, 0.725], inc, 5)
    assert _racing.worse_than_incumbent([0.9, 0.9], inc, 5)  # worse by the same on each
    # equal up to rounding: 57/100 - 56/100 is not 51/100 - 50/100 in floats
    inc = [50 / 100, 56 / 100, 0.6, 0.9, 0.7]
    assert not _racing.worse_than_incumbent([51 / 100, 57 / 100], inc, 5)
    assert not _racing.worse_than_incumbent([1.0, 1 - 1e-15], [1.0, 1.0, 0.7, 0.6, 0.6], 5)
    assert _racing.worse_than_incumbent([49 / 100, 55 / 100], inc, 5)
    # at any scale of the scores (an error in units of 1e-10, or of 1e8)
    for scale in (1e-10, 1e8):
        tiny = np.array([-1.0, -1.2, -1.1, -0.9, -1.0]) * scale
        assert _racing.worse_than_incumbent(np.array([-5.0, -4.5]) * scale, tiny, 5)
        big = scale * 1e9 + np.array([0.5, 0.56, 0.9, 0.2, 0.7]) * scale
        assert not _racing.worse_than_incumbent(big[:2] + 0.01 * scale, big, 5)
        assert _racing.worse_than_incumbent(big[:2] - 0.05 * scale, big, 5)


def test_a_candidate_tied_on_easy_folds_wins_on_the_hard_ones():
    from sklearn.datasets import make_classification
    from sklearn.model_selection import KFold
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.RandomState(0)
    X_easy = np.r_[rng.normal(-5, 1, (40, 2)), rng.normal(5, 1, (40, 2))]
    y_easy = np.r_[np.zeros(40), np.ones(40)]
    order = rng.permutation(80)
    X_hard, y_hard = make_classification(n_samples=120, n_features=2, n_informative=2,
                                         n_redundant=0, flip_y=0.3, random_state=13)
    X, y = np.r_[X_easy[order], X_hard], np.r_[y_easy[order], y_hard]  # folds 0, 1 are easy
    first = [{"n_neighbors": 1}, {"n_neighbors": 40}]
    found = {}
    for racing in (False, True):
        search = TPESearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 40]}, n_iter=2,
                             cv=KFold(5), racing=racing, random_state=0,
                             initial_candidates=first).fit(X, y)
        found[racing] = search.best_params_
        assert search.cv_results_["split0_test_score"].tolist() == [1.0, 1.0]
    assert found[True] == found[False] == {"n_neighbors": 40}


def test_margin_drops_a_candidate_behind_by_little_sooner():
    inc = np.array([0.9, 0.8, 0.85, 0.9, 0.8])
    se = inc.std(ddof=1) / np.sqrt(5)
    behind = inc[:3] - [0.1 * se, 0.9 * se, 0.2 * se]  # behind on every fold, by under an SE
    assert _racing.worse_than_incumbent(behind, inc, 5)
    assert not _racing.worse_than_incumbent(behind, inc, 5, margin=0)
    assert _racing.estimated_mean(behind, inc) == pytest.approx(inc.mean() - 0.4 * se)


def test_a_candidate_ahead_on_the_folds_it_ran_stays_in_the_race():
    """A candidate ahead on every fold by less than the margin was dropped, while one ahead
    by the same amount on each stayed (a review's case: 0.901, 0.802 against 0.90, 0.80);
    and with nearly equal differences the test, weighing them against a margin estimated
    from five folds, dropped a candidate better than the margin in 27% of first looks."""
    inc = np.array([0.90, 0.80, 0.95, 0.70, 0.85])
    se = inc.std(ddof=1) / np.sqrt(5)
    for ahead in ([0.901, 0.802], [0.91, 0.811], [0.91, 0.81], [0.90, 0.80],
                  inc[:3] + [0.2 * se, 0.3 * se, 0.25 * se]):
        assert not _racing.worse_than_incumbent(ahead, inc, 5)
    assert not _racing.worse_than_incumbent([0.95, 0.76], inc, 5)  # ahead on average
    big = inc[:3] + [2 * se, 2.5 * se, 2.2 * se]  # ahead by more than the margin, as before
    assert not _racing.worse_than_incumbent(big, inc, 5)
    rng = np.random.default_rng(0)
    shared = rng.normal(size=(2000, 5))  # fold scores nearly the same for both candidates
    incs = shared + 1e-3 * rng.normal(size=(2000, 5))
    better = shared + 1.1 * 0.5 / np.sqrt(5) + 1e-3 * rng.normal(size=(2000, 5))
    assert not any(_racing.worse_than_incumbent(c[:2], i, 5) for c, i in zip(better, incs))


def test_estimated_mean_is_below_the_incumbent():
    inc = np.array([0.9, 0.8, 0.85, 0.9, 0.8])
    est = _racing.estimated_mean([0.95, 0.5], inc)  # easy first fold, then a loss
    assert est < inc.mean()
    assert est == pytest.approx(inc.mean() - ((0.9 - 0.95) + (0.8 - 0.5)) / 2)


class _FailsOnFold1(FoldClassifier):
    """``fail=True`` fails only the fit whose training set lacks the row ``marker`` (fold 1's)."""

    def __init__(self, x=0.5, fail=False, marker=0.0):
        super().__init__(x=x, fail=fail)
        self.marker = marker

    def fit(self, X, y=None):
        if self.fail and self.marker not in X[:, 0]:
            raise ValueError("_FailsOnFold1 asked to fail")
        self.classes_ = np.unique(y)
        self.n_features_in_ = X.shape[1]
        return self


def _fold1_search(data, **kw):
    X, _ = data
    marker = X[list(CV.split(X))[1][1][0], 0]
    return TPESearchCV(_FailsOnFold1(marker=marker), {"x": uniform(0, 1), "fail": [False, True]},
                       n_iter=20, cv=CV, random_state=0, racing=True, **kw)


def test_a_raced_out_row_with_a_failed_fold_has_no_mean(data):
    """A failed fold's NaN stays in the mean over the folds that ran, as in a row that ran
    every fold: the row must not rank by its one good fold (it did, and hid the warning)."""
    search = _fold1_search(data)
    with pytest.warns(UserWarning, match="test scores are non-finite"):
        search.fit(*data)
    res = search.cv_results_
    splits = _splits(res)
    failed = np.array([p["fail"] for p in res["params"]])
    partial = failed & res["raced_out"] & np.isfinite(splits[:, 0])
    assert partial.any()  # fold 0 ran and scored, fold 1 failed
    assert np.all(np.isnan(res["mean_test_score"][failed]))
    assert np.all(np.isnan(res["std_test_score"][failed]))
    assert not failed[search.best_index_]
    ok = res["raced_out"] & ~failed  # rows that ran a few folds and no fit failed
    assert ok.any()
    np.testing.assert_allclose(res["mean_test_score"][ok], np.nanmean(splits[ok], axis=1))


def test_a_fold_scored_minus_inf_races_the_candidate_out_quietly(data):
    """error_score=-inf: the mean is -inf whatever the other folds give (the t-test got NaN,
    ran every fold and warned of an invalid subtraction)."""
    search = _fold1_search(data, error_score=-np.inf)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(*data)
    # (scikit-learn's own std of a row holding -inf warns; that one is passed on)
    assert not [w for w in caught if "sktpe" in w.filename]
    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]]) & (np.arange(20) >= _startup(20))
    assert failed.any()
    assert np.all(res["raced_out"][failed])
    assert np.all(res["mean_test_score"][failed] == -np.inf)
    assert _racing.worse_than_incumbent([-np.inf, 0.5], [0.5, 0.5, 0.5], 5)
    assert not _racing.worse_than_incumbent([np.inf, 0.0], [0.5, 0.5, 0.5], 5)


def test_mark_raced_ranks_a_high_partial_mean_last():
    results = {
        "split0_test_score": np.array([0.5, 0.9, 0.6]),
        "split1_test_score": np.array([0.5, np.nan, 0.7]),
        "mean_test_score": np.array([0.5, np.nan, 0.65]),
        "std_test_score": np.array([0.0, np.nan, 0.05]),
        "rank_test_score": np.array([2, 3, 1], dtype=np.int32),
        "mean_fit_time": np.array([1.0, np.nan, 1.0]),
        "std_fit_time": np.array([0.0, np.nan, 0.0]),
    }
    times = {"fit_time": np.array([[1.0, 1.0], [2.0, np.nan], [1.0, 1.0]])}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _racing.mark_raced(results, [False, True, False], times,
                           np.array([[False, False], [False, True], [False, False]]))
    assert results["mean_test_score"][1] == 0.9
    assert list(results["rank_test_score"]) == [2, 3, 1]
    assert results["mean_fit_time"][1] == 2.0
    assert list(results["raced_out"]) == [False, True, False]


@pytest.mark.extras
def test_dask_backend_gives_the_local_result(data):
    """Raced folds go through joblib, so a Dask cluster runs them too."""
    import joblib

    distributed = pytest.importorskip("distributed")
    ref = _search(n_iter=12, batch_size=2, n_jobs=2).fit(*data)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
    ) as cluster, distributed.Client(cluster):
        with joblib.parallel_backend("dask"):
            search = _search(n_iter=12, batch_size=2).fit(*data)
    assert search.cv_results_["params"] == ref.cv_results_["params"]
    np.testing.assert_array_equal(_splits(search.cv_results_), _splits(ref.cv_results_))
    assert search.cv_results_["raced_out"].any()


def test_noise_helpers_skip_raced_rows(raced):
    from sktpe import one_std_error_rule, within_one_std_error

    res = raced.cv_results_
    assert not within_one_std_error(res)[res["raced_out"]].any()
    best = one_std_error_rule(("x", "low"))(res)
    assert not res["raced_out"][best]


# -- overlapping waves (several workers, batch_size='auto') ----------------------------
def test_overlapping_waves_stay_full_until_the_asking_stops():
    """The scheduler's overlapping policy, with a stub sampler and stub fold fits."""
    from sktpe._scheduler import Policy, Progress, Scheduler
    from sktpe._trials import State, TrialStore

    rng = np.random.RandomState(0)
    quality = {}

    class Sampler:
        n_startup_trials = 0
        space_ = None

        def __init__(self):
            self.n, self.told, self.provisional = 0, [], []

        def ask(self, k):
            new = [{"c": self.n + i} for i in range(k)]
            for p in new:
                quality[p["c"]] = -abs(rng.normal())  # the candidate's score on every fold
            self.n += k
            return new

        def tell(self, params, score, provisional=False):
            if provisional:
                assert params["c"] not in self.told  # never after the final score
                self.provisional.append((params["c"], score))
            else:
                self.told.append(params["c"])

    waves = []

    class Evaluator:
        fed = True

        def splits(self):
            return [None] * N_SPLITS

        def run_whole(self, trials):
            raise AssertionError("overlapping waves fit single folds")

        def run_folds(self, tasks):
            waves.append(len(tasks))
            for t, f in tasks:
                assert f == len(t.fold_scores)  # a trial's folds run in order
                t.folds[f] = {"fit_error": None}
                t.fold_scores.append(quality[t.params["c"]] + 0.01 * f)

        def skipped_fold(self, like, fold):
            return {"fit_error": None}

    store = TrialStore(n_splits=N_SPLITS)
    first = store.new({"c": -1})  # an incumbent to race against
    first.folds = [{"fit_error": None}] * N_SPLITS
    first.fold_scores = [-0.5 + 0.01 * f for f in range(N_SPLITS)]
    first.state, first.score = State.COMPLETE, float(np.mean(first.fold_scores))
    store.settle(first)
    sampler = Sampler()
    store.sampler = sampler
    policy = Policy(n_iter=31, racing=True, overlap=True, slots=3, timed=False, asynchronous=False,
                    batch_size=lambda n_splits, n_done: 1)
    progress = Progress(None, None, 0, 31, True, store)
    assert Scheduler(sampler, store, Evaluator(), progress, policy, []).run() == "n_iter"
    assert sorted(sampler.told) == list(range(30))  # each settled and told exactly once
    # A candidate still racing is told, provisionally, the mean of its folds so
    # far less their offsets among complete trials (the raw mean until
    # MIN_COMPLETE trials are). Here every fold is 0.01 * f above the first for
    # every candidate, so the corrected score is its final mean exactly.
    assert sampler.provisional
    corrected = 0
    for c, score in sampler.provisional:
        final = quality[c] + 0.01 * (N_SPLITS - 1) / 2
        if abs(score - final) < 1e-12:
            corrected += 1
        else:
            means = [quality[c] + 0.01 * (m - 1) / 2 for m in range(1, N_SPLITS)]
            assert min(abs(score - m) for m in means) < 1e-12
    assert corrected > len(sampler.provisional) / 2
    last_full = max(i for i, n in enumerate(waves) if n == 3)
    assert all(n == 3 for n in waves[: last_full + 1])  # full while candidates were left to ask
    assert all(n < 3 for n in waves[last_full + 1 :])  # only the drain after the last ask is short
    raced = [t for t in store if t.state is State.RACED_OUT]
    assert raced
    for t in store:
        assert t.n_run == N_SPLITS or (t in raced and len(t.fold_scores) >= _racing.MIN_FOLDS)


@pytest.fixture(scope="module")
def flowed(data):
    from joblib import parallel_backend

    with parallel_backend("threading", n_jobs=2):
        return _search(n_jobs=2).fit(*data)


def test_overlapping_waves_print_one_progress_line_per_wave(data, capsys):
    """A wave that settled two candidates printed the same line twice."""
    from joblib import parallel_backend

    with parallel_backend("threading", n_jobs=2):
        _search(n_jobs=2, verbose=1).fit(*data)
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith("[TPESearchCV]")]
    counts = [int(line.split()[1].split("/")[0]) for line in lines]
    assert counts and counts == sorted(set(counts))


def test_two_workers_race_by_the_same_rules(flowed):
    res = flowed.cv_results_
    out, splits, means = res["raced_out"], _splits(res), res["mean_test_score"]
    assert len(out) == 24 and out.any()
    assert res["rank_test_score"][out].min() > res["rank_test_score"][~out].max()
    assert not out[flowed.best_index_] and np.isfinite(splits[flowed.best_index_]).all()
    for j in np.flatnonzero(out):  # rows are in the order candidates settled
        inc = max((i for i in range(j) if not out[i]), key=lambda i: means[i])
        k = np.isfinite(splits[j]).sum()
        assert _racing.worse_than_incumbent(splits[j, :k], splits[inc], N_SPLITS)
    assert len(flowed.sampler_.params_) == 24  # every candidate told to the sampler


def test_two_workers_same_results_on_every_backend(data, flowed):
    loky = _search(n_jobs=2).fit(*data).cv_results_
    res = flowed.cv_results_
    assert loky["params"] == res["params"]
    np.testing.assert_array_equal(_splits(loky), _splits(res))
    np.testing.assert_array_equal(loky["raced_out"], res["raced_out"])


def test_two_workers_stop_on_n_iter_no_change(data):
    from joblib import parallel_backend

    with parallel_backend("threading", n_jobs=2):
        search = _search(n_jobs=2, n_iter=60, n_iter_no_change=4).fit(*data)
    assert search.stop_reason_ == "n_iter_no_change"
    assert len(search.cv_results_["params"]) < 60


def test_two_workers_on_dask_give_the_local_result(data, flowed):
    import joblib

    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
    ) as cluster, distributed.Client(cluster):
        with joblib.parallel_backend("dask"):
            search = _search(n_jobs=2).fit(*data)
    assert search.cv_results_["params"] == flowed.cv_results_["params"]
    np.testing.assert_array_equal(_splits(search.cv_results_), _splits(flowed.cv_results_))

