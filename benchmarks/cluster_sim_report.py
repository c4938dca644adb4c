"""Write ``docs/cluster_sim.md`` and ``docs/_static/cluster_sim.png`` from ``benchmarks/results/cluster_sim.json``,
and a summary into ``docs/guide/scaling.md`` between its ``cluster-sim`` markers.

Nothing is simulated here: every number comes from the cached runs of
``cluster_sim.py``.

    python benchmarks/cluster_sim_report.py [--json FILE] [--out docs/cluster_sim.md]
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import wilcoxon

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from cluster_problems import PROBLEMS  # noqa: E402
from provenance import describe  # noqa: E402

if TYPE_CHECKING:  # cluster_sim_confirm imports this module
    from cluster_sim_confirm import Paired

LABEL = {"sktpe-async": "sktpe async", "sktpe-waves": "sktpe waves", "random": "random search",
         "optuna": "Optuna TPE (constant liar)"}
COLOR = {"sktpe-async": "C3", "sktpe-waves": "C0", "random": "C7", "optuna": "C2"}
PEERS = ("sktpe-waves", "optuna", "random")
ALPHA = 0.05
COMMAND = ("PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim.py --seeds 20\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_extra.py --seeds 10\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_equal_time.py --seeds 20\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/pending_check.py > "
           "benchmarks/results/pending_check.txt\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_confirm.py\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_fold_effect.py\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_many_seeds.py\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_many_seeds.py --at-256 200-299\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_many_seeds.py --at-256 300-399\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_many_seeds.py --refresh-async --tag v9\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_many_seeds.py --refresh-256 --tag v9 "
           "--reuse benchmarks/results/cluster_sim_pending_256.json\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_many_seeds.py --redo-problem conditional "
           "--tag v10\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_forget.py --seeds 200-299\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_forget.py --seeds 300-399 --workers 256\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_forget.py --redo-problem conditional "
           "--tag v10 --seeds 200-399 --workers 256 64\n"
           "PYTHONPATH=. .venv/bin/python benchmarks/cluster_sim_report.py")

Runs = dict[tuple[str, str, int], dict[int, dict]]  # (method, problem, W) -> seed -> run


# -- reading runs ----------------------------------------------------------------------

def _saved(name: str) -> dict | None:
    """A results file of ``benchmarks/results`` read, or None if it was never written."""
    path = os.path.join(HERE, "results", name)
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        return json.load(fh)

def _forget_rows() -> list[dict]:
    """``cluster_sim_forget.py``'s rows (none if it has not run)."""
    from cluster_sim_forget import load  # it imports this module

    return load()


def _seed_ranges(rows: list[dict]) -> str:
    """The seeds of ``rows`` per worker count, as text ("200-399 at 64 and 256 workers",
    "200-399 at 64 workers, 200-371 at 256 workers")."""
    spans: dict[str, list[int]] = {}
    for w in sorted({r["workers"] for r in rows}):
        seeds = sorted({r["seed"] for r in rows if r["workers"] == w})
        span = f"{seeds[0]}-{seeds[-1]}" if len(seeds) == seeds[-1] - seeds[0] + 1 else \
            f"{len(seeds)} seeds from {seeds[0]} to {seeds[-1]}"
        spans.setdefault(span, []).append(w)
    return ", ".join(f"{span} at {', '.join(map(str, ws[:-1])) + ' and ' if len(ws) > 1 else ''}"
                     f"{ws[-1]} workers" for span, ws in spans.items())


def shipped_rows() -> list[dict]:
    """The shipped design at the waves' time T on seeds 200-399 (empty if not run).

    One row per (problem, W, seed) with ``async`` and ``waves`` (regret at the time T
    the waves of that seed took for their budget) and, at 64 workers, ``async per
    candidate`` and ``optuna per candidate``. 16 workers: ``cluster_sim_many_seeds.json``,
    whose runs are the shipped design there (about 4 candidates pending, so forgetting,
    which acts from 8, never does: with it on and off, 12 of 12 report-seed runs and 60 of
    60 runs of seeds 200-209 came out the same, stop 46). 64 and 256
    workers: ``cluster_sim_forget.py``'s current-default columns, whole seeds only.
    """
    data = _saved("cluster_sim_many_seeds.json")
    forget = _forget_rows()
    if data is None or not forget:
        return []
    rows = [{k: r[k] for k in ("problem", "workers", "seed", "async", "waves")}
            for r in data["runs"] if r["workers"] == 16]
    for r in forget:
        row = {"problem": r["problem"], "workers": r["workers"], "seed": r["seed"],
               "async": r["forget"], "waves": r["waves"]}
        if "forget per candidate" in r:
            row["async per candidate"] = r["forget per candidate"]
            row["optuna per candidate"] = r["optuna per candidate"]
        rows.append(row)
    return rows


def index(runs: list[dict]) -> Runs:
    """Runs by (method, problem, W), then by seed."""
    out: Runs = defaultdict(dict)
    for r in runs:
        out[r["method"], r["problem"], r["workers"]][r["seed"]] = r
    return out


def best_at(run: dict, t: float) -> float:
    """Best true value settled by virtual time ``t`` (the first result if none yet)."""
    steps = run["steps"]
    times = [s[0] for s in steps]
    i = int(np.searchsorted(times, t, side="right")) - 1
    return steps[max(i, 0)][1]


def regret_at(run: dict, t: float) -> float:
    """Simple regret (known optimum minus best true value) at virtual time ``t``."""
    return PROBLEMS[run["problem"]].optimum - best_at(run, t)


def final_regret(run: dict) -> float:
    """Simple regret at the end of the run's budget."""
    return PROBLEMS[run["problem"]].optimum - run["steps"][-1][1]


def time_to(run: dict, target: float) -> float:
    """First virtual time the best true value reaches ``target`` (inf if never)."""
    return next((t for t, v in run["steps"] if v >= target), math.inf)


def horizon(runs: Runs, problem: str, w: int, method: str = "sktpe-waves") -> float:
    """T: the median virtual time sktpe waves (or ``method``) needs to finish its budget."""
    return float(np.median([r["wall"] for r in runs[method, problem, w].values()]))


# -- statistics ------------------------------------------------------------------------
def paired_p(a: list[float], b: list[float]) -> float:
    """Two-sided Wilcoxon signed-rank p of paired samples (1.0 if they never differ)."""
    d = np.asarray(a) - np.asarray(b)
    if not np.any(d != 0):
        return 1.0
    return float(wilcoxon(a, b, zero_method="wilcox").pvalue)


