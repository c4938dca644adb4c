"""Contract tests: every assumption ``sktpe/_sklearn_compat.py`` makes about
scikit-learn's internals, checked against the installed scikit-learn.

When a release breaks one, the test here fails with the contact's name,
instead of a user's search failing silently.
"""

import inspect
import numbers
import pickle
import warnings

import numpy as np
import pytest
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection._search import BaseSearchCV

from sktpe import TPESearchCV
from sktpe import _sklearn_compat as compat

X = np.random.RandomState(0).normal(size=(40, 3))
y = (X[:, 0] > 0).astype(int)


class _Probe(BaseSearchCV):
    """A minimal search that records what BaseSearchCV hands its hooks."""

    def __init__(self, estimator, batches, *, cv=2, verbose=0, error_score=np.nan,
                 sentinel=False, scoring=None, return_train_score=False):
        self.batches = batches
        self.sentinel = sentinel
        super().__init__(estimator, cv=cv, verbose=verbose, error_score=error_score,
                         scoring=scoring, return_train_score=return_train_score)

    def _format_results(self, candidate_params, n_splits, out, more_results=None):
        self.seen_ = (list(candidate_params), n_splits, list(out))
        if self.sentinel:
            self.returned_ = compat.format_results(self, candidate_params, n_splits, out)
            return self.returned_
        return super()._format_results(candidate_params, n_splits, out, more_results)

    def _run_search(self, evaluate_candidates):
        self.n_splits_before_ = getattr(self, "n_splits_", None)
        for batch in self.batches:
            evaluate_candidates(batch)


def test_contact0_the_base_class_and_its_extension_point():
    from sklearn.model_selection import RandomizedSearchCV

    assert compat.BaseSearchCV is BaseSearchCV
    assert issubclass(RandomizedSearchCV, compat.BaseSearchCV)
    assert list(inspect.signature(BaseSearchCV._run_search).parameters)[:2] == [
        "self", "evaluate_candidates"]


def test_contact1_format_results_signature_and_its_dict_becomes_cv_results():
    params = list(inspect.signature(BaseSearchCV._format_results).parameters)
    assert params[:4] == ["self", "candidate_params", "n_splits", "out"]
    probe = _Probe(LogisticRegression(), [[{"C": 1.0}], [{"C": 2.0}]], sentinel=True).fit(X, y)
    # fit keeps the very dict the last _format_results call returned
    assert probe.cv_results_ is probe.returned_
    # the lists handed over accumulate every batch, in order
    assert [p["C"] for p in probe.seen_[0]] == [1.0, 2.0]
    assert len(probe.seen_[2]) == 2 * probe.seen_[1]


def test_contact2_fold_records_have_the_keys_sktpe_reads_and_writes():
    probe = _Probe(LogisticRegression(), [[{"C": 1.0}]], return_train_score=True).fit(X, y)
    record = probe.seen_[2][0]
    for key in ("fit_error", "test_scores", "train_scores", "n_test_samples", "fit_time",
                "score_time"):
        assert key in record, key
    assert compat.RECORD_KEYS <= record.keys()  # what a journal checks each stored record for
    assert record["fit_error"] is None
    assert compat.fold_test_scores(record) == record["test_scores"]
    assert compat.n_failed(probe.seen_[2]) == 0
    # records built for a failed batch format like scikit-learn's own
    failed = compat.failed_folds(["boom"] * 2, 2, probe.seen_[2], np.nan, True)
    results = compat.format_results(probe, [{"C": 1.0}, {"C": 3.0}], 2,
                                    probe.seen_[2] + failed)
    assert np.isnan(results["mean_test_score"][1])
    assert results["rank_test_score"][0] == 1


def test_contact3_failure_messages_parse_back():
    bad = LogisticRegression(C=-1.0)
    probe = _Probe(bad, [[{"C": -1.0}, {"C": -2.0}]])
    with pytest.raises(ValueError) as info:
        probe.fit(X, y)
    errors = compat.all_fits_failed_errors(info.value)
    assert errors is not None and len(errors) == 4
    assert all("C" in e for e in errors)
    assert compat.all_fits_failed_errors(ValueError("something else")) is None
    # a partly failed batch warns with the counts sktpe looks for
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _Probe(LogisticRegression(), [[{"C": -1.0}, {"C": 1.0}]]).fit(X, y)
    batch = [w for w in caught if compat._is_batch_warning(w, 2, 4)]
    assert len(batch) == 1
    # judged over several records, scikit-learn's function still warns or raises
    with pytest.warns(FitFailedWarning):
        compat.judge_fit_failures([{"fit_error": "x"}, {"fit_error": None}], np.nan)
    with pytest.raises(ValueError, match="All the 1 fits failed"):
        compat.judge_fit_failures([{"fit_error": "x"}], np.nan)


def test_contact4_the_batch_header_reads_verbose_when_called(capsys):
    class Muted(_Probe):
        def _run_search(self, evaluate_candidates):
            with compat.muted_batch_header(self):
                evaluate_candidates([{"C": 1.0}])

    Muted(LogisticRegression(), None, verbose=1).fit(X, y)
    assert "Fitting" not in capsys.readouterr().out
    _Probe(LogisticRegression(), [[{"C": 1.0}]], verbose=1).fit(X, y)
    assert "Fitting 2 folds for each of 1 candidates" in capsys.readouterr().out


def test_contact_n_splits_is_set_before_run_search_from_1_9():
    probe = _Probe(LogisticRegression(), [[{"C": 1.0}]]).fit(X, y)
    if compat.SKLEARN_VERSION >= (1, 9):
        assert probe.n_splits_before_ == 2
    else:
        assert probe.n_splits_before_ is None


