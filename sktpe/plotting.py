"""Plots of a fitted search, and of the sampler's densities.

matplotlib is imported inside each function (install the ``plot`` extra);
every function draws on the given Axes, or on a new figure, and returns the
Axes. The functions reading ``cv_results_`` work with any fitted
scikit-learn search (``TPESearchCV``, ``RandomizedSearchCV``,
``GridSearchCV`` ...); :func:`plot_split_densities` needs the TPE sampler.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ._checks import check_params, name_fix
from ._racing import raced_out
from ._space import _copy_of, same_params, same_value

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ._tpe import TPESampler

__all__ = [
    "param_importances",
    "plot_optimization_history",
    "plot_param_importances",
    "plot_param_score",
    "plot_split_densities",
]


# -- helpers -------------------------------------------------------------------
def _axes(ax: Axes | None) -> Axes:
    """``ax``, or the axes of a new figure. Each plot calls it once its arguments are checked
    (their errors come first) and before drawing; without matplotlib it raises, naming the
    extra to install."""
    # (an argument too, so checked first: by what a plot calls on it, without matplotlib)
    if ax is not None and not all(callable(getattr(ax, m, None)) for m in ("plot", "twinx")):
        raise TypeError(
            f"ax={ax!r} is not a matplotlib Axes; give one (e.g. from plt.subplots()), or "
            f"None for a new figure."
        )
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "sktpe's plots need matplotlib: pip install 'sktpe[plot]' (or matplotlib)."
        ) from exc
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    return ax


def _score_key(search: Any) -> str:
    """The mean test score column of the metric the search chose by (read from
    ``cv_results_``: an interrupted fit has no ``multimetric_``)."""
    keys = [k for k in search.cv_results_ if k.startswith("mean_test_")]
    if "mean_test_score" in keys:
        return "mean_test_score"
    refit = search.refit
    return f"mean_test_{refit}" if isinstance(refit, str) and f"mean_test_{refit}" in keys \
        else keys[0]


def _raced_out(search: Any) -> np.ndarray:
    """Which rows of ``search.cv_results_`` were raced out (see ``_racing.raced_out``)."""
    return raced_out(search.cv_results_, len(search.cv_results_["params"]))


def _early_round(search: Any) -> np.ndarray:
    """Rows of an early round of a successive-halving search (``HalvingRandomSearchCV``),
    scored with fewer resources than its last round's: no best so far is among them."""
    res = search.cv_results_
    if "iter" in res and "n_resources" in res:
        rounds = np.asarray(res["iter"])
        return rounds < rounds.max()
    return np.zeros(len(res["params"]), dtype=bool)


def _check_fitted(search: Any, what: str = "search") -> None:
    if not hasattr(search, "cv_results_"):
        if not hasattr(search, "fit"):
            hint = " itself, not its cv_results_" if hasattr(search, "keys") else ""
            raise TypeError(
                f"{what} is a {type(search).__name__}; pass a fitted search "
                f"(TPESearchCV, RandomizedSearchCV ...){hint}."
            )
        prefix = f"{what}: " if what != "search" else ""
        raise ValueError(
            f"{prefix}{type(search).__name__} is not fitted: call fit before "
            f"plotting its results."
        )


def _check_positive_int(name: str, value: Any) -> None:
    # Hand-written, not a scikit-learn Interval: that accepts True as the int 1.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}={value!r} is invalid: use a positive int.")


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _space(search: Any) -> list[dict[str, Any]]:
    """The search's parameter space as a list of dicts (empty if unknown)."""
    space = getattr(search, "param_distributions", None)
    if space is None:
        space = getattr(search, "param_grid", None)
    if space is None:
        return []
    return [space] if hasattr(space, "keys") else list(space)


def _distribution(search: Any, name: str) -> Any:
    """The first distribution or list given for ``name``, or None."""
    for d in _space(search):
        if name in d:
            return d[name]
    return None


