"""Every docs/examples/*.py runs (Agg backend, small budget)."""

import runpy
import warnings
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "docs" / "examples").glob("*.py"))


def test_examples_exist():
    assert len(EXAMPLES) >= 4


@pytest.mark.extras
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path, monkeypatch, capsys):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("SKTPE_EXAMPLE_N_ITER", "8")
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    try:
        with warnings.catch_warnings():
            # ConvergenceWarning and the like are the example's business;
            # errors are not.
            warnings.simplefilter("ignore")
            namespace = runpy.run_path(str(path), run_name="__main__")
    finally:
        plt.close("all")
    assert namespace and capsys.readouterr().out  # ran to the end and reported
