"""Swapping RandomizedSearchCV for TPESearchCV must not break working code.

One test per crack found by running scikit-learn's own search tests and by
reading the code (issue 12); each failed before the fix.
"""

import subprocess
import sys
import types
import warnings

import numpy as np
import pytest
from scipy.stats import loguniform, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    RandomizedSearchCV,
    StratifiedKFold,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._testing import MinimalClassifier

from sktpe import TPESearchCV
from sktpe import _sklearn_compat as compat

X = np.random.RandomState(0).normal(size=(60, 4))
y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)


def test_cv_as_a_one_shot_iterator_of_splits():
    space = {"C": loguniform(1e-2, 1e2)}
    ref = TPESearchCV(LogisticRegression(), space, n_iter=6, cv=KFold(3), random_state=0)
    ref.fit(X, y)
    search = TPESearchCV(
        LogisticRegression(), space, n_iter=6, cv=KFold(3).split(X, y), random_state=0
    ).fit(X, y)
    assert search.n_splits_ == 3
    assert search.cv_results_["params"] == ref.cv_results_["params"]
    for k in range(3):
        key = f"split{k}_test_score"
        np.testing.assert_allclose(search.cv_results_[key], ref.cv_results_[key])


def test_names_that_only_set_params_accepts_are_valid():
    """scikit-learn's MinimalClassifier: get_params lists ``param`` only, set_params takes any."""
    pipe = Pipeline([("scale", StandardScaler()), ("clf", MinimalClassifier())])
    space = {"clf__param": [1, 2, 3], "clf__extra": uniform(0, 1)}
    search = TPESearchCV(pipe, space, n_iter=4, cv=2, scoring="accuracy", random_state=0)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_a_real_typo_is_still_rejected_before_any_fit():
    with pytest.raises(ValueError, match=r"Invalid parameter\(s\) \['Cc'\].*Valid parameters"):
        TPESearchCV(LogisticRegression(), {"Cc": loguniform(1e-2, 1e2)}, n_iter=3).fit(X, y)


def test_names_set_by_an_estimator_choice_do_not_change_the_user_objects():
    tree = DecisionTreeClassifier()
    space = {"clf": [tree], "clf__max_depth": [2, 3]}
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    TPESearchCV(pipe, space, n_iter=2, cv=2, random_state=0).fit(X, y)
    assert tree.max_depth is None


@pytest.mark.parametrize(
    "space",
    [
        {"C": [0.1, 1.0, 10.0], "fit_intercept": [True, False]},
        [{"C": [0.1, 1.0]}, {"C": [5.0], "fit_intercept": [False]}],
        [{}, {"C": [0.1, 1.0]}],  # {}: the estimator as given
        {},
    ],
)
def test_an_exhaustive_space_of_lists_is_evaluated_in_parametergrid_order(space):
    n = len(ParameterGrid(space))
    search = TPESearchCV(LogisticRegression(), space, n_iter=n, cv=2, random_state=0).fit(X, y)
    rand = RandomizedSearchCV(LogisticRegression(), space, n_iter=n, cv=2, random_state=0)
    rand.fit(X, y)
    assert search.cv_results_["params"] == list(ParameterGrid(space))
    assert search.cv_results_["params"] == rand.cv_results_["params"]
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], rand.cv_results_["mean_test_score"]
    )
    assert search.stop_reason_ == "n_iter"


def test_a_larger_budget_than_the_space_warns_and_evaluates_it_once():
    space = {"C": [0.1, 1.0, 10.0]}
    search = TPESearchCV(LogisticRegression(), space, n_iter=5, cv=2, random_state=0)
    with pytest.warns(UserWarning, match="only 3 distinct candidates"):
        search.fit(X, y)
    assert search.cv_results_["params"] == list(ParameterGrid(space))
    assert search.stop_reason_ == "exhausted"


def test_an_empty_dict_beside_distributions_is_tried_once():
    """RandomizedSearchCV accepts {} as a branch (the estimator as given); so does TPE."""
    space = [{}, {"C": loguniform(1e-3, 1e3)}]
    search = TPESearchCV(LogisticRegression(), space, n_iter=8, cv=2, random_state=0).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 8
    assert params.count({}) == 1
    assert all(set(p) == {"C"} for p in params if p)
    i = params.index({})
    default = LogisticRegression()
    assert search.cv_results_["mean_test_score"][i] == pytest.approx(
        np.mean([default.fit(X[tr], y[tr]).score(X[te], y[te])
                 for tr, te in StratifiedKFold(2).split(X, y)])
    )