def _is_log(dist: Any) -> bool:
    """A log-uniform distribution: scipy's classic ``loguniform`` / ``reciprocal``, or a
    new-interface one (``make_distribution(loguniform)``, ``exp(Uniform(...))``), whose
    support is positive and spans more than two decades."""
    family = getattr(getattr(dist, "dist", None), "name", None)
    if family in ("loguniform", "reciprocal"):
        return True
    if hasattr(dist, "dist") or not callable(getattr(dist, "support", None)):
        return False  # another classic distribution, or a list
    try:
        lo, hi = (float(v) for v in dist.support())
        median = float(dist.icdf(0.5)) if hasattr(dist, "icdf") else float(dist.ppf(0.5))
    except Exception:  # noqa: BLE001 - any object with odd methods: a linear axis
        return False
    # log-uniform: the median is the geometric mean of the bounds
    return 0 < lo and hi > 100 * lo and abs(np.log(median) - 0.5 * np.log(lo * hi)) < 0.05 * np.log(hi / lo)


def _labels(values: Sequence[Any]) -> list[str]:
    """Tick labels of categories: :func:`_label`'s, with estimators of one class told
    apart by their repr (``SVC(kernel='rbf')``), then by position if still alike."""
    labels = [_label(v) for v in values]
    alike = [labels.count(t) > 1 for t in labels]
    for i, v in enumerate(values):
        if alike[i] and hasattr(v, "get_params"):
            text = repr(v).replace("\n", "")
            labels[i] = " ".join(text.split()) if len(text) <= 40 else text[:39] + "\u2026"
    return [f"{t} #{i}" if labels.count(t) > 1 else t for i, t in enumerate(labels)]


def _label(value: Any) -> str:
    """Short tick label of a parameter value (estimators by class name)."""
    if hasattr(value, "get_params"):
        return type(value).__name__
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value)
    return text if len(text) <= 20 else text[:19] + "\u2026"


def _categories(values: Sequence[Any], known: Sequence[Any] | None = None) -> list[Any]:
    """Distinct values in the order of ``known`` (the user's list), then seen."""
    out: list[Any] = []
    for v in list(known or []) + list(values):
        if not any(same_value(v, c) for c in out):
            out.append(v)
    return out


def _code(value: Any, categories: Sequence[Any]) -> int:
    """Index of ``value`` in ``categories`` (or of the category it is a copy of, such as an
    estimator given again in ``initial_candidates``), -1 if absent."""
    for i, c in enumerate(categories):
        if same_value(value, c):
            return i
    for i, c in enumerate(categories):
        if _copy_of(c, value):
            return i
    return -1


def _column(search: Any, name: str) -> tuple[np.ndarray, list[Any]]:
    """Indices of the candidates that have ``name``, and their values."""
    params = search.cv_results_["params"]
    rows = [i for i, p in enumerate(params) if name in p]
    return np.array(rows, dtype=int), [params[i][name] for i in rows]


# -- optimisation history ------------------------------------------------------
def plot_optimization_history(search: Any, *, baseline: Any = None, ax: Axes | None = None) -> Axes:
    """Plot each trial's score and the best score so far against the trial.

    A trial is a row of ``cv_results_`` (from 0), as in the other plots.
    Candidates raced out (``racing=True``) are drawn as crosses at the mean of
    the folds they ran, and left out of the best-so-far line, as they are
    never the best candidate; so are the early rounds of a successive-halving
    search (``HalvingRandomSearchCV``), scored with fewer resources.

    Parameters
    ----------
    search : fitted search (TPESearchCV or any scikit-learn search)
        A fitted search with ``cv_results_``.
    baseline : fitted search, default=None
        Another fitted search, e.g. RandomizedSearchCV, whose best-so-far
        curve is drawn for comparison.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made if None.

    Returns
    -------
    ax : matplotlib Axes
        The axes with the plot.

    Raises
    ------
    ValueError
        If ``search`` or ``baseline`` is not fitted.
    TypeError
        If ``search`` or ``baseline`` is not a search.
    """
    _check_fitted(search)
    if baseline is not None:
        _check_fitted(baseline, "baseline")
    ax = _axes(ax)
    for s, label, color in ((search, type(search).__name__, "C0"),
                            (baseline, None, "C1")):
        if s is None:
            continue
        label = label or f"{type(s).__name__} (baseline)"
        scores = np.asarray(s.cv_results_[_score_key(s)], dtype=float)
        trials = np.arange(len(scores))  # rows of cv_results_, as the other plots number them
        raced = _raced_out(s) | _early_round(s)
        best = np.fmax.accumulate(np.where(np.isfinite(scores) & ~raced, scores, np.nan))
        ax.scatter(trials[~raced], scores[~raced], s=10, alpha=0.4, color=color)
        if raced.any():
            what = ("early rounds (fewer resources)" if "iter" in s.cv_results_
                    else "raced out (mean of the folds it ran)")
            ax.scatter(trials[raced], scores[raced], s=14, alpha=0.4, color=color, marker="x",
                       label=f"{label}: {what}")
        ax.step(trials, best, where="post", color=color, label=f"{label}: best so far")
    ax.set_xlabel("trial (row of cv_results_)")
    ax.set_ylabel(_score_key(search))
    ax.set_title("Optimisation history")
    ax.legend(loc="best")
    return ax


