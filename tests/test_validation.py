"""Bad input is rejected before the first fit, with a message that names it.

Every case is one row of ``CASES``. Its id is the bad input as a user would
write it, and docs/errors.md has one row per id (regenerate the doc with
``python tests/gen_errors_table.py``; ``test_errors_doc_matches_cases`` checks
that the two agree).
"""

import functools
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import beta, loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import KFold, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sktpe import TPESampler, TPESearchCV, one_std_error_rule, within_one_std_error
from sktpe import plotting

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


def _tell_provisional():
    """TPESampler(SPACE).tell(asked, 0.5, provisional='no')"""
    s = TPESampler(SPACE, random_state=0)
    s.tell(s.ask()[0], 0.5, provisional="no")


def _smoothed_with_inf_prior():
    s = TPESampler(SPACE, random_state=0)
    s.smoothed_scores([{"C": 1.0, "kind": "a"}, {"C": 2.0, "kind": "b"}], [0.1, 0.2],
                      prior_weight=float("inf"))


def _tell(params, scores):
    """TPESampler(SPACE).tell(params, scores)"""
    s = TPESampler(SPACE, random_state=0)
    s.tell(params, scores)


def _cv_results(params=({"alpha": 0.1}, {"alpha": 1.0}), metric="score"):
    """A hand-made cv_results_: 2 candidates, 2 folds."""
    out = {"params": list(params), f"mean_test_{metric}": np.array([0.9, 0.8]),
           f"std_test_{metric}": np.array([0.02, 0.01])}
    for i in range(2):
        out[f"split{i}_test_{metric}"] = np.array([0.9, 0.8])
    return out


PIPE_PARAMS = ({"logisticregression__C": 0.1}, {"logisticregression__C": 1.0})
PIPE_SPACE = {"logisticregression__C": loguniform(1e-2, 1e2)}


@functools.lru_cache(maxsize=None)
def _fitted():
    """TPESearchCV(make_pipeline(StandardScaler(), LogisticRegression()), PIPE_SPACE, n_iter=4)"""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return TPESearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()), PIPE_SPACE, n_iter=4, cv=2,
        n_startup_trials=2, random_state=0,
    ).fit(*_data())


@functools.lru_cache(maxsize=None)
def _fitted_random():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import RandomizedSearchCV

    return RandomizedSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, n_iter=2, cv=2,
                              random_state=0).fit(*_data())


def _unfitted():
    from sklearn.linear_model import LogisticRegression

    return TPESearchCV(LogisticRegression(), {"C": loguniform(1e-2, 1e2)})


def _split_densities(name, **kw):
    """TPESampler(SPACE) told 3 trials, then .split_densities(name, **kw)"""
    s = TPESampler(SPACE, random_state=0)
    for _ in range(3):
        (p,) = s.ask()
        s.tell(p, 0.5)
    s.split_densities(name, **kw)


def _frame():
    pd = pytest.importorskip("pandas")

    return pd.DataFrame({"C": [0.1, 1.0], "kind": ["a", "b"]})


class NaNScoreClassifier(CountingClassifier):
    """Scores NaN on every fold (no fit fails)."""

    n_fits = 0

    def score(self, X, y=None):
        return float("nan")


class OwnCountClassifier(CountingClassifier):
    """A CountingClassifier with a count of its own (fitted searches as input)."""

    n_fits = 0


def _tied(results):
    """The hand-made cv_results_ with both candidates scoring 0.9."""
    results["mean_test_score"] = np.array([0.9, 0.9])
    return results


def _told():
    """TPESampler(SPACE) told two trials."""
    s = TPESampler(SPACE, random_state=0)
    s.tell([{"C": 1.0, "kind": "a"}, {"C": 2.0, "kind": "b"}], [0.1, 0.2])
    return s


@functools.lru_cache(maxsize=None)
def _fitted_one():
    """TPESearchCV(CountingClassifier(), SPACE, n_iter=1, cv=2).fit(X, y)"""
    return TPESearchCV(OwnCountClassifier(), SPACE, n_iter=1, cv=2, random_state=0).fit(*_data())


