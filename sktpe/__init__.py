"""sktpe: Tree-structured Parzen Estimator search for scikit-learn.

``TPESearchCV`` is a drop-in replacement for
:class:`~sklearn.model_selection.RandomizedSearchCV` that chooses each new
candidate from what earlier candidates scored. ``TPESampler`` is the
underlying ask/tell sampler, usable on its own.
"""

from ._search import TPESearchCV
from ._tpe import TPESampler

__all__ = ["TPESearchCV", "TPESampler"]
__version__ = "0.1.0"
