"""TPESearchCV behaves as a drop-in RandomizedSearchCV."""

import pickle
import time
import warnings

import numpy as np
import pytest
from scipy.stats import loguniform, rankdata, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import FitFailedWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    RandomizedSearchCV,
    cross_val_score,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from sktpe import TPESearchCV

from conftest import ParamScoreClassifier

LR_SPACE = {"C": loguniform(1e-2, 1e2), "fit_intercept": [True, False]}


def _ranks(mean):
    """sklearn's rank_test_*: 1 for the best, ties share the min rank, NaN last."""
    mean = np.asarray(mean, dtype=float)
    filled = np.where(np.isnan(mean), np.nanmin(mean) - 1 if np.isfinite(mean).any() else 0, mean)
    return rankdata(-filled, method="min").astype(int)


# --------------------------------------------------------------------------
# cv_results_
# --------------------------------------------------------------------------
SCORINGS = [
    pytest.param(None, True, id="single"),
    pytest.param("accuracy", True, id="single-str"),
    pytest.param(["accuracy", "f1_macro"], "accuracy", id="multi-refit-str"),
    pytest.param(["accuracy", "f1_macro"], False, id="multi-refit-false"),
    pytest.param(
        {"acc": "accuracy", "f1": "f1_macro"},
        lambda r: int(np.argmax(r["mean_test_f1"])),
        id="multi-refit-callable",
    ),
]


@pytest.mark.parametrize("return_train_score", [False, True])
@pytest.mark.parametrize("scoring, refit", SCORINGS)
def test_cv_results_keys_superset_of_randomized(clf_data, scoring, refit, return_train_score):
    X, y = clf_data
    kw = dict(
        n_iter=5,
        cv=3,
        scoring=scoring,
        refit=refit,
        return_train_score=return_train_score,
        random_state=0,
    )
    tpe = TPESearchCV(LogisticRegression(), LR_SPACE, **kw).fit(X, y)
    rnd = RandomizedSearchCV(LogisticRegression(), LR_SPACE, **kw).fit(X, y)

    res = tpe.cv_results_
    missing = set(rnd.cv_results_) - set(res)
    assert not missing, f"cv_results_ lacks RandomizedSearchCV keys {missing}"
    assert len(res["params"]) == 5
    for key, col in res.items():
        assert len(col) == 5, key
    # rank_* columns are the ranks of the matching mean_test_* columns
    rank_keys = [k for k in res if k.startswith("rank_test_")]
    assert rank_keys == [k for k in rnd.cv_results_ if k.startswith("rank_test_")]
    for rk in rank_keys:
        mean = res["mean_test_" + rk[len("rank_test_"):]]
        np.testing.assert_array_equal(res[rk], _ranks(mean))
    # mean_test_* is the mean over the split columns
    for mk in [k for k in res if k.startswith("mean_test_")]:
        name = mk[len("mean_test_"):]
        splits = np.array([res[f"split{i}_test_{name}"] for i in range(3)])
        np.testing.assert_allclose(res[mk], splits.mean(axis=0))
    # param_* columns agree with params
    for i, p in enumerate(res["params"]):
        assert set(p) == set(LR_SPACE)
        for name, value in p.items():
            assert res[f"param_{name}"][i] == value
    # same fitted-attribute surface as RandomizedSearchCV
    for attr in ("best_index_", "best_score_", "best_params_", "best_estimator_", "refit_time_"):
        assert hasattr(tpe, attr) == hasattr(rnd, attr), attr
    assert tpe.multimetric_ == rnd.multimetric_


class _FitLog(ClassifierMixin, BaseEstimator):
    """Records the params of every fit, in order, into a class-level list."""

    log = []

    def __init__(self, x=0.5, k=1):
        self.x = x
        self.k = k

    def fit(self, X, y):
        type(self).log.append({"x": self.x, "k": self.k})
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return -((self.x - 0.2) ** 2) - 0.01 * self.k


def test_params_in_evaluation_order(binary_data):
    X, y = binary_data
    _FitLog.log = []
    search = TPESearchCV(
        _FitLog(),
        {"x": uniform(0, 1), "k": randint(0, 5)},
        n_iter=12,
        cv=2,
        random_state=3,
        n_jobs=1,
    ).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 12
    cv_fits = _FitLog.log[: 12 * 2]
    # each candidate is fitted on both folds before the next one is proposed
    assert [f for f in cv_fits[::2]] == [dict(p) for p in params]
    assert [f for f in cv_fits[1::2]] == [dict(p) for p in params]
    # the last fit is the refit with the best params
    assert _FitLog.log[-1] == search.best_params_


# --------------------------------------------------------------------------
# fitted attributes
# --------------------------------------------------------------------------
def test_fitted_attributes_single_metric(clf_data):
    X, y = clf_data
    # selection='best' is scikit-learn's rule: the first candidate of the top mean.
    search = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=6, cv=3, random_state=0,
                         selection="best")
    search.fit(X, y)
    res = search.cv_results_
    i = search.best_index_
    assert i == int(np.argmax(res["mean_test_score"]))
    assert res["rank_test_score"][i] == 1
    assert search.best_score_ == res["mean_test_score"][i]
    assert search.best_params_ == res["params"][i]
    best = search.best_estimator_
    assert isinstance(best, LogisticRegression)
    for k, v in search.best_params_.items():
        assert best.get_params()[k] == v
    best.predict(X)  # fitted
    assert callable(search.scorer_)
    assert search.n_splits_ == 3
    assert isinstance(search.refit_time_, float) and search.refit_time_ >= 0
    assert search.multimetric_ is False
    np.testing.assert_array_equal(search.classes_, np.unique(y))
    assert search.n_features_in_ == X.shape[1]


