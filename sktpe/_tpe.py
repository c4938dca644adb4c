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

import math
import numbers

import numpy as np
from sklearn.utils import check_random_state

from ._checks import name_fix
from ._parzen import KernelBank, ParzenEstimator, kernel_scale
from ._space import MAX_ENUMERATE, Points, SearchSpace

__all__ = ["TPESampler"]


class _Rows:
    """Growable encoded rows of one branch (amortised O(1) append)."""

    _FIELDS = ("num", "width", "disc_val", "cat")

    def __init__(self, branch):
        self.n = 0
        self.branch = branch.index
        n_num = len(branch.cont) + len(branch.disc)
        self.num = np.empty((8, n_num))
        self.width = np.empty((8, n_num))
        self.disc_val = np.empty((8, len(branch.disc)))
        self.cat = np.empty((8, len(branch.cat)), dtype=np.intp)

    def append(self, pts):
        if self.n == len(self.num):
            for f in self._FIELDS:
                a = getattr(self, f)
                setattr(self, f, np.concatenate([a, np.empty_like(a)]))
        for f in self._FIELDS:
            getattr(self, f)[self.n] = getattr(pts, f)[0]
        self.n += 1
        return self.n - 1

    def take(self, idx):
        return Points(self.branch, *(getattr(self, f)[idx] for f in self._FIELDS))


def _log_densities(ests, pts, feats=None):
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


def _ratio(l_est, g_est, pts):
    """log l(x) - log g(x) at encoded points."""
    log_l, log_g = _log_densities((l_est, g_est), pts)
    return log_l - log_g


class _Pool:
    """Candidates of one branch for a batch, and g(x) with the batch's picks."""

    def __init__(self, b, pts, l_est, g_est, group, sampler):
        self.b, self.pts, self.group, self.g_est = b, pts, group, g_est
        self.feats = l_est.features(pts.num, pts.cat) if l_est.multivariate else None
        self.log_l, self.log_g = _log_densities((l_est, g_est), pts, self.feats)
        self.ok = sampler._unseen(pts)
        self.keys = b.keys(pts)
        self.weight = g_est.prior_weight + g_est.n  # total weight of g's mixture
        self.picks = []
        self.bank = None

    def log_ratio(self, mask):
        """log l - log g at the masked candidates, g including the picks."""
        log_g = self.log_g[mask]
        n = len(self.picks)
        if n:
            picks = ParzenEstimator(
                self.bank, np.arange(n), multivariate=self.g_est.multivariate, prior_weight=0.0
            )
            feats = None if self.feats is None else self.feats[mask]
            log_sum = _log_densities([picks], self.pts.take(mask), feats)[0] + np.log(n)
            log_g = np.logaddexp(np.log(self.weight) + log_g, log_sum) - np.log(self.weight + n)
        return self.log_l[mask] - log_g

    def pick(self, i, pools):
        new = self.pts.take([i])
        self.ok[i] = False
        if self.keys[i] is not None:  # finite branch: no second copy anywhere
            for other in pools:
                other.ok &= np.array([key != self.keys[i] for key in other.keys])
        self.picks.append(new)
        if self.bank is None:
            self.bank = self.g_est.kernel_bank()
        rows = [np.vstack([getattr(p, f) for p in self.picks]) for f in ("num", "width", "cat")]
        self.bank.update(*rows)
        return new


def _same_params(p, q):
    """Whether two parameter dicts hold the same values (arrays allowed)."""
    if p.keys() != q.keys():
        return False
    for k, v in p.items():
        w = q[k]
        if v is w:
            continue
        try:
            if type(v) is not type(w) or not bool(v == w):
                return False
        except (TypeError, ValueError):
            return False
    return True


def _validate(name, value, ok, fix):
    if not ok:
        raise ValueError(f"{name}={value!r} is invalid: {fix}")


