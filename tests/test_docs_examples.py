"""Every docs/examples/*.py runs (Agg backend, small budget); the gallery check works."""

import ast
import runpy
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.py"))


def test_examples_exist():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_docstring_is_a_gallery_page(path):
    """sphinx-gallery makes the docstring's first line the page title: it must be underlined."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False)
    lines = doc.strip("\n").splitlines()
    assert len(lines) >= 3 and lines[0].strip(), path.name
    assert set(lines[1]) == {"="} and len(lines[1]) >= len(lines[0]), path.name


def _check_gallery():
    return runpy.run_path(str(DOCS / "check_gallery.py"))


def _page(path, *images):
    path.parent.mkdir(parents=True, exist_ok=True)
    tags = "".join(f'<p><img alt="x" src="{src}" /></p>' for src in images)
    path.write_text(f"<html><body><h1>t</h1>{tags}</body></html>", encoding="utf-8")


def test_gallery_check_flags_pages_without_their_images(tmp_path):
    problems = _check_gallery()["problems"]
    examples = tmp_path / "examples"
    examples.mkdir()
    for name in ("01_a", "02_b", "03_c", "04_d"):
        (examples / f"{name}.py").write_text('"""\nA\n=\n"""\n')
    build = tmp_path / "html"
    images = build / "_images"
    images.mkdir(parents=True)
    for name in ("sphx_glr_01_a_001.png", "sphx_glr_02_b_thumb.png", "bench.png"):
        (images / name).write_bytes(b"\x89PNG fake")
    (images / "sphx_glr_03_c_001.png").write_bytes(b"")  # empty: a failed figure
    _page(build / "auto_examples" / "01_a.html", "../_images/sphx_glr_01_a_001.png")
    _page(build / "auto_examples" / "02_b.html", "../_images/sphx_glr_02_b_thumb.png")
    _page(build / "auto_examples" / "03_c.html", "../_images/sphx_glr_03_c_001.png")
    # 04_d has no page at all; the benchmark page has its plot.
    _page(build / "benchmarks.html", "_images/bench.png")

    found = problems(build, examples, ["benchmarks.html"])
    assert len(found) == 3
    assert not any("01_a" in msg for msg in found)
    assert any("02_b.html" in msg for msg in found)  # a thumbnail is not its figure
    assert any("03_c.html" in msg for msg in found)  # empty file
    assert any("04_d.py: no built page" in msg for msg in found)

    # A page that lost its plot, or a missing image file, is flagged too.
    _page(build / "benchmarks.html", "_images/gone.png")
    assert any("benchmarks.html" in msg for msg in problems(build, examples, ["benchmarks.html"]))


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
