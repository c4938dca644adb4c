"""Search-space handling: property tests over random spaces and input validation."""

import numbers
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from conftest import SelfReferring
from sktpe import TPESampler

# --------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------
_f = st.floats


@st.composite
def continuous_dists(draw):
    kind = draw(st.sampled_from(["uniform", "loguniform", "norm", "beta", "truncnorm", "expon"]))
    if kind == "uniform":
        return stats.uniform(draw(_f(-10, 10)), draw(_f(0.01, 100)))
    if kind == "loguniform":
        a = draw(_f(1e-5, 10))
        return stats.loguniform(a, a * draw(_f(1.5, 1e6)))
    if kind == "norm":
        return stats.norm(draw(_f(-100, 100)), draw(_f(0.01, 100)))
    if kind == "beta":
        return stats.beta(draw(_f(0.3, 5)), draw(_f(0.3, 5)))
    if kind == "expon":
        return stats.expon(draw(_f(-5, 5)), draw(_f(0.1, 10)))
    a = draw(_f(-3, 2))
    b = a + draw(_f(0.1, 4))
    return stats.truncnorm(a, b, loc=draw(_f(-5, 5)), scale=draw(_f(0.1, 5)))


@st.composite
def discrete_dists(draw):
    kind = draw(st.sampled_from(["randint", "poisson", "binom"]))
    if kind == "randint":
        low = draw(st.integers(-20, 20))
        return stats.randint(low, low + draw(st.integers(1, 30)))
    if kind == "poisson":
        return stats.poisson(draw(_f(0.1, 50)))
    return stats.binom(draw(st.integers(1, 30)), draw(_f(0.05, 0.95)))


_atoms = st.one_of(
    st.text(min_size=0, max_size=4),
    st.none(),
    st.integers(-5, 5),
    _f(-1e3, 1e3, allow_nan=False),
    st.booleans(),
)
lists = st.lists(_atoms, min_size=1, max_size=5)
values = st.one_of(continuous_dists(), discrete_dists(), lists)


@st.composite
def branches(draw, prefix):
    n = draw(st.integers(0, 4))  # 0: an empty dict (the estimator as given), if no "shared"
    d = {f"{prefix}{j}": draw(values) for j in range(n)}
    if draw(st.booleans()):
        d["shared"] = draw(values)
    return d


@st.composite
def spaces(draw):
    if draw(st.booleans()):
        return draw(branches("p"))
    n = draw(st.integers(1, 3))
    # distinct key sets: every branch has its own prefix
    return [draw(branches(f"b{i}_")) for i in range(n)]


def _check_value(spec, v):
    if isinstance(spec, list):
        assert any(v is c for c in spec), (v, spec)
        return
    lo, hi = spec.support()
    if isinstance(spec.dist, stats.rv_discrete):
        assert isinstance(v, numbers.Integral), (v, type(v))
        assert lo <= v <= hi
        assert spec.pmf(v) > 0
    else:
        assert isinstance(v, numbers.Real), (v, type(v))
        assert np.isfinite(v)
        assert lo <= v <= hi, (v, lo, hi, spec.dist.name)


