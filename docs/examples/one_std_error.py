"""Noise-aware model choice: the one-standard-error rule.

Cross-validated means are noisy, so the candidate with the top mean is often
only luckier than its neighbours. ``one_std_error_rule`` is a ``refit``
callable that picks, among the candidates within one standard error of the
best, the simplest one; here the most regularised (smallest ``C``) logistic
regression.
"""

import os

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
print(f"{close.sum()} of {len(close)} candidates are within one standard error of the best")
print(f"top mean:  C={res['params'][top]['logisticregression__C']:.4g}, "
      f"score {res['mean_test_score'][top]:.4f}")
chosen = search.best_index_
print(f"selected:  C={search.best_params_['logisticregression__C']:.4g}, "
      f"score {res['mean_test_score'][chosen]:.4f}")
