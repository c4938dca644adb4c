"""The plain-words lead of the README and the benchmark page: what the held-out benchmark says
to a user choosing a search, in a few sentences, each read from the tests that
``heldout_report.py`` prints in full further down the page.

Every sentence is generated from the stored runs and changes its words with them: a
difference is called a difference only where the test the detailed figures give finds it
(a paired Wilcoxon test over the tasks, the tasks the units, Holm-corrected over the
budgets; p < ``ALPHA``); elsewhere the sentence says that none is measurable, with the
count of tasks on each side so that a reader sees the direction.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from heldout_report import (  # noqa: E402
    ALPHA,
    FRESH_MARGIN,
    LABEL,
    Fresh,
    Table,
    compare,
    first_budget_reaching,
    median_budget,
    reach_large,
    reach_of_report,
    task_scale,
    worst_seed_below_random,
)
from heldout_tasks import SUITES  # noqa: E402


@dataclass(frozen=True)
class Verdict:
    """TPESearchCV against one peer at one budget, pooled over the tasks."""

    budget: int
    diff: float  # mean over tasks of the mean difference, in task sd
    p_holm: float
    ahead: int  # tasks where TPESearchCV's mean is higher
    behind: int

    @property
    def word(self) -> str:
        """'better', 'worse' or 'level' (no difference measurable)."""
        if self.p_holm < ALPHA:
            return "better" if self.diff > 0 else "worse"
        return "level"


def verdicts(main: Table, big: Table | None, peer: str, equal_time: bool = False) -> list[Verdict]:
    """TPESearchCV against ``peer`` at each budget of ``main`` (Holm over those budgets), then
    at ``big``'s budget (a run of its own, tested alone). With ``equal_time``, the peer is read
    at TPESearchCV's CPU time for each budget (its best model found within that time)."""
    c = compare(main, "tpe", peer, equal_time=equal_time)
    out = [Verdict(b, d, p, w, l_) for b, (d, p, w, l_) in zip(main.budgets, c.pooled)]
    if big is not None and peer in big.test:
        d, p, w, l_ = compare(big, "tpe", peer, equal_time=equal_time).pooled[0]
        out.append(Verdict(big.budgets[0], d, p, w, l_))
    return out


def _sd(x: float) -> str:
    """A difference in task sd to two decimals, signed, with no sign on a zero."""
    s = f"{x:+.2f}"
    return s[1:] if s[1:] == "0.00" else s


def _and(xs: list) -> str:
    xs = [str(x) for x in xs]
    return xs[0] if len(xs) == 1 else ", ".join(xs[:-1]) + " and " + xs[-1]


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
            size = _and([f"{abs(v.diff):.2f}" for v in g])
            parts.append(f"{at}its model is **{g[0].word}** (higher on {sides}; by {size} task sd)")
    return "; ".join(parts)


def _unit(main: Table) -> str:
    """What one task sd is, in the metric of up to two tasks ('' for tasks of no known suite)."""
    scoring = {t.name: t.scoring for t in SUITES.get(main.suite, [])}
    named = [t for t in main.tasks if scoring.get(t) == "accuracy"][:1] + \
            [t for t in main.tasks if scoring.get(t) == "r2"][:1]
    return ", ".join(f"{task_scale(main, t):.3f} of {scoring[t]} on {t}" for t in named)