def test_fitted_attributes_multimetric(clf_data):
    X, y = clf_data
    search = TPESearchCV(
        LogisticRegression(),
        LR_SPACE,
        n_iter=6,
        cv=3,
        scoring=["accuracy", "f1_macro"],
        refit="f1_macro",
        random_state=0,
    ).fit(X, y)
    res = search.cv_results_
    assert search.multimetric_ is True
    assert isinstance(search.scorer_, dict) and set(search.scorer_) == {"accuracy", "f1_macro"}
    i = search.best_index_
    assert res["rank_test_f1_macro"][i] == 1
    assert search.best_score_ == res["mean_test_f1_macro"][i]
    assert search.best_params_ == res["params"][i]
    assert search.score(X, y) == pytest.approx(
        search.scorer_["f1_macro"](search.best_estimator_, X, y)
    )


def _two_metrics(estimator, X, y):
    """A scoring callable that returns a dict of scores."""
    accuracy = float(np.mean(estimator.predict(X) == y))
    return {"acc": accuracy, "err": 1.0 - accuracy}


@pytest.mark.parametrize("mode", [{}, {"racing": True}, {"batch_size": "async", "n_jobs": 2}])
def test_refit_that_is_no_key_of_a_scoring_callables_dict_is_named(binary_data, mode):
    """refit='accuracy' where the callable returns 'acc' failed with a bare KeyError in the
    first batch; scikit-learn names refit and what to set it to."""
    X, y = binary_data
    space = {"C": [0.01, 0.1, 1.0]}
    kwargs = dict(n_iter=3, cv=3, scoring=_two_metrics, refit="accuracy")
    with pytest.raises(ValueError, match="refit must be set to a scorer key"):
        RandomizedSearchCV(LogisticRegression(), space, **kwargs).fit(X, y)
    with pytest.raises(ValueError, match="refit must be set to a scorer key.*'acc', 'err'.*"
                                         "refit='accuracy'"):
        TPESearchCV(LogisticRegression(), space, random_state=0, **kwargs, **mode).fit(X, y)


def test_multimetric_objective_is_refit_metric(binary_data):
    """TPE optimises the ``refit`` metric: here one metric is the negation of the other."""
    X, y = binary_data

    def scoring(est, X, y):
        s = est.score(X, y)
        return {"up": s, "down": -s}

    space = {"x": uniform(0, 1), "k": [0]}
    kw = dict(n_iter=25, cv=2, scoring=scoring, random_state=0)
    up = TPESearchCV(_FitLog(), space, refit="up", **kw).fit(X, y)
    down = TPESearchCV(_FitLog(), space, refit="down", **kw).fit(X, y)
    # score = -(x - 0.2)**2: maximising "up" drives x to 0.2, "down" away from it
    up_x = np.array([p["x"] for p in up.cv_results_["params"]])[-10:]
    down_x = np.array([p["x"] for p in down.cv_results_["params"]])[-10:]
    assert np.median(np.abs(up_x - 0.2)) < np.median(np.abs(down_x - 0.2))
    assert up.best_score_ == np.max(up.cv_results_["mean_test_up"])


def test_refit_false_and_callable(clf_data):
    X, y = clf_data
    no_refit = TPESearchCV(
        LogisticRegression(), LR_SPACE, n_iter=4, cv=2, refit=False, random_state=0
    ).fit(X, y)
    assert not hasattr(no_refit, "best_estimator_")
    with pytest.raises((AttributeError, NotFittedError)):
        no_refit.predict(X)

    chosen = []

    def pick_last(results):
        chosen.append(len(results["params"]))
        return len(results["params"]) - 1

    cal = TPESearchCV(
        LogisticRegression(), LR_SPACE, n_iter=4, cv=2, refit=pick_last, random_state=0
    ).fit(X, y)
    assert cal.best_index_ == 3
    assert cal.best_params_ == cal.cv_results_["params"][3]
    assert not hasattr(cal, "best_score_")
    assert chosen == [4]


def test_delegated_classifier_methods(clf_data):
    X, y = clf_data
    search = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=4, cv=2, random_state=0)
    search.fit(X, y)
    best = search.best_estimator_
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        np.testing.assert_allclose(
            np.asarray(getattr(search, method)(X), dtype=float),
            np.asarray(getattr(best, method)(X), dtype=float),
            err_msg=method,
        )
    assert search.score(X, y) == pytest.approx(best.score(X, y))


def test_delegated_transform_inverse_transform(clf_data):
    X, _ = clf_data
    search = TPESearchCV(
        PCA(), {"n_components": randint(1, 5), "whiten": [False, True]}, n_iter=5, cv=2, random_state=0
    ).fit(X)
    best = search.best_estimator_
    Xt = search.transform(X)
    np.testing.assert_allclose(Xt, best.transform(X))
    assert Xt.shape == (len(X), best.n_components_)
    np.testing.assert_allclose(search.inverse_transform(Xt), best.inverse_transform(Xt))
    assert search.score(X) == pytest.approx(best.score(X))