@functools.lru_cache(maxsize=None)
def _fitted_nan():
    """TPESearchCV(NaNScoreClassifier(), SPACE, n_iter=3, cv=2, refit=False).fit(X, y)"""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the non-finite score warning
        return TPESearchCV(
            NaNScoreClassifier(), SPACE, n_iter=3, cv=2, refit=False, random_state=0,
        ).fit(*_data())


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
    ("param_distributions=[]",
     lambda: _search(param_distributions=[]),
     ValueError, r"param_distributions is an empty list; give a dict or a non-empty list"),
    ("param_distributions={'C': loguniform([1e-3, 1e-2], 1e3)}",
     lambda: _search(param_distributions={"C": loguniform([1e-3, 1e-2], 1e3)}),
     ValueError, r"Parameter 'C' in param_distributions is .*array arguments"),
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
    ("param_distributions={'C': randint(2**60, 2**60 + 10)}",
     lambda: _search(param_distributions={"C": randint(2**60, 2**60 + 10)}),
     ValueError, r"Parameter 'C' .* whose integers lie beyond 2\*\*53 .*randint\(0, 10\), "
                 r"adding 1152921504606846976 in the estimator"),
    ("param_distributions={'C': randint(1, 5, loc=0.5)}",
     lambda: _search(param_distributions={"C": randint(1, 5, loc=0.5)}),
     ValueError, r"Parameter 'C' .* discrete distribution on values that are not integers "
                 r"\(from 1\.5: a loc that is not an integer\).*integer loc"),
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
     ValueError, r"scoring='acuracy': 'acuracy' is not a scorer name; did you mean 'accuracy'"),
    ("scoring='acc'", lambda: _search(scoring="acc"),
     ValueError, r"did you mean 'accuracy'"),
    ("scoring={'acc': 'acuracy', 'f1': 'f1'}, refit='f1'",
     lambda: _search(scoring={"acc": "acuracy", "f1": "f1"}, refit="f1"),
     ValueError, r"'acuracy' is not a scorer name; did you mean 'accuracy'"),
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
     ValueError, r"'batch_size' parameter .* must be an int in the range \[1, inf\) or a str among \{('async', 'auto'|'auto', 'async')\}"),
    ("multivariate='yes'", lambda: _search(multivariate="yes"),
     ValueError, r"'multivariate' parameter .* must be an instance of 'bool'"),
    # -- TPESampler -----------------------------------------------------------------------
    ("TPESampler(gamma=0)", lambda: _sampler(gamma=0),
     ValueError, r"'gamma' parameter of TPESampler must be a float in the range \(0.0, 1.0\]"),
    ("TPESampler(gamma=1.5)", lambda: _sampler(gamma=1.5),
     ValueError, r"'gamma' parameter of TPESampler must be a float in the range \(0.0, 1.0\]"),
    ("TPESampler(n_ei_candidates=0)", lambda: _sampler(n_ei_candidates=0),
     ValueError, r"'n_ei_candidates' parameter of TPESampler must be an int in the range \[1, inf\)"),
    ("TPESampler(n_startup_trials=-1)", lambda: _sampler(n_startup_trials=-1),
     ValueError, r"'n_startup_trials' parameter of TPESampler must be an int in the range \[0, inf\)"),
    ("TPESampler(bandwidth=0)", lambda: _sampler(bandwidth=0),
     ValueError, r"'bandwidth' parameter of TPESampler must be a float in the range \(0.0, inf\)"),
    ("TPESampler(bandwidth=inf)", lambda: _sampler(bandwidth=float("inf")),
     ValueError, r"'bandwidth' parameter of TPESampler must be a float in the range \(0.0, inf\). Got inf"),
    ("TPESampler(prior_weight=0)", lambda: _sampler(prior_weight=0),
     ValueError, r"'prior_weight' parameter of TPESampler must be a float in the range \(0.0, inf\)"),
    ("TPESampler(multivariate='yes')", lambda: _sampler(multivariate="yes"),
     ValueError, r"'multivariate' parameter of TPESampler must be an instance of 'bool'"),
    ("TPESampler(random_state='seed')", lambda: _sampler(random_state="seed"),
     ValueError, r"'random_state' parameter of TPESampler must be an int in the range"),
    ("TPESampler({'C': []})", lambda: _sampler(param_distributions={"C": []}),
     ValueError, r"Parameter 'C' in param_distributions is an empty list"),
    ("TPESampler({'C': loguniform})", lambda: _sampler(param_distributions={"C": loguniform}),
     ValueError, r"Parameter 'C' .* unfrozen distribution scipy.stats.loguniform"),
    ("TPESampler(...).split_densities('CC')", lambda: _split_densities("CC"),
     ValueError, r"'CC' is not a parameter of the search space; did you mean 'C'\?"),
    ("TPESampler(...).split_densities('C', n_trials=9)", lambda: _split_densities("C", n_trials=9),
     ValueError, r"n_trials=9 is invalid: use None or an int from 1 to 3"),
    ("TPESampler(...).split_densities('C', branch=3)", lambda: _split_densities("C", branch=3),
     ValueError, r"branch=3 is invalid: use None or an int from 0 to 0"),
    ("TPESampler(...).ask(0)", lambda: _ask(0),
     ValueError, r"'n_candidates' parameter of TPESampler.ask must be an int in the range \[1, inf\)"),
    ("TPESampler(...).ask(2.5)", lambda: _ask(2.5),
     ValueError, r"'n_candidates' parameter of TPESampler.ask must be an int in the range \[1, inf\)"),
    ("TPESampler(...).tell([p1, p2], [0.5])",
     lambda: _tell([{"C": 1.0, "kind": "a"}, {"C": 2.0, "kind": "b"}], [0.5]),
     ValueError, r"tell got 2 parameter dicts but 1 scores; give one score per dict"),
    ("TPESampler(...).tell({'C': 99.0, 'kind': 'a'}, 0.5)",
     lambda: _tell({"C": 99.0, "kind": "a"}, 0.5),
     ValueError, r"not in the search space"),
    ("TPESampler(...).tell(None, 0.5)", lambda: _tell(None, 0.5),
     TypeError, r"tell got params=None; give a parameter dict, or a list of them"),
    ("TPESampler(...).tell([p, 'C'], [0.5, 0.6])", lambda: _tell([{"C": 1.0, "kind": "a"}, "C"],
                                                                 [0.5, 0.6]),
     TypeError, r"tell got 'C' of type str among params; each must be a parameter dict"),
    ("TPESampler(...).tell(p, 0.5, provisional='no')", _tell_provisional,
     TypeError, r"tell got provisional='no'; use True or False"),
    ("TPESampler(...).smoothed_scores([p1, p2], [0.1, 0.2], prior_weight=inf)",
     _smoothed_with_inf_prior,
     TypeError, r"smoothed_scores got prior_weight=inf; give a finite number, or None"),
]