def test_a_grid_stopped_by_max_time_does_not_say_all_were_evaluated():
    """The warning came as the grid was built, before max_time stopped it."""
    import time

    class Slow(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            time.sleep(0.05)
            return super().fit(X, y)

    space = {"C": list(np.logspace(-2, 2, 12))}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search = TPESearchCV(Slow(), space, n_iter=20, cv=2, max_time=0.01,
                             random_state=0).fit(X, y)
    assert search.stop_reason_ == "max_time"
    assert len(search.cv_results_["params"]) < 12
    assert not [w for w in caught if "distinct candidates" in str(w.message)]


def test_a_value_listed_twice_is_evaluated_twice_and_counted_once():
    """As RandomizedSearchCV does, the whole grid runs; the warning counts distinct values."""
    space = {"C": [1.0, 1.0, 10.0]}
    search = TPESearchCV(LogisticRegression(), space, n_iter=10, cv=2, random_state=0)
    with pytest.warns(UserWarning, match="only 2 distinct candidates"):
        search.fit(X, y)
    assert search.cv_results_["params"] == list(ParameterGrid(space))


def test_warm_start_keeps_its_trials_after_its_own_error():
    search = TPESearchCV(
        LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=5, cv=2, random_state=0
    ).fit(X, y)
    first = list(search.cv_results_["params"])
    search.set_params(warm_start=True, n_iter=3)
    with pytest.raises(ValueError, match="set n_iter to the new total"):
        search.fit(X, y)
    fit_times = search.cv_results_["mean_fit_time"].copy()
    search.set_params(n_iter=8)  # the error's own advice
    search.fit(X, y)
    assert search.cv_results_["params"][:5] == first
    # Continued, not restarted: the first five rows were not fitted again.
    np.testing.assert_array_equal(search.cv_results_["mean_fit_time"][:5], fit_times)
    assert len(search.cv_results_["params"]) == 8


@pytest.mark.parametrize(
    "bad, fix",
    [(dict(n_iter=6, initial_candidates=[{"C": 0.5}, {"C": 2.0}]), dict(n_iter=7)),
     (dict(n_iter=8, initial_candidates=[{"C": 0.5}, {"c": 2.0}]),
      dict(initial_candidates=[{"C": 0.5}, {"C": 2.0}]))],
    ids=["too many initial candidates", "a misspelt initial candidate"],
)
def test_warm_start_keeps_its_trials_after_an_error_in_initial_candidates(bad, fix):
    search = TPESearchCV(
        LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=5, cv=2, random_state=0
    ).fit(X, y)
    first = list(search.cv_results_["params"])
    fit_times = search.cv_results_["mean_fit_time"].copy()
    search.set_params(warm_start=True, **bad)
    with pytest.raises(ValueError, match="initial_candidates"):
        search.fit(X, y)
    search.set_params(**fix).fit(X, y)
    # Continued, not restarted: the first five rows are the earlier fit's, not fitted again.
    assert search.cv_results_["params"][:5] == first
    np.testing.assert_array_equal(search.cv_results_["mean_fit_time"][:5], fit_times)
    assert {"C": 2.0} in search.cv_results_["params"][5:]


def test_warm_start_does_not_propose_the_earlier_start_up_candidates_again():
    """The continued fit's sampler has the same seed: with as many start-up candidates
    left as the first fit drew (5 of 10 here; 5 of 'auto' at n_iter=5, then 10 of
    'auto' at n_iter=100), it drew the same Latin hypercube and fitted the first 5
    candidates again."""
    space = {"C": loguniform(1e-4, 1e2)}
    search = TPESearchCV(LogisticRegression(), space, n_iter=5, cv=2, random_state=0,
                         n_startup_trials=10, warm_start=True).fit(X, y)
    search.set_params(n_iter=10).fit(X, y)
    values = [p["C"] for p in search.cv_results_["params"]]
    assert len(values) == 10 and len(values) == len(set(values))
    # the same continuation again: a continued search is as reproducible as a new one
    again = TPESearchCV(LogisticRegression(), space, n_iter=5, cv=2, random_state=0,
                        n_startup_trials=10, warm_start=True).fit(X, y)
    assert [p["C"] for p in again.set_params(n_iter=10).fit(X, y).cv_results_["params"]] \
        == values


def test_warm_start_with_the_same_n_iter_only_refits():
    """A fit whose refit was interrupted (Ctrl-C) keeps its candidates; warm_start
    with the same n_iter finishes it: no new candidate, the same results, a refit."""
    space = {"C": loguniform(1e-2, 1e2)}
    done = TPESearchCV(LogisticRegression(), space, n_iter=5, cv=2, random_state=0).fit(X, y)
    search = TPESearchCV(LogisticRegression(), space, n_iter=5, cv=2, random_state=0,
                         refit=False).fit(X, y)  # as if the refit had been interrupted
    search.set_params(warm_start=True, refit=True).fit(X, y)
    assert search.cv_results_["params"] == done.cv_results_["params"]
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"],
                                  done.cv_results_["mean_test_score"])
    assert search.best_params_ == done.best_params_
    np.testing.assert_array_equal(search.predict(X), done.predict(X))