def _check_params(space, p):
    dicts = space if isinstance(space, list) else [space]
    match = [d for d in dicts if set(d) == set(p)]
    assert match, (p, [sorted(d) for d in dicts])
    # Branches with the same keys (two empty dicts, two {"shared": ...}) may
    # overlap: the values must fit one of them.
    failures = []
    for d in match:
        try:
            for k, v in p.items():
                _check_value(d[k], v)
            return
        except AssertionError as e:
            failures.append(e)
    raise failures[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    space=spaces(),
    seed=st.integers(0, 2**31 - 1),
    n_startup=st.integers(0, 5),
    multivariate=st.booleans(),
    batches=st.lists(st.integers(1, 3), min_size=3, max_size=8),
)
def test_sampled_values_are_in_the_space(space, seed, n_startup, multivariate, batches):
    sampler = TPESampler(space, n_startup_trials=n_startup, multivariate=multivariate, random_state=seed)
    rng = np.random.RandomState(seed % 1000)
    asked = []
    for k in batches:
        out = sampler.ask(k)
        assert len(out) <= k
        for p in out:
            _check_params(space, p)
        scores = rng.normal(size=len(out))
        if len(out) and rng.rand() < 0.3:
            scores[0] = rng.choice([np.nan, np.inf, -np.inf])
        sampler.tell(out, scores)
        asked += out
    assert sampler.params_ == asked
    assert sampler.n_pending == 0
    if asked:
        # a configuration from the space (a copy) can be told back
        sampler.tell(dict(asked[0]), 0.0)
        assert len(sampler.params_) == len(asked) + 1


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    low=st.integers(-3, 3),
    span=st.integers(1, 3),
    seed=st.integers(0, 10_000),
    batch=st.integers(1, 8),
)
def test_finite_spaces_never_repeat(sizes, low, span, seed, batch):
    space = {f"c{i}": [f"v{j}" for j in range(s)] for i, s in enumerate(sizes)}
    space["n"] = stats.randint(low, low + span)
    total = int(np.prod(sizes)) * span
    sampler = TPESampler(space, n_startup_trials=2, random_state=seed)
    rng = np.random.RandomState(seed)
    seen = []
    for _ in range(total + 3):
        out = sampler.ask(batch)
        if not out:
            break
        sampler.tell(out, rng.normal(size=len(out)))
        seen += [tuple(sorted(p.items())) for p in out]
    assert len(seen) == total
    assert len(set(seen)) == total
    assert sampler.exhausted


# --------------------------------------------------------------------------
# validation of the space
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "space, exc",
    [
        ([], ValueError),
        ({"a": []}, ValueError),
        ({"a": "abc"}, TypeError),
        ({"a": 3}, TypeError),
        ({"a": {"b": [1]}}, TypeError),
        ([{"a": [1]}, "b"], TypeError),
        ({1: [1, 2]}, TypeError),
        ("a", TypeError),
    ],
)
def test_invalid_spaces_raise(space, exc):
    with pytest.raises(exc):
        TPESampler(space)


class _RvsOnly:
    def __init__(self):
        self.draws = 0

    def rvs(self, random_state=None):
        self.draws += 1
        return ("opaque", self.draws)


def test_rvs_only_objects_are_drawn_at_random():
    dist = _RvsOnly()
    with pytest.warns(UserWarning, match="rvs"):
        s = TPESampler({"o": dist, "x": stats.uniform(0, 1)}, n_startup_trials=2, random_state=0)
    for _ in range(5):
        p = s.ask()[0]
        assert p["o"][0] == "opaque"
        s.tell(p, p["x"])
    assert dist.draws == 5


def test_numpy_array_as_list_of_choices():
    s = TPESampler({"a": np.array([0.1, 0.2, 0.3])}, random_state=0)
    got = s.ask(3)
    assert sorted(float(p["a"]) for p in got) == [0.1, 0.2, 0.3]


def test_integer_dimensions_give_python_ints_and_floats_give_floats():
    s = TPESampler(
        {"i": stats.randint(0, 100), "p": stats.poisson(3), "x": stats.uniform(0, 1)},
        n_startup_trials=2,
        random_state=0,
    )
    for _ in range(6):
        p = s.ask()[0]
        assert isinstance(p["i"], numbers.Integral) and isinstance(p["p"], numbers.Integral)
        assert isinstance(p["x"], float)
        s.tell(p, -p["x"])


def test_loguniform_startup_covers_decades():
    """The prior is the user's distribution: loguniform is spread over log scale."""
    s = TPESampler({"c": stats.loguniform(1e-4, 1e4)}, n_startup_trials=16, random_state=0)
    vals = np.log10([p["c"] for p in s.ask(16)])
    # Latin hypercube over quantiles: one value in each 1/16 of the log range
    bins = np.floor((vals + 4) / 8 * 16).astype(int)
    assert sorted(bins) == list(range(16))