# -- one parameter against the score -------------------------------------------
def plot_param_score(
    search: Any, name: str, *, log: bool | None = None, ax: Axes | None = None
) -> Axes:
    """Plot one parameter's values against the mean test score.

    A numeric parameter is drawn as a scatter plot coloured by trial order
    (with a colour bar), on a log x-axis when its distribution is
    ``loguniform``. Any other parameter (strings, booleans, None,
    estimators ...) is categorical: one box per category with the individual
    scores overlaid as a jittered strip. Candidates without the parameter
    (other branches of a conditional, list-of-dicts space), candidates
    whose fits failed (non-finite score), candidates raced out
    (``racing=True``: their mean is over the folds they ran only) and the
    early rounds of a successive-halving search (scored with fewer
    resources) are skipped; the title says how many are shown. The best
    candidate is marked with a red star.

    Parameters
    ----------
    search : fitted search
        ``TPESearchCV`` or any fitted scikit-learn search with
        ``cv_results_``.
    name : str
        Parameter name, as in ``param_distributions`` (e.g. ``"clf__C"``).
    log : bool, default=None
        Log scale for a numeric x-axis; None chooses it from the parameter's
        distribution (``scipy.stats.loguniform``).
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made if None.

    Returns
    -------
    ax : matplotlib Axes
        The axes with the plot.

    Raises
    ------
    ValueError
        If the search is not fitted, no candidate of the search has the
        parameter (the message suggests the closest names, e.g. the nested
        ``"logisticregression__C"`` for ``"C"``), or ``log`` is not None or a
        bool.
    """
    _check_fitted(search)
    check_params(
        {"log": ["boolean", None]}, {"log": log}, caller="plot_param_score",
        advice={"log": "use None, True or False"},
    )
    key = _score_key(search)
    rows, values = _column(search, name)
    if len(rows) == 0:
        names = {n for p in search.cv_results_["params"] for n in p}
        raise ValueError(f"No candidate has parameter {name!r}; {name_fix(name, names)}")
    scores_all = np.asarray(search.cv_results_[key], dtype=float)
    if not np.isfinite(scores_all).any():
        raise ValueError(
            f"No candidate has a finite {key} (every fit failed or scored NaN), so "
            f"there is nothing to plot; see the fit errors in the FitFailedWarning, "
            f"or set error_score='raise' to see the first one."
        )
    scores = scores_all[rows]
    partial = _raced_out(search) | _early_round(search)  # means not comparable with the rest
    ok = np.isfinite(scores) & ~partial[rows]
    rows, scores = rows[ok], scores[ok]
    values = [v for v, keep in zip(values, ok) if keep]
    n_total = len(scores_all)
    best = getattr(search, "best_index_", None)
    if best is None or not np.isfinite(scores_all[best]):
        # the top complete row (a raced-out row's partial mean is not comparable)
        usable = np.isfinite(scores_all) & ~partial
        best = int(np.nanargmax(np.where(usable, scores_all, np.nan))) if usable.any() else None
    ax = _axes(ax)
    dist = _distribution(search, name)
    numeric = len(values) > 0 and all(_is_number(v) for v in values)
    if numeric:
        x = np.asarray(values, dtype=float)
        points = ax.scatter(x, scores, c=rows, cmap="viridis", s=20, alpha=0.8)
        ax.figure.colorbar(points, ax=ax, label="trial")
        if best in rows:
            ax.scatter(
                [x[list(rows).index(best)]], [scores_all[best]], marker="*", s=150,
                color="red", edgecolor="black", zorder=3, label="best",
            )
        if log if log is not None else (_is_log(dist) and x.min() > 0):
            ax.set_xscale("log")
    else:
        known = dist if isinstance(dist, (list, tuple)) else None
        cats = _categories(values, known)
        codes = np.array([_code(v, cats) for v in values], dtype=int)
        groups = [scores[codes == i] for i in range(len(cats))]
        present = [i for i, g in enumerate(groups) if len(g)]
        if present:
            ax.boxplot(
                [groups[i] for i in present], positions=present, widths=0.5,
                showfliers=False,
            )
        jitter = np.random.default_rng(0).uniform(-0.15, 0.15, size=len(codes))
        ax.scatter(codes + jitter, scores, s=14, alpha=0.6, color="C0")
        if best in rows:
            i = list(rows).index(best)
            ax.scatter(
                [codes[i]], [scores_all[best]], marker="*", s=150, color="red",
                edgecolor="black", zorder=3, label="best",
            )
        ax.set_xticks(range(len(cats)))
        ax.set_xticklabels(_labels(cats))
        ax.set_xlim(-0.6, len(cats) - 0.4)
    ax.set_xlabel(name)
    ax.set_ylabel(key)
    shown = f" ({len(scores)} of {n_total} candidates)" if len(scores) < n_total else ""
    ax.set_title(f"{name} against score{shown}")
    if best in rows:
        ax.legend(loc="best")
    return ax


