"""The journal: finished trials on disk as they finish, and a fit that resumes from them."""

import functools
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import numpy as np
import pytest
from joblib import parallel_backend
from scipy import stats
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.model_selection import KFold
from sklearn.svm import SVC
from sklearn.utils import check_random_state

from conftest import SelfReferring, comparable_results
from sktpe import TPESearchCV

X, Y = make_classification(120, 5, random_state=0)
SPACE = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-3, 1e1),
         "kernel": ["rbf", "sigmoid"], "shrinking": [True, False]}


class Counted(ClassifierMixin, BaseEstimator):
    """Counts its fits in a class attribute (one process: n_jobs=1)."""

    fits = []
    stop_after = None

    def __init__(self, a=0.5, k=1, mode="x"):
        self.a, self.k, self.mode = a, k, mode

    def fit(self, X, y):
        Counted.fits.append((self.a, self.k, self.mode))
        if Counted.stop_after is not None and len(Counted.fits) > Counted.stop_after:
            raise KeyboardInterrupt  # the user pressed Ctrl-C
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return -((self.a - 0.3) ** 2) - 0.01 * self.k + (0.02 if self.mode == "y" else 0) \
            + (len(X) % 5) / 100


COUNTED_SPACE = {"a": uniform(0, 1), "k": randint(1, 6), "mode": ["x", "y"]}


def _counted(path, **kw):
    kw.setdefault("n_iter", 12)
    kw.setdefault("cv", 3)
    return TPESearchCV(Counted(), COUNTED_SPACE, random_state=0, journal=path, **kw)


@pytest.fixture(autouse=True)
def _reset():
    Counted.fits, Counted.stop_after = [], None
    yield
    Counted.fits, Counted.stop_after = [], None


@pytest.mark.parametrize("kw", [{}, {"racing": True}, {"batch_size": 3}, {"batch_size": "async"}],
                         ids=["plain", "racing", "batch3", "async-one-worker"])
def test_interrupted_fit_resumes_to_the_uninterrupted_result(tmp_path, kw):
    """(With one worker, batch_size='async' is the sequential search: its file was taken
    back as it was, and the search went on from a reseeded sampler, another search.)"""
    whole = _counted(tmp_path / "whole.jsonl", **kw).fit(X, Y)
    n_whole = len(Counted.fits)
    Counted.fits, Counted.stop_after = [], 20  # about the seventh candidate (3 folds each)
    path = tmp_path / "run.jsonl"
    with pytest.raises(KeyboardInterrupt):
        _counted(path, **kw).fit(X, Y)
    done = [json.loads(line) for line in path.read_text().splitlines()[1:]]
    assert 0 < len(done) < 12
    Counted.fits, Counted.stop_after = [], None
    resumed = _counted(path, **kw).fit(X, Y)
    assert comparable_results(resumed.cv_results_) == comparable_results(whole.cv_results_)
    assert resumed.best_params_ == whole.best_params_
    # No finished candidate was fitted again (the refit is the last fit). With racing,
    # a resumed fit may fit single folds only, and scikit-learn's fit needs one
    # evaluate_candidates call: one finished candidate is evaluated again for it.
    finished = {(p["a"], p["k"], p["mode"]) for p in resumed.cv_results_["params"][: len(done)]}
    again = finished & set(Counted.fits[:-1])
    assert len(again) <= (1 if kw.get("racing") else 0)
    assert len(Counted.fits) < n_whole
    assert len(path.read_text().splitlines()) == 1 + 12  # every trial once


def test_a_finished_journal_fits_nothing_again_but_one_candidate(tmp_path):
    path = tmp_path / "j.jsonl"
    first = _counted(path).fit(X, Y)
    Counted.fits = []
    again = _counted(path).fit(X, Y)
    # scikit-learn's fit needs one evaluate_candidates call: one candidate's folds, then the refit
    assert len(Counted.fits) == 3 + 1
    assert comparable_results(again.cv_results_) == comparable_results(first.cv_results_)


def test_journal_stores_list_values_by_position_and_loads_without_code(tmp_path):
    path = tmp_path / "j.jsonl"
    TPESearchCV(SVC(), SPACE, n_iter=5, cv=3, random_state=0, journal=path).fit(X, Y)
    lines = [json.loads(line) for line in path.read_text().splitlines()]  # plain JSON
    assert lines[0]["format"] == "sktpe-journal" and len(lines) == 6
    for trial in lines[1:]:
        values = trial["params"]["values"]
        assert set(values["kernel"]) == {"index"} and set(values["shrinking"]) == {"index"}
        assert isinstance(values["C"], float) and len(trial["folds"]) == 3


