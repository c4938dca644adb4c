"""sktpe._checks: name checks with "did you mean", and the scoring check."""

import pytest
from sklearn.metrics import get_scorer_names

from sktpe._checks import check_name, check_scoring, suggest_names

PIPE_PARAMS = ["logisticregression", "logisticregression__C", "logisticregression__penalty",
               "standardscaler", "standardscaler__with_mean"]


@pytest.mark.parametrize(
    "name, known, expected",
    [
        ("alhpa", ["alpha", "fit_intercept"], ["alpha"]),
        ("C", PIPE_PARAMS, ["logisticregression__C"]),  # the step prefix is missing
        ("penalty", PIPE_PARAMS, ["logisticregression__penalty"]),
        ("logisticregresion__C", PIPE_PARAMS, ["logisticregression__C"]),
        ("c", ["C", "kernel"], ["C"]),  # case
        ("acc", list(get_scorer_names()), ["accuracy"]),  # a prefix
        ("acuracy", list(get_scorer_names()), ["accuracy"]),
        ("zzz", ["alpha", "beta"], []),
    ],
)
def test_suggestions(name, known, expected):
    got = suggest_names(name, known)
    assert got[: len(expected)] == expected
    if not expected:
        assert got == []
    assert len(got) <= 3


def test_check_name_passes_known_and_names_unknown_with_the_fix():
    check_name("alpha", ["alpha"], where="prefer=('alpha', 'low')")
    with pytest.raises(ValueError) as info:
        check_name("C", PIPE_PARAMS, where="prefer=('C', 'low')")
    msg = str(info.value)
    assert msg.startswith("prefer=('C', 'low') names the unknown parameter 'C'")
    assert "did you mean 'logisticregression__C'?" in msg
    assert str(sorted(PIPE_PARAMS)) in msg
    with pytest.raises(ValueError, match=r"unknown metric 'zzz'; use one of \['f1', 'score'\]"):
        check_name("zzz", ["score", "f1"], where="metric='zzz'", kind="metric")


@pytest.mark.parametrize(
    "scoring", [None, "accuracy", "neg_log_loss", ["accuracy", "f1"], ("roc_auc",),
                {"a": "accuracy"}, lambda est, X, y: 0.0],
)
def test_check_scoring_accepts_what_sklearn_accepts(scoring):
    check_scoring(scoring)


@pytest.mark.parametrize(
    "scoring, bad, suggestion",
    [("acc", "acc", "accuracy"), ("acuracy", "acuracy", "accuracy"),
     (["accuracy", "f1_macr"], "f1_macr", "f1_macro"), ("roc", "roc", "roc_auc"),
     ("mse", "mse", "neg_mean_squared_error"), ("r2_score", "r2_score", "r2"),
     ("log_loss", "log_loss", "neg_log_loss"), ("f1-score", "f1-score", "f1")],
)
def test_check_scoring_suggests(scoring, bad, suggestion):
    with pytest.raises(ValueError) as info:
        check_scoring(scoring)
    msg = str(info.value)
    assert f"scoring={scoring!r}" in msg and f"{bad!r} is not a scorer name" in msg
    assert f"did you mean {suggestion!r}" in msg  # first
    assert "sklearn.metrics.get_scorer_names()" in msg
    assert isinstance(info.value, TypeError)  # as sklearn's InvalidParameterError


def test_check_scoring_without_a_close_name():
    with pytest.raises(ValueError, match=r"scoring='zzzz': 'zzzz' is not a scorer name; use"):
        check_scoring("zzzz")
