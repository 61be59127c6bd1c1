"""Plain-text rendition: one paragraph per line, tables as pipe-separated lines."""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth.grid import Heading, ImageBlock, Para, Report, Table, TableBlock, TRow
from synth.script import Converter

# Rows printed as one bare line rather than as cells.
LINE_ROWS = frozenset({"title", "banner", "note", "unit", "page"})


@dataclass(frozen=True)
class TextStyle:
    """A text file's habits."""

    sep: str = " | "
    borders: bool = False  # "| a | b |" rather than "a | b"
    newline: str = "\n"
    blank_lines: bool = False  # an empty line between paragraphs
    grid: bool = False  # every grid position a cell: spanned positions print empty cells


def draw_text_style(rng: random.Random, crlf: float, grid: bool = False) -> TextStyle:
    """Habits of one text file; `grid`: tables exported position by position."""
    return TextStyle(
        sep=rng.choice((" | ", "|", " | ")),
        borders=rng.random() < 0.25,
        newline="\r\n" if rng.random() < crlf else "\n",
        blank_lines=rng.random() < 0.3,
        grid=grid,
    )


class TextWriter:
    """Writes one report as plain text."""

    def __init__(self, conv: Converter, style: TextStyle) -> None:
        self.conv = conv
        self.style = style

    def joined(self, cells: list[str]) -> str:
        """Cells as one pipe line."""
        line = self.style.sep.join(cells)
        if self.style.borders:
            pad = " " if self.style.sep.startswith(" ") else ""
            line = f"|{pad}{line}{pad}|"
        return line

    def row(self, r: TRow) -> list[str]:
        """Lines of one table row; a spanned label appears only in the row where it starts."""
        if r.kind in LINE_ROWS and len(r.cells) == 1:
            return [self.conv(r.cells[0].text.replace("\n", ""))]
        if r.split_lines:
            parts = [self.conv(c.text).split("\n") for c in r.cells]
            depth = max(len(p) for p in parts)
            return [self.joined([p[i] if i < len(p) else "" for p in parts]) for i in range(depth)]
        return [self.joined([self.conv(c.text.replace("\n", "")) for c in r.cells])]

    def table(self, t: Table) -> list[str]:
        """Lines of one table."""
        if self.style.grid:
            return self.grid(t)
        return [line for r in t.rows for line in self.row(r)]

    def grid(self, t: Table) -> list[str]:
        """Lines of a table exported position by position: a spanned cell prints its text at
        its origin and empty cells over the rest of its span (rows of one line stay lines)."""
        lines: list[str] = []
        below: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
        for r in t.rows:
            if r.kind in LINE_ROWS and len(r.cells) == 1:
                lines.append(self.conv(r.cells[0].text.replace("\n", "")))
                continue
            out: list[str] = []
            col = 0
            cells = list(r.cells)
            while col < t.width:
                if below.get(col, 0) > 0:
                    below[col] -= 1
                    out.append("")
                    col += 1
                    continue
                if not cells:
                    out.append("")
                    col += 1
                    continue
                c = cells.pop(0)
                out.append(self.conv(c.text.replace("\n", "")))
                out += [""] * (c.colspan - 1)
                for k in range(col, col + c.colspan):
                    if c.rowspan > 1:
                        below[k] = c.rowspan - 1
                col += c.colspan
            lines.append(self.joined(out))
        return lines

    def document(self, report: Report) -> str:
        """The whole file."""
        chunks: list[list[str]] = [[self.conv(report.title)]]
        if report.date_line:
            chunks.append([self.conv(report.date_line)])
        chunks += [[self.conv(p.text)] for p in report.intro]
        for section in report.sections:
            for block in section.blocks:
                if isinstance(block, Heading):
                    chunks.append([self.conv(block.text)])
                elif isinstance(block, TableBlock):
                    chunks.append(self.table(block.table))
                elif isinstance(block, Para):
                    chunks.append(self.conv(block.text).split("\n"))
                elif isinstance(block, ImageBlock):
                    chunks.append([f"[{self.conv(block.alt) or 'image'}]"])
        chunks += [[self.conv(p.text)] for p in report.closing]
        gap = [""] if self.style.blank_lines else []
        lines = [line for chunk in chunks for line in [*chunk, *gap]]
        return self.style.newline.join(lines).rstrip() + self.style.newline