def _fewer_trials(main: Table, big: Table | None, fresh: Fresh | None) -> str:
    """How many candidates TPESearchCV needs for random search's model at a larger budget."""
    top = main.budgets[-1]
    reach = first_budget_reaching(main.budgets, {t: main.test["tpe"][t].mean(axis=0) for t in main.tasks},
                                  {t: main.test["random"][t][:, -1].mean() for t in main.tasks})
    s = (f"- **In fewer trials**: on the median task, TPESearchCV's model reaches the test score of "
         f"random search's {top}-candidate model by {median_budget(reach, top)}")
    if big is None:
        return s + "."
    b = big.budgets[0]
    far = reach_large(main, big)
    s += (f", and that of its {b}-candidate model by {median_budget(far, b)} (by {b // 2} on "
          f"{sum(x is not None and x <= b // 2 for x in far.values())} of the {len(far)} tasks). Pooled "
          "over the tasks, ")
    half = next(r for r in reach_of_report(main, big)["tpe"] if r.budget == b // 2)
    if half.low > 0:
        s += f"at {b // 2} candidates its model is measurably better than random search's at {b}"
    elif half.high < 0:
        s += f"at {b // 2} candidates its model is measurably behind random search's at {b}"
    else:
        s += (f"at {b // 2} candidates its model cannot be told apart from random search's at {b} "
              f"({_sd(half.diff)} task sd, 95% interval {_sd(half.low)} to {_sd(half.high)})")
    shown = half.low > -FRESH_MARGIN
    if fresh is not None:
        shown = shown and fresh.met
        again = f"on these seeds{' and' if shown else ' nor'} on {len(fresh.tab.seeds)} fresh ones"
    else:
        again = "on these seeds"
    return s + (f", but that it is within {FRESH_MARGIN} task sd of it is "
                + ("shown " if shown else "not shown, ") + again
                + (": the same model in half the trials is **not demonstrated**." if not shown else "."))


def _worst(main: Table, again: dict | None) -> str | None:
    """TPESearchCV's worst seed against random search's, beside what chance alone gives."""
    n = len(main.tasks) * len(main.budgets)
    ours = len(worst_seed_below_random(main, main.test["tpe"]))
    s = (f"- **Bad luck**: TPESearchCV's worst train/test split scores below random search's worst in "
         f"{ours} of {n} (task, budget) cells")
    if again is None:
        return s + "."
    chance = len(worst_seed_below_random(main, again))
    verdict = ("no more often than chance gives" if ours <= chance else
               "more often than chance gave here")
    return (s + f"; random search itself, run again with other random draws, does so in {chance}: "
            f"{verdict}.")


def _defaults_win(main: Table, big: Table | None) -> str | None:
    """Tasks where the estimator's default settings score higher than TPESearchCV's model at
    its largest budget: where searching did not pay."""
    if "default" not in main.test:
        return None
    top, tab = (big.budgets[0], big) if big is not None else (main.budgets[-1], main)
    won, also = [], []
    for t in main.tasks:
        dflt = main.test["default"][t][:, 0].mean()
        if dflt >= tab.test["tpe"][t][:, -1].mean():
            won.append(t)
            if dflt >= tab.test["random"][t][:, -1].mean():
                also.append(t)
    if not won:
        return None
    return (f"- **Where searching did not pay**: on {_and(won)} the estimator with its default "
            f"settings scores higher on unseen data, on average, than TPESearchCV's model after {top} "
            "candidates" + (f" (on {_and(also)}, than random search's too)" if also else "")
            + ": there the choice by cross-validation score did not carry over to unseen data.")


def lead(main: Table, big: Table | None, fresh: Fresh | None, again: dict | None) -> list[str]:
    """The plain-words lead: Markdown lines for the top of the README and the benchmark page.

    ``main``: the report suite at its budgets; ``big``: its run at the large budget (or None);
    ``fresh``: round 10's run on fresh seeds (or None); ``again``: random search run again with
    other draws on ``main``'s splits and folds, ``[task]`` -> (seeds, budgets) (or None).
    """
    n = len(main.tasks)
    L = [f"In plain words ({n} real tasks that were never used to choose sktpe's defaults, "
         f"{len(main.seeds)} train/test splits of each; a difference counts where a paired test "
         f"over the {n} tasks finds it, p < {ALPHA} after correcting for the number of budgets; "
         "sizes are in task sd, the seed-to-seed spread of random search's test score on a task"
         + (f": {unit}" if (unit := _unit(main)) else "") + "):", ""]
    again_seeds = ""
    if fresh is not None and all(np.isfinite(fresh.tab.test["tpe"][t]).all() for t in fresh.tab.tasks):
        again_seeds = (f". On {len(fresh.tab.seeds)} other seeds (a later run of its own): "
                       + _runs(verdicts(fresh.tab, None, "random"), n))
    L.append("- **Against random search with the same number of candidates**: "
             + _runs(verdicts(main, big, "random"), n) + again_seeds + ".")
    if main.seconds.get("tpe") and main.trials.get("random"):
        L.append("- **Against random search with the same computer time** (random search's best model "
                 "found within the CPU time TPESearchCV took): "
                 + _runs(verdicts(main, big, "random", equal_time=True), n, "in the time of {} candidates ")
                 + ".")
    L.append(_fewer_trials(main, big, fresh))
    if "optuna" in main.test:
        L.append("- **Against Optuna's TPE**: " + _runs(verdicts(main, big, "optuna"), n) + ".")
    if "halving" in main.test:
        L.append("- **Against HalvingRandomSearchCV**: " + _runs(verdicts(main, big, "halving"), n) + ".")
    for line in (_worst(main, again), _defaults_win(main, big)):
        if line:
            L.append(line)
    same = verdicts(main, big, "random")
    gains = [v.budget for v in same if v.word == "better"]
    # said only for a gain at the smaller budgets and none measurable at the larger ones
    if 0 < len(gains) < len(same) and [v.word for v in same] == (
            ["better"] * len(gains) + ["level"] * (len(same) - len(gains))):
        L.append(f"- **So**: TPESearchCV pays where few fits are affordable (here, up to {gains[-1]} "
                 f"candidates). From {same[len(gains)].budget} candidates on, on tasks like these, expect "
                 "a model about as good as random search's: any further gain is too small for these "
                 "runs to measure.")
    return L
