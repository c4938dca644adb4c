"""selection='reevaluate': the top candidates cross-validated again on a reshuffled copy of cv."""

import pickle
import warnings

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GroupShuffleSplit, KFold, ShuffleSplit, StratifiedKFold, cross_val_score,
)

from sktpe import TPESearchCV
from sktpe._noise import split_columns
from sktpe._reevaluation import (
    TOP, choose, fold_score, leaders, reshuffled, top_candidates, warn_failures,
)

X, Y = make_classification(n_samples=120, n_features=8, flip_y=0.2, random_state=0)
SPACE = {"C": loguniform(1e-4, 1e2)}


def _search(**kw):
    kw = {"estimator": LogisticRegression(), "param_distributions": SPACE, "n_iter": 12,
          "random_state": 0, "cv": 4, **kw}
    return TPESearchCV(**kw)


@pytest.fixture(scope="module")
def pair():
    """The same search with selection='best' and 'reevaluate'."""
    return _search().fit(X, Y), _search(selection="reevaluate").fit(X, Y)


def test_same_candidates_and_rows_as_best(pair):
    """Re-evaluation happens after the search: cv_results_ is the plain search's, no row added."""
    best, reev = pair
    assert reev.cv_results_["params"] == best.cv_results_["params"]
    for key in ("mean_test_score", "rank_test_score", "split0_test_score"):
        np.testing.assert_array_equal(reev.cv_results_[key], best.cv_results_[key])
    assert not hasattr(best, "reevaluation_")


def test_chosen_from_both_sets_of_folds(pair):
    """The top 5 by mean, chosen by the mean over both sets; best_score_ keeps its meaning."""
    _, s = pair
    r = s.reevaluation_
    means = s.cv_results_["mean_test_score"]
    assert len(r.candidates) == TOP
    np.testing.assert_array_equal(r.candidates, np.argsort(-means, kind="stable")[:TOP])
    first = np.array([[s.cv_results_[f"split{k}_test_score"][i] for k in range(4)] for i in r.candidates])
    combined = np.hstack([first, r.split_scores]).mean(axis=1)
    np.testing.assert_allclose(r.combined_scores, combined)
    np.testing.assert_allclose(r.mean_scores, r.split_scores.mean(axis=1))
    assert s.best_index_ == r.chosen == r.candidates[int(np.argmax(combined))]
    assert s.best_score_ == means[s.best_index_]
    assert s.best_params_ == s.cv_results_["params"][s.best_index_]
    assert s.best_estimator_.C == s.best_params_["C"]


def test_second_folds_are_a_reshuffled_copy(pair):
    """The scores are those of cross_val_score on the second splitter, whose folds are new."""
    _, s = pair
    r = s.reevaluation_
    assert isinstance(r.cv, StratifiedKFold) and r.cv.shuffle and r.cv.n_splits == 4
    i = int(r.candidates[1])
    again = cross_val_score(LogisticRegression(**s.cv_results_["params"][i]), X, Y, cv=r.cv)
    np.testing.assert_allclose(r.split_scores[1], again)
    first = [set(test) for _, test in StratifiedKFold(4).split(X, Y)]
    second = [set(test) for _, test in r.cv.split(X, Y)]
    assert first != second


def test_reproducible_and_independent_of_workers():
    a = _search(selection="reevaluate", batch_size=2).fit(X, Y).reevaluation_
    b = _search(selection="reevaluate", batch_size=2, n_jobs=2).fit(X, Y).reevaluation_
    np.testing.assert_array_equal(a.split_scores, b.split_scores)
    assert a.cv.random_state == b.cv.random_state and a.chosen == b.chosen
    c = _search(selection="reevaluate", batch_size=2, random_state=1).fit(X, Y).reevaluation_
    assert c.cv.random_state != a.cv.random_state