# -- the refit rules (sktpe._noise) ------------------------------------------------
# cv_results_ rows use a hand-made cv_results_ of 2 candidates over 2 folds.
CASES += [
    ("one_std_error_rule(('C', 'small'))", lambda: one_std_error_rule(("C", "small")),
     ValueError, r"prefer=\('C', 'small'\) is invalid: give a callable .* or a pair \(param_name, 'low' \| 'high'\)"),
    ("one_std_error_rule('C')", lambda: one_std_error_rule("C"),
     ValueError, r"prefer='C' is invalid: .*e.g. \('C', 'low'\)"),
    ("one_std_error_rule(('C', 'low'), ddof=-1)", lambda: one_std_error_rule(("C", "low"), ddof=-1),
     ValueError, r"ddof=-1 is invalid: use a non-negative int"),
    ("one_std_error_rule(('C', 'low'), metric=None)",
     lambda: one_std_error_rule(("C", "low"), metric=None),
     ValueError, r"metric=None is invalid: use a str"),
    ("one_std_error_rule(('alhpa', 'low'))(cv_results_)",
     lambda: one_std_error_rule(("alhpa", "low"))(_cv_results()),
     ValueError, r"prefer=\('alhpa', 'low'\) names the unknown parameter 'alhpa'; did you mean 'alpha'\?"),
    ("Pipeline, one_std_error_rule(('C', 'low'))(cv_results_)",
     lambda: one_std_error_rule(("C", "low"))(_cv_results(PIPE_PARAMS)),
     ValueError, r"unknown parameter 'C'; did you mean 'logisticregression__C'\?"),
    ("one_std_error_rule(('alpha', 'low'), metric='f1')(cv_results_)",
     lambda: one_std_error_rule(("alpha", "low"), metric="f1")(_cv_results()),
     ValueError, r"metric='f1' names the unknown metric 'f1'; use one of \['score'\]"),
    ("within_one_std_error(cv_results_, metric='acuracy')",
     lambda: within_one_std_error(_cv_results(metric="accuracy"), metric="acuracy"),
     ValueError, r"metric='acuracy' names the unknown metric 'acuracy'; did you mean 'accuracy'\?"),
    ("within_one_std_error(cv_results_, ddof=2)",
     lambda: within_one_std_error(_cv_results(), ddof=2),
     ValueError, r"ddof=2 is invalid: use 0 <= ddof < n_splits=2"),
    ("within_one_std_error([0.9, 0.8])", lambda: within_one_std_error([0.9, 0.8]),
     TypeError, r"cv_results is a list; pass a fitted search's cv_results_ dict, or the fitted search itself"),
]

