"""Word rendition of a generated report: .docx written with python-docx from the report model.

Spanned cells become Word merges (`gridSpan` across, `vMerge` down), a label with a line
break becomes two lines in its cell, a table cut in several (damage `split_tables`) stays
several tables. Titles are centred and bold, headings bold, as offices type them.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from synth.grid import Heading, ImageBlock, Para, Report, Table, TableBlock
from synth.script import Converter


def _place(table: Table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of each printed cell on the table's grid."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            out.append((r, c, cell.rowspan, cell.colspan, cell.text))
            c += cell.colspan
    return out


def _width(table: Table, placed: list[tuple[int, int, int, int, str]]) -> int:
    return max([table.width, *(c + cs for _, c, _, cs, _ in placed)])


def write_table(doc, table: Table, conv: Converter) -> None:
    """One Word table with the model's merges."""
    n_rows = len(table.rows)
    # A span cut by a table split ends with its table.
    placed = [(r, c, min(rs, n_rows - r), cs, t) for r, c, rs, cs, t in _place(table)]
    grid = doc.add_table(rows=n_rows, cols=_width(table, placed))
    grid.style = "Table Grid"
    for r, c, rs, cs, text in placed:
        cell = grid.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(grid.cell(r + rs - 1, c + cs - 1))
        lines = conv(text).split("\n") if text else [""]
        para = cell.paragraphs[0]
        para.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    _trim(grid, placed)


def _trim(grid, placed: list[tuple[int, int, int, int, str]]) -> None:
    """A row that prints fewer cells than the grid is wide ends where its cells end."""
    ends: dict[int, int] = {}
    for r, c, rs, cs, _ in placed:
        for k in range(r, r + rs):
            ends[k] = max(ends.get(k, 0), c + cs)
    for r, row in enumerate(grid.rows):
        col = 0
        for tc in list(row._tr.tc_lst):
            if col >= ends.get(r, 0):
                row._tr.remove(tc)
            col += tc.grid_span


def report_docx(report: Report, conv: Converter) -> bytes:
    """The whole report as .docx bytes."""
    doc = docx.Document()
    doc.core_properties.title = conv(report.title)
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(conv(report.title)).bold = True
    if report.date_line:
        line = doc.add_paragraph(conv(report.date_line))
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for p in report.intro:
        doc.add_paragraph(conv(p.text))
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Heading):
                doc.add_paragraph().add_run(conv(block.text)).bold = True
            elif isinstance(block, TableBlock):
                write_table(doc, block.table, conv)
                doc.add_paragraph()
            elif isinstance(block, ImageBlock):
                doc.add_paragraph(f"[{conv(block.alt)}]")
            elif isinstance(block, Para):
                doc.add_paragraph(conv(block.text))
    for para in report.closing:  # the signature (落款): the body, then the date
        doc.add_paragraph(conv(para.text)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
