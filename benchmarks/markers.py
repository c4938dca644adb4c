"""Generated blocks inside hand-written pages: the text between ``<!-- name:start -->`` and
``<!-- name:end -->`` is replaced, the rest of the page kept."""

from __future__ import annotations


def write_block(path: str, name: str, lines: list[str]) -> None:
    """Put ``lines`` into the file at ``path`` between its ``name`` markers (a blank line on
    each side); stop, naming the markers to add, if the page has none."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    with open(path) as fh:
        text = fh.read()
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} ... {end} markers: put them where the block goes")
    block = "\n".join([start, ""] + lines + ["", end])
    text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    with open(path, "w") as fh:
        fh.write(text)
    print(f"updated {path} ({name})")
