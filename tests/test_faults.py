"""Failing and odd fits, small and odd spaces, and faults during a search.

* failing fits: recorded, warned about once for the whole search, treated as
  the worst results by TPE; raised with error_score="raise"; "All the N fits
  failed" when nothing succeeded; NaN / inf scores never break a search;
* small and odd spaces: finite spaces smaller than n_iter, unhashable
  categorical values, 50 parameters, a single candidate;
* faults: a worker process killed mid-search, KeyboardInterrupt inside a fit,
  error_score="raise": the exception propagates and ``cv_results_`` keeps the
  candidates of the batches that finished (``sampler_`` holds the sampler).
"""

import os
import re
import signal
import warnings

import numpy as np
import pytest
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from sktpe import TPESampler, TPESearchCV

X = np.random.RandomState(0).normal(size=(20, 3))
Y = np.arange(20) % 2


class Probe(ClassifierMixin, BaseEstimator):
    """A classifier whose score is a function of its parameters.

    ``fail=True`` makes ``fit`` raise; ``mode`` makes ``score`` return NaN or
    an infinity; ``obj`` may be any object.
    """

    def __init__(self, x=0.5, kind="a", n=0, obj=None, fail=False, mode="ok"):
        self.x = x
        self.kind = kind
        self.n = n
        self.obj = obj
        self.fail = fail
        self.mode = mode

    def fit(self, X, y=None):
        if self.fail:
            raise ValueError("Probe was asked to fail")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None):
        special = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}
        if self.mode in special:
            return special[self.mode]
        return -((float(self.x) - 0.3) ** 2) + (0.1 if self.kind == "b" else 0.0) - 0.01 * self.n


def _fit_failed_warnings(record):
    return [w for w in record if issubclass(w.category, FitFailedWarning)]


# --------------------------------------------------------------------------
# failing and odd fits
# --------------------------------------------------------------------------
def test_failing_fits_are_recorded_warned_once_and_worst():
    space = {"x": uniform(0, 1), "fail": [False, True]}
    n_iter, cv = 20, 2
    search = TPESearchCV(Probe(), space, n_iter=n_iter, cv=cv, random_state=0, n_startup_trials=6)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        search.fit(X, Y)

    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]])
    assert len(res["params"]) == n_iter, "the search stopped early"
    assert 0 < failed.sum() < n_iter
    assert np.isnan(res["mean_test_score"][failed]).all()
    assert np.isfinite(res["mean_test_score"][~failed]).all()

    ffw = _fit_failed_warnings(record)
    assert len(ffw) == 1, [str(w.message)[:80] for w in ffw]
    m = re.search(r"(\d+) fits failed out of a total of (\d+)", str(ffw[0].message))
    assert m, str(ffw[0].message)
    assert int(m.group(1)) == failed.sum() * cv
    assert int(m.group(2)) == n_iter * cv
    assert "Probe was asked to fail" in str(ffw[0].message)

    # TPE saw the failures as NaN, i.e. the worst results ...
    scores = search.sampler_.scores_
    np.testing.assert_array_equal(np.isnan(scores), failed)
    assert search.best_params_["fail"] is False
    # ... and learnt to avoid them: after the start-up, failures are rare.
    assert failed[6:].mean() < failed[:6].mean() or failed[6:].mean() <= 0.2


def test_error_score_raise_raises_the_fit_error():
    search = TPESearchCV(
        Probe(), {"fail": [True, False], "x": uniform(0, 1)}, n_iter=4, cv=2,
        random_state=0, error_score="raise",
    )
    with pytest.raises(ValueError, match="Probe was asked to fail"):
        search.fit(X, Y)


def test_every_fit_failing_says_so_with_the_fit_error():
    search = TPESearchCV(
        Probe(), {"fail": [True], "x": uniform(0, 1)}, n_iter=3, cv=2, batch_size=2
    )
    with pytest.raises(ValueError, match=r"All the 6 fits failed") as info:
        search.fit(X, Y)
    assert "Probe was asked to fail" in str(info.value)


def _score_by_mode(est, X, y):
    return est.score(X, y)