def test_an_unfinished_last_line_is_cut_off(tmp_path):
    path = tmp_path / "j.jsonl"
    whole = _counted(path, n_iter=6).fit(X, Y)
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    path.write_text("".join(lines[:4]) + lines[4][: len(lines[4]) // 2])  # killed mid-write
    Counted.fits = []
    resumed = _counted(path, n_iter=6).fit(X, Y)
    assert comparable_results(resumed.cv_results_) == comparable_results(whole.cv_results_)
    assert len(path.read_text().splitlines()) == 7
    assert len(Counted.fits) == 3 * 3 + 1  # the last three candidates, then the refit


@pytest.mark.parametrize("change, what", [
    ({"param_distributions": {**COUNTED_SPACE, "a": uniform(0, 2)}}, "another param_distributions"),
    ({"estimator": Counted(mode="y")}, "another estimator"),
    ({"cv": KFold(3, shuffle=True, random_state=1)}, "on other folds"),
    ({"scoring": "accuracy"}, "another scoring"),
    ({"random_state": 1}, "another random_state"),
    ({"gamma": 0.3}, "another gamma"),
    ({"n_jobs": 2}, r"batch_size='auto' on 1 worker, and this one has 2 workers: .* an n_jobs that gives 1 worker"),
    ({"n_iter": 40}, r"another n_startup_trials \(4 there, 6 here\).* to resume with another n_iter, pass n_startup_trials=4 and an n_iter of 4 or more"),
])
def test_a_journal_of_another_search_is_refused_before_any_fit(tmp_path, change, what):
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=4).fit(X, Y)
    Counted.fits = []
    search = _counted(path, n_iter=4).set_params(**change)
    with pytest.raises(ValueError, match=what):
        search.fit(X, Y)
    assert Counted.fits == []


@pytest.mark.parametrize("first, then", [(None, 1e9), (1e9, None)])
def test_a_racing_journal_is_refused_with_max_time_set_or_unset(tmp_path, first, then):
    """With racing, max_time races the start-up candidates in batches: another search,
    whose replay took trials the file held as finished as raced out, without a word."""
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=6, racing=True, max_time=first).fit(X, Y)
    Counted.fits = []
    with pytest.raises(ValueError, match=r"racing search with(out)? max_time.* Resume it with"):
        _counted(path, n_iter=6, racing=True, max_time=then).fit(X, Y)
    assert Counted.fits == []
    # a racing file written before the setting was recorded is not checked for it
    header, *rest = path.read_text().splitlines()
    head = json.loads(header)
    del head["signature"]["settings"]["timed_racing"]
    path.write_text("\n".join([json.dumps(head), *rest]) + "\n")
    assert len(_counted(path, n_iter=6, racing=True, max_time=then).fit(X, Y).cv_results_[
        "params"]) == 6
    # without racing, max_time changes no candidate: the file resumes either way
    plain = tmp_path / "plain.jsonl"
    written = _counted(plain, n_iter=6, max_time=first).fit(X, Y)
    resumed = _counted(plain, n_iter=6, max_time=then).fit(X, Y)
    assert comparable_results(resumed.cv_results_) == comparable_results(written.cv_results_)


def test_a_replay_that_settles_a_trial_otherwise_is_refused(tmp_path):
    """The file says how each trial settled; a replay whose race decides otherwise runs
    another search (one direction was caught, as a fold the file skipped and the replay
    ran; the other was taken without a word)."""
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=8, racing=True).fit(X, Y)
    lines = path.read_text().splitlines()
    entries = [json.loads(line) for line in lines[1:]]
    complete = next(i for i, e in enumerate(entries) if e["state"] == "complete" and i > 0)
    entries[complete]["state"], entries[complete]["skipped"] = "failed", []
    path.write_text("\n".join([lines[0], *map(json.dumps, entries)]) + "\n")
    with pytest.raises(ValueError, match=rf"candidate {entries[complete]['number']} was failed "
                                         rf"when it was written, and is complete now"):
        _counted(path, n_iter=8, racing=True).fit(X, Y)


def test_a_journal_of_other_data_is_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=4).fit(X, Y)
    with pytest.raises(ValueError, match="on other X or y"):
        _counted(path, n_iter=4).fit(X + 1, Y)


def test_a_file_that_is_no_journal_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text('{"hello": 1}\n')
    with pytest.raises(ValueError, match="not an sktpe journal"):
        _counted(path, n_iter=4).fit(X, Y)
    assert path.read_text() == '{"hello": 1}\n'  # left as it was


@pytest.mark.parametrize("content", [
    b"a,b\n1,2\n3,4",  # a csv whose last line has no newline
    b'{"my": "settings"}',  # one line, no newline
    b"\x80\x04\x95pickled model\n\x00\x01",  # binary, not UTF-8
    b'{"format": "sktpe-journal", "version": 1}\n',  # a header without its signature
])
def test_a_file_that_is_no_journal_is_refused_untouched(tmp_path, content):
    """Any other file is refused before it is changed in any way (no cut-off
    last line, no overwrite): a mistyped path loses no data."""
    path = tmp_path / "data"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not an sktpe journal.*left as it is"):
        _counted(path, n_iter=4).fit(X, Y)
    assert path.read_bytes() == content
    assert Counted.fits == []


@pytest.mark.parametrize("cut", [0, 5, 30])
def test_a_header_cut_short_by_a_kill_starts_a_new_journal(tmp_path, cut):
    path = tmp_path / "j.jsonl"
    whole = _counted(path, n_iter=4).fit(X, Y)
    header = path.read_text().splitlines()[0]
    path.write_text(header[:cut])  # killed while the header was written
    again = _counted(path, n_iter=4).fit(X, Y)
    assert comparable_results(again.cv_results_) == comparable_results(whole.cv_results_)
    assert path.read_text().splitlines()[0] == header


@pytest.mark.parametrize("line", ["{}", "[1, 2]", '{"number": 2}', '{"number": 1, "params": {}, '
                                  '"folds": [], "skipped": [], "state": "nonsense", "score": 0}'])
def test_a_line_that_is_no_trial_is_refused_by_its_number(tmp_path, line):
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=4).fit(X, Y)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:3] + [line] + lines[3:]) + "\n")
    with pytest.raises(ValueError, match="line 4 is not a trial sktpe wrote"):
        _counted(path, n_iter=4).fit(X, Y)


def _lose_test_score(r):
    r["folds"][0].pop("test_scores")


DAMAGE = {  # a line still JSON, with its trial's records damaged
    "a fold record lost its test score": _lose_test_score,
    "fold records are not dicts": lambda r: r.update(folds=[1, 2, 3]),
    "a test score is null": lambda r: r["folds"][0].update(test_scores=None),
    "a fit time is text": lambda r: r["folds"][1].update(fit_time="0.1"),
    "a line lost a fold": lambda r: r.update(folds=r["folds"][:2]),
    "a line has no folds": lambda r: r.update(folds=[]),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_trial_line_is_refused_by_its_number(tmp_path, damage):
    """Damage inside a line that is still JSON gave a raw KeyError or TypeError, or a
    message about warm_start (not set) or a one-shot iterable of splits."""
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=4).fit(X, Y)
    lines = path.read_text().splitlines()
    record = json.loads(lines[2])
    DAMAGE[damage](record)
    path.write_text("\n".join(lines[:2] + [json.dumps(record)] + lines[3:]) + "\n")
    before = path.read_text()
    Counted.fits = []
    with pytest.raises(ValueError, match=r"line 3 is not a trial sktpe wrote.*Give a new file"):
        _counted(path, n_iter=4).fit(X, Y)
    assert path.read_text() == before and Counted.fits == []