# -- parameter importances -----------------------------------------------------
class _Encoded(NamedTuple):
    """The candidates with a finite score (not raced out), as a forest's training data."""

    names: list[str]  # parameter names, one per column of X
    X: np.ndarray  # (n_finite, n_names) encoded parameter values
    y: np.ndarray  # (n_finite,) mean test scores


def _encode(search: Any) -> _Encoded:
    """Parameter matrix (one column per name) and finite scores."""
    results = search.cv_results_
    params = results["params"]
    names = list(dict.fromkeys(n for p in params for n in p))
    scores = np.asarray(results[_score_key(search)], dtype=float)
    X = np.empty((len(params), len(names)))
    for j, name in enumerate(names):
        rows, values = _column(search, name)
        col = np.empty(len(params))
        if len(values) and all(_is_number(v) for v in values):
            x = np.asarray(values, dtype=float)
            finite = x[np.isfinite(x)]
            lo, hi = (finite.min(), finite.max()) if len(finite) else (0.0, 0.0)
            # Absent: a value below every observed one, so a tree can split
            # it off with a single threshold.
            col[:] = lo - (hi - lo) - 1.0
            col[rows] = np.where(np.isfinite(x), x, lo - (hi - lo) - 1.0)
        else:
            dist = _distribution(search, name)
            cats = _categories(values, dist if isinstance(dist, (list, tuple)) else None)
            col[:] = -1.0
            col[rows] = [_code(v, cats) for v in values]
        X[:, j] = col
    # a raced-out mean, or an early round's of a successive-halving search, is not comparable
    ok = np.isfinite(scores) & ~_raced_out(search) & ~_early_round(search)
    return _Encoded(names, X[ok], scores[ok])


