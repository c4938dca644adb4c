"""Every python code block of README.md and docs/guide/*.md runs as written.

Each ```` ```python ```` block is run on its own, in a fresh namespace, as a
script (``runpy.run_path`` with ``__name__ == "__main__"``), from a temporary
directory with matplotlib's Agg backend: a block must define or import
everything it uses, so that a reader can paste it alone.

A block that cannot run here (it needs a cluster or a library that is not a
test dependency) is marked, on the line just before its opening fence, with

    <!-- not-run: why it cannot run in the tests -->

an HTML comment, invisible in the rendered page. Such blocks are reported as
skipped with that reason; ``test_few_blocks_are_not_run`` keeps them few.
"""

import re
import runpy
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs" / "guide").glob("*.md"))]
NOT_RUN = re.compile(r"^\s*<!--\s*not-run:\s*(?P<why>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,})\s*(?P<info>[^`]*)$")
MAX_NOT_RUN = 5


def _blocks(path):
    """(first line number, language, code, reason not run or None) of each fenced block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        lang = m["info"].strip().split(" ")[0]
        prev = NOT_RUN.match(lines[i - 1]) if i else None
        body, j = [], i + 1
        while j < len(lines) and not re.match(rf"^\s*{m['ticks']}\s*$", lines[j]):
            body.append(lines[j])
            j += 1
        code = textwrap.dedent("\n".join(body)) + "\n"
        out.append((i + 1, lang, code, prev["why"] if prev else None))
        i = j + 1
    return out


BLOCKS = [
    (path, line, code, why)
    for path in PAGES
    for line, lang, code, why in _blocks(path)
    if lang == "python"
]
IDS = [f"{p.relative_to(ROOT)}:{line}" for p, line, _, _ in BLOCKS]


def test_blocks_are_found():
    pages = {p.name for p, _, _, _ in BLOCKS}
    assert {"README.md", "space.md", "noise.md", "plotting.md"} <= pages
    assert len(BLOCKS) >= 12


def test_few_blocks_are_not_run():
    not_run = [(i, why) for i, (_, _, _, why) in zip(IDS, BLOCKS) if why is not None]
    assert all(why for _, why in not_run), f"a not-run marker without a reason: {not_run}"
    assert len(not_run) <= MAX_NOT_RUN, not_run


@pytest.mark.extras
@pytest.mark.parametrize("path, line, code, why", BLOCKS, ids=IDS)
def test_block_runs_as_written(path, line, code, why, tmp_path, monkeypatch):
    if why is not None:
        pytest.skip(f"marked not-run: {why}")
    pytest.importorskip("pandas")
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    monkeypatch.chdir(tmp_path)
    script = tmp_path / f"{path.stem}_{line}.py"
    script.write_text(code, encoding="utf-8")
    try:
        runpy.run_path(str(script), run_name="__main__")
    finally:
        plt.close("all")
