"""`make demo`: TPESearchCV side by side with RandomizedSearchCV.

Tunes a RandomForestClassifier on scikit-learn's digits data with both
searches at the same budget and folds, then prints best CV score, held-out
test score, wall time, and after how many trials each reached random search's
final best CV score.
"""

import argparse
import os
import time

import numpy as np
from scipy.stats import randint, uniform
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, train_test_split

from sktpe import TPESearchCV

SPACE = {
    "n_estimators": randint(10, 150),
    "max_depth": randint(2, 30),
    "max_features": uniform(0.02, 0.6),
    "min_samples_leaf": randint(1, 30),
    "criterion": ["gini", "entropy", "log_loss"],
    "bootstrap": [True, False],
}


def first_reaching(scores, target):
    """1-based trial at which the running best first reaches ``target``."""
    hits = np.flatnonzero(np.maximum.accumulate(scores) >= target - 1e-12)
    return int(hits[0]) + 1 if len(hits) else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-iter", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="demo_output")
    args = parser.parse_args(argv)

    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    estimator = RandomForestClassifier(random_state=0)
    rows = {}
    searches = {}
    for name, cls in (("TPESearchCV", TPESearchCV), ("RandomizedSearchCV", RandomizedSearchCV)):
        t0 = time.perf_counter()
        search = cls(estimator, SPACE, n_iter=args.n_iter, cv=cv, n_jobs=-1, random_state=args.seed)
        search.fit(X_tr, y_tr)
        wall = time.perf_counter() - t0
        searches[name] = search
        rows[name] = dict(
            cv=search.best_score_, test=search.score(X_te, y_te), wall=wall,
            scores=search.cv_results_["mean_test_score"],
        )
    target = rows["RandomizedSearchCV"]["cv"]
    print(f"\nRandomForestClassifier on digits: {args.n_iter} trials, 3-fold CV, seed {args.seed}\n")
    print(f"{'method':<20}{'best CV':>10}{'test':>10}{'wall s':>10}{'reached random best at':>26}")
    for name, r in rows.items():
        at = first_reaching(r["scores"], target)
        at_s = f"trial {at}" if at else "not reached"
        print(f"{name:<20}{r['cv']:>10.4f}{r['test']:>10.4f}{r['wall']:>10.1f}{at_s:>26}")
    print(f"\nTPE best parameters: {searches['TPESearchCV'].best_params_}")

    try:
        import matplotlib

        matplotlib.use("Agg")
        from sktpe.plotting import plot_optimization_history
    except ImportError:  # the plot extra is not installed
        return
    os.makedirs(args.out, exist_ok=True)
    ax = plot_optimization_history(
        searches["TPESearchCV"], baseline=searches["RandomizedSearchCV"]
    )
    path = os.path.join(args.out, "optimization_history.png")
    ax.figure.savefig(path, dpi=100, bbox_inches="tight")
    print(f"Optimisation history plot saved to {os.path.abspath(path)}")


if __name__ == "__main__":
    main()
