"""Issue 21, classes of input: each works as RandomizedSearchCV samples it, or
gets an error whose advice works (the error rows are cases of test_validation)."""

import numpy as np
import pytest
from scipy import stats
from sklearn.model_selection import ParameterSampler

from sktpe import TPESampler, TPESearchCV, one_std_error_rule, plotting

from conftest import ParamScoreClassifier

X = np.random.RandomState(0).normal(size=(40, 3))
y = (X[:, 0] > 0).astype(int)


def _num(v):
    return float(v) if isinstance(v, (int, float, np.number)) else float(len(str(v)))


def _asked(dist, n=8, **kw):
    sampler = TPESampler({"v": dist}, n_startup_trials=4, random_state=0, **kw)
    out = []
    for _ in range(n):
        batch = sampler.ask()
        if not batch:
            break
        sampler.tell(batch, [float(np.sin(_num(p["v"]))) for p in batch])
        out.extend(p["v"] for p in batch)
    return out


def _sklearn_draws(dist, n=50):
    """What RandomizedSearchCV samples (its ParameterSampler)."""
    return [p["v"] for p in ParameterSampler({"v": dist, "w": stats.uniform()}, n, random_state=0)]


HIST = np.histogram(np.random.RandomState(0).normal(size=200), bins=6)
SAMPLE = stats.rv_discrete(values=([1, 3, 7], [0.2, 0.5, 0.3]))
FLOAT_SAMPLE = stats.rv_discrete(values=([0.5, 1.5, 2.25], [0.2, 0.5, 0.3]))

# Distributions of every kind: frozen continuous and discrete, generic ones
# without shape parameters (RandomizedSearchCV samples them as they are).
DISTS = {
    "norm(2, 3)": stats.norm(2, 3),
    "beta(2, 5)": stats.beta(2, 5),
    "lognorm(1)": stats.lognorm(1),
    "truncnorm(-1, 2)": stats.truncnorm(-1, 2),
    "poisson(4)": stats.poisson(4),
    "geom(0.3)": stats.geom(0.3),
    "binom(10, 0.4)": stats.binom(10, 0.4),
    "bernoulli(0.3)": stats.bernoulli(0.3),
    "randint(0, 5, loc=10)": stats.randint(0, 5, loc=10),
    "norm (no shapes, unfrozen)": stats.norm,
    "expon (no shapes, unfrozen)": stats.expon,
    "rv_histogram(...)": stats.rv_histogram(HIST),
    "rv_histogram(...)()": stats.rv_histogram(HIST)(),
    "rv_discrete(values=...)": SAMPLE,
    "rv_discrete(values=...)()": SAMPLE(),
    "rv_discrete(values=floats)": FLOAT_SAMPLE,
}


def _support_of(dist):
    frozen = dist() if isinstance(dist, (stats.rv_continuous, stats.rv_discrete)) else dist
    return frozen


@pytest.mark.parametrize("dist", list(DISTS.values()), ids=list(DISTS))
def test_every_scipy_distribution_is_searched_within_what_randomizedsearchcv_samples(dist):
    frozen = _support_of(dist)
    values = _asked(dist)
    assert len(values) >= 2
    discrete = isinstance(getattr(frozen, "dist", None), stats.rv_discrete)
    for v in values:
        if discrete:
            assert frozen.pmf(v) > 0, f"{v} has no mass under {dist}"
        else:
            lo, hi = frozen.support()
            assert lo <= v <= hi and np.isfinite(v)
    # RandomizedSearchCV samples it too, from the same support
    drawn = _sklearn_draws(dist)
    if discrete:
        assert all(frozen.pmf(v) > 0 for v in drawn)


def test_rv_discrete_values_keeps_to_the_listed_values():
    assert sorted(set(_asked(SAMPLE, n=10))) == [1, 3, 7]
    assert TPESampler({"v": SAMPLE}).space_.size == 3
    assert sorted(set(_asked(FLOAT_SAMPLE, n=10))) == [0.5, 1.5, 2.25]


