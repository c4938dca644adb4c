"""Check that the built documentation shows its pictures.

Every script in ``docs/examples/`` must have a built page in
``auto_examples/`` that embeds at least one of that example's own figures
(``sphx_glr_<name>_NNN.png``, written by sphinx-gallery when the script ran),
and every page in ``PAGES_WITH_PLOTS`` must embed at least one image. An
embedded image counts only if its file exists in the build and is not empty.

Usage: ``python docs/check_gallery.py [BUILD_DIR]`` (default
``docs/_build/html``); ``make docs-check`` builds the docs and runs it. Exits
1 and names each failing page.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

DOCS = Path(__file__).resolve().parent
EXAMPLES = DOCS / "examples"
# Pages other than the examples whose plots must survive the build.
PAGES_WITH_PLOTS = ["benchmarks.html"]


class _ImageSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            src = dict(attrs).get("src")
            if src:
                self.sources.append(src)


def embedded_images(page):
    """Existing, non-empty image files that the HTML ``page`` embeds."""
    parser = _ImageSources()
    parser.feed(page.read_text(encoding="utf-8"))
    found = []
    for src in parser.sources:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:  # remote images prove nothing
            continue
        path = (page.parent / unquote(parts.path)).resolve()
        if path.is_file() and path.stat().st_size > 0:
            found.append(path)
    return found


def problems(build_dir, examples_dir=EXAMPLES, pages_with_plots=PAGES_WITH_PLOTS):
    """Messages naming each page that lacks its pictures (empty if none)."""
    build_dir = Path(build_dir)
    out = []
    scripts = sorted(Path(examples_dir).glob("*.py"))
    if not scripts:
        out.append(f"no example scripts in {examples_dir}")
    for script in scripts:
        page = build_dir / "auto_examples" / f"{script.stem}.html"
        if not page.is_file():
            out.append(f"{script.name}: no built page {page}")
            continue
        own = [p for p in embedded_images(page)
               if p.name.startswith(f"sphx_glr_{script.stem}_") and "thumb" not in p.name]
        if not own:
            out.append(f"{page}: embeds none of the figures of {script.name}")
    for name in pages_with_plots:
        page = build_dir / name
        if not page.is_file():
            out.append(f"{name}: no built page {page}")
        elif not embedded_images(page):
            out.append(f"{page}: embeds no image")
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    build_dir = Path(argv[0]) if argv else DOCS / "_build" / "html"
    found = problems(build_dir)
    n_pages = len(list(EXAMPLES.glob("*.py"))) + len(PAGES_WITH_PLOTS)
    if found:
        print("docs check FAILED: pages without their pictures:")
        for msg in found:
            print("  " + msg)
    else:
        print(f"docs check: all {n_pages} pages ({len(PAGES_WITH_PLOTS)} of them not "
              f"examples) embed their images")
    # One line per page checked, in the plain form test reports use.
    print(f"docs-check: {max(n_pages - len(found), 0)} passed, {len(found)} failed")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
