"""sktpe: Tree-structured Parzen Estimator search for scikit-learn.

``TPESearchCV`` is a drop-in replacement for
:class:`~sklearn.model_selection.RandomizedSearchCV` that chooses each new
candidate from what earlier candidates scored. ``TPESampler`` is the
underlying ask/tell sampler, usable on its own.
"""

from ._search import TPESearchCV
from ._tpe import TPESampler
from ._noise import one_std_error_rule, within_one_std_error

__all__ = ["TPESearchCV", "TPESampler"]
__all__ += ["one_std_error_rule", "within_one_std_error"]
__version__ = "0.1.0"
