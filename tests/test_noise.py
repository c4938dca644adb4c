"""Noise-aware results: the one-standard-error mask and refit rule."""

import pickle

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from sktpe import TPESearchCV, one_std_error_rule, within_one_std_error


def _results(means, stds, params, n_splits=4, metric="score"):
    """A hand-made cv_results_ with ``n_splits`` split columns."""
    out = {
        f"mean_test_{metric}": np.asarray(means, dtype=float),
        f"std_test_{metric}": np.asarray(stds, dtype=float),
        "params": params,
    }
    for i in range(n_splits):
        out[f"split{i}_test_{metric}"] = np.zeros(len(means))
    return out


# best = 0.90 with std 0.04 over 4 folds: se = 0.02, threshold 0.88
MEANS = [0.85, 0.90, 0.88, 0.879, np.nan, 0.895]
STDS = [0.01, 0.04, 0.00, 0.01, np.nan, 0.10]
PARAMS = [{"C": 0.01}, {"C": 10.0}, {"C": 1.0}, {"C": 0.1}, {"C": 0.001}, {"C": 100.0}]


def test_mask_known_answer():
    mask = within_one_std_error(_results(MEANS, STDS, PARAMS))
    assert mask.dtype == bool
    assert mask.tolist() == [False, True, True, False, False, True]


def test_mask_uses_number_of_splits():
    # the same std over 16 folds gives se = 0.01: 0.88 is now out
    mask = within_one_std_error(_results(MEANS, STDS, PARAMS, n_splits=16))
    assert mask.tolist() == [False, True, False, False, False, True]


def test_mask_ddof_one_widens():
    # sample std: se = 0.04 * sqrt(4 / 3) / 2 = 0.0231, threshold 0.8769
    mask = within_one_std_error(_results(MEANS, STDS, PARAMS), ddof=1)
    assert mask.tolist() == [False, True, True, True, False, True]
    with pytest.raises(ValueError, match="ddof"):
        within_one_std_error(_results(MEANS, STDS, PARAMS), ddof=4)


@pytest.mark.parametrize("ddof", [0.5, True, -1])
def test_ddof_must_be_a_non_negative_int(ddof):
    with pytest.raises(ValueError, match=f"ddof={ddof!r} is invalid: use a non-negative int"):
        within_one_std_error(_results(MEANS, STDS, PARAMS), ddof=ddof)
    with pytest.raises(ValueError, match=f"ddof={ddof!r} is invalid: use a non-negative int"):
        one_std_error_rule(("C", "low"), ddof=ddof)


def test_mask_zero_std_keeps_only_ties():
    res = _results([0.5, 0.7, 0.7, 0.69], [0.0, 0.0, 0.0, 0.0], [{}] * 4)
    assert within_one_std_error(res).tolist() == [False, True, True, False]


def test_mask_all_failed():
    res = _results([np.nan, np.nan], [np.nan, np.nan], [{}, {}])
    assert within_one_std_error(res).tolist() == [False, False]
    with pytest.raises(ValueError, match="finite"):
        one_std_error_rule(lambda p: 0)(res)


def test_mask_multimetric_and_errors():
    res = _results([0.1, 0.2], [0.0, 0.5], [{}, {}], metric="f1")
    res.update(_results([0.9, 0.1], [0.0, 0.0], [{}, {}], metric="accuracy"))
    assert within_one_std_error(res, "f1").tolist() == [True, True]
    assert within_one_std_error(res, metric="accuracy").tolist() == [True, False]
    with pytest.raises(ValueError, match="accuracy"):
        within_one_std_error(res)  # no "score": the message lists the metrics
    with pytest.raises(TypeError):
        within_one_std_error([1, 2, 3])


def test_rule_pair_low_and_high():
    res = _results(MEANS, STDS, PARAMS)
    # within: C=10 (0.90), C=1 (0.88), C=100 (0.895)
    assert one_std_error_rule(("C", "low"))(res) == 2
    assert one_std_error_rule(("C", "high"))(res) == 5
    assert isinstance(one_std_error_rule(("C", "low"))(res), int)


def test_rule_callable_and_ties():
    params = [{"depth": 3}, {"depth": 1}, {"depth": 1}, {"depth": 2}]
    res = _results([0.80, 0.79, 0.795, 0.70], [0.02, 0.0, 0.0, 0.0], params)
    # within: 0, 1, 2 (threshold 0.79); depth 1 twice -> the better score wins
    assert one_std_error_rule(lambda p: p["depth"])(res) == 2
    # equal keys and scores -> the earlier candidate
    res = _results([0.8, 0.8, 0.8], [0.0, 0.0, 0.0], [{"d": 1}, {"d": 0}, {"d": 0}])
    assert one_std_error_rule(("d", "low"))(res) == 1


def test_rule_conditional_space_missing_parameter_ranks_last():
    params = [{"kernel": "linear"}, {"kernel": "rbf", "gamma": 0.1}, {"kernel": "rbf", "gamma": 1.0}]
    res = _results([0.9, 0.9, 0.9], [0.0, 0.0, 0.0], params)
    assert one_std_error_rule(("gamma", "low"))(res) == 1
    assert one_std_error_rule(("gamma", "high"))(res) == 2


