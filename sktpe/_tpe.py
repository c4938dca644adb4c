"""The TPE sampler: an ask/tell object that knows nothing of scikit-learn.

>>> from scipy.stats import loguniform
>>> from sktpe import TPESampler
>>> sampler = TPESampler({"C": loguniform(1e-3, 1e3)}, random_state=0)
>>> for _ in range(20):
...     params = sampler.ask()[0]
...     sampler.tell(params, -abs(params["C"] - 1.0))
>>> len(sampler.scores_)
20
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypedDict

import numpy as np
from sklearn.utils import check_random_state

from . import _sklearn_compat as compat
from ._checks import name_fix
from ._parzen import KernelBank, ParzenEstimator, RawDraws, kernel_scale
from ._space import MAX_ENUMERATE, Branch, Points, SearchSpace, same_params

__all__ = ["SAMPLER_CONSTRAINTS", "TPESampler"]

# The sampler's settings and the values each accepts, in scikit-learn's
# constraint language; TPESearchCV._parameter_constraints reuses them, so the
# sampler and the search reject a bad value with the same message.
SAMPLER_CONSTRAINTS = {
    "n_startup_trials": [compat.Interval(numbers.Integral, 0, None, closed="left")],
    "gamma": [compat.Interval(numbers.Real, 0, 1, closed="right")],
    "n_ei_candidates": [compat.Interval(numbers.Integral, 1, None, closed="left")],
    "multivariate": ["boolean", compat.StrOptions({"auto"})],
    "bandwidth": [compat.Interval(numbers.Real, 0, math.inf, closed="neither")],
    "prior_weight": [compat.Interval(numbers.Real, 0, math.inf, closed="neither")],
    "random_state": ["random_state"],
}
# How a +inf score is stored: the largest float, so that it ranks above every
# finite score. The branch statistics clip scores to _HUGE in size first (see
# _tame), and smoothed_scores scales them down, so neither it nor a finite
# score near it overflows their squares and sums.
_TOP = float(np.finfo(float).max)
_HUGE = 1e150
_ASK_CONSTRAINTS = {"n_candidates": [compat.Interval(numbers.Integral, 1, None, closed="left")]}


def _checked_scores(
    method: str, params: Any, scores: Any
) -> tuple[list[Mapping[str, Any]], np.ndarray]:
    """``params`` as a list of parameter dicts and ``scores`` as one float each, as
    ``method`` (tell, smoothed_scores) takes them: a dict with its score, or a list of
    dicts with a sequence of scores. Anything else is refused, naming what to pass."""
    if isinstance(params, Mapping):
        params, scores = [params], [scores]
    elif isinstance(params, (str, bytes)) or not isinstance(params, Iterable):
        raise TypeError(
            f"{method} got params={params!r}; give a parameter dict, or a list of them "
            f"(as ask returns)."
        )
    params = list(params)
    stray = [p for p in params if not isinstance(p, Mapping)]
    if stray:
        raise TypeError(
            f"{method} got {stray[0]!r} of type {type(stray[0]).__name__} among params; each "
            f"must be a parameter dict (as ask returns)."
        )
    if scores is None or isinstance(scores, (str, bytes, Mapping, numbers.Real)) or (
            isinstance(scores, np.ndarray) and scores.ndim == 0):
        scores = [scores]  # one score (anything but a number is refused below, by its value)
    values = [v.item() if isinstance(v, np.ndarray) and v.ndim == 0 else v
              for v in np.asarray(scores, dtype=object).reshape(-1)]
    odd = [v for v in values if not isinstance(v, numbers.Real) or isinstance(v, bool)]
    if odd:
        hint = f", e.g. float({odd[0]!r})" if isinstance(odd[0], (str, bytes)) else ""
        raise TypeError(
            f"{method} got the score {odd[0]!r} of type {type(odd[0]).__name__}; scores must "
            f"be real numbers (NaN for a failed evaluation){hint}."
        )
    huge = [v for v in values if isinstance(v, numbers.Integral) and abs(v) > _TOP]
    if huge:  # (its size from its bits: str() refuses integers of over 4300 digits)
        digits = int(int(abs(huge[0])).bit_length() * math.log10(2))
        raise ValueError(
            f"{method} got an integer score of about 10**{digits}, beyond the float range; "
            f"give scores as floats (inf for one above every other)."
        )
    out = np.asarray(values, dtype=float).reshape(-1)
    if len(out) != len(params):
        raise ValueError(
            f"{method} got {len(params)} parameter dicts but {len(out)} scores; "
            f"give one score per dict."
        )
    return params, out


def _tame(scores: np.ndarray) -> np.ndarray:
    """``scores`` clipped to ``[-_HUGE, _HUGE]``, for the branch statistics (means, spreads).

    Squares and sums of scores near the float limit (a diverging regressor's
    error, or +inf stored as ``_TOP``) overflow; ordinary scores are returned
    as they are, so the statistics of every ordinary search keep their last
    digits, and the statistics of one branch do not depend on another
    branch's huge scores. (Scores beyond ``_HUGE`` tie there.)
    """
    if not np.any(np.abs(scores[np.isfinite(scores)]) > _HUGE):
        return scores
    return np.where(np.isfinite(scores), np.clip(scores, -_HUGE, _HUGE), scores)


class SplitDensities(TypedDict):
    """What :meth:`TPESampler.split_densities` returns (a plain dict at run time)."""

    values: Any  # ndarray of the grid, or the list of choices
    l: np.ndarray
    g: np.ndarray
    kind: str
    branch: int
    n_good: int
    n_bad: int
    chosen: Any
    chosen_branch: int | None


class _Split(NamedTuple):
    """Trial indices of the good and the bad set (see :meth:`TPESampler._split`)."""

    good: np.ndarray
    bad: np.ndarray


class _Rows:
    """Growable encoded rows of one branch (amortised O(1) append)."""

    _FIELDS = ("num", "width", "disc_val", "cat")

    def __init__(self, branch: Branch) -> None:
        self.n = 0
        self.branch = branch.index
        n_num = len(branch.cont) + len(branch.disc)
        self.num = np.empty((8, n_num))
        self.width = np.empty((8, n_num))
        self.disc_val = np.empty((8, len(branch.disc)))
        self.cat = np.empty((8, len(branch.cat)), dtype=np.intp)

    def append(self, pts: Points) -> int:
        """Append the first point of ``pts``; return its row."""
        if self.n == len(self.num):
            for f in self._FIELDS:
                a = getattr(self, f)
                setattr(self, f, np.concatenate([a, np.empty_like(a)]))
        for f in self._FIELDS:
            getattr(self, f)[self.n] = getattr(pts, f)[0]
        self.n += 1
        return self.n - 1

    def take(self, idx: np.ndarray | list[int]) -> Points:
        return Points(self.branch, *(getattr(self, f)[idx] for f in self._FIELDS))


def _log_densities(
    ests: Sequence[ParzenEstimator], pts: Points, feats: np.ndarray | None = None
) -> list[np.ndarray]:
    """Log densities of ``pts`` under estimators of their branch.

    Up to a term shared per point (the cells' log widths), which cancels in
    ratios and mixtures of these densities. Multivariate estimators share
    one feature matrix (``feats``, built here if not given).
    """
    if ests[0].multivariate:
        if feats is None:
            feats = ests[0].features(pts.num, pts.cat)
        return [e.log_pdf_features(feats) for e in ests]
    return [e.log_pdf(pts.num, pts.width, pts.cat) for e in ests]


class _Pool:
    """One branch's good and bad densities for a batch, g(x) growing with its picks.

    Each pick of the batch joins g(x) as a pending (bad) observation, i.e. one
    more kernel in g's mixture, so g is updated exactly (``g <- (W g + w *
    sum of pick kernels) / (W + w * picks)``, ``w`` the weight of a pending
    pick) without rebuilding the estimators. A pick's kernel is ``width``
    times as wide as an observation's: the picks of this batch, proposed from
    these very densities, are narrow (they make their own neighbourhood
    unattractive, not the whole region around it); trials still pending from
    an earlier batch may be given another width (see ``TPESampler._pending_width``).
    A batch of one with nothing pending is scored against the fitted g(x) itself.
    """

    def __init__(
        self,
        l_est: ParzenEstimator,
        g_est: ParzenEstimator,
        pick_weight: float = 1.0,
        pick_width: float = 1.0,
    ) -> None:
        self.l_est, self.g_est = l_est, g_est
        self.weight = g_est.prior_weight + g_est.weight_sum  # total weight of g's mixture
        self.pick_weight = pick_weight
        self.pick_width = pick_width
        self.picks: dict[float, list[Points]] = {}  # by kernel width, in the order added
        self.banks: dict[float, KernelBank] = {}

    def score(self, pts: Points) -> np.ndarray:
        """The acquisition ``log l(x) - log g(x)`` at encoded points."""
        feats = self.l_est.features(pts.num, pts.cat) if self.l_est.multivariate else None
        log_l, log_g = _log_densities((self.l_est, self.g_est), pts, feats)
        log_p, w = None, 0.0
        for width, picks in self.picks.items():
            n = len(picks)
            bank = self.banks.get(width)
            if bank is None:
                bank = self.banks[width] = self.g_est.kernel_bank(width)
            rows = [np.vstack([getattr(p, f) for p in picks]) for f in ("num", "width", "cat")]
            bank.update(*rows)  # kernel terms of the picks not yet in the bank
            est = ParzenEstimator(
                bank, np.arange(n), multivariate=self.g_est.multivariate, prior_weight=0.0
            )
            w_group = self.pick_weight * n
            log_group = _log_densities([est], pts, feats)[0] + math.log(w_group)
            log_p = log_group if log_p is None else np.logaddexp(log_p, log_group)
            w += w_group
        if log_p is not None:
            log_g = np.logaddexp(math.log(self.weight) + log_g, log_p) - math.log(self.weight + w)
        return log_l - log_g

    def add_pick(self, pts: Points, width: float | None = None) -> None:
        """Count the point ``pts`` as a pending (bad) observation with kernels
        ``width`` (default ``pick_width``) times as wide as an observation's
        (its kernel terms are computed when the next pick is scored)."""
        self.picks.setdefault(self.pick_width if width is None else width, []).append(pts)


class TPESampler:
    """Tree-structured Parzen Estimator sampler with an ask/tell interface.

    Proposes parameter dicts from a RandomizedSearchCV-style space; results
    are reported back with :meth:`tell`. Scores are maximised (greater is
    better, as scikit-learn scorers); NaN and ``-inf`` scores (failed fits)
    count as the worst results and ``+inf`` as the best, as
    ``cv_results_`` ranks them.

    Parameters
    ----------
    param_distributions : dict or list of dicts
        Parameter names mapped to lists or scipy.stats distributions, exactly
        as for :class:`~sklearn.model_selection.RandomizedSearchCV`. A list of
        dicts is a conditional space: TPE learns which dict (branch) scores
        better and models each branch only from the trials that used it.
    n_startup_trials : int, default=10
        Number of first trials drawn from the prior, spread out by Latin
        hypercube sampling over the distributions' quantiles.
    gamma : float, default=0.15
        Fraction of finished trials, ranked by score, that form the "good"
        density l(x); the rest form the "bad" density g(x).
    n_ei_candidates : int, default=24
        Candidates drawn from l(x) per suggestion; the one with the largest
        l(x)/g(x) is proposed.
    multivariate : bool or 'auto', default='auto'
        Model parameters jointly (product kernels, ``True``) or each one
        independently (``False``). ``'auto'`` models them jointly unless at
        least 8 trials are pending when :meth:`ask` is called (many workers
        proposing as they free up), and independently then: with that many
        candidates in flight the joint model keeps proposing beside the same
        few good trials. With nothing pending, ``'auto'`` proposes exactly as
        ``True`` does. Independent densities weigh older trials less: in a
        set (good or bad) of ``m`` trials, the 25 latest weigh 1 and the
        older ones rise linearly from ``1/m`` for the oldest, so that a value
        tried only among the first, random trials is not judged by them for
        good.
    bandwidth : float, default=0.07
        Kernel width on the unit (quantile) scale, shrunk as
        ``n ** (-1 / (d + 4))`` with the number ``n`` of observations in ``d``
        dimensions (those that vary: a one-element list or a point-mass
        distribution does not count). Smaller values exploit the best region
        harder.
    prior_weight : float, default=1.0
        Weight of the prior (the user's distributions) relative to one trial.
    random_state : int, RandomState instance or None, default=None
        Seeds every draw; the same seed and the same told scores give the same
        proposals.

    Attributes
    ----------
    params_ : list of dict
        Every proposed or told parameter dict, in order.
    scores_ : ndarray of shape (n_trials,)
        Their scores (NaN while pending).
    space_ : object
        The translated search space (internal: its layout may change between
        releases; use :meth:`split_densities` to look inside the model).
    """

    # Optimism of the branch choice of a list-of-dicts space (see
    # _branch_order), and weight and kernel width (a fraction of an ordinary
    # observation's) of a pending pick in g(x) within a batch: a narrow pick
    # kernel excludes the pick's neighbourhood, not the whole good region.
    # Chosen by benchmarks/ablation.py, not public settings.
    _branch_optimism = 8.0
    _pick_weight = 1.0
    _pick_width = 0.25
    # Width of a trial pending since an earlier ask and with no provisional
    # score (asynchronous use: proposed from older densities, nothing known
    # of it yet). Chosen by benchmarks/cluster_sim.py's tuning seeds.
    _pending_width = 1.0
    # The same width when the densities are independent (many trials pending,
    # see ``multivariate``). A batch pick's width there helps boosting-like
    # spaces at 256 workers but loses on the tuning objectives
    # (benchmarks/cluster_sim_pending.py), so it stays an observation's.
    _pending_width_independent = 1.0
    # With independent densities, a running candidate with no fold back
    # repels only if it was proposed within the last ``factor * m`` asks, m
    # the number of such candidates: those running longer are the slow fits,
    # which a running set over-represents, and repelling them all on every
    # axis drifts a many-worker search towards fast fits (boosting at 256
    # workers). None: every one repels. Chosen on the tuning objectives of
    # benchmarks/cluster_sim_pending.py (level with flat fit times, ahead
    # where good models fit slowly); joint densities keep every one.
    _pending_recent_factor: float | None = 1.0
    # Share of the proposals after start-up drawn from the prior instead of
    # l(x)/g(x) (every ``round(1 / share)``-th one): a floor of exploration
    # that keeps a search whose early good trials mislead it from spending
    # its whole budget beside them. Chosen on benchmarks/heldout.py's tuning
    # suite, not a public setting.
    _explore_share = 0.0
    # When more trials share the best score than the good set holds, leave
    # the good set empty (explore) instead of taking the earliest of them
    # (chosen on benchmarks/heldout.py's tuning suite; a switch for ablation).
    _tie_explore = True
    # Kernel width (unit scale) and weight of the median of smoothed_scores.
    _smooth_width = 0.1
    _smooth_prior = 0.5
    # multivariate='auto': trials pending at an ask from which the proposals
    # model parameters independently. Chosen by
    # ``benchmarks/cluster_sim_densities.py sweep`` on the tuning objectives
    # (about W / 4 trials are pending with W asynchronous workers and 5 folds:
    # independent densities are behind up to 16 workers, ahead from 32).
    _independent_from_pending = 8
    # Forgetting: with ``_forget_after = K``, a set of m > K trials (the good
    # or the bad one, in trial order) weighs its K latest 1 and its older ones
    # linearly from 1/m for the oldest up to 1 (so the K+1-th latest weighs 1
    # too when m > K + 1; Optuna's and
    # hyperopt's TPE do so in every search), in the densities of the modes
    # named in ``_forget_modes``. None: every trial weighs 1. Independent
    # densities need it: a choice tried only among the first, random trials
    # (bad for their other parameters) keeps a low l(x)/g(x) on its axis for
    # good, and a many-worker search could stay on another choice for
    # thousands of trials (docs/guide/scaling.md, stop 45). Chosen on the
    # tuning objectives of benchmarks/cluster_sim_pending.py and
    # cluster_sim_categorical.py; in the sequential (joint) search it was
    # behind on the held-out tuning suite (guide/ablation.md, round 9).
    _forget_after: int | None = 25
    _forget_modes: tuple[str, ...] = ("independent",)
    # Spread: with ``_near_radius = r``, a TPE proposal is never within ``r``
    # good-set kernel scales (on every numeric axis, with the same choices)
    # of a trial already proposed in its branch, finished or pending: its
    # score there is a near copy of that trial's, so it costs a fit and
    # tells little. None: no such rule (the samples clump, as in Optuna's
    # and hyperopt's TPE). At 0.5 it kept models a little worse on the held
    # out tuning suite (guide/ablation.md, round 22: the close proposals
    # refine the best trial), so it stays off: a switch for ablation.
    _near_radius: float | None = None

    def __init__(
        self,
        param_distributions: Mapping[str, Any] | Sequence[Mapping[str, Any]] | SearchSpace,
        *,
        n_startup_trials: int = 10,
        gamma: float = 0.15,
        n_ei_candidates: int = 24,
        multivariate: bool | str = "auto",
        bandwidth: float = 0.07,
        prior_weight: float = 1.0,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        compat.validate_parameter_constraints(
            SAMPLER_CONSTRAINTS,
            dict(
                n_startup_trials=n_startup_trials, gamma=gamma, n_ei_candidates=n_ei_candidates,
                multivariate=multivariate, bandwidth=bandwidth, prior_weight=prior_weight,
                random_state=random_state,
            ),
            caller_name="TPESampler",
        )
        rng = check_random_state(random_state)
        self.space_ = (
            param_distributions
            if isinstance(param_distributions, SearchSpace)
            else SearchSpace(param_distributions)
        )
        self.n_startup_trials = int(n_startup_trials)
        self.gamma = float(gamma)
        self.n_ei_candidates = int(n_ei_candidates)
        self.multivariate = multivariate if multivariate == "auto" else bool(multivariate)
        self.bandwidth = float(bandwidth)
        self.prior_weight = float(prior_weight)
        self._rng = rng
        self._rows = [_Rows(b) for b in self.space_.branches]
        self.params_: list[dict[str, Any]] = []
        # Per trial: its score (meaningful only once told), whether it was
        # told (``_done``; a pending trial was asked and not yet told), its
        # branch and its row in that branch's encoded rows.
        self._scores = np.empty(16)
        self._done = np.empty(16, dtype=bool)
        self._branch = np.empty(16, dtype=np.intp)
        self._row = np.empty(16, dtype=np.intp)
        self._pending: list[int] = []  # indices of the pending trials, in ask order
        # The dict ask() handed out for each pending trial: a copy of the one params_ keeps,
        # so that editing it does not change the record (see _find_pending).
        self._handed: dict[int, dict[str, Any]] = {}
        # Provisional scores of pending trials (tell(..., provisional=True)), by index.
        self._provisional: dict[int, float] = {}
        self._seen: set = set()  # keys of points of countable branches
        # Kernel banks by (branch index, kernel scale): those of the previous
        # batch, and those used in this one (see _estimators).
        self._banks: dict[tuple[int, float], KernelBank] = {}
        self._banks_used: dict[tuple[int, float], KernelBank] = {}
        self._startup: list[Points] | None = None  # Latin hypercube block, made at the first ask

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_handed", {})  # pickled before ask() handed out copies

    # -- public API -------------------------------------------------------------
    @property
    def scores_(self) -> np.ndarray:
        n = len(self.params_)
        scores = np.where(self._done[:n], self._scores[:n], np.nan)  # NaN while pending
        scores[scores == _TOP] = np.inf  # told as +inf (see tell)
        return scores

    @property
    def n_pending(self) -> int:
        """Number of proposed trials not yet told."""
        return len(self._pending)

    @property
    def exhausted(self) -> bool:
        """True when a finite space has no unevaluated point left."""
        return self.space_.finite and len(self._seen) >= self.space_.size

    def split_densities(
        self,
        name: str,
        *,
        n_trials: int | None = None,
        branch: int | None = None,
        n_points: int = 200,
    ) -> SplitDensities:
        """The good and bad densities of one parameter, as TPE saw them.

        Rebuilds the two Parzen estimators from the first ``n_trials``
        trials, i.e. the state in which a sequential search proposed trial
        ``n_trials``, and evaluates their marginals along one parameter.
        Each of those trials counts with its final score (one still pending
        as failed); with several workers some of them were still running
        when trial ``n_trials`` was proposed. By default the densities are
        those the next :meth:`ask` starts from: told trials, and pending
        ones told a provisional score by that score; trials pending without
        one are left out (``ask`` keeps new proposals away from them with
        extra kernels in g(x), not shown). Densities are relative to the prior (the parameter's own
        distribution), so the prior is flat at 1 and ``l / g`` is the quantity
        TPE maximises. With independent densities (see ``multivariate``; with
        ``'auto'``, the current state with 8 or more trials pending) older
        trials weigh less, as in :meth:`ask`.

        Parameters
        ----------
        name : str
            Parameter name.
        n_trials : int, default=None
            Number of first trials to use; None for the sampler's current
            state (see above).
        branch : int, default=None
            Index of the dict holding ``name`` in a list-of-dicts space. None
            means the dict that trial ``n_trials`` was drawn from, if it holds
            ``name``, else the first dict that does.
        n_points : int, default=200
            Grid size for a continuous parameter.

        Returns
        -------
        result : dict
            ``values`` (grid of parameter values, or the list's choices),
            ``l`` and ``g`` (densities relative to the prior at ``values``),
            ``kind`` ('continuous', 'discrete' or 'categorical'), ``branch``
            (the index of the dict used), ``n_good`` and ``n_bad`` (trials
            behind each density of this branch), ``chosen`` (the value of
            trial ``n_trials``, or None, also where that trial was drawn from
            another dict) and ``chosen_branch`` (the index of the dict trial
            ``n_trials`` was drawn from, or None).
        """
        n = len(self.params_) if n_trials is None else n_trials
        if not self.params_:
            raise ValueError(
                "split_densities needs told trials, and this sampler has none yet: "
                "tell it at least one scored trial first."
            )
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not (
            0 < n <= len(self.params_)
        ):
            raise ValueError(
                f"n_trials={n_trials!r} is invalid: use None or an int from 1 to "
                f"{len(self.params_)} (the number of trials asked or told)."
            )
        n = int(n)  # (not a scikit-learn Interval above: that accepts True as 1)
        if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) \
                or n_points < 1:
            raise ValueError(f"n_points={n_points!r} is invalid: use an int of at least 1.")
        b = self._branch_holding(name, n, branch)
        dim = next(d for d in b.dims if d.name == name)
        if dim.kind == "opaque":
            raise ValueError(
                f"{name!r} is drawn at random from its 'rvs' method; TPE does not "
                f"model it, so it has no densities."
            )
        if n_trials is None:  # the state the next ask starts from
            good, bad = self._split(branch=b.index)
            bad = bad[self._modelled(len(self.params_))[0][bad]]
        else:
            good, bad = self._split(n, branch=b.index)
        # The marginals of joint and independent densities differ only in their
        # weights (independent densities forget older trials): the current state
        # uses the mode the next ask would; an earlier one the mode of a search
        # proposing one candidate at a time (nothing pending).
        joint = self._joint_now() if n_trials is None else self.multivariate is not False
        l_est, g_est = self._estimators(b, good, joint), self._estimators(b, bad, joint)
        dims = b.cont + b.disc
        # (a trial drawn from another dict of the space has no value on this one's axis)
        chosen_branch = int(self._branch[n]) if n < len(self.params_) else None
        chosen = self.params_[n].get(name) if chosen_branch == b.index else None
        out: SplitDensities = dict(  # type: ignore[typeddict-item]  # filled below
            n_good=l_est.n, n_bad=g_est.n, chosen=chosen, chosen_branch=chosen_branch,
            kind=dim.kind, branch=b.index,
        )
        if name in [d.name for d in b.cat]:
            j = [d.name for d in b.cat].index(name)
            log_k = np.log(b.cat[j].size)
            out["values"] = list(b.cat[j].choices)
            out["l"] = np.exp(l_est.log_pmf_categorical(j) + log_k)
            out["g"] = np.exp(g_est.log_pmf_categorical(j) + log_k)
            return out
        j = [d.name for d in dims].index(name)
        d = dims[j]
        if d.kind == "discrete":
            u_lo = np.linspace(0, 1, n_points + 1)[:-1] + 0.5 / n_points
            values = np.unique(d.from_unit(u_lo))
            lo, hi = d.cells(values)
            u = 0.5 * (lo + hi)
            out["values"] = values.astype(int)
            out["l"] = np.exp(l_est.log_pdf_axis(j, u))
            out["g"] = np.exp(g_est.log_pdf_axis(j, u))
            return out
        u = (np.arange(n_points) + 0.5) / n_points
        out["values"] = d.from_unit(u)
        out["l"] = np.exp(l_est.log_pdf_axis(j, u))
        out["g"] = np.exp(g_est.log_pdf_axis(j, u))
        return out

    def smoothed_scores(
        self,
        params: list,
        scores: np.ndarray | list,
        *,
        width: float | None = None,
        prior_weight: float | None = None,
    ) -> np.ndarray:
        """Scores of evaluated dicts, each averaged with its neighbours'.

        A kernel-weighted mean (Nadaraya-Watson) over the finite scores of the
        same dict of the space with the same categorical values, with normal
        weights of width ``width`` on the unit (quantile) scale of the numeric
        parameters, plus ``prior_weight`` pseudo-observations at the median
        score. The best raw cross-validation score of many candidates is
        partly luck (the winner's curse); a candidate whose neighbours score
        well too is a safer choice, and an isolated lucky score is pulled
        towards the median. A score far below the rest (past Tukey's far-out
        fence, three interquartile ranges below the lower quartile, such as a
        diverged fit's) counts as at that fence, so that one does not swamp
        the smoothed scores of its whole dict. ``TPESearchCV(selection='smoothed')``
        returns the candidate with the largest smoothed score.

        Parameters
        ----------
        params : list of dict
            Parameter dicts of the space.
        scores : array-like of shape (len(params),)
            Their scores, greater is better; NaN or infinite values are
            ignored as neighbours and smoothed to NaN.
        width : float, default=None
            Kernel width on the unit scale; None uses the setting chosen on
            the benchmarks' tuning suite (0.1).
        prior_weight : float, default=None
            Weight of the median score, in observations; None uses the
            chosen setting (0.5).

        Returns
        -------
        smoothed : ndarray of shape (len(params),)
        """
        for name, value in (("width", width), ("prior_weight", prior_weight)):
            if value is not None and (not isinstance(value, numbers.Real)
                                      or isinstance(value, bool) or not np.isfinite(value)):
                raise TypeError(
                    f"smoothed_scores got {name}={value!r}; give a finite number, or None "
                    f"for the chosen setting."
                )
        width = self._smooth_width if width is None else float(width)
        prior = self._smooth_prior if prior_weight is None else float(prior_weight)
        if not width > 0 or not prior >= 0:
            raise ValueError(
                f"smoothed_scores got width={width!r} and prior_weight={prior!r}: width must "
                f"be above 0 and prior_weight at least 0 (None uses the chosen settings)."
            )
        if isinstance(params, Mapping):
            raise TypeError(
                "smoothed_scores got one parameter dict; give a list of them, with a "
                "sequence of their scores."
            )
        params, s = _checked_scores("smoothed_scores", params, scores)
        ok = np.isfinite(s)
        out = np.full(len(s), np.nan)
        if not ok.any():
            return out
        # Scaled down where huge: the weighted sums would overflow, and a clip (as for the
        # branch statistics) would make every huge candidate's smoothed score the same.
        size = float(np.abs(s[ok]).max())
        scale = size if size > _HUGE else 1.0
        s = s / scale
        q1, median, q3 = (float(q) for q in np.percentile(s[ok], [25, 50, 75]))
        if q3 > q1:  # (with no spread between the quartiles there is no yardstick)
            s = np.where(ok, np.maximum(s, q1 - 3.0 * (q3 - q1)), s)
        pts = [self.space_.encode(p) if good else None for p, good in zip(params, ok)]
        branch = np.array([p.branch if p is not None else -1 for p in pts])
        for b in self.space_.branches:
            idx = np.flatnonzero(branch == b.index)
            if not len(idx):
                continue
            num = np.vstack([pts[i].num for i in idx])
            cat = np.vstack([pts[i].cat for i in idx])
            for lo in range(0, len(idx), 512):  # blocks bound the memory of the pair terms
                rows = slice(lo, lo + 512)
                d2 = ((num[rows, None, :] - num[None, :, :]) ** 2).sum(-1)
                w = np.exp(-0.5 * d2 / width**2)
                w *= (cat[rows, None, :] == cat[None, :, :]).all(-1)
                out[idx[rows]] = (w @ s[idx] + prior * median) / (w.sum(1) + prior)
        return out * scale

    def _branch_holding(self, name: str, n: int, branch: int | None) -> Branch:
        """The branch whose densities ``split_densities`` shows (see there)."""
        branches = self.space_.branches
        if branch is not None:
            if isinstance(branch, bool) or not isinstance(branch, numbers.Integral) or not (
                0 <= branch < len(branches)
            ):
                raise ValueError(
                    f"branch={branch!r} is invalid: use None or an int from 0 to "
                    f"{len(branches) - 1}, the index of a dict of the list-of-dicts space."
                )
            b = branches[int(branch)]
            if name not in b.names:
                raise ValueError(
                    f"{name!r} is not a parameter of branch {b.index}; {name_fix(name, b.names)}"
                )
            return b
        with_name = [b for b in branches if name in b.names]
        if not with_name:
            raise ValueError(
                f"{name!r} is not a parameter of the search space; "
                f"{name_fix(name, self.space_.names)}"
            )
        if n < len(self.params_):
            used = branches[self._branch[n]]
            if used in with_name:
                return used
        return with_name[0]

    def ask(self, n_candidates: int = 1) -> list[dict[str, Any]]:
        """Propose parameter dicts to evaluate next.

        Pending (asked, not yet told) trials count as bad results, so a batch
        spreads out instead of repeating itself (a "constant liar"): each
        joins g(x) as one more kernel, a quarter as wide as an observation's
        for the picks of this call, as wide as an observation's for a trial
        pending from an earlier call (so ``k`` calls of ``ask(1)`` spread
        wider than one ``ask(k)``). With independent densities (see
        ``multivariate``), a trial pending from an earlier call counts only if
        it is one of the last ``m`` entries of ``params_``, ``m`` the number
        of pending trials with no provisional score: the ones pending longer
        are the slow fits, over-represented among those running. A pending trial
        told a provisional score (see :meth:`tell`) counts with that score
        instead.

        Parameters
        ----------
        n_candidates : int, default=1
            How many to propose.

        Returns
        -------
        params : list of dict
            At most ``n_candidates`` dicts; fewer only when a finite space
            runs out of unevaluated points.
        """
        compat.validate_parameter_constraints(
            _ASK_CONSTRAINTS, {"n_candidates": n_candidates}, caller_name="TPESampler.ask"
        )
        out: list[dict[str, Any]] = []
        pools: dict[tuple[int, bool], _Pool] | None = None
        joint = self._joint_now()
        while len(out) < n_candidates and not self.exhausted:
            if len(self.params_) < self.n_startup_trials:
                pts = self._startup_point()
            else:
                # One fit of the densities per batch; each pick then joins
                # g(x) as a pending trial (a "constant liar").
                if pools is None:
                    self._banks, self._banks_used = self._banks_used, {}
                    pools = {}
                pts = self._tpe_point(pools, joint, explore=self._explore_now())
                if pts is None:
                    break
            params = self.space_.branches[pts.branch].decode(pts, 0, self._rng)
            n = self._add(pts, params, None)
            self._pending.append(n)
            self._handed[n] = dict(params)
            out.append(self._handed[n])
        return out

    def tell(
        self,
        params: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        scores: float | Sequence[float] | np.ndarray,
        provisional: bool = False,
    ) -> None:
        """Record the scores of evaluated parameter dicts.

        Parameters
        ----------
        params : dict or list of dict
            Dicts returned by :meth:`ask`, or any dicts of the space (e.g.
            known good configurations or earlier results). A dict returned by
            :meth:`ask` settles its trial even if it was edited since (a key
            added for the estimator, a value rounded): the sampler records the
            parameters it proposed. To record others, tell a new dict.
        scores : float or array-like of float
            One score per dict; greater is better. NaN or ``-inf`` scores
            (failed fits) count as the worst results; ``+inf`` counts as the
            best (as ``cv_results_`` ranks it).
        provisional : bool, default=False
            The scores are interim estimates of trials still running (for
            instance the mean over the CV folds finished so far, best with
            each fold corrected for how easy it is for every candidate, as
            ``TPESearchCV`` does; see the scaling guide): each dict
            must be pending (returned by :meth:`ask` and not yet told). Until
            its final score is told, the trial is modelled with its latest
            provisional score instead of as an unknown pending point, and
            stays pending (``scores_`` NaN, counted in ``n_pending``).
        """
        if not isinstance(provisional, (bool, np.bool_)):
            raise TypeError(f"tell got provisional={provisional!r}; use True or False.")
        params, scores = _checked_scores("tell", params, scores)
        # +inf is kept as the largest float, which every model step ranks best.
        scores = np.where(scores == np.inf, _TOP, scores)
        if provisional:
            found = [self._find_pending(p) for p in params]
            if any(k is None for k in found):  # all or nothing
                raise ValueError(
                    "tell(..., provisional=True) got parameters that are not pending; "
                    "a provisional score is only for a dict returned by ask() and not "
                    "yet told its final score."
                )
            for k, s in zip(found, scores):
                self._provisional[self._pending[k]] = float(s)
            return
        # All or nothing: every dict is matched to a pending trial or encoded (which raises
        # for a dict outside the space) before any trial is recorded.
        pending = list(self._pending)
        plan: list[tuple[int | None, Points | None]] = []
        for p in params:
            k = self._find_pending(p, pending)
            plan.append((None, self.space_.encode(p)) if k is None else (pending.pop(k), None))
        for (idx, pts), p, s in zip(plan, params, scores):
            if idx is None:
                self._add(pts, dict(p), s)  # a copy: the caller's dict stays the caller's
            else:
                self._pending.remove(idx)
                self._provisional.pop(idx, None)
                self._handed.pop(idx, None)
                self._scores[idx] = s
                self._done[idx] = True

    # -- bookkeeping ------------------------------------------------------------
    def _find_pending(self, params: Mapping[str, Any], pending: list[int] | None = None
                      ) -> int | None:
        """Position in ``pending`` (default: the pending trials) of the trial ``params``
        reports; None if no pending trial has these parameters.

        The trial whose dict *is* ``params`` (the one :meth:`ask` returned, even
        if edited since: its record keeps the parameters asked), else the first
        pending trial, in ask order, with equal parameters (a copy of the dict,
        or values of another type such as numpy scalars).
        """
        pending = self._pending if pending is None else pending
        match = next((k for k, i in enumerate(pending) if self._handed.get(i) is params), None)
        if match is None:
            match = next(
                (k for k, i in enumerate(pending) if same_params(self.params_[i], params)),
                None,
            )
        return match

    def _modelled(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Of the first ``n`` trials: which have a score to model, and the scores.

        Told trials, and pending trials with a provisional score (which
        stands in for the final one until it is told).
        """
        done, scores = self._done[:n], self._scores[:n]
        if self._provisional:
            done, scores = done.copy(), scores.copy()
            for i, s in self._provisional.items():
                done[i], scores[i] = True, s
        return done, scores

    def _add(self, pts: Points, params: dict[str, Any], score: float | None) -> int:
        """Append a trial; ``score`` None makes it pending (asked, not told)."""
        n = len(self.params_)
        if n == len(self._scores):
            self._scores = np.concatenate([self._scores, np.empty(n)])
            self._done = np.concatenate([self._done, np.empty(n, bool)])
            self._branch = np.concatenate([self._branch, np.empty(n, np.intp)])
            self._row = np.concatenate([self._row, np.empty(n, np.intp)])
        # A pending trial's score slot holds NaN until told, but is never read
        # as a score: ``_done`` tells told trials from pending ones.
        self._scores[n] = np.nan if score is None else score
        self._done[n] = score is not None
        self._branch[n] = pts.branch
        self._row[n] = self._rows[pts.branch].append(pts)
        self.params_.append(params)
        key = self.space_.branches[pts.branch].keys(pts)[0]
        if key is not None:
            self._seen.add(key)
        return n

    def _unseen(self, pts: Points) -> np.ndarray:
        keys = self.space_.branches[pts.branch].keys(pts)
        return np.array([k is None or k not in self._seen for k in keys], dtype=bool)

    # -- start-up: Latin hypercube over the prior ----------------------------------
    def _startup_point(self) -> Points:
        if self._startup is None:
            self._startup = self._latin_hypercube(self.n_startup_trials - len(self.params_))
            self._startup.reverse()
        while self._startup:
            pts = self._startup.pop()
            if self._unseen(pts)[0]:
                return pts
        return self._prior_point()

    def _uniform(self, b: Branch, m: int) -> RawDraws:
        """Raw draws from the prior of branch ``b`` (uniform on every axis)."""
        rng = self._rng
        cat_u = rng.uniform(size=(m, len(b.cat)))
        cat = np.minimum(np.floor(cat_u * b.cat_sizes).astype(np.intp), b.cat_sizes - 1)
        return RawDraws(rng.uniform(size=(m, len(b.cont) + len(b.disc))), cat)

    def _latin_hypercube(self, n: int) -> list[Points]:
        """``n`` prior points, stratified on every axis and over branches."""
        rng = self._rng
        branches = self.space_.branches
        if n <= 0:
            return []
        which = rng.permutation(np.resize(np.arange(len(branches)), n))
        out: list[Points] = [None] * n  # type: ignore[list-item]  # every row is filled
        for b in branches:
            rows = np.flatnonzero(which == b.index)
            m = len(rows)
            if m == 0:
                continue
            num, cat_u = (
                (np.argsort(rng.uniform(size=(m, d)), axis=0) + rng.uniform(size=(m, d))) / m
                for d in (len(b.cont) + len(b.disc), len(b.cat))
            )
            cat = np.minimum(np.floor(cat_u * b.cat_sizes).astype(np.intp), b.cat_sizes - 1)
            pts = b.snap(num, cat)
            for i, r in enumerate(rows):
                out[r] = pts.take([i])
        return out

    def _random_point(self) -> Points:
        """One draw from the prior of a branch chosen at random."""
        b = self.space_.branches[self._rng.randint(len(self.space_.branches))]
        return b.snap(*self._uniform(b, 1))

    def _prior_point(self) -> Points:
        for _ in range(64):
            pts = self._random_point()
            if self._unseen(pts)[0]:
                return pts
        return self._best_unseen(lambda b, pts: np.zeros(len(pts)))

    def _explore_now(self) -> bool:
        """Whether the next proposal explores: every ``round(1 / _explore_share)``-th after start-up."""
        if self._explore_share <= 0:
            return False
        period = max(1, round(1.0 / self._explore_share))
        return (len(self.params_) - self.n_startup_trials) % period == period - 1

    # -- TPE proposals --------------------------------------------------------------
    def _split(
        self, n: int | None = None, branch: int | None = None, explore: bool = False
    ) -> _Split:
        """Trial indices of the good and the bad set (pending count as bad,
        unless told a provisional score, which splits them like a final one).

        The good set is the ``ceil(gamma * n_finished)`` best finished trials,
        ties going to the earlier trial; failed (non-finite) trials are
        never good. It is empty when the finished trials carry no signal to
        split on: all failed, all scored exactly the same, or more of them
        share the best score than the good set holds (a plateau such as a
        classifier that predicts one class, where any pick would be an
        arbitrary one among equals); and with ``explore``: l(x) is then the
        prior and l(x)/g(x) favours points far from every trial. With
        ``branch``, only that branch's trials are split (each dict of a
        list-of-dicts space has its own good set). With ``n``, only the first
        ``n`` trials are considered, all finished.
        """
        if n is None:
            n = len(self.params_)
            told, scores = self._modelled(n)
            is_pending = ~told
        else:
            # A trial among the first n that is still pending has no score:
            # it counts as a failed one, like a trial told NaN.
            told, scores = self._done[:n], self._scores[:n]
            is_pending = np.zeros(n, dtype=bool)
        trials = np.arange(n)
        if branch is not None and len(self._rows) > 1:
            trials = trials[self._branch[:n] == branch]
        s = np.where(told[trials], scores[trials], -np.inf)
        s[~np.isfinite(s)] = -np.inf
        s[is_pending[trials]] = np.nan  # pending: neither good nor compared
        m = len(trials)
        n_finished = m - np.count_nonzero(is_pending[trials])
        is_good = np.zeros(m, dtype=bool)
        done = s[~np.isnan(s)]
        signal = done.size > 0 and done.min() < done.max()
        if n_finished and signal and not explore:
            n_good = max(1, math.ceil(self.gamma * n_finished))
            finite = np.where(np.isnan(s), -np.inf, s)
            # The n_good-th largest score: everything above it is good, and
            # the earliest trials scoring exactly it fill the remaining places.
            cut = np.partition(finite, m - n_good)[m - n_good]
            is_good = finite > cut
            # More trials sharing the best score than the good set holds:
            # nothing tells them apart, so the good set stays empty (explore).
            shared_best = not is_good.any() and np.count_nonzero(s == cut) > n_good
            if cut > -np.inf and not (self._tie_explore and shared_best):
                ties = np.flatnonzero(s == cut)
                is_good[ties[: n_good - np.count_nonzero(is_good)]] = True
        return _Split(trials[is_good], trials[~is_good])

    def _joint_now(self) -> bool:
        """Whether the next proposals model parameters jointly (see ``multivariate``)."""
        if self.multivariate == "auto":
            return self.n_pending < self._independent_from_pending
        return self.multivariate

    def _estimators(self, branch: Branch, trials: np.ndarray, joint: bool) -> ParzenEstimator:
        """Parzen estimator of ``branch`` fitted to those of ``trials`` in it
        (product kernels if ``joint``, independent axes otherwise).

        Kernel terms live in banks keyed by the (quantised) kernel scale and
        kept between calls, so only trials new to a bank cost computation.
        """
        rows = self._rows[branch.index]
        if len(self._rows) > 1:
            trials = trials[self._branch[trials] == branch.index]
        idx = self._row[trials]
        n_num = rows.num.shape[1]
        # Scott's rule counts the dimensions that vary: a constant (a one-element
        # list, a point mass) widened every kernel of its branch.
        n_dims = n_num + int(np.count_nonzero(branch.cat_sizes > 1))
        scale = kernel_scale(len(idx), n_dims, self.bandwidth)
        key = (branch.index, scale)
        bank = self._banks_used.get(key, self._banks.get(key))
        if bank is None:
            bank = KernelBank(scale, n_num, branch.cat_sizes)
        self._banks_used[key] = bank
        mode = "joint" if joint else "independent"
        m, keep = len(idx), self._forget_after
        weights = None
        if keep is not None and mode in self._forget_modes and m > keep:
            weights = np.concatenate([np.linspace(1.0 / m, 1.0, m - keep), np.ones(keep)])
        return ParzenEstimator(
            bank, bank.positions(idx, rows), multivariate=joint, prior_weight=self.prior_weight,
            weights=weights,
        )

    def _branch_order(self) -> np.ndarray:
        """Branches by an optimistic bound on their best attainable score.

        Which dict of a list-of-dicts space to propose from follows each
        branch's best score so far, not its average: a branch whose only
        good region is narrow has a poor mean but may hold the best model.
        The bound is ``best_b + c * sd_b * sqrt(log(N) / n_b)`` (UCB1-style),
        with ``n_b`` the trials of branch ``b`` (pending ones included, so a
        batch spreads over branches), ``N`` all trials, ``sd_b`` the spread of
        the branch's finished scores (provisional ones included; of all
        scores with fewer than two) and
        ``c`` the optimism. An untried branch comes first; a branch whose
        trials all failed counts the worst score of any branch as its best.
        Ties go to the earlier branch.
        """
        nb = len(self.space_.branches)
        if nb == 1:
            return np.zeros(1, dtype=np.intp)
        n = len(self.params_)
        br = self._branch[:n]
        done, s = self._modelled(n)
        counts = np.bincount(br, minlength=nb)
        ok = done & np.isfinite(s)  # finished (or provisionally scored), not failed
        top = np.zeros(nb, dtype=bool)  # a branch with a told +inf comes first
        top[br[ok & (s == _TOP)]] = True
        s = _tame(s)
        n_ok = np.bincount(br[ok], minlength=nb)
        n_failed = np.bincount(br[done & ~np.isfinite(s)], minlength=nb)
        # A branch whose finished trials all failed stands at the worst score seen: its
        # bonus can still bring it back (at -inf it was never proposed again).
        failed_only = (n_ok == 0) & (n_failed > 0)
        floor = s[ok].min() if ok.any() else -np.inf
        best = np.where(failed_only, floor, -np.inf)
        np.maximum.at(best, br[ok], s[ok])
        mean = np.bincount(br[ok], weights=s[ok], minlength=nb) / np.maximum(n_ok, 1)
        sq = np.bincount(br[ok], weights=(s[ok] - mean[br[ok]]) ** 2, minlength=nb)
        sd_all = float(np.std(s[ok])) if ok.sum() > 1 else 0.0
        sd = np.where(n_ok > 1, np.sqrt(sq / np.maximum(n_ok - 1, 1)), sd_all)
        bonus = self._branch_optimism * sd * np.sqrt(math.log(max(n, 2)) / np.maximum(counts, 1))
        bound = np.where((counts == 0) | top, np.inf, best + bonus)
        # a branch with only failed trials loses a tie (at the floor with no bonus, as on a
        # plateau, it would take every proposal)
        return np.lexsort((failed_only, -bound))

    def _pool(self, b: Branch, joint: bool, explore: bool = False) -> _Pool:
        """Good and bad densities of branch ``b``, split within the branch."""
        good, bad = self._split(branch=b.index, explore=explore)
        # A trial still pending from an earlier ask, with no provisional
        # score, counts as a pick of this batch: one kernel in g(x), not a
        # finished bad trial. It was proposed from older densities and
        # nothing is known of it yet, so its kernel is as wide as an
        # observation's (_pending_width), where this batch's own picks are
        # narrow. A provisionally scored one is split by that score.
        done = self._modelled(len(self.params_))[0]
        pending = bad[~done[bad]]
        pool = _Pool(self._estimators(b, good, joint), self._estimators(b, bad[done[bad]], joint),
                     self._pick_weight, self._pick_width)
        rows = self._rows[b.index]
        width = self._pending_width if joint else self._pending_width_independent
        if not joint and self._pending_recent_factor is not None and len(pending):
            m = np.count_nonzero(~done)  # running with no fold back, every branch
            pending = pending[len(self.params_) - pending <= self._pending_recent_factor * m]
        for i in pending[self._branch[pending] == b.index]:
            pool.add_pick(rows.take([self._row[i]]), width)
        return pool

    def _tpe_point(
        self, pools: dict[tuple[int, bool], _Pool], joint: bool, explore: bool = False
    ) -> Points | None:
        """The next TPE proposal of a batch (``pools``: this batch's densities).

        ``joint``: product kernels or independent axes (one choice per
        batch). With ``explore``, the good set is left empty (see :meth:`_split`).

        The branch comes from :meth:`_branch_order`; ``n_ei_candidates``
        candidates are drawn from its l(x) and the one with the largest
        l(x)/g(x) is proposed. A countable branch (no continuous parameter)
        draws more candidates when all are already evaluated; a finite one
        then enumerates its unseen points, and with none left yields to the
        next. Returns None when no branch has an unseen point.
        """
        rng = self._rng
        for index in self._branch_order():
            b = self.space_.branches[index]
            pool = pools.get((index, explore))
            if pool is None:
                pool = pools[(index, explore)] = self._pool(b, joint, explore)
            best = near = None
            spread = self._near_radius is not None
            for attempt in range(4 if b.countable or spread else 1):
                pts = b.snap(*pool.l_est.sample(rng, self.n_ei_candidates * (1 + 3 * attempt)))
                score = pool.score(pts)
                if b.countable:
                    score = np.where(self._unseen(pts), score, -np.inf)
                if spread:
                    near = pts.take([int(np.argmax(score))]) if near is None else near
                    score = np.where(self._far(pts, pool.l_est.scale), score, -np.inf)
                i = int(np.argmax(score))
                if score[i] > -np.inf:
                    best = pts.take([i])
                    break
            if best is None and near is not None and not b.countable:
                best = near  # every draw lies near a trial: the best first draw, not a stall
            if best is None and b.finite and b.size <= MAX_ENUMERATE:
                pts = b.enumerate()
                score = np.where(self._unseen(pts), pool.score(pts), -np.inf)
                i = int(np.argmax(score))
                best = pts.take([i]) if score[i] > -np.inf else None
            elif best is None:  # a large or infinite branch: a prior draw, unseen if one is
                pts = b.snap(*self._uniform(b, 64))
                unseen = np.flatnonzero(self._unseen(pts))
                best = pts.take([unseen[0] if len(unseen) else 0])  # else a repeat, not a stall
            if best is not None:
                pool.add_pick(best)
                return best
        return None

    def _far(self, pts: Points, scale: float) -> np.ndarray:
        """Which of ``pts`` lie farther than ``_near_radius * scale`` (on some
        numeric axis, or with another choice) from every trial of their branch."""
        rows = self._rows[pts.branch]
        n = rows.n
        if n == 0:
            return np.ones(len(pts), dtype=bool)
        radius = self._near_radius * scale
        # (candidates, trials): near on every numeric axis and the same choices
        near = np.all(np.abs(pts.num[:, None, :] - rows.num[None, :n, :]) <= radius, axis=2)
        near &= np.all(pts.cat[:, None, :] == rows.cat[None, :n, :], axis=2)
        return ~near.any(axis=1)

    def _best_unseen(self, acquisition: Callable[[Branch, Points], np.ndarray]) -> Points:
        """Exhaustive choice over the unseen points of small finite branches."""
        best, best_score = None, -np.inf
        for b in self.space_.branches:
            if not b.finite or b.size > MAX_ENUMERATE:
                continue
            pts = b.enumerate()
            score = np.where(self._unseen(pts), acquisition(b, pts), -np.inf)
            i = int(np.argmax(score))
            if score[i] > best_score:
                best, best_score = pts.take([i]), score[i]
        if best is None:
            # Large or continuous space: a repeat is allowed rather than stalling.
            best = self._random_point()
        return best
