"""The statistics behind the generated claims of the README, the benchmark page and
docs/guide/ablation.md (``benchmarks/heldout_report.py``): Holm's correction, the
pooled t-interval over tasks, the held-out reach, and the criteria and reading of rounds
11 to 13, checked against hand computations and scipy on small made-up data.

The benchmark code is not part of the package; these tests import it from
``benchmarks/`` (its modules put themselves on ``sys.path`` and ``PYTHONPATH``, which
the ``hr`` fixture of conftest.py restores so that no other test sees it).
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from scipy import stats



def test_holm_matches_a_hand_computation(hr: ModuleType) -> None:
    # sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> running max
    adj = hr.holm(np.array([0.01, 0.04, 0.03, 0.005]))
    np.testing.assert_allclose(adj, [0.03, 0.06, 0.06, 0.02])
    assert hr.holm(np.array([0.6, 0.7]))[1] == 1.0  # capped at 1


def test_task_gaps_is_the_t_interval_of_the_task_means(hr: ModuleType) -> None:
    rng = np.random.default_rng(0)
    gaps = [rng.normal(mu, 1.0, size=30) for mu in (0.3, -0.1, 0.5, 0.0, 0.2)]
    d, se, low, high = hr._task_gaps(gaps)
    means = np.array([g.mean() for g in gaps])
    np.testing.assert_allclose(d, means)
    np.testing.assert_allclose(se, [stats.sem(g) for g in gaps])
    want = stats.t.interval(0.95, len(means) - 1, loc=means.mean(), scale=stats.sem(means))
    np.testing.assert_allclose([low, high], want)


def test_pooled_reach_reads_a_known_shift(hr: ModuleType) -> None:
    """A method that is the target plus a known shift per task and budget: the pooled
    difference is the mean shift in task units, and the per-task rule counts the tasks
    whose mean stays at or above the target from that budget on."""
    rng = np.random.default_rng(1)
    tasks = ["a", "b", "c", "d"]
    target = {t: rng.normal(0.8, 0.05, size=12) for t in tasks}
    scale = {"a": 0.05, "b": 0.1, "c": 0.02, "d": 0.05}
    # shifts at budgets 20, 40 and 80 (the last the target's own budget), in score units:
    # from 40 on at or above the target: a (level) and b; c dips at 40, d is behind until 80
    shift = {"a": (-0.01, 0.0, 0.0), "b": (-0.02, 0.01, 0.02), "c": (0.001, -0.001, 0.0),
             "d": (-0.005, -0.005, 0.005)}
    test = {"m": {t: np.c_[[target[t] + s for s in shift[t]]].T for t in tasks}}
    reach = hr.pooled_reach(tasks, [20, 40, 80], test, target, scale)["m"]
    assert [r.budget for r in reach] == [20, 40]
    for r, j in zip(reach, range(2)):
        per_task = np.array([shift[t][j] / scale[t] for t in tasks])
        assert r.diff == pytest.approx(per_task.mean())
        half = stats.t.ppf(0.975, 3) * per_task.std(ddof=1) / 2
        assert (r.low, r.high) == pytest.approx((per_task.mean() - half, per_task.mean() + half))
    assert [r.reached for r in reach] == [0, 2]


def _gap(hr: ModuleType, budget: int, diff: float, low: float, worst: int, p_holm: float = 0.5,
         variant: str = "v") -> object:
    """A ``VariantGap`` with the fields the criteria read (its interval symmetric about ``diff``)."""
    return hr.VariantGap(variant, budget, diff, low, diff + (diff - low), p_holm, p_holm, 3, 3, 0.1,
                         worst, p_holm)


def test_round_11_second_criterion_at_its_bounds(hr: ModuleType) -> None:
    ok = [_gap(hr, 20, -hr.GREEDY_SLACK, -0.2, 3), _gap(hr, 40, 0.05, 1e-9, 3)]
    assert hr.greedy_confirmed(ok, ref_worst=3)  # mean at 20 exactly at the slack is allowed
    assert not hr.greedy_confirmed([ok[0], _gap(hr, 40, 0.05, 0.0, 3)], ref_worst=3)  # above 0, strictly
    assert not hr.greedy_confirmed([_gap(hr, 20, -hr.GREEDY_SLACK - 1e-9, -0.2, 3), ok[1]], ref_worst=3)
    assert not hr.greedy_confirmed(ok, ref_worst=2)  # more worst-seed cells than the defaults


def test_round_11_first_criterion_takes_the_larger_mean_at_the_top(hr: ModuleType) -> None:
    gaps = [_gap(hr, 20, 0.02, -0.1, 2, 0.04, "x"), _gap(hr, 40, 0.03, -0.1, 2, 0.2, "x"),
            _gap(hr, 20, 0.01, -0.1, 2, 0.5, "y"), _gap(hr, 40, 0.05, 0.01, 2, 0.01, "y"),
            _gap(hr, 20, 0.09, 0.01, 2, 0.01, "z"), _gap(hr, 40, -0.01, -0.1, 2, 0.9, "z")]
    assert hr.greedy_choice(gaps, ref_worst=2) == "y"  # z is behind at 40
    assert hr.greedy_choice(gaps, ref_worst=1) is None  # every one has more worst-seed cells
    not_significant = [hr.VariantGap(**{**g.__dict__, "p_holm": 0.05}) for g in gaps]
    assert hr.greedy_choice(not_significant, ref_worst=2) is None


def _write_run(path: str, tasks: list[str], seeds: list[int], variants: dict[str, float], source: str) -> None:
    """A made-up results file: random search and TPESearchCV (defaults and ``variants``, each
    the defaults' test score plus its shift) on every task and seed, budgets 20 and 40."""
    rng = np.random.default_rng(2)
    with open(path, "w") as fh:
        fh.write(json.dumps({"provenance": {}, "argv": []}) + "\n")
        for t in tasks:
            for s in seeds:
                base = rng.normal(0.8, 0.05, size=2)
                fh.write(json.dumps({"method": "random", "variant": "", "task": t, "seed": s,
                                     "budgets": [20, 40], "test": list(base - 0.01), "cv_best": [0, 0],
                                     "seconds": [1, 1], "trial_done": [], "trial_test": []}) + "\n")
                for v, shift in variants.items():
                    fh.write(json.dumps({"method": "tpe", "variant": v, "task": t, "seed": s,
                                         "budgets": [20, 40], "test": list(base + shift), "cv_best": [0, 0],
                                         "seconds": [1, 1], "trial_done": [], "trial_test": [],
                                         "sktpe": source}) + "\n")


def test_round_11_reading_needs_every_stated_seed_and_reads_the_shift(
        hr: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    heldout = sys.modules["heldout"]
    monkeypatch.setattr(heldout, "RESULTS", str(tmp_path))
    tasks = [t.name for t in hr.SUITES["tuning"]]
    seeds = list(range(10))
    variants = (("n_ei=64", "made-up"),)
    path = heldout.results_path("made_up")
    _write_run(path, tasks, seeds, {"": 0.0}, hr.GREEDY_SKTPE)  # the variant not run yet
    assert hr.greedy_lines("made_up", seeds, variants) is None
    _write_run(path, tasks, seeds[:-1], {"": 0.0, "n_ei=64": 0.004}, hr.GREEDY_SKTPE)  # a seed short
    assert hr.greedy_lines("made_up", seeds, variants) is None
    _write_run(path, tasks, seeds, {"": 0.0, "n_ei=64": 0.004}, "another-source")
    assert hr.greedy_lines("made_up", seeds, variants) is None
    _write_run(path, tasks, seeds, {"": 0.0, "n_ei=64": 0.004}, hr.GREEDY_SKTPE)
    lines = hr.greedy_lines("made_up", seeds, variants)
    row = next(line for line in lines if line.startswith("| made-up |"))
    # every seed +0.004 above the defaults: each task's mean gap is 0.004 / its random-search sd
    ref = hr.load("tuning", "", hr.GREEDY_SKTPE, name="made_up", budgets=hr.GREEDY_BUDGETS)
    want = np.mean([0.004 / hr.task_scale(ref, t) for t in tasks])
    assert row.startswith(f"| made-up | {hr._sd(want)} [")
    assert "6/0" in row  # ahead on every task


def test_first_budget_reaching_ignores_a_crossing_that_falls_back(hr: ModuleType) -> None:
    means = {"up": [0.7, 0.8, 0.9], "dip": [0.9, 0.7, 0.9], "never": [0.7, 0.7, 0.7], "late": [0.7, 0.7, 0.85]}
    got = hr.first_budget_reaching([10, 20, 40], means, {t: 0.8 for t in means})
    assert got == {"up": 20, "dip": 40, "never": None, "late": 40}


def _table(hr: ModuleType, test: dict) -> object:
    """A heldout ``Table`` of two budgets holding only test scores."""
    tasks = list(next(iter(test.values())))
    n = len(next(iter(test.values()))[tasks[0]])
    return hr.Table("made_up", [20, 40], list(range(n)), tasks, test, {}, {}, {}, "")


def test_compare_and_worst_seed_read_made_up_scores(hr: ModuleType) -> None:
    """TPESearchCV one score unit ahead of random search on every seed of task ``a`` and
    level on ``b``: per-cell means, Holm over the four cells, the pooled difference in
    random search's spread, ties counted as neither ahead nor behind; its worst seed below
    random search's only where it is."""
    rng = np.random.default_rng(3)
    base = {t: rng.normal(0.8, 0.05, size=(12, 2)) for t in ("a", "b")}
    ours = {"a": base["a"] + 0.01, "b": base["b"].copy()}
    ours["b"][0, 1] = base["b"][:, 1].min() - 0.02  # one bad seed at 40 on b
    tab = _table(hr, {"tpe": ours, "random": base})
    c = hr.compare(tab, "tpe", "random")
    cells = {(t, j): (diff, p, p_holm) for t, j, diff, p, p_holm, *_ in c.cells}
    assert cells[("a", 0)][0] == pytest.approx(0.01)
    assert cells[("a", 0)][1] == pytest.approx(stats.wilcoxon(ours["a"][:, 0] - base["a"][:, 0]).pvalue)
    ps = np.array([v[1] for v in cells.values()])
    np.testing.assert_allclose([v[2] for v in cells.values()], hr.holm(ps))
    scale_a = np.std(base["a"])
    assert c.pooled[0][0] == pytest.approx((0.01 / scale_a + 0.0) / 2)
    assert c.pooled[0][2:] == (1, 0)  # a ahead, b tied: neither
    assert c.pooled[1][2:] == (1, 1)  # b behind at 40 by its bad seed
    cells_below = hr.worst_seed_below_random(tab, tab.test["tpe"])
    assert [(t, b) for t, b, _ in cells_below] == [("b", 40)]
    assert cells_below[0][2] == pytest.approx(0.02 / np.std(base["b"]))


def test_round_12_reading_needs_every_method_and_reads_the_shift(
        hr: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second tuning suite's table: no figures while the estimator's defaults are missing;
    TPESearchCV a known amount above random search on every seed gives that amount per task
    (in random search's spread, with no spread over seeds) and pooled; a run stored twice is
    named."""
    heldout = sys.modules["heldout"]
    monkeypatch.setattr(heldout, "RESULTS", str(tmp_path))
    seeds = list(range(8))
    first = [t.name for t in hr.SUITES["tuning"]]
    extra = [t.name for t in hr.SUITES["tuning-extra"]]
    _write_run(heldout.results_path("first"), first, seeds, {"": 0.0}, hr.GREEDY_SKTPE)
    _write_run(heldout.results_path("extra"), extra, seeds, {"": 0.0}, hr.GREEDY_SKTPE)
    assert hr.extra_lines("extra", "first", seeds) is None  # no estimator-defaults rows
    with open(heldout.results_path("extra"), "a") as fh:
        for t in extra:
            for s in seeds:
                fh.write(json.dumps({"method": "default", "variant": "", "task": t, "seed": s, "budgets": [0],
                                     "test": [0.5], "cv_best": [0], "seconds": [0], "trial_done": [],
                                     "trial_test": []}) + "\n")
    lines = hr.extra_lines("extra", "first", seeds)
    assert lines is not None and "more than once" not in lines[0]
    tab = hr.load("tuning-extra", "", hr.GREEDY_SKTPE, name="extra", budgets=hr.GREEDY_BUDGETS)
    # _write_run puts random search 0.01 below the defaults' TPESearchCV on every seed
    per_task = {t: 0.01 / hr.task_scale(tab, t) for t in extra}
    for t in extra:
        row = next(line for line in lines if line.startswith(f"| {t} | 0.500 |"))
        assert row.endswith(f"| {per_task[t]:+.2f} ± 0.00 | {per_task[t]:+.2f} ± 0.00 |")
    new = next(line for line in lines if line.startswith("- the 6 new tasks"))
    assert new.startswith(f"- the 6 new tasks: at 20 {hr._sd(float(np.mean(list(per_task.values()))))} [")
    with open(heldout.results_path("extra")) as fh:
        last = fh.read().splitlines()[-1]
    with open(heldout.results_path("extra"), "a") as fh:
        fh.write(last + "\n")
    assert "1 run(s) more than once" in hr.extra_lines("extra", "first", seeds)[0]


def _write_rows(path: str, tasks: list[str], seeds: list[int], rows: dict[tuple[str, str], object],
                source: str, commit: str = "615ad80") -> None:
    """A made-up results file: for each (method, variant) in ``rows`` and every task and seed,
    test scores that depend on the task's name and the seed only, plus that entry's shift (a
    number, or a function of (task, seed) giving one per budget); budgets 20 and 40."""
    with open(path, "w") as fh:
        fh.write(json.dumps({"provenance": {"git_commit": commit}, "argv": []}) + "\n")
        for t in tasks:
            for s in seeds:
                base = np.random.default_rng([zlib.crc32(t.encode()), s]).normal(0.8, 0.05, size=2)
                for (m, v), shift in rows.items():
                    add = shift(t, s) if callable(shift) else shift
                    fh.write(json.dumps({"method": m, "variant": v, "task": t, "seed": s, "budgets": [20, 40],
                                         "test": list(base + add), "cv_best": [0, 0], "seconds": [1, 1],
                                         "trial_done": [], "trial_test": [],
                                         **({"sktpe": source} if m == "tpe" else {})}) + "\n")


def test_round_13_joins_its_files_and_reads_the_shift(
        hr: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 13 reads the defaults from two files per suite (seeds 100-159, then 160-219) and
    the variant from one: no figures while a stated seed or source is missing; joined, the 12
    tasks hold all 120 seeds, each task's sd over all of them, each suite's variant paired with
    its own tasks; a variant a known amount above the defaults on every seed reads as that amount
    pooled, with Holm over the two budgets' t-tests, and passes; behind at one budget, below
    random search, or with one seed below random search's worst, it does not."""
    heldout = sys.modules["heldout"]
    monkeypatch.setattr(heldout, "RESULTS", str(tmp_path))
    source = hr.GREEDY_SKTPE
    names = {suite: [t.name for t in hr.SUITES[suite]] for suite in hr.BOTH_REF}

    def write_ref(skip: str = "") -> None:
        for suite, parts in hr.BOTH_REF.items():
            for name, seeds in parts:
                _write_rows(heldout.results_path(name), names[suite],
                            [s for s in seeds if name != skip or s != seeds[-1]],
                            {("random", ""): -0.01, ("tpe", ""): 0.0}, source)

    def write_variant(shift: object, seeds: list = hr.BOTH_SEEDS, src: str = source,
                      commit: str = "615ad80") -> None:
        for suite in hr.BOTH_REF:
            _write_rows(heldout.results_path(hr.SMOOTH_FILES[suite]), names[suite], seeds,
                        {("tpe", hr.SMOOTH_VARIANT): shift}, src, commit)

    write_ref()
    write_variant(0.004, hr.BOTH_SEEDS[:-1])
    assert hr.smooth_lines() is None  # the variant's last seed is missing
    write_variant(0.004, src="another-source")
    assert hr.smooth_lines() is None
    write_variant(0.004)
    write_ref(skip="tuning_extra_2")
    assert hr.smooth_lines() is None  # the defaults' last seed of one second file is missing
    write_ref()

    def low_seed(t: str, s: int) -> list:  # one seed below random search's worst, the mean still ahead
        return [0.004, -0.3 if (t, s) == ("knn_reg", 150) else 0.004]

    for shift, verdict in ((0.004, "**Passed**"), (-0.02, "**Not passed"), ((-0.004, 0.004), "**Not passed"),
                           (low_seed, "**Not passed")):
        write_variant(np.array(shift) if isinstance(shift, tuple) else shift)
        ref, var = hr.round_tables(hr.SMOOTH_VARIANT, hr.SMOOTH_FILES)
        assert ref.seeds == hr.BOTH_SEEDS and ref.tasks == names["tuning"] + names["tuning-extra"]
        add = np.broadcast_to(shift if not callable(shift) else 0.004, 2)
        for t in (ref.tasks[0], ref.tasks[-1]):
            assert hr.task_scale(ref, t) == pytest.approx(np.std(ref.test["random"][t]))
            if not callable(shift):
                np.testing.assert_allclose(var.test["tpe"][t], ref.test["tpe"][t] + add)
        lines = hr.smooth_lines()
        gaps = hr.variant_gaps(ref, {hr.SMOOTH_VARIANT: var})
        d = [np.array([np.mean((var.test["tpe"][t][:, j] - ref.test["tpe"][t][:, j]) / hr.task_scale(ref, t))
                       for t in ref.tasks]) for j in range(2)]
        np.testing.assert_allclose([g.diff for g in gaps], [x.mean() for x in d])
        np.testing.assert_allclose([g.p_holm for g in gaps],
                                   hr.holm(np.array([stats.ttest_1samp(x, 0.0).pvalue for x in d])))
        row = next(line for line in lines if line.startswith(f"| {hr.SMOOTH_LABEL} |"))
        assert row.startswith(f"| {hr.SMOOTH_LABEL} | {gaps[0].interval} (Holm p={hr._p(gaps[0].p_holm)};")
        assert verdict in lines[-1]
        if callable(shift):  # fails on the worst-seed clause alone
            assert all(g.diff > 0 for g in gaps) and min(g.p_holm for g in gaps) < 0.05
            assert gaps[0].worst_cells == 1 and len(hr.worst_seed_below_random(ref, ref.test["tpe"])) == 0
        assert "more than once" not in lines[0] and "not 615ad80" not in lines[0]
    write_variant(0.004, commit="abcdef0")
    assert "made from abcdef0, not 615ad80 as stated" in hr.smooth_lines()[0]


def test_round_14_counts_the_searches_that_return_another_model(
        hr: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 14's variant only chooses another model of the same search: its table counts the
    (task, seed, budget) cells whose test score differs from the defaults' and reads no verdict
    from another commit's runs silently."""
    heldout = sys.modules["heldout"]
    monkeypatch.setattr(heldout, "RESULTS", str(tmp_path))
    source = hr.GREEDY_SKTPE
    names = {suite: [t.name for t in hr.SUITES[suite]] for suite in hr.BOTH_REF}
    for suite, parts in hr.BOTH_REF.items():
        for name, seeds in parts:
            _write_rows(heldout.results_path(name), names[suite], seeds,
                        {("random", ""): -0.01, ("tpe", ""): 0.0}, source)
    assert hr.one_se_lines() is None

    def another(t: str, s: int) -> list:  # another model on seeds 100 and 101 at 40, on every task
        return [0.0, 0.002 if s in (100, 101) else 0.0]

    for suite in hr.BOTH_REF:
        _write_rows(heldout.results_path(hr.ONE_SE_FILES[suite]), names[suite], hr.BOTH_SEEDS,
                    {("tpe", hr.ONE_SE_VARIANT): another}, source, commit=hr.ONE_SE_COMMIT)
    lines = hr.one_se_lines()
    assert lines[0].startswith("Both tuning suites: 12 tasks × 120 seeds (100-219)")
    assert f"not {hr.ONE_SE_COMMIT} as stated" not in lines[0]
    assert f"24 of {12 * 120 * 2} returned a model of another test score" in "\n".join(lines)
    assert "**Not passed" in lines[-1]  # level at 20


def test_round_15_returns_the_estimator_as_given_where_its_cv_score_is_larger(
        hr: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 15: each search returns the estimator as given (its ``default-cv`` row) where its
    mean CV score is larger than the search's best, at each budget; a tie keeps the search's
    model; no verdict until every stated seed of every task has its row."""
    heldout = sys.modules["heldout"]
    monkeypatch.setattr(heldout, "RESULTS", str(tmp_path))
    names = {suite: [t.name for t in hr.SUITES[suite]] for suite in hr.BOTH_REF}
    for suite, parts in hr.BOTH_REF.items():
        for name, seeds in parts:  # the searches' best CV score is 0 at both budgets
            _write_rows(heldout.results_path(name), names[suite], seeds,
                        {("random", ""): -0.01, ("tpe", ""): 0.0}, hr.GREEDY_SKTPE)
    # larger on 100 and 101, a tie on 102 and (to the last bits of a mean) on 103, else smaller
    cv_given = {100: 0.5, 101: 0.5, 102: 0.0, 103: 2e-16}
    for suite in hr.BOTH_REF:
        with open(heldout.results_path(hr.GUARD_FILES[suite]), "w") as fh:
            fh.write(json.dumps({"provenance": {"git_commit": hr.GUARD_COMMIT}, "argv": []}) + "\n")
            for t in names[suite]:
                for s in hr.BOTH_SEEDS[:-1] if suite == "tuning" else hr.BOTH_SEEDS:
                    fh.write(json.dumps({"method": "default-cv", "variant": "", "task": t, "seed": s,
                                         "budgets": [0], "cv_best": [cv_given.get(s, -1.0)], "test": [5.0],
                                         "seconds": [1]}) + "\n")
    assert hr.guard_tables() is None  # the tuning suite's last seed is missing
    with open(heldout.results_path(hr.GUARD_FILES["tuning"]), "a") as fh:
        for t in names["tuning"]:
            fh.write(json.dumps({"method": "default-cv", "variant": "", "task": t, "seed": 219,
                                 "budgets": [0], "cv_best": [-1.0], "test": [5.0], "seconds": [1]}) + "\n")
    ref, var = hr.guard_tables()
    for t in ref.tasks:
        changed = var.test["tpe"][t] != ref.test["tpe"][t]
        assert changed[:2].all() and not changed[2:].any()  # seeds 100 and 101, at both budgets
        assert (var.test["tpe"][t][:2] == 5.0).all()
    text = "\n".join(hr.guard_lines())
    assert f"48 of {12 * 120 * 2} returned a model of another test score" in text
    assert "**Passed**" in text  # ahead on every task by the same amount: significant over the tasks


def test_a_racing_column_measured_again_is_left_out_of_the_cost_comparisons(hr: ModuleType) -> None:
    """CPU times are compared only between methods timed side by side in one run: a racing
    column measured again at a later sktpe source (another session) is left out."""
    def table(sources: dict) -> object:
        return hr.Table("report", [10], [0], ["a"], {}, {}, {}, {}, "", sources=sources)

    assert hr.methods_timed_together(table({"tpe": "x", "tpe-racing": "x"})) == hr.TIMED_TOGETHER
    assert "tpe-racing" not in hr.methods_timed_together(table({"tpe": "x", "tpe-racing": "y"}))
    assert set(hr.methods_timed_together(table({"tpe": "x", "tpe-racing": "y"}))) == {
        "random", "optuna", "tpe"}