def test_search_with_rv_histogram_and_rv_discrete_values():
    search = TPESearchCV(
        ParamScoreClassifier(), {"x": stats.rv_histogram(HIST), "n": SAMPLE}, n_iter=6, cv=2,
        random_state=0,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert {p["n"] for p in search.cv_results_["params"]} <= {1, 3, 7}


NEW = {}
if hasattr(stats, "Normal"):  # scipy >= 1.15: the new distribution objects
    NEW = {
        "Normal(mu=2, sigma=0.5)": stats.Normal(mu=2, sigma=0.5),
        "Uniform(a=-1, b=3)": stats.Uniform(a=-1, b=3),
        "truncate(Normal(), lb=-1, ub=2)": stats.truncate(stats.Normal(), lb=-1, ub=2),
        "exp(Uniform(a=-3, b=3))": stats.exp(stats.Uniform(a=-3, b=3)),
        "make_distribution(loguniform)(a=1e-3, b=1e3)":
            stats.make_distribution(stats.loguniform)(a=1e-3, b=1e3),
    }
    if hasattr(stats, "Binomial"):
        NEW["Binomial(n=10, p=0.3)"] = stats.Binomial(n=10, p=0.3)


@pytest.mark.skipif(not NEW, reason="scipy < 1.15 has no new distribution objects")
@pytest.mark.parametrize("name", list(NEW))
def test_scipy_new_distribution_objects_are_searched(name):
    dist = NEW[name]
    lo, hi = (float(b) for b in dist.support())
    values = _asked(dist)
    assert len(values) == 8 and all(lo <= v <= hi for v in values)
    if "Binomial" in name:
        assert all(float(v).is_integer() for v in values)
    search = TPESearchCV(ParamScoreClassifier(), {"x": dist}, n_iter=4, cv=2, random_state=0)
    search.fit(X, y)
    assert all(lo <= p["x"] <= hi for p in search.cv_results_["params"])


@pytest.mark.skipif(not NEW, reason="scipy < 1.15 has no new distribution objects")
def test_a_clone_or_pickle_of_a_search_on_a_normal_searches_the_same_normal():
    """scipy copies Normal(mu, sigma) into a StandardNormal that ignores mu and sigma: a
    clone (nested CV), a pickled search and a pickled sampler searched N(0, 1)."""
    import pickle

    from sklearn.base import clone

    def make():
        return TPESearchCV(ParamScoreClassifier(),
                           {"x": stats.truncate(stats.Normal(mu=100, sigma=10), lb=50, ub=150),
                            "c": stats.Normal(mu=100, sigma=10)},
                           n_iter=5, cv=2, random_state=0)

    def drawn(search):
        return [(p["x"], p["c"]) for p in search.fit(X, y).cv_results_["params"]]

    first = drawn(make())
    assert all(50 <= x <= 150 and c > 50 for x, c in first)
    assert drawn(clone(make())) == first
    assert drawn(pickle.loads(pickle.dumps(make()))) == first

    def told(sampler, n):
        out = []
        for _ in range(n):
            p = sampler.ask()[0]
            sampler.tell(p, -abs(p["c"] - 105.0))
            out.append(p["c"])
        return out

    sampler = TPESampler({"c": stats.Normal(mu=100, sigma=10)}, random_state=0)
    told(sampler, 5)
    again = pickle.loads(pickle.dumps(sampler))
    assert told(again, 5) == told(sampler, 5)


@pytest.mark.skipif(not NEW, reason="scipy < 1.15 has no new distribution objects")
def test_a_new_distribution_object_for_a_parameter_of_a_listed_estimator():
    """A dict of a conditional space setting a parameter of an estimator it lists (one
    get_params does not show) is checked by set_params on a drawn example: it drew with
    rvs, which the new distribution objects lack, and the fit failed with a TypeError."""
    from sklearn.pipeline import Pipeline
    from sklearn.svm import SVC

    pipe = Pipeline([("clf", ParamScoreClassifier())])
    space = [{"clf": [SVC()], "clf__gamma": stats.Uniform(a=1e-3, b=10.0)},
             {"clf": [ParamScoreClassifier()], "clf__x": stats.Uniform(a=0.0, b=1.0)}]
    search = TPESearchCV(pipe, space, n_iter=4, cv=2, random_state=0).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    with pytest.raises(ValueError, match=r"Invalid parameter\(s\) \['clf__gammma'\]"):
        TPESearchCV(pipe, [{"clf": [SVC()], "clf__gammma": stats.Uniform(a=1e-3, b=10.0)}],
                    n_iter=4, cv=2).fit(X, y)


@pytest.mark.skipif(not NEW, reason="scipy < 1.15 has no new distribution objects")
def test_a_new_distribution_class_gets_advice():
    with pytest.raises(ValueError, match=r"distribution class .* create it with them"):
        TPESampler({"v": stats.make_distribution(stats.loguniform)})


# -- containers for a list -----------------------------------------------------------
def _containers():
    pd = pytest.importorskip("pandas")
    return {
        "list": ["a", "b", "c"],
        "tuple": ("a", "b", "c"),
        "numpy array": np.array(["a", "b", "c"]),
        "pandas Series": pd.Series(["a", "b", "c"]),
        "pandas Series, other index": pd.Series(["a", "b", "c"], index=[10, 20, 30]),
        "pandas Index": pd.Index(["a", "b", "c"]),
    }


@pytest.mark.parametrize(
    "name", ["list", "tuple", "numpy array", "pandas Series", "pandas Series, other index",
             "pandas Index"],
)
def test_containers_for_a_list_give_its_values(name):
    kinds = _containers()[name]
    search = TPESearchCV(
        ParamScoreClassifier(), {"kind": kinds, "x": stats.uniform()}, n_iter=8, cv=2,
        random_state=0,
    ).fit(X, y)
    assert {p["kind"] for p in search.cv_results_["params"]} <= {"a", "b", "c"}
    # a space of lists alone is evaluated in ParameterGrid order, as RandomizedSearchCV would
    grid = TPESearchCV(ParamScoreClassifier(), {"kind": kinds}, n_iter=3, cv=2).fit(X, y)
    assert [p["kind"] for p in grid.cv_results_["params"]] == ["a", "b", "c"]


def test_range_is_a_list_of_ints():
    search = TPESearchCV(ParamScoreClassifier(), {"n": range(1, 6)}, n_iter=5, cv=2).fit(X, y)
    assert [p["n"] for p in search.cv_results_["params"]] == [1, 2, 3, 4, 5]


def test_the_advice_for_a_set_works():
    with pytest.raises(TypeError, match=r"sorted\(\.\.\.\)"):
        TPESampler({"kind": {"b", "a"}})
    TPESampler({"kind": sorted({"b", "a"})})


# -- scikit-optimize's space syntax ----------------------------------------------------
@pytest.mark.parametrize(
    "dim, fix",
    [((1e-3, 1e3, "log-uniform"), stats.loguniform(1e-3, 1e3)),
     ((0.1, 0.9, "uniform"), stats.uniform(0.1, 0.9 - 0.1)),
     ((2, 8, "uniform"), stats.randint(2, 9))],
)
def test_skopt_dimension_is_detected_and_its_advice_works(dim, fix):
    with pytest.raises(ValueError, match="scikit-optimize"):
        TPESampler({"C": dim})
    lo, hi = dim[:2]
    values = _asked(fix)
    assert all(lo <= v <= hi for v in values)


def test_tuples_of_categories_are_still_lists():
    assert set(_asked((1, 2, "x"), n=3)) == {1, 2, "x"}
    assert set(_asked((0.1, 1.0), n=2)) == {0.1, 1.0}


# -- helpers on degenerate searches: the passing side -------------------------------------
def test_helpers_on_one_trial():
    search = TPESearchCV(
        ParamScoreClassifier(), {"x": stats.uniform()}, n_iter=1, cv=2, random_state=0
    ).fit(X, y)
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    plotting.plot_optimization_history(search)
    plotting.plot_param_score(search, "x")
    assert one_std_error_rule(("x", "low"))(search.cv_results_) == 0
    d = search.sampler_.split_densities("x")
    # One score is nothing to split on: the good set is empty (l(x) is the prior).
    assert (d["n_good"], d["n_bad"]) == (0, 1)