@pytest.mark.skipif(compat.SKLEARN_VERSION < (1, 9), reason="callbacks: scikit-learn >= 1.9")
def test_contact5_evaluate_candidates_only_asks_the_context_for_subcontexts():
    from sklearn.callback import ProgressBar  # noqa: F401 (the API exists)

    calls = []

    class Spy:
        def subcontext(self, **kwargs):
            calls.append(kwargs)
            return None  # no hooks are needed of a None context

    class WithContext(_Probe):
        def _run_search(self, evaluate_candidates, *, callback_ctx=None):
            evaluate_candidates([{"C": 1.0}, {"C": 2.0}], callback_ctx=Spy())

    WithContext(LogisticRegression(), None).fit(X, y)
    assert [sorted(c) for c in calls] == [["task_id", "task_name"]] * 4
    assert [c["task_id"] for c in calls] == [0, 1, 2, 3]


    class Callback:
        def setup(self, estimator, context):
            pass

        def teardown(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context, **kwargs):
            pass

        def on_fit_task_end(self, estimator, context, **kwargs):
            pass

    search = TPESearchCV(LogisticRegression(), {"C": [1.0]})
    assert not compat.has_callbacks(search)
    assert compat.has_callbacks(search.set_callbacks(Callback()))


@pytest.mark.skipif(compat.SKLEARN_VERSION < (1, 9), reason="fit tasks get the search from 1.9")
def test_contact6_fit_tasks_are_handed_the_search():
    from sklearn.model_selection._validation import _fit_and_score

    assert "caller" in inspect.signature(_fit_and_score).parameters
    search = TPESearchCV(LogisticRegression(), {"C": [1.0]})
    search._fitting = object()  # as while fit runs
    assert isinstance(pickle.loads(pickle.dumps(search)), compat.RunningSearch)


def test_contact7_constraints_are_scikit_learn_objects():
    from sklearn.utils import _param_validation

    assert compat.Interval is _param_validation.Interval
    assert compat.StrOptions is _param_validation.StrOptions
    assert compat.validate_parameter_constraints is _param_validation.validate_parameter_constraints
    with pytest.raises(compat.InvalidParameterError, match="'gamma' parameter of TPESampler"):
        compat.validate_parameter_constraints(
            {"gamma": [compat.Interval(numbers.Real, 0, 1, closed="right")]},
            {"gamma": 2.0}, caller_name="TPESampler",
        )
    assert set(BaseSearchCV._parameter_constraints) <= set(TPESearchCV._parameter_constraints)
    search = TPESearchCV(LogisticRegression(), {"C": [1.0]}, n_iter=0)
    with pytest.raises(ValueError, match="'n_iter' parameter"):
        search.fit(X, y)


def test_contact8_single_fold_fits_match_evaluate_candidates():
    """FoldFitter gives a fold the record evaluate_candidates gives it."""
    from sklearn.model_selection import KFold

    for name in ("_get_scorers", "_get_routed_params_for_fit"):
        assert callable(getattr(BaseSearchCV, name, None)), name
    cv = KFold(2)
    w = np.linspace(1, 2, len(y))
    scoring = {"acc": "accuracy", "ll": "neg_log_loss"}
    probe = _Probe(LogisticRegression(), [[{"C": 0.5}]], cv=cv, scoring=scoring,
                   return_train_score=True)
    probe.refit = "acc"
    probe.fit(X, y, sample_weight=w)
    fitter = compat.FoldFitter(probe, X, y, {"sample_weight": w})
    for fold, (train, test) in enumerate(cv.split(X, y, **fitter.split_params)):
        record = fitter.fit_fold(LogisticRegression(), {"C": 0.5}, train, test, (fold, 2), (0, 1))
        theirs = probe.seen_[2][fold]
        assert set(record) == set(theirs)
        assert record["test_scores"] == theirs["test_scores"]
        assert record["train_scores"] == theirs["train_scores"]
        assert record["n_test_samples"] == theirs["n_test_samples"]
        assert record["fit_error"] is None


def test_contact9_fit_chooses_best_index_through_select_best_index():
    sig = inspect.signature(BaseSearchCV._select_best_index)
    assert list(sig.parameters) == ["refit", "refit_metric", "results"]
    results = {"rank_test_score": np.array([2, 1, 3]), "params": [{}, {}, {}]}
    assert compat.sklearn_best_index(True, "score", results) == 1
    assert compat.sklearn_best_index(lambda r: 2, "score", results) == 2

    class Chooser(_Probe):
        def _select_best_index(self, refit, refit_metric, results):
            return len(results["params"]) - 1  # the last candidate, whatever it scored

    probe = Chooser(LogisticRegression(), [[{"C": 1.0}, {"C": 0.001}]]).fit(X, y)
    assert probe.best_index_ == 1 and probe.best_params_ == {"C": 0.001}
    assert probe.best_score_ == probe.cv_results_["mean_test_score"][1]


def test_the_masked_column_cast_warning_is_recognised_and_nothing_else():
    """scikit-learn < 1.6 casts np.empty floats to a param_* column's dtype; a NaN in that
    uninitialised memory made numpy warn, depending on the heap: scikit-learn's own test of
    non-finite-score warnings then counted 3 where it expects 2 (the oldest-version stage
    failed after an unrelated change moved allocations). sktpe drops that one warning."""
    import warnings as w_

    with w_.catch_warnings(record=True) as caught:
        w_.simplefilter("always")
        np.ma.MaskedArray(np.array([np.nan, 1.0]), mask=True, dtype=np.int64)
        np.array([np.nan]).astype(np.int64)  # the same text from elsewhere: kept
        w_.warn("invalid value encountered in cast", UserWarning)
    flags = [compat.masked_column_cast_warning(w) for w in caught]
    assert flags == [True, False, False], [(w.filename, str(w.message)) for w in caught]
