"""Parzen estimators on one branch's encoded space.

A :class:`ParzenEstimator` is a mixture of the prior (the user's distributions,
i.e. uniform on every unit axis) and one product kernel per observation:

* continuous axes: a normal kernel truncated to [0, 1];
* discrete axes: the same kernel integrated over the value's cell;
* categorical axes: an Aitchison-Aitken kernel (mass ``1 - lam`` on the
  observed choice, the rest spread over the other choices).

In the multivariate (default) mode a component's axes are drawn and scored
together, so correlations between parameters survive; in the univariate mode
each axis is an independent mixture (hyperopt's TPE). Everything is whole-array
numpy: the cost of scoring ``m`` candidates is ``O(m * n * d)``.
"""

import numpy as np
from scipy.special import logsumexp, ndtr, ndtri

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
_TINY = 1e-300


class ParzenEstimator:
    """Mixture density over one branch, fitted to encoded observations.

    Parameters
    ----------
    points : Points
        Encoded observations (may be empty: the estimator is then the prior).
    cat_sizes : ndarray of int
        Number of choices of each categorical axis.
    multivariate : bool
        Joint product kernels (True) or independent axes (False).
    bandwidth : float
        Scale of the kernels relative to the unit interval.
    prior_weight : float
        Weight of the prior component relative to one observation.
    """

    def __init__(self, points, cat_sizes, *, multivariate, bandwidth, prior_weight):
        self.multivariate = multivariate
        n = len(points)
        self.n = n
        self.cat_sizes = cat_sizes
        self.mu_c = points.cont_u
        self.mu_d = 0.5 * (points.disc_lo + points.disc_hi)
        self.cat = points.cat
        n_dims = self.mu_c.shape[1] + self.mu_d.shape[1] + self.cat.shape[1]
        # Scott-like shrinkage of the kernels with the number of observations.
        shrink = max(n, 1) ** (-1.0 / (max(n_dims, 1) + 4))
        sig = bandwidth * shrink
        self.sig_c = np.full_like(self.mu_c, sig)
        width = points.disc_hi - points.disc_lo
        self.sig_d = np.maximum(sig, width)
        self.logz_c = self._log_mass(self.mu_c, self.sig_c)
        self.logz_d = self._log_mass(self.mu_d, self.sig_d)
        # Aitchison-Aitken: probability moved off the observed choice.
        k = cat_sizes.astype(float)
        self.lam = np.where(k > 1, (k - 1) / np.maximum(k, 1) * min(1.0, 2 * sig), 0.0)
        self.log_hit = np.log1p(-self.lam)
        self.log_miss = np.log(np.maximum(self.lam / np.maximum(k - 1, 1), _TINY))
        w = np.concatenate([[prior_weight], np.ones(n)])
        self.log_w = np.log(w / w.sum())

    @staticmethod
    def _log_mass(mu, sig):
        """log of the kernel mass inside [0, 1]."""
        return np.log(np.maximum(ndtr((1 - mu) / sig) - ndtr(-mu / sig), _TINY))

    # -- sampling ---------------------------------------------------------------
    def sample(self, rng, size):
        """Draw ``size`` raw points: (cont_u, disc_u, cat) arrays."""
        p = np.exp(self.log_w)
        n_c, n_d, n_k = self.mu_c.shape[1], self.mu_d.shape[1], self.cat.shape[1]
        if self.multivariate:
            comp = rng.choice(len(p), size=size, p=p)
            comp_c = comp_d = comp_k = comp[:, None]
        else:
            comp_c = rng.choice(len(p), size=(size, n_c), p=p)
            comp_d = rng.choice(len(p), size=(size, n_d), p=p)
            comp_k = rng.choice(len(p), size=(size, n_k), p=p)
        cont = self._sample_numeric(rng, comp_c, self.mu_c, self.sig_c, size)
        disc = self._sample_numeric(rng, comp_d, self.mu_d, self.sig_d, size)
        cat = self._sample_categorical(rng, comp_k, size)
        return cont, disc, cat

    def _sample_numeric(self, rng, comp, mu, sig, size):
        d = mu.shape[1]
        u = rng.uniform(size=(size, d))
        if d == 0:
            return u
        comp = np.broadcast_to(comp, (size, d))
        from_prior = comp == 0
        obs = np.maximum(comp - 1, 0)
        cols = np.arange(d)[None, :]
        if self.n:
            m = mu[obs, cols]
            s = sig[obs, cols]
        else:
            m = np.full((size, d), 0.5)
            s = np.ones((size, d))
        # Inverse-CDF draw from the normal truncated to [0, 1].
        a, b = ndtr(-m / s), ndtr((1 - m) / s)
        q = np.clip(a + u * (b - a), 1e-15, 1 - 1e-15)
        x = np.clip(m + s * ndtri(q), 0.0, 1.0)
        return np.where(from_prior, u, x)

    def _sample_categorical(self, rng, comp, size):
        k = self.cat_sizes
        d = len(k)
        uniform = np.floor(rng.uniform(size=(size, d)) * k).astype(np.intp)
        uniform = np.minimum(uniform, k - 1)
        if d == 0 or self.n == 0:
            return uniform
        comp = np.broadcast_to(comp, (size, d))
        cols = np.arange(d)[None, :]
        observed = self.cat[np.maximum(comp - 1, 0), cols]
        # Off the observed choice: uniform over the other choices.
        other = np.floor(rng.uniform(size=(size, d)) * np.maximum(k - 1, 1)).astype(
            np.intp
        )
        other = other + (other >= observed)
        keep = rng.uniform(size=(size, d)) >= self.lam
        kernel = np.where(keep | (k <= 1), observed, np.minimum(other, k - 1))
        return np.where(comp == 0, uniform, kernel)

    # -- scoring ----------------------------------------------------------------
    def log_pdf(self, pts):
        """Log density (mass for discrete axes) of each point of ``pts``."""
        m = len(pts)
        prior = np.zeros(m)
        if pts.disc_lo.shape[1]:
            prior += np.log(np.maximum(pts.disc_hi - pts.disc_lo, _TINY)).sum(1)
        prior -= np.log(self.cat_sizes.astype(float)).sum()
        if self.n == 0:
            return prior
        # Per-axis log kernel values, shape (m, n, d_kind).
        parts = []
        if self.mu_c.shape[1]:
            z = (pts.cont_u[:, None, :] - self.mu_c[None]) / self.sig_c[None]
            parts.append(
                -0.5 * z * z - np.log(self.sig_c)[None] - _LOG_SQRT_2PI - self.logz_c[None]
            )
        if self.mu_d.shape[1]:
            hi = ndtr((pts.disc_hi[:, None, :] - self.mu_d[None]) / self.sig_d[None])
            lo = ndtr((pts.disc_lo[:, None, :] - self.mu_d[None]) / self.sig_d[None])
            parts.append(np.log(np.maximum(hi - lo, _TINY)) - self.logz_d[None])
        if self.cat.shape[1]:
            hit = pts.cat[:, None, :] == self.cat[None]
            parts.append(np.where(hit, self.log_hit, self.log_miss))
        if self.multivariate:
            kern = sum(p.sum(-1) for p in parts)  # (m, n)
            allc = np.concatenate([prior[:, None], kern], axis=1) + self.log_w[None]
            return logsumexp(allc, axis=1)
        # Univariate: each axis its own mixture with the prior.
        total = np.zeros(m)
        prior_axes = []
        if self.mu_c.shape[1]:
            prior_axes.append(np.zeros((m, self.mu_c.shape[1])))
        if self.mu_d.shape[1]:
            prior_axes.append(np.log(np.maximum(pts.disc_hi - pts.disc_lo, _TINY)))
        if self.cat.shape[1]:
            prior_axes.append(
                np.broadcast_to(-np.log(self.cat_sizes.astype(float)), (m, len(self.cat_sizes)))
            )
        for kern, pri in zip(parts, prior_axes):
            allc = np.concatenate([pri[:, None, :], kern], axis=1)
            allc = allc + self.log_w[None, :, None]
            total += logsumexp(allc, axis=1).sum(-1)
        return total
