"""Two checks behind the cluster simulator's headline numbers (``cluster_sim.py``).

1. **Where sktpe async loses utilisation**: its busy share in three phases,
   the asynchronous phase (until the scheduler has no task left to give),
   the tail (the last fits finishing while freed workers have nothing to do)
   and the re-run (the quickest candidate run again through
   ``evaluate_candidates``, which scikit-learn's ``fit`` needs; idle time).
2. **joblib's order**: in ``sktpe._evaluation.Evaluator.run_asynchronously``,
   joblib's callback thread pulls the freed worker's next task (so
   ``scheduler.next_task``) before the main thread hands the finished fold to
   ``scheduler.done``. The simulator tells first; this reruns sktpe async
   with the other order to see whether the one-result lag matters.

Writes ``benchmarks/results/cluster_sim_extra.json``, which
``cluster_sim_report.py`` reads if present.

    python benchmarks/cluster_sim_extra.py [--seeds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cluster_problems import PROBLEMS  # noqa: E402
from cluster_sim import Cluster, simulate_on  # noqa: E402

OUT = os.path.join(HERE, "results", "cluster_sim_extra.json")


def busy_between(cluster: Cluster, a: float, b: float) -> float:
    """Worker time spent on tasks within [a, b]."""
    return sum(max(0.0, min(e, b) - max(s, a)) for s, e in cluster.intervals)


def phases(cluster: Cluster) -> dict:
    """Length and utilisation of the asynchronous phase, the tail and the re-run (idle)."""
    cuts = [0.0, cluster.dispatch_end, cluster.drain_end, cluster.clock]
    out = {}
    for name, a, b in zip(("asynchronous", "tail", "rerun"), cuts, cuts[1:]):
        span = b - a
        busy = busy_between(cluster, a, b) if name != "rerun" else 0.0
        out[name] = {"seconds": span, "share_of_wall": span / cluster.clock,
                     "utilisation": busy / (cluster.workers * span) if span > 0 else 1.0,
                     "idle_share": (cluster.workers * span - busy)
                     / (cluster.workers * cluster.clock)}
    return out


def main(argv: list[str] | None = None) -> None:
    """Run both checks for sktpe async: phases at W in 16, 64, 256, the order at 16 and 64."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="*", default=[16, 64, 256])
    parser.add_argument("--json", default=OUT)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    runs = []
    for seed in range(args.seeds):
        for problem in PROBLEMS:
            for w in args.workers:
                for tell_first in (True, False) if w <= 64 else (True,):
                    cluster = Cluster(w, tell_first=tell_first)
                    r = simulate_on(cluster, "sktpe-async", problem, seed)
                    r["tell_first"] = tell_first
                    r["phases"] = phases(cluster)
                    runs.append(r)
    with open(args.json, "w") as fh:
        json.dump({"runs": runs, "seconds": time.perf_counter() - t0,
                   "argv": sys.argv[1:] if argv is None else argv}, fh, separators=(",", ":"))
    print(f"{len(runs)} runs in {(time.perf_counter() - t0) / 60:.1f} min -> {args.json}")


if __name__ == "__main__":
    main()
