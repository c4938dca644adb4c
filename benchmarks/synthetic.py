"""More synthetic objectives with known optima (merged into ``objectives.OBJECTIVES``).

All are MAXIMISED: the classic minimisation test functions are negated, so the
optimum is minus their known minimum. Spaces use RandomizedSearchCV's format.

* ``hartmann3``: Hartmann-3 on [0, 1]^3, maximum 3.86278.
* ``ackley5``: Ackley in 5 dimensions on [-32.768, 32.768]^5, maximum 0 at 0.
* ``levy6``: Levy in 6 dimensions on [-10, 10]^6, maximum 0 at (1, ..., 1).
* ``styblinski4`` / ``styblinski8`` / ``styblinski20``: Styblinski-Tang on
  [-5, 5]^d, maximum 39.16617 d at x_i = -2.903534.
* ``rosenbrock4``: Rosenbrock in 4 dimensions, two linear floats on [-2, 2]
  and two log-scale floats on [0.01, 10]; maximum 0 at (1, 1, 1, 1).
* ``intcat``: a 7-parameter space of integers and categoricals with
  interactions (a gradient-boosting-like surface), maximum 1.0.

This module defines only the functions, spaces and optima, so that
``objectives.py`` (which holds the estimator wrapper) can import it.
"""

import math

import numpy as np
from scipy.stats import loguniform, randint, uniform

__all__ = ["FUNCS", "OPTIMA", "SPACES"]

_H3_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_H3_A = np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]])
_H3_P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]])


def hartmann3(p):
    """Hartmann-3 (positive form); maximum 3.86278."""
    x = np.array([p["x0"], p["x1"], p["x2"]])
    return float(_H3_ALPHA @ np.exp(-(_H3_A * (x - _H3_P) ** 2).sum(axis=1)))


def _vec(p, d):
    return np.array([p[f"x{i}"] for i in range(d)], dtype=float)


def ackley5(p):
    """Negated Ackley, d=5; maximum 0 at the origin."""
    x = _vec(p, 5)
    d = len(x)
    a = -20 * math.exp(-0.2 * math.sqrt((x**2).sum() / d))
    b = -math.exp(np.cos(2 * math.pi * x).sum() / d)
    return -(a + b + 20 + math.e)


def levy6(p):
    """Negated Levy, d=6; maximum 0 at (1, ..., 1)."""
    w = 1 + (_vec(p, 6) - 1) / 4
    head = math.sin(math.pi * w[0]) ** 2
    mid = ((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(math.pi * w[:-1] + 1) ** 2)).sum()
    tail = (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)
    return -float(head + mid + tail)


def _styblinski(p, d):
    x = _vec(p, d)
    return -float(0.5 * (x**4 - 16 * x**2 + 5 * x).sum())


def styblinski4(p):
    """Negated Styblinski-Tang, d=4; maximum 156.66468."""
    return _styblinski(p, 4)


def styblinski8(p):
    """Negated Styblinski-Tang, d=8; maximum 313.32936."""
    return _styblinski(p, 8)


def styblinski20(p):
    """Negated Styblinski-Tang, d=20; maximum 783.3234."""
    return _styblinski(p, 20)


def rosenbrock4(p):
    """Negated Rosenbrock, d=4; maximum 0 at (1, 1, 1, 1)."""
    x = _vec(p, 4)
    return -float((100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum())


_BOOST = {"gbdt": 0.0, "dart": -0.03, "goss": -0.08}
_LOSS = {"logloss": 0.0, "hinge": -0.1, "squared": -0.15}


def intcat(p):
    """Integers and categoricals; maximum 1.0 (gbdt, logloss, depth 6, leaves 40,
    min_child 20, 300 rounds, bagging on)."""
    depth, leaves = p["max_depth"], p["num_leaves"]
    s = 1.0 + _BOOST[p["boosting"]] + _LOSS[p["loss"]]
    s -= 0.01 * (depth - 6) ** 2
    s -= 0.2 * (math.log2(leaves) - math.log2(40)) ** 2 / 4
    s -= 0.05 if leaves > 2**depth else 0.0  # more leaves than the depth allows
    s -= 0.03 * (math.log10(p["min_child"]) - math.log10(20)) ** 2 * 4
    s -= 0.04 * (math.log10(p["n_rounds"]) - math.log10(300)) ** 2 * 4
    s -= 0.0 if p["bagging"] == "on" else (0.06 if p["boosting"] != "goss" else 0.0)
    return s


_ST = uniform(-5, 10)
SPACES = {
    "hartmann3": {f"x{i}": uniform(0, 1) for i in range(3)},
    "ackley5": {f"x{i}": uniform(-32.768, 65.536) for i in range(5)},
    "levy6": {f"x{i}": uniform(-10, 20) for i in range(6)},
    "styblinski4": {f"x{i}": _ST for i in range(4)},
    "styblinski8": {f"x{i}": _ST for i in range(8)},
    "styblinski20": {f"x{i}": _ST for i in range(20)},
    "rosenbrock4": {"x0": uniform(-2, 4), "x1": uniform(-2, 4),
                    "x2": loguniform(1e-2, 10.0), "x3": loguniform(1e-2, 10.0)},
    "intcat": {
        "boosting": ["gbdt", "dart", "goss"],
        "loss": ["logloss", "hinge", "squared"],
        "max_depth": randint(2, 13),
        "num_leaves": randint(4, 257),
        "min_child": randint(1, 201),
        "n_rounds": randint(20, 2001),
        "bagging": ["on", "off"],
    },
}
FUNCS = {"hartmann3": hartmann3, "ackley5": ackley5, "levy6": levy6, "styblinski4": styblinski4,
         "styblinski8": styblinski8, "styblinski20": styblinski20, "rosenbrock4": rosenbrock4, "intcat": intcat}
OPTIMA = {"hartmann3": 3.86278, "ackley5": 0.0, "levy6": 0.0, "styblinski4": 39.16617 * 4,
          "styblinski8": 39.16617 * 8, "styblinski20": 39.16617 * 20, "rosenbrock4": 0.0, "intcat": 1.0}
