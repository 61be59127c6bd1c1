"""HTML the reader must survive: spans over huge areas, nesting past libxml2's depth limit
(issue #12, cases 5 and 8). Before: a 111 KB file of 3,000 spanning cells took 5.8 GB."""

from __future__ import annotations

import random

from parsers import parse
from parsers.document import Cell, Table
from parsers.readers.html import read_html
from tests.conftest import REAL
from tests.measured import run_measured
from tests.sites.bombs import span_bomb

SHANGHAI = (REAL / "shanghai-govoffice-2019.html").read_bytes()


def test_span_bomb_fails_fast_in_little_memory(tmp_path) -> None:
    path = tmp_path / "spans.html"
    path.write_bytes(span_bomb())
    assert 100_000 < path.stat().st_size < 120_000
    code = """
from parsers import parse
report = parse(open(sys.argv[1], "rb").read(), sys.argv[1])
print(report.status, report.error, sep="|")
"""
    measured = run_measured(code, str(path))
    assert measured.returncode == 0, measured.stderr[-2000:]
    status, error = measured.stdout.strip().split("|")
    assert status == "failed"
    assert error == (
        "table 1 spans a grid of 100 rows × 1920 columns or more, over the 100000 cells a "
        "report table can have"
    )
    assert measured.peak_mb < 150, measured.peak_mb
    assert measured.seconds < 10


def test_span_bomb_in_a_real_report_fails_that_report_with_the_reason() -> None:
    bomb = span_bomb().split(b"<body>")[1].split(b"</body>")[0]
    report = parse(SHANGHAI.replace(b"</body>", bomb + b"</body>"), "x.html")
    assert report.status == "failed" and "over the 100000 cells" in (report.error or "")


def reference_covering(table: Table, row: int) -> list[Cell]:
    """Cells from earlier rows whose rowspan reaches `row`, the obvious way."""
    found = [c for r in table.rows for c in r if c.row < row < c.row + c.rowspan]
    return sorted(found, key=lambda c: c.col)


def reference_placement(spans: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """(row, col) of each cell by the former cell-by-cell placement: every covered grid
    position kept in a set per row."""
    taken: dict[int, set[int]] = {}
    placed = []
    for r, cells in enumerate(spans):
        busy = taken.pop(r, set())
        c = 0
        for rowspan, colspan in cells:
            while c in busy:
                c += 1
            for dr in range(1, rowspan):
                taken.setdefault(r + dr, set()).update(range(c, c + colspan))
            placed.append((r, c))
            c += colspan
    return placed


def test_spans_as_intervals_place_cells_as_before() -> None:
    rng = random.Random(12)
    for _ in range(300):
        spans = [
            [
                (rng.choice([1, 1, 2, 3, 9]), rng.choice([1, 1, 2, 4]))
                for _ in range(rng.randint(2 if i == 0 else 1, 6))
            ]
            for i in range(rng.randint(1, 12))
        ]
        rows = "".join(
            "<tr>"
            + "".join(f'<td rowspan="{rs}" colspan="{cs}">x</td>' for rs, cs in cells)
            + "</tr>"
            for cells in spans
        )
        html = f"<html><body><table>{rows}</table></body></html>".encode()
        (table,) = [b.table for b in read_html(html).blocks if b.table is not None]
        assert [(c.row, c.col) for r in table.rows for c in r] == reference_placement(spans)
        for i in range(len(table.rows)):
            assert list(table.covering(i)) == reference_covering(table, i)


def test_html_nested_past_the_parsers_limit_fails_with_that_reason() -> None:
    start = SHANGHAI.index(b">", SHANGHAI.index(b"<body")) + 1
    deep = SHANGHAI[:start] + b"<div>" * 300 + SHANGHAI[start:]
    report = parse(deep, "deep.html")
    assert report.status == "failed"
    assert report.error == (
        "the page cannot be read whole: elements nested deeper than 256 levels at line 3 "
        "(the HTML parser's limit)"
    )
    assert parse(SHANGHAI[:start] + b"<div>" * 200 + SHANGHAI[start:], "ok.html").status == (
        "parsed"
    )
