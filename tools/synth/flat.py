"""Flattened rendition: a report page saved as its text, as archives and copy-paste keep it.

Like the real `pingtan-zone-2021-pagetext.txt`: a few header lines of the saving tool, then
the whole article on one or a few long lines; headings follow the previous sentence with no
break (…联系。一、总体情况2021年，…); a table row is its label followed by its cells' texts
with nothing between them (一、本年新收政府信息公开申请数量640020470), now and then a space.

The gold of a flattened row follows one rule (`read_row`), stated here and in the README:
a *reading* splits the row's printed text into exactly as many cells as the template gives
the row, each a printed number (no leading zero; a sign only in signed columns; decimals only
in money columns) or a dash mark, a space always falling between two cells. A reading is
*consistent* when the row's own sums hold (section 三: the six applicant cells add up to the
total; section 四: each group's four results add up to its total; section 二 has no sum
within a row). A row of one cell reads as printed (`ok`). Otherwise the printed values are the
gold only when the row printed every cell (a blank cell leaves no trace, so no split can be
right), the printed reading is among the consistent ones, and either it is the only one or the
row holds a sum (several readings that keep the row's sum may still be told apart by the
column sums across rows); those cells are `repaired` and marked `accept_missing` (a reader
cannot know that no cell is blank, and may not be able to choose). Every other row's cells
are `missing`: a row of section 二 with several readings has nothing to choose by.

On the real Pingtan 2021 page this rule reads 一、本年新收… 640020470 one way only, while
（一）予以公开 270020130 keeps its row sum two ways (27 0 0 2 0 1 30 and 2 7 0 0 20 1 30).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from synth import codes
from synth.cells import Cell
from synth.codes import Key
from synth.gold import Override
from synth.grid import Heading, ImageBlock, Para, Report, Table, TableBlock, TRow
from synth.script import Converter
from synth.settings import Odds

DASHES = ("-", "—", "－", "/", "无", "無")
# Longest number one cell of a flattened row is read as (digits, sign and point included).
MAX_CELL = 12
# Readings counted before a row is judged hopeless.
ENOUGH = 16
_NUMBER = re.compile(r"0|[1-9]\d*")
_DECIMAL = re.compile(r"(0|[1-9]\d*)(\.\d+)?")
_SIGNED = re.compile(r"[+-]?(0|[1-9]\d*)")


@dataclass(frozen=True)
class FlatStyle:
    """How one page was flattened."""

    archive_header: bool  # the saving tool's own lines first (标题: … 正文 ====)
    lines: int  # the article's long lines
    space: float  # chance of a space at a joint between blocks or cells


def draw_flat_style(rng: random.Random, odds: Odds) -> FlatStyle:
    """Habits of one flattened page."""
    return FlatStyle(
        archive_header=rng.random() < odds.flat_archive_header,
        lines=rng.randint(*odds.flat_lines),
        space=rng.choice((0.0, 0.03, 0.1)),
    )


def _cell_pattern(key: Key) -> re.Pattern[str]:
    if key[2] == "amount":
        return _DECIMAL
    if key[2] == "change":
        return _SIGNED
    return _NUMBER


def _tokens(text: str, key: Key) -> Iterator[str]:
    """Prefixes of `text` one cell of column `key` could have printed."""
    pattern = _cell_pattern(key)
    for mark in DASHES:
        if text.startswith(mark):
            yield mark
    for length in range(1, min(len(text), MAX_CELL) + 1):
        head = text[:length]
        if pattern.fullmatch(head):
            yield head


def _number(token: str) -> Decimal:
    return Decimal(0) if token in DASHES else Decimal(token)


def _consistent(keys: list[Key], cells: list[str]) -> bool:
    """Whether a reading keeps the sums the row holds whole: a section 三 or 四 row's parts
    adding up to its total (cells of one canonical row, all in this printed row)."""
    rows: dict[tuple[str, str], dict[str, Decimal]] = {}
    for key, cell in zip(keys, cells, strict=True):
        rows.setdefault((key[0], key[1]), {})[key[2]] = _number(cell)
    for (table, _), values in rows.items():
        parts = codes.APPLICANT_COLS if table == "requests" else codes.REVIEW_COLS[:4]
        if table == "proactive" or "total" not in values or not set(parts) <= set(values):
            continue
        if sum(values[p] for p in parts) != values["total"]:
            return False
    return True


def readings(printed: str, keys: list[Key]) -> list[list[str]]:
    """Consistent readings of a flattened row's text (at most ENOUGH of them)."""
    found: list[list[str]] = []
    parts = printed.split(" ")

    def walk(part: int, rest: str, at: int, cells: list[str]) -> None:
        if len(found) >= ENOUGH:
            return
        if not rest:
            if part + 1 < len(parts):
                if at < len(keys) and cells:
                    walk(part + 1, parts[part + 1], at, cells)
                return
            if at == len(keys) and _consistent(keys, cells):
                found.append(list(cells))
            return
        if at >= len(keys):
            return
        # Each later cell needs at least one character.
        room = len(rest) + sum(len(p) for p in parts[part + 1 :]) - (len(keys) - at - 1)
        for token in _tokens(rest, keys[at]):
            if len(token) > room:
                break
            walk(part, rest[len(token) :], at + 1, [*cells, token])

    if parts and parts[0]:
        walk(0, parts[0], 0, [])
    return found