# --------------------------------------------------------------------------
# point masses, heavy tails and unfrozen distributions
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dist, value",
    [
        (stats.uniform(1, 0), 1.0),
        (stats.norm(-2.5, 0), -2.5),
        (stats.lognorm(1.0, loc=3, scale=0), 3.0),
        (stats.randint(4, 5), 4),
        (stats.binom(0, 0.3), 0),
        (stats.bernoulli(0.0), 0),
        (stats.binom(10, 1.0), 10),
        (stats.geom(1.0), 1),  # scipy's ppf gives 0 here, outside its support
        (stats.poisson(0.0), 0),
    ],
    ids=["uniform(1, 0)", "norm(-2.5, 0)", "lognorm(scale=0)", "randint(4, 5)", "binom(0, p)",
         "bernoulli(0)", "binom(n, 1)", "geom(1)", "poisson(0)"],
)
def test_point_mass_is_a_constant_as_in_randomized_search(dist, value):
    from sklearn.model_selection import ParameterSampler

    expected = [p["C"] for p in ParameterSampler({"C": dist}, 3, random_state=0)]
    assert expected == [value] * 3  # what RandomizedSearchCV samples
    s = TPESampler({"C": dist, "x": stats.uniform(0, 1)}, n_startup_trials=3, random_state=0)
    for _ in range(6):
        batch = s.ask(2)
        assert [p["C"] for p in batch] == [value] * 2
        s.tell(batch, [p["x"] for p in batch])
    # A constant is one point: a space of constants alone is finite, of size 1.
    only = TPESampler({"C": dist}, random_state=0)
    assert only.space_.finite and only.space_.size == 1
    assert only.ask(3) == [{"C": value}]


def test_a_finite_search_enumerates_only_values_the_prior_can_draw():
    """A finite space is searched without repeats down to its last point: the points are
    the values of positive prior mass, which RandomizedSearchCV can draw."""
    listed = stats.rv_discrete(values=([0, 1, 2, 3], [0.5, 0.0, 0.0, 0.5]))
    for dist, drawable in ((stats.binom(3, 0.5), {0, 1, 2, 3}), (listed, {0, 3})):
        s = TPESampler({"k": dist}, random_state=0)
        seen = set()
        while not s.exhausted:
            (p,) = s.ask()
            seen.add(p["k"])
            s.tell(p, -p["k"])
        assert seen == drawable


@pytest.mark.parametrize("dist, drawable", [
    (stats.rv_discrete(values=(np.arange(5), [0.996, 0.001, 0.0, 0.001, 0.002]))(loc=100),
     {100, 101, 103, 104}),
    (stats.rv_discrete(values=(np.arange(5), [0.996, 0.001, 0.0, 0.001, 0.002]))(100),
     {100, 101, 103, 104}),
    (stats.rv_discrete(values=([0.5, 1.5], [0.5, 0.5]))(loc=10), {10.5, 11.5}),
    (stats.rv_discrete(values=([1, 2, 3], [0.2, 0.3, 0.5]))(loc=0.5), {1.5, 2.5, 3.5}),
    (stats.rv_discrete(values=([1.0, 2.0], [0.5, 0.5])), {1.0, 2.0}),
], ids=["int loc=", "int positional loc", "float values", "fractional loc", "whole floats"])
def test_a_listed_discrete_distribution_gives_its_own_values_and_types(dist, drawable):
    """rv_discrete(values=...) frozen with a loc draws xk + loc; float values stay floats
    (RandomizedSearchCV draws 1.0, not 1: max_features=1.0 is all features, 1 is one)."""
    s = TPESampler({"k": dist}, random_state=0, n_startup_trials=2)
    seen = []
    while not s.exhausted:
        (p,) = s.ask()
        seen.append(p["k"])
        s.tell(p, -float(p["k"]))
    assert set(seen) == drawable and len(seen) == len(drawable)
    drawn = dist.rvs(random_state=0)
    assert all(isinstance(v, numbers.Integral) == isinstance(drawn, numbers.Integral) for v in seen)


def test_overlapping_branches_share_their_points():
    """A list's 1 and randint's 1 for the same parameter are one candidate."""
    s = TPESampler([{"k": [1, 2]}, {"k": stats.randint(1, 3)}], random_state=0,
                   n_startup_trials=1)
    assert s.space_.size == 2
    seen = []
    while not s.exhausted:
        (p,) = s.ask()
        seen.append(p["k"])
        s.tell(p, float(p["k"]))
    assert sorted(seen) == [1, 2]


