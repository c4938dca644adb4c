"""The user's warning filters act on the fits of a search as they do in RandomizedSearchCV.

While a batch runs, sktpe holds its warnings back (to judge failed fits once
over the whole search). It did so by putting an "always" filter in front of
the user's: a warning made an error no longer failed its fit, but was raised
after the batch and ended the search, and joblib's process workers, which
receive the filters in force, showed warnings the user had silenced.
"""

import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from scipy.stats import uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from sktpe import TPESearchCV

X = np.random.RandomState(0).normal(size=(60, 2))
y = (X[:, 0] > 0).astype(int)


class WarnsAbove(ClassifierMixin, BaseEstimator):
    """Warns that it did not converge when ``x > 0.5``; fails when ``x < 0``."""

    def __init__(self, x=0.0):
        self.x = x

    def fit(self, X, y):
        if self.x < 0:
            raise ValueError("x must be >= 0")
        if self.x > 0.5:
            warnings.warn("did not converge", ConvergenceWarning)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return -abs(self.x - 0.4)


SEARCHES = {
    "sequential": {},
    "batches, threads": {"n_jobs": 2, "batch_size": 2},
    "racing": {"racing": True},
    "asynchronous, threads": {"n_jobs": 2, "batch_size": "async"},
}


@pytest.mark.parametrize("kw", SEARCHES.values(), ids=SEARCHES.keys())
def test_a_warning_made_an_error_fails_its_fit_as_in_randomized_search(kw):
    import joblib

    with warnings.catch_warnings(), joblib.parallel_backend("threading", n_jobs=2):
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("ignore", FitFailedWarning)
        search = TPESearchCV(WarnsAbove(), {"x": uniform(0, 1)}, n_iter=10, cv=3,
                             random_state=0, **kw).fit(X, y)
        rand = RandomizedSearchCV(WarnsAbove(), {"x": uniform(0, 1)}, n_iter=10, cv=3,
                                  random_state=0).fit(X, y)
    for s in (search, rand):
        res = s.cv_results_
        x = np.array([p["x"] for p in res["params"]])
        assert (x > 0.5).any() and (x <= 0.5).any()
        np.testing.assert_array_equal(np.isnan(res["mean_test_score"]), x > 0.5)
        assert s.best_params_["x"] <= 0.5