def test_rule_accepts_fitted_search_and_validates():
    with pytest.raises(ValueError, match="prefer"):
        one_std_error_rule(("C", "small"))
    with pytest.raises(ValueError, match="prefer"):
        one_std_error_rule("C")
    with pytest.raises(ValueError, match="ddof"):
        one_std_error_rule(("C", "low"), ddof=-1)
    rule = one_std_error_rule(("C", "low"), metric="accuracy")
    assert "('C', 'low')" in repr(rule) and "accuracy" in repr(rule)
    again = pickle.loads(pickle.dumps(rule))
    res = _results(MEANS, STDS, PARAMS, metric="accuracy")
    assert again(res) == rule(res) == 2


def _check_rule(search, name, prefer_low, metric="score"):
    res = search.cv_results_
    mask = within_one_std_error(res, metric)
    assert mask[search.best_index_]
    chosen = search.best_params_[name]
    within = [p[name] for p, m in zip(res["params"], mask) if m]
    assert chosen == (min(within) if prefer_low else max(within))


def test_end_to_end_tpe_search(clf_data):
    X, y = clf_data
    search = TPESearchCV(
        LogisticRegression(max_iter=200), {"C": loguniform(1e-3, 1e2)}, n_iter=10,
        cv=3, refit=one_std_error_rule(("C", "low")), random_state=0,
    ).fit(X, y)
    _check_rule(search, "C", prefer_low=True)
    assert hasattr(search, "best_estimator_")
    assert search.best_estimator_.C == search.best_params_["C"]
    # a plain refit picks the top score; the rule never picks a larger C
    plain = TPESearchCV(
        LogisticRegression(max_iter=200), {"C": loguniform(1e-3, 1e2)}, n_iter=10,
        cv=3, random_state=0,
    ).fit(X, y)
    assert search.best_params_["C"] <= plain.best_params_["C"]


def test_end_to_end_multimetric(clf_data):
    X, y = clf_data
    search = TPESearchCV(
        LogisticRegression(max_iter=200), {"C": loguniform(1e-3, 1e2)}, n_iter=8,
        cv=3, scoring=["accuracy", "f1_macro"],
        refit=one_std_error_rule(("C", "low"), metric="f1_macro"), random_state=0,
    ).fit(X, y)
    _check_rule(search, "C", prefer_low=True, metric="f1_macro")


def test_end_to_end_grid_and_randomized(binary_data):
    X, y = binary_data
    grid = GridSearchCV(
        Ridge(), {"alpha": [0.01, 0.1, 1.0, 10.0, 100.0]}, cv=3,
        refit=one_std_error_rule(("alpha", "high")),
    ).fit(X, y)
    _check_rule(grid, "alpha", prefer_low=False)
    rand = RandomizedSearchCV(
        Ridge(), {"alpha": loguniform(1e-3, 1e3)}, n_iter=8, cv=3, random_state=0,
        refit=one_std_error_rule(lambda p: -p["alpha"]),
    ).fit(X, y)
    _check_rule(rand, "alpha", prefer_low=False)


# -- unknown names ---------------------------------------------------------------
@pytest.mark.parametrize(
    "prefer, params, suggestion",
    [
        (("alhpa", "low"), [{"alpha": 0.1}, {"alpha": 1.0}], "alpha"),
        (("C", "low"), [{"logisticregression__C": 0.1}, {"logisticregression__C": 1.0}],
         "logisticregression__C"),
        (("gama", "high"), [{"kernel": "linear"}, {"kernel": "rbf", "gamma": 0.1}], "gamma"),
    ],
)
def test_rule_unknown_parameter_raises_with_suggestion(prefer, params, suggestion):
    """It used to select the plain best candidate, silently."""
    res = _results([0.9, 0.8], [0.0, 0.0], params)
    rule = one_std_error_rule(prefer)
    with pytest.raises(ValueError) as info:
        rule(res)
    msg = str(info.value)
    assert f"prefer={prefer!r} names the unknown parameter {prefer[0]!r}" in msg
    assert f"did you mean {suggestion!r}?" in msg


def test_rule_unknown_parameter_raises_at_the_end_of_fit(clf_data):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = clf_data
    search = TPESearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=200)),
        {"logisticregression__C": loguniform(1e-2, 1e2)}, n_iter=3, cv=2,
        refit=one_std_error_rule(("C", "low")), random_state=0,
    )
    with pytest.raises(ValueError, match="did you mean 'logisticregression__C'"):
        search.fit(X, y)


def test_unknown_metric_raises_value_error_with_suggestion():
    res = _results([0.1, 0.2], [0.0, 0.5], [{}, {}], metric="f1")
    res.update(_results([0.9, 0.1], [0.0, 0.0], [{}, {}], metric="accuracy"))
    with pytest.raises(ValueError) as info:
        within_one_std_error(res, metric="acuracy")
    msg = str(info.value)
    assert "metric='acuracy' names the unknown metric 'acuracy'" in msg
    assert "did you mean 'accuracy'?" in msg and "['accuracy', 'f1']" in msg
    with pytest.raises(ValueError, match="metric='score' names the unknown metric 'score'"):
        one_std_error_rule(("C", "low"))(res)
    with pytest.raises(ValueError, match="metric=1 is invalid: use a str"):
        within_one_std_error(res, metric=1)
    with pytest.raises(ValueError, match="metric=None is invalid: use a str"):
        one_std_error_rule(("C", "low"), metric=None)
