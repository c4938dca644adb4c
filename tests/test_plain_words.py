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


def _table(pw: ModuleType, shift: list[float], default: float = -1.0) -> object:
    """Random search's scores (20 seeds) and TPESearchCV's, ``shift[j]`` random-search spreads
    above them at budget j on every seed of every task (with a little noise, so that tasks do
    not tie); the estimator's defaults ``default`` spreads from random search's mean."""
    rng = np.random.default_rng(0)
    random_ = {t: rng.normal(0.8, 0.02, size=(20, len(BUDGETS))) for t in TASKS}
    sd = {t: float(np.std(random_[t])) for t in TASKS}
    tpe = {t: random_[t] + sd[t] * (np.asarray(shift) + rng.normal(0, 0.01, size=(20, len(BUDGETS))))
           for t in TASKS}
    dflt = {t: np.full((20, len(BUDGETS)), random_[t].mean() + default * sd[t]) for t in TASKS}
    # timing: TPESearchCV takes 0.1 s per budget step, as random search does for its candidates
    # of that budget, so that at equal time random search is read at the same budget
    seconds = {"tpe": {t: np.tile(0.1 * np.arange(1, len(BUDGETS) + 1), (20, 1)) for t in TASKS}}
    trials = {"random": {t: [(list(0.1 * np.arange(1, len(BUDGETS) + 1)), list(random_[t][i]))
                             for i in range(20)] for t in TASKS}}
    return pw.Table("made_up", BUDGETS, list(range(20)), TASKS,
                    {"random": random_, "tpe": tpe, "default": dflt}, {}, seconds, trials, "")


def _lead(pw: ModuleType, tab: object, again: dict | None = None) -> str:
    return "\n".join(pw.lead(tab, None, None, again))


def test_a_gain_at_the_small_budget_only_is_said_as_such(pw: ModuleType) -> None:
    text = _lead(pw, _table(pw, [0.5, 0.0, 0.0]))
    timed = next(line for line in text.splitlines() if "same computer time" in line)
    assert "in the time of 10 candidates its model is **better**" in timed
    assert "in the time of 20 and 40 candidates no difference is measurable" in timed
    same = next(line for line in text.splitlines() if "same number of candidates" in line)
    assert "at 10 candidates its model is **better** (higher on 10 of the 10 tasks; by 0.50 task sd)" in same
    assert "at 20 and 40 candidates no difference is measurable" in same
    assert "pays where few fits are affordable (here, up to 10 candidates). From 20 candidates on" in text
    assert "too small for these runs to measure" in text


def test_a_loss_is_said_and_no_advice_is_given(pw: ModuleType) -> None:
    text = _lead(pw, _table(pw, [-0.5, -0.5, -0.5]))
    assert "at 10, 20 and 40 candidates its model is **worse** (higher on 0, 0 and 0" in text
    assert "**So**" not in text
    # a gain at every budget is better throughout, and the advice, which needs a level budget, is left out
    text = _lead(pw, _table(pw, [0.5, 0.5, 0.5]))
    assert "at 10, 20 and 40 candidates its model is **better**" in text and "**So**" not in text


def test_a_difference_within_noise_is_not_called_one(pw: ModuleType) -> None:
    # half the tasks up, half down: the pooled test cannot find a direction
    tab = _table(pw, [0.0, 0.0, 0.0])
    for i, t in enumerate(TASKS):
        tab.test["tpe"][t] += (0.3 if i % 2 else -0.3) * np.std(tab.test["random"][t])
    text = _lead(pw, tab)
    assert "at 10, 20 and 40 candidates no difference is measurable (TPESearchCV's mean is the higher on 5, 5 and 5 of the 10 tasks; " in text
    assert "**better**" not in text and "**worse**" not in text