@pytest.mark.parametrize("scoring", [None, _score_by_mode], ids=["score-method", "callable"])
def test_nan_and_inf_scores_never_break_the_search(scoring):
    space = {"mode": ["ok", "nan", "inf", "-inf"], "x": uniform(0, 1)}
    search = TPESearchCV(
        Probe(), space, n_iter=16, cv=2, scoring=scoring, random_state=0, n_startup_trials=4
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's "non-finite test scores" and numpy's
        search.fit(X, Y)
    res = search.cv_results_
    modes = np.array([p["mode"] for p in res["params"]])
    assert len(modes) == 16
    assert set(modes) == {"ok", "nan", "inf", "-inf"}
    mean = res["mean_test_score"]
    assert np.isnan(mean[modes == "nan"]).all()
    assert (mean[modes == "inf"] == np.inf).all()
    assert (mean[modes == "-inf"] == -np.inf).all()
    assert np.isfinite(mean[modes == "ok"]).all()
    # TPE counts every non-finite score as a failure (worst).
    told = search.sampler_.scores_
    assert len(told) == 16
    assert np.isfinite(told[modes == "ok"]).all()


# --------------------------------------------------------------------------
# small and odd spaces
# --------------------------------------------------------------------------
def _key(p):
    return tuple(sorted((k, repr(v)) for k, v in p.items()))


def test_categorical_space_smaller_than_n_iter_ends_early_without_duplicates():
    space = {"kind": ["a", "b", "c"], "n": [0, 1]}
    search = TPESearchCV(Probe(), space, n_iter=10, cv=2, random_state=0, batch_size=4)
    with pytest.warns(UserWarning, match=r"only 6 distinct candidates, fewer than n_iter=10"):
        search.fit(X, Y)
    keys = [_key(p) for p in search.cv_results_["params"]]
    assert len(keys) == 6 == len(set(keys))
    assert search.best_params_ == {"kind": "b", "n": 0}


@pytest.mark.parametrize("space, rows", [({"kind": ["a", "a", "b"]}, 3),
                                         ([{"kind": ["a", "b"]}, {"kind": ["a", "b"]}], 4)])
def test_a_grid_with_a_value_listed_twice_is_warned_of_by_the_rows_it_ran(space, rows):
    """The grid runs a value listed twice twice, as RandomizedSearchCV does; the warning
    said "only 2 distinct candidates ... Lower n_iter", and n_iter=2 then dropped one of
    the listed points. It now names the grid's size, the n_iter that silences it."""
    search = TPESearchCV(Probe(), space, n_iter=10, cv=2, random_state=0)
    with pytest.warns(UserWarning, match=rf"only 2 distinct candidates, fewer than n_iter=10; "
                                         rf"its grid of {rows} .* Lower n_iter to {rows} to"):
        search.fit(X, Y)
    assert len(search.cv_results_["params"]) == rows
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = TPESearchCV(Probe(), space, n_iter=rows, cv=2, random_state=0).fit(X, Y)
    assert [p["kind"] for p in again.cv_results_["params"]] == [
        p["kind"] for p in search.cv_results_["params"]]


UNHASHABLE = [{"a": 1}, [1, 2], LogisticRegression(), DecisionTreeClassifier(max_depth=2), None]


def test_unhashable_categorical_values_finite_space():
    search = TPESearchCV(Probe(), {"obj": UNHASHABLE}, n_iter=8, cv=2, random_state=0)
    with pytest.warns(UserWarning, match="only 5 distinct candidates"):
        search.fit(X, Y)
    got = [p["obj"] for p in search.cv_results_["params"]]
    assert len(got) == 5
    assert {id(v) for v in got} == {id(v) for v in UNHASHABLE}, "each object exactly once"


def test_unhashable_categorical_values_with_continuous_and_branches():
    space = [
        {"obj": UNHASHABLE, "x": uniform(0, 1)},
        {"obj": [[3, 4], {"b": [1]}], "n": randint(0, 3), "kind": ["a", "b"]},
    ]
    search = TPESearchCV(Probe(), space, n_iter=14, cv=2, random_state=0, n_startup_trials=4)
    search.fit(X, Y)
    params = search.cv_results_["params"]
    assert len(params) == 14
    allowed = {id(v) for v in UNHASHABLE + space[1]["obj"]}
    assert all(id(p["obj"]) in allowed for p in params)
    assert np.isfinite(search.best_score_)


N_WIDE = 50


def _wide_space():
    space = {}
    for i in range(N_WIDE):
        kind = i % 4
        if kind == 0:
            space[f"p{i}"] = uniform(0, 1)
        elif kind == 1:
            space[f"p{i}"] = loguniform(1e-3, 1e3)
        elif kind == 2:
            space[f"p{i}"] = randint(0, 10)
        else:
            space[f"p{i}"] = ["a", "b", None]
    return space


def _wide_estimator_class():
    names = [f"p{i}" for i in range(N_WIDE)]
    src = (
        "def __init__(self, " + ", ".join(f"{n}=None" for n in names) + "):\n"
        + "".join(f"    self.{n} = {n}\n" for n in names)
    )
    ns = {}
    exec(src, ns)

    def fit(self, X, y=None):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None):
        return -sum((self.get_params()[f"p{i}"] - 0.5) ** 2 for i in range(0, N_WIDE, 4))

    return type("Wide", (ClassifierMixin, BaseEstimator), {
        "__init__": ns["__init__"], "fit": fit, "predict": predict, "score": score,
        "__module__": __name__,
    })


