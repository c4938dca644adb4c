"""Plots: drawn headless (Agg), checked through their artists."""

import time
import warnings

import numpy as np
import pytest
from scipy.stats import loguniform, randint, uniform
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from sktpe import TPESampler, TPESearchCV

from conftest import ParamScoreClassifier

pytestmark = pytest.mark.extras

SPACE = {
    "x": uniform(0, 1),
    "c": loguniform(1e-2, 1e4),
    "kind": ["a", "b", "c"],
    "n": randint(0, 3),
}
COND_SPACE = [
    {"kind": ["a"], "x": uniform(0, 1)},
    {"kind": ["b", "z"], "c": loguniform(1e-2, 1e4), "n": randint(0, 3)},
]


@pytest.fixture(autouse=True)
def _agg():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.fixture(scope="module")
def search(binary_data):
    X, y = binary_data
    return TPESearchCV(
        ParamScoreClassifier(), SPACE, n_iter=30, cv=2, n_startup_trials=8, random_state=0
    ).fit(X, y)


@pytest.fixture(scope="module")
def cond_search(binary_data):
    X, y = binary_data
    return TPESearchCV(
        ParamScoreClassifier(), COND_SPACE, n_iter=20, cv=2, random_state=0
    ).fit(X, y)


def _has(search, name):
    return sum(name in p for p in search.cv_results_["params"])


# -- history ---------------------------------------------------------------------
def test_history_with_baseline(search, binary_data):
    from sktpe.plotting import plot_optimization_history

    X, y = binary_data
    base = RandomizedSearchCV(ParamScoreClassifier(), SPACE, n_iter=6, cv=2, random_state=0)
    base.fit(X, y)
    ax = plot_optimization_history(search, baseline=base)
    assert len(ax.collections) == 2 and len(ax.lines) == 2
    assert ax.get_xlabel() == "trial (row of cv_results_)" and ax.get_ylabel() == "mean_test_score"
    # rows are numbered from 0, as trial= of plot_split_densities and the colour bar count
    assert ax.collections[0].get_offsets()[0, 0] == 0
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["TPESearchCV: best so far", "RandomizedSearchCV (baseline): best so far"]
    best = ax.lines[0].get_ydata()
    assert np.all(np.diff(best) >= 0) and best[-1] == pytest.approx(search.best_score_)


# -- parameter against score ---------------------------------------------------
def test_param_score_loguniform_is_log_scale(search):
    from sktpe.plotting import plot_param_score

    ax = plot_param_score(search, "c")
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "c" and ax.get_ylabel() == "mean_test_score"
    points, star = ax.collections
    assert len(points.get_offsets()) == 30
    np.testing.assert_allclose(
        star.get_offsets()[0], [search.best_params_["c"], search.best_score_]
    )
    assert len(ax.figure.axes) == 2  # the colour bar
    assert ax.figure.axes[1].get_ylabel() == "trial"


def test_param_score_uniform_and_integer_linear(search):
    from sktpe.plotting import plot_param_score

    assert plot_param_score(search, "x").get_xscale() == "linear"
    ax = plot_param_score(search, "n", log=True)
    assert ax.get_xscale() == "log"


def test_param_score_categorical_strip_and_box(search):
    from sktpe.plotting import plot_param_score

    ax = plot_param_score(search, "kind")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    strip = ax.collections[0]
    assert len(strip.get_offsets()) == 30
    # a box per category with candidates: box, median, 2 whiskers, 2 caps
    codes = np.rint(strip.get_offsets()[:, 0]).astype(int)
    assert len(ax.lines) == 6 * len(set(codes))
    assert ax.get_xscale() == "linear"


def test_param_score_conditional_skips_masked(cond_search):
    from sktpe.plotting import plot_param_score

    n_c = _has(cond_search, "c")
    assert 0 < n_c < 20
    ax = plot_param_score(cond_search, "c")
    assert len(ax.collections[0].get_offsets()) == n_c
    assert f"({n_c} of 20 candidates)" in ax.get_title()
    ax = plot_param_score(cond_search, "kind")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "z"]
    with pytest.raises(ValueError, match="No candidate has parameter 'nope'"):
        plot_param_score(cond_search, "nope")


