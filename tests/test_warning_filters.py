"""The test configuration silences known third-party warnings, and only those.

pyproject.toml's ``filterwarnings`` ignores a few warnings that scikit-learn
or scipy emit in this suite and that sktpe cannot fix (the oldest supported
scikit-learn printed ~750 copies of one scipy deprecation). Each filter names
the message and the module, never a whole category, so that a new warning
from the same place still shows. This test reads the filters pytest
installed for it and asks them what happens to each warning.
"""

import warnings

import pytest

LBFGS = (
    "scipy.optimize: The `disp` and `iprint` options of the L-BFGS-B solver are "
    "deprecated and will be removed in SciPy 1.18.0."
)

# (message, category, module the warning is attributed to)
KNOWN = [
    # scikit-learn 1.5 passes iprint to scipy's L-BFGS-B in every LogisticRegression fit
    (LBFGS, DeprecationWarning, "sklearn.linear_model._logistic"),
    # ... re-issued by pytest.warns, which names the module by its path without ".py"
    (LBFGS, DeprecationWarning, "/venv/lib/python3.11/site-packages/sklearn/linear_model/_logistic"),
    (LBFGS, DeprecationWarning, "C:\\venv\\Lib\\site-packages\\sklearn\\linear_model\\_logistic"),
    # check_supervised_y_no_nan feeds inf to the estimator on purpose
    ("invalid value encountered in cast", RuntimeWarning, "sklearn.utils._array_api"),
    ("invalid value encountered in cast", RuntimeWarning,
     "sklearn.externals.array_api_compat.numpy._aliases"),
    # parametrize_with_checks skips a check it cannot run for a search
    ("Can't instantiate estimator TPESearchCV parameters ['estimator', 'param_distributions']",
     UserWarning, "sklearn.utils.estimator_checks"),
]

NEW = [
    # the same places, other messages: these must still show
    ("scipy.optimize: some future deprecation", DeprecationWarning, "sklearn.linear_model._logistic"),
    ("overflow encountered in exp", RuntimeWarning, "sklearn.utils._array_api"),
    ("Some other skipped check", UserWarning, "sklearn.utils.estimator_checks"),
    # the same messages from sktpe itself
    (LBFGS, DeprecationWarning, "sktpe._search"),
    (LBFGS, DeprecationWarning, "/work/sktpe/_search"),
    (LBFGS, DeprecationWarning, "/venv/site-packages/sklearn/linear_model/_logistic_extra"),
    ("invalid value encountered in cast", RuntimeWarning, "sktpe._space"),
]


def _action(message, category, module):
    """The action of the first matching filter, as the warnings module picks it."""
    for action, msg, cat, mod, lineno in warnings.filters:
        if (
            (msg is None or msg.match(message))
            and issubclass(category, cat)
            and (mod is None or mod.match(module))
            and lineno == 0
        ):
            return action
    return warnings.defaultaction


@pytest.mark.parametrize("message, category, module", KNOWN, ids=[k[2] for k in KNOWN])
def test_known_third_party_warnings_are_ignored(message, category, module):
    assert _action(message, category, module) == "ignore"


@pytest.mark.parametrize("message, category, module", NEW, ids=[n[0][:30] + " " + n[2] for n in NEW])
def test_other_warnings_still_show(message, category, module):
    assert _action(message, category, module) != "ignore"
