"""
Quick start: TPE against random search
======================================

``TPESearchCV`` takes the same arguments as scikit-learn's
``RandomizedSearchCV`` and gives the same fitted attributes. Here both tune an
RBF support vector classifier on the digits data, with the same space, the
same budget and the same folds, and the plot shows the best score found so far
against the number of candidates.
"""

import os

import matplotlib.pyplot as plt
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.model_selection import RandomizedSearchCV
from sklearn.svm import SVC

from sktpe import TPESearchCV
from sktpe.plotting import plot_optimization_history

# The test suite runs every example with a small budget.
N_ITER = int(os.environ.get("SKTPE_EXAMPLE_N_ITER", 40))

X, y = load_digits(return_X_y=True)
X, y = X[::3], y[::3]  # a third of the data keeps the example fast

# %%
# The space is a dict of distributions, exactly as for RandomizedSearchCV;
# ``loguniform`` parameters are searched on the log scale.
space = {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1)}

tpe = TPESearchCV(SVC(), space, n_iter=N_ITER, cv=3, random_state=0)
tpe.fit(X, y)

rand = RandomizedSearchCV(SVC(), space, n_iter=N_ITER, cv=3, random_state=0)
rand.fit(X, y)

print(f"TPESearchCV        best {tpe.best_score_:.4f} with {tpe.best_params_}")
print(f"RandomizedSearchCV best {rand.best_score_:.4f} with {rand.best_params_}")

# Every fitted attribute of RandomizedSearchCV is there, e.g. the refitted model:
print("accuracy of the refitted model on the training data:", tpe.score(X, y))

# %%
# Each dot is one candidate's mean CV score; the lines are the best so far.
# This is one seed: ``make demo`` in the source tree compares the two
# searches over several seeds.
ax = plot_optimization_history(tpe, baseline=rand)
plt.show()