@pytest.mark.parametrize("field, value", [("settings", 1), ("libraries", 5)])
def test_a_damaged_header_is_refused_as_no_journal(tmp_path, field, value):
    """A header whose settings or libraries were not dicts gave a raw TypeError or
    AttributeError."""
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=4).fit(X, Y)
    header, *lines = path.read_text().splitlines()
    header = json.loads(header)
    (header["signature"] if field == "settings" else header)[field] = value
    path.write_text("\n".join([json.dumps(header), *lines]) + "\n")
    before = path.read_text()
    with pytest.raises(ValueError, match=r"is not an sktpe journal"):
        _counted(path, n_iter=4).fit(X, Y)
    assert path.read_text() == before


@pytest.mark.parametrize("before, after", [(12, 12), (31, 0)])
def test_a_change_deep_inside_a_long_estimator_is_refused(tmp_path, before, after):
    """scikit-learn's repr shortens an estimator past 700 characters and a list past
    30 elements with '...'; the journal's description of the estimator does not."""
    from sklearn.feature_selection import SelectKBest, VarianceThreshold
    from sklearn.pipeline import make_pipeline

    def pipe(k):
        return make_pipeline(*[VarianceThreshold(threshold=0.0) for _ in range(before)],
                             SelectKBest(k=k), *[VarianceThreshold(threshold=0.0) for _ in range(after)],
                             Counted())

    assert repr(pipe(2)) == repr(pipe(3))  # the case: the shortened reprs are the same
    space = {"counted__a": uniform(0, 1)}
    path = tmp_path / "j.jsonl"
    TPESearchCV(pipe(2), space, n_iter=3, cv=3, random_state=0, journal=path).fit(X, Y)
    Counted.fits = []
    with pytest.raises(ValueError, match="another estimator"):
        TPESearchCV(pipe(3), space, n_iter=3, cv=3, random_state=0, journal=path).fit(X, Y)
    assert Counted.fits == []
    TPESearchCV(pipe(2), space, n_iter=3, cv=3, random_state=0, journal=path).fit(X, Y)
    assert len(Counted.fits) == 3 + 1  # resumed: one candidate's folds (see above), the refit


def test_an_estimator_is_described_as_its_one_line_repr_whatever_the_print_config():
    """Where scikit-learn's repr is whole and on one line, the description is that text,
    also with ``print_changed_only=False`` set (the description does not follow it)."""
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from sktpe._describe import describe

    cases = [SVC(), SVC(C=np.float64(0.3), gamma=0.1, kernel="poly"), LogisticRegression(C=2),
             StandardScaler(with_mean=False), Counted(a=float("nan"), mode="y"),
             [SVC(), (Counted(k=2),)], LogisticRegression(class_weight={1: 2, 0: 1})]
    for value in cases:
        assert "\n" not in repr(value) and "..." not in repr(value)
        assert describe(value) == repr(value)
    with sklearn.config_context(print_changed_only=False):
        assert repr(SVC()) != "SVC()" and describe(SVC()) == "SVC()"


class Weighted(Counted):
    """Counted with a parameter its fits ignore (an array, say)."""

    def __init__(self, a=0.5, k=1, mode="x", w=None):
        super().__init__(a=a, k=k, mode=mode)
        self.w = w


def _recursive(k):
    def f(x):  # its closure holds f itself
        return f(x - 1) if x else k
    return f


def test_values_that_fit_differently_are_described_differently():
    """No two of these share a text, though scikit-learn's repr (with its memory
    addresses taken out) gives several of them the same one."""
    from sklearn.model_selection import PredefinedSplit
    from sklearn.preprocessing import FunctionTransformer

    from sktpe._describe import describe

    folds = np.zeros(200, dtype=int)
    other = folds.copy()
    other[100] = 1
    values = [
        FunctionTransformer(func=lambda x: x ** 2), FunctionTransformer(func=lambda x: x + 1),
        Weighted(w=np.random.RandomState(0)), Weighted(w=np.random.RandomState(1)),
        Weighted(w=PredefinedSplit(folds)), Weighted(w=PredefinedSplit(other)),
        Weighted(w=np.array([0.123456789])), Weighted(w=np.array([0.1234567891])),
        Weighted(w=np.arange(5000)), Weighted(w=np.arange(5000) + (np.arange(5000) == 4000)),
        Weighted(w=functools.partial(np.round, decimals=1)),
        Weighted(w=functools.partial(np.round, decimals=2)),
        Weighted(w=functools.partial(np.ceil)), Weighted(w=functools.partial(np.floor)),
        Weighted(w=_recursive(1)), Weighted(w=_recursive(2)),
    ]
    texts = [describe(v) for v in values]
    assert len(set(texts)) == len(texts)
    assert describe(np.random.RandomState(3)) == describe(np.random.RandomState(3))


def test_a_description_is_the_same_in_a_new_process(tmp_path):
    """No memory address, hash seed or numpy print setting enters the text."""
    (tmp_path / "made.py").write_text(textwrap.dedent("""
        import numpy as np
        from sklearn.preprocessing import FunctionTransformer
        from sklearn.svm import SVC

        def square(x, p=2):
            return x ** p

        VALUE = [FunctionTransformer(func=square, kw_args={"p": 3}),
                 SVC(class_weight={"b": 1, "a": 2}), {"x", "y", "z", "w"},
                 np.linspace(0, 1, 7), np.random.RandomState(5)]
    """))
    code = ("import sys, numpy as np; sys.path.insert(0, sys.argv[1]); "
            "np.set_printoptions(precision=int(sys.argv[2])); "
            "from made import VALUE; from sktpe._describe import describe; print(describe(VALUE))")
    texts = {subprocess.run([sys.executable, "-c", code, str(tmp_path), precision],
                            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True,
                            text=True, check=True).stdout
             for seed, precision in (("1", "8"), ("2", "3"))}
    assert len(texts) == 1 and "square" in texts.pop()


