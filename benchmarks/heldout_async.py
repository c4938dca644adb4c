"""Many workers on real data: the held-out test score of the model an asynchronous search keeps.

The simulator (``cluster_sim*.py``) measures the asynchronous mode on synthetic
objectives whose fold noise it draws; the fold offsets that correct a running
candidate's provisional score (``sktpe._trials.fold_offsets``) were chosen on
real fold scores (``fold_offsets.py``) but found neutral in the simulator. This
script runs the real thing: ``TPESearchCV.fit`` with 16 workers on the
held-out protocol's report suite (``heldout_tasks.py``, ``heldout.py``'s
splits and folds), and scores the refit model on the half no search saw.

Methods, all ``TPESearchCV(n_iter=40)`` with its defaults otherwise:

* ``async``: ``n_jobs=16`` on joblib's threading backend, ``batch_size='async'``
  (what ``'auto'`` does from 8 workers): proposals as workers free up, running
  candidates told by their folds so far, corrected by fold offsets;
* ``async-raw``: the same with the raw mean of the folds so far (no fold
  offsets: ``sktpe._trials.MIN_COMPLETE`` set out of reach for the run);
* ``waves``: ``n_jobs=16``, synchronous waves (``batch_size='auto'`` with
  ``TPESearchCV._async_from_workers`` set out of reach for the run);
* ``sequential``: ``n_jobs=1``, the reference (``heldout.py``'s ``tpe`` column
  at 40 candidates, run again here).

The 16 threads share this machine's cores, so which fold ends first is
decided by real fit times under real scheduling: the asynchronous runs are not
reproducible, and wall time here says nothing about a 16-core machine (the
simulator and ``utilisation.py`` measure time). What this measures is the
quality per candidate of each mode on real data.

Paired by seed, with the held-out page's statistics
(``heldout_report.compare``): per task, Wilcoxon over the seeds, Holm within
each comparison; pooled, the mean difference in task standard deviations,
Wilcoxon over the tasks.

    python benchmarks/heldout_async.py              # runs what is missing, writes results/heldout/async.jsonl
    python benchmarks/heldout_async.py --report     # the tables only
    python benchmarks/heldout_async.py --redo et_hastie   # run a task again (the last row of a key wins)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import warnings
from collections.abc import Iterator

import numpy as np
from joblib import parallel_backend
from sklearn.metrics import get_scorer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from heldout_report import Table, compare, task_scale  # noqa: E402
from heldout_report import load as load_main  # noqa: E402
from heldout_tasks import SUITES  # noqa: E402
from provenance import provenance  # noqa: E402

import sktpe._trials  # noqa: E402
from sktpe import TPESearchCV  # noqa: E402

OUT = os.path.join(HERE, "results", "heldout", "async.jsonl")
METHODS = ("sequential", "waves", "async", "async-raw")
N_ITER = 40
WORKERS = 16
SEEDS = range(20)
OUT_OF_REACH = 10**9


@contextlib.contextmanager
def mode(method: str) -> Iterator[dict]:
    """TPESearchCV keyword arguments of ``method``, with its module settings for the run."""
    old = sktpe._trials.MIN_COMPLETE, TPESearchCV._async_from_workers
    try:
        if method == "async-raw":
            sktpe._trials.MIN_COMPLETE = OUT_OF_REACH
        if method == "waves":
            TPESearchCV._async_from_workers = OUT_OF_REACH
        yield ({"n_jobs": 1} if method == "sequential" else
               {"n_jobs": WORKERS, "batch_size": "auto" if method == "waves" else "async"})
    finally:
        sktpe._trials.MIN_COMPLETE, TPESearchCV._async_from_workers = old


def run_one(method: str, task, seed: int) -> dict:
    """One search: its best CV score, the test score of its refit model, its wall time."""
    X_tr, X_te, y_tr, y_te = task.split(seed)
    with mode(method) as kwargs:
        search = TPESearchCV(task.estimator, task.space, n_iter=N_ITER, cv=task.cv(seed),
                             scoring=task.scoring, random_state=seed, **kwargs)
        t0 = time.perf_counter()
        # n_jobs=1 for the estimator's own joblib calls: only the search runs in
        # parallel. (The first run left it at the context's default, -1, so
        # ExtraTrees summed its trees' probabilities in thread order, which
        # moved ROC AUC ties on et_hastie; its rows were re-run.)
        with warnings.catch_warnings(), parallel_backend("threading", n_jobs=1):
            warnings.simplefilter("ignore")
            search.fit(X_tr, y_tr)
        seconds = time.perf_counter() - t0
    return {"method": method, "task": task.name, "seed": seed, "n_iter": N_ITER,
            "cv_best": float(search.best_score_),
            "test": float(get_scorer(task.scoring)(search.best_estimator_, X_te, y_te)),
            "n_candidates": len(search.cv_results_["params"]), "seconds": seconds}


def load() -> list[dict]:
    if not os.path.exists(OUT):
        return []
    with open(OUT) as fh:
        return [r for r in map(json.loads, filter(None, map(str.strip, fh))) if "method" in r]


def report(rows: list[dict]) -> str:
    """Markdown: mean test score per task and mode, then each comparison as the held-out page
    makes it (``heldout_report.compare``: paired per task, Holm, pooled over tasks)."""
    by = {(r["method"], r["task"], r["seed"]): r["test"] for r in rows}  # the last row wins
    tasks = [t.name for t in SUITES["report"] if any(r["task"] == t.name for r in rows)]
    seeds = [s for s in SEEDS if all((m, t, s) in by for m in METHODS for t in tasks)]
    # one budget (N_ITER): arrays of shape (seeds, 1), as heldout_report's Table holds them
    test = {m: {t: np.array([[by[(m, t, s)]] for s in seeds]) for t in tasks} for m in METHODS}
    tab = Table("report", [N_ITER], seeds, tasks, test, {}, {}, {}, "")
    # the held-out page's task sd (random search's spread there), so that "task sd" is one scale
    try:
        main = load_main("report")
        tab.scale = {t: task_scale(main, t) for t in tasks}
    except (FileNotFoundError, ValueError, KeyError):
        pass  # (the main runs absent: the spread of these four modes)
    lines = ["| task | " + " | ".join(METHODS) + " |", "|---|" + "---:|" * len(METHODS)]
    lines += [f"| {t} | " + " | ".join(f"{test[m][t].mean():.4f}" for m in METHODS) + " |"
              for t in tasks]
    lines += ["", f"Mean held-out test score over {len(seeds)} seeds (greater is better).", ""]
    for a, b in (("async", "async-raw"), ("async", "waves"), ("async", "sequential"),
                 ("waves", "sequential")):
        comp = compare(tab, a, b)
        effect, p, ahead, behind = comp.pooled[0]
        sig = [f"{c[0]} ({'+' if c[2] > 0 else '-'})" for c in comp.cells if c[4] < 0.05]
        lines.append(f"- **{a} against {b}**: pooled {effect:+.2f} task sd, {a} ahead on "
                     f"{ahead} of {len(tasks)} tasks, behind on {behind} (Wilcoxon over tasks "
                     f"p = {p:.2g}); tasks significant after Holm: {', '.join(sig) or 'none'}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--redo", nargs="+", default=[], metavar="TASK",
                    help="run these tasks again (their new rows are read after the old ones)")
    args = ap.parse_args(argv)
    rows = load()
    if not args.report:
        done = {(r["method"], r["task"], r["seed"]) for r in rows if r["task"] not in args.redo}
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "a") as fh:
            fh.write(json.dumps({"provenance": {**provenance(), "argv": sys.argv}}) + "\n")
            for seed in SEEDS:  # seed-major, methods interleaved: a drifting load hits all alike
                for task in SUITES["report"]:
                    for method in METHODS:
                        if (method, task.name, seed) in done:
                            continue
                        row = run_one(method, task, seed)
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()
                        rows.append(row)
                print(f"seed {seed} done", flush=True)
    print(report(rows))


if __name__ == "__main__":
    main()