def test_an_empty_dict_is_one_candidate_the_estimator_as_given():
    """As in RandomizedSearchCV, {} proposes no parameter: the estimator as given.
    Two empty dicts are the same candidate."""
    s = TPESampler([{}, {"k": [1, 2]}, {}], random_state=0, n_startup_trials=1)
    assert s.space_.size == 3
    seen = []
    while not s.exhausted:
        out = s.ask(2)
        seen += out
        s.tell(out, [float(p.get("k", 0)) for p in out])
    assert sorted(seen, key=repr) == [{"k": 1}, {"k": 2}, {}]
    assert s.ask() == []
    only = TPESampler({}, random_state=0)
    assert only.space_.size == 1
    assert only.ask(3) == [{}]


@pytest.mark.parametrize("dist", [stats.randint(0, 3), stats.uniform(0, 2), stats.bernoulli(0.5)],
                         ids=["randint", "uniform", "bernoulli"])
@pytest.mark.parametrize("value", [True, np.bool_(False)], ids=["bool", "np.bool_"])
def test_a_bool_told_for_a_number_is_not_in_the_space(dist, value):
    s = TPESampler({"n": dist}, random_state=0)
    with pytest.raises(ValueError, match="not in the search space"):
        s.tell({"n": value}, 0.0)
    s.tell({"n": int(value)}, 0.0)
    assert s.params_ == [{"n": int(value)}]


def test_any_real_number_is_checked_against_a_continuous_range():
    from fractions import Fraction

    s = TPESampler({"x": stats.uniform(0, 2)}, random_state=0)
    s.tell({"x": Fraction(1, 2)}, 0.0)
    with pytest.raises(ValueError, match="not in the search space"):
        s.tell({"x": 10**400}, 0.0)  # beyond float range: not a TypeError


def test_a_distribution_with_array_arguments_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'x'.*array arguments.*one distribution per parameter"):
        TPESampler({"x": stats.norm([0, 1], 1)})


@pytest.mark.filterwarnings("ignore:Parameter 'k'")  # zipf(1.1)'s cut (the test below)
@pytest.mark.parametrize("dist", [stats.zipf(1.5), stats.zipf(1.1), stats.betanbinom(5, 1, 1)],
                         ids=["zipf(1.5)", "zipf(1.1)", "betanbinom(5, 1, 1)"])
def test_heavy_discrete_tails_cost_no_more_than_a_table(dist):
    """scipy's quantiles of these add up the mass value by value: near 1 that needs
    gigabytes (or fails). TPE pulled to the upper tail stays within a table of 2**20
    values, and its quantiles are scipy's wherever scipy's can be computed."""
    s = TPESampler({"k": dist}, n_startup_trials=3, random_state=0)
    for _ in range(12):
        (p,) = s.ask()
        assert dist.support()[0] <= p["k"] <= dist.support()[0] + 2**20
        s.tell(p, float(p["k"]))  # larger is better: the search heads into the tail
    dim = s.space_.branches[0].dims[0]
    for u in np.linspace(0.01, 0.5, 20):
        with np.errstate(all="ignore"):
            try:
                expected = dist.ppf(u)
            except RuntimeError:  # scipy's search fails on betanbinom ("endless loop")
                continue
        assert dim.from_unit(np.array([u]))[0] == expected


def test_a_table_that_cuts_off_much_of_the_prior_is_warned_of():
    """zipf(1.1) holds 0.236 of its mass past the table's 2**20 values: it was drawn as
    one value, without a word. zipf(1.5)'s cut (below 0.001) is not warned of."""
    with pytest.warns(UserWarning, match=r"'k': zipf\(1.1\) holds 0.236 of its mass past its "
                                         r"first 1048575 values.*list the values") as caught:
        TPESampler({"k": stats.zipf(1.1)})
    assert caught[0].filename == __file__  # points at the user's call
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TPESampler({"k": stats.zipf(1.5)})
        # a finite support that the table holds whole: nothing is cut (the last value's
        # own mass was taken for mass past the table)
        for dist in (stats.betabinom(10, 1, 1), stats.hypergeom(20, 7, 12), stats.zipfian(1, 10)):
            TPESampler({"k": dist})


