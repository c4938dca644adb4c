"""The plain-words lead of the README and the benchmark page (``benchmarks/plain_words.py``):
each sentence changes its words with the tests behind it, on made-up scores.

The benchmark code is not part of the package; the ``pw`` fixture (conftest.py) imports it
from ``benchmarks/`` with ``sys.path`` and ``PYTHONPATH`` restored after.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

TASKS = [f"t{i}" for i in range(10)]  # ten tasks: a Wilcoxon test over them can pass Holm over 3 budgets
BUDGETS = [10, 20, 40]


def _table(pw: ModuleType, shift: list[float], default: float = -1.0, flat: bool = False) -> object:
    """Random search's scores (20 seeds) and TPESearchCV's, ``shift[j]`` random-search spreads
    above them at budget j on every seed of every task (with a little noise, so that tasks do
    not tie); the estimator's defaults ``default`` spreads from random search's mean.

    TPESearchCV takes 0.1 s per budget step, as random search does for the candidates of each
    budget, so that at equal time it is read at the same budget. With ``flat``, random search's model on a seed is the same at every budget."""
    rng = np.random.default_rng(0)
    random_ = {t: rng.normal(0.8, 0.02, size=(20, 1 if flat else len(BUDGETS))) for t in TASKS}
    random_ = {t: np.repeat(r, len(BUDGETS) // r.shape[1], axis=1) for t, r in random_.items()}
    sd = {t: float(np.std(random_[t])) for t in TASKS}
    tpe = {t: random_[t] + sd[t] * (np.asarray(shift) + rng.normal(0, 0.01, size=(20, len(BUDGETS))))
           for t in TASKS}
    dflt = {t: np.full((20, len(BUDGETS)), random_[t].mean() + default * sd[t]) for t in TASKS}
    steps = 0.1 * np.arange(1, len(BUDGETS) + 1)
    seconds = {"tpe": {t: np.tile(steps, (20, 1)) for t in TASKS}}
    trials = {"random": {t: [(list(steps), list(random_[t][i])) for i in range(20)]
                         for t in TASKS}}
    return pw.Table("made_up", BUDGETS, list(range(20)), TASKS,
                    {"random": random_, "tpe": tpe, "default": dflt}, {}, seconds, trials, "")


def _big(pw: ModuleType, main: object, shift: float) -> object:
    """The run at 80 candidates: random search 0.2 spreads above its 40-candidate scores, and
    TPESearchCV ``shift`` spreads from it; random search reaches its 80-candidate model within
    TPESearchCV's time (1 s), so the equal-time reading is its 80-candidate score."""
    rng = np.random.default_rng(1)
    sd = {t: float(np.std(main.test["random"][t])) for t in TASKS}
    random_ = {t: main.test["random"][t][:, -1:] + 0.2 * sd[t] for t in TASKS}
    tpe = {t: random_[t] + sd[t] * (shift + rng.normal(0, 0.01, size=(20, 1))) for t in TASKS}
    trials = {"random": {t: [([0.5, 2.0], [random_[t][i, 0]] * 2) for i in range(20)] for t in TASKS}}
    seconds = {"tpe": {t: np.ones((20, 1)) for t in TASKS}}
    return pw.Table("made_up", [80], list(range(20)), TASKS, {"random": random_, "tpe": tpe}, {},
                    seconds, trials, "", scale=sd)


def _fresh(pw: ModuleType, hr: ModuleType, met: bool, shift: float = 0.0) -> object:
    """Round 10's run on 12 other seeds at 20, 40 and 80, TPESearchCV ``shift`` spreads above
    random search at every budget, with ``met`` its stated verdict (set, not computed, so that
    a test can tell which run a sentence reads)."""
    rng = np.random.default_rng(2)
    random_ = {t: rng.normal(0.8, 0.02, size=(12, 3)) for t in TASKS}
    scale = {t: float(np.std(random_[t])) for t in TASKS}
    tpe = {t: random_[t] + scale[t] * (shift + rng.normal(0, 0.01, size=(12, 3))) for t in TASKS}
    test = {"tpe": tpe, "random": random_}
    reach = hr.pooled_reach(TASKS, [20, 40, 80], test, {t: random_[t][:, -1] for t in TASKS}, scale)
    tab = pw.Table("made_up", [20, 40, 80], list(range(12)), TASKS, test, {}, {}, {}, "", scale)
    return hr.Fresh(tab, reach, met, 0, {t: random_[t] + 1.0 for t in TASKS})


def _line(pw: ModuleType, key: str, main: object, big: object = None, fresh: object = None,
          again: dict | None = None) -> str:
    return next(x for x in pw.lead(main, big, fresh, again) if key in x)


def test_a_gain_at_the_small_budget_only_is_said_as_such(pw: ModuleType) -> None:
    text = "\n".join(pw.lead(_table(pw, [0.5, 0.0, 0.0]), None, None, None))
    same = next(line for line in text.splitlines() if "same number of candidates" in line)
    assert "at 10 candidates its model is **better** (higher on 10 of the 10 tasks; +0.50 task sd)" in same
    assert "at 20 and 40 candidates no difference is measurable" in same
    timed = next(line for line in text.splitlines() if "same computer time" in line)
    assert "in the time of 10 candidates its model is **better**" in timed
    assert "in the time of 20 and 40 candidates no difference is measurable" in timed
    assert "shows where few fits are affordable (here, at 10 candidates, the smallest budget measured). " \
           "From 20 candidates on, its mean differences from random search are " in text
    short = next(line for line in text.splitlines() if "**In short**" in line)
    assert text.splitlines()[2] == short and short.endswith("task sd, and no difference survives the tests.")


def test_a_loss_is_said_and_no_advice_is_given(pw: ModuleType) -> None:
    text = "\n".join(pw.lead(_table(pw, [-0.5, -0.5, -0.5]), None, None, None))
    assert "at 10, 20 and 40 candidates its model is **worse** (higher on 0, 0 and 0 of the 10 tasks; " \
           "-0.50, -0.50 and -0.50 task sd)" in text
    assert "**In short**" not in text
    # a gain at every budget, or one that comes back after a level budget: no advice either
    for shift in ([0.5, 0.5, 0.5], [0.5, 0.0, 0.5]):
        text = "\n".join(pw.lead(_table(pw, shift), None, None, None))
        assert "**In short**" not in text
    assert _line(pw, "same number", _table(pw, [0.5, 0.0, 0.5])).count("**better**") == 2


def test_a_difference_within_noise_is_not_called_one(pw: ModuleType) -> None:
    # half the tasks up, half down: the pooled test cannot find a direction
    tab = _table(pw, [0.0, 0.0, 0.0])
    for i, t in enumerate(TASKS):
        tab.test["tpe"][t] += (0.3 if i % 2 else -0.3) * np.std(tab.test["random"][t])
    text = "\n".join(pw.lead(tab, None, None, None))
    assert "no difference is measurable (TPESearchCV's mean is the higher on 5, 5 and 5 of the 10 tasks; " in text
    assert "**better**" not in text and "**worse**" not in text


def test_equal_time_reads_random_search_where_it_got_in_that_time(pw: ModuleType) -> None:
    # random search three times as fast, and its 40-candidate models far ahead: within
    # TPESearchCV's time for 10 candidates it has them, so the equal-time verdict turns
    tab = _table(pw, [0.5, 0.0, 0.0])
    for t in TASKS:
        tab.test["random"][t][:, -1] += 3 * np.std(tab.test["random"][t])
        # its three budgets done by 0.1 s, and the run going on to 1 s with no better model
        tab.trials["random"][t] = [([0.1 / 3, 0.2 / 3, 0.1, 1.0], [*r, r[-1]]) for r in tab.test["random"][t]]
    assert "at 10 candidates its model is **better**" in _line(pw, "same number", tab)
    assert "in the time of 10, 20 and 40 candidates its model is **worse**" in _line(pw, "computer time", tab)


def test_the_estimator_defaults_are_tested_per_task(pw: ModuleType) -> None:
    main = _table(pw, [0.5, 0.0, 0.0], default=-5.0)
    big = _big(pw, main, 0.0)
    line = _line(pw, "default settings", main, big)
    assert "at 80 candidates TPESearchCV's model is better on 10 of the 10 tasks and worse on 0; at 10 " in line
    sd = np.std(main.test["random"]["t3"])
    main.test["default"]["t3"][:] = big.test["tpe"]["t3"][:, 0].max() + sd  # above every seed at 80
    main.test["default"]["t7"][:, 0] = big.test["tpe"]["t7"][:, 0]  # a tie, seed by seed: neither side
    # a little below TPESearchCV's mean, well within the spread of its seeds: not a difference
    main.test["default"]["t5"][:] = big.test["tpe"]["t5"][:, 0].mean() - 0.1 * np.std(main.test["random"]["t5"])
    line = _line(pw, "default settings", main, big)
    assert "at 80 candidates TPESearchCV's model is better on 7 of the 10 tasks and worse on 1 (t3), its mean " \
           "below the defaults' on t3 (by " in line
    tests = [x for x in pw.lead_tests(main, big, None) if "default settings" in x]
    assert len(tests) == 2 and "at 80 candidates" in tests[1]
    assert "t7 +0.00 (Holm p=1)" in tests[1] and "t3 -" in tests[1]
    # the printed p is the Holm-adjusted one of the per-task test
    cells = pw.compare(pw._against_defaults(main, big), "tpe", "default").cells
    shown = [x for x in cells if pw._peq(x[4]) != pw._peq(x[3])]  # where the two would print apart
    assert shown and all(f"{x[0]} {pw._sd(x[2] / np.std(main.test['random'][x[0]]))} (Holm {pw._peq(x[4])})"
                         in tests[1] for x in shown)


def test_worst_seed_is_read_beside_the_chance_reference(pw: ModuleType, hr: ModuleType) -> None:
    tab = _table(pw, [0.5, 0.5, 0.5])
    assert _line(pw, "Worst split", tab).endswith("below random search's worst in 0 of 30 (task, budget) cells.")
    tab.test["tpe"]["t0"][0, :] = 0.0  # one very bad seed at every budget of t0
    again = {t: tab.test["random"][t] - 1.0 for t in TASKS}  # random search again: worst below everywhere
    line = _line(pw, "Worst split", tab, again=again)
    assert "in 3 of 30 (task, budget) cells; random search itself" in line and "in 30 of 30." in line
    fresh = _fresh(pw, hr, True, shift=0.5)
    fresh.again.update({t: fresh.tab.test["random"][t] - 1.0 for t in TASKS})  # below everywhere there too
    line = _line(pw, "Worst split", tab, fresh=fresh, again=again)
    assert "in 30 of 30 (on 12 other seeds: 0 and 30 of 30)." in line


def test_fewer_trials_counts_tasks_and_reads_the_pooled_interval(pw: ModuleType) -> None:
    # random search's model the same at every budget, TPESearchCV 0.5 spreads above it from 10
    # on, and random search's 80-candidate model 0.2 above its 40: reached by 10 on every task
    main = _table(pw, [0.5, 0.5, 0.5], flat=True)
    line = _line(pw, "In fewer trials", main, _big(pw, main, 0.1))
    assert "40-candidate model by 10 on 10 of the 10 tasks;" in line
    assert "that of its 80-candidate model by 10 on 10 of the 10 tasks;" in line
    assert "its model at 40 candidates is ahead of random search's at 80" in line
    assert "is shown on these seeds, a margin not stated before these seeds were run." in line
    # 0.5 below random search until 80, where it is 0.5 above: reached at 80 only
    main = _table(pw, [-0.5, -0.5, -0.5], flat=True)
    line = _line(pw, "In fewer trials", main, _big(pw, main, 0.5))
    assert "model at no budget measured of the 10 tasks (never on t0, t1," in line
    assert "that of its 80-candidate model by 80 on 10 of the 10 tasks;" in line
    assert "candidates is behind random search's at 80" in line and "**not demonstrated**" in line
    # level with it on noisy tasks: not told apart, and not shown within the margin
    main = _table(pw, [0.0, 0.0, 0.0])
    for i, t in enumerate(TASKS):
        main.test["tpe"][t][:, -1] += (0.2 + (0.6 if i % 2 else -0.6)) * np.std(main.test["random"][t])
    line = _line(pw, "In fewer trials", main, _big(pw, main, 0.0))
    assert "is not told apart from random search's at 80" in line and "not demonstrated" in line


def test_the_fresh_run_stated_in_advance_decides(pw: ModuleType, hr: ModuleType) -> None:
    main = _table(pw, [0.5, 1.0, 1.0])  # well ahead of random search's 80 at 40 on these seeds
    big = _big(pw, main, 0.0)
    line = _line(pw, "In fewer trials", main, big)
    assert "its model at 40 candidates is ahead of random search's at 80" in line
    fresh = _fresh(pw, hr, met=False)
    line = _line(pw, "In fewer trials", main, big, fresh)
    assert "is shown on these seeds; on 12 fresh seeds, with the test stated before the run, it is not met " \
           f"(lower end {fresh.reach['tpe'][1].low:+.3f})" in line
    assert "**not demonstrated**" in line
    # the stated test needs the fresh run at 20 and 40 only: without its 80 column it still decides
    for t in TASKS:
        fresh.tab.test["tpe"][t][:, -1] = np.nan
    line = _line(pw, "In fewer trials", main, big, fresh)
    assert "it is not met" in line and "**not demonstrated**" in line
    assert "On 12 other seeds" not in _line(pw, "same number", main, big, fresh)  # incomplete there
    # without a run stated in advance, a margin shown on these seeds is said to be post hoc
    line = _line(pw, "In fewer trials", main, big)
    assert line.endswith("is shown on these seeds, a margin not stated before these seeds were run.")
    behind = _table(pw, [0.5, 0.0, 0.0])  # measurably behind on these seeds, met on the fresh ones
    line = _line(pw, "In fewer trials", behind, _big(pw, behind, 0.0), _fresh(pw, hr, met=True))
    assert "not shown on these seeds; on 12 fresh seeds, with the test stated before the run, it is met" in line
    assert line.endswith("**demonstrated**.")
    # the fresh run's same-budget verdicts, in the lead and (with their Holm p) for the page
    line = _line(pw, "same number", main, big, _fresh(pw, hr, met=True, shift=0.5))
    assert "On 12 other seeds (a later run, in its own task sd, from 20 candidates): at 20, 40 and 80 candidates its model is **better**" in line
    tests = pw.lead_tests(main, big, _fresh(pw, hr, met=True, shift=0.5))
    assert tests[0].startswith("- Round 10's 12 fresh seeds") and "Holm over 20, 40 and 80" in tests[0]


def test_the_advice_names_a_later_gain_of_the_other_seeds(pw: ModuleType, hr: ModuleType) -> None:
    main = _table(pw, [0.5, 0.0, 0.0])
    text = "\n".join(pw.lead(main, None, _fresh(pw, hr, met=False, shift=0.5), None))
    assert "no difference survives the tests of these seeds (on the other seeds its model is better at 20, " \
           "better at 40 and better at 80 candidates)." in text


def test_runs_group_neighbouring_budgets_only(pw: ModuleType) -> None:
    V = pw.Verdict
    vs = [V(10, 0.4, 0.01, 9, 1, 1), V(20, 0.1, 0.5, 6, 4, 1), V(40, 0.3, 0.02, 8, 2, 1),
          V(80, 0.35, 0.03, 9, 1, 1)]
    said = pw._runs(vs, 10)
    assert said.count("**better**") == 2 and said.count("no difference is measurable") == 1
    assert said.index("at 10 candidates") < said.index("at 20 candidates") < said.index("at 40 and 80")
    # the direction is the rank test's, not the mean's: an outlier task cannot flip the word
    assert V(10, 0.4, 0.01, 2, 8, -1).word == "worse" and V(10, 0.4, 0.2, 9, 1, 1).word == "level"


def test_the_chance_bullet_follows_the_worst_split(pw: ModuleType) -> None:
    lines = pw.lead(_table(pw, [0.5, 0.0, 0.0]), None, None, None, chance="- **Ending at chance level**: x.")
    worst = next(i for i, line in enumerate(lines) if line.startswith("- **Worst split**"))
    assert lines[worst + 1] == "- **Ending at chance level**: x."
    assert not any("Ending at chance" in line for line in pw.lead(_table(pw, [0.5, 0.0, 0.0]), None, None, None))


def test_optimism_is_the_best_cv_score_over_the_test_score_in_task_sd(pw: ModuleType) -> None:
    main = _table(pw, [0.0, 0.0, 0.0])
    assert not any("Optimism" in line for line in pw.lead(main, None, None, None))  # no CV score recorded
    sd = {t: pw.task_scale(main, t) for t in TASKS}
    main.cv.update({"tpe": {t: main.test["tpe"][t] + 0.5 * sd[t] for t in TASKS},
                    "random": {t: main.test["random"][t] + 0.2 * sd[t] for t in TASKS}})
    line = _line(pw, "Optimism", main)
    assert "at 40 candidates TPESearchCV +0.50, random search +0.20." in line
