"""Which candidate to return: a study of selection rules on the tuning suite.

For every (task, seed) of ``heldout_tasks.TUNING`` it runs one search
(``TPESearchCV`` with its defaults, or RandomizedSearchCV), refits *every*
candidate and scores it on the held-out half, and stores the candidates'
encodings (the sampler's unit scale), CV means, fold scores and test scores in
``benchmarks/results/heldout/selection.jsonl``. A selection rule is then a
function of what the search saw (encodings, CV scores), judged by the test
score of the candidate it picks: no rule needs a new search to be compared.

Usage::

    python benchmarks/selection_study.py run --seeds 100-109 --n-iter 40
    python benchmarks/selection_study.py compare
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings

import numpy as np
from joblib import Parallel, delayed

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)

from heldout import RESULTS, _test_of  # noqa: E402
from heldout_tasks import SUITES  # noqa: E402

PATH = os.path.join(RESULTS, "selection.jsonl")


def record(method: str, suite: str, task_name: str, seed: int, n_iter: int) -> dict:
    """One search with every candidate's test score."""
    from sklearn.model_selection import RandomizedSearchCV

    from sktpe import TPESampler, TPESearchCV

    task = next(t for t in SUITES[suite] if t.name == task_name)
    split = task.split(seed)
    X_tr, _, y_tr, _ = split
    cls = TPESearchCV if method == "tpe" else RandomizedSearchCV
    search = cls(task.estimator, task.space, n_iter=n_iter, cv=task.cv(seed), scoring=task.scoring,
                 refit=False, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_tr, y_tr)
    res = search.cv_results_
    k = task.cv(seed).get_n_splits()
    folds = np.array([res[f"split{i}_test_score"] for i in range(k)]).T
    space = TPESampler(task.space).space_
    enc = []
    for p in res["params"]:
        pts = space.encode(p)
        enc.append({"branch": int(pts.branch), "num": pts.num[0].tolist(), "cat": pts.cat[0].tolist()})
    tests = [_test_of(task, p, split) for p in res["params"]]
    return {"method": method, "suite": suite, "task": task_name, "seed": seed, "n_iter": n_iter,
            "mean": res["mean_test_score"].tolist(), "folds": folds.tolist(), "enc": enc,
            "test": tests}


def load() -> list[dict]:
    if not os.path.exists(PATH):
        return []
    with open(PATH) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def smoothed(rec: dict, n: int, width: float, prior: float) -> np.ndarray:
    """Kernel-smoothed CV score of the first ``n`` candidates (see sktpe's selection)."""
    s = np.asarray(rec["mean"][:n], dtype=float)
    ok = np.isfinite(s)
    out = np.full(n, -np.inf)
    if not ok.any():
        return out
    m = float(np.median(s[ok]))
    br = np.array([e["branch"] for e in rec["enc"][:n]])
    num = [np.asarray(e["num"], dtype=float) for e in rec["enc"][:n]]
    cat = [np.asarray(e["cat"]) for e in rec["enc"][:n]]
    for i in np.flatnonzero(ok):
        same = np.array([ok[j] and br[j] == br[i] and np.array_equal(cat[j], cat[i]) for j in range(n)])
        js = np.flatnonzero(same)
        d2 = np.array([np.sum((num[j] - num[i]) ** 2) for j in js]) if len(num[i]) else np.zeros(len(js))
        w = np.exp(-0.5 * d2 / width ** 2)
        out[i] = (np.sum(w * s[js]) + prior * m) / (np.sum(w) + prior)
    return out


def compare(records: list[dict], budgets=(10, 20, 40)) -> None:
    rules = {"argmax": None}
    for width in (0.05, 0.1, 0.2):
        for prior in (0.5,):
            rules[f"smooth w={width} p={prior}"] = (width, prior)
            for k in (0.5, 1.0):
                rules[f"smooth w={width} p={prior} se={k}"] = (width, prior, k)
    for method in sorted({r["method"] for r in records}):
        recs = [r for r in records if r["method"] == method]
        tasks = sorted({r["task"] for r in recs})
        print(f"\n== {method}: {len(recs)} runs over {len(tasks)} tasks")
        for b in budgets:
            rows = {}
            for name, rule in rules.items():
                per_task = []
                for t in tasks:
                    rs = [r for r in recs if r["task"] == t and r["n_iter"] >= b]
                    if not rs:
                        continue
                    diffs = []
                    for r in rs:
                        s = np.asarray(r["mean"][:b], dtype=float)
                        s = np.where(np.isfinite(s), s, -np.inf)
                        i0 = int(np.argmax(s))
                        if rule is None:
                            i = i0
                        else:
                            sm = smoothed(r, b, *rule[:2])
                            if len(rule) > 2:  # only among candidates within rule[2] SE of the best
                                f = np.asarray(r["folds"][i0], dtype=float)
                                se = np.nanstd(f, ddof=1) / np.sqrt(np.isfinite(f).sum())
                                sm = np.where(s >= s[i0] - rule[2] * se, sm, -np.inf)
                            i = int(np.argmax(sm))
                        sd = np.std(r["test"]) or 1.0
                        diffs.append((r["test"][i] - r["test"][i0]) / sd)
                    per_task.append(np.mean(diffs))
                rows[name] = per_task
            print(f"  n={b}: (tasks: {', '.join(tasks)})")
            for k, v in rows.items():
                print(f"    {k:28s} {np.mean(v):+.3f} ({sum(x > 0 for x in v)}+/{sum(x < 0 for x in v)}-) "
                      + " ".join(f"{x:+.2f}" for x in v))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["run", "compare"])
    p.add_argument("--seeds", default="100-109")
    p.add_argument("--n-iter", type=int, default=40)
    p.add_argument("--methods", default="tpe,random")
    p.add_argument("--n-jobs", type=int, default=2)
    args = p.parse_args(argv)
    if args.what == "compare":
        compare(load())
        return
    lo, hi = map(int, args.seeds.split("-"))
    done = {(r["method"], r["task"], r["seed"], r["n_iter"]) for r in load()}
    jobs = [(m, "tuning", t.name, s, args.n_iter) for m in args.methods.split(",")
            for t in SUITES["tuning"] for s in range(lo, hi + 1)
            if (m, t.name, s, args.n_iter) not in done]
    os.makedirs(RESULTS, exist_ok=True)
    with open(PATH, "a") as fh:
        for rec in Parallel(n_jobs=args.n_jobs, return_as="generator_unordered")(
                delayed(record)(*j) for j in jobs):
            fh.write(json.dumps(rec) + "\n")
            fh.flush()


if __name__ == "__main__":
    main()
