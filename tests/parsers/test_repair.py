"""Repairs of broken tables, on damaged copies of the real Shanghai report.

Each test breaks the intact report in one way a real site does, and checks that every value
the damage left provable comes back (marked how it was placed) and nothing else is invented.
"""

from __future__ import annotations

import re
from decimal import Decimal

from parsers import parse
from tests.conftest import REAL

SHANGHAI = (REAL / "shanghai-govoffice-2019.html").read_text(encoding="utf-8")
BASELINE = {(f.table_id, f.row_id, f.col_id): f for f in parse(SHANGHAI.encode()).facts}
LABEL = re.compile(r'<td nowrap="nowrap"><p>(\d\.[^<]+)</p></td>')


def _parse(html: str):
    return parse(html.encode(), "damaged.html")


def _row(report, row_id: str) -> list:
    return [f for f in report.facts if f.row_id == row_id and f.table_id == "requests"]


def _same_values(report, row_id: str) -> bool:
    return all(
        (
            f.value,
            f.status in ("ok", "repaired")
            or f.status == BASELINE[f.table_id, f.row_id, f.col_id].status,
        )
        == (BASELINE[f.table_id, f.row_id, f.col_id].value, True)
        for f in _row(report, row_id)
    )


def _drop_labels(html: str, labels: list[str]) -> str:
    for label in labels:
        cell = f'<td nowrap="nowrap"><p>{label}</p></td>'
        assert cell in html, label
        html = html.replace(cell, "", 1)
    return html


def test_unlabelled_rows_between_anchors_are_placed_by_alignment() -> None:
    html = _drop_labels(SHANGHAI, ["5.属于三类内部事务信息", "6.属于四类过程性信息"])
    r = _parse(html)
    for row_id in ("denied_internal", "denied_process"):
        assert _same_values(r, row_id), row_id
        statuses = {f.status for f in _row(r, row_id)}
        assert "repaired" in statuses and "ok" not in statuses
        note = next(f.note for f in _row(r, row_id) if f.status == "repaired")
        assert "structural alignment" in note and "denied_third_party" in note
    assert r.fact("requests", "denied_internal", "natural_person").value == 5


def test_unlabelled_rows_that_do_not_fill_their_slots_stay_missing() -> None:
    # Two labels lost and one whole (empty) row gone: 2 rows for 3 slots.
    html = _drop_labels(SHANGHAI, ["3.危及“三安全一稳定”", "5.属于三类内部事务信息"])
    html = html.replace(
        re.search(r'<tr><td nowrap="nowrap"><p>4\.保护第三方合法权益</p></td>.*?</tr>', html).group(
            0
        ),
        "",
    )
    r = _parse(html)
    for row_id in ("denied_security", "denied_third_party", "denied_internal"):
        assert {f.status for f in _row(r, row_id)} == {"missing"}, row_id
        assert "no position is certain" in _row(r, row_id)[0].note
    assert _same_values(r, "denied_process")
    assert not [
        f
        for f in r.facts
        if f.value is not None and f.value != BASELINE[f.table_id, f.row_id, f.col_id].value
    ]


def _merge_labels(html: str, first: str, second: str) -> str:
    """The label cells of two rows printed as one cell spanning both, a label per line."""
    cell = '<td nowrap="nowrap"><p>{}</p></td>'
    html = html.replace(
        cell.format(first), f'<td nowrap="nowrap" rowspan="2"><p>{first}</p><p>{second}</p></td>'
    )
    return html.replace(cell.format(second), "", 1)