# -- the plots (sktpe.plotting) ----------------------------------------------------
# search is _fitted(): a pipeline whose parameter is 'logisticregression__C'.
CASES += [
    ("plot_param_score(search, 'C')", lambda: plotting.plot_param_score(_fitted(), "C"),
     ValueError, r"No candidate has parameter 'C'; did you mean 'logisticregression__C'\?"),
    ("plot_param_score(search, name, log='yes')",
     lambda: plotting.plot_param_score(_fitted(), "logisticregression__C", log="yes"),
     ValueError, r"log='yes' is invalid: use None, True or False"),
    ("plot_param_score(unfitted, 'C')", lambda: plotting.plot_param_score(_unfitted(), "C"),
     ValueError, r"TPESearchCV is not fitted: call fit before plotting"),
    ("plot_optimization_history(search, baseline=unfitted)",
     lambda: plotting.plot_optimization_history(_fitted(), baseline=_unfitted()),
     ValueError, r"baseline: TPESearchCV is not fitted: call fit"),
    ("plot_optimization_history(cv_results_)",
     lambda: plotting.plot_optimization_history(_cv_results()),
     TypeError, r"search is a dict; pass a fitted search \(TPESearchCV, RandomizedSearchCV ...\) itself, not its cv_results_"),
    ("param_importances(search, n_estimators=0)",
     lambda: plotting.param_importances(_fitted(), n_estimators=0),
     ValueError, r"n_estimators=0 is invalid: use a positive int"),
    ("plot_param_importances(search, n_repeats=0)",
     lambda: plotting.plot_param_importances(_fitted(), n_repeats=0),
     ValueError, r"n_repeats=0 is invalid: use a positive int"),
    ("param_importances(search, random_state='x')",
     lambda: plotting.param_importances(_fitted(), random_state="x"),
     ValueError, r"random_state='x' is invalid: use an int from 0 to 2\*\*32 - 1, a numpy RandomState, or None"),
    ("plot_optimization_history(search, ax='x')",
     lambda: plotting.plot_optimization_history(_fitted(), ax="x"),
     TypeError, r"ax='x' is not a matplotlib Axes; give one .* or None for a new figure"),
    ("plot_split_densities(search, 'C')", lambda: plotting.plot_split_densities(_fitted(), "C"),
     ValueError, r"'C' is not a parameter of the search space; did you mean 'logisticregression__C'\?"),
    ("plot_split_densities(search, name, trial=99)",
     lambda: plotting.plot_split_densities(_fitted(), "logisticregression__C", trial=99),
     ValueError, r"trial=99 is invalid: use an int from 1 to 4"),
    ("plot_split_densities(search, name, branch=1)",
     lambda: plotting.plot_split_densities(_fitted(), "logisticregression__C", branch=1),
     ValueError, r"branch=1 is invalid: use None or an int from 0 to 0"),
    ("plot_split_densities(RandomizedSearchCV, 'C')",
     lambda: plotting.plot_split_densities(_fitted_random(), "C"),
     ValueError, r"RandomizedSearchCV has no TPE sampler: pass a fitted TPESearchCV or a TPESampler"),
]
# -- issue 21: more classes of input --------------------------------------------------
CASES += [
    ("param_distributions={'C': (1e-3, 1e3, 'log-uniform')}",
     lambda: _search(param_distributions={"C": (1e-3, 1e3, "log-uniform")}),
     ValueError, r"Parameter 'C' .*scikit-optimize's syntax.*\{'C': loguniform\(0.001, 1000.0\)\}"),
    ("param_distributions={'C': (1, 10, 'uniform')}",
     lambda: _search(param_distributions={"C": (1, 10, "uniform")}),
     ValueError, r"Parameter 'C' .*scikit-optimize's syntax.*\{'C': randint\(1, 11\)\}"),
    ("param_distributions={'kind': {'a', 'b'}}",
     lambda: _search(param_distributions={"kind": {"a", "b"}}),
     TypeError, r"Parameter 'kind' .* is a set, which has no order.*\{'kind': sorted\(...\)\}"),
    ("param_distributions={'kind': (k for k in 'ab')}",
     lambda: _search(param_distributions={"kind": (k for k in "ab")}),
     TypeError, r"Parameter 'kind' .* is a generator, which can be read only once.*list\(...\)"),
    ("param_distributions={'C': np.ones((2, 2))}",
     lambda: _search(param_distributions={"C": np.ones((2, 2))}),
     ValueError, r"Parameter 'C' .* is a 2-D numpy array.*list\(array\).*array.ravel\(\)"),
    ("param_distributions={'C': pd.DataFrame(...)}",
     lambda: _search(param_distributions={"C": _frame()}),
     TypeError, r"Parameter 'C' .* is a DataFrame; give one column.*frame\['column'\].tolist\(\)"),
    ("param_distributions={'C': beta}",
     lambda: _search(param_distributions={"C": beta}),
     ValueError, r"Parameter 'C' .* unfrozen distribution scipy.stats.beta.*\{'C': beta\(a, b\)\}"),
    ("initial_candidates=[3]", lambda: _search(initial_candidates=[3]),
     TypeError, r"initial_candidates\[0\] is 3 of type int; initial_candidates must be a list of parameter dicts"),
    ("initial_candidates=[{'C': 1.0, 'kind': 'a'}, None]",
     lambda: _search(initial_candidates=[{"C": 1.0, "kind": "a"}, None]),
     TypeError, r"initial_candidates\[1\] is None of type NoneType"),
    ("initial_candidates={'C': 1.0, 'kind': 'a'}",
     lambda: _search(initial_candidates={"C": 1.0, "kind": "a"}),
     ValueError, r"'initial_candidates' parameter .* must be an instance of 'list' or None"),
    ("initial_candidates=[{'CC': 1.0}]", lambda: _search(initial_candidates=[{"CC": 1.0}]),
     ValueError, r"initial_candidates\[0\] = \{'CC': 1.0\} is not in param_distributions"),
    ("n_iter=3, initial_candidates=[{'C': 1.0, 'kind': 'a'}] * 4",
     lambda: _search(initial_candidates=[{"C": 1.0, "kind": "a"}] * 4),
     ValueError, r"initial_candidates holds 4 candidates, more than n_iter=3, .* set n_iter=4 or more"),
    ("TPESampler(SPACE).tell({'C': 1.0, 'kind': 'a'}, '0.5')",
     lambda: TPESampler(SPACE).tell({"C": 1.0, "kind": "a"}, "0.5"),
     TypeError, r"tell got the score '0.5' of type str; scores must be real numbers .*float\('0.5'\)"),
    ("TPESampler(SPACE).tell({'C': 1.0, 'kind': 'a'}, None)",
     lambda: TPESampler(SPACE).tell({"C": 1.0, "kind": "a"}, None),
     TypeError, r"tell got the score None of type NoneType; scores must be real numbers \(NaN for a failed"),
    ("smoothed_scores(..., width=0)",
     lambda: _told().smoothed_scores([{"C": 1.0, "kind": "a"}], [0.5], width=0),
     ValueError, r"smoothed_scores got width=0.0 .* width must be above 0"),
    ("split_densities('C', n_points=0)",
     lambda: _told().split_densities("C", n_points=0),
     ValueError, r"n_points=0 is invalid: use an int of at least 1"),
    # degenerate searches: no trials, one trial, every score NaN
    ("TPESampler(SPACE).split_densities('C') before any tell",
     lambda: TPESampler(SPACE).split_densities("C"),
     ValueError, r"split_densities needs told trials, and this sampler has none yet"),
    ("plot_split_densities(search of n_iter=1, name)",
     lambda: plotting.plot_split_densities(_fitted_one(), "C"),
     ValueError, r"plot_split_densities needs at least 2 trials .* the search has 1; run more candidates"),
    ("plot_param_score(search whose every score is NaN, 'C')",
     lambda: plotting.plot_param_score(_fitted_nan(), "C"),
     ValueError, r"No candidate has a finite mean_test_score \(every fit failed or scored NaN\)"),
    ("one_std_error_rule(('C', 'low'))(search whose every score is NaN)",
     lambda: one_std_error_rule(("C", "low"))(_fitted_nan()),
     ValueError, r"No candidate has a finite mean_test_score \(every fit failed or scored NaN\), so none can be selected"),
    ("param_importances(search whose every score is NaN)",
     lambda: plotting.param_importances(_fitted_nan()),
     ValueError, r"param_importances needs at least 2 candidates with a finite score, got 0"),
    ("one_std_error_rule(('max_features', 'low')) over 'sqrt' and 0.5",
     lambda: one_std_error_rule(("max_features", "low"))(
         _tied(_cv_results(({"max_features": "sqrt"}, {"max_features": 0.5})))),
     ValueError, r"prefer=\('max_features', 'low'\) cannot order the values .*pass a callable"),
]
# -- racing -------------------------------------------------------------------------------
CASES += [
    ("racing='yes'", lambda: _search(racing="yes"),
     ValueError, r"'racing' parameter .* must be an instance of 'bool'"),
]


