"""Property tests of TPESampler under random spaces, scores and batches.

Random spaces mix scipy.stats continuous and discrete distributions with
lists (of hashable and unhashable values), as a dict or a list of dicts;
scores include NaN, +inf and -inf; batches have 1 to 8 candidates and are
told in any order, some only later. Whatever happens, the sampler never
raises, never leaves the support and is deterministic per seed.
"""

import math
import numbers

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from sktpe import TPESampler

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
fl = st.floats


# --------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------
@st.composite
def continuous(draw):
    name = draw(st.sampled_from(
        ["uniform", "loguniform", "norm", "expon", "beta", "gamma", "lognorm", "truncnorm", "halfcauchy"]
    ))
    if name == "uniform":
        return stats.uniform(draw(fl(-1e3, 1e3)), draw(fl(1e-3, 1e3)))
    if name == "loguniform":
        lo = draw(fl(1e-6, 1e2))
        return stats.loguniform(lo, lo * draw(fl(1.01, 1e8)))
    if name == "norm":
        return stats.norm(draw(fl(-1e3, 1e3)), draw(fl(1e-3, 1e3)))
    if name == "expon":
        return stats.expon(draw(fl(-10, 10)), draw(fl(1e-2, 1e2)))
    if name == "beta":
        return stats.beta(draw(fl(0.2, 8)), draw(fl(0.2, 8)))
    if name == "gamma":
        return stats.gamma(draw(fl(0.2, 20)), scale=draw(fl(0.01, 10)))
    if name == "lognorm":
        return stats.lognorm(draw(fl(0.1, 3)))
    if name == "halfcauchy":
        return stats.halfcauchy(scale=draw(fl(0.1, 10)))
    a = draw(fl(-4, 3))
    return stats.truncnorm(a, a + draw(fl(0.05, 5)), loc=draw(fl(-5, 5)), scale=draw(fl(0.1, 5)))


@st.composite
def discrete(draw):
    name = draw(st.sampled_from(["randint", "poisson", "binom", "geom", "bernoulli", "nbinom"]))
    if name == "randint":
        lo = draw(st.integers(-1000, 1000))
        return stats.randint(lo, lo + draw(st.integers(1, 10_000)))
    if name == "poisson":
        return stats.poisson(draw(fl(0.05, 200)))
    if name == "binom":
        return stats.binom(draw(st.integers(1, 100)), draw(fl(0.01, 0.99)))
    if name == "geom":
        return stats.geom(draw(fl(0.02, 0.98)))
    if name == "bernoulli":
        return stats.bernoulli(draw(fl(0.05, 0.95)))
    return stats.nbinom(draw(st.integers(1, 10)), draw(fl(0.1, 0.9)))


# Objects shared by every example, so identity checks are meaningful.
_OBJECTS = [{"a": 1}, [1, 2], ("t", 3), object(), None]
_atoms = st.one_of(
    st.integers(-3, 3),
    fl(-1e6, 1e6, allow_nan=False),
    st.text(max_size=3),
    st.booleans(),
    st.sampled_from(_OBJECTS),
)
choices = st.lists(_atoms, min_size=1, max_size=6)
dims = st.one_of(continuous(), discrete(), choices)


@st.composite
def branch(draw, prefix):
    n = draw(st.integers(1, 4))
    d = {f"{prefix}{j}": draw(dims) for j in range(n)}
    if draw(st.booleans()):
        d["shared"] = draw(dims)  # a name that other branches may use too
    return d


@st.composite
def spaces(draw):
    if draw(st.booleans()):
        return draw(branch("p"))
    return [draw(branch(f"b{i}_")) for i in range(draw(st.integers(1, 3)))]


scores = st.one_of(
    fl(-1e6, 1e6, allow_nan=False),
    st.sampled_from([np.nan, np.inf, -np.inf, 0.0]),
)


@st.composite
def programs(draw):
    """A sequence of rounds: ask(k), then tell some of the pending, in any order."""
    rounds = []
    for _ in range(draw(st.integers(2, 7))):
        k = draw(st.integers(1, 8))
        # Permutation keys and "tell now" flags for up to all pending trials.
        order = draw(st.lists(fl(0, 1), min_size=16, max_size=16))
        now = draw(st.lists(st.booleans(), min_size=16, max_size=16))
        copy = draw(st.booleans())
        rounds.append((k, order, now, copy))
    return dict(
        rounds=rounds,
        scores=draw(st.lists(scores, min_size=1, max_size=12)),
        n_startup=draw(st.integers(0, 6)),
        multivariate=draw(st.booleans()),
        gamma=draw(fl(0.05, 1.0)),
        n_ei=draw(st.integers(1, 30)),
    )


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def _in_support(spec, v):
    if isinstance(spec, list):
        return any(v is c for c in spec)
    lo, hi = spec.support()
    if isinstance(spec.dist, stats.rv_discrete):
        return isinstance(v, numbers.Integral) and lo <= v <= hi and spec.pmf(v) > 0
    return isinstance(v, numbers.Real) and math.isfinite(v) and lo <= v <= hi


