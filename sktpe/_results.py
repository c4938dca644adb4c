"""``cv_results_`` from the trial store, formatted once, after the last wave.

scikit-learn formats the rows (``BaseSearchCV._format_results``, contact 1 of
``sktpe._sklearn_compat``), with the ``raced_out`` column added through its
documented ``more_results``. Racing then makes the raced-out rows honest
(``sktpe._racing.mark_raced``). Failed fits are judged once over the whole
fit, as RandomizedSearchCV's single batch is judged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _racing
from . import _sklearn_compat as compat
from ._trials import TrialStore
from ._warnings import held_back, reissue

__all__ = ["publish"]


def publish(search: Any, store: TrialStore, results: dict, n_prev: int,
            warning_registry: dict, judge_failures: bool = True) -> None:
    """Fill ``results`` (in place) with every settled trial; set ``search.cv_results_``.

    ``results`` is the dict every ``_format_results`` call of this fit handed
    back to BaseSearchCV, which reads it once ``_run_search`` returns.
    ``judge_failures`` judges the failed fits of the trials after the first
    ``n_prev`` (those of earlier fits were judged by their own fit).
    """
    if not len(store):
        return
    records = store.records()
    compat.give_metric_names(records, search.error_score)
    results.clear()
    # Formatting warns of non-finite means; as in RandomizedSearchCV, that comes after the
    # judgement of failed fits, and not at all when every fit failed (which raises).
    with held_back(compat.FORMAT_WARNINGS) as caught:  # thread-safe, unlike catch_warnings
        if search.racing or any(store.raced):  # (a warm start may turn racing off)
            results.update(_format_raced(search, store, records, caught))
        else:
            results.update(compat.format_results(search, _copies(store), store.n_splits, records))
    caught[:] = [w for w in caught if not compat.masked_column_cast_warning(w)]
    search.cv_results_ = results
    if judge_failures:
        compat.judge_fit_failures(store.run_records(n_prev), search.error_score)
    reissue(caught, warning_registry)


def _copies(store: TrialStore) -> list[dict]:
    """The rows' parameter dicts, each a copy: ``cv_results_['params']`` and ``best_params_``
    are the user's to edit (``params = search.best_params_; params['max_iter'] = 1000``)
    without changing the trials the sampler, the journal and ``warm_start`` keep."""
    return [dict(p) for p in store.params]


def _format_raced(search: Any, store: TrialStore, records: list[dict],
                  caught: list) -> dict:
    """Format every trial, then make the raced-out rows honest.

    scikit-learn warns of non-finite mean scores, which the skipped folds of
    raced-out rows give before they are averaged over the folds they ran:
    such a warning is kept in ``caught`` (the warnings held back from the
    formatting) only if a mean is still non-finite.
    """
    raced = store.raced
    start = len(caught)
    results = compat.format_results(
        search, _copies(store), store.n_splits, records, more_results={"raced_out": raced}
    )
    times = {
        name: np.array([r[name] for r in records], dtype=float).reshape(len(store), store.n_splits)
        for name in ("fit_time", "score_time")
    }
    _racing.mark_raced(results, raced, times, store.skipped)
    kept = []
    for w in caught[start:]:
        kind = compat.nonfinite_mean_warning(w)
        if kind is not None:
            means = [v for k, v in results.items() if k.startswith(f"mean_{kind}_")]
            if all(np.isfinite(np.asarray(m, dtype=float)).all() for m in means):
                continue
        kept.append(w)
    caught[start:] = kept
    return results
