"""Round 18's study of choice rules (``benchmarks/overtune_study.py``) on made-up searches:
what each rule picks, that the reading pools per task before over tasks, and the stated
criterion. No test here runs a search or needs the data (the ``bench`` extra)."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest


def _view(overtune: ModuleType, mean: list, folds: list, test: list, second: dict | None = None,
          smooth: list | None = None) -> object:
    n = len(mean)
    sm = np.asarray(smooth if smooth is not None else mean, dtype=float)
    return overtune.View(np.asarray(mean, float), np.asarray(folds, float), {0.1: sm, 0.2: sm},
                         {int(k): np.asarray(v, float) for k, v in (second or {}).items()},
                         np.asarray(test if test is not None else np.zeros(n), float))


def test_rules_pick_what_they_say(overtune: ModuleType) -> None:
    # candidate 0: top mean, folds far apart; 1: a little lower, folds agree; 2: NaN
    folds = [[0.9, 0.5, 0.9, 0.5, 0.95], [0.73, 0.74, 0.72, 0.73, 0.73], [np.nan] * 5]
    mean = [np.mean(f) for f in folds]
    v = _view(overtune, mean, folds, [0.6, 0.7, 0.0], second={0: [0.5] * 5, 1: [0.8] * 5, 2: [1.0] * 5})
    assert overtune.argmax(v) == 0
    assert overtune.lower_bound(v) == 1  # 0.74 - 0.087 < 0.73 - 0.003
    assert overtune.median_fold(v) == 0  # median 0.9 against 0.73
    assert overtune.reevaluate(2)(v) == 1  # (3.75+2.5)/10 < (3.65+4)/10
    assert overtune.reevaluate(1)(v) == 0  # only the top mean is re-evaluated: nothing to choose
    assert overtune.reevaluate(2, second_only=True)(v) == 1
    # smoothed within one standard error: candidate 1 is within 0.087 of 0.74; a higher smoothed
    # score for it wins, but not for a candidate outside the band
    v2 = _view(overtune, [0.74, 0.73, 0.5], [folds[0], folds[1], [0.5] * 5], [0, 0, 0],
               smooth=[0.6, 0.7, 0.9])
    assert overtune.smoothed(0.1)(v2) == 1
    assert overtune.smoothed_free(0.1)(v2) == 2


def _records(overtune: ModuleType, tasks: int, seeds: int, gain: float) -> list[dict]:
    """Made-up searches where the second-best mean always has the better test score by
    ``gain``, so that re-evaluating (whose second folds favour it) gains and the top mean
    does not; random search's candidates score as TPESearchCV's."""
    out = []
    rng = np.random.default_rng(0)
    for t in range(tasks):
        for s in range(seeds):
            for method, n in [("random", overtune.RANDOM_BUDGET)] + [("tpe", b) for b in overtune.TPE_BUDGETS]:
                mean = rng.uniform(0.0, 0.5, size=n)
                mean[0], mean[1] = 0.9, 0.8
                test = mean + rng.normal(0, 0.05, size=n)
                test[0], test[1] = 0.7, 0.7 + gain + rng.normal(0, 0.01)
                folds = [[m] * 5 for m in mean]
                budgets = overtune.TPE_BUDGETS if method == "random" else (n,)
                smooth = {str(b): {str(w): mean[:b].tolist() for w in overtune.WIDTHS} for b in budgets}
                second = {str(i): [0.5 if i == 0 else 0.99] * 5 for i in range(n)}
                out.append({"method": method, "task": f"t{t}", "seed": s, "n_iter": n, "mean": mean.tolist(),
                            "folds": folds, "test": test.tolist(), "smooth": smooth, "second": second})
    return out


def test_reading_finds_a_rule_that_gains_and_only_it(overtune: ModuleType) -> None:
    lines = overtune.compare(_records(overtune, tasks=6, seeds=3, gain=0.05))
    verdict = lines[-1]
    assert "top 3 re-evaluated, both folds" in verdict and "top 5 re-evaluated, both folds" in verdict
    assert "largest mean minus 1 SE" not in verdict and "median" not in verdict


def test_reading_finds_none_when_the_top_mean_is_best(overtune: ModuleType) -> None:
    lines = overtune.compare(_records(overtune, tasks=6, seeds=3, gain=-0.05))
    assert lines[-1].endswith("no rule passes")


def test_criterion_needs_every_budget_ahead_and_one_significant(overtune: ModuleType) -> None:
    g = lambda rule, b, mean, p: overtune.RuleGap(rule, b, mean, mean - 0.01, mean + 0.01, p, p, 1, 0)  # noqa: E731
    gaps = [g("a", 20, 0.01, 0.2), g("a", 40, 0.03, 0.01), g("a", 80, 0.02, 0.3),
            g("b", 20, -0.001, 0.9), g("b", 40, 0.05, 0.001), g("b", 80, 0.05, 0.001),
            g("c", 20, 0.01, 0.2), g("c", 40, 0.01, 0.2), g("c", 80, 0.01, 0.06)]
    assert overtune.candidates(gaps) == ["a"]
    held = overtune.with_holm([g("x", 20, 0.1, 0.01), g("x", 40, 0.1, 0.04)])
    assert [h.holm_p for h in held] == pytest.approx([0.02, 0.04])


def test_no_complete_seed_reads_as_such(overtune: ModuleType) -> None:
    recs = [r for r in _records(overtune, tasks=2, seeds=1, gain=0.0) if r["method"] != "random"]
    assert overtune.compare(recs) == ["no complete seed yet"]


def test_after_reads_the_overstatement_of_top_and_top_five(overtune: ModuleType) -> None:
    # every candidate's test score is its CV score minus 0.1: the same overstatement for the
    # top mean and the top 5, for both methods, at every budget
    recs = _records(overtune, tasks=3, seeds=2, gain=0.0)
    for r in recs:
        r["test"] = [m - 0.1 for m in r["mean"]]
    rows = [line for line in overtune.after(recs) if line.startswith("| ") and line[2].isdigit()]
    assert [int(r.split("|")[1]) for r in rows] == list(overtune.TPE_BUDGETS)
    for row in rows:
        nums = [float(x) for x in row.split("|")[2:-1]]
        assert len(nums) == 4 and nums[0] > 0 and nums == pytest.approx([nums[0]] * 4)