def test_warm_start_with_other_cv_splits_keeps_its_trials():
    search = TPESearchCV(
        LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=4, cv=2, random_state=0
    ).fit(X, y)
    search.set_params(warm_start=True, n_iter=6, cv=3)
    with pytest.raises(ValueError, match="CV splits"):
        search.fit(X, y)
    # scikit-learn set n_splits_ for cv=3 before the refusal: it describes the kept trials
    assert search.n_splits_ == 2 == sum(k.startswith("split") for k in search.cv_results_)
    fit_times = search.cv_results_["mean_fit_time"].copy()
    search.set_params(cv=2)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    np.testing.assert_array_equal(search.cv_results_["mean_fit_time"][:4], fit_times)


@pytest.mark.parametrize(
    "change, match",
    [
        (dict(scoring=["accuracy", "f1"], refit="f1"), "scored with scoring='accuracy'"),
        (dict(return_train_score=True), "scored with return_train_score=False"),
        (dict(param_distributions={"C": loguniform(1.0, 2.0)}), "not in the new param_distributions"),
    ],
    ids=["scoring", "return_train_score", "narrower space"],
)
def test_warm_start_refuses_a_change_its_trials_were_not_scored_with(change, match):
    """Before any fit, and keeping the trials: set back, the search continues."""
    search = TPESearchCV(
        LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=4, cv=2, random_state=0,
        scoring="accuracy",
    ).fit(X, y)
    fit_times = search.cv_results_["mean_fit_time"].copy()
    kept = {k: search.get_params()[k] for k in change}
    search.set_params(warm_start=True, n_iter=6, **change)
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)
    np.testing.assert_array_equal(search.cv_results_["mean_fit_time"], fit_times)
    search.set_params(**kept)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    np.testing.assert_array_equal(search.cv_results_["mean_fit_time"][:4], fit_times)


def _balanced(estimator, X, y):
    return float(np.mean(estimator.predict(X) == y))


def test_warm_start_compares_settings_by_value_not_by_address():
    """A pickled search continued in a new process holds the same scorer function at
    another address (here: a copy of it); 0 and 0.0, a tuple and a list of metric names,
    score alike. Another function is still refused."""
    search = TPESearchCV(LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=3, cv=2,
                         random_state=0, scoring=_balanced, error_score=0).fit(X, y)
    same = types.FunctionType(_balanced.__code__, _balanced.__globals__, _balanced.__name__)
    assert same is not _balanced and repr(same) != repr(_balanced)
    search.set_params(warm_start=True, n_iter=4, scoring=same, error_score=0.0)
    assert len(search.fit(X, y).cv_results_["params"]) == 4
    search.set_params(n_iter=5, scoring=lambda est, X_, y_: _balanced(est, X_, y_))
    with pytest.raises(ValueError, match="scored with scoring="):
        search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    names = TPESearchCV(LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=3, cv=2,
                        random_state=0, scoring=["accuracy", "f1"], refit="f1",
                        max_fit_time=10).fit(X, y)
    names.set_params(warm_start=True, n_iter=4, scoring=("accuracy", "f1"), max_fit_time=10.0)
    assert len(names.fit(X, y).cv_results_["params"]) == 4
    # a search pickled before settings were described holds their repr: still continued
    names._trials.settings = {k: repr(v) for k, v in {
        "scoring": ("accuracy", "f1"), "return_train_score": False, "error_score": np.nan,
        "max_fit_time": 10.0, "refit": "f1"}.items()}
    names.set_params(n_iter=5)
    assert len(names.fit(X, y).cv_results_["params"]) == 5