def test_a_journal_whose_description_breaks_lines_resumes(tmp_path):
    """A numpy array's repr breaks its own lines past 75 characters: such a journal,
    written by this version, resumes."""
    est = Weighted(mode="y", w=np.arange(40))
    assert "\n" in repr(est)
    path = tmp_path / "j.jsonl"
    TPESearchCV(est, {"a": uniform(0, 1)}, n_iter=4, cv=3, random_state=0, journal=path).fit(X, Y)
    Counted.fits = []
    TPESearchCV(est, {"a": uniform(0, 1)}, n_iter=4, cv=3, random_state=0, journal=path).fit(X, Y)
    assert len(Counted.fits) == 3 + 1  # resumed: one candidate's folds, the refit


def test_numpy_settings_are_journaled_and_a_setting_only_the_file_has_is_named(tmp_path):
    path = tmp_path / "j.jsonl"
    _counted(path, n_iter=4, batch_size=np.int64(2), n_startup_trials=np.int64(2),
             racing=np.bool_(False)).fit(X, Y)
    header, *lines = path.read_text().splitlines()
    header = json.loads(header)
    header["signature"]["settings"]["added_later"] = 1
    path.write_text("\n".join([json.dumps(header), *lines]) + "\n")
    with pytest.raises(ValueError, match="another added_later"):
        _counted(path, n_iter=4, batch_size=2, n_startup_trials=2).fit(X, Y)