def test_a_distribution_whose_quantiles_scipy_cannot_compute_is_refused_by_name():
    """scipy's poisson(1e12).ppf gives NaN below the median: ask() raised 'cannot convert
    float NaN to integer' in the middle of a search."""
    with pytest.raises(ValueError, match=r"'n': scipy's quantile function of poisson.* gives "
                                         r"NaN.*list the values"):
        TPESampler({"n": stats.poisson(1e12)})


def test_a_nan_choice_is_told_back_after_a_pickle():
    """A NaN from a list (SimpleImputer's missing_values=np.nan) came back from a pickle
    as another NaN object, unequal to the list's: 'not in the search space'."""
    s = TPESampler({"missing": [np.nan, -1]}, random_state=0)
    params = s.ask(2)
    s.tell([pickle.loads(pickle.dumps(p)) for p in params], [0.9, 0.1])
    assert np.isnan(s.params_[0]["missing"]) or np.isnan(s.params_[1]["missing"])
    assert s.exhausted  # both choices evaluated: the copy is the list's NaN
    assert len(TPESampler({"m": [np.nan, float("nan"), 1]}).space_.branches[0].dims[0].keys) == 3
    assert TPESampler({"m": [np.nan, float("nan"), 1]}).space_.size == 2


@pytest.mark.parametrize("dist", [stats.poisson(5), stats.geom(0.2)], ids=["poisson", "geom"])
def test_an_unbounded_integer_space_does_not_repeat_evaluated_points(dist):
    """Only finite branches were kept from repeats: poisson(5) proposed its best point 7
    times in 40 candidates (19 distinct)."""
    s = TPESampler({"n": dist, "kernel": ["rbf", "poly"]}, random_state=0)
    for _ in range(25):
        (p,) = s.ask()
        s.tell(p, -(p["n"] - 7) ** 2 - (p["kernel"] == "poly"))
    seen = [(p["n"], p["kernel"]) for p in s.params_]
    assert len(set(seen)) == len(seen)


def test_the_closed_form_of_a_tiny_loguniform_with_a_loc_is_checked_to_scale():
    """The check of the closed form against scipy had numpy's absolute tolerance (1e-8):
    loguniform(1e-12, 1e-10, loc=1e-10) took the form without its loc."""
    dist = stats.loguniform(1e-12, 1e-10, loc=1e-10)
    xs = [p["x"] for p in TPESampler({"x": dist}, n_startup_trials=400, random_state=0).ask(400)]
    assert 0.4 < np.mean(np.array(xs) < dist.median()) < 0.6
    assert all(dist.support()[0] <= x <= dist.support()[1] for x in xs)


def test_point_mass_accepts_told_values_of_either_numeric_type():
    s = TPESampler({"C": stats.uniform(1, 0), "x": ["a", "b"]}, random_state=0)
    s.tell([{"C": 1, "x": "a"}, {"C": np.float64(1.0), "x": "b"}], [0.1, 0.2])
    with pytest.raises(ValueError, match="not in the search space"):
        s.tell({"C": 2.0, "x": "a"}, 0.3)


@pytest.mark.parametrize(
    "dist", [stats.lognorm(300), stats.pareto(0.01), stats.invgamma(0.01)],
    ids=["lognorm(300)", "pareto(0.01)", "invgamma(0.01)"],
)
def test_heavy_tails_whose_quantiles_overflow_give_finite_values(dist):
    with np.errstate(all="ignore"):
        assert not np.isfinite(dist.ppf(1 - 1e-12))  # scipy overflows at the end of the scale
    s = TPESampler({"v": dist}, n_startup_trials=2, random_state=0)
    for _ in range(8):
        (p,) = s.ask()
        assert np.isfinite(p["v"]) and dist.support()[0] <= p["v"] <= dist.support()[1]
        s.tell(p, p["v"])  # pulls TPE to the upper tail
    v = s.space_.branches[0].cont[0].from_unit(np.array([0.5, 1.0, 1 - 1e-15]))
    assert np.all(np.isfinite(v)) and v[0] < v[1] == v[2]


