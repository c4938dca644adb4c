"""Synthetic objectives with known optima, for fast and exact comparisons.

Every objective is an :class:`Objective`: a plain function ``f(params) ->
score`` to MAXIMISE, its ``param_distributions`` in RandomizedSearchCV format
(scipy.stats distributions and lists, or a list of dicts), and the known best
score ``optimum``. ``objective.estimator()`` wraps it in a do-nothing
scikit-learn estimator whose ``score`` is ``f`` of its parameters, and
``objective.search_kwargs()`` gives the trivial ``X, y, cv`` that let
TPESearchCV or RandomizedSearchCV drive it::

    obj = OBJECTIVES["hartmann6"]
    search = TPESearchCV(obj.estimator(), obj.space, n_iter=50, refit=False,
                         **obj.search_kwargs())
    search.fit(*obj.data())

Objectives: ``branin`` (negated, 2 continuous), ``hartmann6`` (6 continuous,
optimum 3.32237), ``mixed`` (log / int / categorical with interactions and
small deterministic noise) and ``conditional`` (two branches: A is better on
average, B has the higher peak), plus those of ``synthetic.py``: ``hartmann3``,
``ackley5``, ``levy6``, ``styblinski4``, ``styblinski8``, ``rosenbrock4`` (log
and linear floats) and ``intcat`` (integers and categoricals).
"""

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator

import synthetic as _synthetic

__all__ = ["OBJECTIVES", "Objective", "ObjectiveEstimator"]


# -- the functions -------------------------------------------------------------
def branin(p):
    """Negated Branin-Hoo; maximum -0.397887 at three points."""
    x1, x2 = p["x1"], p["x2"]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return -((x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10)


_H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_H6_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_H6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)


def hartmann6(p):
    """Hartmann-6 (positive form); maximum 3.32237."""
    x = np.array([p[f"x{i}"] for i in range(6)])
    return float(_H6_ALPHA @ np.exp(-(_H6_A * (x - _H6_P) ** 2).sum(axis=1)))


def _noise(p, sd):
    """Gaussian noise seeded by the parameter values: deterministic per point."""
    key = repr(sorted((k, round(v, 10) if isinstance(v, float) else v) for k, v in p.items()))
    seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little")
    return sd * np.random.default_rng(seed).standard_normal()


_ACT = {"relu": 0.0, "tanh": -0.05, "sigmoid": -0.2}
_LR_BEST = {"adam": -3.0, "sgd": -1.0}


def mixed(p):
    """A neural-net-like space; noiseless maximum 1.0 (adam, lr=1e-3, 4 layers,
    dropout 0.2, width 128, relu), plus noise with sd 0.01."""
    lr_term = -0.1 * (math.log10(p["lr"]) - _LR_BEST[p["optimizer"]]) ** 2
    depth = -0.05 * (p["n_layers"] - 4) ** 2
    dropout = -2.0 * (p["dropout"] - 0.05 * p["n_layers"]) ** 2  # best dropout grows with depth
    width = -0.02 * (math.log2(p["width"]) - 7) ** 2
    act = _ACT[p["activation"]] - (0.1 if (p["activation"], p["optimizer"]) == ("sigmoid", "sgd") else 0)
    return 1.0 + lr_term + depth + dropout + width + act + _noise(p, 0.01)


def conditional(p):
    """Branch A: broad plateau, peak 0.8, mean 0.75. Branch B: narrow peak 1.0
    at u=0.73, log10(v)=-2, k=7, mean about 0.05."""
    if p["branch"] == "A":
        return 0.8 - 0.3 * ((p["x"] - 0.5) ** 2 + (p["y"] - 0.5) ** 2)
    bump = ((p["u"] - 0.73) / 0.08) ** 2 + (math.log10(p["v"]) + 2) ** 2 / 2
    return math.exp(-bump) - 0.02 * (p["k"] - 7) ** 2


# -- the container -------------------------------------------------------------
@dataclass
class Objective:
    """A synthetic objective: ``f``, its search space and its known optimum."""

    name: str
    f: callable
    space: object  # dict or list of dicts, RandomizedSearchCV format
    optimum: float
    defaults: dict = field(default_factory=dict)

    def __call__(self, params):
        return self.f(params)

    def estimator(self):
        return ObjectiveEstimator(objective=self.name, **self.defaults)

    @staticmethod
    def data():
        return np.zeros((4, 1)), np.zeros(4)

    @staticmethod
    def search_kwargs():
        """A single trivial train/test split: the score is f, evaluated once."""
        return {"cv": [(np.arange(2), np.arange(2, 4))]}


class ObjectiveEstimator(BaseEstimator):
    """Do-nothing estimator whose ``score`` is the objective of its params.

    The parameters are the objective's name plus every name of its space, so
    ``clone``/``set_params`` from a search work as for a real estimator.
    """

    def __init__(self, objective="branin", **params):
        self.objective = objective
        self._names = sorted(params)
        for k, v in params.items():
            setattr(self, k, v)

    def get_params(self, deep=True):
        return {"objective": self.objective, **{k: getattr(self, k) for k in self._names}}

    def set_params(self, **params):
        for k, v in params.items():
            if k != "objective" and k not in self._names:
                raise ValueError(f"Invalid parameter {k!r} for objective {self.objective!r}")
            setattr(self, k, v)
        return self

    def fit(self, X, y=None):
        self.is_fitted_ = True
        return self

    def score(self, X, y=None):
        obj = OBJECTIVES[self.objective]
        return obj({k: getattr(self, k) for k in self._names if getattr(self, k) is not None})


def _none(space):
    dicts = space if isinstance(space, list) else [space]
    return {k: None for d in dicts for k in d}


_SPACES = {
    "branin": {"x1": uniform(-5, 15), "x2": uniform(0, 15)},
    "hartmann6": {f"x{i}": uniform(0, 1) for i in range(6)},
    "mixed": {
        "lr": loguniform(1e-5, 1.0),
        "n_layers": randint(1, 9),
        "width": randint(8, 1025),
        "dropout": uniform(0, 0.6),
        "activation": ["relu", "tanh", "sigmoid"],
        "optimizer": ["adam", "sgd"],
    },
    "conditional": [
        {"branch": ["A"], "x": uniform(0, 1), "y": uniform(0, 1)},
        {"branch": ["B"], "u": uniform(0, 1), "v": loguniform(1e-4, 1.0), "k": randint(1, 13)},
    ],
}
_FUNCS = {"branin": branin, "hartmann6": hartmann6, "mixed": mixed, "conditional": conditional}
_OPTIMA = {"branin": -0.397887, "hartmann6": 3.32237, "mixed": 1.0, "conditional": 1.0}
_SPACES.update(_synthetic.SPACES)  # hartmann3, ackley5, levy6, styblinski4/8, rosenbrock4, intcat
_FUNCS.update(_synthetic.FUNCS)
_OPTIMA.update(_synthetic.OPTIMA)

OBJECTIVES = {
    name: Objective(name, _FUNCS[name], space, _OPTIMA[name], _none(space))
    for name, space in _SPACES.items()
}
