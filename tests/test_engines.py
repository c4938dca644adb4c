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

import contextlib
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
from conftest import comparable_results
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
    ``pid_dir``: every fit leaves a file ``fit-<pid>`` there, and a fit
    that waits, ``held-<pid>``.
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
            _touch(os.path.join(self.pid_dir, f"fit-{os.getpid()}"))
        if self.hold is not None:
            journal, n, flag = self.hold
            if _n_trials(journal) >= n and not os.path.exists(flag):
                _touch(os.path.join(self.pid_dir, f"held-{os.getpid()}"))
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


def _touch(path):
    open(path, "a").close()


def _pids(folder, kind="fit"):
    """The process ids that left a ``kind`` file in ``folder`` (see Slow)."""
    return {int(p.name.split("-")[1]) for p in folder.iterdir() if p.name.startswith(kind + "-")}


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
    assert comparable_results(one["batch3"]) == comparable_results(local_results["batch3"])
    # Racing really raced: some candidates stopped before their last fold.
    assert local_results["racing"]["raced_out"].any()
    # Fold scores differ, so a fold mixed up between workers would show.
    assert len({local_results["auto"][f"split{i}_test_score"][0] for i in range(3)}) == 3


# -- a worker killed mid-search -------------------------------------------------------
KILL_CASE = dict(n_iter=10, batch_size=2)  # the same search for any number of workers
KILL_AFTER = 4  # trials in the journal before the kill


def _kill_a_held_worker(tmp_path, state):
    """Once a fit waits on a worker, note the journal's trials, SIGKILL that worker."""
    try:
        _wait_for(lambda: _pids(tmp_path, "held") - {os.getpid()}, "a fit held on a worker")
        state["before"] = _trials(tmp_path / "j.jsonl")
        victim = min(_pids(tmp_path, "held") - {os.getpid()})
        os.kill(victim, signal.SIGKILL)
        state["victim"] = victim
    except BaseException as exc:  # reported by the test
        state["error"] = exc
    finally:
        _touch(tmp_path / "killed")  # let the held fits go on


def _search_with_a_killed_worker(tmp_path, backend, raises=None):
    """Run KILL_CASE under ``backend`` with a journal; a worker is killed after KILL_AFTER trials.

    The fits that start once the journal holds KILL_AFTER trials wait until
    the kill, so it always falls mid-search and kills a worker in the middle
    of a fit (that fit is lost and must run again). ``raises``: the fit
    must raise this.
    """
    journal, flag = tmp_path / "j.jsonl", tmp_path / "killed"
    est = Slow(sleep=0.05, hold=(str(journal), KILL_AFTER, str(flag)), pid_dir=str(tmp_path))
    search = _search(est, journal=str(journal), **KILL_CASE)
    state = {}
    killer = threading.Thread(target=_kill_a_held_worker, args=(tmp_path, state), daemon=True)
    killer.start()
    try:
        with backend, pytest.raises(raises) if raises else contextlib.nullcontext():
            search.fit(X, y)
    finally:
        _touch(flag)  # never leave a fit waiting
        killer.join(600)
    assert "error" not in state, state.get("error")
    return search, state


def _check_no_finished_trial_lost(search, state, tmp_path):
    before = state["before"]
    assert KILL_AFTER <= len(before) < KILL_CASE["n_iter"], "the kill was not mid-search"
    res = search.cv_results_
    assert len(res["params"]) == KILL_CASE["n_iter"]
    # Every trial the journal held before the kill is in the result, as it was.
    for trial in before:
        i, values = trial["number"], trial["params"]["values"]
        got = res["params"][i]
        assert (got["a"], got["b"], got["k"]) == (values["a"], values["b"], values["k"])
        assert got["c"] == ["p", "q"][values["c"]["index"]]
        scores = [res[f"split{f}_test_score"][i] for f in range(3)]
        assert scores == [fold["test_scores"] for fold in trial["folds"]]
    # ... and the whole search is the one an undisturbed run makes.
    ref = _search(Slow(), n_jobs=1, **KILL_CASE).fit(X, y)  # explicit batch_size: any n_jobs
    assert comparable_results(res) == comparable_results(ref.cv_results_)
    # The journal holds every trial once.
    assert [t["number"] for t in _trials(tmp_path / "j.jsonl")] == list(range(KILL_CASE["n_iter"]))


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


def test_dask_counts_every_thread_of_the_cluster(dask_client):
    with joblib.parallel_backend("dask"):
        assert joblib.effective_n_jobs() == 2