def param_importances(
    search: Any, *, n_estimators: int = 100, n_repeats: int = 10, random_state: int = 0
) -> dict[str, float]:
    """Importance of each parameter for the score, from ``cv_results_`` only.

    A random forest regressor is fitted to predict each candidate's mean
    test score from its parameters, and each parameter's importance is its
    permutation importance for that forest: how much the forest's R² drops
    when the parameter's column is shuffled. Negative values are clipped to
    zero and the importances are normalised to sum to one.

    Parameters are encoded for the forest as follows: numeric values as they
    are (trees are insensitive to monotone transforms such as the log);
    other values as category codes; candidates without the parameter (other
    branches of a conditional space) as a separate value. Candidates whose
    fits failed (non-finite score), candidates raced out (``racing=True``:
    their mean is over the folds they ran only) and the early rounds of a
    successive-halving search (fewer resources) are left out.

    Parameters
    ----------
    search : fitted search
        ``TPESearchCV`` or any fitted scikit-learn search.
    n_estimators : int, default=100
        Trees in the forest.
    n_repeats : int, default=10
        Shuffles per parameter.
    random_state : int, RandomState instance or None, default=0
        Seed of the forest and of the shuffles.

    Returns
    -------
    importances : dict
        Parameter name to importance in [0, 1], most important first. All
        zeros when the scores do not vary or the forest cannot explain them.

    Raises
    ------
    ValueError
        If the search is not fitted, fewer than two candidates have a finite
        score, ``n_estimators`` or ``n_repeats`` is not a positive int, or
        ``random_state`` is not a seed.

    Notes
    -----
    A TPE search concentrates its candidates where the score is good, so the
    importances describe the explored region rather than the whole space, and
    with few candidates they are rough. Parameters that are correlated in
    the samples share their importance unevenly.
    """
    data = _importance_data(search, n_estimators, n_repeats, random_state)
    return _importances(*data, n_estimators, n_repeats, random_state)


def _importance_data(search: Any, n_estimators: int, n_repeats: int, random_state: Any
                     ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """:func:`param_importances`' arguments checked, and its encoded candidates and scores."""
    _check_fitted(search)
    _check_positive_int("n_estimators", n_estimators)
    _check_positive_int("n_repeats", n_repeats)
    seed_ok = random_state is None or isinstance(random_state, np.random.RandomState) or (
        isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)
        and 0 <= random_state < 2**32)
    if not seed_ok:
        raise ValueError(
            f"random_state={random_state!r} is invalid: use an int from 0 to 2**32 - 1, a "
            f"numpy RandomState, or None."
        )
    names, X, y = _encode(search)
    if len(y) < 2:
        raise ValueError(
            f"param_importances needs at least 2 candidates with a finite score, "
            f"got {len(y)}."
        )
    return names, X, y


def _importances(names: list[str], X: np.ndarray, y: np.ndarray, n_estimators: int,
                 n_repeats: int, random_state: int) -> dict[str, float]:
    """The forest's permutation importances (see :func:`param_importances`)."""
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.inspection import permutation_importance

    if np.ptp(y) == 0 or not names:
        return {n: 0.0 for n in names}
    forest = RandomForestRegressor(
        n_estimators=n_estimators, random_state=random_state
    ).fit(X, y)
    perm = permutation_importance(
        forest, X, y, n_repeats=n_repeats, random_state=random_state
    )
    imp = np.clip(perm.importances_mean, 0.0, None)
    total = imp.sum()
    if total > 0:
        imp = imp / total
    order = np.argsort(-imp, kind="stable")
    return {names[i]: float(imp[i]) for i in order}


def plot_param_importances(
    search: Any, *, ax: Axes | None = None, n_estimators: int = 100, n_repeats: int = 10,
    random_state: int = 0,
) -> Axes:
    """Horizontal bar chart of the parameters' importances.

    The importances are computed by :func:`param_importances` (permutation
    importance of a random forest predicting the mean test score from the
    parameters, normalised to sum to one). The most important parameter is
    at the top.

    Parameters
    ----------
    search : fitted search
        ``TPESearchCV`` or any fitted scikit-learn search.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made if None.
    n_estimators, n_repeats, random_state : int
        As in :func:`param_importances`.

    Returns
    -------
    ax : matplotlib Axes
        The axes with one bar per parameter.
    """
    data = _importance_data(search, n_estimators, n_repeats, random_state)
    ax = _axes(ax)  # before the forest is fitted
    importances = _importances(*data, n_estimators, n_repeats, random_state)
    names = list(importances)[::-1]
    values = [importances[n] for n in names]
    ax.barh(range(len(names)), values, color="C0")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    ax.set_xlabel("importance (share of permutation importance)")
    ax.set_title(f"Parameter importances ({_score_key(search)})")
    return ax