def read_row(
    cells: list[Cell], keys: list[Key], printed: str, conv: Converter
) -> dict[Key, Override]:
    """Gold of one flattened row, by the rule in the module docstring."""
    if len(keys) == 1 and cells[0].raw:
        return {}
    if all(c.raw for c in cells):
        found = readings(printed, keys)
        truth = [conv(c.raw) for c in cells]
        summed = keys[0][0] != "proactive"
        if truth in found and len(found) < ENOUGH and (len(found) == 1 or summed):
            out: dict[Key, Override] = {}
            for key, cell in zip(keys, cells, strict=True):
                status = "repaired" if cell.status == "ok" else cell.status
                out[key] = Override(status=status, accept_missing=True)
            return out
    return {key: Override(status="missing", recoverable=False) for key in keys}


class FlatWriter:
    """Writes one report as a flattened page and judges what its rows still say."""

    def __init__(self, conv: Converter, style: FlatStyle, rng: random.Random) -> None:
        self.conv = conv
        self.style = style
        self.rng = rng
        self.overrides: dict[Key, Override] = {}

    def _joint(self) -> str:
        return " " if self.rng.random() < self.style.space else ""

    def row(self, r: TRow, cells: dict[Key, Cell]) -> str:
        """One table row: labels then cells, run together."""
        labels = "".join(self.conv(c.text.replace("\n", "")) for c in r.cells if not c.key)
        values = [c for c in r.cells if c.key]
        if not values:
            return labels + self._joint()
        texts = [self.conv(c.text) for c in values]
        printed = ""
        for i, text in enumerate(texts):
            printed += text
            if i + 1 < len(texts) and text:
                printed += self._joint()
        keys = [c.key for c in values if c.key]
        row = [cells[k] for k in keys]
        self.overrides.update(read_row(row, keys, printed.strip(), self.conv))
        return labels + printed

    def table(self, t: Table, cells: dict[Key, Cell]) -> str:
        """A whole table as one run of text."""
        return "".join(self.row(r, cells) for r in t.rows)

    def document(
        self, report: Report, cells: dict[Key, Cell], crumbs: str, published: str | None
    ) -> str:
        """The saved page: tool header lines, then the article on a few long lines."""
        blocks: list[str] = [crumbs, self.conv(report.title)]
        if report.date_line:
            blocks.append(self.conv(report.date_line))
        blocks += [self.conv(p.text) for p in report.intro]
        for section in report.sections:
            for block in section.blocks:
                if isinstance(block, Heading | Para):
                    blocks.append(self.conv(block.text.replace("\n", "")))
                elif isinstance(block, TableBlock):
                    blocks.append(self.table(block.table, cells))
                elif isinstance(block, ImageBlock):
                    blocks.append(self.conv(block.alt))
        blocks += [self.conv(p.text) for p in report.closing]
        body = [b + self._joint() for b in blocks]
        cuts = sorted(self.rng.sample(range(1, len(body)), self.style.lines - 1))
        lines = [
            "".join(body[a:b]).strip() for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)
        ]
        head: list[str] = []
        if self.style.archive_header:
            head = [
                f"标题: {self.conv(report.title)}",
                f"发布时间: {published or ''}",
                "文号: ",
                "发布机构: ",
                f"栏目: {self.conv('政府信息公开年报')}",
                "==================== 正文 ====================",
            ]
        return "\n".join([*head, *lines]) + "\n"