def test_fifty_parameter_space_sampler():
    space = _wide_space()
    s = TPESampler(space, n_startup_trials=5, random_state=0)
    for _ in range(10):
        batch = s.ask(3)
        assert len(batch) == 3
        for p in batch:
            assert set(p) == set(space)
            assert all(0 <= p[f"p{i}"] <= 1 for i in range(0, N_WIDE, 4))
            assert all(p[f"p{i}"] in space[f"p{i}"] for i in range(3, N_WIDE, 4))
        s.tell(batch, [-sum((p[f"p{i}"] - 0.5) ** 2 for i in range(0, N_WIDE, 4)) for p in batch])
    assert len(s.scores_) == 30 and np.isfinite(s.scores_).all()


def test_fifty_parameter_space_search():
    Wide = _wide_estimator_class()
    search = TPESearchCV(Wide(), _wide_space(), n_iter=15, cv=2, random_state=0)
    search.fit(X, Y)
    assert len(search.cv_results_["params"]) == 15
    assert set(search.best_params_) == set(_wide_space())
    assert f"param_p{N_WIDE - 1}" in search.cv_results_


def test_single_value_space():
    search = TPESearchCV(Probe(), {"x": [0.25]}, n_iter=5, cv=2, random_state=0)
    with pytest.warns(UserWarning, match="only 1 distinct candidates"):
        search.fit(X, Y)
    assert search.cv_results_["params"] == [{"x": 0.25}]
    assert search.best_params_ == {"x": 0.25}
    assert search.best_estimator_.x == 0.25


# --------------------------------------------------------------------------
# faults: the error propagates, finished candidates stay available
# --------------------------------------------------------------------------
class DyingClassifier(Probe):
    """Kills its worker process at the ``die_at``-th fit run in a child process.

    Only that one fit dies (a retry of it succeeds). Fits in child processes
    are numbered atomically by creating the files 0, 1, 2, ... in
    ``count_dir``; fits in the parent (``parent_pid``) are never killed.
    """

    def __init__(self, x=0.5, count_dir=None, parent_pid=None, how="exit", die_at=5):
        super().__init__(x=x)
        self.count_dir = count_dir
        self.parent_pid = parent_pid
        self.how = how
        self.die_at = die_at

    def _ordinal(self):
        i = 0
        while True:
            try:
                os.close(os.open(os.path.join(self.count_dir, str(i)), os.O_CREAT | os.O_EXCL))
                return i + 1
            except FileExistsError:
                i += 1

    def fit(self, X, y=None):
        if os.getpid() != self.parent_pid and self._ordinal() == self.die_at:
            if self.how == "exit":
                os._exit(1)
            os.kill(os.getpid(), signal.SIGKILL)
        return super().fit(X, y)


def _assert_finished_candidates_kept(search, n_finished):
    """The contract after an exception during fit."""
    assert hasattr(search, "cv_results_"), "cv_results_ was not kept after the exception"
    res = search.cv_results_
    assert len(res["params"]) == n_finished
    assert np.isfinite(res["mean_test_score"]).all()
    sampler = search.sampler_
    assert isinstance(sampler, TPESampler)
    told = sampler.scores_[:n_finished]
    np.testing.assert_allclose(told, res["mean_test_score"])
    assert sampler.params_[:n_finished] == list(res["params"])


@pytest.mark.parametrize("how", ["exit", pytest.param("sigkill", marks=pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="no SIGKILL"))])
def test_worker_killed_mid_search_loky(tmp_path, how):
    from joblib.externals.loky.process_executor import BrokenProcessPool, TerminatedWorkerError

    est = DyingClassifier(count_dir=str(tmp_path), parent_pid=os.getpid(), how=how, die_at=5)
    # First batch: 2 candidates x 2 folds = 4 fits; the 5th fit kills its worker.
    search = TPESearchCV(
        est, {"x": uniform(0, 1)}, n_iter=6, cv=2, n_jobs=2, batch_size=2,
        n_startup_trials=2, random_state=0,
    )
    with pytest.raises((TerminatedWorkerError, BrokenProcessPool)) as info:
        search.fit(X, Y)
    assert re.search(r"terminated|killed|crash|exit", str(info.value), re.I), str(info.value)
    _assert_finished_candidates_kept(search, 2)


class InterruptedClassifier(Probe):
    """Raises ``exc`` from the ``n_ok + 1``-th fit on (counted in the class)."""

    n_fits = 0

    def __init__(self, x=0.5, exc="interrupt", n_ok=4):
        super().__init__(x=x)
        self.exc = exc
        self.n_ok = n_ok

    def fit(self, X, y=None):
        type(self).n_fits += 1
        if type(self).n_fits > self.n_ok:
            if self.exc == "interrupt":
                raise KeyboardInterrupt
            raise ValueError("InterruptedClassifier failed on purpose")
        return super().fit(X, y)