def test_pipeline_transform_and_predict(clf_data):
    X, y = clf_data
    pipe = Pipeline([("scale", StandardScaler()), ("pca", PCA())])
    search = TPESearchCV(
        pipe, {"pca__n_components": randint(1, 5)}, n_iter=4, cv=2,
        scoring=lambda est, X, y=None: est.score(X), random_state=0,
    ).fit(X)
    np.testing.assert_allclose(search.transform(X), search.best_estimator_.transform(X))
    assert isinstance(search.best_params_["pca__n_components"], int)


def test_groups_are_passed_to_the_splitter(clf_data):
    X, y = clf_data
    groups = np.arange(len(y)) % 4
    search = TPESearchCV(
        LogisticRegression(), LR_SPACE, n_iter=3, cv=GroupKFold(n_splits=2), random_state=0
    )
    with pytest.raises(ValueError, match="groups"):
        search.fit(X, y)
    search.fit(X, y, groups=groups)
    assert search.n_splits_ == 2
    expected = cross_val_score(
        LogisticRegression(**search.best_params_), X, y, groups=groups, cv=GroupKFold(n_splits=2)
    )
    got = [search.cv_results_[f"split{i}_test_score"][search.best_index_] for i in range(2)]
    np.testing.assert_allclose(got, expected)


class _WeightScore(ClassifierMixin, BaseEstimator):
    """Score = total sample_weight seen in fit (NaN when none was given)."""

    def __init__(self, a=1):
        self.a = a

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.unique(y)
        self.seen_ = np.nan if sample_weight is None else float(np.sum(sample_weight))
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return self.seen_


def test_sample_weight_is_passed_to_fit(binary_data):
    X, y = binary_data
    w = np.arange(1, len(y) + 1, dtype=float)
    cv = KFold(2)
    search = TPESearchCV(_WeightScore(), {"a": [1, 2, 3]}, n_iter=2, cv=cv, random_state=0)
    search.fit(X, y, sample_weight=w)
    for i, (train, _) in enumerate(cv.split(X)):
        np.testing.assert_allclose(search.cv_results_[f"split{i}_test_score"], w[train].sum())
    assert search.best_estimator_.seen_ == pytest.approx(w.sum())


# --------------------------------------------------------------------------
# composition with scikit-learn tools
# --------------------------------------------------------------------------
def test_pipeline_parameters(clf_data):
    X, y = clf_data
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    search = TPESearchCV(pipe, {"clf__C": loguniform(1e-2, 1e2)}, n_iter=5, cv=2, random_state=0)
    search.fit(X, y)
    assert set(search.best_params_) == {"clf__C"}
    assert search.best_estimator_.named_steps["clf"].C == search.best_params_["clf__C"]
    assert all(1e-2 <= p["clf__C"] <= 1e2 for p in search.cv_results_["params"])


def test_invalid_parameter_name_raises(clf_data):
    X, y = clf_data
    with pytest.raises(ValueError):
        TPESearchCV(LogisticRegression(), {"not_a_param": [1, 2]}, n_iter=2, cv=2).fit(X, y)


def test_search_as_last_step_of_pipeline(clf_data):
    X, y = clf_data
    inner = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=3, cv=2, random_state=0)
    pipe = Pipeline([("scale", StandardScaler()), ("search", inner)]).fit(X, y)
    fitted = pipe.named_steps["search"]
    assert len(fitted.cv_results_["params"]) == 3
    np.testing.assert_array_equal(
        pipe.predict(X), fitted.predict(StandardScaler().fit_transform(X))
    )


def test_clone_and_nested_cv(clf_data):
    X, y = clf_data
    search = TPESearchCV(
        LogisticRegression(), LR_SPACE, n_iter=3, cv=2, random_state=0, gamma=0.2,
        n_ei_candidates=10, multivariate=False, batch_size=2,
    )
    cloned = clone(search)
    assert cloned.get_params(deep=False).keys() == search.get_params(deep=False).keys()
    for k, v in search.get_params(deep=False).items():
        if k not in ("estimator", "param_distributions"):
            c = cloned.get_params(deep=False)[k]
            assert c == v or (c != c and v != v), k  # error_score defaults to NaN
    assert cloned.param_distributions.keys() == search.param_distributions.keys()
    assert type(cloned.estimator) is LogisticRegression
    scores = cross_val_score(search, X, y, cv=2)
    assert scores.shape == (2,) and np.all(np.isfinite(scores))
    assert not hasattr(search, "cv_results_")  # cross_val_score fits clones


