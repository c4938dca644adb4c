"""Bad input is rejected before the first fit, with a message that names it.

Every case is one row of ``CASES``. Its id is the bad input as a user would
write it, and docs/errors.md has one row per id (regenerate the doc with
``python tests/gen_errors_table.py``; ``test_errors_doc_matches_cases`` checks
that the two agree).
"""

import re
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sktpe import TPESampler, TPESearchCV

DOC = Path(__file__).resolve().parent.parent / "docs" / "errors.md"


class CountingClassifier(ClassifierMixin, BaseEstimator):
    """Counts every ``fit`` in a class attribute (clones share it)."""

    n_fits = 0

    def __init__(self, C=1.0, kind="a"):
        self.C = C
        self.kind = kind

    def fit(self, X, y=None):
        type(self).n_fits += 1
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None):
        return -abs(float(self.C) - 1.0)


SPACE = {"C": uniform(0.1, 10), "kind": ["a", "b"]}


def _data():
    X = np.random.RandomState(0).normal(size=(24, 3))
    y = np.arange(24) % 2
    return X, y


def _search(**kw):
    """TPESearchCV(CountingClassifier(), SPACE, n_iter=3, cv=2, **kw).fit(X, y)"""
    kw = {"estimator": CountingClassifier(), "param_distributions": SPACE,
          "n_iter": 3, "cv": 2, **kw}
    TPESearchCV(**kw).fit(*_data())


def _sampler(**kw):
    """TPESampler(SPACE, **kw)"""
    kw = {"param_distributions": SPACE, **kw}
    TPESampler(**kw)


def _ask(n):
    """TPESampler(SPACE).ask(n)"""
    TPESampler(SPACE, random_state=0).ask(n)


def _tell(params, scores):
    """TPESampler(SPACE).tell(params, scores)"""
    s = TPESampler(SPACE, random_state=0)
    s.tell(params, scores)


PIPE = Pipeline([("scale", StandardScaler()), ("clf", CountingClassifier())])
INVALID_PARAMETER = "InvalidParameterError"  # sklearn's, a ValueError and a TypeError

