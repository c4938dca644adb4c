"""The plain-words lead of the README and the benchmark page: what the held-out benchmark says
to a user choosing a search, in a few sentences, each read from a test on the page.

Every sentence is generated from the stored runs and changes its words with them. A
difference is called one only where a paired Wilcoxon test over the tasks (the tasks the
units) finds it, p < ``ALPHA`` after Holm's correction over the budgets of one run; elsewhere
the sentence says that none is measurable and gives the estimate and the count of tasks on
each side, so that a reader sees the direction. Task-by-task counts are said to be untested.
The few tests the lead reads that ``heldout_report.py`` does not print are printed by
:func:`lead_tests`, for the page.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from heldout_report import (  # noqa: E402
    ALPHA,
    FRESH_MARGIN,
    Fresh,
    Table,
    _and,
    _p,
    _sd,
    compare,
    first_budget_reaching,
    optimism,
    rank_sign,
    reach_large,
    reach_of_report,
    source_words,
    task_scale,
    worst_seed_below_random,
)
from heldout_tasks import SUITES  # noqa: E402


@dataclass(frozen=True)
class Verdict:
    """TPESearchCV against one peer at one budget, pooled over the tasks."""

    budget: int
    diff: float  # mean over tasks of the mean difference, in task sd
    p_holm: float  # Wilcoxon over the tasks, Holm over the budgets of the run
    ahead: int  # tasks where TPESearchCV's mean is higher
    behind: int
    direction: int  # the Wilcoxon test's side: the sign of (positive minus negative rank sums)

    @property
    def word(self) -> str:
        """'better', 'worse' or 'level' (no difference measurable)."""
        if self.p_holm < ALPHA and self.direction:
            return "better" if self.direction > 0 else "worse"
        return "level"


def verdicts(tab: Table, peer: str, equal_time: bool = False) -> list[Verdict]:
    """TPESearchCV against ``peer`` at each budget of one run (Holm over its budgets); with
    ``equal_time``, the peer's best model found within TPESearchCV's CPU time."""
    c = compare(tab, "tpe", peer, equal_time=equal_time)
    out = []
    for j, (b, (d, p, w, l_)) in enumerate(zip(tab.budgets, c.pooled)):
        per_task = np.array([x[2] / task_scale(tab, x[0]) for x in c.cells if x[1] == j])
        out.append(Verdict(b, d, p, w, l_, rank_sign(per_task)))
    return out


def series(main: Table, big: Table | None, peer: str, equal_time: bool = False) -> list[Verdict]:
    """:func:`verdicts` at ``main``'s budgets, then at ``big``'s (a run of its own, tested alone)."""
    out = verdicts(main, peer, equal_time)
    if big is not None and peer in big.test:
        out += verdicts(big, peer, equal_time)
    return out


def _peq(p: float) -> str:
    """'p=0.035' or 'p<0.001'."""
    return f"p{'' if _p(p).startswith('<') else '='}{_p(p)}"


def _runs(vs: list[Verdict], n_tasks: int, where: str = "at {} candidates ") -> str:
    """One clause per run of budgets with the same verdict, in budget order; ``where`` names
    the budgets of a run (``{}``: them, joined)."""
    groups: list[list[Verdict]] = []
    for v in vs:
        if groups and groups[-1][0].word == v.word:
            groups[-1].append(v)
        else:
            groups.append([v])
    parts = []
    for g in groups:
        at = where.format(_and([v.budget for v in g]))
        sides = _and([f"{v.ahead}" for v in g]) + f" of the {n_tasks} tasks"
        if g[0].word == "level":
            size = _and([_sd(v.diff) for v in g])
            parts.append(f"{at}no difference is measurable (TPESearchCV's mean is the higher on {sides}; "
                         f"{size} task sd)")
        else:
            size = _and([_sd(v.diff) for v in g])
            parts.append(f"{at}its model is **{g[0].word}** (higher on {sides}; {size} task sd)")
    return "; ".join(parts)


def _unit(main: Table) -> str:
    """What one task sd is, in the metric of up to two tasks ('' for tasks of no known suite)."""
    scoring = {t.name: t.scoring for t in SUITES.get(main.suite, [])}
    named = [t for t in main.tasks if scoring.get(t) == "accuracy"][:1] + \
            [t for t in main.tasks if scoring.get(t) == "r2"][:1]
    return ", ".join(f"{task_scale(main, t):.3f} of {scoring[t]} on {t}" for t in named)


def _complete(fresh: Fresh | None) -> bool:
    """Whether round 10's run holds TPESearchCV and random search at every budget and task (its
    stated test needs only 20 and 40: see :func:`_stated_test`)."""
    return fresh is not None and bool(fresh.tab.tasks) and all(
        np.isfinite(fresh.tab.test[m][t]).all() for m in ("tpe", "random") for t in fresh.tab.tasks)


def _reached(reach: dict, budgets: list) -> str:
    """'by 10 on 2, by 20 on 5 and by 40 on 7 of the 10 tasks (never on a and b)': the
    cumulative count at each budget where it grows."""
    counts = [(b, sum(r is not None and r <= b for r in reach.values())) for b in budgets]
    grows = [(b, k) for i, (b, k) in enumerate(counts) if k > (counts[i - 1][1] if i else 0)]
    never = [t for t, r in reach.items() if r is None]
    return (_and([f"by {b} on {k}" for b, k in grows]) or "at no budget measured") + \
        f" of the {len(reach)} tasks" + (f" (never on {_and(never)})" if never else "")


def _stated_test(fresh: Fresh | None, budget: int, top: int) -> float | None:
    """The lower end of round 10's stated interval (TPESearchCV at ``budget`` against random
    search at ``top``), or None when that run does not test this pair."""
    if fresh is None or fresh.tab.budgets[-1] != top:
        return None
    return next((r.low for r in fresh.reach["tpe"] if r.budget == budget), None)


def _reach_tasks(main: Table, big: Table | None) -> tuple[dict, dict | None]:
    """Per task, the first budget from which TPESearchCV's mean test score stays at or above
    random search's at ``main``'s largest budget, and at ``big``'s (None without it)."""
    near = first_budget_reaching(main.budgets, {t: main.test["tpe"][t].mean(axis=0) for t in main.tasks},
                                 {t: main.test["random"][t][:, -1].mean() for t in main.tasks})
    far = reach_large(main, big) if big is not None and "random" in big.test else None
    return near, far