def test_splitter_kept_and_seed_moved_off_the_users():
    cv = KFold(3, shuffle=True, random_state=5)
    second = reshuffled(cv, 5)
    assert isinstance(second, KFold) and second.random_state == 6 and cv.random_state == 5
    assert reshuffled(ShuffleSplit(3, test_size=0.3, random_state=1), 9).random_state == 9
    assert reshuffled(KFold(3), 7).shuffle is True


def test_group_splitter_gets_groups():
    groups = np.arange(len(Y)) % 10
    s = _search(selection="reevaluate", cv=GroupShuffleSplit(3, test_size=0.3, random_state=0))
    s.fit(X, Y, groups=groups)
    for _, test in s.reevaluation_.cv.split(X, Y, groups):
        assert len(np.unique(groups[test])) == 3  # whole groups: 30% of 10


def test_multimetric_uses_refit_metric():
    s = _search(selection="reevaluate", scoring=["accuracy", "neg_log_loss"], refit="neg_log_loss")
    s.fit(X, Y)
    r = s.reevaluation_
    means = s.cv_results_["mean_test_neg_log_loss"]
    np.testing.assert_array_equal(r.candidates, np.argsort(-means, kind="stable")[:TOP])
    assert (r.split_scores < 0).all()  # log-losses, not accuracies
    assert s.best_index_ == r.chosen


def test_refit_false_one_metric_still_chooses(pair):
    """scikit-learn sets best_index_ with refit=False and one metric: the rule still applies."""
    s = _search(selection="reevaluate", refit=False).fit(X, Y)
    assert s.best_index_ == s.reevaluation_.chosen == pair[1].best_index_
    assert not hasattr(s, "best_estimator_")


def test_no_choice_no_reevaluation():
    """A callable refit, and refit=False with several metrics, choose nothing to re-evaluate."""
    s = _search(selection="reevaluate", refit=lambda r: 0).fit(X, Y)
    assert not hasattr(s, "reevaluation_") and s.best_index_ == 0
    s = _search(selection="reevaluate", refit=False, scoring=["accuracy", "roc_auc"]).fit(X, Y)
    assert not hasattr(s, "reevaluation_") and not hasattr(s, "best_index_")


class FailsLater(LogisticRegression):
    """Fails every fit after the first ``FailsLater.after`` (clones share the count)."""

    fits = 0
    after = None

    def fit(self, X, y, **kw):
        type(self).fits += 1
        if self.after is not None and type(self).fits > type(self).after:
            raise RuntimeError("fails now")
        return super().fit(X, y, **kw)


def test_failed_reevaluation_keeps_rows_and_drops_the_old_choice():
    """A re-evaluation that raises (error_score='raise') leaves the new rows, and no earlier
    fit's best_* beside them."""
    s = _search(estimator=FailsLater(), selection="reevaluate", error_score="raise", n_iter=8)
    FailsLater.fits, FailsLater.after = 0, None
    s.fit(X, Y)
    assert hasattr(s, "best_index_")
    FailsLater.fits, FailsLater.after = 0, 6 * 4  # the 6 candidates' folds run, then fail
    with pytest.raises(RuntimeError, match="fails now"):
        s.set_params(n_iter=6, param_distributions={"C": loguniform(10, 100)}).fit(X, Y)
    FailsLater.after = None
    assert len(s.cv_results_["params"]) == 6
    assert all(p["C"] >= 10 for p in s.cv_results_["params"])
    for name in ("best_index_", "best_params_", "best_estimator_", "reevaluation_"):
        assert not hasattr(s, name), name


def test_warm_start_without_new_candidates_chooses_the_same():
    s = _search(selection="reevaluate", warm_start=True).fit(X, Y)
    first = s.reevaluation_
    s.fit(X, Y)  # n_iter reached: no candidate added
    assert s.reevaluation_.cv.random_state == first.cv.random_state
    assert s.reevaluation_.chosen == first.chosen
    np.testing.assert_array_equal(s.reevaluation_.split_scores, first.split_scores)