@pytest.mark.parametrize("case", list(CASES))
def test_dask_cluster_gives_the_local_result(dask_client, local_results, case, tmp_path):
    """Two Dask worker processes give what two local (loky) workers give."""
    workers = set(dask_client.run(os.getpid).values())
    assert len(workers) == 2 and os.getpid() not in workers
    with joblib.parallel_backend("dask"):  # n_jobs=-1: every thread of the cluster, 2
        search = _search(Slow(pid_dir=str(tmp_path)), **CASES[case]).fit(X, y)
    assert comparable_results(search.cv_results_) == comparable_results(local_results[case])
    # The cross-validation fits ran on the workers (only the refit runs here).
    assert _pids(tmp_path) - {os.getpid()} <= workers


def test_dask_runs_an_asynchronous_search_on_its_workers(dask_client, tmp_path):
    """Proposals as workers free up, through the context's one Dask backend (which
    BaseSearchCV's own Parallel shares: the last evaluate_candidates call must find it open).
    Completion order decides the candidates, so only what the search ran is checked."""
    workers = set(dask_client.run(os.getpid).values())
    with joblib.parallel_backend("dask"):
        search = _search(Slow(pid_dir=str(tmp_path)), n_iter=8, batch_size="async").fit(X, y)
    assert len(search.cv_results_["params"]) == 8 and search.stop_reason_ == "n_iter"
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert _pids(tmp_path) - {os.getpid()} <= workers


def test_a_killed_dask_worker_loses_no_finished_trial(dask_client, tmp_path):
    """SIGKILL a Dask worker mid-fit: its nanny restarts it, Dask reruns the lost fit."""
    workers = set(dask_client.run(os.getpid).values())
    search, state = _search_with_a_killed_worker(tmp_path, joblib.parallel_backend("dask"))
    assert state["victim"] in workers

    def restarted():
        try:
            now = set(dask_client.run(os.getpid).values())
        except Exception:  # the scheduler may still list the dead worker
            return False
        return len(now) == 2 and state["victim"] not in now

    # Also leaves the module's cluster as it was, with two workers.
    _wait_for(restarted, "the nanny to restart the killed worker")
    _check_no_finished_trial_lost(search, state, tmp_path)


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
    # address="local": a private instance, never a cluster another process started
    # (RAY_ADDRESS, or a `ray start` on this machine), which would refuse num_cpus.
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(p for p in path if p)}})
    register_ray()
    # Ray's backend re-bases joblib's PicklingPool onto Ray's pool when it configures,
    # for the rest of the process: joblib's multiprocessing backend would then run on
    # Ray, and fail after the shutdown below (a test module run after this one did).
    from joblib.pool import PicklingPool

    bases = PicklingPool.__bases__
    try:
        yield ray
    finally:
        ray.shutdown()
        PicklingPool.__bases__ = bases


def test_ray_counts_every_cpu_without_n_jobs(ray_session):
    with joblib.parallel_backend("ray"):
        assert joblib.effective_n_jobs() == 2  # ray.init(num_cpus=2)


@pytest.mark.parametrize("case", list(CASES))
def test_ray_gives_the_local_result(ray_session, local_results, case, tmp_path):
    """Ray's joblib backend with two workers gives what two local workers give."""
    with joblib.parallel_backend("ray", n_jobs=2):
        search = _search(Slow(pid_dir=str(tmp_path)), **CASES[case]).fit(X, y)
    assert comparable_results(search.cv_results_) == comparable_results(local_results[case])
    # The cross-validation fits ran in Ray's worker processes (the refit runs here).
    assert _pids(tmp_path) - {os.getpid()}


def test_a_killed_ray_worker_is_restarted_when_its_actor_may_restart(ray_session, tmp_path):
    """SIGKILL the process of a pool actor mid-fit: with restarts allowed, Ray reruns the fit."""
    restarts = {"max_restarts": 1, "max_task_retries": 1}
    backend = joblib.parallel_backend("ray", n_jobs=2, ray_remote_args=restarts)
    search, state = _search_with_a_killed_worker(tmp_path, backend)
    _check_no_finished_trial_lost(search, state, tmp_path)


def test_a_killed_ray_worker_stops_the_search_and_the_journal_resumes_it(ray_session, tmp_path):
    """By default a dead pool actor is not restarted: the fit raises, and a new fit resumes."""
    backend = joblib.parallel_backend("ray", n_jobs=2)
    died = ray_session.exceptions.RayActorError
    search, state = _search_with_a_killed_worker(tmp_path, backend, raises=died)
    search.fit(X, y)  # resumes, here on one local worker (batch_size is explicit)
    _check_no_finished_trial_lost(search, state, tmp_path)