def test_warm_start_with_a_used_up_generator_of_splits_says_so():
    """Where scikit-learn tells the number of splits before the search (1.9 on), the
    refusal names the used-up generator; before, scikit-learn's own first batch finds no
    split to fit ("Was the CV iterator empty?")."""
    search = TPESearchCV(LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=3,
                         cv=KFold(3).split(X, y), random_state=0, warm_start=True).fit(X, y)
    search.set_params(n_iter=4)
    told = compat.SKLEARN_VERSION >= (1, 9)
    match = r"one-shot iterable of splits .* cv=list\(\.\.\.\)" if told else "CV iterator empty"
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)
    assert search.n_splits_ == 3 and len(search.cv_results_["params"]) == 3


def test_warm_start_may_grow_the_space():
    search = TPESearchCV(
        LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=4, cv=2, random_state=0
    ).fit(X, y)
    search.set_params(warm_start=True, n_iter=6, param_distributions={"C": loguniform(1e-3, 1e3)})
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 6


_SNAPSHOT = r"""
import sys, importlib, pkgutil, sklearn
names = sorted(m.name for m in pkgutil.walk_packages(sklearn.__path__, "sklearn.")
               if ".tests" not in m.name and "externals" not in m.name)
mods = []
for n in names:
    try:
        mods.append(importlib.import_module(n))
    except Exception:
        pass
before = {m.__name__: {k: id(v) for k, v in vars(m).items()} for m in mods}
import sktpe, sktpe.plotting
changed = [f"{m.__name__}.{k}" for m in mods for k, v in vars(m).items()
           if before[m.__name__].get(k, id(v)) != id(v)]
print("SNAPSHOT", len(mods), changed)
"""


def test_import_leaves_every_scikit_learn_module_as_it_was():
    out = subprocess.run(
        [sys.executable, "-c", _SNAPSHOT], capture_output=True, text=True, check=True
    ).stdout.splitlines()[-1].split(maxsplit=2)
    assert out[0] == "SNAPSHOT"
    out = out[1:]
    assert int(out[0]) > 50  # the sklearn modules were really imported
    assert out[1].strip() == "[]"


def _nested_failures(outer_cls):
    """FitFailedWarnings of a GridSearchCV (3 of 6 fits fail) nested in a search."""
    inner = GridSearchCV(
        LogisticRegression(), {"C": [-1.0, 1.0, 2.0]}, cv=2, error_score=np.nan
    )
    outer = outer_cls(inner, {"refit": [True]}, n_iter=1, cv=3, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outer.fit(X, y)
    return [w for w in caught if issubclass(w.category, FitFailedWarning)]


def test_nested_search_reports_its_failures_as_under_randomizedsearchcv():
    ours, theirs = _nested_failures(TPESearchCV), _nested_failures(RandomizedSearchCV)
    assert len(theirs) == 4  # one per outer fold, one for the refit
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


class _FailsAbove(ClassifierMixin, BaseEstimator):
    """Fails for C > 1: with sequential batches, such a candidate is a batch of failures."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        if self.C > 1:
            raise ValueError("C too large")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_failures_are_judged_once_over_the_whole_search():
    search = TPESearchCV(
        _FailsAbove(), {"C": loguniform(1e-2, 1e2)}, n_iter=12, cv=3, random_state=0
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    failed = np.isnan(search.cv_results_["mean_test_score"])
    assert 0 < failed.sum() < 12  # some candidates failed on every fold
    msgs = [str(w.message) for w in caught if issubclass(w.category, FitFailedWarning)]
    assert len(msgs) == 1
    assert f"{3 * failed.sum()} fits failed out of a total of 36" in msgs[0]


def test_a_search_stopped_by_error_score_raise_continues_with_a_numeric_error_score():
    # Its candidates hold no failed fit (one stopped it), so their scores stand;
    # the other way, a number to 'raise', is refused.
    search = TPESearchCV(_FailsAbove(), {"C": loguniform(1e-2, 1e2)}, n_iter=12, cv=3,
                         random_state=0, error_score="raise",
                         initial_candidates=[{"C": 0.1}, {"C": 0.5}])
    with pytest.raises(ValueError, match="C too large"):
        search.fit(X, y)
    kept = list(search.cv_results_["params"])
    assert 0 < len(kept) < 12 and all(p["C"] <= 1 for p in kept)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)
        warnings.filterwarnings("ignore", "One or more of the test scores are non-finite")
        search.set_params(warm_start=True, error_score=np.nan).fit(X, y)
    assert search.cv_results_["params"][:len(kept)] == kept
    assert len(search.cv_results_["params"]) == 12
    search.set_params(error_score="raise", n_iter=14)
    with pytest.raises(ValueError, match="scored with error_score=nan"):
        search.fit(X, y)
