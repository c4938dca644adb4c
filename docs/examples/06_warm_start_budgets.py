"""
Continuing a search, and budgets of time and patience
=====================================================

``warm_start=True`` makes ``fit`` continue the previous search up to a total
of ``n_iter`` candidates: the earlier candidates stay in ``cv_results_`` and
inform TPE, and none is refitted. ``max_time`` stops a search once its wall
time is spent, and ``n_iter_no_change`` once that many candidates in a row have
not improved the best score; ``stop_reason_`` says why a search stopped.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import loguniform
from sklearn.datasets import load_breast_cancer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sktpe import TPESearchCV

N_ITER = int(os.environ.get("SKTPE_EXAMPLE_N_ITER", 15))

X, y = load_breast_cancer(return_X_y=True)
est = make_pipeline(StandardScaler(), SVC())
space = {
    "svc__C": loguniform(1e-3, 1e3),
    "svc__gamma": loguniform(1e-5, 1e1),
    "svc__kernel": ["rbf", "sigmoid"],
}

# %%
# Continue a search
# -----------------
# A first fit of ``N_ITER`` candidates, then ``n_iter`` is raised and ``fit``
# called again on the same data and folds: it evaluates only the new ones.
search = TPESearchCV(est, space, n_iter=N_ITER, cv=3, warm_start=True,
                     random_state=0)
search.fit(X, y)
first = len(search.cv_results_["params"])
print(f"first fit:  {first} candidates, best {search.best_score_:.4f}")

search.set_params(n_iter=2 * N_ITER)
search.fit(X, y)
total = len(search.cv_results_["params"])
print(f"second fit: {total} candidates in all, best {search.best_score_:.4f}")

# %%
# Budgets
# -------
# A large ``n_iter`` with a time budget of one second, and one with patience
# of ten candidates.
timed = TPESearchCV(est, space, n_iter=500, cv=3, max_time=1.0, random_state=0)
timed.fit(X, y)
print(f"max_time=1: {len(timed.cv_results_['params'])} candidates, "
      f"stop_reason_={timed.stop_reason_!r}")

patient = TPESearchCV(est, space, n_iter=500, cv=3, n_iter_no_change=10,
                      random_state=0)
patient.fit(X, y)
print(f"n_iter_no_change=10: {len(patient.cv_results_['params'])} candidates, "
      f"stop_reason_={patient.stop_reason_!r}")

# %%
# Best score so far of each search; the dotted line marks where the second,
# warm-started fit began. The two budgeted searches have the same seed and
# ``n_iter``, so they propose the same candidates and differ only in where
# they stop (the thick line is the ``max_time`` one).
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
runs = [(search, "warm_start: two fits", 1.5), (timed, "max_time=1", 5),
        (patient, "n_iter_no_change=10", 1.5)]
for s, label, lw in runs:
    scores = s.cv_results_["mean_test_score"]
    ax.step(np.arange(1, len(scores) + 1), np.maximum.accumulate(scores),
            where="post", lw=lw, alpha=0.8,
            label=f"{label} ({s.stop_reason_}, {len(scores)} candidates)")
ax.axvline(first + 0.5, color="grey", ls=":")
ax.set_xlabel("trial")
ax.set_ylabel("best mean CV accuracy so far")
ax.set_ylim(0.9, 1.0)
ax.legend(loc="lower right")
plt.show()
