"""
Noise-aware model choice: the one-standard-error refit
======================================================

Cross-validated means are noisy, so the candidate with the top mean is often
only luckier than its neighbours. ``one_std_error_rule`` is a ``refit``
callable that picks, among the candidates within one standard error of the
best, the simplest one; here the most regularised (smallest ``C``) logistic
regression. ``within_one_std_error`` tells which candidates those are.

The rule buys a simpler model, not a better test score: on the benchmarks'
small, noisy tuning tasks its models scored lower on held-out data than the
top mean's on 10 of 12 tasks, by about a fifth of a task's spread on
average, and most for logistic regression and ridge (see the noise guide).
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import loguniform
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sktpe import TPESearchCV, one_std_error_rule, within_one_std_error

N_ITER = int(os.environ.get("SKTPE_EXAMPLE_N_ITER", 30))

X, y = load_breast_cancer(return_X_y=True)
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
space = {"logisticregression__C": loguniform(1e-4, 1e2)}

# %%
# ``("logisticregression__C", "low")`` says which parameter makes a model
# simpler, and in which direction.
search = TPESearchCV(
    pipe,
    space,
    n_iter=N_ITER,
    cv=5,
    refit=one_std_error_rule(("logisticregression__C", "low")),
    random_state=0,
)
search.fit(X, y)

res = search.cv_results_
top = int(np.nanargmax(res["mean_test_score"]))
close = within_one_std_error(res)
print(f"{close.sum()} of {len(close)} candidates are within one standard error "
      f"of the best")
print(f"top mean:  C={res['params'][top]['logisticregression__C']:.4g}, "
      f"score {res['mean_test_score'][top]:.4f}")
chosen = search.best_index_
print(f"selected:  C={search.best_params_['logisticregression__C']:.4g}, "
      f"score {res['mean_test_score'][chosen]:.4f}")

# %%
# Every candidate's mean score against ``C``, with its standard error; the
# band is the best mean minus one standard error. Candidates inside it are
# filled; the refit chose the one with the smallest ``C``.
C = np.array([p["logisticregression__C"] for p in res["params"]])
mean = res["mean_test_score"]
se = res["std_test_score"] / np.sqrt(search.n_splits_)

fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
ax.axhspan(mean[top] - se[top], mean[top], color="C2", alpha=0.15,
           label="within one standard error of the top mean")
ax.errorbar(C[~close], mean[~close], yerr=se[~close], fmt="o", mfc="white",
            color="C0", label="other candidates")
ax.errorbar(C[close], mean[close], yerr=se[close], fmt="o", color="C0",
            label="candidates within one standard error")
ax.plot(C[top], mean[top], "*", ms=16, color="C1", label="top mean")
ax.plot(C[chosen], mean[chosen], "D", ms=10, mfc="none", mew=2, color="C3",
        label="selected by the refit")
ax.set_xscale("log")
ax.set_ylim(max(mean.min(), mean[top] - 10 * se[top]), None)
ax.set_xlabel("C (logisticregression__C)")
ax.set_ylabel("mean CV accuracy")
ax.legend(loc="lower left", fontsize="small")
plt.show()