def _check_in_space(space, p):
    dicts = space if isinstance(space, list) else [space]
    fits = [d for d in dicts if set(d) == set(p) and all(_in_support(d[k], v) for k, v in p.items())]
    assert fits, f"{p!r} is in no dict of the space"


def _key(p):
    return tuple((k, type(v).__name__, repr(v)) for k, v in p.items())


def _run(space, prog, seed):
    """Play ``prog`` against a sampler; return every ask as a list of keys."""
    s = TPESampler(
        space,
        n_startup_trials=prog["n_startup"],
        multivariate=prog["multivariate"],
        gamma=prog["gamma"],
        n_ei_candidates=prog["n_ei"],
        random_state=seed,
    )
    pending, asks, n_told = [], [], 0
    for k, order, now, copy in prog["rounds"]:
        out = s.ask(k)
        assert len(out) <= k
        assert len(out) == k or s.exhausted, "fewer candidates than asked in a non-exhausted space"
        for p in out:
            _check_in_space(space, p)
        asks.append([_key(p) for p in out])
        pending.extend(out)
        # Tell a subset of the pending trials, in a shuffled order.
        idx = sorted(range(len(pending)), key=lambda i: order[i % 16])
        tell = [i for i in idx if now[i % 16]]
        if tell:
            params = [dict(pending[i]) if copy else pending[i] for i in tell]
            vals = [prog["scores"][(n_told + j) % len(prog["scores"])] for j in range(len(tell))]
            s.tell(params, vals)
            n_told += len(tell)
            pending = [p for i, p in enumerate(pending) if i not in set(tell)]
        assert s.n_pending == len(pending)
    if pending:
        s.tell(pending, [np.nan] * len(pending))
    assert s.n_pending == 0
    assert len(s.scores_) == sum(len(a) for a in asks)
    return asks


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------
@SETTINGS
@given(space=spaces(), prog=programs(), seed=st.integers(0, 2**32 - 1))
def test_sampler_never_raises_stays_in_support_and_is_deterministic(space, prog, seed):
    first = _run(space, prog, seed)
    again = _run(space, prog, seed)
    assert first == again, "same seed and same told scores gave different asks"


@SETTINGS
@given(
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    prog=programs(),
    seed=st.integers(0, 2**32 - 1),
)
def test_finite_space_never_repeats_under_random_batches(sizes, prog, seed):
    space = {f"c{i}": list(range(n)) for i, n in enumerate(sizes)}
    size = int(np.prod(sizes))
    s = TPESampler(space, n_startup_trials=prog["n_startup"], random_state=seed)
    seen = []
    for k, order, now, _ in prog["rounds"]:
        out = s.ask(k)
        seen.extend(tuple(sorted(p.items())) for p in out)
        vals = [prog["scores"][j % len(prog["scores"])] for j in range(len(out))]
        perm = sorted(range(len(out)), key=lambda i: order[i % 16])
        if out:
            s.tell([out[i] for i in perm], [vals[i] for i in perm])
    assert len(seen) == len(set(seen)), "a candidate of a finite space was proposed twice"
    assert len(seen) == min(size, sum(r[0] for r in prog["rounds"]))