# -- TPE's densities -------------------------------------------------------------
def _sampler(search_or_sampler: Any) -> TPESampler:
    sampler = getattr(search_or_sampler, "sampler_", search_or_sampler)
    if not hasattr(sampler, "split_densities"):
        from ._search import TPESearchCV

        if isinstance(search_or_sampler, TPESearchCV):
            _check_fitted(search_or_sampler)  # an unfitted TPESearchCV is told to fit first
        if hasattr(search_or_sampler, "get_params"):
            raise ValueError(
                f"{type(search_or_sampler).__name__} has no TPE sampler: pass a "
                f"fitted TPESearchCV or a TPESampler."
            )
        raise TypeError(
            f"Expected a fitted TPESearchCV or a TPESampler, got "
            f"{type(search_or_sampler).__name__}."
        )
    return sampler


def _proposal_of_row(search: Any, sampler: TPESampler, row: int) -> int:
    """The sampler's trial index of ``cv_results_`` row ``row``: rows are in the order
    candidates settled, which is not the order they were proposed when they settle out of
    turn (racing with several workers, asynchronous proposals)."""
    params = search.cv_results_["params"]
    if row >= len(params):
        return len(sampler.params_)  # the next proposal
    target = params[row]
    k = sum(same_params(p, target) for p in params[:row])  # an earlier row of the same dict
    hits = [j for j, p in enumerate(sampler.params_) if same_params(p, target)]
    return hits[k] if k < len(hits) else row