@pytest.mark.parametrize(
    "unfrozen, family",
    [(stats.loguniform, "loguniform"), (stats.beta, "beta"), (stats.randint, "randint")],
)
def test_unfrozen_distribution_names_parameter_and_fix(unfrozen, family):
    with pytest.raises(ValueError) as info:
        TPESampler({"kind": ["a"], "C": unfrozen})
    msg = str(info.value)
    assert "Parameter 'C'" in msg and f"unfrozen distribution scipy.stats.{family}" in msg
    assert f"freeze it by calling it with them: {{'C': {family}(" in msg


@pytest.mark.parametrize(
    "dist", [stats.randint(5, 5), stats.loguniform(1, 1), stats.norm(0, -1)],
    ids=["randint(5, 5)", "loguniform(1, 1)", "norm(0, -1)"],
)
def test_distribution_with_invalid_arguments_is_rejected_up_front(dist):
    with pytest.raises(ValueError, match=r"Parameter 'C' .* whose arguments scipy rejects"):
        TPESampler({"C": dist})


def test_search_with_a_point_mass_fits_the_constant():
    """The issue's case: uniform(1, 0) gave C=nan and "All the fits failed"."""
    from sklearn.datasets import make_classification

    from conftest import ParamScoreClassifier
    from sktpe import TPESearchCV

    X, y = make_classification(n_samples=30, n_features=3, n_informative=2, n_redundant=0,
                               random_state=0)
    search = TPESearchCV(
        ParamScoreClassifier(), {"c": stats.uniform(1, 0), "x": stats.uniform(0, 1)},
        n_iter=6, cv=2, random_state=0,
    ).fit(X, y)
    assert [p["c"] for p in search.cv_results_["params"]] == [1.0] * 6
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_a_copy_of_a_listed_estimator_with_its_own_repr_is_told_by_its_parameters():
    """The journal's description writes such an estimator by its repr (skorch's hides
    most parameters): matching copies by that text took a copy of the second choice for
    the first. An object that refers to itself (a bound method of its own) is no copy of
    another, and is not a crash."""
    import copy

    from sklearn.base import BaseEstimator

    class Net(BaseEstimator):
        def __init__(self, lr=0.1):
            self.lr = lr

        def __repr__(self):
            return "Net()"

    choices = [Net(lr=0.1), Net(lr=0.01)]
    s = TPESampler({"net": choices, "tok": [SelfReferring(True), SelfReferring(False)]},
                   random_state=0)
    dim = s.space_.branches[0].dims[0]
    assert dim.index(copy.deepcopy(choices[1])) == 1
    assert dim.index(copy.deepcopy(choices[0])) == 0
    tok = s.space_.branches[0].dims[1]
    assert tok.index(SelfReferring(True)) is None


def test_a_deep_copy_of_a_listed_object_is_that_choice():
    """Objects without value equality (estimators, arrays) were found only by identity, so
    a deep copy (clone() of a search copies its parameters) was outside the space. Other
    functions (in an estimator, or partials) are other choices."""
    import copy
    import functools

    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import KFold

    from sklearn.preprocessing import FunctionTransformer

    choices = [SVC(C=2.0), SVC(), make_pipeline(StandardScaler(), LogisticRegression()),
               np.array([1.0, np.nan]), [SVC(), np.arange(3)],
               RandomForestClassifier(random_state=np.random.RandomState(0)), KFold(3),
               FunctionTransformer(np.log1p), functools.partial(np.clip, a_max=5)]
    s = TPESampler({"v": choices}, random_state=0)
    for i, c in enumerate(choices):
        s.tell({"v": copy.deepcopy(c)}, float(i))
    assert [type(p["v"]) for p in s.params_] == [type(c) for c in choices]
    assert s.ask() == []  # each copy was its own choice: all are evaluated
    for stranger in [SVC(C=3.0), make_pipeline(StandardScaler(), LogisticRegression(C=2.0)),
                     np.array([1.0, 2.0]), np.array([1, 0]), [SVC(), np.arange(4)],
                     RandomForestClassifier(random_state=np.random.RandomState(1)), KFold(4),
                     FunctionTransformer(np.expm1), functools.partial(np.clip, a_max=4),
                     functools.partial(np.round, a_max=5)]:
        with pytest.raises(ValueError):
            s.tell({"v": stranger}, 0.0)
