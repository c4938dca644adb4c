"""Parzen estimators on one branch's encoded space.

A :class:`ParzenEstimator` is a mixture of the prior (the user's distributions,
i.e. uniform on every unit axis) and one product kernel per observation:

* numeric axes (continuous values and discrete cell centres): a normal kernel
  truncated to [0, 1]; a discrete cell's mass is the kernel density at its
  centre times its width (midpoint rule; the kernel is never narrower than a
  cell);
* categorical axes: an Aitchison-Aitken kernel (mass ``1 - lam`` on the
  observed choice, the rest spread evenly over the other choices).

In the multivariate (default) mode a component's axes are drawn and scored
together, so interactions between parameters survive; in the univariate mode
each axis is an independent mixture, as in hyperopt. Everything is whole-array
numpy, and scoring ``m`` points against ``n`` kernels is a single
``(m, F) @ (F, n)`` matrix product (see :meth:`ParzenEstimator.log_pdf`).
"""

import math

import numpy as np
from scipy.special import ndtr, ndtri

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
_TINY = 1e-300


def _logsumexp(a, axis):
    top = a.max(axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    # exp in float32: four times faster, and ample for a density ratio.
    total = np.exp((a - top).astype(np.float32)).sum(axis=axis, dtype=np.float64)
    return np.log(total) + np.squeeze(top, axis=axis)


def kernel_scale(n, n_dims, bandwidth):
    """Kernel width on the unit scale for about ``n`` observations.

    Scott's rule ``n ** (-1 / (d + 4))``, with ``n`` rounded down to a grid of
    ratio 2**(1/4) so that the scale, and every per-kernel term that depends
    on it, changes only every ~19% growth of ``n`` and can be cached.
    """
    n_q = 2.0 ** (math.floor(4 * math.log2(max(n, 1))) / 4)
    return bandwidth * n_q ** (-1.0 / (max(n_dims, 1) + 4))


class KernelBank:
    """Kernel terms of every observation of one branch at one kernel scale.

    The per-kernel quantities (truncation mass, quadratic coefficients) cost
    transcendental functions; a bank computes them once per observation and
    extends itself as observations arrive, so building an estimator for any
    subset of them is a gather.

    Parameters
    ----------
    scale : float or ndarray of shape (n_num,)
        Kernel scale of each numeric axis on the unit interval.
    n_num : int
        Number of numeric axes.
    cat_sizes : ndarray of int
        Number of choices of each categorical axis.
    cat_scale : float, default=None
        Scale of the categorical kernels (the mean numeric scale if None).
    """

    def __init__(self, scale, n_num, cat_sizes, cat_scale=None):
        self.scale = np.broadcast_to(np.asarray(scale, dtype=float), (n_num,))
        self.n_num = n_num
        cat_scale = float(np.mean(scale)) if cat_scale is None else cat_scale
        self.cat_scale = cat_scale
        self.cat_sizes = cat_sizes
        self.n = 0
        self.offsets = np.concatenate([[0], np.cumsum(cat_sizes)[:-1]]).astype(np.intp)
        k = cat_sizes.astype(float)
        # Aitchison-Aitken: probability moved off the observed choice.
        self.lam = np.where(k > 1, (k - 1) / np.maximum(k, 1) * min(1.0, 2 * cat_scale), 0.0)
        self.log_hit = np.log1p(-self.lam)
        self.log_miss = np.log(np.maximum(self.lam / np.maximum(k - 1, 1), _TINY))
        self._fields = {}
        self._buffers = {}

    def empty_like(self):
        """A new, empty bank with the same kernel scales."""
        return KernelBank(self.scale, self.n_num, self.cat_sizes, cat_scale=self.cat_scale)

    def one_hot(self, cat):
        """One-hot code of category rows, all axes side by side."""
        out = np.zeros((len(cat), int(self.cat_sizes.sum())))
        if cat.shape[1]:
            out[np.arange(len(cat))[:, None], cat + self.offsets[None]] = 1.0
        return out

    def update(self, num, width, cat):
        """Add the terms of rows ``self.n:len(num)`` of the branch's history."""
        if len(num) <= self.n:
            return self
        num, width, cat = num[self.n :], width[self.n :], cat[self.n :]
        sig = np.maximum(self.scale, width)
        logz = np.log(np.maximum(ndtr((1 - num) / sig) - ndtr(-num / sig), _TINY))
        a = 1.0 / (sig * sig)
        gain = np.repeat(self.log_hit - self.log_miss, self.cat_sizes)
        # log N(x; mu, sig) summed over axes is quadratic in x and categorical
        # kernels are linear in the one-hot code: for features
        # [x**2, x, onehot], every (point, kernel) log value is
        # features @ coef.T + const.
        coef = np.hstack([-0.5 * a, num * a, self.one_hot(cat) * gain])
        const = (-0.5 * num * num * a - np.log(sig) - _LOG_SQRT_2PI - logz).sum(1)
        const += self.log_miss.sum()
        new = dict(mu=num, sig=sig, logz=logz, cat=cat, coef=coef, const=const)
        end = self.n + len(num)
        for key, value in new.items():
            buf = self._buffers.get(key)
            if buf is None or len(buf) < end:  # grow geometrically: O(1) amortised
                grown = np.empty((max(2 * end, 16),) + value.shape[1:], dtype=value.dtype)
                if buf is not None:
                    grown[: self.n] = buf[: self.n]
                buf = self._buffers[key] = grown
            buf[self.n : end] = value
            self._fields[key] = buf[:end]
        self.n = end
        return self

    def __getattr__(self, key):
        try:
            return self.__dict__["_fields"][key]
        except KeyError:
            raise AttributeError(key) from None


class ParzenEstimator:
    """Mixture density over one branch: the prior plus one kernel per observation.

    Parameters
    ----------
    bank : KernelBank
        Kernel terms of the branch's observations (updated to cover ``idx``).
    idx : ndarray of int
        Which of the bank's observations this estimator is fitted to (may be
        empty: the estimator is then the prior).
    multivariate : bool
        Joint product kernels (True) or independent axes (False).
    prior_weight : float
        Weight of the prior component relative to one observation.
    """

    def __init__(self, bank, idx, *, multivariate, prior_weight):
        self.multivariate = multivariate
        self.prior_weight = prior_weight
        self.n = n = len(idx)
        self.cat_sizes = bank.cat_sizes
        self._bank = bank
        self.lam, self.log_hit, self.log_miss = bank.lam, bank.log_hit, bank.log_miss
        self.log_prior_cat = -np.log(bank.cat_sizes.astype(float)).sum()
        w = np.concatenate([[prior_weight], np.ones(n)])
        with np.errstate(divide="ignore"):  # prior_weight=0: kernels only
            self.log_w = np.log(w / w.sum())
        if n == 0:
            self.mu = np.empty((0, bank.n_num))
            self.cat = np.empty((0, len(bank.cat_sizes)), dtype=np.intp)
        else:
            self.mu, self.sig, self.logz = bank.mu[idx], bank.sig[idx], bank.logz[idx]
            self.cat = bank.cat[idx]
            if multivariate:
                self._coef, self._const = bank.coef[idx], bank.const[idx]

    # -- sampling ---------------------------------------------------------------
    def sample(self, rng, size):
        """Draw ``size`` raw points: (num_u, cat) arrays, num_u on [0, 1]."""
        p = np.exp(self.log_w)
        d_num, d_cat = self.mu.shape[1], self.cat.shape[1]
        if self.multivariate:
            comp = rng.choice(len(p), size=size, p=p)[:, None]
            comp_num = np.broadcast_to(comp, (size, d_num))
            comp_cat = np.broadcast_to(comp, (size, d_cat))
        else:
            comp_num = rng.choice(len(p), size=(size, d_num), p=p)
            comp_cat = rng.choice(len(p), size=(size, d_cat), p=p)
        return self._sample_numeric(rng, comp_num), self._sample_categorical(rng, comp_cat)

    def _sample_numeric(self, rng, comp):
        size, d = comp.shape
        u = rng.uniform(size=(size, d))
        if d == 0 or self.n == 0:
            return u
        obs = np.maximum(comp - 1, 0)
        cols = np.arange(d)[None, :]
        m, s = self.mu[obs, cols], self.sig[obs, cols]
        # Inverse-CDF draw from the normal truncated to [0, 1].
        lo, hi = ndtr(-m / s), ndtr((1 - m) / s)
        q = np.clip(lo + u * (hi - lo), 1e-15, 1 - 1e-15)
        x = np.clip(m + s * ndtri(q), 0.0, 1.0)
        return np.where(comp == 0, u, x)

    def _sample_categorical(self, rng, comp):
        size, d = comp.shape
        k = self.cat_sizes
        uniform = np.minimum(np.floor(rng.uniform(size=(size, d)) * k).astype(np.intp), k - 1)
        if d == 0 or self.n == 0:
            return uniform
        observed = self.cat[np.maximum(comp - 1, 0), np.arange(d)[None, :]]
        # Off the observed choice: uniform over the other choices.
        other = np.floor(rng.uniform(size=(size, d)) * np.maximum(k - 1, 1)).astype(np.intp)
        other = np.minimum(other + (other >= observed), k - 1)
        keep = rng.uniform(size=(size, d)) >= self.lam
        kernel = np.where(keep, observed, other)
        return np.where(comp == 0, uniform, kernel)

    # -- scoring ----------------------------------------------------------------
    def log_pdf(self, num, width, cat):
        """Log density of points (log mass for discrete and categorical axes).

        Parameters
        ----------
        num, width, cat : ndarray
            The points' numeric coordinates, cell widths and categories, laid
            out as in the constructor.

        Returns
        -------
        log_pdf : ndarray of shape (n_points,)
        """
        m = len(num)
        log_width = np.log(np.where(width > 0, width, 1.0)).sum(1)
        if self.n == 0:
            return log_width + self.log_prior_cat
        if self.multivariate:
            feats = np.hstack([num * num, num, self._bank.one_hot(cat)])
            kern = feats @ self._coef.T + self._const  # (m, n)
            allc = np.concatenate(
                [np.full((m, 1), self.log_prior_cat), kern], axis=1
            )
            return _logsumexp(allc + self.log_w[None], axis=1) + log_width
        # Univariate: each axis is its own mixture with the prior.
        z = (num[:, None, :] - self.mu[None]) / self.sig[None]
        kern = -0.5 * z * z - np.log(self.sig)[None] - _LOG_SQRT_2PI - self.logz[None]
        pri = np.zeros((m, 1, num.shape[1]))
        lw = self.log_w[None, :, None]
        total = _logsumexp(np.concatenate([pri, kern], axis=1) + lw, axis=1).sum(1)
        if cat.shape[1]:
            kern = np.where(cat[:, None, :] == self.cat[None], self.log_hit, self.log_miss)
            pri = np.broadcast_to(-np.log(self.cat_sizes.astype(float)), (m, 1, cat.shape[1]))
            total += _logsumexp(np.concatenate([pri, kern], axis=1) + lw, axis=1).sum(1)
        return total + log_width

    def kernel_bank(self):
        """An empty bank of kernels with this estimator's scales.

        An estimator fitted to it with ``prior_weight=0`` scores extra
        observations (e.g. pending ones) exactly as this one would.
        """
        return self._bank.empty_like()

    def log_pdf_axis(self, axis, values, width=None):
        """Marginal log density of one numeric axis at ``values`` (unit scale).

        The marginal of a mixture of product kernels is the mixture of that
        axis's kernels with the same weights; used to plot l(x) and g(x).
        """
        values = np.asarray(values, dtype=float)
        log_width = 0.0 if width is None else np.log(width)
        if self.n == 0:
            return np.zeros_like(values) + log_width
        mu, sig, logz = self.mu[:, axis], self.sig[:, axis], self.logz[:, axis]
        z = (values[:, None] - mu[None]) / sig[None]
        kern = -0.5 * z * z - np.log(sig)[None] - _LOG_SQRT_2PI - logz[None]
        allc = np.concatenate([np.zeros((len(values), 1)), kern], axis=1)
        return _logsumexp(allc + self.log_w[None], axis=1) + log_width

    def log_pmf_categorical(self, axis):
        """Marginal log probability of every choice of a categorical axis."""
        k = int(self.cat_sizes[axis])
        choices = np.arange(k)
        if self.n == 0:
            return np.full(k, -np.log(k))
        hit = choices[:, None] == self.cat[None, :, axis]
        kern = np.where(hit, self.log_hit[axis], self.log_miss[axis])
        allc = np.concatenate([np.full((k, 1), -np.log(k)), kern], axis=1)
        return _logsumexp(allc + self.log_w[None], axis=1)
