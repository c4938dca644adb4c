"""Round 23: the estimator as given, cross-validated as the search's first candidate, at equal fits.

Round 15 measured the estimator with its own default settings competing in the choice, charged
one more cross-validation than the search (12 tasks: +0.04 task sd at 20 candidates, +0.01 at
40, never behind on a task, not significant). This round measures it as a search would ship it,
at equal fits on the 40 tasks of ``tuning-r``: of a budget of ``b`` cross-validations, the
estimator as given takes one and TPESearchCV ``b - 1`` (its first ``b - 1`` candidates are those
of ``n_iter=b``, the start-up being the same); the estimator as given is returned where its mean
CV score beats the search's ``best_score_`` (rounded to 12 decimals; a tie keeps the search's).
Against ``TPESearchCV(n_iter=b)`` with its defaults, each refit and scored on the test half
(docs/guide/ablation.md, round 23)::

    python benchmarks/heldout.py --suite tuning-r --methods tpe --variant as-given \\
        --budgets 19,39 --seeds 380-399 --file default_first --n-jobs 2
    python benchmarks/heldout.py --suite tuning-r --methods default-cv \\
        --seeds 380-399 --file default_first --n-jobs 2
    python benchmarks/default_first.py   # the reading, once every seed is complete

The defaults' rows at 20 and 40 are round 22's (``spread_tuning``, the same seeds and sktpe
source).
"""

from __future__ import annotations

import argparse
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from heldout import load_rows  # noqa: E402
from overtune_study import gaps_by_budget, passes  # noqa: E402
from reevaluate_e2e import Stated  # noqa: E402

FILE = "default_first"
DEFAULTS_FILE = "spread_tuning"
VARIANT = "as-given"
BUDGETS = (20, 40)
#: Round 23's stated seeds of ``tuning-r`` (round 22's, whose defaults' rows it reads).
SEEDS = tuple(range(380, 400))


def cells(rows: list[dict], defaults: list[dict]) -> dict[tuple[str, int, int], dict[str, float]]:
    """Per (task, seed, b): the defaults' test score at ``b`` (``'top'``), the rule's (``'rule'``:
    the search of ``b - 1`` or the estimator as given, by mean CV score) and whether the
    estimator as given was returned (``'given'``). Raises a ValueError on rows of more than one
    sktpe source or a score (test or CV) that is not a number."""
    tpe = [r for r in rows if r["method"] == "tpe" and r["variant"] == VARIANT]
    top = [r for r in defaults if r["method"] == "tpe" and r["variant"] == ""]
    sources = sorted({r.get("sktpe", "") for r in tpe + top})
    if len(sources) > 1:
        raise ValueError(f"rows of {len(sources)} sktpe sources ({', '.join(sources)}): read one run")
    given = {(r["task"], r["seed"]): r for r in rows if r["method"] == "default-cv"}
    out: dict[tuple[str, int, int], dict[str, float]] = {}
    for r in top:
        for i, b in enumerate(r["budgets"]):
            if b in BUDGETS:
                out.setdefault((r["task"], r["seed"], b), {})["top"] = r["test"][i]
    for r in tpe:
        g = given.get((r["task"], r["seed"]))
        for i, n in enumerate(r["budgets"]):
            if n + 1 not in BUDGETS or g is None:
                continue
            if not (math.isfinite(g["cv_best"][0]) and math.isfinite(r["cv_best"][i])):
                raise ValueError(f"a CV score of {r['task']} seed {r['seed']} at {n} is not a "
                                 "number to compare")
            wins = bool(np.round(g["cv_best"][0] - r["cv_best"][i], 12) > 0)
            cell = out.setdefault((r["task"], r["seed"], n + 1), {})
            cell["rule"] = g["test"][0] if wins else r["test"][i]
            cell["given"] = float(wins)
    for key, cell in out.items():
        if not all(math.isfinite(v) for v in cell.values()):
            raise ValueError(f"a score of {key} is not a number to read: {cell}")
    return out


def read(rows: list[dict], defaults: list[dict], scale: dict[str, float], stated: Stated) -> list[str]:
    """Round 19's statistic and criterion on the rule against the defaults, once every stated
    task has both arms at every stated seed and budget."""
    pairs = cells(rows, defaults)
    full = {(t, s) for t, s, _ in pairs
            if all(len(pairs.get((t, s, b), {})) == 3 for b in BUDGETS)}
    tasks = sorted({t for t, _ in full})
    if set(tasks) != stated.tasks or not all((t, s) in full for t in tasks for s in stated.seeds):
        return [f"not yet the stated reading: {len(full)} of "
                f"{len(stated.tasks) * len(stated.seeds)} (task, seed) pairs complete"]
    seeds = list(stated.seeds)
    gaps = gaps_by_budget({b: np.array([np.mean([pairs[t, s, b]["rule"] - pairs[t, s, b]["top"]
                                                 for s in seeds]) / scale[t] for t in tasks])
                           for b in BUDGETS})
    out = [f"{len(tasks)} tasks x {len(seeds)} seeds ({seeds[0]}-{seeds[-1]}); in task sd (random "
           "search's spread in round 18), per task the mean over seeds, then the mean over tasks "
           "[95% t-interval over tasks]", "",
           "| b | the estimator as given + n_iter=b - 1, minus n_iter=b (defaults) | Holm p | "
           "tasks ahead / behind | searches returning the estimator as given |",
           "|---|---|---|---|---|"]
    for g in gaps:
        n_given = int(sum(pairs[t, s, g.budget]["given"] for t in tasks for s in seeds))
        out.append(f"| {g.budget} | {g.mean:+.3f} [{g.lo:+.3f}, {g.hi:+.3f}] | {g.p_holm:.2g} | "
                   f"{g.ahead} / {g.behind} | {n_given} of {len(tasks) * len(seeds)} |")
    out += ["", "Criterion (round 19's, stated for round 23): ahead at both budgets, Holm p < 0.05 "
            "at one at least: " + ("passed" if passes(gaps) else "not passed")]
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.parse_args(argv)
    from charged_reevaluation import round18_scale
    from heldout_tasks import SUITES

    stated = Stated(frozenset(t.name for t in SUITES["tuning-r"]), SEEDS)
    print("\n".join(read(load_rows(FILE), load_rows(DEFAULTS_FILE), round18_scale(), stated)))


if __name__ == "__main__":
    main()
