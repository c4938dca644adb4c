"""Round 19: re-evaluation with its fits charged to the budget, stated alone.

Round 18 (``overtune_study.py``, docs/guide/ablation.md) found one family of choice rules
ahead of the top mean at every budget on the 40 tasks of ``tuning-r``: cross-validating the
top 5 candidates again on a second shuffle of the folds and returning the best mean over
both sets (+0.029, +0.038, +0.024 task sd at 20, 40, 80 candidates), not significant after
Holm's correction over its 27 tests, and with its 25 extra fits not charged. This round
tests that one rule, charged: a search of budget ``b`` runs ``b - TOP`` candidates and spends
the fits of the last ``TOP`` on re-evaluating its top ``TOP``, so that it makes as many fits
as ``TPESearchCV(n_iter=b)``.

Offline, as round 18: per (task, seed), ``TPESearchCV(n_iter=b)`` with its defaults and
``refit=False``. Its first ``b - TOP`` candidates are the search ``TPESearchCV(n_iter=b - TOP)``
would make (sequential, and the start-up count of ``n_iter='auto'`` is the same at 35 and
40, and at 75 and 80: ``round(sqrt(n))``; checked in ``record``). The top ``TOP`` of those are
cross-validated on the second folds (``random_state = seed + SECOND_FOLDS``); the rule returns
the best mean over both sets. Stored: the test score (refit on the training half, scored on
the test half) of the top mean of all ``b`` (the defaults), of the top mean of the first
``b - TOP``, and of the rule's choice.

Usage::

    python benchmarks/charged_reevaluation.py run --seeds 320-359 --n-jobs 2
    python benchmarks/charged_reevaluation.py read
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)

from heldout import RESULTS, _test_of  # noqa: E402
from heldout_tasks import SUITES  # noqa: E402
from overtune_study import (  # noqa: E402
    SUITE, TOP, append_rows, complete, gaps_by_budget, load, passes, scales, searched, second_folds,
)

PATH = os.path.join(RESULTS, "charged_reevaluation.jsonl")
BUDGETS = (40, 80)
#: Round 18's rows: each task's scale (random search's spread of test scores there).
SCALE_FILE = os.path.join(RESULTS, "overtune.jsonl")


def top_by_both(means: np.ndarray, folds: np.ndarray, second: dict[int, np.ndarray], n: int) -> int:
    """Among the ``TOP`` best means of the first ``n`` candidates, the one with the best mean
    over its fold scores and its second-fold scores (a tie: the better first mean)."""
    s = np.where(np.isfinite(means[:n]), means[:n], -np.inf)
    top = np.argsort(-s, kind="stable")[:TOP]
    both = np.array([np.nanmean(np.concatenate([folds[i], second[int(i)]])) for i in top])
    return int(top[int(np.argmax(np.where(np.isfinite(both), both, -np.inf)))])


def record(task_name: str, seed: int, b: int, suite: str = SUITE) -> dict:
    """One search of budget ``b`` and the test scores of the three choices."""
    from sktpe import TPESearchCV
    from sktpe._candidates import n_startup

    task = next(t for t in SUITES[suite] if t.name == task_name)
    if n_startup("auto", b, TPESearchCV._startup_min) != n_startup("auto", b - TOP, TPESearchCV._startup_min):
        raise SystemExit(f"the first {b - TOP} of n_iter={b} are not the search n_iter={b - TOP} makes")
    split, params, means, folds = searched("tpe", task, seed, b)
    n = b - TOP
    finite = np.where(np.isfinite(means), means, -np.inf)
    second = second_folds(task, seed, split, params, list(np.argsort(-finite[:n], kind="stable")[:TOP]))
    chosen = {"top": int(np.argmax(finite)), "top_first": int(np.argmax(finite[:n])),
              "rule": top_by_both(means, folds, second, n)}
    tests = {i: _test_of(task, params[i], split) for i in sorted(set(chosen.values()))}
    return {"suite": suite, "task": task_name, "seed": seed, "n_iter": b,
            "chosen": chosen, "test": {name: tests[i] for name, i in chosen.items()},
            "second": {str(i): [float(x) for x in s] for i, s in second.items()}}


def read(rows: list[dict], scale: dict[str, float]) -> list[str]:
    """The stated reading: per budget, the rule's test score minus the defaults', per task the
    mean over seeds in task sd, then the mean over the tasks with its 95% t-interval and a
    one-sample t-test; Holm over the budgets; the criterion."""
    tasks = sorted({r["task"] for r in rows})
    seeds = sorted({r["seed"] for r in rows})
    idx = {(r["task"], r["seed"], r["n_iter"]): r for r in rows}
    seeds = [s for s in seeds if all((t, s, b) in idx for t in tasks for b in BUDGETS)]
    if not seeds:
        return ["no complete seed yet"]
    out = [f"{len(tasks)} tasks x {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}); in task sd (random "
           "search's spread in round 18), per task the mean over seeds, then the mean over tasks "
           "[95% t-interval over tasks]", "",
           "| n_iter | the rule minus the top mean (same fits) | Holm p | tasks ahead / behind | "
           f"the top mean of the first n_iter - {TOP} minus of all |", "|---|---|---|---|---|"]
    def per_task(b: int, a: str, z: str) -> np.ndarray:
        return np.array([np.mean([idx[t, s, b]["test"][a] - idx[t, s, b]["test"][z] for s in seeds])
                         / scale[t] for t in tasks])
    gaps = gaps_by_budget({b: per_task(b, "rule", "top") for b in BUDGETS})
    for g in gaps:
        fewer = float(np.mean(per_task(g.budget, "top_first", "top")))
        out.append(f"| {g.budget} | {g.mean:+.3f} [{g.lo:+.3f}, {g.hi:+.3f}] | {g.p_holm:.2g} | "
                   f"{g.ahead} / {g.behind} | {fewer:+.3f} |")
    out += ["", "Criterion (stated): ahead at both budgets, Holm p < 0.05 at one at least: "
            + ("passed" if passes(gaps) else "not passed")]
    return out


def round18_scale() -> dict[str, float]:
    """Each task's scale from round 18's rows (random search's spread there)."""
    idx, tasks, seeds = complete(load(SCALE_FILE))
    return scales(idx, tasks, seeds)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["run", "read"])
    p.add_argument("--seeds", default="320-359")
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--file", default=PATH)
    args = p.parse_args(argv)
    rows = load(args.file)
    if args.what == "read":
        print("\n".join(read(rows, round18_scale())))
        return
    lo, hi = map(int, args.seeds.split("-"))
    done = {(r["task"], r["seed"], r["n_iter"]) for r in rows}
    jobs = [(t.name, s, b) for s in range(lo, hi + 1) for t in SUITES[SUITE] for b in BUDGETS
            if (t.name, s, b) not in done]
    append_rows(args.file, record, jobs, args.n_jobs)


if __name__ == "__main__":
    main()