# (bad input == test id, call, expected exception, regex the message must match)
# The regex names the offending parameter and, where there is one, the fix.
CASES = [
    # -- the search space --------------------------------------------------------------
    ("param_distributions={'CC': [1.0]}",
     lambda: _search(param_distributions={"CC": [1.0]}),
     ValueError, r"Invalid parameter\(s\) \['CC'\].*Valid parameters are: \['C', 'kind'\]"),
    ("Pipeline, param_distributions={'clf__CC': [1.0]}",
     lambda: _search(estimator=PIPE, param_distributions={"clf__CC": [1.0]}),
     ValueError, r"\['clf__CC'\].*Valid parameters are: .*'clf__C'.*'step__param'"),
    ("param_distributions=[{'C': [1.0]}, {'CC': [2.0]}]",
     lambda: _search(param_distributions=[{"C": [1.0]}, {"CC": [2.0]}]),
     ValueError, r"\['CC'\].*Valid parameters are"),
    ("param_distributions={}",
     lambda: _search(param_distributions={}),
     ValueError, r"param_distributions is an empty dict; give at least one parameter"),
    ("param_distributions=[]",
     lambda: _search(param_distributions=[]),
     ValueError, r"param_distributions is an empty list; give a dict or a non-empty list"),
    ("param_distributions=[{'C': [1.0]}, {}]",
     lambda: _search(param_distributions=[{"C": [1.0]}, {}]),
     ValueError, r"param_distributions\[1\] is an empty dict"),
    ("param_distributions={'C': []}",
     lambda: _search(param_distributions={"C": []}),
     ValueError, r"Parameter 'C' in param_distributions is an empty list; give at least one"),
    ("param_distributions={'C': 1.0}",
     lambda: _search(param_distributions={"C": 1.0}),
     TypeError, r"Parameter 'C' .* Wrap a single value in a list: \{'C': \[1.0\]\}"),
    ("param_distributions={'kind': 'a'}",
     lambda: _search(param_distributions={"kind": "a"}),
     TypeError, r"Parameter 'kind' .* Wrap a single value in a list: \{'kind': \['a'\]\}"),
    ("param_distributions={'C': None}",
     lambda: _search(param_distributions={"C": None}),
     TypeError, r"Parameter 'C' .*list of candidates or a scipy.stats distribution"),
    ("param_distributions={'C': {'low': 1}}",
     lambda: _search(param_distributions={"C": {"low": 1}}),
     TypeError, r"Parameter 'C' .*list of candidates or a scipy.stats distribution"),
    ("param_distributions={1: [1.0]}",
     lambda: _search(param_distributions={1: [1.0]}),
     TypeError, r"Parameter names in param_distributions must be strings, got 1"),
    ("param_distributions=[{'C': [1.0]}, 'kind']",
     lambda: _search(param_distributions=[{"C": [1.0]}, "kind"]),
     TypeError, r"param_distributions\[1\] must be a dict"),
    ("param_distributions={'C': loguniform}",
     lambda: _search(param_distributions={"C": loguniform}),
     ValueError, r"Parameter 'C' .* unfrozen distribution scipy.stats.loguniform.*"
                 r"freeze it .*: \{'C': loguniform\(a, b\)\}"),
    ("param_distributions={'C': randint(5, 5)}",
     lambda: _search(param_distributions={"C": randint(5, 5)}),
     ValueError, r"Parameter 'C' .* is randint\(5, 5\), whose arguments scipy rejects.*randint\(low, high\) needs low < high"),
    ("param_distributions={'C': uniform(1, -1)}",
     lambda: _search(param_distributions={"C": uniform(1, -1)}),
     ValueError, r"Parameter 'C' .* is uniform\(1, -1\), whose arguments scipy rejects.*needs scale >= 0"),
    ("param_distributions='C'",
     lambda: _search(param_distributions="C"),
     TypeError, r"'param_distributions' parameter .* must be an instance of 'dict' or an instance of 'list'"),
    # -- search settings ----------------------------------------------------------------
    ("n_iter=0", lambda: _search(n_iter=0),
     ValueError, r"'n_iter' parameter .* must be an int in the range \[1, inf\)"),
    ("n_iter=-1", lambda: _search(n_iter=-1),
     ValueError, r"'n_iter' parameter .* must be an int in the range \[1, inf\)"),
    ("n_iter=2.5", lambda: _search(n_iter=2.5),
     ValueError, r"'n_iter' parameter .* must be an int in the range \[1, inf\)"),
    ("n_iter='10'", lambda: _search(n_iter="10"),
     ValueError, r"'n_iter' parameter .* must be an int in the range \[1, inf\)"),
    ("scoring='acuracy'", lambda: _search(scoring="acuracy"),
     ValueError, r"'scoring' parameter .* must be a str among \{.*'accuracy'"),
    ("cv='five'", lambda: _search(cv="five"),
     ValueError, r"'cv' parameter .* must be an int in the range \[2, inf\)"),
    ("cv=1", lambda: _search(cv=1),
     ValueError, r"'cv' parameter .* must be an int in the range \[2, inf\)"),
    ("scoring=['accuracy', 'f1'], refit='roc_auc'",
     lambda: _search(scoring=["accuracy", "f1"], refit="roc_auc"),
     ValueError, r"the parameter refit must be set to a scorer key.*'roc_auc' was passed"),
    ("error_score='ignore'", lambda: _search(error_score="ignore"),
     ValueError, r"'error_score' parameter .* must be a str among \{'raise'\} or an instance of 'float'"),
    ("random_state='seed'", lambda: _search(random_state="seed"),
     ValueError, r"'random_state' parameter .* must be an int in the range"),
    # -- TPE settings of the search -------------------------------------------------------
    ("gamma=0", lambda: _search(gamma=0),
     ValueError, r"'gamma' parameter .* must be a float in the range \(0.0, 1.0\]"),
    ("gamma=1.5", lambda: _search(gamma=1.5),
     ValueError, r"'gamma' parameter .* must be a float in the range \(0.0, 1.0\]"),
    ("n_ei_candidates=0", lambda: _search(n_ei_candidates=0),
     ValueError, r"'n_ei_candidates' parameter .* must be an int in the range \[1, inf\)"),
    ("n_startup_trials=-1", lambda: _search(n_startup_trials=-1),
     ValueError, r"'n_startup_trials' parameter .* must be an int in the range \[0, inf\) or a str among \{'auto'\}"),
    ("bandwidth=0", lambda: _search(bandwidth=0),
     ValueError, r"'bandwidth' parameter .* must be a float in the range \(0.0, inf\)"),
    ("batch_size=0", lambda: _search(batch_size=0),
     ValueError, r"'batch_size' parameter .* must be an int in the range \[1, inf\) or a str among \{'auto'\}"),
    ("multivariate='yes'", lambda: _search(multivariate="yes"),
     ValueError, r"'multivariate' parameter .* must be an instance of 'bool'"),
    # -- TPESampler -----------------------------------------------------------------------
    ("TPESampler(gamma=0)", lambda: _sampler(gamma=0),
     ValueError, r"gamma=0 is invalid: use a float in \(0, 1\]"),
    ("TPESampler(gamma=1.5)", lambda: _sampler(gamma=1.5),
     ValueError, r"gamma=1.5 is invalid: use a float in \(0, 1\]"),
    ("TPESampler(n_ei_candidates=0)", lambda: _sampler(n_ei_candidates=0),
     ValueError, r"n_ei_candidates=0 is invalid: use a positive int"),
    ("TPESampler(n_startup_trials=-1)", lambda: _sampler(n_startup_trials=-1),
     ValueError, r"n_startup_trials=-1 is invalid: use a non-negative int"),
    ("TPESampler(bandwidth=0)", lambda: _sampler(bandwidth=0),
     ValueError, r"bandwidth=0 is invalid: use a positive finite float"),
    ("TPESampler(bandwidth=inf)", lambda: _sampler(bandwidth=float("inf")),
     ValueError, r"bandwidth=inf is invalid: use a positive finite float"),
    ("TPESampler(prior_weight=0)", lambda: _sampler(prior_weight=0),
     ValueError, r"prior_weight=0 is invalid: use a positive finite float"),
    ("TPESampler(multivariate='yes')", lambda: _sampler(multivariate="yes"),
     ValueError, r"multivariate='yes' is invalid: use True or False"),
    ("TPESampler(random_state='seed')", lambda: _sampler(random_state="seed"),
     ValueError, r"random_state='seed' is invalid: use None, an int or a numpy.random.RandomState"),
    ("TPESampler({'C': []})", lambda: _sampler(param_distributions={"C": []}),
     ValueError, r"Parameter 'C' in param_distributions is an empty list"),
    ("TPESampler({'C': loguniform})", lambda: _sampler(param_distributions={"C": loguniform}),
     ValueError, r"Parameter 'C' .* unfrozen distribution scipy.stats.loguniform"),
    ("TPESampler(...).ask(0)", lambda: _ask(0),
     ValueError, r"n_candidates=0 is invalid: use a positive int"),
    ("TPESampler(...).ask(2.5)", lambda: _ask(2.5),
     ValueError, r"n_candidates=2.5 is invalid: use a positive int"),
    ("TPESampler(...).tell([p1, p2], [0.5])",
     lambda: _tell([{"C": 1.0, "kind": "a"}, {"C": 2.0, "kind": "b"}], [0.5]),
     ValueError, r"tell got 2 parameter dicts but 1 scores; give one score per dict"),
    ("TPESampler(...).tell({'C': 99.0, 'kind': 'a'}, 0.5)",
     lambda: _tell({"C": 99.0, "kind": "a"}, 0.5),
     ValueError, r"not in the search space"),
]
IDS = [c[0] for c in CASES]
assert len(set(IDS)) == len(IDS), "duplicate case ids"