def plot_split_densities(
    search_or_sampler: Any,
    name: str,
    trial: int | None = None,
    *,
    branch: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot TPE's good and bad densities of one parameter at one trial.

    Shows the state in which the sampler proposed trial ``trial``: the
    finished trials before it are ranked by score, the best fraction
    ``gamma`` forms the good density l(x) and the rest the bad density g(x).
    Both are drawn relative to the prior (the parameter's own distribution,
    flat at 1), with their ratio l(x)/g(x), the quantity TPE maximises, on a
    twin y-axis (log scale). A vertical line marks the value of trial
    ``trial`` (none if that trial was drawn from another dict of a
    list-of-dicts space). For a categorical parameter the densities are bars
    per choice.

    Parameters
    ----------
    search_or_sampler : TPESearchCV or TPESampler
        A fitted ``TPESearchCV`` (its ``sampler_`` is used) or a sampler with
        told trials.
    name : str
        Parameter name.
    trial : int, default=None
        0-based index of the trial to explain (the row of ``cv_results_`` for
        a search), from 1 to the number of trials; the densities use the
        trials proposed before it. (Rows are in the order candidates settled;
        where one settled out of turn, with racing on several workers or
        asynchronous proposals, the row's candidate is found among the
        sampler's proposals.) ``trial`` equal to the number of trials
        shows the densities for the next proposal, without a marker. None
        means the last trial.
    branch : int, default=None
        Index of the dict holding ``name`` in a list-of-dicts space. None
        uses the dict that trial ``trial`` was drawn from, or else the first
        dict holding ``name``.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made if None.

    Returns
    -------
    ax : matplotlib Axes
        The axes with the densities; the ratio is on its twin axes (the last
        axes of ``ax.figure``).

    Raises
    ------
    ValueError
        If ``trial`` or ``branch`` is out of range, ``name`` is not in the
        space or the branch (the message suggests the closest names) or is
        drawn at random (an object with ``rvs`` only).

    Notes
    -----
    Trials before ``n_startup_trials`` are ``initial_candidates`` or drawn
    from the prior, not chosen by TPE; the title says so. The densities are
    the marginals of the parameter: with joint densities
    (``multivariate=True``, or ``'auto'`` with few trials pending) TPE scores
    whole candidates, so a chosen value can sit off the peak of the marginal
    ratio.
    """
    sampler = _sampler(search_or_sampler)
    n_told = len(sampler.params_)
    if trial is None:
        if n_told < 2:
            raise ValueError(
                f"plot_split_densities needs at least 2 trials (the densities shown "
                f"with a trial are built from the trials before it), but "
                f"{'the search' if sampler is not search_or_sampler else 'the sampler'} "
                f"has {n_told}; {'tell it more trials' if sampler is search_or_sampler else 'run more candidates (n_iter)'} first."
            )
        trial = n_told - 1
    if isinstance(trial, bool) or not isinstance(trial, numbers.Integral) or not (
        1 <= trial <= n_told
    ):
        raise ValueError(
            f"trial={trial!r} is invalid: use an int from 1 to {n_told} (the "
            f"densities are built from the trials before it)."
        )
    trial = int(trial)
    shown = trial  # the row of cv_results_ (a search) or the sampler's trial
    if sampler is not search_or_sampler:
        trial = _proposal_of_row(search_or_sampler, sampler, trial)
        if trial == 0:
            raise ValueError(
                f"trial={shown} is the row of the first candidate proposed (it settled "
                f"later): no trial came before it, so it has no densities to show."
            )
    res = sampler.split_densities(name, n_trials=trial, branch=branch)
    kind = res["kind"]
    chosen = res["chosen"]
    l, g = np.asarray(res["l"], dtype=float), np.asarray(res["g"], dtype=float)
    ratio = l / np.maximum(g, 1e-300)

    ax = _axes(ax)
    twin = ax.twinx()
    if kind == "categorical":
        cats = res["values"]
        x = np.arange(len(cats))
        ax.bar(x - 0.2, l, 0.4, color="C0", label="good l(x)")
        ax.bar(x + 0.2, g, 0.4, color="C1", label="bad g(x)")
        twin.plot(x, ratio, "D", color="C2", label="l(x) / g(x)")
        ax.set_xticks(x)
        ax.set_xticklabels(_labels(cats))
        if res["chosen_branch"] == res["branch"]:
            at = _code(chosen, cats)
            ax.axvline(
                at, color="black", lw=1.5,
                label=f"trial {shown}: {_labels(cats)[at] if at >= 0 else _label(chosen)}",
            )
        ax.set_ylabel("probability relative to the prior")
    else:
        x = np.asarray(res["values"], dtype=float)
        style = "o-" if kind == "discrete" else "-"
        ax.plot(x, l, style, color="C0", label="good l(x)")
        ax.plot(x, g, style, color="C1", label="bad g(x)")
        twin.plot(x, ratio, "--", color="C2", label="l(x) / g(x)")
        if chosen is not None:  # (None: trial proposed from another dict, or none)
            ax.axvline(
                float(chosen), color="black", lw=1.5,
                label=f"trial {shown}: {_label(chosen)}",
            )
        dim = next(d for d in sampler.space_.branches[res["branch"]].dims if d.name == name)
        if _is_log(getattr(dim, "dist", None)) and x.min() > 0:  # as plot_param_score's
            ax.set_xscale("log")
        ax.set_ylabel("density relative to the prior")
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_ylim(bottom=0)
    twin.set_yscale("log")
    twin.set_ylabel("l(x) / g(x)")
    ax.set_xlabel(name)
    # (the start-up candidates: initial_candidates, then draws from the prior)
    note = " (start-up: not a TPE proposal)" if trial < sampler.n_startup_trials else ""
    ax.set_title(
        f"{name} at trial {shown}: {res['n_good']} good / {res['n_bad']} bad{note}"
    )
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = twin.get_legend_handles_labels()
    ax.legend(handles + h2, labels + l2, loc="best", fontsize="small")
    return ax
