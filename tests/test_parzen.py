"""Parzen estimators on a finite branch: masses, sampling and the fast paths."""

import warnings

import numpy as np
import pytest
from scipy.stats import randint

from sktpe._parzen import KernelBank, ParzenEstimator
from sktpe._space import SearchSpace

SPACE = SearchSpace({"k": randint(1, 9), "c": ["a", "b", "c"]})
BRANCH = SPACE.branches[0]
ALL = BRANCH.enumerate()  # the 24 points of the branch


def _estimator(obs_idx, scale, multivariate=True, prior_weight=1.0, weights=None):
    obs = ALL.take(obs_idx)
    bank = KernelBank(scale, 1, BRANCH.cat_sizes)
    bank.update(obs.num, obs.width, obs.cat)
    return ParzenEstimator(
        bank, np.arange(len(obs_idx)), multivariate=multivariate, prior_weight=prior_weight,
        weights=None if weights is None else np.asarray(weights, dtype=float),
    )


@pytest.mark.parametrize("multivariate", [True, False])
@pytest.mark.parametrize("scale", [0.005, 0.05, 0.3])
def test_masses_of_a_finite_branch_sum_to_one(scale, multivariate):
    # Cells of 1/8: the kernel is never narrower than half a cell, so the
    # midpoint rule overstates the total by at most ~1.5% for kernels inside
    # the range, ~8% for kernels on an end cell (truncated on one side).
    inner = _estimator([5, 13], scale, multivariate)
    total = np.exp(inner.log_pdf(ALL.num, ALL.width, ALL.cat)).sum()
    assert 0.98 < total < 1.02
    ends = _estimator([0, 23], scale, multivariate)  # k=1 and k=8
    total = np.exp(ends.log_pdf(ALL.num, ALL.width, ALL.cat)).sum()
    assert 0.98 < total < 1.08


def test_narrow_kernel_keeps_most_mass_on_its_cell():
    est = _estimator([13], 0.001, prior_weight=0.0)
    mass = np.exp(est.log_pdf(ALL.num, ALL.width, ALL.cat))
    own = ALL.disc_val[:, 0] == ALL.disc_val[13, 0]
    assert mass[own].sum() > 0.7  # a one-cell-wide kernel would keep only ~0.4


def test_features_score_as_log_pdf_without_widths():
    est = _estimator([0, 5, 13], 0.05)
    log_width = np.log(ALL.width).sum(1)
    fast = est.log_pdf_features(est.features(ALL.num, ALL.cat))
    np.testing.assert_allclose(fast + log_width, est.log_pdf(ALL.num, ALL.width, ALL.cat))
    univariate = _estimator([0, 5, 13], 0.05, multivariate=False)
    with pytest.raises(ValueError, match="multivariate"):
        univariate.log_pdf_features(univariate.features(ALL.num, ALL.cat))


def test_categorical_draws_follow_the_kernel():
    # One observation, no prior: the observed choice keeps 1 - lam of the
    # mass and the other two share lam.
    est = _estimator([13], 0.05, prior_weight=0.0)
    _, cat = est.sample(np.random.RandomState(0), 20000)
    observed = ALL.cat[13, 0]
    lam = est.lam[0]
    freq = np.bincount(cat[:, 0], minlength=3) / len(cat)
    assert abs(freq[observed] - (1 - lam)) < 0.01
    others = np.delete(freq, observed)
    np.testing.assert_allclose(others, lam / 2, atol=0.01)


def test_bank_positions_compute_each_observation_once():
    class Rows:
        num, width, cat, n = ALL.num, ALL.width, ALL.cat, len(ALL)

    bank = KernelBank(0.05, 1, BRANCH.cat_sizes)
    first = bank.positions(np.array([3, 7, 11]), Rows)
    assert bank.n == 3
    again = bank.positions(np.array([11, 3, 20]), Rows)
    assert bank.n == 4  # only observation 20 was new
    assert again[0] == first[2] and again[1] == first[0]
    est = ParzenEstimator(bank, again, multivariate=True, prior_weight=1.0)
    ref = _estimator([11, 3, 20], bank.scale[0])
    np.testing.assert_allclose(
        est.log_pdf(ALL.num, ALL.width, ALL.cat), ref.log_pdf(ALL.num, ALL.width, ALL.cat)
    )