def test_clone_keeps_initial_candidates_that_hold_estimators(clf_data):
    """clone() deep-copies param_distributions and initial_candidates apart, so a list's
    estimator and the same estimator in an initial candidate became two objects: the
    clone refused the candidate as outside the space, and nested CV failed."""
    X, y = clf_data
    svc, lr = SVC(), LogisticRegression()
    space = {"clf": [svc, lr], "scale__with_mean": [True, False], "clf__C": loguniform(0.1, 10)}
    pipe = Pipeline([("scale", StandardScaler()), ("clf", svc)])
    search = TPESearchCV(pipe, space, n_iter=5, cv=2, random_state=0,
                         initial_candidates=[{"clf": svc, "scale__with_mean": True, "clf__C": 1.0}])
    first = search.fit(X, y).cv_results_
    again = clone(search).fit(X, y).cv_results_
    np.testing.assert_array_equal(again["mean_test_score"], first["mean_test_score"])
    assert [type(p["clf"]) for p in again["params"]] == [type(p["clf"]) for p in first["params"]]
    assert np.isfinite(cross_val_score(search, X, y, cv=2)).all()
    # a copy with other parameters is another value, and still refused
    other = clone(search).set_params(
        initial_candidates=[{"clf": SVC(C=2.0), "scale__with_mean": True, "clf__C": 1.0}])
    with pytest.raises(ValueError, match="initial_candidates"):
        other.fit(X, y)


def test_pickle_round_trip(clf_data):
    X, y = clf_data
    search = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=4, cv=2, random_state=0).fit(X, y)
    again = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(again.predict(X), search.predict(X))
    np.testing.assert_allclose(again.predict_proba(X), search.predict_proba(X))
    assert again.best_params_ == search.best_params_
    np.testing.assert_array_equal(
        again.cv_results_["mean_test_score"], search.cv_results_["mean_test_score"]
    )
    # the unfitted search pickles and still fits
    fresh = pickle.loads(pickle.dumps(clone(search))).fit(X, y)
    assert fresh.cv_results_["params"] == search.cv_results_["params"]


def test_running_search_sends_a_placeholder_to_fit_tasks():
    # scikit-learn >= 1.9 pickles the search into every fit task, for its
    # callbacks only; without callbacks a running search sends a stub.
    search = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=4, cv=2)
    full = len(pickle.dumps(search))
    search._fitting = object()  # what fit sets while it runs
    light = pickle.dumps(search)
    assert len(light) < 200 < full
    assert not isinstance(pickle.loads(light), TPESearchCV)
    del search._fitting
    assert isinstance(pickle.loads(pickle.dumps(search)), TPESearchCV)


@pytest.mark.extras
def test_cv_results_to_dataframe(clf_data):
    pd = pytest.importorskip("pandas")
    X, y = clf_data
    search = TPESearchCV(
        LogisticRegression(), LR_SPACE, n_iter=4, cv=2, scoring=["accuracy", "f1_macro"],
        refit="accuracy", return_train_score=True, random_state=0,
    ).fit(X, y)
    df = pd.DataFrame(search.cv_results_)
    assert len(df) == 4
    assert set(search.cv_results_) == set(df.columns)
    assert df["rank_test_accuracy"].min() == 1


@pytest.mark.extras
def test_plot_optimization_history(clf_data):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sktpe.plotting import plot_optimization_history

    X, y = clf_data
    search = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=4, cv=2, random_state=0).fit(X, y)
    ax = plot_optimization_history(search)
    assert ax.get_xlabel() == "trial (row of cv_results_)"
    plt.close("all")


# --------------------------------------------------------------------------
# conditional spaces, estimators and None as values
# --------------------------------------------------------------------------
def test_list_of_dicts_choosing_estimators(clf_data):
    X, y = clf_data
    svc, rf = SVC(), RandomForestClassifier(n_estimators=5, random_state=0)
    space = [
        {"clf": [svc], "clf__C": loguniform(1e-2, 1e2)},
        {"clf": [rf], "clf__max_depth": randint(1, 5)},
    ]
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
    search = TPESearchCV(pipe, space, n_iter=10, cv=2, random_state=0).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 10
    branches = []
    for p in params:
        matching = [i for i, b in enumerate(space) if set(p) == set(b)]
        assert len(matching) == 1, p
        b = matching[0]
        branches.append(b)
        assert p["clf"] is (svc if b == 0 else rf)
        if b == 0:
            assert 1e-2 <= p["clf__C"] <= 1e2
        else:
            assert isinstance(p["clf__max_depth"], int) and 1 <= p["clf__max_depth"] <= 4
    assert set(branches) == {0, 1}, "both branches should be explored"
    # the other branch's column is masked
    res = search.cv_results_
    for i, b in enumerate(branches):
        assert np.ma.is_masked(res["param_clf__max_depth"][i]) == (b == 0)
        assert np.ma.is_masked(res["param_clf__C"][i]) == (b == 1)
    best_clf = search.best_estimator_.named_steps["clf"]
    assert type(best_clf) is type(search.best_params_["clf"])
    assert best_clf is not search.best_params_["clf"]  # refit uses a clone


def test_estimators_and_none_as_categorical_values(clf_data):
    X, y = clf_data
    choices = [LogisticRegression(), DecisionTreeClassifier(max_depth=2, random_state=0)]
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    space = {"clf": choices, "scale": [None, StandardScaler()]}
    search = TPESearchCV(pipe, space, n_iter=4, cv=2, random_state=0).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 4
    for p in params:
        assert any(p["clf"] is c for c in choices)
        assert any(p["scale"] is c for c in space["scale"])
    # a finite space of 4 points: every point once
    keys = {(id(p["clf"]), id(p["scale"])) for p in params}
    assert len(keys) == 4
    assert search.predict(X).shape == y.shape


