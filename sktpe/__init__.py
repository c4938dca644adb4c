"""sktpe: Tree-structured Parzen Estimator search for scikit-learn.

``TPESearchCV`` is a drop-in replacement for
:class:`~sklearn.model_selection.RandomizedSearchCV` that chooses each new
candidate from what earlier candidates scored. ``TPESampler`` is the
underlying ask/tell sampler, usable on its own. ``within_one_std_error`` and
``one_std_error_rule`` tell which candidates are within fold noise of the
best, and refit the simplest of them. Plots live in ``sktpe.plotting``.
"""

from ._noise import one_std_error_rule, within_one_std_error
from ._search import TPESearchCV
from ._tpe import TPESampler

__all__ = ["TPESearchCV", "TPESampler", "one_std_error_rule", "within_one_std_error"]
__version__ = "0.1.0"