def test_scoring_paths_agree():
    # An estimator of most of its bank scores against the whole bank and
    # drops the others; one of a few rows gathers them: same densities.
    class Rows:
        num, width, cat, n = ALL.num, ALL.width, ALL.cat, len(ALL)

    bank = KernelBank(0.05, 1, BRANCH.cat_sizes)
    bank.positions(np.arange(10), Rows)
    feats = bank.features(ALL.num, ALL.cat)
    for subset in ([1, 4, 6, 7, 8, 9], [2]):  # 6 of 10 rows: masked; 1 of 10: gathered
        est = ParzenEstimator(bank, bank.positions(np.array(subset), Rows),
                              multivariate=True, prior_weight=1.0)
        ref = _estimator(subset, 0.05)
        np.testing.assert_allclose(est.log_pdf_features(feats), ref.log_pdf_features(feats),
                                   rtol=1e-5)


@pytest.mark.parametrize("multivariate", [True, False])
@pytest.mark.parametrize("prior_weight", [2.0, 4.0, 10.0, 1e300])
def test_sampling_with_a_heavy_prior_and_few_kernels(prior_weight, multivariate):
    # A draw from the prior must not be mapped to a kernel index below 0
    # (prior_weight > 1 used to give index -2, -3, ..., out of range for
    # two kernels), nor overflow the cast to an index (1e300 warned "invalid value
    # encountered in cast").
    est = _estimator([5, 13], 0.05, multivariate, prior_weight=prior_weight)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        num, cat = est.sample(np.random.RandomState(0), 500)
    assert num.shape == (500, 1) and cat.shape == (500, 1)
    assert ((num >= 0) & (num <= 1)).all() and set(np.unique(cat)) <= {0, 1, 2}


def test_kernel_terms_are_named_fields():
    est = _estimator([5, 13, 20], 0.05)
    k = est.kernels
    assert k._fields == ("mu", "sig", "cdf_lo", "mass")
    np.testing.assert_allclose(k.mu, ALL.take([5, 13, 20]).num)
    assert (k.sig >= 0.05).all() and (k.mass > 0).all() and (k.mass <= 1).all()
    assert est.cat.shape == (3, 1) and est.coef.shape[0] == 3


@pytest.mark.parametrize("prior_weight", [1.0, 0.0])
def test_independent_density_is_the_product_of_each_axis_mixture(prior_weight):
    """multivariate=False: the log density is the sum over axes of the log of
    (prior weight x prior + each kernel's weight x its density on that axis),
    computed here point by point, kernel by kernel."""
    from scipy.stats import norm, uniform

    space = SearchSpace({"x": uniform(0, 1), "y": uniform(0, 1), "c": ["a", "b", "c"]})
    b = space.branches[0]
    rng = np.random.RandomState(0)
    obs = b.snap(rng.uniform(size=(30, 2)) ** 2, rng.randint(0, 3, size=(30, 1)))
    bank = KernelBank(0.05, 2, b.cat_sizes)
    bank.update(obs.num, obs.width, obs.cat)
    est = ParzenEstimator(bank, np.arange(30), multivariate=False, prior_weight=prior_weight)
    pts = b.snap(rng.uniform(size=(12, 2)), rng.randint(0, 3, size=(12, 1)))
    w_prior, w_kernel = prior_weight / (prior_weight + 30), 1.0 / (prior_weight + 30)
    k = est.kernels
    hit, miss = np.exp(est.log_hit[0]), np.exp(est.log_miss[0])
    want = []
    for x, c in zip(pts.num, pts.cat[:, 0]):
        total = 0.0
        for a in range(2):
            dens = norm.pdf(x[a], k.mu[:, a], k.sig[:, a]) / k.mass[:, a]
            total += np.log(w_prior + w_kernel * dens.sum())
        cat_mass = np.where(est.cat[:, 0] == c, hit, miss)
        total += np.log(w_prior / 3 + w_kernel * cat_mass.sum())
        want.append(total)
    np.testing.assert_allclose(est.log_pdf(pts.num, pts.width, pts.cat), want, rtol=1e-6)


