"""Real engines: searches on a Dask cluster and through Ray's joblib backend (issue 22).

Both run every fit in another process. What must hold there (see
docs/guide/reproducibility.md):

- the same ``random_state`` and the same number of workers give the same
  ``cv_results_`` on every joblib backend (a deterministic estimator and cv);
- an explicit ``batch_size`` gives the same search for any number of workers;
- a worker killed mid-search loses no finished trial (the journal holds it).

Every test here is marked ``extras``: the stage on the oldest scikit-learn
deselects them. The Ray tests skip where Ray is not installed.
"""

import json
import os
import signal
import threading
import time

import joblib
import numpy as np
import pytest
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import KFold

import sktpe
from sktpe import TPESearchCV

pytestmark = pytest.mark.extras

RAY_MISSING = "Ray is not installed: pip install sktpe[ray]"

X = np.random.RandomState(0).normal(size=(40, 3))
y = (X[:, 0] > 0).astype(int)
SPACE = {"a": uniform(0, 1), "b": loguniform(1e-2, 1e2), "k": randint(1, 8), "c": ["p", "q"]}

# The three ways a search fills its workers. Racing starts a joblib call per
# wave of single folds; a short search keeps that affordable on Ray, which
# starts a new pool of actors for every call (seconds each).
CASES = {
    "auto": dict(n_iter=12),
    "batch3": dict(n_iter=12, batch_size=3),
    "racing": dict(n_iter=6, n_startup_trials=4, racing=True),
}


class Slow(ClassifierMixin, BaseEstimator):
    """Scores a smooth function of its parameters (and of the fold), after ``sleep`` s.

    ``hold=(journal, n, flag)``: once ``journal`` holds ``n`` trials, every
    new fit waits until the file ``flag`` exists. The worker-kill tests set
    it so that the kill always falls mid-search, however fast the machine.
    ``pid_dir``: every fit leaves a file named by its process id there.
    """

    def __init__(self, a=0.5, b=1.0, k=1, c="p", sleep=0.0, hold=None, pid_dir=None):
        self.a = a
        self.b = b
        self.k = k
        self.c = c
        self.sleep = sleep
        self.hold = hold
        self.pid_dir = pid_dir

    def fit(self, X, y):
        if self.pid_dir is not None:
            open(os.path.join(self.pid_dir, str(os.getpid())), "a").close()
        if self.hold is not None:
            journal, n, flag = self.hold
            if _n_trials(journal) >= n:
                _wait_for(lambda: os.path.exists(flag), "the test to kill a worker")
        if self.sleep:
            time.sleep(self.sleep)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)

    def score(self, X, y):
        return (-((self.a - 0.3) ** 2) - (np.log10(self.b) - 0.5) ** 2 - 0.01 * self.k
                + (self.c == "q") * 0.1 + 0.01 * float(np.mean(X[:, 0])))


def _wait_for(condition, what, timeout=600.0):
    """Poll ``condition`` until it holds; a generous deadline only against hanging forever."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.05)


def _trials(journal):
    """The finished trials a journal holds (complete lines after the header)."""
    try:
        with open(journal) as fh:
            lines = fh.read().split("\n")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines[1:-1]]  # the last piece is unfinished or ""


def _n_trials(journal):
    return len(_trials(journal))


def _search(estimator=None, **kw):
    return TPESearchCV(estimator or Slow(), SPACE, cv=KFold(3), random_state=0, **kw)


def _comparable(results):
    """cv_results_ without its time columns, NaN-safe, for equality."""
    out = {}
    for key, values in results.items():
        if "time" in key:
            continue
        out[key] = repr(list(values)) if key == "params" else np.asarray(values).tolist()
    return json.loads(json.dumps(out, default=str).replace("NaN", "null"))


@pytest.fixture(scope="module")
def local_results():
    """Each case run with n_jobs=2 on the default (loky) backend: the reference."""
    return {name: _search(n_jobs=2, **kw).fit(X, y).cv_results_ for name, kw in CASES.items()}


def test_the_cases_tell_the_engines_apart(local_results):
    """The reference runs exercise what the engine tests compare."""
    one = {name: _search(n_jobs=1, **kw).fit(X, y).cv_results_ for name, kw in CASES.items()}
    # 'auto' batches follow the number of workers: two workers are a different
    # search from one, so an engine that reported one worker would fail.
    assert one["auto"]["params"] != local_results["auto"]["params"]
    assert one["racing"]["params"] != local_results["racing"]["params"]
    # An explicit batch size is the same search for any number of workers.
    assert _comparable(one["batch3"]) == _comparable(local_results["batch3"])
    # Racing really raced: some candidates stopped before their last fold.
    assert local_results["racing"]["raced_out"].any()
    # Fold scores differ, so a fold mixed up between workers would show.
    assert len({local_results["auto"][f"split{i}_test_score"][0] for i in range(3)}) == 3


# -- Dask -----------------------------------------------------------------------------
def _dask_cluster():
    distributed = pytest.importorskip("distributed")
    return distributed, distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    )


@pytest.fixture(scope="module")
def dask_client():
    distributed, cluster = _dask_cluster()
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.mark.parametrize("case", list(CASES))
def test_dask_cluster_gives_the_local_result(dask_client, local_results, case, tmp_path):
    """Two Dask worker processes give what two local (loky) workers give."""
    workers = set(dask_client.run(os.getpid).values())
    assert len(workers) == 2 and os.getpid() not in workers
    with joblib.parallel_backend("dask"):  # n_jobs=-1: every thread of the cluster, 2
        search = _search(Slow(pid_dir=str(tmp_path)), **CASES[case]).fit(X, y)
    assert _comparable(search.cv_results_) == _comparable(local_results[case])
    # The cross-validation fits ran on the workers (only the refit runs here).
    assert {int(p.name) for p in tmp_path.iterdir()} - {os.getpid()} <= workers


# -- Ray ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ray_session():
    """A local Ray instance of 2 CPUs for the module, shut down after it."""
    ray = pytest.importorskip("ray", reason=RAY_MISSING)
    from ray.util.joblib import register_ray

    # Ray's workers unpickle this module's estimator by name: they need the
    # tests folder (and the sktpe under test) on their path.
    path = [os.path.dirname(os.path.abspath(__file__)),
            os.path.dirname(os.path.dirname(os.path.abspath(sktpe.__file__))),
            os.environ.get("PYTHONPATH", "")]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(p for p in path if p)}})
    register_ray()
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.mark.parametrize("case", list(CASES))
def test_ray_gives_the_local_result(ray_session, local_results, case, tmp_path):
    """Ray's joblib backend with two workers gives what two local workers give."""
    with joblib.parallel_backend("ray", n_jobs=2):
        search = _search(Slow(pid_dir=str(tmp_path)), **CASES[case]).fit(X, y)
    assert _comparable(search.cv_results_) == _comparable(local_results[case])
    # The cross-validation fits ran in Ray's worker processes (the refit runs here).
    assert {int(p.name) for p in tmp_path.iterdir()} - {os.getpid()}