# --------------------------------------------------------------------------
# finite spaces
# --------------------------------------------------------------------------
FINITE = {"kind": ["a", "b", "c"], "n": randint(0, 3)}


def _point(p):
    return tuple(sorted(p.items()))


def test_finite_space_no_repeats(binary_data):
    X, y = binary_data
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        search = TPESearchCV(ParamScoreClassifier(), FINITE, n_iter=7, cv=2, random_state=0)
        search.fit(X, y)
    points = [_point(p) for p in search.cv_results_["params"]]
    assert len(points) == 7
    assert len(set(points)) == 7


def test_finite_space_exact_size_covers_everything(binary_data):
    X, y = binary_data
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        search = TPESearchCV(ParamScoreClassifier(), FINITE, n_iter=9, cv=2, random_state=1)
        search.fit(X, y)
    points = {_point(p) for p in search.cv_results_["params"]}
    assert points == {(("kind", k), ("n", n)) for k in "abc" for n in range(3)}


def test_finite_space_smaller_than_n_iter_warns(binary_data):
    X, y = binary_data
    search = TPESearchCV(ParamScoreClassifier(), FINITE, n_iter=15, cv=2, random_state=0)
    with pytest.warns(UserWarning, match="9"):
        search.fit(X, y)
    points = [_point(p) for p in search.cv_results_["params"]]
    assert len(points) == 9 == len(set(points))
    assert set(points) == {(("kind", k), ("n", n)) for k in "abc" for n in range(3)}
    assert search.best_params_ == {"kind": "b", "n": 0}


def test_finite_conditional_space_no_repeats(binary_data):
    X, y = binary_data
    space = [{"kind": ["a", "b"], "n": randint(0, 2)}, {"kind": ["c"], "x": [0.1, 0.3, 0.5]}]
    search = TPESearchCV(ParamScoreClassifier(), space, n_iter=20, cv=2, random_state=0)
    with pytest.warns(UserWarning):
        search.fit(X, y)
    points = [_point(p) for p in search.cv_results_["params"]]
    assert len(points) == 7 == len(set(points))


# --------------------------------------------------------------------------
# reproducibility
# --------------------------------------------------------------------------
SPACE_MIXED = {
    "x": uniform(0, 1),
    "c": loguniform(1e-2, 1e3),
    "kind": ["a", "b", "z"],
    "n": randint(0, 10),
}


def _run(seed, **kw):
    X = np.zeros((20, 2))
    y = np.arange(20) % 2
    return TPESearchCV(ParamScoreClassifier(), SPACE_MIXED, n_iter=15, cv=2, random_state=seed, **kw).fit(X, y)


def test_same_random_state_same_results():
    a, b = _run(7), _run(7)
    assert a.cv_results_["params"] == b.cv_results_["params"]
    np.testing.assert_array_equal(a.cv_results_["mean_test_score"], b.cv_results_["mean_test_score"])
    assert a.best_params_ == b.best_params_


def test_same_random_state_instance_seed():
    a = _run(np.random.RandomState(5))
    b = _run(np.random.RandomState(5))
    assert a.cv_results_["params"] == b.cv_results_["params"]


def test_different_random_state_different_params():
    a, b = _run(7), _run(8)
    pa = [p["x"] for p in a.cv_results_["params"]]
    pb = [p["x"] for p in b.cv_results_["params"]]
    assert pa != pb


def test_results_do_not_depend_on_n_jobs():
    from joblib import parallel_backend

    a = _run(3, batch_size=2, n_jobs=1)
    with parallel_backend("threading"):
        b = _run(3, batch_size=2, n_jobs=2)
    assert a.cv_results_["params"] == b.cv_results_["params"]


# --------------------------------------------------------------------------
# failures
# --------------------------------------------------------------------------
FAIL_SPACE = {"x": uniform(0, 1), "fail": [False, True]}


def test_error_score_nan_marks_failed_rows(binary_data):
    X, y = binary_data
    search = TPESearchCV(ParamScoreClassifier(), FAIL_SPACE, n_iter=10, cv=2, random_state=0)
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]])
    assert failed.any() and (~failed).any()
    assert len(res["params"]) == 10
    for col in ("mean_test_score", "split0_test_score", "split1_test_score"):
        assert np.all(np.isnan(res[col][failed])), col
        assert np.all(np.isfinite(res[col][~failed])), col
    assert np.all(res["rank_test_score"][failed] > res["rank_test_score"][~failed].max())
    assert search.best_params_["fail"] is False
    assert np.isfinite(search.best_score_)


def test_error_score_numeric(binary_data):
    X, y = binary_data
    search = TPESearchCV(
        ParamScoreClassifier(), FAIL_SPACE, n_iter=8, cv=2, random_state=1, error_score=-100.0
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]])
    assert failed.any()
    np.testing.assert_array_equal(res["mean_test_score"][failed], -100.0)


