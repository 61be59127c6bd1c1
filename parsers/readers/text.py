"""Plain-text reports to a Document: one paragraph a line, pipe-separated table lines."""

from __future__ import annotations

import re

from parsers.document import Block, Cell, Document, Table
from parsers.model import Where
from parsers.readers.decode import decode

_SEP = re.compile(r"[|｜]")
_WS = re.compile(r"[ \t\u00a0\u3000]+")


def read_text(data: bytes) -> Document:
    """Split a text report into paragraphs and tables (runs of lines holding `|`)."""
    decoded = decode(data)
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    n_tables = 0

    def close_run() -> None:
        nonlocal n_tables
        if run:
            blocks.append(Block(table=_table(n_tables, run), where=Where("text", table=n_tables)))
            n_tables += 1
            run.clear()

    for lineno, line in enumerate(decoded.text.splitlines(), start=1):
        if _SEP.search(line):
            run.append((lineno, line))
            continue
        close_run()
        text = _WS.sub(" ", line).strip()
        if text:
            blocks.append(Block(text=text, where=Where("text", line=lineno)))
    close_run()
    notes = (decoded.note,) if decoded.note else ()
    return Document(kind="text", blocks=tuple(blocks), notes=notes)


def _table(index: int, lines: list[tuple[int, str]]) -> Table:
    """A text table has no spans: each token between separators is one cell."""
    # A table drawn with borders opens (and closes) every line with a separator; then the
    # outer tokens are the frame, not cells. One line without it means a leading "|" is an
    # empty first cell.
    # A closing separator is kept as an empty last token: "a|b|" may end in an empty cell or
    # in a terminator, and only the table's row shapes can tell (tables.trim_terminators).
    opens = all(line.startswith(("|", "｜")) for _, line in lines)
    framed = opens and all(line.rstrip().endswith(("|", "｜")) for _, line in lines)
    tokens_of = []
    for lineno, line in lines:
        tokens = _SEP.split(line.rstrip())
        tokens_of.append((lineno, tokens[1 if opens else 0 : -1 if framed else None]))
    # Every line with as many cells: the table was written out from a grid, one token per
    # grid cell (spans repeated as empty cells), so a cell's column is its place. Columns
    # empty on every line are padding and go.
    widths = {len(t) for _, t in tokens_of}
    aligned = len(tokens_of) >= 2 and len(widths) == 1 and min(widths) >= 3
    keep = list(range(max(widths, default=0)))
    if aligned:
        keep = [c for c in keep if any(t[c].strip() for _, t in tokens_of)]
    rows = []
    for r, (lineno, tokens) in enumerate(tokens_of):
        cols = keep if aligned else range(len(tokens))
        rows.append(
            tuple(
                Cell(
                    _WS.sub(" ", tokens[c]).strip(),
                    r,
                    k,
                    where=Where("text", index, r, c, line=lineno),
                )
                for k, c in enumerate(cols)
            )
        )
    return Table(
        index, tuple(rows), Where("text", table=index, line=lines[0][0]), positioned=aligned
    )