@pytest.mark.parametrize("call, exc, pattern", [c[1:] for c in CASES], ids=IDS)
def test_bad_input_raises_before_any_fit(call, exc, pattern):
    CountingClassifier.n_fits = 0
    with pytest.raises(exc) as info:
        call()
    assert re.search(pattern, str(info.value), re.S), str(info.value)
    assert CountingClassifier.n_fits == 0, "the estimator was fitted before the error"


def test_counting_classifier_counts_fits():
    """The control for the table above: a valid search does fit (3 candidates x 2 folds + refit)."""
    CountingClassifier.n_fits = 0
    _search(random_state=0)
    assert CountingClassifier.n_fits == 3 * 2 + 1


def _doc_rows():
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*`(.+?)`\s*\|\s*`?(\w+)`?(.*)\|\s*$", line)
        if m:
            rows.append((m.group(1), m.group(2)))
    return rows


def test_errors_doc_matches_cases():
    """docs/errors.md has exactly one row per case, with the exception the case expects."""
    rows = _doc_rows()
    documented = [r[0] for r in rows]
    assert sorted(documented) == sorted(IDS), (
        f"docs/errors.md is out of date (regenerate with python tests/gen_errors_table.py): "
        f"missing {sorted(set(IDS) - set(documented))}, extra {sorted(set(documented) - set(IDS))}"
    )
    expected = {c[0]: c[2] for c in CASES}
    for case_id, exc_name in rows:
        allowed = {expected[case_id].__name__, INVALID_PARAMETER}
        assert exc_name in allowed, (case_id, exc_name)