@pytest.mark.parametrize("multivariate", [True, False])
def test_a_kernel_of_weight_two_is_the_observation_twice(multivariate):
    # Weights of (2, 1, 1) and the first observation listed twice describe the
    # same mixture: every scoring path and the marginals agree.
    weighted = _estimator([0, 5, 13], 0.05, multivariate, weights=[2, 1, 1])
    twice = _estimator([0, 0, 5, 13], 0.05, multivariate)
    np.testing.assert_allclose(weighted.log_pdf(ALL.num, ALL.width, ALL.cat),
                               twice.log_pdf(ALL.num, ALL.width, ALL.cat), rtol=1e-6)
    if multivariate:
        feats = weighted.features(ALL.num, ALL.cat)
        np.testing.assert_allclose(weighted.log_pdf_features(feats),
                                   twice.log_pdf_features(feats), rtol=1e-5)
    grid = np.linspace(0, 1, 11)
    np.testing.assert_allclose(weighted.log_pdf_axis(0, grid), twice.log_pdf_axis(0, grid))
    np.testing.assert_allclose(weighted.log_pmf_categorical(0), twice.log_pmf_categorical(0))
    assert weighted.weight_sum == 4.0 and weighted.n == 3


@pytest.mark.parametrize("multivariate", [True, False])
def test_weighted_draws_pick_kernels_by_weight(multivariate):
    # No prior weight to speak of: a kernel of weight 9 beside one of weight 1
    # gives about 90% of the draws; each observation is a different category.
    obs = ALL.take([0, 10])  # categories a and b
    assert obs.cat[0, 0] != obs.cat[1, 0]
    est = _estimator([0, 10], 0.001, multivariate, prior_weight=1e-9, weights=[9.0, 1.0])
    _, cat = est.sample(np.random.RandomState(0), 20000)
    share = np.mean(cat[:, 0] == obs.cat[0, 0])
    # the kernel keeps 1 - lam on its choice and moves a share of lam to the other's
    lam = est.lam[0]
    expected = 0.9 * (1 - lam) + 0.1 * lam / 2
    assert abs(share - expected) < 0.01


@pytest.mark.parametrize("multivariate", [True, False])
def test_weighted_bad_density_with_pending_picks_is_the_duplicated_one(multivariate):
    # The acquisition mixes g(x) with the kernels of pending picks by their total
    # weights: a weighted g must mix as the g of its observations repeated.
    from scipy.stats import uniform

    from sktpe._tpe import _Pool

    space = SearchSpace({"x": uniform(0, 1), "k": randint(1, 9), "c": ["a", "b", "c"]})
    branch = space.branches[0]
    rng = np.random.RandomState(0)

    def points(m):
        return branch.snap(rng.uniform(size=(m, 2)), rng.randint(0, 3, (m, 1)))

    def est(obs, weights=None):
        bank = KernelBank(0.1, 2, branch.cat_sizes)
        bank.update(obs.num, obs.width, obs.cat)
        return ParzenEstimator(bank, np.arange(len(obs)), multivariate=multivariate,
                               prior_weight=1.0, weights=weights)

    good, bad, at = points(4), points(6), points(200)
    weights = np.array([1.0, 2.0, 3.0, 1.0, 1.0, 2.0])
    weighted = _Pool(est(good), est(bad, weights), 1.0, 0.25)
    repeated = _Pool(est(good), est(bad.take(np.repeat(np.arange(6), [1, 2, 3, 1, 1, 2]))),
                     1.0, 0.25)
    for _ in range(3):
        pick = points(1)
        weighted.add_pick(pick)
        repeated.add_pick(pick)
    np.testing.assert_allclose(weighted.score(at), repeated.score(at), atol=1e-5)