def test_warm_start_to_best_drops_the_attribute():
    s = _search(selection="reevaluate", warm_start=True).fit(X, Y)
    assert hasattr(s, "reevaluation_")
    s.set_params(selection="best", n_iter=14).fit(X, Y)
    assert not hasattr(s, "reevaluation_")
    assert s.best_index_ == int(np.argmax(s.cv_results_["mean_test_score"]))


def test_racing_leaves_raced_out_candidates_out():
    s = _search(selection="reevaluate", racing=True, n_iter=16).fit(X, Y)
    raced = np.asarray(s.cv_results_["raced_out"], dtype=bool)
    assert not set(s.reevaluation_.candidates) & set(np.flatnonzero(raced))


def test_clone_and_pickle():
    s = _search(selection="reevaluate").fit(X, Y)
    assert clone(s).selection == "reevaluate"
    back = pickle.loads(pickle.dumps(s))
    np.testing.assert_array_equal(back.reevaluation_.split_scores, s.reevaluation_.split_scores)


def test_top_candidates_and_choose():
    means = np.array([0.5, np.nan, 0.9, 0.9, 0.7, 0.8, 0.1, 0.95])
    eligible = np.ones(8, bool)
    eligible[7] = False
    np.testing.assert_array_equal(top_candidates(means, eligible), [2, 3, 5, 4, 0])
    np.testing.assert_array_equal(top_candidates(np.array([np.nan, 0.3]), np.ones(2, bool)), [1])
    cand = np.array([2, 3])
    combined, chosen = choose(cand, np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([[0.0, 0.0], [0.5, 0.5]]))
    assert chosen == 3 and combined.tolist() == [0.5, 0.75]
    _, chosen = choose(cand, np.ones((2, 2)), np.ones((2, 2)))
    assert chosen == 2  # a tie: the larger first mean (listed first)
    _, chosen = choose(cand, np.ones((2, 2)), np.array([[np.nan, 1.0], [1.0, 1.0]]))
    assert chosen == 3  # a failed fit with error_score=nan rules a candidate out
    # the search's folds count as much as the new ones: 1.0 then 0.0 beats 0.0 then 0.6
    combined, chosen = choose(cand, np.array([[1.0, 1.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [0.6, 0.6]]))
    assert chosen == 2 and combined.tolist() == [0.5, 0.3]


def test_leaders_leave_raced_out_rows_and_other_metrics_out():
    results = {
        "mean_test_score": np.array([0.9, 0.99, 0.5, 0.8, 0.7, 0.6, 0.4]),
        "raced_out": np.array([False, True, False, False, False, False, False]),
        "params": [{}] * 7,
    }
    for k in range(3):
        results[f"split{k}_test_score"] = results["mean_test_score"] + k
        results[f"split{k}_test_test_score"] = np.zeros(7)  # a metric named 'test_score'
    top, first = leaders(results, "score")
    np.testing.assert_array_equal(top, [0, 3, 4, 5, 2])  # 1 raced out (a partial mean)
    np.testing.assert_array_equal(first[0], [0.9, 1.9, 2.9])
    assert split_columns(results, "score") == ["split0_test_score", "split1_test_score",
                                               "split2_test_score"]
    assert split_columns(results, "test_score") == [f"split{k}_test_test_score" for k in range(3)]


def test_failed_refits_score_error_score_and_warn():
    ok = {"fit_error": None, "test_scores": {"a": 0.5, "b": 0.25}}
    failed = {"fit_error": "ValueError: boom", "test_scores": 0.0}
    assert fold_score(ok, "b", np.nan) == 0.25
    assert np.isnan(fold_score(failed, "a", np.nan))
    assert fold_score(failed, "a", -1.0) == -1.0
    with pytest.warns(FitFailedWarning, match=r"1 of the 2 fits .* boom"):
        warn_failures([[ok, failed]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_failures([[ok, ok]])
