"""Plots of a fitted search. matplotlib is imported inside each function
(install the ``plot`` extra)."""

import numpy as np

__all__ = ["plot_optimization_history"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4))
    return ax


def _score_key(search):
    refit = search.refit
    if getattr(search, "multimetric_", False) and isinstance(refit, str):
        return f"mean_test_{refit}"
    keys = [k for k in search.cv_results_ if k.startswith("mean_test_")]
    return "mean_test_score" if "mean_test_score" in keys else keys[0]


def plot_optimization_history(search, *, baseline=None, ax=None):
    """Plot each trial's score and the best score so far against the trial.

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
    """
    ax = _axes(ax)
    for s, label, color in ((search, type(search).__name__, "C0"),
                            (baseline, None, "C1")):
        if s is None:
            continue
        label = label or f"{type(s).__name__} (baseline)"
        scores = np.asarray(s.cv_results_[_score_key(s)], dtype=float)
        trials = np.arange(1, len(scores) + 1)
        best = np.fmax.accumulate(np.where(np.isfinite(scores), scores, np.nan))
        ax.scatter(trials, scores, s=10, alpha=0.4, color=color)
        ax.step(trials, best, where="post", color=color, label=f"{label}: best so far")
    ax.set_xlabel("trial")
    ax.set_ylabel(_score_key(search))
    ax.set_title("Optimisation history")
    ax.legend(loc="lower right")
    return ax