def test_param_score_skips_failed_fits(binary_data):
    from sktpe.plotting import plot_param_score

    X, y = binary_data
    search = TPESearchCV(
        ParamScoreClassifier(), {"fail": [True, False], "x": uniform(0, 1)},
        n_iter=6, cv=2, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the failed fits and non-finite scores
        search.fit(X, y)
    n_ok = int(np.isfinite(search.cv_results_["mean_test_score"]).sum())
    assert 0 < n_ok < 6
    ax = plot_param_score(search, "x")
    assert len(ax.collections[0].get_offsets()) == n_ok


def test_param_score_grid_search_and_multimetric(binary_data):
    from sktpe.plotting import plot_param_score

    X, y = binary_data
    grid = GridSearchCV(
        Ridge(), {"alpha": [0.1, 1.0, 10.0], "fit_intercept": [True, False]}, cv=2,
        scoring=["r2", "neg_mean_squared_error"], refit="neg_mean_squared_error",
    ).fit(X, y)
    ax = plot_param_score(grid, "alpha")
    assert ax.get_ylabel() == "mean_test_neg_mean_squared_error"
    assert len(ax.collections[0].get_offsets()) == 6
    ax = plot_param_score(grid, "fit_intercept")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["True", "False"]


def test_param_score_unfitted_raises():
    from sktpe.plotting import plot_param_score

    with pytest.raises(ValueError, match="not fitted"):
        plot_param_score(TPESearchCV(Ridge(), {"alpha": [1.0]}), "alpha")


# -- importances -----------------------------------------------------------------
def test_param_importances_values(search):
    from sktpe.plotting import param_importances

    imp = param_importances(search, n_estimators=30, n_repeats=3)
    assert set(imp) == {"x", "c", "kind", "n"}
    assert sum(imp.values()) == pytest.approx(1.0)
    assert all(v >= 0 for v in imp.values())
    assert list(imp)[0] == "c"  # (log10 c - 1)**2 spans far more than the rest
    assert list(imp.values()) == sorted(imp.values(), reverse=True)


def test_plot_param_importances_bars(search):
    from sktpe.plotting import param_importances, plot_param_importances

    ax = plot_param_importances(search, n_estimators=30, n_repeats=3)
    bars = ax.patches
    assert len(bars) == 4
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "c"  # most important at the top
    imp = param_importances(search, n_estimators=30, n_repeats=3)
    widths = {lab: b.get_width() for lab, b in zip(labels, bars)}
    assert widths == pytest.approx(imp)
    assert "importance" in ax.get_xlabel()


def test_param_importances_conditional_and_constant(cond_search, binary_data):
    from sktpe.plotting import param_importances

    imp = param_importances(cond_search, n_estimators=20, n_repeats=2)
    assert set(imp) == {"kind", "x", "c", "n"}
    X, y = binary_data
    flat = RandomizedSearchCV(
        ParamScoreClassifier(), {"fail": [False], "n": [0]}, n_iter=1, cv=2
    )
    flat.fit(X, y)
    with pytest.raises(ValueError, match="at least 2"):
        param_importances(flat)


# -- split densities ---------------------------------------------------------------
def test_split_densities_continuous_log(search):
    from sktpe.plotting import plot_split_densities

    trial = 20
    ax = plot_split_densities(search, "c", trial=trial)
    twin = ax.figure.axes[-1]
    assert twin is not ax and twin.get_ylabel() == "l(x) / g(x)"
    labels = [line.get_label() for line in ax.lines]
    assert labels[:2] == ["good l(x)", "bad g(x)"]
    marker = ax.lines[2]
    assert marker.get_xdata()[0] == pytest.approx(search.cv_results_["params"][trial]["c"])
    assert len(twin.lines) == 1
    assert ax.get_xscale() == "log"
    ref = search.sampler_.split_densities("c", n_trials=trial)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), ref["l"])
    np.testing.assert_allclose(twin.lines[0].get_ydata(), ref["l"] / ref["g"])
    assert "trial 20" in ax.get_title()