def test_failed_candidate_alone_in_its_batch(binary_data):
    """With batch_size=1 a failing candidate is a batch whose every fit failed."""
    X, y = binary_data
    space = [{"fail": [True]}, {"x": uniform(0, 1)}]
    search = TPESearchCV(
        ParamScoreClassifier(), space, n_iter=6, cv=2, random_state=0, n_startup_trials=0
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    res = search.cv_results_
    failed = np.array(["fail" in p for p in res["params"]])
    assert failed.any() and (~failed).any()
    assert np.all(np.isnan(res["mean_test_score"][failed]))


class _SlowFailure(ClassifierMixin, BaseEstimator):
    """Takes at least 0.05 s to fail its fit when ``fail``."""

    def __init__(self, fail=False, x=0.5):
        self.fail, self.x = fail, x

    def fit(self, X, y):
        if self.fail:
            time.sleep(0.05)
            raise ValueError("slow failure")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_a_batch_whose_every_fit_failed_keeps_fit_times(binary_data):
    """scikit-learn raises such a batch's results away, times too: its rows showed a
    mean_fit_time of 0, as if failing were free. Each fit now gets the batch's wall time
    shared over its fits (at least the 0.05 s each took; no upper bound, for a loaded
    machine), and a score time of 0, as scikit-learn gives a failed fit."""
    X, y = binary_data
    space = [{"fail": [True], "x": uniform(0, 1)}, {"x": uniform(0, 1)}]
    search = TPESearchCV(_SlowFailure(), space, n_iter=6, cv=2, random_state=0,
                         n_startup_trials=0)
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    res = search.cv_results_
    failed = np.array(["fail" in p for p in res["params"]])
    assert failed.any() and (~failed).any()
    assert np.all(res["mean_fit_time"][failed] >= 0.05)
    assert np.all(res["mean_score_time"][failed] == 0.0)


def test_failed_candidate_alone_with_callable_multimetric_scoring(binary_data):
    """Callable scoring returning a dict: failed rows must be NaN in every metric."""
    X, y = binary_data

    def scoring(est, X, y):
        s = est.score(X, y)
        return {"up": s, "down": -s}

    space = [{"fail": [True]}, {"x": uniform(0, 1)}]
    search = TPESearchCV(
        ParamScoreClassifier(), space, n_iter=6, cv=2, scoring=scoring, refit="up",
        random_state=0, n_startup_trials=0,
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    res = search.cv_results_
    failed = np.array(["fail" in p for p in res["params"]])
    assert failed.any() and (~failed).any()
    for metric in ("up", "down"):
        assert np.all(np.isnan(res[f"mean_test_{metric}"][failed]))
        assert np.all(np.isfinite(res[f"mean_test_{metric}"][~failed]))


def test_error_score_raise(binary_data):
    X, y = binary_data
    search = TPESearchCV(
        ParamScoreClassifier(), {"fail": [True, False]}, n_iter=2, cv=2,
        random_state=0, error_score="raise",
    )
    with pytest.raises(ValueError, match="asked to fail"):
        search.fit(X, y)


@pytest.mark.parametrize("space", [{"estimator__x": [0.1, 0.2]}, {"estimator__x": uniform(0, 1)}])
def test_error_score_raise_passes_a_nested_searchs_own_error_through(binary_data, space):
    """A nested search whose fits all fail raises scikit-learn's "All the N fits failed"
    from inside the outer fit. It was taken for the outer batch's own failure: a TypeError
    (the text 'raise' averaged as a score) or a message about warm_start."""
    X, y = binary_data
    inner = GridSearchCV(ParamScoreClassifier(fail=True), {"x": [0.5]}, cv=2)
    searches = [cls(inner, space, n_iter=2, cv=2, error_score="raise", random_state=0)
                for cls in (RandomizedSearchCV, TPESearchCV)]
    messages = []
    for search in searches:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FitFailedWarning)
            with pytest.raises(ValueError, match="fits failed") as caught:
                search.fit(X, y)
        messages.append(str(caught.value))
    assert messages[1] == messages[0]


class _FailsLater(ParamScoreClassifier):
    """Fits until its class is told to fail; counts the fits it is asked for."""

    failing = False
    calls = 0

    def fit(self, X, y=None, sample_weight=None):
        type(self).calls += 1
        if type(self).failing:
            raise RuntimeError("failing now")
        return super().fit(X, y, sample_weight=sample_weight)


def test_error_score_raise_passes_a_nested_error_through_a_resumed_journal(
        binary_data, tmp_path):
    """A journal holding the whole search evaluates one candidate again for scikit-learn's
    fit. With error_score='raise', a nested search's "All the N fits failed" from that fit
    was taken for the candidate's own failure, and every other candidate was tried too."""
    X, y = binary_data
    inner = GridSearchCV(_FailsLater(), {"x": [0.5]}, cv=2)

    def search():
        return TPESearchCV(inner, {"estimator__c": uniform(1, 10)}, n_iter=3, cv=2,
                           error_score="raise", random_state=0, journal=tmp_path / "j.jsonl")

    _FailsLater.failing = False
    search().fit(X, y)
    _FailsLater.failing, _FailsLater.calls = True, 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FitFailedWarning)
            with pytest.raises(ValueError, match="fits failed"):
                search().fit(X, y)
    finally:
        _FailsLater.failing = False
    assert _FailsLater.calls == 2  # one outer fold's inner fits: then the error stops it


def test_all_fits_failing_raises(binary_data):
    X, y = binary_data
    search = TPESearchCV(ParamScoreClassifier(), {"fail": [True], "x": uniform(0, 1)}, n_iter=3, cv=2)
    with pytest.raises(ValueError, match="fits failed"):
        search.fit(X, y)


