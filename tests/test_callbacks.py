"""scikit-learn's callback API (1.9+): TPESearchCV reports its batches and fits."""

import pickle

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.linear_model import LogisticRegression

from sktpe import TPESearchCV

callback = pytest.importorskip("sklearn.callback")
pytestmark = pytest.mark.extras

X = np.random.RandomState(0).normal(size=(60, 3))
y = (X[:, 0] + 0.3 * X[:, 1] > 0).astype(int)


class Recorder:
    """A FitCallback that records every task it is told about."""

    def __init__(self):
        self.begun, self.ended = [], []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self.begun.append(context.task_name)

    def on_fit_task_end(self, estimator, context, **kwargs):
        self.ended.append(context.task_name)


def _search(n_iter=7):
    return TPESearchCV(LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, n_iter=n_iter,
                       cv=3, random_state=0, n_startup_trials=3, batch_size=2)


def test_callback_sees_one_search_task_and_every_fit():
    """As for RandomizedSearchCV: root, search, every fit, refit; no task per batch."""
    rec = Recorder()
    search = _search().set_callbacks(rec).fit(X, y)
    # 3 start-up candidates, then batches of 2, 2 (7 candidates): 3 batches.
    assert rec.begun.count("candidate-split-evaluation") == 7 * 3
    assert rec.ended.count("candidate-split-evaluation") == 7 * 3
    assert len(rec.begun) == len(rec.ended) == 1 + 1 + 7 * 3 + 1
    assert rec.begun.count("search") == rec.ended.count("search") == 1
    assert "refit-with-best-params" in rec.begun
    assert len(search.cv_results_["params"]) == 7


def test_a_warm_start_that_only_refits_runs_with_callbacks():
    """The search task allowed 0 fits, and the one candidate scikit-learn's fit needs
    evaluated again raised "maximum number of children (0)"."""
    search = _search(n_iter=4).fit(X, y)
    rec = Recorder()
    search.set_params(warm_start=True).set_callbacks(rec).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert rec.begun.count("candidate-split-evaluation") == 3  # one candidate, 3 folds
    assert "refit-with-best-params" in rec.begun


def test_progress_bar_runs():
    pytest.importorskip("rich")
    search = _search(n_iter=4).set_callbacks(callback.ProgressBar()).fit(X, y)
    assert len(search.cv_results_["params"]) == 4


def test_running_search_with_callbacks_pickles_in_full():
    search = _search().set_callbacks(Recorder())
    search._fitting = object()  # as during fit: callbacks need the real search
    again = pickle.loads(pickle.dumps(search))
    assert isinstance(again, TPESearchCV) and again.n_iter == search.n_iter


def test_progress_bar_stays_bounded_for_a_long_search(capfd):
    """200 sequential trials: as many progress lines as RandomizedSearchCV shows."""
    pytest.importorskip("rich")
    from sklearn.tree import DecisionTreeClassifier

    space = {"max_depth": list(range(1, 30)), "min_samples_leaf": list(range(1, 20))}
    search = TPESearchCV(DecisionTreeClassifier(), space, n_iter=200, cv=3, random_state=0)
    with pytest.warns(UserWarning, match="does not support callbacks"):
        search.set_callbacks(callback.ProgressBar()).fit(X, y)
    lines = [line for line in capfd.readouterr().out.splitlines() if line.strip()]
    assert len(search.cv_results_["params"]) == 200
    assert 1 <= len(lines) <= 6, lines
    assert all("%" in line for line in lines)