def test_split_densities_draw_a_linear_prior_on_a_linear_axis(search):
    """The axis was log wherever the grid spanned two decades: uniform(0, 1) and
    randint(1, 1000) too (their grids start at the 0.0025 quantile)."""
    from sktpe.plotting import plot_split_densities

    assert plot_split_densities(search, "x", trial=20).get_xscale() == "linear"
    sampler = TPESampler({"n": randint(1, 1000), "c": loguniform(1e-3, 1e3)}, random_state=0)
    for _ in range(10):
        (p,) = sampler.ask()
        sampler.tell(p, -abs(p["n"] - 500))
    assert plot_split_densities(sampler, "n").get_xscale() == "linear"
    assert plot_split_densities(sampler, "c").get_xscale() == "log"


def test_split_densities_of_an_unfitted_search_says_to_fit():
    """It said the search 'has no TPE sampler', the message a RandomizedSearchCV gets."""
    from sktpe.plotting import plot_split_densities

    with pytest.raises(ValueError, match="TPESearchCV is not fitted: call fit"):
        plot_split_densities(TPESearchCV(Ridge(), {"alpha": loguniform(1e-3, 1)}), "alpha")
    # another search has no sampler, fitted or not: it is not told to fit
    with pytest.raises(ValueError, match="RandomizedSearchCV has no TPE sampler"):
        plot_split_densities(RandomizedSearchCV(Ridge(), {"alpha": loguniform(1e-3, 1)}), "alpha")