def test_a_journal_holding_the_wrapped_repr_of_earlier_versions_resumes(tmp_path):
    """Journals written before sktpe described estimators itself hold scikit-learn's
    repr, broken over lines past 80 characters: the same estimator resumes them."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    est = make_pipeline(StandardScaler(with_mean=False, with_std=False), Counted(mode="y"))
    assert "\n" in repr(est)
    path = tmp_path / "j.jsonl"
    space = {"counted__a": uniform(0, 1)}
    TPESearchCV(est, space, n_iter=4, cv=3, random_state=0, journal=path).fit(X, Y)
    header, *lines = path.read_text().splitlines()
    header = json.loads(header)
    header["signature"]["estimator"] = repr(est)  # as sktpe 0.x wrote it
    path.write_text("\n".join([json.dumps(header), *lines]) + "\n")
    Counted.fits = []
    TPESearchCV(est, space, n_iter=4, cv=3, random_state=0, journal=path).fit(X, Y)
    assert len(Counted.fits) == 3 + 1  # resumed: one candidate's folds, the refit
    other = make_pipeline(StandardScaler(with_mean=False), Counted(mode="y"))
    with pytest.raises(ValueError, match="another estimator"):
        TPESearchCV(other, space, n_iter=4, cv=3, random_state=0, journal=path).fit(X, Y)


def test_an_estimator_with_its_own_repr_is_described_by_it():
    from sktpe._describe import describe

    class OwnRepr(Counted):
        def __repr__(self):
            return f"OwnRepr(a={self.a})"

    assert describe(OwnRepr(a=0.25)) == "OwnRepr(a=0.25)"
    assert describe([OwnRepr(a=0.5), (Counted(k=2),)]) == "[OwnRepr(a=0.5), (Counted(k=2),)]"


def test_an_object_that_refers_to_itself_is_described_without_end(tmp_path):
    """Its bound method described the object again, without end: a RecursionError for a
    journal whose space lists it."""
    from sktpe._describe import describe

    text = describe(SelfReferring(True))
    assert text.startswith("SelfReferring(lower=True, split=<method ")
    assert text.endswith(" of <SelfReferring 2 up>>)")
    assert describe(SelfReferring(True)) != describe(SelfReferring(False))
    # which value a back-reference leads to is part of the text
    a, b, a2, b2 = (SelfReferring(k) for k in (1, 2, 1, 2))
    a.other, b.other, a2.other, b2.other = b, a, b2, b2
    assert describe(a) != describe(a2)
    looped = [1]
    looped.append(looped)
    assert describe(looped) == "[1, <list 1 up>]"
    same = SelfReferring(True)
    assert describe([same, same]) == "[" + ", ".join([describe(same)] * 2) + "]"  # no cycle

    class Pre(BaseEstimator):
        def __init__(self, fn=None):
            self.fn = fn

        def default(self, x):
            return x

    pre = Pre()
    pre.set_params(fn=pre.default)  # a parameter that leads back to the estimator
    assert describe(pre).endswith(" of <Pre 2 up>>)")
    search = TPESearchCV(Counted(), {"a": [0.5], "mode": [SelfReferring(True), "x"]},
                         n_iter=2, cv=2, random_state=0, journal=tmp_path / "j.jsonl")
    search.fit(X, Y)
    assert len(search.cv_results_["params"]) == 2


def test_a_one_shot_iterable_of_splits_is_refused_with_a_journal(tmp_path):
    """Its folds cannot be listed again to check them, so a journal written on
    other folds would be resumed silently: refused before any fit, naming the fix."""
    path = tmp_path / "j.jsonl"
    splits = KFold(3, shuffle=True, random_state=0).split(X)
    with pytest.raises(ValueError, match=r"one-shot iterable.*cv=list"):
        _counted(path, n_iter=4, cv=splits).fit(X, Y)
    assert Counted.fits == []
    listed = list(KFold(3, shuffle=True, random_state=0).split(X))
    _counted(path, n_iter=4, cv=listed).fit(X, Y)  # a list of the splits is checked
    with pytest.raises(ValueError, match="on other folds"):
        _counted(path, n_iter=4, cv=list(KFold(3, shuffle=True, random_state=1).split(X))).fit(X, Y)


def test_another_refit_metric_is_refused(tmp_path):
    """With several metrics, ``refit`` names the one TPE optimises."""
    path = tmp_path / "j.jsonl"
    scoring = {"score": None, "neg": lambda est, X, y: -est.score(X, y)}
    _counted(path, n_iter=4, scoring=scoring, refit="score").fit(X, Y)
    Counted.fits = []
    with pytest.raises(ValueError, match="another refit"):
        _counted(path, n_iter=4, scoring=scoring, refit="neg").fit(X, Y)
    assert Counted.fits == []


def test_random_state_none_keeps_its_seed_in_the_journal(tmp_path):
    path = tmp_path / "j.jsonl"
    first = TPESearchCV(Counted(), COUNTED_SPACE, n_iter=6, cv=3, journal=path).fit(X, Y)
    Counted.fits = []
    again = TPESearchCV(Counted(), COUNTED_SPACE, n_iter=6, cv=3, journal=path).fit(X, Y)
    assert again.cv_results_["params"] == first.cv_results_["params"]


# -- a process killed with SIGKILL, resumed in a new one --------------------------------
SCRIPT = textwrap.dedent('''
    import json, sys, time
    import numpy as np
    from scipy.stats import uniform
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.datasets import make_classification
    from sktpe import TPESearchCV

    class Slow(ClassifierMixin, BaseEstimator):
        def __init__(self, a=0.5, b=0.5, log=None):
            self.a, self.b, self.log = a, b, log

        def fit(self, X, y):
            with open(self.log) as fh:
                n_before = len(fh.readlines())
            with open(self.log, "a") as fh:
                fh.write(json.dumps([self.a, self.b]) + "\\n")
            # The first run hangs after 24 fits (6 candidates of 4 folds), so the
            # test kills it mid-search however slow or fast the machine is.
            time.sleep(3600 if n_before >= HANG_AFTER else 0.01)
            self.classes_ = np.unique(y)
            return self

        def predict(self, X):
            return np.full(len(X), self.classes_[0])

        def score(self, X, y):
            return -(self.a - 0.3) ** 2 - (self.b - 0.6) ** 2 + (len(X) % 7) / 100

    journal, log, n_jobs, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    HANG_AFTER = int(sys.argv[5])
    open(log, "a").close()
    X, y = make_classification(100, 4, random_state=0)
    search = TPESearchCV(Slow(log=log), {"a": uniform(0, 1), "b": uniform(0, 1)}, n_iter=16,
                         cv=4, random_state=0, n_jobs=n_jobs, journal=journal).fit(X, y)
    res = {k: np.asarray(v).tolist() for k, v in search.cv_results_.items()
           if "time" not in k and k != "params"}
    res["params"] = [[p["a"], p["b"]] for p in search.cv_results_["params"]]
    with open(out, "w") as fh:
        json.dump(res, fh)
''')


def _lines(path):
    try:
        return path.read_text().splitlines()
    except FileNotFoundError:
        return []


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_killed_search_resumes_in_a_new_process(tmp_path, n_jobs):
    script = tmp_path / "search.py"
    script.write_text(SCRIPT)
    journal, log = tmp_path / "j.jsonl", tmp_path / "fits.log"

    def run(journal, log, out, hang_after=10**9):
        return [sys.executable, str(script), str(journal), str(log), str(n_jobs), str(out),
                str(hang_after)]

    proc = subprocess.Popen(run(journal, log, tmp_path / "never.json", 24), start_new_session=True)
    deadline = time.monotonic() + 300  # generous: a loaded machine is slow, not wrong
    while len(_lines(journal)) < 1 + 6 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the fitting process and its workers
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done = [json.loads(line) for line in _lines(journal)[1:]]
    assert len(done) == 6
    with open(log, "a") as fh:
        fh.write("\n")  # end a line the kill may have cut
    n_logged = len(_lines(log))

    subprocess.run(run(journal, log, tmp_path / "resumed.json"), check=True, timeout=600)
    subprocess.run(run(tmp_path / "fresh.jsonl", tmp_path / "fresh.log", tmp_path / "fresh.json"),
                   check=True, timeout=600)
    resumed = json.loads((tmp_path / "resumed.json").read_text())
    fresh = json.loads((tmp_path / "fresh.json").read_text())
    assert resumed == fresh
    finished = {(t["params"]["values"]["a"], t["params"]["values"]["b"]) for t in done}
    refitted = {tuple(json.loads(line)) for line in _lines(log)[n_logged:-1]}  # -1: the refit
    assert not finished & refitted  # no finished candidate was fitted again


def test_journal_checks_the_folds_of_a_splitter_with_groups(tmp_path):
    from sklearn.model_selection import GroupKFold

    groups = np.arange(len(Y)) % 6
    path = tmp_path / "j.jsonl"
    kw = dict(n_iter=6, cv=GroupKFold(3), random_state=0, journal=path)
    first = TPESearchCV(Counted(), COUNTED_SPACE, **kw).fit(X, Y, groups=groups)
    again = TPESearchCV(Counted(), COUNTED_SPACE, **kw).fit(X, Y, groups=groups)
    assert comparable_results(again.cv_results_) == comparable_results(first.cv_results_)
    with pytest.raises(ValueError, match="on other folds"):
        TPESearchCV(Counted(), COUNTED_SPACE, **kw).fit(X, Y, groups=groups[::-1].copy())


class _Drawn:
    """A distribution with only ``rvs`` (sampled, not modelled): draws ``make(u)``."""

    def __init__(self, make):
        self.make = make

    def rvs(self, random_state=None):
        return self.make(check_random_state(random_state).uniform(0.5, 2.0))


@pytest.mark.parametrize(
    "make, kind",
    [(lambda u: {0: 1.0, 1: u}, "dict"), (lambda u: (1.0, u), "tuple")],
    ids=["dict with int keys", "tuple"],
)
@pytest.mark.filterwarnings("ignore:Parameters \\['mode'\\] are objects with 'rvs'")
def test_an_asynchronous_journal_refuses_a_value_json_gives_back_changed(tmp_path, make, kind):
    # Resumed, an asynchronous search takes its trials back from the file: JSON would give
    # a dict with text keys, or a list, and the search would fit other values than it
    # searched. Refused before any fit.
    Counted.fits, Counted.stop_after = [], None
    search = TPESearchCV(Counted(), {"a": uniform(0, 1), "mode": _Drawn(make)}, n_iter=6,
                         cv=3, random_state=0, journal=tmp_path / "j.jsonl", n_jobs=2,
                         batch_size="async")
    with parallel_backend("threading"), pytest.raises(
            TypeError, match=f"journal cannot store the value of 'mode' .* of type {kind} "
                             r"\(JSON would give it back changed\)"):
        search.fit(X, Y)
    assert Counted.fits == []


@pytest.mark.filterwarnings("ignore:Parameters \\['mode'\\] are objects with 'rvs'")
def test_a_replayed_journal_keeps_tuples_and_dicts_with_other_keys(tmp_path):
    # A journal of batches is replayed: the search asks for the same values again, and
    # the file's are only compared with them, so the estimator still gets a tuple.
    Counted.fits, Counted.stop_after = [], None
    space = {"a": uniform(0, 1), "mode": _Drawn(lambda u: (1, {2: u}))}
    first = _counted(tmp_path / "j.jsonl", n_iter=6).set_params(param_distributions=space)
    first.fit(X, Y)
    Counted.fits = []
    resumed = _counted(tmp_path / "j.jsonl", n_iter=6).set_params(param_distributions=space)
    resumed.fit(X, Y)
    assert resumed.cv_results_["params"] == first.cv_results_["params"]
    assert all(isinstance(p["mode"], tuple) for p in resumed.cv_results_["params"])
    # Nothing new: one candidate's 3 folds again (scikit-learn's fit needs one call of
    # evaluate_candidates), and the refit, each with the tuple.
    assert len(Counted.fits) == 3 + 1
    assert all(isinstance(mode, tuple) for _, _, mode in Counted.fits)


@pytest.mark.parametrize("batch_size", ["auto", "async"])
@pytest.mark.filterwarnings("ignore:Parameters \\['mode'\\] are objects with 'rvs'")
def test_a_value_no_journal_can_store_is_refused_before_any_fit(tmp_path, batch_size):
    Counted.fits, Counted.stop_after = [], None
    search = TPESearchCV(Counted(), {"a": uniform(0, 1), "mode": _Drawn(lambda u: np.array([u]))},
                         n_iter=6, cv=3, random_state=0, journal=tmp_path / "j.jsonl",
                         n_jobs=2, batch_size=batch_size)
    with parallel_backend("threading"), pytest.raises(
            TypeError, match="journal cannot store the value of 'mode' .* of type ndarray"):
        search.fit(X, Y)
    assert Counted.fits == []


@pytest.mark.filterwarnings("ignore:Parameters \\['mode'\\] are objects with 'rvs'")
def test_resumed_asynchronous_search_gives_back_lists_and_dicts_with_text_keys(tmp_path):
    # (a guard: these always came back as they were written)
    Counted.fits, Counted.stop_after = [], None
    space = {"a": uniform(0, 1), "mode": _Drawn(lambda u: {"w": [1.0, u]})}
    kw = dict(n_iter=6, cv=3, random_state=0, journal=tmp_path / "j.jsonl", n_jobs=2,
              batch_size="async")
    with parallel_backend("threading"):
        first = TPESearchCV(Counted(), space, **kw).fit(X, Y)
        resumed = TPESearchCV(Counted(), space, **kw).fit(X, Y)
    assert resumed.cv_results_["params"] == first.cv_results_["params"]
    assert resumed.best_params_ == first.best_params_


def test_a_journal_of_another_scikit_learn_resumes_with_a_warning(tmp_path):
    # The estimator is described by the parameters that differ from their defaults: a
    # default that changed between versions would go unseen, so the header keeps the
    # version and a resume under another one says so.
    import sklearn

    path = tmp_path / "j.jsonl"
    Counted.fits, Counted.stop_after = [], None
    _counted(path, n_iter=5).fit(X, Y)
    header, *lines = path.read_text().splitlines()
    assert json.loads(header)["libraries"] == {"scikit-learn": sklearn.__version__}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _counted(path, n_iter=6).fit(X, Y)  # the same version: no warning
    old = json.loads(header)
    old["libraries"] = {"scikit-learn": "0.1"}
    path.write_text("\n".join([json.dumps(old), *lines]) + "\n")
    with pytest.warns(UserWarning, match=r"written with scikit-learn 0\.1, and this is "
                                          + re.escape(sklearn.__version__)):
        resumed = _counted(path, n_iter=6).fit(X, Y)
    assert len(resumed.cv_results_["params"]) == 6
    del old["libraries"]  # a file written before the header kept it: taken as it is
    path.write_text("\n".join([json.dumps(old), *lines]) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _counted(path, n_iter=6).fit(X, Y)


class WeightedCounted(Counted):
    def fit(self, X, y, sample_weight=None):
        return super().fit(X, y)


def _resumes(path, X_, Y_, **fit_params):
    """Fit a 6-candidate search on the 5-candidate file: it resumes (the new candidate's 3
    folds and the refit are its only fits)."""
    Counted.fits = []
    search = TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=6, cv=3, random_state=0,
                         journal=path).fit(X_, Y_, **fit_params)
    return len(Counted.fits) == 4 and len(search.cv_results_["params"]) == 6


@pytest.mark.parametrize("kind", ["sparse", "bool column", "text column", "sample_weight"])
def test_a_journal_of_other_sparse_or_non_numeric_data_or_fit_parameters_is_refused(
        tmp_path, kind):
    """Sparse X, a DataFrame with a bool or text column (an object array to numpy) and fit
    parameters were left out of the data's hash: another X or sample_weight of the same
    shape resumed the file silently, with the scores of the other data."""
    import scipy.sparse as sp

    path = tmp_path / "j.jsonl"
    other = X.copy()
    other[0, 0] += 1.0
    params, params_other = {}, {}
    if kind == "sparse":
        data, data_other, data_again = sp.csr_matrix(X), sp.csr_matrix(other), sp.coo_matrix(X)
    elif kind == "sample_weight":
        data = data_other = data_again = X
        weights = np.ones(len(Y))
        params, params_other = {"sample_weight": weights}, {"sample_weight": weights * 2}
    else:
        pd = pytest.importorskip("pandas")
        extra = np.arange(len(Y)) % 2 == 0
        if kind == "text column":
            extra = np.where(extra, "even", "odd")

        def frame(a):
            return pd.DataFrame(a).assign(extra=extra)
        data, data_other, data_again = frame(X), frame(other), frame(X.copy())
    Counted.fits = []
    TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=5, cv=3, random_state=0,
                journal=path).fit(data, Y, **params)
    before = path.read_text()
    with pytest.raises(ValueError, match="on other data or fit parameters"):
        TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=6, cv=3, random_state=0,
                    journal=path).fit(data_other, Y, **(params_other or params))
    assert path.read_text() == before  # refused untouched
    assert _resumes(path, data_again, Y, **params)  # the same data in another object


def test_a_journal_written_before_contents_were_hashed_resumes(tmp_path):
    path = tmp_path / "j.jsonl"
    Counted.fits = []
    TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=5, cv=3, random_state=0,
                journal=path).fit(X, Y, sample_weight=np.ones(len(Y)))
    header, *lines = path.read_text().splitlines()
    old = json.loads(header)
    del old["signature"]["contents"]
    path.write_text("\n".join([json.dumps(old), *lines]) + "\n")
    assert _resumes(path, X, Y, sample_weight=np.ones(len(Y)))


def test_a_journal_of_a_frame_with_other_column_names_is_refused(tmp_path):
    """Only the numbers of an all-numeric DataFrame were hashed: with two column names
    swapped, a pipeline selecting columns by name fits other data, and the journal
    resumed silently with the old scores."""
    pd = pytest.importorskip("pandas")
    path = tmp_path / "j.jsonl"
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    swapped = frame.rename(columns={"f0": "f1", "f1": "f0"})
    Counted.fits = []
    TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=5, cv=3, random_state=0,
                journal=path).fit(frame, Y)
    before = path.read_text()
    with pytest.raises(ValueError, match="on an X with other column names than"):
        TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=6, cv=3, random_state=0,
                    journal=path).fit(swapped, Y)
    assert path.read_text() == before
    assert _resumes(path, frame.copy(), Y)
    numbers = tmp_path / "numbers.jsonl"  # an array and a frame of it: no names to differ
    Counted.fits = []
    TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=5, cv=3, random_state=0,
                journal=numbers).fit(X, Y)
    assert _resumes(numbers, frame, Y)
    header, *lines = path.read_text().splitlines()
    old = json.loads(header)
    del old["signature"]["columns"]  # as a file written before names were hashed
    path.write_text("\n".join([json.dumps(old), *lines]) + "\n")
    search = TPESearchCV(WeightedCounted(), COUNTED_SPACE, n_iter=6, cv=3, random_state=0,
                         journal=path).fit(swapped, Y)  # no check, as before
    assert len(search.cv_results_["params"]) == 6


def _distributions(kind):
    """Two distributions of ``kind`` that draw differently, and the first made again."""
    if kind == "new interface":
        if not hasattr(stats, "Uniform"):
            pytest.skip("scipy without the new distribution interface (scipy < 1.15)")
        return (stats.Uniform(a=0.2, b=0.9), stats.Normal(mu=0.5, sigma=0.1),
                stats.Uniform(a=0.2, b=0.9))
    if kind == "rv_histogram":
        def hist(last):
            return stats.rv_histogram(np.histogram([0.1, 0.2, 0.2, 0.3, last], bins=4))
        return hist(0.9), hist(0.5), hist(0.9)

    def listed(last):  # more values than candidates: no grid
        return stats.rv_discrete(values=([1, 2, 3, 4, 5, 6, 7, last], [0.125] * 8))
    return listed(8), listed(9), listed(8)


@pytest.mark.parametrize("kind", ["new interface", "rv_histogram", "rv_discrete values"])
def test_a_journal_tells_apart_distributions_described_without_their_arguments(tmp_path, kind):
    """scipy's new-interface distributions, rv_histogram and rv_discrete(values=...) were
    described without what they draw ('_NewStyle()', 'Distribution()'): a journal of
    another such distribution resumed silently with the old space's trials."""
    first, other, again = _distributions(kind)
    path = tmp_path / "j.jsonl"
    name = "k" if kind == "rv_discrete values" else "a"

    def search(dist, n_iter):
        return TPESearchCV(Counted(), {name: dist}, n_iter=n_iter, cv=3, random_state=0,
                           journal=path)

    Counted.fits = []
    search(first, 5).fit(X, Y)
    with pytest.raises(ValueError, match="on another distribution in param_distributions"):
        search(other, 6).fit(X, Y)
    Counted.fits = []
    search(again, 6).fit(X, Y)  # the same distribution made again resumes
    assert len(Counted.fits) == 4  # the new candidate's 3 folds and the refit


