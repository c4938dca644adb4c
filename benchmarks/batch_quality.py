"""Search quality of parallel batches: TPESampler asked 1, 4 or 16 candidates at a time.

Pending candidates count as bad results (a constant liar), so a batch spreads
out; this measures what that costs against one-at-a-time TPE at equal trial
count, and against random sampling, on the synthetic objectives.

    python benchmarks/batch_quality.py [--seeds 10] [--trials 100] [--json FILE]
"""

import argparse
import json
import os
import sys

import numpy as np
from joblib import Parallel, delayed

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objectives import OBJECTIVES  # noqa: E402

from sktpe import TPESampler  # noqa: E402

BUDGETS = (10, 25, 50, 100)


def best_so_far(name, batch, seed, n_trials):
    obj = OBJECTIVES[name]
    scores = []
    if batch == "random":
        rng = np.random.RandomState(seed)
        sampler = TPESampler(obj.space, n_startup_trials=n_trials, random_state=rng)
    else:
        sampler = TPESampler(obj.space, n_startup_trials=max(3, round(n_trials**0.5)),
                             random_state=seed)
    while len(scores) < n_trials:
        params = sampler.ask(1 if batch == "random" else min(batch, n_trials - len(scores)))
        values = [obj.f(p) for p in params]
        sampler.tell(params, values)
        scores += values
    return np.maximum.accumulate(scores)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    batches = [1, 4, 16, "random"]
    jobs = [(n, b, s) for n in OBJECTIVES for b in batches for s in range(args.seeds)]
    curves = Parallel(n_jobs=2)(delayed(best_so_far)(n, b, s, args.trials) for n, b, s in jobs)
    table = {}
    for (name, batch, _), curve in zip(jobs, curves):
        table.setdefault(name, {}).setdefault(str(batch), []).append(curve)
    budgets = [b for b in BUDGETS if b <= args.trials]
    print(f"Mean best-so-far over {args.seeds} seeds (higher is better)\n")
    print("| objective | batch | " + " | ".join(f"{b} trials" for b in budgets) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in budgets) + " |")
    out = {}
    for name, rows in table.items():
        for batch, cs in rows.items():
            mean = np.mean(cs, axis=0)
            out.setdefault(name, {})[batch] = {b: float(mean[b - 1]) for b in budgets}
            cells = " | ".join(f"{mean[b - 1]:.3f}" for b in budgets)
            label = "prior (Latin hypercube)" if batch == "random" else f"TPE, batch {batch}"
            print(f"| {name} | {label} | {cells} |")
    if args.json:
        os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(dict(seeds=args.seeds, trials=args.trials, mean_best=out), f, indent=1)


if __name__ == "__main__":
    main()