def test_split_densities_marker_names_the_estimator_as_the_ticks_do(binary_data):
    """Two estimators of one class: the ticks told them apart, the marker said 'SVC'."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from sktpe.plotting import plot_split_densities

    X, y = binary_data
    space = {"clf": [LogisticRegression(C=0.01), LogisticRegression(C=10.0)]}
    search = TPESearchCV(Pipeline([("clf", LogisticRegression())]), space, n_iter=2, cv=2,
                         random_state=0).fit(X, y)
    ax = plot_split_densities(search, "clf", trial=1)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    chosen = search.cv_results_["params"][1]["clf"]
    (marker,) = [line for line in ax.lines if line.get_label().startswith("trial")]
    assert marker.get_label() == f"trial 1: {ticks[space['clf'].index(chosen)]}"
    assert len(set(ticks)) == 2 and "(start-up: not a TPE proposal)" in ax.get_title()
    # an equal copy of a choice (given again as an initial candidate): its own tick, on the axis
    copy = {"clf": LogisticRegression(C=0.01)}
    search = TPESearchCV(Pipeline([("clf", LogisticRegression())]), space, n_iter=2, cv=2,
                         random_state=0, initial_candidates=[copy]).fit(X, y)
    ax = plot_split_densities(search, "clf", trial=1)
    (marker,) = [line for line in ax.lines if line.get_label().startswith("trial")]
    row = search.cv_results_["params"][1]["clf"]
    assert marker.get_label() == f"trial 1: LogisticRegression(C={row.C})"
    assert marker.get_xdata()[0] == (0 if row.C == 0.01 else 1)


def test_split_densities_categorical_bars(search):
    from sktpe.plotting import plot_split_densities

    ax = plot_split_densities(search, "kind", trial=12)
    assert len(ax.patches) == 6  # good and bad bar per choice
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    chosen = search.cv_results_["params"][12]["kind"]
    vline = [line for line in ax.lines if line.get_label().startswith("trial 12")]
    assert vline and vline[0].get_xdata()[0] == ["a", "b", "c"].index(chosen)


def test_split_densities_sampler_default_and_next(search):
    from sktpe.plotting import plot_split_densities

    sampler = TPESampler({"x": uniform(0, 1), "n": randint(1, 6)}, n_startup_trials=4, random_state=0)
    for _ in range(12):
        p = sampler.ask()[0]
        sampler.tell(p, -abs(p["x"] - 0.3))
    ax = plot_split_densities(sampler, "x")  # the last trial
    assert "trial 11" in ax.get_title()
    assert any(line.get_label().startswith("trial 11") for line in ax.lines)
    ax = plot_split_densities(sampler, "n", trial=12)  # the next proposal: no marker
    assert not any(line.get_label().startswith("trial") for line in ax.lines)
    assert len(ax.lines[0].get_xdata()) == 5  # one point per integer value
    ax = plot_split_densities(sampler, "x", trial=2)
    assert "start-up" in ax.get_title()
    for bad in (0, 13, 1.5):
        with pytest.raises(ValueError, match="trial"):
            plot_split_densities(sampler, "x", trial=bad)
    with pytest.raises(ValueError, match="not a parameter"):
        plot_split_densities(sampler, "y")


def test_split_densities_explain_the_row_of_cv_results_asked_for(binary_data):
    """Racing on two workers settles candidates out of turn: trial=i marked the value of
    the i-th proposal, not of row i of cv_results_."""
    import joblib

    from sktpe._space import same_params
    from sktpe.plotting import plot_split_densities

    class SlowForLargeN(ParamScoreClassifier):
        def fit(self, X, y=None, sample_weight=None):
            time.sleep(0.002 if self.n < 5 else 0.08)  # slow candidates settle late
            return super().fit(X, y)

    X, y = binary_data
    with joblib.parallel_backend("threading", n_jobs=2):
        search = TPESearchCV(SlowForLargeN(), {"x": uniform(0, 1), "n": randint(1, 9)},
                             n_iter=16, cv=5, n_jobs=2, racing=True, batch_size="async",
                             random_state=0).fit(X, y)
    rows = search.cv_results_["params"]
    moved = [i for i in range(1, len(rows)) if not same_params(rows[i], search.sampler_.params_[i])]
    assert moved  # else this search shows nothing
    first = next(i for i, p in enumerate(rows) if same_params(p, search.sampler_.params_[0]))
    if first:
        with pytest.raises(ValueError, match="first candidate proposed"):
            plot_split_densities(search, "x", trial=first)
    for i in set(moved) - {first}:
        ax = plot_split_densities(search, "x", trial=i)
        (marker,) = [line for line in ax.lines if line.get_label().startswith("trial")]
        assert marker.get_xdata()[0] == pytest.approx(rows[i]["x"])


def test_a_successive_halving_search_best_so_far_is_of_its_last_round(binary_data):
    """Early rounds are scored with fewer resources: their means were in the best-so-far
    line (ending above best_score_), and among the points of plot_param_score and the
    rows the importances' forest learnt from, beside full-data scores."""
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingRandomSearchCV

    from sktpe.plotting import _encode, plot_optimization_history, plot_param_score

    class EasyOnFewSamples(ParamScoreClassifier):
        def fit(self, X, y=None, sample_weight=None):
            self.n_fit_ = len(X)
            return super().fit(X, y)

        def score(self, X, y=None, sample_weight=None):
            return super().score(X, y) + 1.0 / self.n_fit_  # early rounds look better

    X, y = binary_data
    search = HalvingRandomSearchCV(EasyOnFewSamples(), {"x": uniform(0, 1)},
                                   n_candidates=12, factor=3, cv=2, random_state=0)
    search.fit(X, y)
    ax = plot_optimization_history(search)
    (best,) = [line for line in ax.lines if "best so far" in line.get_label()]
    assert best.get_ydata()[-1] == pytest.approx(search.best_score_)
    last = np.asarray(search.cv_results_["iter"]) == max(search.cv_results_["iter"])
    n, n_last = len(last), int(last.sum())
    ax = plot_param_score(search, "x")
    assert f"({n_last} of {n} candidates)" in ax.get_title()
    assert len(ax.collections[0].get_offsets()) == n_last
    assert len(_encode(search).y) == n_last