def test_an_asynchronous_journal_with_more_candidates_than_n_iter_is_refused_clearly(tmp_path):
    """It said that initial_candidates (not given) held 0 candidates, more than -4."""
    path = tmp_path / "j.jsonl"

    def search(n_iter):
        return TPESearchCV(Counted(), COUNTED_SPACE, n_iter=n_iter, cv=3, random_state=0,
                           n_startup_trials=5, batch_size="async", journal=path)

    with parallel_backend("threading"):  # two workers propose asynchronously
        search(8).set_params(n_jobs=2).fit(X, Y)
    Counted.fits = []
    with pytest.raises(ValueError, match=r"holds 8 candidates of asynchronous proposals, more "
                                         r"than n_iter=6.*Set n_iter=8 or more"):
        search(6).fit(X, Y)
    assert Counted.fits == []
    assert len(search(8).fit(X, Y).cv_results_["params"]) == 8


def test_the_n_startup_trials_hint_works_below_the_files_start_up(tmp_path):
    """The hint to pass the file's n_startup_trials failed again when n_iter is below it
    (n_startup_trials is at most n_iter); it now says so, and its advice resumes."""
    path = tmp_path / "j.jsonl"
    TPESearchCV(Counted(), COUNTED_SPACE, n_iter=8, cv=3, random_state=0, n_startup_trials=5,
                journal=path).fit(X, Y)
    with pytest.raises(ValueError, match=r"\(5 there, 4 here\).*n_startup_trials=5 and an "
                                         r"n_iter of 5 or more"):
        TPESearchCV(Counted(), COUNTED_SPACE, n_iter=4, cv=3, random_state=0,
                    n_startup_trials=5, journal=path).fit(X, Y)
    search = TPESearchCV(Counted(), COUNTED_SPACE, n_iter=5, cv=3, random_state=0,
                         n_startup_trials=5, journal=path).fit(X, Y)
    assert len(search.cv_results_["params"]) == 5