def test_a_label_cell_spanning_two_rows_names_each_by_its_line() -> None:
    html = _merge_labels(SHANGHAI, "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
    r = _parse(html)
    for row_id in ("unable_to_create", "unable_unclear"):
        assert _same_values(r, row_id), row_id
        assert {f.status for f in _row(r, row_id)} == {
            BASELINE["requests", row_id, f.col_id].status for f in _row(r, row_id)
        }
    assert r.fact("requests", "unable_unclear", "natural_person").value == 25


def test_one_label_wrapped_over_a_cell_spanning_two_rows_names_no_row_per_line() -> None:
    # The label wrapped in a cell over two rows, its figures on the lower one. 类申请 alone
    # is nearest 2.重复申请: read per line, the upper row (all empty) would be the petitions.
    label = '<td nowrap="nowrap"><p>1.信访举报投诉类申请</p></td>'
    row = re.search(r"<tr>.{0,80}" + re.escape(label) + r"(.*?)</tr>", SHANGHAI)
    values = row.group(1)
    empty = '<td nowrap="nowrap"><p align="center">&nbsp;</p></td>' * 7
    wrapped = (
        '<tr><td nowrap="nowrap" rowspan="6"><p>（五）不予处理</p></td>'
        '<td nowrap="nowrap" rowspan="2"><p>1.信访举报投诉</p><p>类申请</p></td>'
        f"{empty}</tr><tr>{values}</tr>"
    )
    html = SHANGHAI.replace(row.group(0), wrapped)
    r = _parse(html)
    assert "blank" not in {f.status for f in _row(r, "rejected_petition")}
    assert _same_values(r, "rejected_repeat")
    assert not [
        f
        for f in r.facts
        if f.value is not None and f.value != BASELINE[f.table_id, f.row_id, f.col_id].value
    ]


def test_lines_naming_rows_out_of_order_name_none() -> None:
    # The two labels' lines swapped: the lines do not say which row is which, so the rows
    # are placed by the alignment alone (repaired), as if they had no label.
    html = _merge_labels(SHANGHAI, "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
    html = html.replace(
        "<p>2.没有现成信息需要另行制作</p><p>3.补正后申请内容仍不明确</p>",
        "<p>3.补正后申请内容仍不明确</p><p>2.没有现成信息需要另行制作</p>",
    )
    r = _parse(html)
    for row_id in ("unable_to_create", "unable_unclear"):
        assert _same_values(r, row_id), row_id
        assert "ok" not in {f.status for f in _row(r, row_id)}, row_id
        assert "structural alignment" in next(f.note for f in _row(r, row_id) if f.note)


def test_a_label_read_with_every_character_twice_names_its_row() -> None:
    # A bold face drawn twice over itself comes out of a text layer or OCR doubled.
    html = SHANGHAI.replace("<p>（一）予以公开</p>", "<p>（（一一））予予以以公公开开</p>", 1)
    assert html != SHANGHAI
    r = _parse(html)
    assert _same_values(r, "granted")
    assert "ok" in {f.status for f in _row(r, "granted")}


def test_words_in_a_value_column_after_a_value_are_that_value_unreadable() -> None:
    row = re.search(r"<tr><td[^>]*><p>2\.没有现成信息需要另行制作</p></td>.*?</tr>", SHANGHAI)
    damaged = row.group(0).replace('<p align="center">3</p>', '<p align="center">不详</p>', 1)
    r = _parse(SHANGHAI.replace(row.group(0), damaged))
    got = {f.col_id: f for f in _row(r, "unable_to_create")}
    assert got["enterprise"].status == "missing" and "不详" in got["enterprise"].note
    assert got["natural_person"].value == 44
    assert all(
        (f.value, f.status) == (BASELINE[f.table_id, f.row_id, f.col_id].value,
                                BASELINE[f.table_id, f.row_id, f.col_id].status)
        for c, f in got.items() if c != "enterprise"
    )  # fmt: skip


def test_a_label_with_only_its_last_line_left_names_its_row_by_that_piece() -> None:
    html = SHANGHAI.replace(
        "<p>（二）部分公开（区分处理的，只计这一情形，不计其他情形）</p>", "<p>不计其他情形）</p>"
    )
    assert html != SHANGHAI
    r = _parse(html)
    assert _same_values(r, "partly_granted")
    assert "ok" in {f.status for f in _row(r, "partly_granted")}


def test_a_piece_of_label_two_rows_share_names_neither() -> None:
    html = SHANGHAI.replace("<p>一、本年新收政府信息公开申请数量</p>", "<p>信息公开申请</p>")
    assert html != SHANGHAI
    r = _parse(html)
    assert {f.status for f in _row(r, "new_received")} == {"missing"}
    assert _same_values(r, "carried_over")


def _shift(html: str, label: str, nth_empty: int) -> str:
    """Remove the nth empty value cell of the row labelled `label` (values slide left)."""
    row = re.search(rf"<tr><td[^>]*><p>{re.escape(label)}</p></td>.*?</tr>", html).group(0)
    empties = [
        m.start()
        for m in re.finditer(r'<td nowrap="nowrap"><p align="center">&nbsp;</p></td>', row)
    ]
    at = empties[nth_empty]
    cell = '<td nowrap="nowrap"><p align="center">&nbsp;</p></td>'
    return html.replace(row, row[:at] + row[at + len(cell) :])


def test_an_omitted_cell_is_placed_when_the_rules_allow_one_placement() -> None:
    # 二、上年结转 prints 18 | | | | | | 18: dropping an empty cell leaves 6 cells; only the
    # placements that keep 18 under natural_person and total satisfy row total and balance.
    r = _parse(_shift(SHANGHAI, "二、上年结转政府信息公开申请数量", 0))
    row = {f.col_id: f for f in _row(r, "carried_over")}
    assert row["natural_person"].value == 18 and row["total"].value == 18
    assert row["natural_person"].status == "repaired"
    assert "satisfies the rules" in row["natural_person"].note
    # Which empty cell was dropped cannot be told (they read alike): all read as blank.
    assert {f.status for f in row.values()} == {"blank", "repaired"}


def test_equal_readings_count_as_one_placement_and_an_unconfirmed_gap_as_none() -> None:
    # 8.属于行政查询事项 prints 10 | 2 | | | | | : wherever the omitted empty cell sat among the
    # trailing value cells the row reads the same, and the column sums exclude the places
    # before them.
    r = _parse(_shift(SHANGHAI, "8.属于行政查询事项", 0))
    row = {f.col_id: f for f in _row(r, "denied_query")}
    assert row["natural_person"].status == "repaired"
    assert (row["natural_person"].value, row["enterprise"].value) == (10, 2)
    assert {row[c].status for c in ("research", "nonprofit", "legal_services", "other_org")} == {
        "blank"
    }
    # But the omitted cell may have been the total, printed blank beside parts that are not
    # 0 (unknown to the rules): no rule over it says that cell was empty, so it is missing
    # (a dropped 12 there would otherwise read as blank).
    assert row["total"].status == "missing" and "position uncertain" in row["total"].note


def test_a_placement_without_evidence_is_not_taken() -> None:
    # A non-empty cell dropped (35) and the (七)总计 row gone: no rule can confirm any
    # placement, so nothing in the row is placed (the printed 859 must not become other_org).
    row_html = re.search(r"<tr><td[^>]*><p>一、本年新收.*?</tr>", SHANGHAI).group(0)
    total_row = re.search(r"<tr><td[^>]*><p>（七）总计</p></td>.*?</tr>", SHANGHAI).group(0)
    html = SHANGHAI.replace(
        row_html, row_html.replace('<td nowrap="nowrap"><p align="center">35</p></td>', "", 1)
    )
    r = _parse(html.replace(total_row, ""))
    assert {f.status for f in _row(r, "new_received")} == {"missing"}


def test_an_omitted_cell_with_several_placements_leaves_the_uncertain_cells_missing() -> None:
    # With the (七)总计 row printed empty, no column sum can tell where the gap was. Nor, in
    # a column whose figures sum to more than 0 (unknown beside the blank total), can any
    # rule say that the omitted cell was an empty one.
    total_row = re.search(r"<tr><td[^>]*><p>（七）总计</p></td>.*?</tr>", SHANGHAI).group(0)
    emptied = re.sub(r'<p align="center">\d+</p>', '<p align="center">&nbsp;</p>', total_row)
    r = _parse(_shift(SHANGHAI.replace(total_row, emptied), "8.属于行政查询事项", 0))
    row = {f.col_id: f for f in _row(r, "denied_query")}
    uncertain = {c for c, f in row.items() if f.status == "missing"}
    assert uncertain == {
        "natural_person", "enterprise", "research", "legal_services", "other_org", "total"
    }  # fmt: skip
    # Only nonprofit's column prints nothing: its blank total is 0 = 0, which holds.
    assert row["nonprofit"].status == "blank"
    every = "natural_person, enterprise, research, nonprofit, legal_services, other_org, total"
    assert all(row[c].note.endswith(f"fits at {every}") for c in uncertain)
    assert all(f.value is None for f in row.values())


def test_label_broken_over_two_cells_still_names_its_row() -> None:
    html = SHANGHAI.replace(
        '<td nowrap="nowrap"><p>2.重复申请</p></td>',
        '<td nowrap="nowrap"><p>2.重复</p></td><td nowrap="nowrap"><p>申请</p></td>',
    )
    assert _same_values(_parse(html), "rejected_repeat")


def _reviews(html: str) -> str:
    i = html.index("<p><br />四、")
    j = html.index("<p>五、")
    return html[:i], html[i:j], html[j:]


def test_section_four_with_words_in_a_value_cell_reads_the_other_fourteen() -> None:
    head, reviews, tail = _reviews(SHANGHAI)
    damaged = reviews.replace("<td><p>9</p></td>", "<td><p>不详</p></td>", 1)
    assert damaged != reviews
    r = _parse(head + damaged + tail)
    got = {f.row_id + "." + f.col_id: f for f in r.facts if f.table_id == "reviews"}
    assert got["suit_direct.total"].status == "missing"
    assert "不详" in got["suit_direct.total"].note
    assert got["suit_direct.upheld"].value == 8 and got["review.total"].value == 7
    assert sum(f.status == "missing" for f in got.values()) == 1


def test_section_four_transposed_into_fifteen_rows() -> None:
    head, _, tail = _reviews(SHANGHAI)
    values = {
        "review": ["5", "", "", "2", "7"],
        "suit_direct": ["8", "", "", "1", "9"],
        "suit_after_review": ["", "", "", "", ""],
    }
    groups = {
        "review": "行政复议",
        "suit_direct": "未经复议直接起诉",
        "suit_after_review": "复议后起诉",
    }
    cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = []
    for row_id, vals in values.items():
        for i, (col, v) in enumerate(zip(cols, vals, strict=True)):
            lead = f'<td rowspan="5">{groups[row_id]}</td>' if i == 0 else ""
            rows.append(f"<tr>{lead}<td>{col}</td><td>{v}</td></tr>")
    table = f"<p>四、政府信息公开行政复议、行政诉讼情况</p><table>{''.join(rows)}</table>"
    r = _parse(head + table + tail)
    got = {(f.row_id, f.col_id): (f.value, f.status) for f in r.facts if f.table_id == "reviews"}
    want = {k[1:]: (f.value, f.status) for k, f in BASELINE.items() if k[0] == "reviews"}
    assert got == want


def test_section_four_flattened_to_a_line_of_numbers() -> None:
    head, _, tail = _reviews(SHANGHAI)
    line = (
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>行政复议 行政诉讼</p>"
        "<p>5 0 0 2 7 8 0 0 1 9 0 0 0 0 0</p>"
    )
    r = _parse(head + line + tail)
    facts = [f for f in r.facts if f.table_id == "reviews"]
    assert [f.value for f in facts] == [Decimal(x) for x in "5 0 0 2 7 8 0 0 1 9 0 0 0 0 0".split()]
    assert {f.status for f in facts} == {"repaired"}
    assert "template order" in facts[0].note


def test_section_four_flattened_below_a_header_of_several_lines() -> None:
    head, _, tail = _reviews(SHANGHAI)
    line = (
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>行政复议 行政诉讼</p>"
        "<p>未经复议直接起诉 复议后起诉</p><p>结果维持 结果纠正 其他结果 尚未审结 总计</p>"
        "<p>5 0 0 2 7 8 0 0 1 9 0 0 0 0 0</p>"
    )
    r = _parse(head + line + tail)
    facts = [f for f in r.facts if f.table_id == "reviews"]
    assert [f.value for f in facts] == [Decimal(x) for x in "5 0 0 2 7 8 0 0 1 9 0 0 0 0 0".split()]


def test_section_four_line_of_numbers_under_its_heading_alone_is_not_placed() -> None:
    head, _, tail = _reviews(SHANGHAI)
    line = "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>5 0 0 2 7 8 0 0 1 9 0 0 0 0 0</p>"
    r = _parse(head + line + tail)
    assert {f.status for f in r.facts if f.table_id == "reviews"} == {"missing"}


def test_section_four_with_a_short_header_is_read_in_order_and_marked() -> None:
    head, reviews, tail = _reviews(SHANGHAI)
    short = re.sub(
        r"<tr><td colspan=\"5\"><p>行政复议.*?</tr>\s*<tr>.*?</tr>", "", reviews, flags=re.S
    )
    assert short != reviews
    facts = [f for f in _parse(head + short + tail).facts if f.table_id == "reviews"]
    assert [f.value for f in facts] == [
        BASELINE["reviews", f.row_id, f.col_id].value for f in facts
    ]
    assert {f.status for f in facts if f.value is not None} == {"repaired"}


def test_blank_totals_are_offered_as_derived_never_as_printed() -> None:
    r = _parse(SHANGHAI)
    assert r.fact("requests", "granted", "total").status == "blank"
    derived = {(f.row_id, f.col_id): f for f in r.derived}
    assert derived["granted", "total"].value == 272
    assert derived["granted", "total"].status == "derived"
    assert "not printed" in derived["granted", "total"].note
    # Every derived total equals the sum of its printed parts.
    for (row_id, col_id), f in derived.items():
        assert col_id == "total"
        cols = ("natural_person", "enterprise", "research", "nonprofit", "legal_services")
        parts = [r.fact("requests", row_id, c) for c in (*cols, "other_org")]
        assert f.value == sum(p.value or 0 for p in parts)


def test_repairs_leave_an_intact_report_untouched() -> None:
    r = _parse(SHANGHAI)
    assert not [f for f in r.facts if f.status in ("repaired", "derived")]


def _with_requests_table(html: str, *, ruled: bool):
    from dataclasses import replace

    from parsers.readers.html import read_html
    from parsers.reading.report import build_report
    from parsers.settings import ParseSettings

    settings = ParseSettings()
    doc = read_html(html.encode(), settings.html)
    blocks = tuple(
        replace(b, table=replace(b.table, ruled=ruled)) if b.table is not None else b
        for b in doc.blocks
    )
    return build_report(replace(doc, blocks=blocks))


def test_an_unruled_row_whose_total_contradicts_its_parts_is_withheld() -> None:
    # As if a PDF table without ruling lines had merged two cells' digits: 821 → 8211.
    html = SHANGHAI.replace('<p align="center">821</p>', '<p align="center">8211</p>')
    unruled = _with_requests_table(html, ruled=False)
    row = _row(unruled, "new_received")
    assert {f.status for f in row} == {"missing"}
    assert "no ruling lines" in row[0].note and "(859)" in row[0].note
    assert _same_values(unruled, "carried_over")  # rows that add up are kept
    # In a ruled (or HTML) table the printed figures stand, and the check says they differ.
    ruled = _with_requests_table(html, ruled=True)
    assert ruled.fact("requests", "new_received", "natural_person").value == 8211
    checks = {(c.rule_id, c.scope): c.status for c in ruled.checks}
    assert checks["requests.row_total", "new_received"] == "fail"


def _pipe(edit) -> object:
    from pathlib import Path

    text = (Path(__file__).parent.parent / "fixtures" / "text" / "pipe-2019.txt").read_text("utf-8")
    return parse(edit(text).encode(), "pipe.txt")


def test_pipe_text_report_reads_exactly() -> None:
    r = _pipe(lambda t: t)
    assert r.fact("requests", "denied_query", "total").value == 12
    assert not [c for c in r.checks if c.status == "fail"]


def test_a_row_with_an_unknown_label_blocks_placement_by_position() -> None:
    # 8.属于行政查询事项 loses its label, and a subtotal row (（四）无法提供) that names no
    # canonical row is printed after it: counting rows between anchors would be fooled.
    def edit(t: str) -> str:
        t = t.replace("8.属于行政查询事项 | ", "")
        return t.replace("（四）无法提供 | 1.", "（四）无法提供 | 321 | 15 |  |  | 1 |  | 337\n1.")

    r = _pipe(edit)
    assert {f.status for f in _row(r, "denied_query")} == {"missing"}
    assert "name no canonical row" in _row(r, "denied_query")[0].note
    assert r.fact("requests", "unable_not_held", "natural_person").value == 252


def test_a_trailing_separator_closing_every_line_is_not_a_cell() -> None:
    # Lines written "cell | cell |": the closing separator ends the line, it is no cell.
    r = _pipe(lambda t: "\n".join(x + " |" if " | " in x else x for x in t.splitlines()))
    assert r.fact("requests", "results_total", "other_org").value == 1
    assert r.fact("requests", "results_total", "total").value == 805
    assert not [f for f in r.facts if f.table_id == "requests" and f.status == "missing"]


def test_a_header_in_another_order_is_followed_where_it_names_every_column() -> None:
    header = (
        '<td nowrap="nowrap"><p align="center">本年新<br />制作数量</p></td>'
        '<td nowrap="nowrap" colspan="2"><p align="center">本年新<br />公开数量</p></td>'
        '<td nowrap="nowrap"><p align="center">对外公开总数量</p></td>'
    )
    swapped = (
        '<td nowrap="nowrap"><p align="center">对外公开总数量</p></td>'
        '<td nowrap="nowrap"><p align="center">本年新<br />制作数量</p></td>'
        '<td nowrap="nowrap" colspan="2"><p align="center">本年新<br />公开数量</p></td>'
    )
    assert header in SHANGHAI
    r = _parse(SHANGHAI.replace(header, swapped, 1))
    # The values stay where they are printed; the header says what they are.
    got = {f.col_id: f.value for f in r.facts if f.row_id == "rules"}
    assert got == {"total_published": 13, "made": 13, "published": 524}


def test_litigation_printed_before_review_is_read_by_its_header() -> None:
    head, reviews, tail = _reviews(SHANGHAI)
    review = '<td colspan="5"><p>行政复议</p></td>'
    suits = '<td colspan="10"><p>行政诉讼</p></td>'
    swapped = reviews.replace(review + suits, suits + review)
    assert swapped != reviews
    swapped = re.sub(
        r'(<tr><td rowspan="2"><p>结果维持</p></td>.*?<td rowspan="2"><p>总计</p></td>)'
        r'(<td colspan="5"><p>未经复议直接起诉</p></td><td colspan="5"><p>复议后起诉</p></td>)',
        r"\2\1",
        swapped,
    )
    r = _parse(head + swapped + tail)
    got = {(f.row_id, f.col_id): f.value for f in r.facts if f.table_id == "reviews"}
    # The printed row is 5 _ _ 2 7 | 8 _ _ 1 9 | _ ...: now the first ten are litigation.
    assert got["suit_direct", "upheld"] == 5 and got["suit_after_review", "total"] == 9
    assert got["review", "upheld"] is None


def test_another_table_with_the_same_row_labels_is_not_read() -> None:
    other = (
        "<table><tr><td>类别</td><td>2017年</td><td>2018年</td><td>2019年</td></tr>"
        "<tr><td>规章</td><td>10</td><td>12</td><td>13</td></tr></table>"
    )
    r = _parse(
        SHANGHAI.replace(
            "<p>二、主动公开政府信息情况</p>", "<p>二、主动公开政府信息情况</p>" + other
        )
    )
    assert [f.value for f in r.facts if f.row_id == "rules"] == [13, 13, 524]


def test_a_row_printed_twice_with_different_figures_is_missing() -> None:
    extra = (
        '<tr><td nowrap="nowrap"><p>规章</p></td><td>1</td><td colspan="2">2</td><td>3</td></tr>'
    )
    r = _parse(
        SHANGHAI.replace("</tbody></table>\n<p>三、", extra + "</tbody></table>\n<p>三、", 1)
    )
    rules = [f for f in r.facts if f.row_id == "rules"]
    assert {f.status for f in rules} == {"missing"} and "printed twice" in rules[0].note


def test_a_rule_covers_a_cell_it_surely_sums() -> None:
    from parsers.reading.checks import covers
    from parsers.templates import RuleSpec

    per_row = RuleSpec("t.row_total", "t", "row", ("total",), ("a", "b"))
    assert covers(per_row, "r1", "r1") and covers(per_row, "r1", "r1", "a")
    assert not covers(per_row, "r1", "r2", "a") and not covers(per_row, "r1", "r1", "c")
    per_col = RuleSpec("t.sum", "t", "col", ("tot",), ("a",), rhs_one_of=(("b1",), ("b2",)))
    assert covers(per_col, "c1", "a", "c1") and not covers(per_col, "c1", "a", "c2")
    # An alternative's row is involved, but not surely summed: only one alternative is.
    assert covers(per_col, "c1", "b1") and not covers(per_col, "c1", "b1", "c1")