def test_verbose_prints_one_header_and_one_line_per_step(capsys, binary_data):
    X, y = binary_data
    search = TPESearchCV(
        LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=8, cv=3, verbose=1,
        random_state=0,
    ).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    headers = [line for line in out if line.startswith("Fitting")]
    assert headers == ["Fitting 3 folds for each of 8 candidates, totalling 24 fits"] or (
        # scikit-learn < 1.9 tells the number of folds only with the first batch
        len(headers) == 1 and headers[0].startswith("Fitting 3 folds")
    )
    steps = [line for line in out if line.startswith("[TPESearchCV]")]
    assert len(steps) == 8  # one per batch: one candidate each, start-up ones included
    assert steps[-1].startswith("[TPESearchCV] 8/8 candidates, best score so far")
    assert steps[-1].endswith("s elapsed")


@pytest.mark.parametrize("n_iter", [3, 9])
def test_each_candidate_keeps_the_spaces_order_of_keys(binary_data, n_iter):
    """As docs/guide/migrating.md says; the grid that n_iter=9 covers gave sorted keys."""
    X, y = binary_data
    space = [{"kind": ["b", "a"], "x": [0.1, 0.2], "c": [1.0, 10.0]}, {"n": [2], "kind": ["c"]}]
    search = TPESearchCV(ParamScoreClassifier(), space, n_iter=n_iter, cv=2,
                         random_state=0).fit(X, y)
    orders = {tuple(p) for p in search.cv_results_["params"]}
    assert orders <= {("kind", "x", "c"), ("n", "kind")}
    assert [k for k in search.cv_results_ if k.startswith("param_")][:3] == [
        "param_kind", "param_x", "param_c"]


def test_verbose_counts_the_grid_when_n_iter_exceeds_a_space_of_lists(capsys, binary_data):
    """As RandomizedSearchCV: 4 candidates, not n_iter=10 (the header and progress said 10)."""
    X, y = binary_data
    with pytest.warns(UserWarning, match="only 4 distinct candidates"):
        TPESearchCV(LogisticRegression(), {"C": [0.01, 0.1, 1.0, 10.0]}, n_iter=10, cv=3,
                    verbose=1, random_state=0).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    headers = [line for line in out if line.startswith("Fitting")]
    assert all("each of 4 candidates, totalling 12 fits" in h for h in headers) and headers
    steps = [line for line in out if line.startswith("[TPESearchCV]")]
    assert steps[-1].startswith("[TPESearchCV] 4/4 candidates")


# --------------------------------------------------------------------------
# selection: which candidate becomes best_index_
# --------------------------------------------------------------------------
def _fold_se(res, i, k):
    f = np.array([res[f"split{j}_test_score"][i] for j in range(k)])
    return f.std(ddof=1) / np.sqrt(k)


def test_selection_best_is_scikit_learns_choice(clf_data):
    X, y = clf_data
    search = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=8, cv=3, random_state=0,
                         selection="best").fit(X, y)
    default = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=8, cv=3, random_state=0).fit(X, y)
    assert default.best_index_ == search.best_index_  # 'best' is the default
    res = search.cv_results_
    assert search.best_index_ == int(np.argmin(res["rank_test_score"]))
    assert search.best_score_ == res["mean_test_score"][search.best_index_]
    assert np.isfinite(search.smoothed_best_score_)


def test_selection_smoothed_picks_within_one_standard_error_of_the_top(binary_data):
    X, y = binary_data
    space = {"C": loguniform(1e-3, 1e3), "tol": loguniform(1e-5, 1e-1)}
    for seed in range(4):
        search = TPESearchCV(LogisticRegression(), space, n_iter=15, cv=5, random_state=seed,
                             selection="smoothed").fit(X, y)
        res = search.cv_results_
        top = int(np.argmax(res["mean_test_score"]))
        i = search.best_index_
        assert res["mean_test_score"][i] >= res["mean_test_score"][top] - _fold_se(res, top, 5) - 1e-12
        assert search.best_score_ == res["mean_test_score"][i]
        assert search.best_params_ == res["params"][i]
        smoothed = search.sampler_.smoothed_scores(res["params"], res["mean_test_score"])
        assert search.smoothed_best_score_ == smoothed[i]


def test_selection_leaves_a_callable_refit_alone(clf_data):
    X, y = clf_data
    search = TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=5, cv=3, random_state=0,
                         refit=lambda res: 2).fit(X, y)
    assert search.best_index_ == 2 and np.isnan(search.smoothed_best_score_)


def test_selection_rejects_an_unknown_rule(clf_data):
    X, y = clf_data
    with pytest.raises(ValueError, match="selection"):
        TPESearchCV(LogisticRegression(), LR_SPACE, n_iter=3, selection="mean").fit(X, y)


def test_one_split_selects_the_top_mean():
    """With a single validation split there is no standard error: 'smoothed' keeps the top mean."""
    from sklearn.datasets import load_iris
    from sklearn.model_selection import ShuffleSplit

    X, y = load_iris(return_X_y=True)
    search = TPESearchCV(LogisticRegression(max_iter=500), LR_SPACE, n_iter=6, random_state=0,
                         cv=ShuffleSplit(n_splits=1, test_size=0.3, random_state=0),
                         selection="smoothed").fit(X, y)
    means = search.cv_results_["mean_test_score"]
    assert search.best_index_ == int(np.argmax(means)) and search.n_splits_ == 1