# -- the journal ---------------------------------------------------------------------------
_JOURNALS = tempfile.TemporaryDirectory(prefix="sktpe-validation-")  # removed at exit


def _journal_path(name):
    """A path in a new folder (the cases also run outside pytest: no tmp_path)."""
    return str(Path(tempfile.mkdtemp(dir=_JOURNALS.name)) / name)


def _journal_of_another(**change):
    """A journal written by _search(random_state=0), then resumed with ``change``."""
    path = _journal_path("j.jsonl")
    _search(journal=path, random_state=0)
    CountingClassifier.n_fits = 0
    _search(**{"journal": path, "random_state": 0, **change})


def _journal_a_directory():
    path = _journal_path("runs")
    Path(path).mkdir()
    _search(journal=path)


def _not_a_journal():
    path = _journal_path("notes.txt")
    Path(path).write_text("my notes\n")
    _search(journal=path)


CASES += [
    ("journal in a folder that does not exist",
     lambda: _search(journal=_journal_path("missing/j.jsonl")),
     ValueError, r"journal=.*j.jsonl' cannot be written \(No such file or directory\)\. Give the "
                 r"path of a file sktpe can write, in a folder that exists"),
    ("journal=<a directory>", _journal_a_directory,
     ValueError, r"journal=.* cannot be written \(Is a directory\)"),
    ("journal=42", lambda: _search(journal=42),
     ValueError, r"'journal' parameter .* must be an instance of 'str', an instance of 'os.PathLike' or None"),
    ("journal='notes.txt' (not a journal)", _not_a_journal,
     ValueError, r"journal=.*notes.txt' is not an sktpe journal .*left as it is.*Give the path of a new file"),
    ("journal of a search with random_state=0, resumed with random_state=1",
     lambda: _journal_of_another(random_state=1),
     ValueError, r"another random_state \(0 there, 1 here\)\. Resume it with the same random_state"),
    ("journal of a search on SPACE, resumed on {'C': uniform(0.1, 5), ...}",
     lambda: _journal_of_another(param_distributions={"C": uniform(0.1, 5), "kind": ["a", "b"]}),
     ValueError, r"another param_distributions .* or give a new file"),
]

def _reevaluate_on(cv):
    _search(selection="reevaluate", cv=cv)


def _reevaluate_on_listed_splits():
    X, _ = _data()
    _reevaluate_on(list(KFold(2).split(X)))


CASES += [
    ("selection='reevaluate', cv=TimeSeriesSplit()",
     lambda: _reevaluate_on(TimeSeriesSplit(2)),
     ValueError, r"selection='reevaluate' .* reshuffled copy of cv, but cv=TimeSeriesSplit\(.*\) takes "
                 r"no random_state.*KFold\(5, shuffle=True\).*or set selection='best'"),
    ("selection='reevaluate', cv=[(train, test), ...]", _reevaluate_on_listed_splits,
     ValueError, r"but cv \(an iterable of splits, list\) takes no random_state"),
    ("selection='pick'", lambda: _search(selection="pick"),
     ValueError, r"'selection' parameter .* must be a str among .*'reevaluate'"),
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
