"""The three canonical tables laid out as the national templates print them."""

from __future__ import annotations

from dataclasses import dataclass

from synth import codes, relayout
from synth.cells import Cell
from synth.codes import Key
from synth.grid import Table, TCell, TRow
from synth.wording import Wording

# Section 二 header labels at least this long are broken after WRAP_HEAD chars (本年新<br>制作数量).
WRAP_HEAD_MIN = 7
WRAP_HEAD = 3


@dataclass(frozen=True)
class Layout:
    """Layout choices for one document's tables."""

    proactive_grid: str = "five"  # 2019 only: "five" (Shanghai) or "four" columns
    misaligned: bool = False  # Shanghai-style data colspans that differ from the header's
    wrap_heads: bool = False  # break long section 二 header labels
    amount_suffix: str = ""  # unit suffix on the 2019 money header, e.g. （万元）
    # Section 三 header: "template" (3 rows), or a shape that puts canonical words first in
    # a row: "bottom" (span texts in the lowest row), "one_row", "two_rows" (no 申请人情况).
    request_header: str = "template"


def _value(cells: dict[Key, Cell], key: Key, colspan: int = 1) -> TCell:
    """Value cell for a canonical key."""
    return TCell(cells[key].raw, "value", colspan=colspan, key=key)


def _head(text: str, layout: Layout, rowspan: int = 1, colspan: int = 1) -> TCell:
    """Header cell, broken in two if the layout breaks long labels."""
    if layout.wrap_heads and len(text) >= WRAP_HEAD_MIN and "\n" not in text:
        text = text[:WRAP_HEAD] + "\n" + text[WRAP_HEAD:]
    return TCell(text, "header", rowspan, colspan)


def _title(text: str, width: int) -> TRow:
    """A title row spanning the whole table."""
    return TRow([TCell(text, "title", colspan=width)], kind="title")


def build_proactive(
    fmt: str, words: Wording, cells: dict[Key, Cell], layout: Layout, title: str = ""
) -> Table:
    """Section 二: one table of article-20 blocks, each a banner, a header row and data rows."""
    five = fmt == "2019" and layout.proactive_grid == "five"
    width = 5 if five else 4
    rows: list[TRow] = [_title(title, width)] if title else []
    for numeral, block in codes.PROACTIVE_BLOCKS[fmt]:
        rows.append(TRow([TCell(words.banner(numeral), "header", colspan=width)], "banner"))
        cols = block[0][1]
        suffix = {"amount": layout.amount_suffix}
        labels = [words.proactive_col(c, suffix.get(c, "") if fmt == "2019" else "") for c in cols]
        spans = _spans(len(cols), five, width)
        header = [TCell(words.content_header(), "header")]
        header += [_head(t, layout, colspan=s) for t, s in zip(labels, spans, strict=True)]
        rows.append(TRow(header, "header"))
        # Shanghai prints (五)/(六) data with the wide cell first although the header has it second.
        shifted = five and layout.misaligned and numeral in ("五", "六")
        data_spans = [2, 1, 1] if shifted else spans
        for row, _ in block:
            line = [TCell(words.proactive_row(row), "label")]
            for col, span in zip(cols, data_spans, strict=True):
                line.append(_value(cells, ("proactive", row, col), span))
            rows.append(TRow(line, "data", row_id=row))
    return Table("proactive", rows, width)


def _spans(n: int, five: bool, width: int) -> list[int]:
    """Colspans of n value columns after the label column."""
    if n == 1:
        return [width - 1]
    if not five:
        return [1] * (n - 1) + [width - n]
    return [1, 2, 1] if n == 3 else [2, 2]


def build_requests(
    fmt: str,
    hybrid: bool,
    words: Wording,
    cells: dict[Key, Cell],
    layout: Layout,
    title: str = "",
) -> Table:
    """Section 三: 3 header rows, then rows with rowspan group labels as the template prints."""
    width = 10
    rows: list[TRow] = [_title(title, width)] if title else []
    cols = codes.REQUEST_COLS
    rows += request_header(words, layout.request_header)

    def values(row: str) -> list[TCell]:
        return [_value(cells, ("requests", row, c)) for c in cols]

    for row in ("new_received", "carried_over"):
        rows.append(
            TRow([TCell(words.top_label(row), "label", colspan=3), *values(row)], "data", row)
        )
    groups = codes.result_groups(fmt, hybrid)
    n_results = sum(len(r) for _, r in groups) + 1
    first = True
    for group, members in [*groups, ("results_total", ["results_total"])]:
        for i, row in enumerate(members):
            lead: list[TCell] = []
            if first:
                lead.append(TCell(words.results_label(), "label", rowspan=n_results))
                first = False
            if len(members) == 1:
                lead.append(TCell(words.group_label(group), "label", colspan=2))
            else:
                if i == 0:
                    lead.append(TCell(words.group_label(group), "label", rowspan=len(members)))
                lead.append(TCell(words.item_label(row, i + 1), "label"))
            rows.append(TRow([*lead, *values(row)], "data", row))
    rows.append(
        TRow(
            [
                TCell(words.top_label("carried_forward"), "label", colspan=3),
                *values("carried_forward"),
            ],
            "data",
            "carried_forward",
        )
    )
    return Table("requests", rows, width)