# --------------------------------------------------------------------------
# extreme and degenerate distributions
# --------------------------------------------------------------------------
@st.composite
def extreme_continuous(draw):
    """Frozen continuous distributions with extreme shapes, scales or tails."""
    name = draw(st.sampled_from([
        "uniform", "loguniform", "norm", "beta", "gamma", "lognorm", "pareto",
        "invgamma", "t", "cauchy", "genpareto", "expon",
    ]))
    if name == "uniform":
        loc = draw(fl(-1e300, 1e300))
        return stats.uniform(loc, draw(fl(1e-300, 1e300)))
    if name == "loguniform":
        lo = draw(fl(1e-300, 1e200))
        return stats.loguniform(lo, lo * draw(fl(1.0 + 1e-9, 1e100)))
    if name == "norm":
        return stats.norm(draw(fl(-1e300, 1e300)), draw(fl(1e-300, 1e300)))
    if name == "beta":
        return stats.beta(draw(fl(1e-3, 1e3)), draw(fl(1e-3, 1e3)))
    if name == "gamma":
        return stats.gamma(draw(fl(1e-3, 1e3)), scale=draw(fl(1e-100, 1e100)))
    if name == "lognorm":
        return stats.lognorm(draw(fl(1e-3, 500)))
    if name == "pareto":
        return stats.pareto(draw(fl(1e-3, 100)))
    if name == "invgamma":
        return stats.invgamma(draw(fl(1e-3, 100)))
    if name == "t":
        return stats.t(draw(fl(1e-2, 100)))
    if name == "cauchy":
        return stats.cauchy(draw(fl(-1e10, 1e10)), draw(fl(1e-10, 1e10)))
    if name == "genpareto":
        return stats.genpareto(draw(fl(-2, 20)))
    return stats.expon(scale=draw(fl(1e-200, 1e200)))


@st.composite
def extreme_discrete(draw):
    name = draw(st.sampled_from(["randint", "poisson", "binom", "geom", "nbinom"]))
    if name == "randint":
        lo = draw(st.integers(-10**12, 10**12))
        return stats.randint(lo, lo + draw(st.integers(1, 10**12)))
    if name == "poisson":
        return stats.poisson(draw(fl(1e-6, 1e6)))
    if name == "binom":
        return stats.binom(draw(st.integers(1, 10**6)), draw(fl(1e-6, 1 - 1e-6)))
    if name == "geom":
        return stats.geom(draw(fl(1e-4, 1 - 1e-6)))
    return stats.nbinom(draw(st.integers(1, 1000)), draw(fl(1e-3, 1 - 1e-3)))


@st.composite
def degenerate(draw):
    """Point masses, and the value RandomizedSearchCV samples from them every time."""
    name = draw(st.sampled_from([
        "uniform", "norm", "expon", "lognorm", "randint", "binom0", "binom1", "bernoulli", "poisson0",
    ]))
    loc = draw(fl(-1e6, 1e6))
    if name == "uniform":
        dist = stats.uniform(loc, 0)
    elif name == "norm":
        dist = stats.norm(loc, 0)
    elif name == "expon":
        dist = stats.expon(loc, 0)
    elif name == "lognorm":
        dist = stats.lognorm(draw(fl(0.1, 3)), loc=loc, scale=0)
    elif name == "randint":
        k = draw(st.integers(-1000, 1000))
        dist = stats.randint(k, k + 1)
    elif name == "binom0":
        dist = stats.binom(0, draw(fl(0, 1)))
    elif name == "binom1":
        dist = stats.binom(draw(st.integers(1, 50)), 1.0)
    elif name == "bernoulli":
        dist = stats.bernoulli(draw(st.sampled_from([0.0, 1.0])))
    else:
        dist = stats.poisson(0.0)
    draws = dist.rvs(size=3, random_state=0)
    assert np.all(draws == draws[0])
    return dist, draws[0]


def _finite_in_support(dist, constant, v):
    """Finite, of the distribution's kind, in its support (the constant of a point mass)."""
    if not (isinstance(v, numbers.Real) and math.isfinite(v)):
        return False
    if constant is not None:
        return v == constant
    lo, hi = dist.support()
    if isinstance(dist.dist, stats.rv_discrete):
        return isinstance(v, numbers.Integral) and lo <= v <= hi and dist.pmf(v) > 0
    return lo <= v <= hi


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=st.one_of(
        st.tuples(st.one_of(extreme_continuous(), extreme_discrete()), st.none()),
        degenerate(),
    ),
    sign=st.sampled_from([-1.0, 1.0]),
    multivariate=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_proposal_of_a_frozen_distribution_is_finite_and_in_its_support(
    spec, sign, multivariate, seed
):
    """Start-up and TPE proposals, pushed to either tail by the score."""
    dist, constant = spec
    space = {"x": dist, "y": stats.uniform(0, 1)}
    s = TPESampler(space, n_startup_trials=4, multivariate=multivariate, random_state=seed)
    for _ in range(5):
        batch = s.ask(2)
        for p in batch:
            assert _finite_in_support(dist, constant, p["x"]), (dist.dist.name, dist.args, dist.kwds, p)
        # The score pulls TPE towards one tail (where overflow lives).
        s.tell(batch, [sign * math.atan(p["x"]) for p in batch])