@pytest.mark.parametrize(
    "exc, expected, kw",
    [
        ("interrupt", KeyboardInterrupt, {}),
        ("value", ValueError, {"error_score": "raise"}),
    ],
    ids=["KeyboardInterrupt", "error_score-raise"],
)
def test_exception_inside_fit_keeps_finished_candidates(exc, expected, kw):
    InterruptedClassifier.n_fits = 0
    search = TPESearchCV(
        InterruptedClassifier(exc=exc, n_ok=4), {"x": uniform(0, 1)}, n_iter=6, cv=2,
        n_jobs=1, batch_size=2, n_startup_trials=2, random_state=0, **kw,
    )
    with pytest.raises(expected):
        search.fit(X, Y)
    assert InterruptedClassifier.n_fits == 5, "the search went on after the exception"
    _assert_finished_candidates_kept(search, 2)


def test_an_interrupted_refit_of_a_fitted_search_drops_the_earlier_choice():
    """The interrupted fit's cv_results_ replaced the earlier fit's, but best_index_,
    best_params_ and best_score_ stayed the earlier fit's: they pointed at other rows
    (past the end, even). Nothing describes a choice among the new rows now."""
    InterruptedClassifier.n_fits = 0
    search = TPESearchCV(InterruptedClassifier(n_ok=100), {"x": uniform(0, 1)}, n_iter=6,
                         cv=2, batch_size=2, n_startup_trials=2, random_state=0).fit(X, Y)
    assert search.best_index_ is not None and hasattr(search, "best_estimator_")
    InterruptedClassifier.n_fits = 0
    search.set_params(estimator=InterruptedClassifier(n_ok=4), random_state=1)
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, Y)
    _assert_finished_candidates_kept(search, 2)
    for name in ("best_index_", "best_params_", "best_score_", "best_estimator_",
                 "refit_time_", "stop_reason_", "n_splits_"):
        assert not hasattr(search, name), name
    InterruptedClassifier.n_fits = 0
    search.set_params(estimator=InterruptedClassifier(n_ok=100), warm_start=True).fit(X, Y)
    res = search.cv_results_
    assert len(res["params"]) == 6
    assert search.best_params_ == res["params"][search.best_index_]
    assert search.best_score_ == res["mean_test_score"][search.best_index_]


def test_a_warm_start_interrupted_before_a_new_candidate_keeps_the_earlier_choice():
    """Its cv_results_ is the earlier fit's, so the earlier best_* still describe it."""
    InterruptedClassifier.n_fits = 0
    search = TPESearchCV(InterruptedClassifier(n_ok=100), {"x": uniform(0, 1)}, n_iter=4,
                         cv=2, batch_size=2, n_startup_trials=2, random_state=0,
                         warm_start=True).fit(X, Y)
    best, rows = search.best_params_, list(search.cv_results_["params"])
    InterruptedClassifier.n_fits = 0
    search.set_params(estimator=InterruptedClassifier(n_ok=0), n_iter=8)
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, Y)
    assert search.cv_results_["params"] == rows
    assert search.best_params_ == best and search.predict(X[:2]).shape == (2,)


@pytest.mark.extras
def test_worker_killed_mid_search_dask(tmp_path):
    """Dask reschedules the fit of a killed worker: the search still finishes."""
    distributed = pytest.importorskip("dask.distributed")
    from joblib import parallel_backend

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster):
        est = DyingClassifier(count_dir=str(tmp_path), parent_pid=os.getpid(), die_at=5)
        search = TPESearchCV(
            est, {"x": uniform(0, 1)}, n_iter=6, cv=2, n_jobs=2, batch_size=2,
            n_startup_trials=2, random_state=0,
        )
        with parallel_backend("dask"):
            search.fit(X, Y)
    assert (tmp_path / "4").exists(), "no worker was killed"
    assert len(search.cv_results_["params"]) == 6
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_plots_read_the_metric_an_interrupted_multimetric_search_chose_by():
    """An interrupted fit has no multimetric_: the plots took the first metric then."""
    from sktpe.plotting import _score_key

    InterruptedClassifier.n_fits = 0
    search = TPESearchCV(InterruptedClassifier(n_ok=4), {"x": uniform(0, 1)}, n_iter=6, cv=2,
                         batch_size=2, n_startup_trials=2, random_state=0,
                         scoring={"acc": "accuracy", "bal": "balanced_accuracy"}, refit="bal")
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, Y)
    assert not hasattr(search, "multimetric_")
    assert _score_key(search) == "mean_test_bal"