class TPESampler:
    """Tree-structured Parzen Estimator sampler with an ask/tell interface.

    Proposes parameter dicts from a RandomizedSearchCV-style space; results
    are reported back with :meth:`tell`. Scores are maximised (greater is
    better, as scikit-learn scorers); NaN and infinite scores count as the
    worst results.

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
    multivariate : bool, default=True
        Model parameters jointly (product kernels) instead of independently.
    bandwidth : float, default=0.07
        Kernel width on the unit (quantile) scale, shrunk as
        ``n ** (-1 / (d + 4))`` with the number ``n`` of observations in ``d``
        dimensions. Smaller values exploit the best region harder.
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

    def __init__(
        self,
        param_distributions,
        *,
        n_startup_trials=10,
        gamma=0.15,
        n_ei_candidates=24,
        multivariate=True,
        bandwidth=0.07,
        prior_weight=1.0,
        random_state=None,
    ):
        _validate(
            "n_startup_trials",
            n_startup_trials,
            isinstance(n_startup_trials, numbers.Integral) and n_startup_trials >= 0,
            "use a non-negative int.",
        )
        _validate(
            "gamma",
            gamma,
            isinstance(gamma, numbers.Real) and 0 < gamma <= 1,
            "use a float in (0, 1], e.g. 0.15.",
        )
        _validate(
            "n_ei_candidates",
            n_ei_candidates,
            isinstance(n_ei_candidates, numbers.Integral) and n_ei_candidates >= 1,
            "use a positive int, e.g. 24.",
        )
        _validate(
            "bandwidth",
            bandwidth,
            isinstance(bandwidth, numbers.Real) and 0 < bandwidth < math.inf,
            "use a positive finite float, e.g. 0.07.",
        )
        _validate(
            "prior_weight",
            prior_weight,
            isinstance(prior_weight, numbers.Real) and 0 < prior_weight < math.inf,
            "use a positive finite float, e.g. 1.0.",
        )
        _validate(
            "multivariate",
            multivariate,
            isinstance(multivariate, (bool, np.bool_)),
            "use True or False.",
        )
        try:
            rng = check_random_state(random_state)
        except ValueError:
            raise ValueError(
                f"random_state={random_state!r} is invalid: use None, an int or a "
                f"numpy.random.RandomState instance."
            ) from None
        self.space_ = (
            param_distributions
            if isinstance(param_distributions, SearchSpace)
            else SearchSpace(param_distributions)
        )
        self.n_startup_trials = int(n_startup_trials)
        self.gamma = float(gamma)
        self.n_ei_candidates = int(n_ei_candidates)
        self.multivariate = bool(multivariate)
        self.bandwidth = float(bandwidth)
        self.prior_weight = float(prior_weight)
        self._rng = rng
        self._rows = [_Rows(b) for b in self.space_.branches]
        self.params_ = []
        self._scores = np.empty(16)
        self._branch = np.empty(16, dtype=np.intp)
        self._row = np.empty(16, dtype=np.intp)
        self._pending = {}  # id(params) -> trial index
        self._seen = set()  # keys of points of finite branches
        self._banks, self._banks_used = {}, {}
        self._startup = None  # Latin hypercube block, made at the first ask

    # -- public API -------------------------------------------------------------
    @property
    def scores_(self):
        return self._scores[: len(self.params_)].copy()

    @property
    def n_pending(self):
        """Number of proposed trials not yet told."""
        return len(self._pending)

    @property
    def exhausted(self):
        """True when a finite space has no unevaluated point left."""
        return self.space_.finite and len(self._seen) >= self.space_.size

    def split_densities(self, name, *, n_trials=None, branch=None, n_points=200):
        """The good and bad densities of one parameter, as TPE saw them.

        Rebuilds the two Parzen estimators from the first ``n_trials`` told
        trials (all of them by default), i.e. the state in which the sampler
        proposed trial ``n_trials``, and evaluates their marginals along one
        parameter. Densities are relative to the prior (the parameter's own
        distribution), so the prior is flat at 1 and ``l / g`` is the quantity
        TPE maximises.

        Parameters
        ----------
        name : str
            Parameter name.
        n_trials : int, default=None
            Number of first trials to use; all told trials if None.
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
            behind each density of this branch), and ``chosen`` (the value of
            trial ``n_trials``, or None).
        """
        n = len(self.params_) if n_trials is None else n_trials
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not (
            0 < n <= len(self.params_)
        ):
            raise ValueError(
                f"n_trials={n_trials!r} is invalid: use None or an int from 1 to "
                f"{len(self.params_)} (the number of told trials)."
            )
        n = int(n)
        b = self._branch_holding(name, n, branch)
        dim = next(d for d in b.dims if d.name == name)
        if dim.kind == "opaque":
            raise ValueError(
                f"{name!r} is drawn at random from its 'rvs' method; TPE does not "
                f"model it, so it has no densities."
            )
        good, bad = self._split(n)
        l_est, g_est = self._estimators(b, good), self._estimators(b, bad)
        dims = b.cont + b.disc
        chosen = self.params_[n].get(name) if n < len(self.params_) else None
        out = dict(n_good=l_est.n, n_bad=g_est.n, chosen=chosen, kind=dim.kind, branch=b.index)
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

    def _branch_holding(self, name, n, branch):
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

    def ask(self, n_candidates=1):
        """Propose parameter dicts to evaluate next.

        Pending (asked, not yet told) trials count as bad results, so a batch
        spreads out instead of repeating itself (a "constant liar").

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
        _validate(
            "n_candidates",
            n_candidates,
            isinstance(n_candidates, numbers.Integral) and n_candidates >= 1,
            "use a positive int, e.g. 1.",
        )
        out = []
        while len(out) < n_candidates and not self.exhausted:
            if len(self.params_) < self.n_startup_trials:
                batch = [self._startup_point()]
            else:
                batch = self._tpe_batch(n_candidates - len(out))
            for pts in batch:
                params = self.space_.branches[pts.branch].decode(pts, 0, self._rng)
                self._pending[id(params)] = self._add(pts, params, np.nan)
                out.append(params)
        return out

    def tell(self, params, scores):
        """Record the scores of evaluated parameter dicts.

        Parameters
        ----------
        params : dict or list of dict
            Dicts returned by :meth:`ask`, or any dicts of the space (e.g.
            known good configurations or earlier results).
        scores : float or array-like of float
            One score per dict; greater is better. NaN or infinite scores
            (failed fits) count as the worst results.
        """
        if isinstance(params, dict):
            params, scores = [params], [scores]
        scores = np.asarray(scores, dtype=float).reshape(-1)
        if len(scores) != len(params):
            raise ValueError(
                f"tell got {len(params)} parameter dicts but {len(scores)} scores; "
                f"give one score per dict."
            )
        for p, s in zip(params, scores):
            idx = self._pending.pop(id(p), None)
            if idx is None:
                idx = self._find_pending(p)
            if idx is None:
                pts = self.space_.encode(p)
                self._add(pts, p, s)
            else:
                self._scores[idx] = s

    # -- bookkeeping ------------------------------------------------------------
    def _find_pending(self, params):
        for key, idx in self._pending.items():
            if _same_params(self.params_[idx], params):
                del self._pending[key]
                return idx
        return None

    def _add(self, pts, params, score):
        n = len(self.params_)
        if n == len(self._scores):
            self._scores = np.concatenate([self._scores, np.empty(n)])
            self._branch = np.concatenate([self._branch, np.empty(n, np.intp)])
            self._row = np.concatenate([self._row, np.empty(n, np.intp)])
        self._scores[n] = score
        self._branch[n] = pts.branch
        self._row[n] = self._rows[pts.branch].append(pts)
        self.params_.append(params)
        key = self.space_.branches[pts.branch].keys(pts)[0]
        if key is not None:
            self._seen.add(key)
        return n

    def _unseen(self, pts):
        keys = self.space_.branches[pts.branch].keys(pts)
        return np.array([k is None or k not in self._seen for k in keys], dtype=bool)

    # -- start-up: Latin hypercube over the prior ----------------------------------
    def _startup_point(self):
        if self._startup is None:
            self._startup = self._latin_hypercube(self.n_startup_trials - len(self.params_))
            self._startup.reverse()
        while self._startup:
            pts = self._startup.pop()
            if self._unseen(pts)[0]:
                return pts
        return self._prior_point()

    def _uniform(self, b, m):
        """Raw draws from the prior of branch ``b`` (uniform on every axis)."""
        rng = self._rng
        cat_u = rng.uniform(size=(m, len(b.cat)))
        cat = np.minimum(np.floor(cat_u * b.cat_sizes).astype(np.intp), b.cat_sizes - 1)
        return rng.uniform(size=(m, len(b.cont) + len(b.disc))), cat

    def _latin_hypercube(self, n):
        """``n`` prior points, stratified on every axis and over branches."""
        rng = self._rng
        branches = self.space_.branches
        if n <= 0:
            return []
        which = rng.permutation(np.resize(np.arange(len(branches)), n))
        out = [None] * n
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

    def _random_point(self):
        """One draw from the prior of a branch chosen at random."""
        b = self.space_.branches[self._rng.randint(len(self.space_.branches))]
        return b.snap(*self._uniform(b, 1))

    def _prior_point(self):
        for _ in range(64):
            pts = self._random_point()
            if self._unseen(pts)[0]:
                return pts
        return self._best_unseen(lambda b, pts: np.zeros(len(pts)))

    # -- TPE proposals --------------------------------------------------------------
    def _split(self, n=None):
        """Trial indices of the good and the bad set (pending count as bad).

        The good set is the ``ceil(gamma * n_finished)`` best finished trials,
        ties going to the earlier trial; failed (non-finite) trials are never
        good. With ``n``, only the first ``n`` trials are considered, all
        finished.
        """
        if n is None:
            n = len(self.params_)
            pending = list(self._pending.values())
        else:
            pending = []
        s = self._scores[:n].copy()
        s[~np.isfinite(s)] = -np.inf
        s[pending] = np.nan  # pending: neither good nor compared
        n_finished = n - len(pending)
        is_good = np.zeros(n, dtype=bool)
        if n_finished:
            n_good = max(1, math.ceil(self.gamma * n_finished))
            finite = np.where(np.isnan(s), -np.inf, s)
            # The n_good-th largest score: everything above it is good, and
            # the earliest trials scoring exactly it fill the remaining places.
            cut = np.partition(finite, n - n_good)[n - n_good]
            is_good = finite > cut
            if cut > -np.inf:
                ties = np.flatnonzero(s == cut)
                is_good[ties[: n_good - np.count_nonzero(is_good)]] = True
        return np.flatnonzero(is_good), np.flatnonzero(~is_good)

    def _estimators(self, branch, trials):
        """Parzen estimator of ``branch`` fitted to those of ``trials`` in it.

        Kernel terms live in banks keyed by the (quantised) kernel scale and
        kept between calls, so only trials new to a bank cost computation.
        """
        rows = self._rows[branch.index]
        if len(self._rows) > 1:
            trials = trials[self._branch[trials] == branch.index]
        idx = self._row[trials]
        n_num = rows.num.shape[1]
        scale = kernel_scale(len(idx), n_num + rows.cat.shape[1], self.bandwidth)
        key = (branch.index, scale)
        bank = self._banks_used.get(key, self._banks.get(key))
        if bank is None:
            bank = KernelBank(scale, n_num, branch.cat_sizes)
        self._banks_used[key] = bank
        return ParzenEstimator(
            bank, bank.positions(idx, rows), multivariate=self.multivariate,
            prior_weight=self.prior_weight,
        )

    def _models(self, n=None):
        # Keep only the kernel banks in use (two scales per branch at most).
        self._banks, self._banks_used = self._banks_used, {}
        good, bad = self._split(n)
        models = []
        nb = len(self.space_.branches)
        if nb == 1:
            log_lb = log_gb = np.zeros(1)
            bb = np.array([len(bad)])
        else:
            gb = np.bincount(self._branch[good], minlength=nb)
            bb = np.bincount(self._branch[bad], minlength=nb)
            w = self.prior_weight
            log_lb = np.log((w / nb + gb) / (w + gb.sum()))
            log_gb = np.log((w / nb + bb) / (w + bb.sum()))
        for b in self.space_.branches:
            models.append((self._estimators(b, good), self._estimators(b, bad)))
        return log_lb, log_gb, models, bb

    def _tpe_batch(self, k):
        """Up to ``k`` proposals, from one draw of candidates from l(x).

        The good set cannot change within a batch, so ``k * n_ei_candidates``
        candidates are drawn from l(x) at once and dealt into ``k`` groups;
        pick ``j`` takes the best of group ``j``, as if drawn afresh. Each
        pick joins g(x) as a pending (bad) observation, i.e. one more kernel
        in g's mixture, so g is updated exactly (``g <- (W g + sum of pick
        kernels) / (W + picks)``) without rebuilding the estimators. Returns
        fewer points only when the candidates run out of unseen points.
        """
        if k == 1:
            return [self._tpe_point()]
        log_lb, _, models, bb = self._models()
        rng = self._rng
        branches = self.space_.branches
        counts = rng.multinomial(
            self.n_ei_candidates * k, np.exp(log_lb - np.logaddexp.reduce(log_lb))
        )
        group = rng.permutation(int(counts.sum())) % k
        pools, start = [], 0
        for b, count in zip(branches, counts):
            if count:
                l_est, g_est = models[b.index]
                pts = b.snap(*l_est.sample(rng, count))
                pools.append(_Pool(b, pts, l_est, g_est, group[start : start + count], self))
                start += count
        bb = bb.astype(float)
        w, nb = self.prior_weight, len(branches)
        picked = []
        for j in range(k):
            log_gb = np.log((w / nb + bb) / (w + bb.sum()))
            best, best_score = None, -np.inf
            for own_group in (True, False):  # any group if this one has only repeats
                for pool in pools:
                    mask = pool.ok & (pool.group == j) if own_group else pool.ok
                    if not mask.any():
                        continue
                    score = np.full(len(mask), -np.inf)
                    score[mask] = pool.log_ratio(mask) + log_lb[pool.b.index] - log_gb[pool.b.index]
                    i = int(np.argmax(score))
                    if score[i] > best_score:
                        best, best_score = (pool, i), score[i]
                if best is not None:
                    break
            if best is None:
                break
            pool, i = best
            picked.append(pool.pick(i, pools))
            bb[pool.b.index] += 1
        return picked or [self._tpe_point()]

    def _tpe_point(self):
        log_lb, log_gb, models, _ = self._models()
        rng = self._rng
        best, best_score = None, -np.inf
        for attempt in range(4):
            m = self.n_ei_candidates * (1 + 3 * attempt)
            if len(log_lb) == 1:
                counts = [m]
            else:
                counts = rng.multinomial(m, np.exp(log_lb - np.logaddexp.reduce(log_lb)))
            for b, count in zip(self.space_.branches, counts):
                if count == 0:
                    continue
                l_est, g_est = models[b.index]
                pts = b.snap(*l_est.sample(rng, count))
                score = _ratio(l_est, g_est, pts)
                score = score + (log_lb[b.index] - log_gb[b.index])
                if b.finite:
                    score = np.where(self._unseen(pts), score, -np.inf)
                i = int(np.argmax(score))
                if score[i] > best_score:
                    best, best_score = pts.take([i]), score[i]
            if best is not None:
                return best

        def acquisition(b, pts):
            l_est, g_est = models[b.index]
            return _ratio(l_est, g_est, pts) + log_lb[b.index] - log_gb[b.index]

        return self._best_unseen(acquisition)

    def _best_unseen(self, acquisition):
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
