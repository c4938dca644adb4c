"""Problems of the cluster simulator (``cluster_sim.py``): a space, a true objective, fold noise and a cost model.

Each :class:`Problem` has a search space in RandomizedSearchCV format, a
noise-free objective ``true(params)`` to MAXIMISE with a known optimum, the
standard deviation of the noise added to each CV fold's score, and a cost
model ``cost(params)``: the mean fit time of one fold in (virtual) seconds.
:meth:`Problem.fold` draws one fold's score and fit time; both are fixed by
(problem, seed, parameters, fold) through a hash, so a point proposed by two
methods gets the same folds, and every run is deterministic.

Problems:

* ``branin``: negated Branin (2 floats); fit time 0.05 to 0.15 s, rising with x2.
* ``hartmann6``: Hartmann-6 (6 floats on [0, 1]); 0.04 to 0.2 s, rising with x0..x2.
* ``mixed``: the neural-net-like space of ``objectives.mixed`` (log float,
  integers, float, two categoricals), without its point noise; 0.03 to 0.33 s,
  rising with depth and width.
* ``boosting``: a gradient-boosting-like space (n_estimators 10..500, a
  log-scale learning rate, depth, subsample, min_samples_leaf) where the best
  models use many trees: fit time 0.02 to 0.6 s, set mostly by
  n_estimators and depth, so the good region is the slow one (about 0.5 s at
  the optimum against 0.3 s on average under the prior).
* ``conditional``: the two-branch list-of-dicts space of
  ``objectives.conditional``; branch A costs 0.05 s, branch B 0.02 s per
  unit of its integer ``k`` (0.02 to 0.24 s).
* ``styblinski8``: negated Styblinski-Tang in 8 dimensions; 0.05 to 0.25 s,
  rising with x0.

Fit times carry lognormal noise (sd 0.2 on the log scale, mean one).
"""

from __future__ import annotations

import hashlib
import math
import os
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import loguniform, randint, uniform

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import objectives  # noqa: E402
import synthetic  # noqa: E402

__all__ = ["PROBLEMS", "Problem", "point_key"]

TIME_NOISE = 0.2  # sd of log fit time around the cost model


def point_key(params: dict) -> str:
    """A canonical text for a parameter dict (numpy and Python numbers alike)."""
    items = []
    for k, v in sorted(params.items()):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)):
            items.append((k, str(v)))
        elif isinstance(v, (int, np.integer)):
            items.append((k, int(v)))
        else:
            items.append((k, round(float(v), 10)))
    return repr(items)


def _two_normals(text: str) -> tuple[float, float]:
    """Two standard normal draws fixed by ``text`` (Box-Muller on a SHA-256 digest)."""
    a, b = struct.unpack("<QQ", hashlib.sha256(text.encode()).digest()[:16])
    u1 = (a + 1) / (2**64 + 1)
    u2 = b / 2**64
    r = math.sqrt(-2.0 * math.log(u1))
    return r * math.cos(2 * math.pi * u2), r * math.sin(2 * math.pi * u2)


@dataclass(frozen=True)
class Problem:
    """One simulated tuning problem (see the module docstring)."""

    name: str
    space: Any  # dict or list of dicts, RandomizedSearchCV format
    true: Callable[[dict], float]  # noise-free objective, maximised
    optimum: float  # its known maximum
    fold_sd: float  # sd of the noise on each fold's score
    cost: Callable[[dict], float]  # mean fit time of one fold, seconds
    # sd of an offset per (seed, fold) added to every candidate's score on that
    # fold: folds easier or harder for all alike, as on real data. 0 in the
    # simulator's report; cluster_sim_fold_effect.py sets it.
    fold_effect: float = 0.0

    def fold(self, params: dict, fold: int, seed: int, key: str | None = None) -> tuple[float, float]:
        """(score, fit time) of one CV fold of ``params``, fixed by the seed."""
        key = point_key(params) if key is None else key
        z_score, z_time = _two_normals(f"{self.name}|{seed}|{key}|{fold}")
        score = self.true(params) + self.fold_sd * z_score
        if self.fold_effect:
            score += self.fold_effect * _two_normals(f"{self.name}|{seed}|fold effect|{fold}")[0]
        fit_time = self.cost(params) * math.exp(TIME_NOISE * z_time - TIME_NOISE**2 / 2)
        return score, fit_time


# -- objectives ------------------------------------------------------------------------
def mixed_true(p: dict) -> float:
    """``objectives.mixed`` without its deterministic point noise; maximum 1.0."""
    return objectives.mixed(p) - objectives._noise(p, 0.01)


def boosting(p: dict) -> float:
    """A boosted-trees-like surface; maximum 1.04 (500 trees, learning rate 0.04,
    depth 8, subsample 0.8, min_samples_leaf 10)."""
    steps = math.log10(p["learning_rate"] * p["n_estimators"])
    s = 1.0 - 0.05 * (steps - math.log10(20)) ** 2  # enough boosting, not too much
    s += 0.04 * math.log10(p["n_estimators"] / 10) / math.log10(50)  # small steps are better
    s -= 0.004 * (p["max_depth"] - 8) ** 2
    s -= 0.2 * (p["subsample"] - 0.8) ** 2
    s -= 0.02 * (math.log10(p["min_samples_leaf"]) - 1) ** 2
    return s


def styblinski8_true(p: dict) -> float:
    """Negated Styblinski-Tang in 8 dimensions; maximum 313.32936."""
    return synthetic.styblinski8(p)


# -- cost models (mean seconds per fold fit) -------------------------------------------
def branin_cost(p: dict) -> float:
    return 0.05 + 0.1 * p["x2"] / 15


def hartmann6_cost(p: dict) -> float:
    return 0.04 + 0.16 * (p["x0"] + p["x1"] + p["x2"]) / 3


def mixed_cost(p: dict) -> float:
    return 0.03 + 0.3 * (p["n_layers"] / 8) * (math.log2(p["width"]) - 3) / 7


def boosting_cost(p: dict) -> float:
    return 0.02 + 0.58 * (0.7 * (p["n_estimators"] - 10) / 490 + 0.3 * (p["max_depth"] - 2) / 10)


def conditional_cost(p: dict) -> float:
    return 0.05 if p["branch"] == "A" else 0.02 * p["k"]


def styblinski8_cost(p: dict) -> float:
    return 0.05 + 0.2 * (p["x0"] + 5) / 10


_ST = uniform(-5, 10)
PROBLEMS: dict[str, Problem] = {
    p.name: p
    for p in [
        Problem("branin", objectives._SPACES["branin"], objectives.branin, -0.397887, 0.3,
                branin_cost),
        Problem("hartmann6", objectives._SPACES["hartmann6"], objectives.hartmann6, 3.32237,
                0.05, hartmann6_cost),
        Problem("mixed", objectives._SPACES["mixed"], mixed_true, 1.0, 0.02, mixed_cost),
        Problem(
            "boosting",
            {"n_estimators": randint(10, 501), "learning_rate": loguniform(1e-3, 1.0),
             "max_depth": randint(2, 13), "subsample": uniform(0.5, 0.5),
             "min_samples_leaf": randint(1, 101)},
            boosting, 1.04, 0.01, boosting_cost,
        ),
        Problem("conditional", objectives._SPACES["conditional"], objectives.conditional, 1.0,
                0.02, conditional_cost),
        Problem("styblinski8", {f"x{i}": _ST for i in range(8)}, styblinski8_true,
                39.16617 * 8, 2.0, styblinski8_cost),
    ]
}
