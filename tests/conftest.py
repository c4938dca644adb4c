"""Shared fixtures and tiny estimators for the sktpe test suite."""

import importlib
import json
import numbers
import os
import sys
from types import ModuleType

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from threadpoolctl import threadpool_limits


def pytest_configure(config: pytest.Config) -> None:
    """Make the environment of the run not change what the tests see.

    * rich draws a live progress bar, its line count growing with the run's
      time, where these variables make it take captured output for a terminal
      (CI images often set them); they must go before rich's console is made.
    * Hypothesis draws the same examples on every run (``derandomize``): a
      rare example that fails is found by exploring outside the suite, not
      as a one-off red run.
    """
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        os.environ.pop(name, None)
    try:
        from hypothesis import settings
    except ImportError:
        return
    settings.register_profile("sktpe-suite", derandomize=True)
    settings.load_profile("sktpe-suite")


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_blas():
    """Tiny problems: BLAS threads only add overhead (lbfgs was ~15x slower)."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(autouse=True, scope="session")
def _patient_dask():
    """Dask's connect and TCP timeouts (30 s) widened tenfold for a loaded CI machine.

    Starting a LocalCluster's worker processes on two busy cores can take many
    seconds; no test depends on these timeouts being short.
    """
    try:
        import dask
    except ImportError:
        yield
        return
    with dask.config.set(
        {"distributed.comm.timeouts.connect": "300s", "distributed.comm.timeouts.tcp": "300s"}
    ):
        yield


@pytest.fixture(scope="session")
def clf_data():
    """A tiny, well separated 3-class problem (fast to fit)."""
    X, y = make_classification(
        n_samples=60,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=2.0,
        random_state=0,
    )
    return X, y


@pytest.fixture(scope="session")
def binary_data():
    X, y = make_classification(
        n_samples=50, n_features=4, n_informative=2, n_redundant=0, random_state=1
    )
    return X, y


class ParamScoreClassifier(ClassifierMixin, BaseEstimator):
    """A classifier whose score is a deterministic function of its params.

    ``score`` returns ``-(x - 0.3)**2 - (log10(c) - 1)**2`` plus a small
    bonus per ``kind``; ``fail=True`` makes ``fit`` raise.
    """

    def __init__(self, x=0.5, c=1.0, kind="a", n=1, fail=False):
        self.x = x
        self.c = c
        self.kind = kind
        self.n = n
        self.fail = fail

    def fit(self, X, y=None, sample_weight=None):
        if self.fail:
            raise ValueError("ParamScoreClassifier asked to fail")
        self.classes_ = np.unique(y) if y is not None else np.array([0])
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def objective(self):
        bonus = {"a": 0.0, "b": 0.1}.get(self.kind, 0.05) if isinstance(self.kind, str) else 0.0
        n = self.n if isinstance(self.n, numbers.Number) else 0
        return float(-(self.x - 0.3) ** 2 - (np.log10(self.c) - 1) ** 2 + bonus - 0.01 * n)

    def score(self, X, y=None, sample_weight=None):
        return self.objective()


@pytest.fixture
def param_score_clf():
    return ParamScoreClassifier()


class SelfReferring:
    """An object holding a bound method of its own, as a tokenizer may."""

    def __init__(self, lower=True):
        self.lower = lower
        self.split = self._split

    def _split(self, text):
        return text.split()


def comparable_results(results):
    """cv_results_ without its time columns, NaN-safe, for equality."""
    out = {}
    for key, values in results.items():
        if "time" in key:
            continue
        out[key] = repr(list(values)) if key == "params" else np.asarray(values).tolist()
    return json.loads(json.dumps(out, default=str).replace("NaN", "null"))


BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks")


def _benchmark_module(name: str) -> ModuleType:
    """A module of ``benchmarks/`` (not part of the package), imported with ``sys.path`` and
    ``PYTHONPATH`` restored after: its modules put themselves on both, and no other test
    should see that."""
    path, env = list(sys.path), os.environ.get("PYTHONPATH")
    sys.path.insert(0, BENCHMARKS)
    try:
        return importlib.import_module(name)
    finally:
        sys.path[:] = path
        if env is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env


@pytest.fixture(scope="session")
def hr() -> ModuleType:
    """``benchmarks/heldout_report.py``: the statistics of the held-out benchmark."""
    return _benchmark_module("heldout_report")


@pytest.fixture(scope="session")
def real() -> ModuleType:
    """``benchmarks/heldout_real.py``: the six real tasks and the report pooled over 16."""
    return _benchmark_module("heldout_real")


@pytest.fixture(scope="session")
def confirm() -> ModuleType:
    """``benchmarks/heldout_confirm.py``: the run stated to decide "half the trials"."""
    return _benchmark_module("heldout_confirm")


@pytest.fixture(scope="session")
def confirm_tasks() -> ModuleType:
    """``benchmarks/confirm_tasks.py``: the 40 tasks of that run and how their data is read."""
    return _benchmark_module("confirm_tasks")


@pytest.fixture(scope="session")
def overtune() -> ModuleType:
    """``benchmarks/overtune_study.py``: round 18's choice rules, read offline."""
    return _benchmark_module("overtune_study")


@pytest.fixture(scope="session")
def charged() -> ModuleType:
    """``benchmarks/charged_reevaluation.py``: round 19's one rule, its fits charged."""
    return _benchmark_module("charged_reevaluation")


@pytest.fixture(scope="session")
def e2e() -> ModuleType:
    """``benchmarks/reevaluate_e2e.py``: round 20, selection='reevaluate' end to end."""
    return _benchmark_module("reevaluate_e2e")


@pytest.fixture(scope="session")
def spread() -> ModuleType:
    """``benchmarks/spread_e2e.py``: round 22, proposals kept apart."""
    return _benchmark_module("spread_e2e")


@pytest.fixture(scope="session")
def default_first() -> ModuleType:
    """``benchmarks/default_first.py``: round 23, the estimator as given as a candidate."""
    return _benchmark_module("default_first")


@pytest.fixture(scope="session")
def half() -> ModuleType:
    """``benchmarks/half_fresh.py``: round 24, "half the trials" on 80 fresh tasks."""
    return _benchmark_module("half_fresh")


@pytest.fixture(scope="session")
def moon() -> ModuleType:
    """``benchmarks/moon_fresh.py``: round 25, the moonshot on 80 fresh tasks."""
    return _benchmark_module("moon_fresh")


@pytest.fixture(scope="session")
def chance() -> ModuleType:
    """``benchmarks/chance.py``: searches that end at chance level."""
    return _benchmark_module("chance")


@pytest.fixture(scope="session")
def pw() -> ModuleType:
    """``benchmarks/plain_words.py``: the plain-words lead of the README and benchmark page."""
    return _benchmark_module("plain_words")


@pytest.fixture(scope="session")
def third() -> ModuleType:
    """``benchmarks/tuning_third.py``: round 16's reading of the third tuning suite."""
    return _benchmark_module("tuning_third")


@pytest.fixture(scope="session")
def cases() -> ModuleType:
    """``benchmarks/case_studies.py``: two report tasks where the returned model loses."""
    return _benchmark_module("case_studies")