def test_the_defaults_are_named_where_they_beat_the_search(pw: ModuleType) -> None:
    assert "did not pay" not in _lead(pw, _table(pw, [0.5, 0.0, 0.0]))
    tab = _table(pw, [0.5, 0.0, 0.0])
    sd = np.std(tab.test["random"]["t3"])
    tab.test["default"]["t3"][:] = tab.test["tpe"]["t3"][:, -1].mean() + 0.5 * sd  # above both searches
    tab.test["default"]["t7"][:] = tab.test["tpe"]["t7"][:, -1].mean() + 1e-6  # above TPESearchCV only...
    tab.test["random"]["t7"][:, -1] += 1.0  # ...as random search is far ahead there
    line = next(x for x in pw.lead(tab, None, None, None) if "did not pay" in x)
    assert "on t3 and t7 the estimator with its default settings" in line
    assert "after 40 candidates (on t3, than random search's too)" in line


def test_worst_seed_is_read_beside_the_chance_reference(pw: ModuleType) -> None:
    tab = _table(pw, [0.5, 0.5, 0.5])
    line = next(x for x in pw.lead(tab, None, None, None) if "Bad luck" in x)
    assert "below random search's worst in 0 of 30 (task, budget) cells." in line
    tab.test["tpe"]["t0"][0, :] = 0.0  # one very bad seed at every budget of t0
    again = {t: tab.test["random"][t] - 1.0 for t in TASKS}  # random search again: worst below everywhere
    line = next(x for x in pw.lead(tab, None, None, again) if "Bad luck" in x)
    assert "in 3 of 30 (task, budget) cells; random search itself" in line
    assert "does so in 30: no more often than chance gives." in line
    again = {t: tab.test["random"][t] + 1.0 for t in TASKS}  # never below
    line = next(x for x in pw.lead(tab, None, None, again) if "Bad luck" in x)
    assert "does so in 0: more often than chance gave here." in line


def test_runs_group_neighbouring_budgets_only(pw: ModuleType) -> None:
    V = pw.Verdict
    vs = [V(10, 0.4, 0.01, 9, 1), V(20, 0.1, 0.5, 6, 4), V(40, 0.3, 0.02, 8, 2), V(80, 0.35, 0.03, 9, 1)]
    said = pw._runs(vs, 10)
    assert said.count("**better**") == 2 and said.count("no difference is measurable") == 1
    assert said.index("at 10 candidates") < said.index("at 20 candidates") < said.index("at 40 and 80")
    assert pw._sd(-0.001) == "0.00" and pw._sd(-0.006) == "-0.01" and pw._sd(0.2) == "+0.20"


def _big(pw: ModuleType, main: object, shift: float) -> object:
    """The run at 80 candidates: random search a little above its 40-candidate scores, and
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


def test_fewer_trials_reads_the_pooled_interval_against_the_large_budget(pw: ModuleType) -> None:
    main = _table(pw, [0.5, 0.0, 0.0])
    # at 40, TPESearchCV is random search's 40-candidate model, 0.2 spreads behind its 80: measurably behind
    text = "\n".join(pw.lead(main, _big(pw, main, 0.0), None, None))
    line = next(x for x in text.splitlines() if "In fewer trials" in x)
    assert "model by n_iter=10" in line  # its 10-candidate mean is above random search's 40
    assert "at 40 candidates its model is measurably behind random search's at 80" in line
    assert "is **not demonstrated**" in line
    assert "in the time of 20, 40 and 80 candidates no difference is measurable" in text
    # level with it on noisy tasks: not told apart, and still not shown within the margin
    for i, t in enumerate(TASKS):
        main.test["tpe"][t][:, -1] += (0.2 + (0.6 if i % 2 else -0.6)) * np.std(main.test["random"][t])
    line = next(x for x in pw.lead(main, _big(pw, main, 0.0), None, None) if "In fewer trials" in x)
    assert "cannot be told apart from random search's at 80" in line and "not demonstrated" in line
    # a clear lead at 40: within the margin is shown on these seeds (no fresh run given)
    main = _table(pw, [0.5, 1.0, 1.0])
    line = next(x for x in pw.lead(main, _big(pw, main, 0.0), None, None) if "In fewer trials" in x)
    assert "measurably better than random search's at 80" in line
    assert "is shown on these seeds." in line and "not demonstrated" not in line
