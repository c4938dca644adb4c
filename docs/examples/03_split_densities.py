"""
What TPE sees: the good and bad densities
=========================================

TPE splits the finished trials into the best few (the good group) and the
rest, fits a Parzen density to each, and proposes where the good density
l(x) is large relative to the bad one g(x). This example drives the ask/tell
:class:`sktpe.TPESampler` on a function of two parameters (no scikit-learn
model), then draws, for each parameter at the last trial, the density l(x) of
the best trials so far, the density g(x) of the others, and their ratio,
which TPE maximises.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import loguniform

from sktpe import TPESampler
from sktpe.plotting import plot_split_densities

N_ITER = int(os.environ.get("SKTPE_EXAMPLE_N_ITER", 40))


def objective(params):
    """Greater is better; the optimum is at lr = 1e-2 and the "adam" choice."""
    bonus = {"adam": 0.3, "sgd": 0.0, "rmsprop": 0.15}[params["optimizer"]]
    return -((np.log10(params["lr"]) + 2) ** 2) + bonus


space = {"lr": loguniform(1e-5, 1.0), "optimizer": ["adam", "sgd", "rmsprop"]}
sampler = TPESampler(space, n_startup_trials=8, random_state=0)
for _ in range(N_ITER):
    (params,) = sampler.ask()
    sampler.tell(params, objective(params))

# %%
# The sampler holds every trial and its score.
best = int(np.argmax(sampler.scores_))
print("best trial:", best, sampler.params_[best], sampler.scores_[best])

# %%
# l(x) and g(x) are drawn relative to the prior (flat at 1), with their ratio
# on the right axis; the vertical line is the value TPE picked. Top: the
# first proposal after the 8 start-up trials; bottom: the last proposal.
last = len(sampler.params_) - 1
trials = sorted({min(8, last), last})
fig, axes = plt.subplots(len(trials), 2, figsize=(12, 4 * len(trials)),
                         layout="constrained", squeeze=False)
for row, trial in zip(axes, trials):
    plot_split_densities(sampler, "lr", trial=trial, ax=row[0])
    plot_split_densities(sampler, "optimizer", trial=trial, ax=row[1])
plt.show()

# %%
# The picked value need not sit at the peak of one parameter's ratio: with
# joint densities (the default ``multivariate='auto'`` with one worker) TPE
# scores whole candidates, ``lr`` and ``optimizer`` together. And late in a run the bad group also holds many
# near-best trials, so g(x) is high around the optimum too, and TPE now and
# then proposes a candidate away from it, as an exploratory step.