def test_a_fit_refused_after_its_journal_was_read_holds_no_file_open(tmp_path):
    """The file was opened (a new one written with its header) before the search's own
    checks: a refused fit left an open handle (a ResourceWarning) and a header-only file."""
    import gc

    path = tmp_path / "j.jsonl"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="initial_candidates"):
            _counted(path, n_iter=2, initial_candidates=[{"a": 0.1, "k": 1, "mode": "x"}] * 3
                     ).fit(X, Y)
        gc.collect()
    assert not path.exists()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


class CountedFailing(Counted):
    """Counted, failing to fit where ``a`` > 0.6 (scores are negative elsewhere)."""

    def fit(self, X, y):
        if self.a > 0.6:
            raise ValueError("a too large")
        return super().fit(X, y)


def test_a_taken_back_failed_trial_is_learnt_as_the_worst_result(tmp_path):
    """An asynchronous journal's trials are taken back with the score the file holds: a
    file written before failed fits were learnt as NaN holds the mean with a numeric
    error_score (0 here, above every real score), which the resumed sampler would learn
    as the best result. A failed trial is taken back as NaN."""
    path = tmp_path / "j.jsonl"

    def search(n_iter):
        return TPESearchCV(CountedFailing(), COUNTED_SPACE, n_iter=n_iter, cv=3, random_state=0,
                           n_startup_trials=5, batch_size="async", journal=path,
                           error_score=0.0, refit=False)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with parallel_backend("threading"):  # two workers propose asynchronously
            search(8).set_params(n_jobs=2).fit(X, Y)
        header, *lines = path.read_text().splitlines()
        records = [json.loads(line) for line in lines]
        assert any(r["state"] == "failed" for r in records)
        for r in records:  # as an earlier version wrote them
            if r["state"] == "failed":
                r["score"] = 0.0
        path.write_text("\n".join([header, *map(json.dumps, records)]) + "\n")
        resumed = search(8).fit(X, Y)
    failed = np.array([r["state"] == "failed" for r in records])
    assert np.isnan(resumed.sampler_.scores_[failed]).all()
    assert np.isfinite(resumed.sampler_.scores_[~failed]).all()
    assert (resumed.cv_results_["mean_test_score"][failed] == 0.0).all()


