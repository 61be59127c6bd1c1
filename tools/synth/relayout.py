"""Damage that changes how tables are laid out but keeps every value printed."""

from __future__ import annotations

import itertools
import random

from synth import codes
from synth.cells import Cell
from synth.codes import Key
from synth.draw import chance
from synth.grid import Block, Para, Report, Table, TableBlock, TCell, TRow
from synth.wording import Wording

# A label spanning more rows than this is the results group label (三、本年度办理结果).
RESULTS_LABEL_SPAN = 10
# Chances of the paddings a split copy picks up.
SPLIT_PROACTIVE = 0.7
UNIT_LINE = 0.4
NOTE_ROW = 0.5
PAGE_NUMBER = 0.6
LABEL_TAIL = 0.5


def locate(report: Report, table: Table) -> tuple[list[Block], int]:
    """The block list holding a table and its position."""
    for section in report.sections:
        for i, block in enumerate(section.blocks):
            if isinstance(block, TableBlock) and block.table is table:
                return section.blocks, i
    raise LookupError(f"table {table.table_id} is not in the report")


def data_rows(table: Table) -> list[TRow]:
    """Rows that print canonical values."""
    return [r for r in table.rows if any(c.key for c in r.cells)]


def wrap_headers(tables: dict[str, Table], words: Wording, html: bool) -> None:
    """Break header labels over two lines; in HTML the results label goes one char a line."""
    wraps: dict[str, int] = words.extra("header_wraps")
    for table in tables.values():
        for row in table.rows:
            for c in row.cells:
                at = wraps.get(c.text)
                if c.kind == "header" and at:
                    c.text = c.text[:at] + "\n" + c.text[at:]
                    row.split_lines = True
                elif html and c.kind == "label" and c.rowspan > RESULTS_LABEL_SPAN:
                    c.text = "\n".join(c.text)


def transpose_reviews(table: Table, cells: dict[Key, Cell], words: Wording) -> None:
    """Section 四 as 15 rows: group label(s), result label, value (each as printed before,
    so that a total an earlier damage blanked stays blank)."""
    printed = {c.key: c.text for r in table.rows for c in r.cells if c.key}
    rows: list[TRow] = []
    for row in codes.REVIEW_ROWS:
        for i, col in enumerate(codes.REVIEW_COLS):
            lead: list[TCell] = []
            if row == "review" and i == 0:
                lead.append(TCell(words.review_text("review"), "label", rowspan=5, colspan=2))
            if row == "suit_direct" and i == 0:
                lead.append(TCell(words.review_text("suit"), "label", rowspan=10))
            if i == 0 and row != "review":
                lead.append(TCell(words.review_text(row), "label", rowspan=5))
            key: Key = ("reviews", row, col)
            value = TCell(printed.get(key, cells[key].raw), "value", key=key)
            rows.append(TRow([*lead, TCell(words.review_col(col), "label"), value], "data", row))
    table.rows, table.width = rows, 4


def flatten_reviews(
    rng: random.Random, table: Table, report: Report, cells: dict[Key, Cell], words: Wording
) -> dict[Key, str]:
    """Replace section 四 by one paragraph of 15 numbers; returns each cell's printed token."""
    tokens: dict[Key, str] = {}
    for key in codes.review_keys():
        cell = cells[key]
        # Flattening prints empty cells as 0, or the line would not hold 15 numbers.
        tokens[key] = cell.raw if cell.status == "ok" else "0"
    joint = "\n" if chance(rng, 0.5) else " "
    blocks, at = locate(report, table)
    line = words.review_text("flat_lead") + joint + " ".join(tokens.values())
    blocks[at] = Para(line, "flat")
    return tokens


def shorten_review_header(rng: random.Random, table: Table, words: Wording) -> None:
    """Keep only the last header row, or one row of the five result labels."""
    header = [r for r in table.rows if r.kind == "header"]
    if chance(rng, 0.5):
        table.rows = [header[-1], *data_rows(table)]
    else:
        labels = [TCell(words.review_col(c), "header") for c in codes.REVIEW_COLS]
        table.rows = [TRow(labels, "header"), *data_rows(table)]


def split_tables(
    rng: random.Random,
    tables: dict[str, Table],
    report: Report,
    words: Wording,
    repeat_header: float,
) -> None:
    """Cut section 三 (and often 二) into several tables, padded with unit lines and notes."""
    _split_requests(rng, tables["requests"], report, words, repeat_header)
    if chance(rng, SPLIT_PROACTIVE):
        _split_proactive(tables["proactive"], report)
    for table in tables.values():
        if chance(rng, UNIT_LINE):
            unit = rng.choice(words.extra("unit_lines"))
            table.rows.insert(0, TRow([TCell(unit, "title", colspan=table.width)], "unit"))


def _split_requests(
    rng: random.Random, table: Table, report: Report, words: Wording, repeat_header: float
) -> None:
    """Cut section 三 once or twice between data rows; continuations may repeat the header."""
    data = data_rows(table)
    cuts = sorted(rng.sample(range(3, len(data)), rng.randint(1, 2)))
    header = [r for r in table.rows if r.kind == "header"]
    parts: list[list[TRow]] = []
    start = 0
    for end in [*(table.rows.index(data[c]) for c in cuts), len(table.rows)]:
        parts.append(table.rows[start:end])
        start = end
    for before, after in itertools.pairwise(parts):
        _cut_spans(rng, before, after)
    if chance(rng, NOTE_ROW):
        note = rng.choice(words.extra("notes"))
        parts[-1].append(TRow([TCell(note, "title", colspan=table.width)], "note"))
    blocks, at = locate(report, table)
    new_blocks: list[Block] = []
    for i, rows in enumerate(parts):
        if i and chance(rng, repeat_header):
            copies = [
                TRow([TCell(c.text, c.kind, c.rowspan, c.colspan) for c in h.cells], "header")
                for h in header
            ]
            rows = copies + rows
        if i and chance(rng, PAGE_NUMBER):
            page = rng.choice(words.extra("page_numbers")).format(n=rng.randint(2, 9))
            new_blocks.append(Para(page, "page"))
        if i:
            new_blocks.append(TableBlock(Table("requests", rows, table.width)))
        else:
            table.rows = rows
            new_blocks.append(TableBlock(table))
    blocks[at : at + 1] = new_blocks


def _cut_spans(rng: random.Random, before: list[TRow], after: list[TRow]) -> None:
    """Truncate row spans at a cut; sometimes the label's tail reappears after it."""
    tails: list[TCell] = []
    for i, row in enumerate(before):
        left = len(before) - i
        for c in row.cells:
            if c.rowspan <= left:
                continue
            rest = c.rowspan - left
            c.rowspan = left
            if chance(rng, LABEL_TAIL) and len(c.text) > 3:
                # As across PDF page breaks: （四）无 | 法提供.
                at = len(c.text) // 2
                tails.append(TCell(c.text[at:], c.kind, rowspan=rest))
                c.text = c.text[:at]
    first = next(r for r in after if r.kind != "header")
    first.cells[0:0] = tails


def _split_proactive(table: Table, report: Report) -> None:
    """Each article-20 block of section 二 as its own table."""
    groups: list[list[TRow]] = []
    for row in table.rows:
        if row.kind == "banner" or not groups:
            groups.append([])
        groups[-1].append(row)
    blocks, at = locate(report, table)
    table.rows = groups[0]
    parts = [table] + [Table("proactive", g, table.width) for g in groups[1:]]
    blocks[at : at + 1] = [TableBlock(p) for p in parts]
