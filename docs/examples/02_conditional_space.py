"""
Conditional spaces: choose the model and its parameters together
================================================================

A list of dicts is a conditional space: each dict is a branch with its own
parameters. TPE chooses the branch by its best score so far plus an
optimistic bonus that shrinks as the branch is tried, and models each
branch's parameters only from the candidates drawn from it. The plots show one
parameter against the score (candidates of the other branch are skipped) and
the parameters' importances.
"""

import os

import matplotlib.pyplot as plt
from scipy.stats import loguniform, randint
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sktpe import TPESearchCV
from sktpe.plotting import plot_param_importances, plot_param_score

N_ITER = int(os.environ.get("SKTPE_EXAMPLE_N_ITER", 40))

X, y = load_breast_cancer(return_X_y=True)

# %%
# The pipeline's ``clf`` step is itself a parameter: each dict of the list
# sets it to one estimator and names that estimator's parameters.
pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
space = [
    {
        "clf": [LogisticRegression(max_iter=1000)],
        "clf__C": loguniform(1e-4, 1e2),
        "clf__class_weight": [None, "balanced"],
    },
    {
        "clf": [RandomForestClassifier(n_estimators=25, random_state=0)],
        "clf__max_depth": randint(1, 12),
        "clf__max_features": ["sqrt", "log2", None],
    },
]

search = TPESearchCV(pipe, space, n_iter=N_ITER, cv=3, scoring="roc_auc",
                     random_state=0)
search.fit(X, y)
print("best:", search.best_score_, search.best_params_)
for clf in ("LogisticRegression", "RandomForestClassifier"):
    n = sum(type(p["clf"]).__name__ == clf for p in search.cv_results_["params"])
    print(f"{n} of {len(search.cv_results_['params'])} candidates were {clf}")

# %%
# Left, ``C`` against the score, for the logistic-regression candidates only;
# middle, the score of each model; right, which parameters mattered.

fig, axes = plt.subplots(1, 3, figsize=(15, 4), layout="constrained")
plot_param_score(search, "clf__C", ax=axes[0])  # log x-axis: C is loguniform
plot_param_score(search, "clf", ax=axes[1])  # a categorical: one box per model
plot_param_importances(search, ax=axes[2])
plt.show()