def test_split_densities_conditional_branch(cond_search):
    from sktpe.plotting import plot_split_densities

    params = cond_search.cv_results_["params"]
    trial = max(i for i, p in enumerate(params) if "c" in p)
    ax = plot_split_densities(cond_search, "kind", trial=trial)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["b", "z"]  # branch 1
    ax = plot_split_densities(cond_search, "kind", trial=trial, branch=0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a"]
    with pytest.raises(ValueError, match="not a parameter of branch 0"):
        plot_split_densities(cond_search, "c", trial=trial, branch=0)


@pytest.mark.parametrize("name", ["x", "kind"])
def test_a_trial_from_another_dict_is_not_marked_on_this_ones_axis(name):
    """A trial drawn from dict 1 was marked on dict 0's axis (a continuous axis stretched
    from 0-1 to 0-15)."""
    from sktpe.plotting import plot_split_densities

    space = [{"x": uniform(0, 1), "kind": ["a", "b"]},
             {"x": uniform(10, 1), "kind": ["c", "a"]}]
    s = TPESampler(space, random_state=0, n_startup_trials=2)
    for _ in range(12):
        p = s.ask()[0]
        s.tell(p, -abs(p["x"] - 0.5))
    other = next(i for i in range(1, 12) if s.params_[i]["x"] > 5)
    res = s.split_densities(name, n_trials=other, branch=0)
    assert res["chosen"] is None and res["chosen_branch"] == 1 and res["branch"] == 0
    ax = plot_split_densities(s, name, other, branch=0)
    assert not [ln for ln in ax.get_lines() if ln.get_label().startswith("trial")]
    here = s.split_densities(name, n_trials=other, branch=1)
    assert here["chosen"] == s.params_[other][name] and here["chosen_branch"] == 1
    ax = plot_split_densities(s, name, other, branch=1)
    assert [ln.get_label() for ln in ax.get_lines() if ln.get_label().startswith("trial")]
    if name == "x":
        assert ax.get_xlim()[0] > 9


def test_split_densities_needs_tpe(binary_data):
    from sktpe.plotting import plot_split_densities

    X, y = binary_data
    rand = RandomizedSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, n_iter=2, cv=2).fit(X, y)
    with pytest.raises(ValueError, match="no TPE sampler"):
        plot_split_densities(rand, "alpha")
    with pytest.raises(TypeError):
        plot_split_densities(object(), "alpha")


def test_given_axes_are_used(search):
    import matplotlib.pyplot as plt

    from sktpe.plotting import (
        plot_optimization_history,
        plot_param_importances,
        plot_param_score,
        plot_split_densities,
    )

    fig, axes = plt.subplots(2, 2)
    out = [
        plot_optimization_history(search, ax=axes[0, 0]),
        plot_param_score(search, "x", ax=axes[0, 1]),
        plot_param_importances(search, ax=axes[1, 0], n_estimators=10, n_repeats=2),
        plot_split_densities(search, "x", ax=axes[1, 1]),
    ]
    assert out == list(axes.ravel())


# -- bad names and arguments -------------------------------------------------------
@pytest.fixture(scope="module")
def pipe_search(binary_data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = binary_data
    return TPESearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()),
        {"logisticregression__C": loguniform(1e-2, 1e2), "logisticregression__fit_intercept": [True, False]},
        n_iter=6, cv=2, n_startup_trials=3, random_state=0,
    ).fit(X, y)


def test_param_score_unknown_name_suggests_the_nested_name(pipe_search):
    from sktpe.plotting import plot_param_score

    with pytest.raises(ValueError, match=r"No candidate has parameter 'C'; did you mean "
                                         r"'logisticregression__C'\? The parameters are"):
        plot_param_score(pipe_search, "C")
    with pytest.raises(ValueError, match="log='yes' is invalid: use None, True or False"):
        plot_param_score(pipe_search, "logisticregression__C", log="yes")


def test_split_densities_unknown_name_suggests_and_branch_is_checked(pipe_search):
    from sktpe.plotting import plot_split_densities

    with pytest.raises(ValueError, match=r"'C' is not a parameter of the search space; did you "
                                         r"mean 'logisticregression__C'\?"):
        plot_split_densities(pipe_search, "C")
    for bad in (1, -1, "0", 0.0):
        with pytest.raises(ValueError, match=rf"branch={bad!r} is invalid: use None or an int "
                                             r"from 0 to 0"):
            plot_split_densities(pipe_search, "logisticregression__C", branch=bad)


