"""Parzen estimators on one branch's encoded space.

A :class:`ParzenEstimator` is a mixture of the prior (the user's distributions,
i.e. uniform on every unit axis) and one product kernel per observation:

* numeric axes (continuous values and discrete cell centres): a normal kernel
  truncated to [0, 1]; a discrete cell's mass is the kernel density at its
  centre times its width (midpoint rule; the kernel is never narrower than
  half a cell);
* categorical axes: an Aitchison-Aitken kernel (mass ``1 - lam`` on the
  observed choice, the rest spread evenly over the other choices).

In the multivariate mode a component's axes are drawn and scored together,
so interactions between parameters survive; in the univariate mode each axis
is an independent mixture, as in hyperopt. (``TPESampler`` chooses the mode
per ask: see its ``multivariate`` setting.) Everything is whole-array
numpy, and scoring ``m`` points against ``n`` kernels is a single
``(m, F) @ (F, n)`` matrix product (see :meth:`ParzenEstimator.log_pdf`).
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, NamedTuple


import numpy as np
from scipy.special import ndtr, ndtri

if TYPE_CHECKING:
    from ._tpe import _Rows

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
_TINY = 1e-300
# A discrete kernel is never narrower than half a cell: the midpoint rule
# (density at the cell's centre times its width) then overstates a kernel's
# total mass by at most 1.5% (8% for a kernel on an end cell, truncated on one
# side; l and g share the rule, so their ratio barely moves), while a kernel
# can still put ~70% of its mass on its own cell (a full cell's width leaves
# only 38% there, too flat to settle on an int with few values).
_MIN_CELL_FRACTION = 0.5


class Kernels(NamedTuple):
    """Numeric kernel terms, one row per kernel and one column per numeric axis.

    Attributes
    ----------
    mu : ndarray
        Centres on the unit interval.
    sig : ndarray
        Scales (the bank's scale, never less than half a discrete cell).
    cdf_lo : ndarray
        The untruncated normal's CDF at 0 (where an inverse-CDF draw starts).
    mass : ndarray
        Its mass on [0, 1] (the truncation's normaliser), at least 1e-300.
    """

    mu: np.ndarray
    sig: np.ndarray
    cdf_lo: np.ndarray
    mass: np.ndarray

    def take(self, idx: np.ndarray | slice | tuple) -> Kernels:
        """The kernels ``idx`` (rows, or a ``(rows, columns)`` index tuple)."""
        return Kernels(*(a[idx] for a in self))


class RawDraws(NamedTuple):
    """Raw draws of points of a branch, before :meth:`~sktpe._space.Branch.snap`.

    Attributes
    ----------
    num_u : ndarray of shape (n_points, n_num)
        Numeric axes on the unit interval (continuous axes first).
    cat : ndarray of int of shape (n_points, n_cat)
        Category indices.
    """

    num_u: np.ndarray
    cat: np.ndarray


class _Components(NamedTuple):
    """Mixture components drawn for points (or for points and axes)."""

    kernel: np.ndarray  # index of the kernel drawn (0 where the prior was)
    prior: np.ndarray  # whether the prior was drawn


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    top = a.max(axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    # exp in float32: four times faster, and ample for a density ratio.
    total = np.exp((a - top).astype(np.float32)).sum(axis=axis, dtype=np.float64)
    return np.log(total) + np.squeeze(top, axis=axis)


@functools.lru_cache(maxsize=1024)
def kernel_scale(n: int, n_dims: int, bandwidth: float) -> float:
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

    def __init__(
        self,
        scale: float | np.ndarray,
        n_num: int,
        cat_sizes: np.ndarray,
        cat_scale: float | None = None,
    ) -> None:
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
        # The same kernel as a mixture of the observed choice and a uniform one.
        self.lam_uniform = self.lam * k / np.maximum(k - 1, 1)
        self._gain = self.log_hit - self.log_miss  # per axis, on the observed choice
        self._const0 = self.log_miss.sum() - n_num * _LOG_SQRT_2PI
        self.n_onehot = int(cat_sizes.sum())
        self.log_prior_cat = -np.log(k).sum()
        self._buffers: dict[str, np.ndarray] = {}  # name -> array grown geometrically; rows [:n] are used
        self._pos = np.empty(0, dtype=np.intp)  # see positions()

    # -- per-kernel terms of the bank's n observations ---------------------------
    def _used(self, name: str, shape: tuple[int, ...], dtype: type | np.dtype) -> np.ndarray:
        buf = self._buffers.get(name)
        return np.empty((0,) + shape, dtype=dtype) if buf is None else buf[: self.n]

    @property
    def kernels(self) -> Kernels:
        """:class:`Kernels` of the numeric axes, shape ``(n, n_num)`` each."""
        return Kernels(*(self._used(f, (self.n_num,), float) for f in Kernels._fields))

    @property
    def coef(self) -> np.ndarray:
        """Log-kernel coefficients of the features ``[x**2, x, onehot, 1]``,
        shape ``(n, 2 * n_num + n_onehot + 1)``, single precision."""
        return self._used("coef", (2 * self.n_num + self.n_onehot + 1,), np.float32)

    @property
    def cat(self) -> np.ndarray:
        """Observed choice of every categorical axis, shape ``(n, n_cat)``."""
        return self._used("cat", (len(self.cat_sizes),), np.intp)

    def empty_like(self, width: float = 1.0) -> KernelBank:
        """A new, empty bank with the same kernel scales times ``width``."""
        return KernelBank(self.scale * width, self.n_num, self.cat_sizes,
                          cat_scale=self.cat_scale * width)

    def features(self, num: np.ndarray, cat: np.ndarray) -> np.ndarray:
        """Features ``[x**2, x, onehot, 1]`` of points, for :meth:`ParzenEstimator.log_pdf_features`.

        Single precision: with it the matrix product and the exponentials
        cost half as much. The error of a log density grows as one over the
        kernel scale squared: about 1e-4 at the default bandwidth's scales
        (0.02 and above), about 4e-3 at 0.01 and 0.1 at 0.002 (a
        ``bandwidth`` far below the default), where near-equal candidates
        may be ranked either way.
        """
        m, d = len(num), self.n_num
        out = np.zeros((m, 2 * d + self.n_onehot + 1), dtype=np.float32)
        out[:, :d] = num * num
        out[:, d : 2 * d] = num
        if cat.shape[1]:
            out[np.arange(m)[:, None], 2 * d + cat + self.offsets] = 1.0
        out[:, -1] = 1.0
        return out

    def update(self, num: np.ndarray, width: np.ndarray, cat: np.ndarray) -> KernelBank:
        """Add the terms of rows ``self.n:len(num)`` of the given rows."""
        if len(num) > self.n:
            self._append(num[self.n :], width[self.n :], cat[self.n :])
        return self

    def positions(self, idx: np.ndarray, rows: _Rows) -> np.ndarray:
        """Bank positions of the observations ``idx`` of ``rows``.

        ``rows`` holds every observation of a branch (arrays ``num``,
        ``width``, ``cat`` and count ``n``); the bank computes the terms of
        the observations it has not seen yet and keeps the rest, so an
        estimator of a slowly changing set costs a lookup, not a refit.
        """
        if len(self._pos) < rows.n:
            self._pos = np.concatenate([self._pos, np.full(max(rows.n, 2 * len(self._pos)), -1)])
        pos = self._pos[idx]
        missing = idx[pos < 0]
        if len(missing):
            self._pos[missing] = np.arange(self.n, self.n + len(missing))
            self._append(rows.num[missing], rows.width[missing], rows.cat[missing])
            pos = self._pos[idx]
        return pos

    def _grow(
        self, end: int, shapes: dict[str, tuple[tuple[int, ...], type | np.dtype]]
    ) -> list[np.ndarray]:
        """Views of rows ``self.n:end`` of every buffer (grown geometrically)."""
        out = []
        for key, (shape, dtype) in shapes.items():
            buf = self._buffers.get(key)
            if buf is None or len(buf) < end:  # O(1) amortised appends
                grown = np.empty((max(2 * end, 16),) + shape, dtype=dtype)
                if buf is not None:
                    grown[: self.n] = buf[: self.n]
                buf = self._buffers[key] = grown
            out.append(buf[self.n : end])
        return out

    def _append(self, num: np.ndarray, width: np.ndarray, cat: np.ndarray) -> None:
        m, d = num.shape
        end = self.n + m
        mu, sig, cdf_lo, mass, coef, cat_out = self._grow(end, {
            **{f: ((d,), float) for f in Kernels._fields},
            "coef": ((2 * d + self.n_onehot + 1,), np.float32),
            "cat": ((cat.shape[1],), np.intp),
        })
        cat_out[:] = cat
        # What drawing from a kernel needs: centre, scale, and the normal's
        # CDF at 0 and its mass on [0, 1] (it is truncated to the interval).
        mu[:] = num
        np.maximum(self.scale, _MIN_CELL_FRACTION * width, out=sig)
        cdf_lo[:] = ndtr(-num / sig)
        np.maximum(ndtr((1.0 - num) / sig) - cdf_lo, _TINY, out=mass)
        # log N(x; mu, sig) summed over axes is quadratic in x and categorical
        # kernels are linear in the one-hot code: for features
        # [x**2, x, onehot, 1], every (point, kernel) log value is
        # features @ coef.T.
        a = 1.0 / (sig * sig)
        coef[:, :d] = -0.5 * a
        coef[:, d : 2 * d] = num * a
        coef[:, 2 * d : -1] = 0.0
        if cat.shape[1]:
            coef[np.arange(m)[:, None], 2 * d + cat + self.offsets] = self._gain
        coef[:, -1] = self._const0 - (0.5 * num * num * a + np.log(sig * mass)).sum(1)
        self.n = end


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
    weights : ndarray of shape (len(idx),), default=None
        Weight of each observation's kernel (positive); None weighs each 1.
    """

    def __init__(
        self,
        bank: KernelBank,
        idx: np.ndarray,
        *,
        multivariate: bool,
        prior_weight: float,
        weights: np.ndarray | None = None,
    ) -> None:
        self.multivariate = multivariate
        self.prior_weight = prior_weight
        self.n = n = len(idx)
        self.cat_sizes = bank.cat_sizes
        self._bank, self._idx = bank, idx
        self.lam, self.log_hit, self.log_miss = bank.lam, bank.log_hit, bank.log_miss
        self.log_prior_cat = bank.log_prior_cat
        self._lam_uniform = bank.lam_uniform
        # Every kernel weighs 1 (or its ``weights``), the prior ``prior_weight``;
        # log_w_kernel is the log of a weight of 1 over the mixture's total,
        # _log_w each kernel's log weight added to it (None: all 0).
        # prior_weight=0 (kernels only) gives the prior a weight of exp(-inf).
        self._weights = None if weights is None else np.asarray(weights, dtype=float)
        self._log_w = None if weights is None else np.log(self._weights)
        self.weight_sum = float(n) if weights is None else float(self._weights.sum())
        total = prior_weight + self.weight_sum
        self.log_w_prior = math.log(prior_weight / total) if prior_weight else -np.inf
        self.log_w_kernel = -math.log(total) if n else -np.inf

    # Per-kernel arrays, gathered from the bank on first use only (an
    # estimator that is only scored never gathers the sampling terms). An
    # empty estimator gathers nothing (the bank may not hold any row yet).
    @functools.cached_property
    def kernels(self) -> Kernels:
        """:class:`Kernels` of this estimator's observations, ``(n, n_num)`` each."""
        return self._bank.kernels.take(self._idx if self.n else slice(0, 0))

    @functools.cached_property
    def coef(self) -> np.ndarray:
        """Log-kernel coefficients of this estimator's observations (see
        :attr:`KernelBank.coef`)."""
        return self._bank.coef[self._idx if self.n else slice(0, 0)]

    @functools.cached_property
    def cat(self) -> np.ndarray:
        """Observed choices of this estimator's observations, ``(n, n_cat)``."""
        return self._bank.cat[self._idx if self.n else slice(0, 0)]

    @property
    def scale(self) -> float:
        """Kernel scale of the numeric axes on the unit interval (0 with none)."""
        return float(self._bank.scale[0]) if self._bank.n_num else 0.0

    @property
    def mu(self) -> np.ndarray:
        """Kernel centres, shape (n, n_num)."""
        return self.kernels.mu

    @property
    def sig(self) -> np.ndarray:
        """Kernel scales, shape (n, n_num)."""
        return self.kernels.sig

    @property
    def logz(self) -> np.ndarray:
        """Log mass of each kernel on [0, 1], shape (n, n_num)."""
        return np.log(self.kernels.mass)

    # -- sampling ---------------------------------------------------------------
    def _components(
        self, rng: np.random.RandomState, shape: int | tuple[int, ...]
    ) -> _Components:
        """Mixture components: kernel index, and whether the prior was drawn."""
        u = rng.uniform(size=shape) * (self.prior_weight + self.weight_sum)
        u -= self.prior_weight
        # Prior draws (u < 0) get kernel 0, a valid index that np.where discards; clipped
        # before the cast, which a huge prior_weight (u of -1e300) would overflow.
        if self._weights is None:
            kern = np.maximum(u, 0.0).astype(np.intp)
        else:  # the kernel whose share of [0, weight_sum) holds u
            kern = np.searchsorted(np.cumsum(self._weights), u, side="right")
        return _Components(np.clip(kern, 0, max(self.n - 1, 0)), u < 0)

    def sample(self, rng: np.random.RandomState, size: int) -> RawDraws:
        """Draw ``size`` raw points (:class:`RawDraws`, ``num_u`` on [0, 1])."""
        d_num, d_cat = self._bank.n_num, len(self.cat_sizes)
        if self.multivariate:
            kern, prior = self._components(rng, size)
            num = self._sample_numeric(rng, kern, prior[:, None], d_num)
            return RawDraws(num, self._sample_categorical(rng, kern, prior[:, None], d_cat))
        num = self._sample_numeric(rng, *self._components(rng, (size, d_num)), d_num)
        cat = self._sample_categorical(rng, *self._components(rng, (size, d_cat)), d_cat)
        return RawDraws(num, cat)

    def _sample_numeric(
        self, rng: np.random.RandomState, kern: np.ndarray, prior: np.ndarray, d: int
    ) -> np.ndarray:
        """Numeric axes: kernel ``kern`` (one per point, or per point and axis)."""
        u = rng.uniform(size=(len(kern), d))
        if d == 0 or self.n == 0:
            return u
        # One kernel per point (kern of shape (size,)) or per point and axis.
        k = self.kernels.take(kern if kern.ndim == 1 else (kern, np.arange(d)))
        # Inverse-CDF draw from the normal truncated to [0, 1].
        x = k.mu + k.sig * ndtri(k.cdf_lo + u * k.mass)
        return np.where(prior, u, np.clip(x, 0.0, 1.0))

    def _sample_categorical(
        self, rng: np.random.RandomState, kern: np.ndarray, prior: np.ndarray, d: int
    ) -> np.ndarray:
        """Categorical axes: the Aitchison-Aitken kernel is a mixture of the
        observed choice (weight ``1 - lam * k / (k - 1)``) and a uniform one."""
        k = self.cat_sizes
        u = rng.uniform(size=(2, len(kern), d))
        uniform = np.minimum((u[0] * k).astype(np.intp), k - 1)
        if d == 0 or self.n == 0:
            return uniform
        observed = self.cat[kern] if kern.ndim == 1 else self.cat[kern, np.arange(d)]
        return np.where(prior | (u[1] < self._lam_uniform), uniform, observed)

    # -- scoring ----------------------------------------------------------------
    def log_pdf(self, num: np.ndarray, width: np.ndarray, cat: np.ndarray) -> np.ndarray:
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
        log_width = np.log(np.where(width > 0, width, 1.0)).sum(1)
        if self.multivariate:
            return self.log_pdf_features(self._bank.features(num, cat)) + log_width
        return self._log_pdf_independent(num, cat) + log_width

    def log_pdf_features(self, feats: np.ndarray) -> np.ndarray:
        """Log density at points given as :meth:`KernelBank.features`, without
        the cells' log widths (a term shared by every estimator of the branch,
        so it cancels in a density ratio).
        """
        if not self.multivariate:
            raise ValueError(
                "log_pdf_features needs multivariate=True; use log_pdf for an "
                "estimator with multivariate=False."
            )
        prior = self.log_prior_cat + self.log_w_prior
        if self.n == 0:
            return np.full(len(feats), prior)
        bank = self._bank
        if self._log_w is not None:
            kern = feats @ self.coef.T
            kern += self._log_w
        elif 2 * self.n >= bank.n:
            # Most of the bank: scoring all of it and dropping the few others
            # is cheaper than gathering this estimator's coefficients.
            kern = feats @ bank.coef.T
            if self.n < bank.n:
                drop = np.ones(bank.n, dtype=bool)
                drop[self._idx] = False
                kern[:, drop] = -np.inf
        else:
            kern = feats @ self.coef.T  # (m, n) log kernel values, all finite
        top = kern.max(axis=1, keepdims=True)
        np.subtract(kern, top, out=kern)
        np.exp(kern, out=kern)
        log_k = np.log(kern.sum(axis=1, dtype=np.float64)) + top[:, 0] + self.log_w_kernel
        return np.logaddexp(log_k, prior)

    @functools.cached_property
    def _axis_terms(self) -> tuple[np.ndarray, np.ndarray]:
        """Per kernel and numeric axis: the inverse scale, and the log of the
        kernel's weight over its normaliser (``(n, n_num)`` each)."""
        sig = self.sig
        log_c = self.log_w_kernel - np.log(sig) - _LOG_SQRT_2PI - self.logz
        if self._log_w is not None:
            log_c += self._log_w[:, None]
        return 1.0 / sig, log_c

    @functools.cached_property
    def _choice_counts(self) -> np.ndarray:
        """Kernel weight observed at each choice of each categorical axis, ``(n_cat, max choices)``."""
        d, k = self.cat.shape[1], int(self.cat_sizes.max(initial=1))
        flat = (self.cat + k * np.arange(d)).ravel()
        w = None if self._weights is None else np.repeat(self._weights, d)
        return np.bincount(flat, weights=w, minlength=d * k).reshape(d, k).astype(float)

    def _log_pdf_independent(self, num: np.ndarray, cat: np.ndarray) -> np.ndarray:
        """Each axis its own mixture with the prior, as in hyperopt.

        The prior's weight keeps every axis's density above zero, so the
        numeric mixtures are summed without a shift (an estimator without a
        prior, ``prior_weight=0``, takes the shifted sum); a categorical
        axis's mixture depends only on how many kernels sit at the point's
        choice.
        """
        m = len(num)
        if self.n == 0:
            return np.full(m, self.log_prior_cat)
        w_prior = math.exp(self.log_w_prior)  # 0 without a prior
        total = np.zeros(m)
        if num.shape[1]:
            inv, log_c = self._axis_terms
            z = (num[:, None, :] - self.mu[None]) * inv[None]  # (m, n, n_num)
            np.square(z, out=z)
            z *= -0.5
            z += log_c[None]
            if w_prior > 0:
                np.exp(z, out=z)
                total += np.log(z.sum(axis=1) + w_prior).sum(axis=1)
            else:
                total += _logsumexp(z, axis=1).sum(axis=1)
        if cat.shape[1]:
            at_choice = self._choice_counts[np.arange(cat.shape[1]), cat]  # (m, n_cat)
            hit, miss = np.exp(self.log_hit), np.exp(self.log_miss)
            mass = (at_choice * hit + (self.weight_sum - at_choice) * miss) * math.exp(self.log_w_kernel)
            total += np.log(mass + w_prior / self.cat_sizes).sum(axis=1)
        return total

    def features(self, num: np.ndarray, cat: np.ndarray) -> np.ndarray:
        """Points as features for :meth:`log_pdf_features` (see :meth:`KernelBank.features`)."""
        return self._bank.features(num, cat)

    def kernel_bank(self, width: float = 1.0) -> KernelBank:
        """An empty bank of kernels with this estimator's scales times ``width``.

        An estimator fitted to it with ``prior_weight=0`` scores extra
        observations (e.g. pending ones) as this one would, with kernels
        ``width`` times as wide.
        """
        return self._bank.empty_like(width)

    def log_pdf_axis(
        self, axis: int, values: np.ndarray, width: float | np.ndarray | None = None
    ) -> np.ndarray:
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
        if self._log_w is not None:
            kern += self._log_w[None]
        mix = np.logaddexp(_logsumexp(kern, axis=1) + self.log_w_kernel, self.log_w_prior)
        return mix + log_width

    def log_pmf_categorical(self, axis: int) -> np.ndarray:
        """Marginal log probability of every choice of a categorical axis."""
        k = int(self.cat_sizes[axis])
        choices = np.arange(k)
        if self.n == 0:
            return np.full(k, -np.log(k))
        hit = choices[:, None] == self.cat[None, :, axis]
        kern = np.where(hit, self.log_hit[axis], self.log_miss[axis])
        if self._log_w is not None:
            kern = kern + self._log_w[None]
        return np.logaddexp(
            _logsumexp(kern, axis=1) + self.log_w_kernel, -np.log(k) + self.log_w_prior
        )