def _fewer_trials(main: Table, big: Table | None, fresh: Fresh | None) -> str:
    """How many candidates TPESearchCV needs for the test score of random search's model at
    a larger budget: task by task (no test), then pooled (a t-interval over the tasks) and
    against the margin round 10 stated before its run on fresh seeds."""
    top = main.budgets[-1]
    near, far = _reach_tasks(main, big)
    s = (f"- **In fewer trials**: task by task (means over the seeds, not tested), TPESearchCV's model "
         f"reaches the test score of random search's {top}-candidate model {_reached(near, main.budgets)}")
    if far is None:
        return s + "."
    b = big.budgets[0]
    reach = reach_of_report(main, big)
    s += f"; that of its {b}-candidate model {_reached(far, main.budgets + big.budgets)}"
    half = [r for r in reach["tpe"] if r.budget == b // 2]
    if not half:
        return s + "."
    h = half[0]
    own = next((r.reached for r in reach["random"] if r.budget == h.budget), -1)
    s += (f"; random search's own {h.budget}-candidate model reaches it on {own}" if own >= 0 else "") + "."
    where = ("ahead of" if h.low > 0 else "behind" if h.high < 0 else "not told apart from")
    s += (f" Pooled over the tasks, by a 95% t-interval over them (uncorrected), its model at {h.budget} "
          f"candidates is {where} random search's at {b} ({_sd(h.diff)} task sd, {h.low:+.3f} to "
          f"{h.high:+.3f}); that it is at most {FRESH_MARGIN} task sd behind it is "
          f"{'shown' if h.low > -FRESH_MARGIN else 'not shown'} on these seeds")
    low = _stated_test(fresh, h.budget, b)
    if low is None:
        return s + (", a margin not stated before these seeds were run."
                    if h.low > -FRESH_MARGIN else ": on these tasks the same model in half the trials is "
                    "**not demonstrated**.")
    s += (f"; on {len(fresh.tab.seeds)} fresh seeds, with the test stated before the run, it is "
          f"{'met' if fresh.met else 'not met'} (lower end {low:+.3f})")
    return s + (f": on these tasks the same model in half the trials is "
                f"**{'demonstrated' if fresh.met else 'not demonstrated'}**.")


def _worst(main: Table, again: dict | None, fresh: Fresh | None) -> str:
    """TPESearchCV's worst seed against random search's, beside random search run again."""
    n = len(main.tasks) * len(main.budgets)
    s = (f"- **Worst split**: TPESearchCV's worst of the {len(main.seeds)} train/test splits scores below "
         f"random search's worst in {len(worst_seed_below_random(main, main.test['tpe']))} of {n} "
         "(task, budget) cells")
    if again is None:
        return s + "."
    s += (f"; random search itself, run again with other random draws on the same splits, in "
          f"{len(worst_seed_below_random(main, again))} of {n}")
    if _complete(fresh) and fresh.again is not None:
        m = len(fresh.tab.tasks) * len(fresh.tab.budgets)
        s += (f" (on {len(fresh.tab.seeds)} other seeds: {len(worst_seed_below_random(fresh.tab, fresh.tab.test['tpe']))}"
              f" and {len(worst_seed_below_random(fresh.tab, fresh.again))} of {m})")
    return s + ". Random search's own count is one draw of what chance gives a search exactly as good as it."


def optimism_at(tab: Table) -> dict[str, float]:
    """Each search's mean optimism (``best_score_`` minus the test score) at ``tab``'s largest
    budget, in task sd, averaged over the tasks; searches with no recorded CV score left out."""
    return optimism(tab, [m for m in ("tpe", "random", "optuna") if m in tab.test and tab.cv.get(m)])


def _optimism(main: Table, big: Table | None) -> str | None:
    """How far each search's ``best_score_`` overstates its model's test score (untested), at
    ``main``'s largest budget and ``big``'s; None where no best CV score was recorded."""
    parts = []
    for tab in [main] + ([big] if big is not None else []):
        opt = optimism_at(tab)
        if not opt:
            continue
        parts.append(f"at {tab.budgets[-1]} candidates " + ", ".join(
            f"{'TPESearchCV' if m == 'tpe' else 'random search' if m == 'random' else 'Optuna'} "
            f"{_sd(opt[m])}" for m in opt))
    if not parts:
        return None
    return ("- **Optimism** (`best_score_` minus the test score of the same model, mean over the tasks in "
            "task sd; not tested): " + "; ".join(parts) + ". The larger it is, the more the search's own "
            "best CV score overstates what its model scores on new data.")


def _against_defaults(main: Table, big: Table | None, smallest: bool = False) -> Table | None:
    """TPESearchCV and the estimator's defaults at the largest budget run (with ``smallest``,
    at ``main``'s smallest), as a one-budget table in ``main``'s task units (the defaults do
    not depend on the budget)."""
    if "default" not in main.test:
        return None
    tab, j = (main, 0) if smallest else (big, 0) if big is not None else (main, -1)
    return versus_defaults(main, tab, j)


def versus_defaults(main: Table, tab: Table, j: int) -> Table:
    """TPESearchCV at budget ``j`` of ``tab`` (``main`` or a run of another budget on its seeds)
    and ``main``'s estimator defaults, as a one-budget table in ``main``'s task units."""
    return replace(main, budgets=[tab.budgets[j]],
                   test={"tpe": {t: tab.test["tpe"][t][:, [j]] for t in main.tasks},
                         "default": {t: main.test["default"][t][:, :1] for t in main.tasks}},
                   cv={}, seconds={}, trials={}, scale={t: task_scale(main, t) for t in main.tasks})


def defaults_cells(tab: Table) -> tuple[list, list[str], list[str], list[str]]:
    """The per-task tests of a :func:`versus_defaults` table (Wilcoxon over the seeds, Holm over
    the tasks): its cells, the tasks where TPESearchCV is significantly better, worse, and those
    where its mean is below the defaults' (tested or not)."""
    cells = compare(tab, "tpe", "default").cells
    return (cells, [x[0] for x in cells if x[4] < ALPHA and x[7] > 0],
            [x[0] for x in cells if x[4] < ALPHA and x[7] < 0],
            [x[0] for x in cells if np.round(x[2], 12) < 0])


def _defaults(main: Table, big: Table | None) -> str | None:
    """Where TPESearchCV's model beats the estimator with its default settings, and where not:
    per task, a paired Wilcoxon test over the seeds, Holm over the tasks."""
    parts = []
    for smallest in (False, True):
        tab = _against_defaults(main, big, smallest)
        if tab is None:
            return None
        cells, better, worse, under = defaults_cells(tab)
        below = [(x[0], -x[2] / task_scale(tab, x[0])) for x in cells if x[0] in under]
        parts.append(f"at {tab.budgets[0]} candidates TPESearchCV's model is better on {len(better)} of the "
                     f"{len(cells)} tasks and worse on {len(worse)}" + (f" ({_and(worse)})" if worse else "")
                     + (f", its mean below the defaults' on {_and([t for t, _ in below])} (by "
                        f"{_and([f'{g:.2f}' for _, g in below])} task sd)" if below else ""))
    return ("- **Against the estimator's own default settings** (no search; paired Wilcoxon test over "
            f"the {len(main.seeds)} splits of each task, Holm over the tasks): " + "; ".join(parts) + ".")


def _in_short(same: list[Verdict], fresh_same: list[Verdict],
              more: tuple[str, list[Verdict]] | None = None) -> str | None:
    """What follows for a user, said only for a gain at the smaller budgets and none measurable
    at the larger ones; a verdict of round 10's seeds (``fresh_same``) or of ``more`` (what it
    is, its verdicts) at those larger budgets that is not level is said beside it, and so is a
    verdict of ``more`` at the smaller budgets that does not confirm the gain (said first)."""
    gains = [v for v in same if v.word == "better"]
    if not 0 < len(gains) < len(same) or [v.word for v in same] != (
            ["better"] * len(gains) + ["level"] * (len(same) - len(gains))):
        return None
    rest = same[len(gains):]
    later = [f"{v.word} at {v.budget}" for v in fresh_same if v.word != "level" and v.budget >= rest[0].budget]
    other = [f"{v.word} at {v.budget}" for v in (more[1] if more else [])
             if v.word != "level" and v.budget >= rest[0].budget]
    faded = [v for v in (more[1] if more else []) if v.budget in {g.budget for g in gains} and v.word != "better"]
    untried = [v.budget for v in gains if fresh_same and v.budget not in {f.budget for f in fresh_same}]
    if faded:  # the pooled run does not confirm the gain: said first
        return (f"- **In short**: from {rest[0].budget} candidates on, no test separates TPESearchCV's model "
                f"from random search's (mean differences {_and([_sd(v.diff) for v in rest])} task sd on these "
                "tasks), and none shows them equivalent"
                + (f" (on the other seeds its model is {_and(later)} candidates)" if later else "")
                + (f"; {more[0]}, its model is {_and(other)} candidates" if other else "")
                + f". At {_and([v.budget for v in gains])} candidates its model is better on these tasks ("
                + _and([_sd(v.diff) for v in gains]) + " task sd"
                + (f"; the run on other seeds did not measure {_and(untried)}" if untried else "")
                + f"), but {more[0]} that gain is not confirmed ("
                + _and([f"its model is {v.word} at {v.budget}" if v.word != "level" else
                        f"no difference is measurable at {v.budget}: {_sd(v.diff)} task sd, Holm {_peq(v.p_holm)}"
                        for v in faded]) + ").")
    head = (f"TPESearchCV's gain on unseen data shows where few fits are affordable (here, at "
            f"{_and([v.budget for v in gains])} candidates"
            + (", the smallest budget measured" if gains[0].budget == same[0].budget and len(gains) == 1 else "")
            + (f"; the run on other seeds did not measure {_and(untried)}" if untried else "") + ")")
    return (f"- **In short**: {head}. From {rest[0].budget} candidates on, its mean differences from random "
            f"search are {_and([_sd(v.diff) for v in rest])} task sd, and no difference survives the tests"
            + (f" of these seeds (on the other seeds its model is {_and(later)} candidates)" if later else "")
            + (f"; {more[0]}, its model is {_and(other)} candidates" if other else "")
            + ".")


def lead(main: Table, big: Table | None, fresh: Fresh | None, again: dict | None,
         more: tuple[str, list[Verdict], str] | None = None, chance: str | None = None,
         confirm: str | None = None, half: str | None = None, moon: str | None = None) -> list[str]:
    """The plain-words lead: Markdown lines for the top of the README and the benchmark page.

    ``main``: the report suite at its budgets; ``big``: its run at the large budget (or None);
    ``fresh``: round 10's run on fresh seeds (or None); ``again``: random search run again with
    other draws on ``main``'s splits and folds, ``[task]`` -> (seeds, budgets) (or None);
    ``more``: a further run pooled with ``main`` (``heldout_real.py``): what the pooling is,
    its verdicts against random search, and its bullet, said after the same-candidates one;
    ``chance``: the bullet on searches ending at chance level (``chance.sentence``), said after
    the worst split; ``confirm``: the bullet on the run stated to decide "half the trials"
    (``heldout_confirm.bullet``), said after the fewer-trials one; ``half``: round 24's bullet on
    80 fresh tasks (``half_fresh.bullet``), said after it; ``moon``: round 25's bullet on the same
    tasks at 80 candidates against random search and Optuna (``moon_fresh.bullet``), after that.
    """
    n = len(main.tasks)
    unit = _unit(main)
    L = [f"In plain words ({n} tasks on small data sets, real and synthetic, {len(main.seeds)} train/test "
         "splits of each; other data sets than those sktpe's defaults were chosen on, mostly with the same "
         "estimator families; TPESearchCV's rows at sktpe source "
         f"{source_words(main)}" + (f", the other seeds' at {fresh.tab.sktpe}" if _complete(fresh) else "")
         + ". A "
         f"difference counts where a paired Wilcoxon test over the {n} tasks finds it, p < {ALPHA} after "
         "Holm's correction over the budgets of one run"
         + (f" (the run at {big.budgets[0]} candidates is tested on its own)" if big is not None else "")
         + ". Sizes are in task sd, the spread of random search's test scores on a task over its seeds "
         "and budgets" + (f": {unit}" if unit else "") + ". Every bullet is on these tasks unless it names "
         "another run):", ""]
    same = series(main, big, "random")
    fresh_same = verdicts(fresh.tab, "random") if _complete(fresh) else []
    short = _in_short(same, fresh_same, more[:2] if more else None)
    if short:
        L.append(short)
    L.append("- **Against random search with the same number of candidates**: " + _runs(same, n)
             + (f". On {len(fresh.tab.seeds)} other seeds (a later run, in its own task sd, from 20 candidates): "
                + _runs(fresh_same, n) if fresh_same else "") + ".")
    if more:
        L.append(more[2])
    if main.seconds.get("tpe") and main.trials.get("random"):
        L.append("- **Against random search with the same computer time** (random search's best model "
                 "found within the CPU time TPESearchCV took): "
                 + _runs(series(main, big, "random", equal_time=True), n, "in the time of {} candidates ")
                 + ".")
    L.append(_fewer_trials(main, big, fresh))
    if confirm:
        L.append(confirm)
    if half:
        L.append(half)
    if moon:
        L.append(moon)
    if "optuna" in main.test:
        L.append("- **Against Optuna's TPE with the same number of candidates** (its first 10 candidates "
                 "are random draws, so up to 10 it is a random search with other draws): "
                 + _runs(series(main, big, "optuna"), n) + ".")
    if "halving" in main.test:
        L.append("- **Against HalvingRandomSearchCV with the same number of candidates** (it fits most "
                 "of them on subsets of the data, so it is designed to cost less; its time was not measured "
                 "beside the "
                 "others'): " + _runs(series(main, big, "halving"), n) + ".")
    optimism = _optimism(main, big)
    if optimism:
        L.append(optimism)
    L.append(_worst(main, again, fresh))
    if chance:
        L.append(chance)
    defaults = _defaults(main, big)
    if defaults:
        L.append(defaults)
    return L


def lead_tests(main: Table, big: Table | None, fresh: Fresh | None) -> list[str]:
    """The tests the lead reads that ``heldout_report.py`` does not print: Markdown bullets."""
    L = []
    if _complete(fresh):
        vs = verdicts(fresh.tab, "random")
        L.append(f"- Round 10's {len(fresh.tab.seeds)} fresh seeds, against random search at the same "
                 f"budget (Wilcoxon over the tasks, Holm over {_and(fresh.tab.budgets)}): "
                 + "; ".join(f"at {v.budget} {_sd(v.diff)} (Holm {_peq(v.p_holm)}, ahead on {v.ahead}, "
                             f"behind on {v.behind})" for v in vs) + ".")
    if main.seconds.get("tpe") and main.trials.get("random"):
        vs = series(main, big, "random", equal_time=True)
        L.append("- At equal CPU time against random search, as the plain-words lead reads it (Wilcoxon over "
                 "the tasks, Holm over the budgets of one run): "
                 + "; ".join(f"in the time of {v.budget} {_sd(v.diff)} (Holm {_peq(v.p_holm)}, ahead on "
                             f"{v.ahead}, behind on {v.behind})" for v in vs) + ".")
    near, far = _reach_tasks(main, big)
    for target, reach in ((main.budgets[-1], near), (big.budgets[0] if big is not None else 0, far)):
        if reach is not None:
            L.append(f"- Per task, the first budget from which TPESearchCV's mean test score stays at or above "
                     f"random search's {target}-candidate model (not tested): "
                     + "; ".join(f"{t} {r if r is not None else 'never'}" for t, r in reach.items()) + ".")
    for smallest in (True, False):
        tab = _against_defaults(main, big, smallest)
        if tab is not None:
            cells = compare(tab, "tpe", "default").cells
            L.append(f"- Against the estimator's default settings, TPESearchCV at {tab.budgets[0]} candidates, "
                     f"per task (paired Wilcoxon over the {len(tab.seeds)} seeds, Holm over the tasks): "
                     + "; ".join(f"{x[0]} {_sd(x[2] / task_scale(tab, x[0]))} (Holm {_peq(x[4])})"
                                 for x in cells) + ".")
    return L