def test_split_densities_unknown_name_in_a_branch_suggests(cond_search):
    from sktpe.plotting import plot_split_densities

    with pytest.raises(ValueError, match=r"'nn' is not a parameter of branch 1; did you mean 'n'\?"):
        plot_split_densities(cond_search, "nn", trial=5, branch=1)


def test_history_baseline_must_be_a_fitted_search(search):
    from sktpe.plotting import plot_optimization_history

    with pytest.raises(ValueError, match=r"baseline: RandomizedSearchCV is not fitted"):
        plot_optimization_history(search, baseline=RandomizedSearchCV(Ridge(), {"alpha": [1.0]}))
    with pytest.raises(TypeError, match=r"baseline is a list; pass a fitted search \(TPESearchCV"):
        plot_optimization_history(search, baseline=[1, 2])


@pytest.mark.parametrize("kw", [{"n_estimators": 0}, {"n_repeats": 0}, {"n_repeats": 2.5}])
def test_param_importances_checks_its_counts(search, kw):
    from sktpe.plotting import param_importances, plot_param_importances

    (name, value), = kw.items()
    with pytest.raises(ValueError, match=rf"{name}={value!r} is invalid: use a positive int"):
        param_importances(search, **kw)
    with pytest.raises(ValueError, match=rf"{name}={value!r} is invalid"):
        plot_param_importances(search, **kw)


class RacedSearch:
    """A fitted search's results with raced-out rows (racing=True) whose partial
    means (over the folds they ran) are the highest."""

    refit = True

    def __init__(self):
        rng = np.random.default_rng(0)
        x = rng.uniform(0, 1, 30)
        raced = np.arange(30) % 3 == 1
        score = 0.5 + 0.3 * x  # the complete candidates: rising with x
        score[raced] = 0.95 + 0.01 * rng.uniform(size=raced.sum())  # partial means, higher
        self.cv_results_ = {"params": [{"x": v, "k": ["a", "b"][i % 2]} for i, v in enumerate(x)],
                            "mean_test_score": score, "raced_out": raced}
        self.best_index_ = int(np.argmax(np.where(raced, -np.inf, score)))
        self.best_score_ = float(score[self.best_index_])


def test_raced_out_rows_are_not_compared_with_complete_ones_in_the_plots():
    from sktpe.plotting import param_importances, plot_optimization_history, plot_param_score

    s = RacedSearch()
    raced = s.cv_results_["raced_out"]
    ax = plot_optimization_history(s)
    assert ax.lines[0].get_ydata()[-1] == s.best_score_  # the best-so-far line
    crosses = [c for c in ax.collections if "raced out" in c.get_label()]
    assert len(crosses) == 1 and len(crosses[0].get_offsets()) == raced.sum()
    ax = plot_param_score(s, "x")
    assert len(ax.collections[0].get_offsets()) == (~raced).sum()
    assert f"{(~raced).sum()} of 30 candidates" in ax.get_title()
    imp = param_importances(s, n_repeats=3)
    assert imp["x"] > imp["k"]  # x sets every complete candidate's score


def test_without_matplotlib_a_plot_names_the_extra_before_any_work():
    """import sktpe does not import matplotlib; without it every plot says what to install
    (param_importances, no plot, still works)."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import sys
        from scipy.stats import loguniform
        from sklearn.datasets import make_classification
        from sklearn.linear_model import LogisticRegression
        import sktpe.plotting as p
        from sktpe import TPESearchCV
        X, y = make_classification(60, 4, random_state=0)
        search = TPESearchCV(LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=6,
                             cv=2, random_state=0).fit(X, y)
        assert "matplotlib" not in sys.modules
        sys.modules["matplotlib"] = None  # as if it were not installed
        p.param_importances(search)
        for f in (p.plot_optimization_history, p.plot_param_importances,
                  lambda s: p.plot_param_score(s, "C"), lambda s: p.plot_split_densities(s, "C")):
            try:
                f(search)
            except ImportError as exc:
                assert "pip install 'sktpe[plot]'" in str(exc), exc
            else:
                raise AssertionError("no ImportError")
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