@pytest.mark.parametrize("kw", [{}, {"batch_size": 1}, {"batch_size": 3}, {"racing": True}],
                         ids=["auto", "batch1", "batch3", "racing"])
def test_a_fit_stopped_in_the_start_up_keeps_the_candidates_that_finished(tmp_path, kw):
    """The start-up candidates ran as one evaluate_candidates call: a Ctrl-C during them
    left the journal empty and warm_start nothing, however many had finished (here 4 of
    the 5, at the 13th of 15 fold fits). They now come in batches of the search's
    batch size; a racing search, which races them as one batch, journals each as it
    is decided."""
    path = tmp_path / "j.jsonl"
    Counted.stop_after = 12
    stopped = _counted(path, n_iter=8, n_startup_trials=5, **kw)
    with pytest.raises(KeyboardInterrupt):
        stopped.fit(X, Y)
    header, *lines = path.read_text().splitlines()
    records = [json.loads(line) for line in lines]
    per_batch = kw.get("batch_size", 1)  # 'auto' with one worker: one candidate a batch
    assert len(records) >= (4 // per_batch) * per_batch  # every batch that finished
    assert len(stopped.cv_results_["params"]) == len(records)  # and in memory
    in_file = sum(len(r["folds"]) - len(r["skipped"]) for r in records)  # fold fits
    # the resumed search fits none of them again, and ends as an uninterrupted one
    Counted.fits, Counted.stop_after = [], None
    resumed = _counted(path, n_iter=8, n_startup_trials=5, **kw).fit(X, Y)
    fitted_again = len(Counted.fits)
    Counted.fits = []
    whole = _counted(tmp_path / "whole.jsonl", n_iter=8, n_startup_trials=5, **kw).fit(X, Y)
    # (+3: scikit-learn's fit needs one evaluate_candidates call, which may run one
    # finished candidate's 3 folds again, unused)
    assert fitted_again <= len(Counted.fits) - in_file + 3
    assert comparable_results(resumed.cv_results_) == comparable_results(whole.cv_results_)


def _passes(est, X_, y_):
    return bool(est.score(X_, y_) > -0.05)  # scikit-learn takes a bool score


def _complex_score(est, X_, y_):
    return complex(est.score(X_, y_), 1.0)  # scikit-learn takes its real part


@pytest.mark.parametrize("scoring", [_passes, _complex_score], ids=["bool", "complex"])
def test_a_journal_of_odd_but_accepted_scores_resumes(tmp_path, scoring):
    """A scorer returning a bool wrote a file that the search then refused as changed by
    something else; one returning a complex number could not be written (the message
    told to put the values in a list in param_distributions)."""
    path = tmp_path / "j.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        whole = _counted(path, n_iter=5, scoring=scoring).fit(X, Y)
        Counted.fits = []
        again = _counted(path, n_iter=5, scoring=scoring).fit(X, Y)
    assert comparable_results(again.cv_results_) == comparable_results(whole.cv_results_)
    # nothing fitted again but scikit-learn's one evaluate_candidates call (a finished
    # candidate's 3 folds, unused) and the refit
    assert len(Counted.fits) <= 3 + 1