def request_header(words: Wording, shape: str) -> list[TRow]:
    """Header rows of section 三 in one of the shapes reports print."""
    cols = codes.REQUEST_COLS
    note = words.requests_text("note")
    labels = [words.request_col(c) for c in cols]
    if shape == "one_row":
        return [
            TRow(
                [TCell(note, "header", colspan=3), *(TCell(t, "header") for t in labels)], "header"
            )
        ]
    if shape == "two_rows":
        return [
            TRow(
                [
                    TCell(note, "header", rowspan=2, colspan=3),
                    TCell(labels[0], "header", rowspan=2),
                    TCell(words.requests_text("legal_persons"), "header", colspan=5),
                    TCell(labels[-1], "header", rowspan=2),
                ],
                "header",
            ),
            TRow([TCell(t, "header") for t in labels[1:6]], "header"),
        ]
    if shape == "bottom":
        # Each spanning header's text sits in the lowest row it covers; the rows above print
        # empty cells there, so that 总计 and 其他 stand in a row of their own words.
        return [
            TRow(
                [
                    TCell(note, "header", colspan=3),
                    TCell(words.requests_text("applicant"), "header", colspan=7),
                ],
                "header",
            ),
            TRow(
                [
                    TCell("", "header", colspan=3),
                    TCell("", "header"),
                    TCell(words.requests_text("legal_persons"), "header", colspan=5),
                    TCell("", "header"),
                ],
                "header",
            ),
            TRow([TCell("", "header", colspan=3), *(TCell(t, "header") for t in labels)], "header"),
        ]
    return [
        TRow(
            [
                TCell(note, "header", rowspan=3, colspan=3),
                TCell(words.requests_text("applicant"), "header", colspan=7),
            ],
            "header",
        ),
        TRow(
            [
                TCell(labels[0], "header", rowspan=2),
                TCell(words.requests_text("legal_persons"), "header", colspan=5),
                TCell(labels[-1], "header", rowspan=2),
            ],
            "header",
        ),
        TRow([TCell(t, "header") for t in labels[1:6]], "header"),
    ]


def review_header(words: Wording) -> list[TRow]:
    """The three header rows of section 四."""
    cols = [words.review_col(c) for c in codes.REVIEW_COLS]
    return [
        TRow(
            [
                TCell(words.review_text("review"), "header", colspan=5),
                TCell(words.review_text("suit"), "header", colspan=10),
            ],
            "header",
        ),
        TRow(
            [TCell(t, "header", rowspan=2) for t in cols]
            + [
                TCell(words.review_text("suit_direct"), "header", colspan=5),
                TCell(words.review_text("suit_after_review"), "header", colspan=5),
            ],
            "header",
        ),
        TRow([TCell(t, "header") for t in cols * 2], "header"),
    ]


def build_reviews(
    words: Wording, cells: dict[Key, Cell], title: str = "", layout: str = "row15"
) -> Table:
    """Section 四: by default three header rows and one data row of 15 values; `layout`
    "rows3" (3 group rows x 5 result columns), "cols3" (5 result rows x 3 group columns) or
    "rows15" (15 labelled rows, one value column)."""
    if layout == "rows3":
        return _reviews_rows3(words, cells, title)
    if layout == "cols3":
        return _reviews_cols3(words, cells, title)
    rows: list[TRow] = [_title(title, 15)] if title else []
    rows += review_header(words)
    data = [_value(cells, ("reviews", r, c)) for r in codes.REVIEW_ROWS for c in codes.REVIEW_COLS]
    rows.append(TRow(data, "data", "reviews"))
    table = Table("reviews", rows, 15)
    if layout == "rows15":
        relayout.transpose_reviews(table, cells, words)
        if title:
            table.rows.insert(0, _title(title, table.width))
    return table


def _reviews_rows3(words: Wording, cells: dict[Key, Cell], title: str) -> Table:
    """Section 四 as one row per group (行政复议, 未经复议直接起诉, 复议后起诉)."""
    width = 2 + len(codes.REVIEW_COLS)
    rows: list[TRow] = [_title(title, width)] if title else []
    head = [TCell("", "header", colspan=2)]
    head += [TCell(words.review_col(c), "header") for c in codes.REVIEW_COLS]
    rows.append(TRow(head, "header"))

    def values(row: str) -> list[TCell]:
        return [_value(cells, ("reviews", row, c)) for c in codes.REVIEW_COLS]

    review = TCell(words.review_text("review"), "label", colspan=2)
    rows.append(TRow([review, *values("review")], "data", "review"))
    suit = TCell(words.review_text("suit"), "label", rowspan=2)
    direct = TCell(words.review_text("suit_direct"), "label")
    rows.append(TRow([suit, direct, *values("suit_direct")], "data", "suit_direct"))
    after = TCell(words.review_text("suit_after_review"), "label")
    rows.append(TRow([after, *values("suit_after_review")], "data", "suit_after_review"))
    return Table("reviews", rows, width)


def _reviews_cols3(words: Wording, cells: dict[Key, Cell], title: str) -> Table:
    """Section 四 as one row per result (结果维持 … 总计), one column per group."""
    width = 1 + len(codes.REVIEW_ROWS)
    rows: list[TRow] = [_title(title, width)] if title else []
    rows.append(
        TRow(
            [
                TCell("", "header", rowspan=2),
                TCell(words.review_text("review"), "header", rowspan=2),
                TCell(words.review_text("suit"), "header", colspan=2),
            ],
            "header",
        )
    )
    rows.append(
        TRow(
            [
                TCell(words.review_text("suit_direct"), "header"),
                TCell(words.review_text("suit_after_review"), "header"),
            ],
            "header",
        )
    )
    for col in codes.REVIEW_COLS:
        line = [TCell(words.review_col(col), "label")]
        line += [_value(cells, ("reviews", r, col)) for r in codes.REVIEW_ROWS]
        rows.append(TRow(line, "data", col))
    return Table("reviews", rows, width)