def test_an_ignored_warning_stays_ignored_in_process_workers(tmp_path):
    """loky's workers get the filters scikit-learn's Parallel hands them (from 1.6 on; the
    oldest scikit-learn supported hands none, and its RandomizedSearchCV shows them too)."""
    (tmp_path / "warns_in_fit.py").write_text(textwrap.dedent("""
        import warnings
        import numpy as np
        from sklearn.base import BaseEstimator, ClassifierMixin

        class WarnsInFit(ClassifierMixin, BaseEstimator):
            def __init__(self, x=0.0):
                self.x = x

            def fit(self, X, y):
                warnings.warn("WARNING FROM FIT", UserWarning)
                self.classes_ = np.unique(y)
                return self

            def score(self, X, y):
                return -abs(self.x - 0.3)
    """))
    code = textwrap.dedent("""
        import sys
        import warnings
        import numpy as np
        from scipy.stats import uniform
        from sklearn.model_selection import RandomizedSearchCV
        from sktpe import TPESearchCV
        from warns_in_fit import WarnsInFit

        warnings.simplefilter("ignore")
        X = np.arange(80.0).reshape(40, 2)
        y = np.arange(40) % 2
        kw = dict(n_iter=4, cv=2, n_jobs=2, random_state=0, refit=False)
        if sys.argv[1] == "tpe":
            s = TPESearchCV(WarnsInFit(), {"x": uniform(0, 1)}, batch_size=2, **kw)
        else:
            s = RandomizedSearchCV(WarnsInFit(), {"x": uniform(0, 1)}, **kw)
        print(len(s.fit(X, y).cv_results_["params"]))
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    shown = {}
    for which in ("tpe", "random"):
        out = subprocess.run([sys.executable, "-c", code, which], capture_output=True,
                             text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "4"
        shown[which] = "WARNING FROM FIT" in out.stderr
    assert shown["tpe"] == shown["random"]
    from sklearn import __version__

    if tuple(int(v) for v in __version__.split(".")[:2]) >= (1, 6):
        assert not shown["tpe"]


def test_every_fit_failing_raises_without_a_warning_first():
    """As RandomizedSearchCV: the error, not first a warning of non-finite means."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="All the 12 fits failed"):
            TPESearchCV(WarnsAbove(), {"x": uniform(-2, 1)}, n_iter=6, cv=2,
                        random_state=0).fit(X, y)
    assert not [w for w in caught if "non-finite" in str(w.message)]


def test_one_fit_error_is_one_group_in_the_final_warning():
    """Errors read back from a batch whose fits all failed kept their text but lost its
    last line break, and the final warning counted the same error twice."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # the first batch: both fail; a later one holds a failure beside successes
        search = TPESearchCV(WarnsAbove(), {"x": uniform(-1, 2)}, n_iter=12, cv=2,
                             batch_size=2, random_state=0,
                             initial_candidates=[{"x": -0.5}, {"x": -0.2}]).fit(X, y)
    x = np.array([p["x"] for p in search.cv_results_["params"]])
    assert (x[2:] < 0).any()
    failed = [w for w in caught if issubclass(w.category, FitFailedWarning)]
    assert len(failed) == 1
    assert str(failed[0].message).count("fits failed with the following error") == 1


def test_a_nested_search_whose_fits_all_fail_is_one_failed_fit():
    """Its error text holds scikit-learn's own summary of failures, which the reading of a
    batch whose every fit failed took for groups of its own, and the search stopped."""
    inner = GridSearchCV(LogisticRegression(), {"fit_intercept": [True]}, cv=2)
    space = {"estimator__C": uniform(-1, 3)}  # C < 0: every inner fit fails
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = TPESearchCV(inner, space, n_iter=8, cv=2, batch_size=1,
                             random_state=0).fit(X, y)
    res = search.cv_results_
    c = np.array([p["estimator__C"] for p in res["params"]])
    assert (c < 0).any()
    np.testing.assert_array_equal(np.isnan(res["mean_test_score"]), c < 0)


def test_a_nested_search_warning_made_an_error_fails_its_fit():
    """A nested search's FitFailedWarning made an error fails the outer fit (error_score),
    as in RandomizedSearchCV; sktpe held every FitFailedWarning back and raised it after
    the batch, ending the search."""
    inner = GridSearchCV(WarnsAbove(), {"x": [0.3]}, cv=3)
    space = {"param_grid": [{"x": [-1.0, 0.3]}, {"x": [0.2, 0.3]}]}  # x < 0: the fit fails
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the inner search's warning only (3 of its 6 fits fail), not the outer one's
        warnings.filterwarnings("error", message="\n3 fits failed out of a total of 6",
                                category=FitFailedWarning)
        search = TPESearchCV(inner, space, n_iter=2, cv=2, random_state=0).fit(X, y)
    bad = [-1.0 in p["param_grid"]["x"] for p in search.cv_results_["params"]]
    np.testing.assert_array_equal(np.isnan(search.cv_results_["mean_test_score"]), bad)


def test_warnings_of_code_with_no_module_file_are_shown():
    """An estimator defined in code of no module file (python -c, a notebook cell): its
    warnings were re-issued with module=None, and all but the first were dropped."""
    code = textwrap.dedent("""
        import warnings
        import numpy as np
        from scipy.stats import uniform
        from sklearn.base import BaseEstimator, ClassifierMixin
        from sktpe import TPESearchCV

        class Cell(ClassifierMixin, BaseEstimator):
            def __init__(self, x=0.0):
                self.x = x

            def fit(self, X, y):
                warnings.warn("from a notebook cell", UserWarning)
                self.classes_ = np.unique(y)
                return self

            def score(self, X, y):
                return -abs(self.x - 0.4)

        X = np.random.RandomState(0).normal(size=(40, 2))
        y = (X[:, 0] > 0).astype(int)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            TPESearchCV(Cell(), {"x": uniform(0, 1)}, n_iter=4, cv=2, random_state=0).fit(X, y)
        print(sum("notebook cell" in str(w.message) for w in caught))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) == 4 * 2 + 1  # every fit's, and the refit's