@pytest.mark.parametrize("racing", [False, True])
def test_editing_best_params_leaves_the_search_able_to_continue(racing):
    """best_params_ and cv_results_['params'] were the dicts the sampler, the trial records
    and the journal keep: ``params = search.best_params_; params['fail'] = True`` (a
    user's setting for the final model) changed them, and warm_start then refused the
    search ("candidate ... is not in the new param_distributions")."""
    X, y = np.zeros((30, 2)), np.arange(30) % 2
    space = {"x": uniform(0, 1), "c": loguniform(1e-2, 1e2)}
    search = TPESearchCV(ParamScoreClassifier(), space, n_iter=6, cv=3, random_state=0,
                         racing=racing).fit(X, y)
    asked = [dict(p) for p in search.sampler_.params_]
    params = search.best_params_
    params["fail"] = True
    search.cv_results_["params"][0]["x"] = -5.0
    assert [dict(p) for p in search.sampler_.params_] == asked
    search.set_params(warm_start=True, n_iter=8)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert [dict(p) for p in search.cv_results_["params"][:6]] == asked


class _FailsAbove(ParamScoreClassifier):
    """Fails to fit where ``x`` > 0.6; elsewhere scores ``-(x - 0.3)**2`` (negative)."""

    def fit(self, X, y=None, sample_weight=None):
        if self.x > 0.6:
            raise ValueError("x too large")
        return super().fit(X, y)


@pytest.mark.parametrize("racing", [False, True])
def test_a_numeric_error_score_is_learnt_as_the_worst_result(racing):
    """error_score=0 with negative scores made every failed fit the best result TPE had
    seen (its sampler was told the mean of the fold scores, error_score included), so TPE
    steered into the failing region. What the sampler learns no longer depends on
    error_score: the same candidates for nan, 0 and 100, while cv_results_ keeps
    scikit-learn's error_score."""
    X, y = np.zeros((30, 2)), np.arange(30) % 2
    runs = {}
    for error_score in (np.nan, 0.0, 100.0):
        search = TPESearchCV(_FailsAbove(), {"x": uniform(0, 1)}, n_iter=14, cv=3,
                             random_state=0, error_score=error_score, racing=racing,
                             refit=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FitFailedWarning)
            warnings.simplefilter("ignore", UserWarning)
            search.fit(X, y)
        x = np.array([p["x"] for p in search.cv_results_["params"]])
        failed = x > 0.6
        assert failed.any()
        mean = search.cv_results_["mean_test_score"]
        if np.isnan(error_score):
            assert np.isnan(mean[failed]).all()
        else:
            assert (mean[failed] == error_score).all()  # scikit-learn's meaning, kept
        assert np.isnan(search.sampler_.scores_[failed]).all()
        runs[error_score] = x
    assert len(runs) == 3
    first, *others = runs.values()
    for x in others:
        np.testing.assert_array_equal(x, first)


def test_a_scorer_returning_a_complex_number_is_taken_as_scikit_learn_takes_it():
    """RandomizedSearchCV casts it (with numpy's ComplexWarning) and runs; TPESearchCV raised
    "float() argument must be a string or a real number, not 'complex'"."""
    from sklearn.model_selection import RandomizedSearchCV

    X, y = np.zeros((30, 2)), np.arange(30) % 2

    def scorer(est, X_, y_):
        return complex(est.score(X_, y_), 0.0)

    space = {"x": uniform(0, 1)}
    results = []
    for cls in (RandomizedSearchCV, TPESearchCV):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
            search = cls(ParamScoreClassifier(), space, n_iter=4, cv=3, scoring=scorer,
                         random_state=0).fit(X, y)
        assert search.cv_results_["mean_test_score"].dtype == np.float64
        results.append(search)
    tpe = results[1]
    expected = [ParamScoreClassifier(**p).objective() for p in tpe.cv_results_["params"]]
    np.testing.assert_allclose(tpe.cv_results_["mean_test_score"], expected)
    np.testing.assert_allclose(tpe.sampler_.scores_, expected)  # what TPE learnt: the real part


@pytest.mark.parametrize("max_time", [None, 1e9])
def test_n_iter_no_change_waits_for_the_start_up_candidates(max_time):
    """Start-up candidates come in batches, each checked by the stopping rules: with
    n_startup_trials=8 and n_iter_no_change=3 the search stopped after 4 random draws,
    before TPE proposed anything (as one batch they were never cut short)."""
    X, y = np.zeros((30, 2)), np.arange(30) % 2
    space = {"x": uniform(0, 1), "c": loguniform(1e-2, 1e2)}
    search = TPESearchCV(ParamScoreClassifier(), space, n_iter=30, n_startup_trials=8,
                         n_iter_no_change=3, max_time=max_time, cv=3, random_state=0).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) >= 8 and search.stop_reason_ == "n_iter_no_change"
    # it stopped at the first candidate after the start-up with 3 in a row not improving
    best = np.maximum.accumulate(scores)
    since = [0]
    for i in range(1, len(scores)):
        since.append(0 if best[i] > best[i - 1] else since[-1] + 1)
    stops = [i + 1 for i in range(7, len(scores)) if since[i] >= 3]
    assert stops and len(scores) == stops[0]
