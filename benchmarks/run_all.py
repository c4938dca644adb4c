"""`make bench`: run every benchmark and write docs/benchmarks.md (via report.py).

The timing benchmarks run first and alone (sampler cost, search overhead,
parallel throughput), then the sampler-only batch comparison, then the
quality benchmark (cached: only runs whose code changed are redone), then
the re-check of any cell where Optuna is ahead by more than its spread
(``recheck.py``, fresh seeds). Each
results JSON gets the provenance of its run (commit, dirty flags, sktpe
source hash, versions). Run timing only on a quiet machine.

    python benchmarks/run_all.py                      # everything
    python benchmarks/run_all.py --only timing        # sampler cost, overhead, parallel; then the report
    python benchmarks/run_all.py --only quality --n-jobs 2
    python benchmarks/run_all.py --report-only        # rewrite docs/benchmarks.md and the README summary
    python benchmarks/run_all.py --quick              # smoke run (own *_quick files)
"""

import argparse
import json
import os

import batch_quality
import overhead
import parallel
import quality
import recheck
import report
import sampler_cost
from provenance import provenance

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")


def _stamp(name):
    """Add the provenance of this run to a results JSON a section just wrote."""
    path = os.path.join(RESULTS, name)
    with open(path) as fh:
        d = json.load(fh)
    d["provenance"] = provenance()
    with open(path, "w") as fh:
        json.dump(d, fh, indent=1)


SECTIONS = ["sampler_cost", "overhead", "parallel", "batch_quality", "quality", "recheck"]
TIMING = ["sampler_cost", "overhead", "parallel"]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--report-only", action="store_true", help="only rewrite docs/benchmarks.md and the README")
    p.add_argument("--only", nargs="+", choices=SECTIONS + ["timing"], default=None,
                   help="run only these sections ('timing' = sampler_cost overhead parallel), then the report")
    p.add_argument("--n-jobs", type=int, default=1, help="processes for the quality section")
    args = p.parse_args(argv)
    sfx = "_quick" if args.quick else ""
    only = set(args.only or SECTIONS)
    if "timing" in only:
        only |= set(TIMING)
    if not args.report_only:
        out = lambda name: ["--out", os.path.join(RESULTS, f"{name}{sfx}.json")]  # noqa: E731
        if "sampler_cost" in only:
            sampler_cost.main((["--calls", "10", "--repeats", "1"] if args.quick else []) + out("sampler_cost"))
            _stamp(f"sampler_cost{sfx}.json")
        if "overhead" in only:
            overhead.main((["--n-iter", "300", "--repeats", "3"] if args.quick else []) + out("overhead"))
            _stamp(f"overhead{sfx}.json")
        if "parallel" in only:
            parallel.main((["--n-iter", "6"] if args.quick else []) + ["--json", out("parallel")[1]])
            _stamp(f"parallel{sfx}.json")
        if "batch_quality" in only:
            batch_quality.main((["--seeds", "3"] if args.quick else ["--seeds", "20"])
                               + ["--json", out("batch_quality")[1]])
            _stamp(f"batch_quality{sfx}.json")
        if "quality" in only:
            quality.main((["--quick"] if args.quick else []) + ["--n-jobs", str(args.n_jobs)])
        if "recheck" in only and not args.quick and recheck.flagged_cells():
            recheck.main(["--n-jobs", str(max(args.n_jobs, 1))])
    report.report(args.quick)


if __name__ == "__main__":
    main()