def holm(ps: list[float]) -> list[float]:
    """Holm-adjusted p values, in the input order."""
    order = np.argsort(ps)
    adj, running = [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        adj[i] = running
    return adj


def lower_regret(p_holm: float, mean_diff: float, better: int, worse: int, a: str, b: str
                 ) -> str | None:
    """Which of ``a`` and ``b`` has the lower regret in one cell: None if the Holm-adjusted p is
    not below ``ALPHA``; 'split: ...' when the mean (``mean_diff``, a minus b) and most seeds
    (``better`` / ``worse``: seeds where a is lower / higher) disagree, a few seeds far behind
    carrying the mean; else the name of the lower one."""
    if p_holm >= ALPHA:
        return None
    by_mean, by_seeds = (a if mean_diff < 0 else b), (a if better > worse else b)
    if by_mean != by_seeds:
        return f"split: {by_seeds} on most seeds, {by_mean} by the mean"
    return by_mean


def verdicts(cells: list[Paired], a: str, b: str) -> list[str | None]:
    """``lower_regret`` of each cell of a ``cluster_sim_confirm.compare`` of ``a`` with ``b``."""
    return [lower_regret(c.p_holm, c.mean_a - c.mean_b, c.better, c.worse, a, b) for c in cells]

def fmt(x: float, digits: int = 3) -> str:
    """A number in few characters (inf as '∞')."""
    if math.isinf(x):
        return "∞"
    if x == 0:
        return "0"
    if abs(x) >= 100 or abs(x) < 1e-3:
        return f"{x:.2e}"
    return f"{x:.{digits}g}"


# -- the report ------------------------------------------------------------------------
class Report:
    """Every table of the page, from one cache."""

    def __init__(self, cache: dict, extra: dict | None = None) -> None:
        self.cache, self.extra = cache, extra
        self.runs = index(cache["runs"])
        self.problems = [p for p in PROBLEMS if any(k[1] == p for k in self.runs)]
        self.workers = sorted({k[2] for k in self.runs})
        self.seeds = sorted({r["seed"] for r in cache["runs"]})
        self.shipped = shipped_rows()

    @functools.cached_property
    def shipped_cells(self) -> list[Paired]:
        """The shipped design against the waves at T, per (problem, W) cell (Holm over the
        cells; [] if it has not run): the targets and the guide's summary both read it."""
        from cluster_sim_confirm import compare

        return compare(self.shipped, "async", "waves") if self.shipped else []

    @functools.cached_property
    def shipped_optuna_cells(self) -> list[Paired]:
        """The shipped design against Optuna per candidate at 64 workers, per problem (Holm
        over the problems; [] if it has not run)."""
        from cluster_sim_confirm import compare

        per = [r for r in self.shipped if "async per candidate" in r]
        return compare(per, "async per candidate", "optuna per candidate") if per else []

    def seeds_of(self, method: str, problem: str, w: int) -> dict[int, dict]:
        """The runs of one cell, by seed ({} if the method did not run there)."""
        return self.runs.get((method, problem, w), {})

    def regrets(self, method: str, problem: str, w: int, at: str = "T") -> dict[int, float]:
        """Regret per seed at T ('T'), at Ta ('Ta') or at the end of the budget ('end')."""
        t = horizon(self.runs, problem, w, "sktpe-async" if at == "Ta" else "sktpe-waves")
        return {s: final_regret(r) if at == "end" else regret_at(r, t)
                for s, r in self.seeds_of(method, problem, w).items()}

    def compare(self, peer: str, problem: str, w: int, at: str = "T") -> dict | None:
        """Paired comparison of sktpe async with ``peer`` in one cell (None if either is missing)."""
        a, b = self.regrets("sktpe-async", problem, w, at), self.regrets(peer, problem, w, at)
        seeds = sorted(set(a) & set(b))
        if len(seeds) < 2 or (peer == "sktpe-waves" and w == 1):  # one policy at W=1
            return None
        ra, rb = [a[s] for s in seeds], [b[s] for s in seeds]
        d = np.subtract(ra, rb)
        return {"problem": problem, "w": w, "n": len(seeds), "mean_a": float(np.mean(ra)),
                "mean_b": float(np.mean(rb)), "median_diff": float(np.median(d)),
                "wins": int((d < 0).sum()), "losses": int((d > 0).sum()), "p": paired_p(ra, rb),
                "spread": float(np.std(np.concatenate([ra, rb]), ddof=1)) or 1.0,
                "mean_diff": float(d.mean())}

    def family(self, peer: str, at: str = "T") -> list[dict]:
        """Every cell of one comparison, with Holm-adjusted p and a verdict."""
        rows = [c for p in self.problems for w in self.workers
                if (c := self.compare(peer, p, w, at)) is not None]
        for c, adj in zip(rows, holm([c["p"] for c in rows])):
            c["p_holm"] = adj
            won = lower_regret(adj, c["mean_diff"], c["wins"], c["losses"], "sktpe async",
                               LABEL[peer])
            c["verdict"] = ("no significant difference" if won is None
                            else won if won.startswith("split") else f"**{won}**")
        return rows

    def pooled(self, peer: str, w: int, at: str = "T") -> dict | None:
        """Per-problem mean regret difference / the problem's regret spread, Wilcoxon over problems."""
        cells = [c for p in self.problems if (c := self.compare(peer, p, w, at)) is not None]
        if len(cells) < 2:
            return None
        z = [c["mean_diff"] / c["spread"] for c in cells]
        return {"w": w, "n": len(z), "mean_z": float(np.mean(z)),
                "better": sum(x < 0 for x in z), "worse": sum(x > 0 for x in z),
                "p": paired_p(z, [0.0] * len(z))}

    def utilisation(self, method: str, problem: str, w: int) -> list[float]:
        """Utilisation of each seed's run."""
        return [r["utilisation"] for r in self.seeds_of(method, problem, w).values()]

    def time_to_random_best(self, method: str, problem: str, w: int) -> tuple[float, int, int]:
        """Median over seeds of the time to reach that seed's random-search final best; (median, reached, n)."""
        rand = self.seeds_of("random", problem, w)
        runs = self.seeds_of(method, problem, w)
        ts = [time_to(r, rand[s]["steps"][-1][1]) for s, r in runs.items() if s in rand]
        if not ts:
            return math.nan, 0, 0
        return float(np.median(ts)), sum(math.isfinite(t) for t in ts), len(ts)

    # -- markdown --------------------------------------------------------------------
    def problem_table(self, problem: str) -> list[str]:
        """One problem: every (W, method) cell's medians."""
        lines = [
            f"### {problem}",
            "",
            "| W | T, Ta (s) | method | regret at T | regret at Ta | regret at end "
            "| time to random's best (s) | utilisation median [min, max] | wall (s) |",
            "| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |",
        ]
        for w in self.workers:
            t = horizon(self.runs, problem, w)
            ta = horizon(self.runs, problem, w, "sktpe-async")
            for m in LABEL:
                runs = self.seeds_of(m, problem, w)
                if not runs:
                    continue
                at_t = np.median(list(self.regrets(m, problem, w, "T").values()))
                at_ta = np.median(list(self.regrets(m, problem, w, "Ta").values()))
                end = np.median(list(self.regrets(m, problem, w, "end").values()))
                ttr, reached, n = self.time_to_random_best(m, problem, w)
                util = self.utilisation(m, problem, w)
                wall = np.median([r["wall"] for r in runs.values()])
                name = f"**{LABEL[m]}**" if m == "sktpe-async" else LABEL[m]
                lines.append(
                    f"| {w} | {t:.2f}, {ta:.2f} | {name} | {fmt(at_t)} | {fmt(at_ta)} | {fmt(end)} | "
                    f"{fmt(ttr)} ({reached}/{n}) | {np.median(util):.1%} "
                    f"[{min(util):.0%}, {max(util):.0%}] | {wall:.2f} |"
                )
        return lines + [""]

    def family_table(self, peer: str, at: str = "T") -> list[str]:
        """The paired tests of sktpe async against ``peer``."""
        lines = [
            f"| problem | W | mean regret async | mean regret {LABEL[peer]} | async better/worse "
            "(seeds) | p | p (Holm) | lower regret |",
            "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |",
        ]
        for c in self.family(peer, at):
            lines.append(
                f"| {c['problem']} | {c['w']} | {fmt(c['mean_a'])} | {fmt(c['mean_b'])} | "
                f"{c['wins']}/{c['losses']} | {c['p']:.2g} | {c['p_holm']:.2g} | {c['verdict']} |"
            )
        return lines + [""]

    def pooled_table(self, at: str = "T") -> list[str]:
        """Pooled tests over problems, per comparison and W."""
        lines = [
            "| comparison | W | problems | mean normalised difference | async better/worse "
            "(problems) | p (Wilcoxon over problems) |",
            "| --- | ---: | ---: | ---: | --- | ---: |",
        ]
        for peer in PEERS:
            for w in self.workers:
                if (c := self.pooled(peer, w, at)) is None:
                    continue
                lines.append(f"| async vs {LABEL[peer]} | {w} | {c['n']} | {c['mean_z']:+.2f} | "
                             f"{c['better']}/{c['worse']} | {c['p']:.3g} |")
        return lines + [""]

    def equal_time_table(self) -> list[str]:
        """``cluster_sim_equal_time.py``'s table: the report seeds at each seed's T, async with
        no candidate limit (none if it has not run)."""
        data = _saved("cluster_sim_equal_time.json")
        if data is None:
            return []
        from cluster_sim_equal_time import report as equal_time_report

        return ["## At each seed's T with no candidate limit (report seeds)", "",
                "`benchmarks/cluster_sim_equal_time.py`: the asynchronous search is given the "
                "virtual time T that the waves' run of the same seed needed for its budget, with "
                "no candidate limit, and compared with the waves at T, paired by seed (Holm over "
                "the cells).", "", equal_time_report(data["runs"], self.cache), ""]

    def acceptance(self) -> list[str]:
        """The issue's simulator targets, each met or not, with the numbers behind it.

        Targets 1, 3 and 4 are judged on the shipped design's runs on seeds 200-399
        (``shipped_rows``): at the waves' time T of each seed with no candidate limit, which
        is the target's "equal wall time", and per candidate against Optuna. The report
        seeds' tables below (20 seeds, every method with the same number of candidates)
        follow each verdict, as do the other grids that bear on it."""
        from cluster_sim_confirm import pooled

        big = [w for w in self.workers if w >= 16]
        shipped = self.shipped
        utils = {(p, w): float(np.median(self.utilisation("sktpe-async", p, w)))
                 for p in self.problems for w in big}
        low = {k: v for k, v in utils.items() if v < 0.9}

        def verdict(ok: bool) -> str:
            return "**met**" if ok else "**not met**"

        def cell(c: Paired, won: str | None) -> str:
            return (f"{c.problem} W={c.workers} ({'no significant difference' if won is None else won}"
                    f", mean {fmt(c.mean_a)} against {fmt(c.mean_b)}, ahead on {c.better} of "
                    f"{c.better + c.worse} seeds)")

        lines = ["## Acceptance targets of the issue", ""]
        cells_wanted = {(p, w) for p in self.problems for w in big}
        if shipped and {(r["problem"], r["workers"]) for r in shipped} != cells_wanted:
            raise SystemExit("the shipped design's 200-seed rows do not cover every (problem, W) "
                             "cell at W >= 16: run what cluster_sim_forget.py lacks first")
        if shipped:
            cells = [c for c in self.shipped_cells if c.workers >= 16]
            missed = [cell(c, w) for c, w in zip(cells, verdicts(cells, "async", "waves"))
                      if w != "async"]
            by_w = {w: pooled(cells, w) for w in sorted({c.workers for c in cells})}
            pooled_text = "; ".join(f"W = {w}: {effs.mean():+.2f}, p = {p:.3g}"
                                    for w, (effs, p) in by_w.items())
            lines.append(
                f"1. *At W >= 16, sktpe async reaches a lower regret at equal wall time than the "
                f"waves on every problem*: {verdict(not missed)}. The shipped design on "
                f"{_seed_ranges(shipped)} (the asynchronous search run until each seed's T, the "
                f"time the waves took for their budget; `cluster_sim_many_seeds.py` at 16 "
                f"workers, `cluster_sim_forget.py` at 64 and 256, section \"The shipped design on "
                f"200 seeds\" below): lower mean regret and significantly lower (paired Wilcoxon, "
                f"Holm over the {len(cells)} cells, alpha {ALPHA}) in "
                f"{len(cells) - len(missed)} of {len(cells)} (problem, W) cells"
                + (f"; not in {'; '.join(missed)}" if missed else "")
                + f". Pooled normalised difference {pooled_text}."
                + self.equal_time_summary() + self.report_seeds_summary())
        lines.append(
            f"2. *... and keeps utilisation at or above 90%*: {verdict(not low)}. Median "
            f"utilisation of sktpe async at W >= 16 on the report seeds ranges from "
            f"{min(utils.values()):.1%} to {max(utils.values()):.1%}; below 90% in {len(low)} of "
            f"{len(utils)} (problem, W) cells"
            + (": " + ", ".join(f"{p} W={w} {v:.1%}" for (p, w), v in sorted(low.items()))
               if low else "") + "."
        )
        per_candidate = [r for r in shipped if "async per candidate" in r]
        if per_candidate:
            opt = self.shipped_optuna_cells
            optuna_ahead = [cell(c, w) for c, w in zip(opt, verdicts(opt, "sktpe", "Optuna"))
                            if w is not None and w != "sktpe"]  # Optuna's, or a split
            mean_worse = [c.problem for c in opt if c.mean_a > c.mean_b]
            effs, p = pooled(opt, 64)
            lines.append(
                f"3. *At W = 64, regret no worse than Optuna's parallel TPE on any problem*: "
                f"{verdict(not optuna_ahead)}. The shipped design and Optuna with the same "
                f"number of candidates ({_seed_ranges(per_candidate)}): Optuna significantly "
                f"lower, or a split (Holm over the {len(opt)} problems), in {len(optuna_ahead)} "
                f"of {len(opt)}"
                + (f" ({'; '.join(optuna_ahead)})" if optuna_ahead else "")
                + f"; Optuna's mean regret lower in {len(mean_worse)} of {len(opt)}"
                + (f" ({', '.join(mean_worse)})" if mean_worse else "") + "."
                + self.report_seeds_optuna()
            )
            lines.append(
                f"4. *... and better pooled*: {verdict(p < ALPHA and effs.mean() < 0)}. Mean "
                f"normalised difference {effs.mean():+.2f} (negative: sktpe lower), sktpe's mean "
                f"lower on {int((effs < 0).sum())} of {len(effs)} problems, Wilcoxon over problems "
                f"p = {p:.3g} (with {len(effs)} problems the smallest possible two-sided p is "
                f"{2 / 2 ** len(effs):.3g})."
            )
        return lines + [""]

    def report_seeds_summary(self) -> str:
        """The report seeds' comparison with the waves at T with equal numbers of candidates."""
        waves = [c for c in self.family("sktpe-waves") if c["w"] >= 16]
        sig = sum(c["p_holm"] < ALPHA and c["mean_diff"] < 0 for c in waves)
        mean_lower = sum(c["mean_diff"] < 0 for c in waves)
        higher = [f"{c['problem']} W={c['w']}" for c in waves
                  if c["p_holm"] < ALPHA and c["mean_diff"] > 0]
        return (f" With the same number of candidates as the waves (the report seeds "
                f"{self.seeds[0]}-{self.seeds[-1]}, async stopping at its budget before T; tables "
                f"below): lower mean regret at T in {mean_lower} of {len(waves)} cells, "
                f"significantly in {sig}; the waves significantly lower in {len(higher)}"
                + (f" ({', '.join(higher)})" if higher else "") + ".")

    def report_seeds_optuna(self) -> str:
        """The report seeds' comparison with Optuna at 64 workers at T, and its pooled test."""
        opt64 = [c for c in self.family("optuna") if c["w"] == 64]
        pooled = self.pooled("optuna", 64)
        if not opt64 or pooled is None:
            return ""
        wins = [c["problem"] for c in opt64 if c["p_holm"] < ALPHA and c["mean_diff"] > 0]
        return (f" On the report seeds ({len(self.seeds)} seeds, regret at T, tables below): "
                f"Optuna significantly lower in {len(wins)} of {len(opt64)}"
                + (f" ({', '.join(wins)})" if wins else "")
                + f", its mean lower in {sum(c['mean_diff'] > 0 for c in opt64)} of {len(opt64)}; "
                f"pooled {pooled['mean_z']:+.2f}, p = {pooled['p']:.3g}.")

    def markdown(self, figure: str) -> str:
        """The whole page."""
        prov = self.cache.get("provenance")
        settings = self.cache.get("settings", {})
        n_iter = ", ".join(f"{w}: {n}" for w, n in settings.get("n_iter", {}).items())
        optuna_ws = sorted({k[2] for k in self.runs if k[0] == "optuna"})
        lines = [
            "---",
            "orphan: true",  # a standalone page until a toctree links it (sphinx -W)
            "---",
            "",
            "# Cluster-scale simulation: asynchronous proposals against waves, Optuna and random search",
            "",
            "Generated by `benchmarks/cluster_sim_report.py` from "
            "`benchmarks/results/cluster_sim.json` and the other simulator files of "
            "`benchmarks/results/`. The commands that made the cached runs, in the order "
            "they ran (several re-run part of an earlier file after a change of sktpe; each "
            "file keeps its calls), then the page:",
            "",
            "```bash",
            COMMAND,
            "```",
            "",
            f"(`cluster_sim.py` runs only what its cache lacks). Report seeds measured at: "
            f"{describe(prov) if prov else 'unknown'}.",
            "",
            "## What is simulated",
            "",
            "`benchmarks/cluster_sim.py` runs sktpe's real `TPESampler` and real scheduler "
            "(`sktpe._scheduler.Scheduler`, built as `TPESearchCV._run_search` builds it) with a "
            "simulated evaluator in place of joblib. Each fold fit of a candidate returns the "
            "problem's true objective plus fold noise, and takes a fit time drawn from the "
            "problem's cost model (`benchmarks/cluster_problems.py`: a function of the parameters, "
            f"lognormal noise) plus {settings.get('overhead', 0.005) * 1000:.0f} ms of dispatch "
            f"for every fold task of every method. W identical workers run the fits on a virtual "
            f"clock; {settings.get('K', 5)}-fold CV.",
            "",
            "* **sktpe async**: `Policy(asynchronous=True)` (`batch_size='async'`): from the "
            "first candidate on, a discrete-event simulation calls the scheduler's "
            "`next_task` whenever a worker frees up and `done` when a fold ends (the result is "
            "told before the freed worker asks; a candidate still running is told to the "
            "sampler provisionally, by the mean of its folds so far, each corrected by its "
            "fold's offset among the complete trials). At the end, the quickest "
            "finished candidate runs "
            "again as one wave (TPESearchCV's one `evaluate_candidates` call, which "
            "scikit-learn's fit needs); that wave counts as idle time. As in TPESearchCV, the "
            "policy is asynchronous only with W > 1, so at W = 1 it is the waves policy.",
            "* **sktpe waves**: `batch_size='auto'` with 2 to 7 workers (the default "
            "before the asynchronous mode took over from 8), here at every W: a batch of "
            "`candidates_per_batch('auto', W, 5, n_done)` candidates runs every fold in one "
            "synchronous wave (list scheduling), and the next batch starts when its slowest fit ends.",
            "* **random search**: RandomizedSearchCV's candidates (`ParameterSampler`), each worker "
            "taking the next candidate's next fold as it frees up (no waves).",
            "* **Optuna TPE**: `optuna.samplers.TPESampler(seed=seed, constant_liar=True, "
            "multivariate=True, group=True)`, `study.ask()` whenever a worker needs a new "
            "candidate (the running candidates are RUNNING trials, which the constant liar "
            "counts), `study.tell` with the mean fold score once its folds are done. "
            "`multivariate=True` is Optuna 5's own default for one objective (its documentation: "
            "multivariate TPE 'is reported to outperform the independent TPE'); `group=True` is "
            "what its documentation shows for conditional spaces (and a single group on the "
            "others); every other setting is Optuna's default (10 random start-up trials). "
            "The space is mapped as `benchmarks/methods.py` maps it. "
            f"Optuna ran at W in {optuna_ws} only (its ask costs tens of ms at hundreds of trials).",
            "",
            f"Budget: `n_iter = max(50, 4 W)` candidates ({n_iter}): at W >= 16 about 20 "
            "'generations' of the W/5 candidates in flight follow one another, so the order of "
            f"proposals matters. Seeds: {len(self.seeds)} ({self.seeds[0]}..{self.seeds[-1]}). "
            "The samplers' own compute time does not advance the virtual clock.",
            "",
            "**Regret** is the known optimum minus the best *true* (noise-free) value among the "
            "candidates settled so far. **T** is the median virtual time sktpe waves needs for its "
            "budget (per problem and W): every method is compared at that wall time, and at the end "
            "of its own budget (equal number of candidates); **Ta**, the median time sktpe async "
            "needs for its budget, is a second, supplementary wall time. **Time to random's best**: the virtual "
            "time at which a method first matches the final best of random search with the same "
            "seed (median over seeds; reached / seeds in brackets; ∞ if fewer than half reach it). "
            "**Utilisation**: busy worker time (fits plus dispatch, a candidate run again "
            "excluded) / (W x wall time of the whole search). Paired tests: Wilcoxon signed-rank over seeds of the regret at T, "
            "Holm-corrected within each comparison (one family per peer, every problem and W). "
            "Pooled: per problem, the mean regret difference divided by the standard deviation of "
            "both methods' regrets, then a Wilcoxon test over problems.",
            "",
        ]
        lines += self.acceptance()
        lines += [
            f"![Regret against virtual wall time at W = 64, and utilisation against W]({figure})",
            "",
            "*Median simple regret over seeds (band: interquartile range) against virtual wall "
            "time at W = 64, one panel per problem, with T dashed; last panel: median utilisation "
            "over every problem and seed against W (band: min to max).*",
            "",
        ]
        shipped = self.shipped
        if shipped:
            from cluster_sim_confirm import report as confirm_report

            lines += [
                "## The shipped design on 200 seeds",
                "",
                f"The runs the targets above are judged on: the shipped design on "
                f"{_seed_ranges(shipped)}, seeds no default was chosen on. Each seed's waves "
                "run their budget and take virtual time T; the asynchronous search runs on the "
                "same virtual cluster until that T, with no candidate limit (what a user who "
                "gives the search a time budget gets). 16 workers: "
                "`cluster_sim_many_seeds.py`; 64 and 256: `cluster_sim_forget.py` (at 16 workers "
                "about 4 candidates are pending, and forgetting acts only from 8). Per candidate "
                "against Optuna: both run `n_iter_for(64)` = 256 candidates at 64 workers.",
                "",
                "### At the waves' time T",
                "",
                confirm_report(shipped, (("async", "waves"),)),
                "### Per candidate against Optuna's parallel TPE at 64 workers",
                "",
                confirm_report([r for r in shipped if "async per candidate" in r],
                               (("async per candidate", "optuna per candidate"),)),
            ]
        lines += [
            "## sktpe async against each peer (regret at T)",
            "",
            f"The report seeds ({self.seeds[0]}-{self.seeds[-1]}) of `cluster_sim.py`, every "
            "method with the same number of candidates.",
            "",
        ]
        for peer in PEERS:
            lines += [f"### against {LABEL[peer]}", "", *self.family_table(peer)]
        lines += ["### Pooled over problems (regret at T)", "", *self.pooled_table("T"),
                  "### Supplementary: against sktpe waves at Ta (when sktpe async finishes)", "",
                  "Not the pre-declared time of the acceptance target: Ta is the median "
                  "virtual time sktpe async needs for its budget, earlier than T; with a fixed "
                  "`n_iter`, sktpe async stops at Ta while the waves go on to T.", "",
                  *self.family_table("sktpe-waves", "Ta"),
                  "### Pooled over problems (regret at Ta)", "", *self.pooled_table("Ta"),
                  "### Pooled over problems (regret at the end of the budget)", "",
                  *self.pooled_table("end"),
                  "### against Optuna at the end of the budget (equal number of candidates)", "",
                  *self.family_table("optuna", "end")]
        lines += [*self.equal_time_table(), "## Where a peer wins", "", *self.peer_wins(), ""]
        pending = os.path.join(HERE, "results", "pending_check.txt")
        if os.path.exists(pending):
            with open(pending) as fh:
                out = [f"* {line.strip()}" for line in fh if line.strip()]
            lines += [
                "## What a proposal knows of the candidates still running",
                "",
                "The waves propose a batch in one `ask(k)`, where each pick joins g(x) as a "
                "narrow kernel (`TPESampler._pick_width`). The asynchronous policy asks one "
                "candidate at a time while about W / 5 others run: one with folds back is told "
                "to the sampler provisionally, by the mean of its folds so far (each fold "
                "corrected by its offset among the complete trials from 4 of them on), and is split "
                "into the good or bad set by it; one with no fold back joins g(x) with an "
                "observation's kernel width (`TPESampler._pending_width`), since it was proposed "
                "from older densities. That design was chosen at equal wall time against the "
                "waves on seeds 0-59 (16 workers) and 0-39 (64 workers), and checked on fresh "
                "seeds by `benchmarks/cluster_sim_confirm.py` (below). "
                "`benchmarks/pending_check.py` isolates the width alone: the same information "
                "(12 candidates proposed before any is told, true values told), asked as one "
                "`ask(12)` or as 12 calls of `ask(1)`, 20 seeds, 256 trials:",
                "",
                *out,
                "",
            ]
        data = _saved("cluster_sim_fold_effect.json")
        if data is not None:
            from cluster_sim_fold_effect import fold_effect_report

            lines += [
                "## Folds that differ in difficulty",
                "",
                "The provisional score corrects each fold by its offset among the complete "
                "trials, because on real data a fold is easier or harder for every candidate "
                "alike (`benchmarks/fold_offsets.py` measures that on real fold scores; see "
                "guide/scaling_design.md). The simulator's fold noise is independent, so "
                "`benchmarks/cluster_sim_fold_effect.py` runs a second world beside it, with an "
                "offset per (seed, fold) shared by all candidates, of sd equal to the fold "
                "noise, on fresh seeds 140-179: the shipped asynchronous mode (`async`) against "
                "the raw mean of the folds back (`async-raw`) at the waves' wall time. "
                "Run before `multivariate='auto'` (stop 35), so with the joint model at 64 "
                "workers too; it compares two treatments of the provisional scores, which "
                "that change leaves as they were.",
                "",
                fold_effect_report(data),
                "",
            ]
        data = _saved("cluster_sim_confirm.json")
        if data is not None:
            from cluster_sim_confirm import report as confirm_report

            lines += [
                "## Checked on fresh seeds",
                "",
                "`benchmarks/cluster_sim_confirm.py`, seeds 100-139, never used to choose "
                "anything: at equal wall time T (the waves' time for their budget), the "
                "asynchronous mode as shipped (`async`), the design before it run as an "
                "ablation (`async-v6`: no provisional scores, running candidates as narrow "
                "picks), and the waves; then racing's overlapping waves at 2 and 4 workers, "
                "per candidate (50 candidates), shipped (`racing`) and as before "
                "(`racing-v6`). Run before `multivariate='auto'` (stop 35): `async` here is "
                "the joint model at 64 workers too (racing's 2 and 4 workers are unchanged).",
                "",
                "### At equal wall time",
                "",
                confirm_report(data["runs"]),
                "### Racing's overlapping waves, regret after 50 candidates",
                "",
                confirm_report(data["racing"], (("racing", "racing-v6"),)),
            ]
        data = _saved("cluster_sim_many_seeds.json")
        if data is not None:
            from cluster_sim_confirm import report as confirm_report

            rows = data["runs"]
            lines += [
                "## On 200 more seeds",
                "",
                "`benchmarks/cluster_sim_many_seeds.py`, seeds 200-399, run once (its "
                "asynchronous columns run again with `--refresh-async` when "
                "`multivariate='auto'` became the default, and again when only recent running "
                "candidates repel did; the waves' and Optuna's rows kept, the waves of seeds "
                "200-209 checked: the same T, the regret the same or, on a few rows, differing "
                "in its last bits; `conditional`'s rows run again whole with "
                "`--redo-problem conditional` when Scott's rule came to count only the "
                "dimensions that vary, which moved its waves). Its asynchronous columns at 64 "
                "and 256 workers are the design before forgetting (stop 45; the shipped "
                "design's are in the section on forgetting and in \"The shipped design on 200 "
                "seeds\" above); at 16 workers they are the shipped design. Twenty seeds cannot "
                "settle a problem whose outcome is bimodal: on "
                "`conditional` a search finds branch B's narrow peak or stays on branch A's "
                "plateau (regret 0.2), so its mean regret is mostly the number of seeds that "
                "stayed. The same two comparisons as the targets above: at equal wall time "
                "against the waves (16 and 64 workers), and per candidate against Optuna's "
                "parallel TPE (64 workers). Before it ran, a throwaway probe ran the "
                "conditional comparison alone on the same seeds (same design, same numbers); "
                "variants of the running candidates' handling tried on seeds 400-439 are in "
                "guide/scaling_design.md.",
                "",
                "### At equal wall time",
                "",
                confirm_report(rows, (("async", "waves"),)),
                "### Per candidate against Optuna at 64 workers",
                "",
                confirm_report(rows, (("async per candidate", "optuna per candidate"),)),
            ]
        data = _saved("cluster_sim_many_seeds_256.json")
        if data is not None:
            from cluster_sim_confirm import report as confirm_report

            seeds = sorted({r["seed"] for r in data["runs"]})
            calls = "; ".join(f"`{c['command']}`, {c['jobs']} runs in {c['seconds'] / 60:.0f} min"
                              for c in data["calls"])
            lines += [
                "### At equal wall time, 256 workers",
                "",
                f"The same comparison at 256 workers, where a run costs about 4 times as much: "
                f"{len(seeds)} of the same seeds ({seeds[0]}-{seeds[-1]}), grown in calls that "
                f"fit a session ({calls}), with the design before forgetting (stop 45; the "
                f"shipped design's runs at 256 workers are in the section on forgetting).",
                "",
                confirm_report(data["runs"], (("async", "waves"),)),
            ]
        forget = _forget_rows()
        if forget:
            from cluster_sim_forget import report as forget_report

            lines += [
                "## Forgetting with independent densities (stop 45)",
                "",
                "From stop 45, independent densities (8 or more candidates pending: here 64 and "
                "256 workers) weigh older trials less (`TPESampler._forget_after`; chosen on "
                "tuning objectives, guide/scaling_design.md). The report seeds' tables and the "
                "shipped design's section above are of the design with it; the checks on "
                "fresh seeds, the folds' section and the 200-seed tables at 64 and 256 workers "
                "are of the design before it. `benchmarks/cluster_sim_forget.py` runs "
                f"the current default on seeds {_seed_ranges(forget)} of the 200-seed grids "
                "(`cluster_sim_many_seeds.py`), at each stored row's T, paired with the stored "
                "runs of the design before it and of the waves (at 16 workers nothing changes: "
                "about 4 candidates are pending there).",
                "",
                forget_report(forget),
                "",
            ]
        if self.extra:
            lines += self.extra_section()
        lines += ["## Per problem", ""]
        for p in self.problems:
            lines += self.problem_table(p)
        lines += ["## Runs", "", "Every invocation that added runs to the cache:", ""]
        for entry in self.cache.get("log", []):
            if "note" in entry:  # a change to the cache between invocations
                lines.append(f"* {entry['note']}.")
                continue
            lines.append(f"* {entry['started']}: {entry['new_runs']} runs in "
                         f"{entry['seconds'] / 60:.1f} min, arguments `{' '.join(entry['argv'])}`")
        if self.extra:
            lines.append(f"* `cluster_sim_extra.py`: {len(self.extra['runs'])} runs in "
                         f"{self.extra['seconds'] / 60:.1f} min, arguments "
                         f"`{' '.join(self.extra['argv'])}`; its told-first runs are the same "
                         "seeds and settings as the main grid's sktpe async runs.")
        return "\n".join(lines) + "\n"

    def equal_time_summary(self) -> str:
        """One sentence on ``cluster_sim_equal_time.py``'s runs (async given the waves' time T,
        with no candidate limit), if they are present: the test of target 1 at equal time."""
        path = os.path.join(HERE, "results", "cluster_sim_equal_time.json")
        if not os.path.exists(path):
            return ""
        from cluster_sim_equal_time import paired_regrets  # it imports this module

        with open(path) as fh:
            rows = json.load(fh)["runs"]
        waves = {(p, w, seed): run for (m, p, w), runs in self.runs.items()
                 if m == "sktpe-waves" for seed, run in runs.items()}
        parts = []
        for w in sorted({r["workers"] for r in rows}):
            problems = sorted({r["problem"] for r in rows if r["workers"] == w})
            lower = 0
            for p in problems:
                a, b, _ = paired_regrets(rows, waves, p, w)
                lower += a.mean() < b.mean()
            parts.append(f"{lower} of {len(problems)} at W = {w}")
        seeds = sorted({r["seed"] for r in rows})
        return (f" On the report seeds {seeds[0]}-{seeds[-1]}, the same comparison "
                "(`benchmarks/cluster_sim_equal_time.py`, each seed's T, no candidate limit) "
                "gives a lower mean regret on " + ", ".join(parts) + ".")

    def extra_section(self) -> list[str]:
        """The two checks of ``cluster_sim_extra.py``: utilisation by phase, joblib's order."""
        runs = self.extra["runs"]
        seeds = sorted({r["seed"] for r in runs})
        ws = sorted({r["workers"] for r in runs})
        lines = [
            "## Where sktpe async loses utilisation",
            "",
            f"From `benchmarks/cluster_sim_extra.py` (seeds {seeds[0]}..{seeds[-1]}, every "
            "problem; medians over problems and seeds). The asynchronous phase runs from the "
            "start until the scheduler has no task left to give; the tail is the last fits "
            "ending while freed workers have nothing to do; the re-run is the quickest "
            "candidate cross-validated again through evaluate_candidates, which scikit-learn's "
            "fit needs once (counted as idle: it tells the search nothing). Before the change "
            "recorded in the log, one candidate ran whole first instead (the first wave), and "
            "before that the whole start-up batch. *Idle share*: the phase's idle worker time "
            "as a share of all worker time of the search (the three sum to 1 - utilisation).",
            "",
            "| W | utilisation | asynchronous phase: share of wall, utilisation, idle share "
            "| tail: share of wall, utilisation, idle share | re-run: share of wall, "
            "utilisation, idle share |",
            "| ---: | ---: | --- | --- | --- |",
        ]
        for w in ws:
            rs = [r for r in runs if r["workers"] == w and r["tell_first"]]
            cells = []
            for ph in ("asynchronous", "tail", "rerun"):
                med = {k: np.median([r["phases"][ph][k] for r in rs])
                       for k in ("share_of_wall", "utilisation", "idle_share")}
                cells.append(f"{med['share_of_wall']:.0%}, {med['utilisation']:.0%}, "
                             f"{max(med['idle_share'], 0.0):.1%}")  # not -0.0% from rounding
            util = np.median([r["utilisation"] for r in rs])
            lines.append(f"| {w} | {util:.1%} | " + " | ".join(cells) + " |")
        lines += [
            "",
            "## joblib's order: the freed worker asks before its result is told",
            "",
            "In `Evaluator.run_asynchronously`, joblib's callback thread dispatches the next task "
            "(calling `scheduler.next_task`) as soon as a task completes, while the main thread "
            "hands the result to `scheduler.done` only when it reads joblib's output generator "
            "(joblib `parallel.py`, `BatchCompletionCallBack.__call__` then `_dispatch_new`). A "
            "candidate proposed for a freed worker therefore most likely misses the result that "
            "freed it. The main runs tell first; here sktpe async reruns with the other order "
            "(same seeds), regret at the same T:",
            "",
            "| problem | W | mean regret, told first | mean regret, asked first | told first "
            "better/worse (seeds) | p (Wilcoxon, uncorrected) |",
            "| --- | ---: | ---: | ---: | --- | ---: |",
        ]
        for problem in self.problems:
            for w in ws:
                pair = {tf: {r["seed"]: r for r in runs if r["problem"] == problem
                             and r["workers"] == w and r["tell_first"] is tf} for tf in (True, False)}
                if not pair[True] or not pair[False]:
                    continue
                t = horizon(self.runs, problem, w)
                a = [regret_at(pair[True][s], t) for s in seeds]
                b = [regret_at(pair[False][s], t) for s in seeds]
                d = np.subtract(a, b)
                lines.append(f"| {problem} | {w} | {fmt(np.mean(a))} | {fmt(np.mean(b))} | "
                             f"{(d < 0).sum()}/{(d > 0).sum()} | {paired_p(a, b):.2g} |")
        return lines + [""]

    def peer_wins(self) -> list[str]:
        """Every cell where a peer's regret is significantly lower than sktpe async's."""
        out = []
        for at, name in (("T", "at T"), ("Ta", "at Ta"), ("end", "at the end of the budget")):
            for peer in PEERS:
                for c in self.family(peer, at):
                    if c["p_holm"] < ALPHA and c["mean_diff"] > 0:
                        out.append(f"* {LABEL[peer]} on {c['problem']} at W = {c['w']} ({name}): "
                                   f"mean regret {fmt(c['mean_b'])} against {fmt(c['mean_a'])}, "
                                   f"Holm p = {c['p_holm']:.2g}.")
        return out or ["* No peer has a significantly lower regret than sktpe async in any cell."]

    def guide_summary(self) -> list[str]:
        """The user guide's bullets on the simulator (``docs/guide/scaling.md``, between its
        ``cluster-sim`` markers): utilisation, regret at equal wall time, against Optuna."""
        from cluster_sim_confirm import pooled

        def spread(method: str, w: int) -> str | None:
            med = [float(np.median(u)) for p in self.problems
                   if (u := self.utilisation(method, p, w))]
            return f"{min(med):.0%}-{max(med):.0%}" if med else None

        big = [w for w in self.workers if w >= 16]
        out = ["Generated by `benchmarks/cluster_sim_report.py`; tables, paired tests and "
               "every run on [the simulator's page](../cluster_sim.md).", ""]
        parts = {m: [(w, s) for w in big if (s := spread(m, w))]
                 for m in ("sktpe-async", "sktpe-waves", "optuna")}
        out.append(
            "- **Busy workers.** The asynchronous mode keeps "
            + ", ".join(f"{s} of {w}" for w, s in parts["sktpe-async"])
            + " workers busy (median over seeds, range over the "
            f"{len(self.problems)} problems); the waves keep "
            + ", ".join(f"{s} of {w}" for w, s in parts["sktpe-waves"])
            + (", and Optuna's TPE, asked whenever a worker frees up, "
               + ", ".join(f"{s} of {w}" for w, s in parts["optuna"]) if parts["optuna"] else "")
            + ". What the asynchronous mode leaves idle is mostly the end of the search, when "
            "no candidate is left to ask, and the one candidate scikit-learn's `fit` needs run "
            "again at the end; the waves leave every worker but the slowest idle at the end of "
            "each wave.")
        shipped = self.shipped
        if shipped:
            cells = self.shipped_cells
            per_w = []
            for w in sorted({c.workers for c in cells}):
                cw = [c for c in cells if c.workers == w]
                sig = verdicts(cw, "async", "waves").count("async")
                effs, p = pooled(cells, w)
                per_w.append(f"{sum(c.mean_a < c.mean_b for c in cw)} of {len(cw)} at {w} "
                             f"workers ({sig} significantly; pooled {effs.mean():+.2f} sd, "
                             f"p = {p:.2g})")
            out.append(
                "- **Better models at equal wall time.** Given the time the waves take for their "
                "budget, the asynchronous search ends with a lower mean regret on "
                + "; ".join(per_w) + f" (seeds {_seed_ranges(shipped)}; paired Wilcoxon over "
                f"the seeds, Holm over the {len(cells)} cells; pooled: the difference of mean "
                "regrets in the problem's standard deviation, Wilcoxon over the problems, whose "
                f"smallest possible p with {len(self.problems)} problems is "
                f"{2 / 2 ** len(self.problems):.2g}).")
            opt = self.shipped_optuna_cells
            if opt:
                a, b = "async per candidate", "optuna per candidate"
                won = verdicts(opt, a, b)
                effs, p = pooled(opt, 64)
                out.append(
                    f"- **Against Optuna's TPE** with its constant liar, at 64 workers and the "
                    f"same number of candidates: sktpe's mean regret is lower on "
                    f"{sum(c.mean_a < c.mean_b for c in opt)} of {len(opt)} problems, "
                    f"significantly on {won.count(a)}; Optuna significantly lower on "
                    f"{won.count(b)}; pooled {effs.mean():+.2f} sd, p = {p:.2g}.")
        cells = sorted({(peer, c["problem"], c["w"]) for at in ("T", "Ta", "end")
                        for peer in PEERS for c in self.family(peer, at)
                        if c["p_holm"] < ALPHA and c["mean_diff"] > 0})
        out.append(
            "- **Where a peer wins**: on the report seeds with the same number of candidates "
            "for every method, "
            + ("; ".join(f"{LABEL[peer]} on {p} at {w} workers" for peer, p, w in cells)
               if cells else "no peer") + " (significantly lower regret, Holm). With a fixed "
            "`n_iter` the asynchronous search finishes before the waves would and stops there; "
            "given the same time (`max_time`, or a larger `n_iter`) it is ahead on every "
            "problem (above).")
        return out

    # -- the figure ------------------------------------------------------------------
    def figure(self, path: str, w: int = 64) -> None:
        """Regret against virtual time per problem at W = ``w``, and utilisation against W."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        n = len(self.problems) + 1
        cols = 4
        rows = math.ceil(n / cols)
        fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.3 * rows))
        axes = axes.ravel()
        for ax, problem in zip(axes, self.problems):
            t_end = max(r["wall"] for m in LABEL for r in self.seeds_of(m, problem, w).values())
            grid = np.linspace(0, t_end, 200)
            for m in ("random", "sktpe-waves", "optuna", "sktpe-async"):  # async drawn last: on top
                runs = list(self.seeds_of(m, problem, w).values())
                if not runs:
                    continue
                first = np.median([r["steps"][0][0] for r in runs])
                reg = np.array([[regret_at(r, t) for t in grid] for r in runs])
                reg = np.maximum(reg, 1e-6)
                keep = grid >= first
                lo, med, hi = np.percentile(reg[:, keep], [25, 50, 75], axis=0)
                z = 5 if m == "sktpe-async" else 2
                ax.plot(grid[keep], med, color=COLOR[m], label=LABEL[m], zorder=z,
                        lw=2.2 if m == "sktpe-async" else 1.4)
                ax.fill_between(grid[keep], lo, hi, color=COLOR[m], alpha=0.15, zorder=z - 1)
            ax.axvline(horizon(self.runs, problem, w), color="k", ls="--", lw=0.8)
            ax.set_yscale("log")
            ax.set_title(f"{problem}, W = {w}")
            ax.set_xlabel("virtual wall time (s)")
            ax.set_ylabel("simple regret")
        ax = axes[len(self.problems)]
        for m in ("random", "sktpe-waves", "optuna", "sktpe-async"):
            ws = [x for x in self.workers if any(self.seeds_of(m, p, x) for p in self.problems)]
            u = [[v for p in self.problems for v in self.utilisation(m, p, x)] for x in ws]
            ax.plot(ws, [np.median(x) for x in u], "o-", color=COLOR[m], label=LABEL[m],
                    zorder=5 if m == "sktpe-async" else 2)
            ax.fill_between(ws, [min(x) for x in u], [max(x) for x in u], color=COLOR[m],
                            alpha=0.12)
        ax.axhline(0.9, color="k", ls=":", lw=0.8)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("workers W")
        ax.set_ylabel("utilisation")
        ax.set_title("utilisation (all problems)")
        ax.legend(fontsize=7, loc="lower left")
        for ax in axes[n:]:
            ax.axis("off")
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    """Write the page and the figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", default=os.path.join(HERE, "results", "cluster_sim.json"))
    parser.add_argument("--extra", default=os.path.join(HERE, "results", "cluster_sim_extra.json"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "cluster_sim.md"))
    parser.add_argument("--figure", default=os.path.join(ROOT, "docs", "_static", "cluster_sim.png"))
    parser.add_argument("--guide", default=os.path.join(ROOT, "docs", "guide", "scaling.md"),
                        help="a page whose cluster-sim markers get the summary ('' for none)")
    args = parser.parse_args(argv)
    with open(args.json) as fh:
        cache = json.load(fh)
    extra = None
    if os.path.exists(args.extra):
        with open(args.extra) as fh:
            extra = json.load(fh)
    report = Report(cache, extra)
    report.figure(args.figure)
    rel = os.path.relpath(args.figure, os.path.dirname(args.out))
    with open(args.out, "w") as fh:
        fh.write(report.markdown(rel))
    print(f"wrote {args.out} and {args.figure}")
    if args.guide:
        from markers import write_block

        write_block(args.guide, "cluster-sim", report.guide_summary())


if __name__ == "__main__":
    main()
