"""What sktpe assumes of scipy.stats beyond its documented methods.

sktpe/_scipy_compat.py reads the ``loc`` and ``scale`` of a frozen
distribution from its ``args``, ``kwds`` and its generator's ``shapes``, as
scipy's private argument parser does, to recognise a point mass
(``scale=0``), which scipy samples as ``loc`` while its ``ppf`` and
``support`` are NaN. It also repairs copies of scipy's new-interface
``Normal``, which come back as a ``StandardNormal`` that ignores ``mu`` and
``sigma`` (see ``repair_copied_normals``). A scipy release that changes any of
this fails here.
"""

import copy
import pickle
import warnings

import numpy as np
import pytest
from scipy import stats

from sktpe._scipy_compat import loc_scale, repair_copied_normals
from sktpe._space import SearchSpace


class _Custom(stats.rv_continuous):
    """A user distribution: scipy infers its shape ``c`` from ``_pdf``."""

    def _pdf(self, x, c):
        return np.exp(-x / c) / c


def _generators():
    gens = [getattr(stats, k) for k in sorted(dir(stats))]
    gens = [g for g in gens if isinstance(g, stats.rv_continuous)]
    gens.append(stats.rv_histogram(np.histogram([1.0, 2.0, 2.0, 3.0], bins=3)))
    gens.append(_Custom(a=0, name="custom"))
    return gens


def _calls(gen):
    names = [s.strip() for s in gen.shapes.split(",")] if gen.shapes else []
    sh = tuple(0.7 + 0.1 * i for i in range(len(names)))
    return [
        (sh, {}),
        (sh + (2.0,), {}),
        (sh + (2.0, 0.0), {}),
        (sh, {"loc": 3.0, "scale": 0}),
        (sh, {"scale": 0}),
        ((), dict(zip(names, sh), loc=1.5, scale=0.0)),
        (sh, {"loc": np.array([1.0, 2.0]), "scale": 0}),
    ]


def test_frozen_distributions_expose_what_loc_scale_reads():
    dist = stats.norm(3.0, scale=0.5)
    assert dist.args == (3.0,) and dist.kwds == {"scale": 0.5}
    assert stats.truncnorm.shapes == "a, b" and stats.norm.shapes is None


def test_loc_scale_reads_arguments_as_scipy_does():
    """Same loc and scale as scipy's own (private) parser, on every continuous
    distribution of scipy.stats and argument style."""
    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for gen in _generators():
            if not hasattr(gen, "_parse_args"):
                pytest.skip("scipy has no _parse_args any more; nothing to compare with")
            for args, kwds in _calls(gen):
                try:
                    frozen = gen(*args, **kwds)
                except Exception:  # arguments this distribution does not take
                    continue
                _, loc, scale = gen._parse_args(*frozen.args, **frozen.kwds)
                ours = loc_scale(frozen)
                assert repr(ours) == repr((loc, scale)), (gen.name, args, kwds)
                n += 1
    assert n > 500


@pytest.mark.parametrize(
    "dist, value",
    [
        (stats.uniform(1, 0), 1.0),
        (stats.norm(-2.5, 0), -2.5),
        (stats.lognorm(1.0, loc=3, scale=0), 3.0),
        (stats.truncnorm(-1, 1, 0.25, 0), 0.25),
    ],
)
def test_scale_zero_is_a_point_mass_that_draws_loc(dist, value):
    """The reason for reading loc and scale: scipy draws loc, and has no
    quantile function or support to find it from."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.all(dist.rvs(size=5, random_state=0) == value)
        assert np.isnan(dist.ppf(0.5)) and np.isnan(dist.support()).all()
    assert loc_scale(dist) == (value, 0)
    dim = SearchSpace({"p": dist}).branches[0].dims[0]
    assert dim.kind == "categorical" and dim.is_constant and dim.choices == [value]


def _new_interface():
    if not hasattr(stats, "Normal"):
        pytest.skip("scipy without the new distribution interface (scipy < 1.15)")
    return {
        "Normal": lambda: stats.Normal(mu=100.0, sigma=10.0),
        "truncate": lambda: stats.truncate(stats.Normal(mu=1.0, sigma=3.0), lb=0.0, ub=5.0),
        "exp": lambda: stats.exp(stats.Normal(mu=0.0, sigma=2.0)),
        "shifted, scaled": lambda: 3 * stats.Normal(mu=1.0, sigma=2.0) + 1,
        "Mixture": lambda: stats.Mixture([stats.Normal(mu=5.0), stats.Uniform(a=0.0, b=1.0)],
                                         weights=[0.5, 0.5]),
        "Uniform": lambda: stats.Uniform(a=2.0, b=3.0),
    }


@pytest.mark.parametrize("kind", ["Normal", "truncate", "exp", "shifted, scaled", "Mixture",
                                  "Uniform"])
@pytest.mark.parametrize("used", [False, True])
@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_a_copied_normal_draws_as_its_original_once_repaired(kind, used, how):
    """Copies of a used distribution (its quantiles computed) and of a new one."""
    original = _new_interface()[kind]()
    u = np.array([0.05, 0.3, 0.5, 0.9])
    if used:
        original.icdf(u)
    if how == "pickle":
        try:
            copied = pickle.loads(pickle.dumps(original))
        except (AttributeError, pickle.PicklingError, TypeError):  # exp(...) holds a lambda
            pytest.skip(f"scipy cannot pickle {kind}")
    else:
        copied = copy.deepcopy(original)
    if used:  # the broken copy used too, before the repair (its moments cached)
        copied.mean(), copied.support()
    assert repair_copied_normals(copied) is copied
    np.testing.assert_allclose(copied.mean(), original.mean(), rtol=1e-9)
    np.testing.assert_allclose(copied.icdf(u), original.icdf(u), rtol=1e-12)
    rng = np.random.default_rng
    np.testing.assert_allclose(copied.sample(5, rng=rng(0)), original.sample(5, rng=rng(0)),
                               rtol=1e-12)


def test_repair_leaves_a_true_standard_normal_and_other_objects_alone():
    _new_interface()
    standard = stats.Normal()
    assert type(repair_copied_normals(standard)).__name__ == "StandardNormal"
    assert standard.icdf(0.975) == pytest.approx(1.959964, rel=1e-6)
    for other in (stats.norm(3, 2), 1.5, [1, 2], None):
        assert repair_copied_normals(other) is other

