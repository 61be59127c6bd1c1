"""The OCR gate: a figure read by OCR stands only where a rule or a second reading confirms it.

The facts are a real parse of a generated HTML report whose figures all pass their rules;
some cells are then re-labelled as read by OCR (as a scan of the same report would be).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from parsers import parse, read
from parsers.document import Table
from parsers.model import ROW_CLEAR, UNDER_SEAL, Fact, Where
from parsers.reading.checks import check
from parsers.reading.ocr_gate import OcrGateSettings, gate_ocr
from parsers.reading.repair import gate_unruled
from parsers.reading.report import build_report
from parsers.templates import load_format

SYNTH = Path(__file__).resolve().parent.parent / "fixtures" / "synth"


@cache
def _report():
    name = "0002-clean-2022.html"
    return parse((SYNTH / name).read_bytes(), name)


def _gate(fmt, facts: list[Fact], unruled: frozenset[int] = frozenset()):
    """The gate as the reading stage runs it: on the checks of the facts as read."""
    return gate_ocr(fmt, facts, check(fmt, facts).checks, set(unruled), OcrGateSettings())


def _ocr(f: Fact, confidence: float, readings: tuple[str, ...] = ()) -> Fact:
    where = Where(
        "ocr", table=0, page=2, bbox=(1, 2, 3, 4), confidence=confidence, readings=readings
    )
    return replace(f, where=where)


def _with(key: tuple[str, str, str], make) -> tuple[list[Fact], Fact]:
    facts = list(_report().facts)
    i = next(i for i, f in enumerate(facts) if (f.table_id, f.row_id, f.col_id) == key)
    facts[i] = make(facts[i])
    return facts, facts[i]


def _get(facts: list[Fact], key) -> Fact:
    return next(f for f in facts if (f.table_id, f.row_id, f.col_id) == key)


KEY = ("requests", "new_received", "natural_person")


def test_reading_that_every_rule_passes_is_kept_even_when_unsure() -> None:
    report = _report()
    assert report.status == "parsed"
    fmt = load_format(report.format)
    facts, f = _with(KEY, lambda f: _ocr(f, 0.4))
    assert _get(_gate(fmt, facts).facts, KEY) == f


def test_misread_digit_that_breaks_the_row_total_is_missing_with_candidates() -> None:
    fmt = load_format(_report().format)

    def misread(f: Fact) -> Fact:
        wrong = f.value + 5
        return _ocr(replace(f, value=wrong, raw=str(wrong)), 0.97, (str(f.value),))

    facts, f = _with(KEY, misread)
    gated = _gate(fmt, facts)
    out = _get(gated.facts, KEY)
    assert out.status == "missing" and out.value is None and out.raw is None
    assert out.note.startswith(f"OCR: {f.raw} or {f.value - 5} (confidence 0.97)")
    assert "requests.row_total" in out.note and "fails" in out.note
    assert out.where.kind == "ocr" and out.where.page == 2
    assert any("withheld" in d.message for d in gated.diagnoses)


def test_sure_reading_that_a_rule_fails_with_is_withheld_though_its_readings_agree() -> None:
    # Both readings dropped or changed the same digit: agreeing with itself, the reading is
    # still the one that breaks the row total, and no rule that passes vouches for it.
    fmt = load_format(_report().format)

    def misread(f: Fact) -> Fact:
        wrong = f.value + 5
        return _ocr(replace(f, value=wrong, raw=str(wrong)), 0.97, (str(wrong),))

    facts, _ = _with(KEY, misread)
    out = _get(_gate(fmt, facts).facts, KEY)
    assert out.status == "missing" and "requests.row_total" in out.note and "fails" in out.note


def test_a_rule_failing_only_through_a_cell_withheld_on_its_own_withholds_no_other() -> None:
    # The row total fails because one part is misread, and that part's readings disagree:
    # it is withheld on its own, and the row's total, sure and read alike twice, stands.
    fmt = load_format(_report().format)
    total = ("requests", "new_received", "total")
    gone = ("requests", "carried_forward", "total")  # so no rule passes on the total

    def make(f: Fact) -> Fact:
        key = (f.table_id, f.row_id, f.col_id)
        if key == KEY:
            wrong = f.value + 5
            return _ocr(replace(f, value=wrong, raw=str(wrong)), 0.97, (str(f.value),))
        if key == total:
            return _ocr(f, 0.97, (f.raw,))
        if key == gone:
            return Fact(*gone, None, "missing", note="torn")
        return f

    facts = [make(f) for f in _report().facts]
    out = _gate(fmt, facts).facts
    assert _get(out, KEY).status == "missing"
    assert _get(out, total).status == "ok"


def test_a_sum_failing_only_through_a_row_an_earlier_gate_withheld_withholds_no_other() -> None:
    # A dash read '1' (unsure, read again as '/') breaks its row's total, so the gate of
    # tables without ruling lines withholds the row; the column sum it broke as well, and
    # holds with its other reading, says nothing of the column's other cells, each sure and
    # read alike twice.
    fmt = load_format(_report().format)
    sums = next(r for r in fmt.rules if r.id == "requests.results_sum")
    column = {*sums.rhs, *sums.lhs}
    bad = ("requests", "denied_state_secret", "research")
    target = ("requests", "partly_granted", "research")  # its row: dashes, no figure vouches
    wrong = ("requests", "denied_by_law", "research")

    def gated(misread: str | None = None, second: str = "/"):
        def make(f: Fact) -> Fact:
            if f.table_id != "requests" or f.col_id != "research" or f.row_id not in column:
                return f
            raw = "1" if f.key == bad else misread if f.key == wrong and misread else "0"
            sure = (0.41, (second,)) if f.key == bad else (0.99, (raw,))
            return _ocr(replace(f, value=Decimal(raw), status="ok", raw=raw), *sure)

        facts = [make(f) for f in _report().facts]
        checks = check(fmt, facts).checks
        first = gate_unruled(fmt, facts, checks, {0})
        assert _get(first.facts, bad).status == "missing"
        since = {bad: _get(facts, bad)}
        return first, checks, gate_ocr(fmt, first.facts, checks, {0}, OcrGateSettings(), since)

    first, checks, kept = gated()
    assert _get(kept.facts, target).status == "ok"
    # Unaware of the earlier gate, the failing sum withholds the column.
    blind = _get(gate_ocr(fmt, first.facts, checks, {0}, OcrGateSettings()).facts, target)
    assert blind.status == "missing" and "requests.results_sum fails" in blind.note
    # No other reading of the withheld cell makes the sum hold (read '1' twice), or a sure
    # misreading elsewhere in the column breaks it too: it blames the rest as before.
    for misread, second in ((None, "1"), ("5", "/")):
        out = gated(misread, second)[2].facts
        assert _get(out, target).status == "missing", (misread, second)
        assert _get(out, wrong).status == "missing"


def test_a_withheld_cells_runner_up_that_offsets_a_sure_misreading_explains_nothing() -> None:
    # Truth W=3 (withheld by an earlier gate, read '3' twice, runner-up '8'), X=8 read '3'
    # sure and twice, total 11: W at '8' would make the column sum hold, but W's own
    # reading stands confirmed, so X's misreading is not excused. Nor is a plain sum's
    # (the balance) failing through a withheld row none of whose readings mend it.
    fmt = load_format(_report().format)
    w = ("requests", "denied_state_secret", "research")
    x = ("requests", "denied_by_law", "research")
    total = ("requests", "results_total", "research")
    spec = {w: ("3", 0.41, ("3", "8")), x: ("3", 0.99, ("3",)), total: ("11", 0.99, ("11",))}

    def ocr(f: Fact) -> Fact:
        raw, confidence, readings = spec[f.key]
        return _ocr(replace(f, value=Decimal(raw), status="ok", raw=raw), confidence, readings)

    # W's row total failing with '3' and with '8' alike, or torn (withheld as a placed row
    # is, no row rule of its own failing): either way W's confirmed reading explains nothing;
    # nor does an unconfirmed one ('3' read again '8') that leaves W's own row total failing.
    cases = [(("3", "8"), ()), (("3", "8"), (("requests", "denied_state_secret", "total"),))]
    for readings, torn in [*cases, (("8",), ())]:
        spec[w] = ("3", 0.41, readings)
        facts = [
            ocr(f) if f.key in spec else Fact(*f.key, None, "missing") if f.key in torn else f
            for f in _report().facts
        ]
        checks = check(fmt, facts).checks
        since = {f.key: f for f in facts if f.row_id == w[1] and f.status != "missing"}
        first = [
            Fact(*f.key, None, "missing", note="withheld") if f.key in since else f for f in facts
        ]
        out = gate_ocr(fmt, first, checks, {0}, OcrGateSettings(), since).facts
        assert _get(out, x).status == "missing", (readings, torn)

    carried = ("requests", "carried_over", "total")  # truth 3, read 8 sure and twice
    spec = {carried: ("8", 0.99, ("8",))}
    facts = [
        ocr(f)
        if f.key in spec
        else Fact(*f.key, None, "missing", note="torn")
        if f.key == ("requests", "carried_over", "natural_person")  # no row total to fail
        else f
        for f in _report().facts
    ]
    checks = check(fmt, facts).checks
    since = {f.key: f for f in facts if f.row_id == "carried_forward"}
    first = [Fact(*f.key, None, "missing", note="withheld") if f.key in since else f for f in facts]
    assert (
        _get(gate_ocr(fmt, first, checks, {0}, OcrGateSettings(), since).facts, carried).status
        == "missing"
    )


def test_the_reading_stage_tells_the_ocr_gate_what_the_gates_before_it_withheld() -> None:
    # The same as a document: the results table without ruling lines, its research column
    # read by OCR as 0s but for a dash read '1' beside 国家秘密.
    doc = read((SYNTH / "0002-clean-2022.html").read_bytes(), "0002-clean-2022.html")
    research = 5  # the grid column under 科研机构

    def scanned(t: Table) -> Table:
        rows = []
        for r in t.rows:
            cells = []
            for c in r:
                if c.col == research and c.row >= 3:
                    bad = any("國家秘密" in x.text for x in r)
                    where = Where(
                        "ocr", table=t.index, row=c.row, col=c.col, page=1, bbox=(1, 2, 3, 4),
                        confidence=0.41 if bad else 0.99, readings=("/",) if bad else ("0",),
                    )  # fmt: skip
                    c = replace(c, text="1" if bad else "0", where=where)
                cells.append(c)
            rows.append(tuple(cells))
        return replace(t, rows=tuple(rows), ruled=False)

    tables = [b.table for b in doc.blocks if b.table is not None]
    results = next(t for t in tables if any("國家秘密" in c.text for r in t.rows for c in r))
    blocks = tuple(
        replace(b, table=scanned(b.table)) if b.table is results else b for b in doc.blocks
    )
    report = build_report(replace(doc, blocks=blocks))
    bad = report.fact("requests", "denied_state_secret", "research")
    assert bad.status == "missing" and bad.note.startswith("withheld: the table has no ruling")
    kept = report.fact("requests", "partly_granted", "research")
    assert (kept.status, kept.value) == ("ok", 0)


def test_a_word_for_none_read_twice_stands_from_a_lower_confidence_than_a_figure() -> None:
    # 無 printed small reads at p 0.4-0.7 (維 and 撫 share its probability), never as a
    # digit: read so twice, it stands from `min_none_word_confidence`; a figure does not.
    fmt = load_format(_report().format)
    dash = next(f for f in _report().facts if f.status == "dash" and f.table_id == "requests").key
    settings = OcrGateSettings()
    middling = (settings.min_none_word_confidence + settings.min_confidence) / 2

    def gated(raw: str, confidence: float, readings: tuple[str, ...]) -> Fact:
        facts, _ = _with(
            dash,
            lambda f: _ocr(replace(f, value=None, status="dash", raw=raw), confidence, readings),
        )
        return _get(_gate(fmt, facts).facts, dash)

    assert gated("無", middling, ("無",)).status == "dash"
    assert gated("无", middling, ("无",)).status == "dash"
    assert gated("無", settings.min_none_word_confidence - 0.05, ("無",)).status == "missing"
    assert gated("無", middling, ("無", "0")).status == "missing"  # a runner-up digit
    assert gated("維", middling, ("維",)).status == "missing"  # no word for "none"
    assert gated("—", middling, ("—",)).status == "missing"  # a stroke is no word


def test_a_total_printed_empty_is_unknown_not_zero_to_the_bound() -> None:
    # The row's total is left blank beside printed parts (a real report does so): the row
    # total cannot be evaluated, and a blank total is no 0 that its parts exceed.
    fmt = load_format(_report().format)
    total = ("requests", "new_received", "total")
    gone = ("requests", "carried_forward", "natural_person")  # so no rule passes on KEY

    def make(f: Fact) -> Fact:
        key = (f.table_id, f.row_id, f.col_id)
        if key == KEY:
            return _ocr(f, 0.97, (f.raw,))
        if key == total:
            return replace(f, value=None, raw="", status="blank")
        if key == gone:
            return Fact(*gone, None, "missing", note="torn")
        return f

    out = _gate(fmt, [make(f) for f in _report().facts]).facts
    assert _get(out, KEY).status == "ok"


def test_sure_reading_confirmed_by_a_second_one_stands_where_rules_cannot_decide() -> None:
    fmt = load_format(_report().format)
    facts = list(_report().facts)
    # Another cell of the row unreadable: the row total cannot be evaluated.
    other = ("requests", "new_received", "enterprise")
    facts = [
        Fact(*other, None, "missing", note="torn") if (f.table_id, f.row_id, f.col_id) == other
        else f
        for f in facts
    ]  # fmt: skip
    i = next(i for i, f in enumerate(facts) if (f.table_id, f.row_id, f.col_id) == KEY)
    raw = facts[i].raw
    facts[i] = _ocr(facts[i], 0.98, (raw,))
    assert _get(_gate(fmt, facts).facts, KEY).status == facts[i].status
    # The same reading, unsure, or with a second reading that disagrees: withheld.
    for conf, second in ((0.4, raw), (0.98, "8" if raw != "8" else "3"), (0.98, None)):
        facts[i] = _ocr(facts[i], conf, (second,) if second is not None else ())
        out = _get(_gate(fmt, facts).facts, KEY)
        assert out.status == "missing", (conf, second)
        assert "cannot be evaluated, so no rule decides" in out.note


def test_sure_total_that_its_read_parts_already_exceed_is_withheld() -> None:
    # A real report's scan: the row total 34 read "3" by both readings, the row's other
    # parts partly unread, so the row total could not be evaluated; yet the natural
    # persons' 34 alone exceeds 3, and unread cells count at least 0.
    fmt = load_format(_report().format)
    facts = list(_report().facts)
    torn = ("requests", "new_received", "enterprise")
    total = ("requests", "new_received", "total")
    part = _get(facts, KEY)
    assert part.value and part.value > 1
    low = str(part.value - 1)
    facts = [
        Fact(*torn, None, "missing", note="torn") if (f.table_id, f.row_id, f.col_id) == torn
        else _ocr(replace(f, value=Decimal(low), raw=low), 0.96, (low,))
        if (f.table_id, f.row_id, f.col_id) == total
        else f
        for f in facts
    ]  # fmt: skip
    out = _get(_gate(fmt, facts).facts, total)
    assert out.status == "missing"
    assert (
        f"requests.row_total cannot hold: one side reads {low}, the other's read cells "
        f"already add up to" in out.note
    )
    # Read right, the same total stands on its readings (the rule still cannot be evaluated).
    right = str(_get(_report().facts, total).value)
    facts = [
        _ocr(replace(f, value=Decimal(right), raw=right), 0.96, (right,))
        if (f.table_id, f.row_id, f.col_id) == total
        else f
        for f in facts
    ]
    assert _get(_gate(fmt, facts).facts, total).status == "ok"


def test_empty_cell_stands_only_when_the_image_shows_no_ink() -> None:
    fmt = load_format(_report().format)
    facts = list(_report().facts)
    blank = next(f for f in facts if f.status == "blank" and f.table_id == "requests")
    key = (blank.table_id, blank.row_id, blank.col_id)
    other = next(
        f for f in facts if f.table_id == "requests" and f.row_id == blank.row_id and f != blank
    )
    facts = [
        Fact(other.table_id, other.row_id, other.col_id, None, "missing", note="torn")
        if f == other
        else _ocr(f, 1.0, ("",))
        if f == blank
        else f
        for f in facts
    ]
    assert _get(_gate(fmt, facts).facts, key).status == "blank"
    facts = [_ocr(f, 0.0) if (f.table_id, f.row_id, f.col_id) == key else f for f in facts]
    out = _get(_gate(fmt, facts).facts, key)
    assert out.status == "missing" and "marks in the cell were not recognised" in out.note


def test_row_all_empty_in_a_table_without_rules_is_not_placed_by_the_image() -> None:
    # A wrapped label's line read as a row of empty cells: no ink in boxes the row's
    # structure made up confirms nothing.
    fmt = load_format(_report().format)
    row = ("requests", "other_no_correction")
    facts = [
        _ocr(replace(f, value=None, status="blank", raw=""), 1.0, ("",))
        if (f.table_id, f.row_id) == row
        else f
        for f in _report().facts
    ]
    ruled = _gate(fmt, facts).facts
    assert all(f.status == "blank" for f in ruled if (f.table_id, f.row_id) == row)
    unruled = [f for f in _gate(fmt, facts, frozenset({0})).facts if (f.table_id, f.row_id) == row]
    assert unruled and all(f.status == "missing" for f in unruled)
    assert "nothing on the image places the row's cells" in unruled[0].note
    # One figure read in the row places its empty cells.
    figure = next(f for f in _report().facts if (f.table_id, f.row_id) == row)
    facts = [
        _ocr(replace(figure, value=Decimal(0), status="ok", raw="0"), 0.99, ("0",))
        if f.col_id == figure.col_id and (f.table_id, f.row_id) == row
        else f
        for f in facts
    ]
    kept = [f for f in _gate(fmt, facts, frozenset({0})).facts if (f.table_id, f.row_id) == row]
    assert sum(f.status == "blank" for f in kept) == len(kept) - 1


def test_format_rows_all_empty_are_placed_by_a_figure_in_their_source_row() -> None:
    # Section 四 prints its three rows side by side on one row of the source: a figure of
    # the first places the empty cells of the other two; on rows of their own, it does not.
    fmt = load_format(_report().format)
    rows = {"review", "suit_direct"}

    def placed(source_row) -> list[Fact]:
        facts = []
        for f in _report().facts:
            if f.table_id == "reviews" and f.row_id in rows:
                figure = (f.row_id, f.col_id) == ("review", "total")
                where = Where("ocr", table=0, row=source_row(f), page=2, bbox=(1, 2, 3, 4))
                if figure:
                    where = replace(where, confidence=0.99, readings=("0",))
                    f = replace(f, value=Decimal(0), status="ok", raw="0", where=where)
                else:
                    where = replace(where, confidence=1.0, readings=("",))
                    f = replace(f, value=None, status="blank", raw="", where=where)
            facts.append(f)
        out = _gate(fmt, facts, frozenset({0})).facts
        return [f for f in out if (f.table_id, f.row_id) == ("reviews", "suit_direct")]

    assert all(f.status == "blank" for f in placed(lambda f: 7))
    apart = placed(lambda f: 7 if f.row_id == "review" else 8)
    assert apart and all(f.status == "missing" for f in apart)


def test_row_all_empty_stands_where_the_image_shows_no_ink_across_the_whole_row() -> None:
    fmt = load_format(_report().format)
    row = ("requests", "other_no_correction")

    def blank_row(readings: tuple[str, ...]) -> list[Fact]:
        return [
            _ocr(replace(f, value=None, status="blank", raw=""), 1.0, readings)
            if (f.table_id, f.row_id) == row
            else f
            for f in _report().facts
        ]

    clear = _gate(fmt, blank_row(("", ROW_CLEAR)), frozenset({0})).facts
    kept = [f for f in clear if (f.table_id, f.row_id) == row]
    assert kept and all(f.status == "blank" for f in kept)
    # The row's clear height places its cells, but a cell whose own box holds ink is no
    # more empty for it.
    inked = _gate(fmt, blank_row((ROW_CLEAR,)), frozenset({0})).facts
    assert all(f.status == "missing" for f in inked if (f.table_id, f.row_id) == row)


def test_a_rule_over_empty_cells_only_vouches_for_none_of_them_without_rulings() -> None:
    # A row of figures read as a row of empty cells, no ink seen across it: its row total
    # passes (all empty), the column sums it takes part in fail. The row total vouches for
    # nothing, so the cells the sums contradict are withheld. (Its total is in no column
    # sum: nothing contradicts it.)
    fmt = load_format(_report().format)
    row = ("requests", "granted")
    printed = {f.col_id: f.value for f in _report().facts if (f.table_id, f.row_id) == row}
    assert any(printed.values())
    facts = [
        _ocr(replace(f, value=None, status="blank", raw=""), 1.0, ("", ROW_CLEAR))
        if (f.table_id, f.row_id) == row
        else f
        for f in _report().facts
    ]
    out = {
        f.col_id: f
        for f in _gate(fmt, facts, frozenset({0})).facts
        if (f.table_id, f.row_id) == row
    }
    for col, value in printed.items():
        if col != "total":
            assert out[col].status == ("missing" if value else "blank"), col
    # In a ruled table each cell's own image places it: the row total vouches as before.
    ruled = [f for f in _gate(fmt, facts).facts if (f.table_id, f.row_id) == row]
    assert all(f.status == "blank" for f in ruled)


def test_gate_leaves_documents_without_ocr_alone() -> None:
    report = _report()
    fmt = load_format(report.format)
    gated = _gate(fmt, list(report.facts))
    assert gated.facts == list(report.facts) and not gated.diagnoses
    assert OcrGateSettings().min_confidence == 0.7
    assert all(f.value is None or isinstance(f.value, Decimal) for f in gated.facts)


def test_a_count_read_with_a_fraction_is_withheld_however_sure_both_readings_are() -> None:
    # A scan read '0.1' twice where '0' is printed with a speck beside it; no rule could be
    # evaluated. Requests are counted in whole numbers, so it is no figure of the table.
    fmt = load_format(_report().format)
    key = ("requests", "denied_enforcement", "enterprise")

    def speck(f: Fact) -> Fact:
        return _ocr(replace(f, value=Decimal("0.1"), raw="0.1", status="ok"), 0.75, ("0.1",))

    facts, _ = _with(key, speck)
    facts = [_ocr(f, 0.4) if f.table_id == "requests" and f.col_id == "enterprise" and
             f.row_id != key[1] else f for f in facts]  # fmt: skip
    out = _get(_gate(fmt, facts).facts, key)
    assert out.status == "missing" and out.value is None
    assert "not a whole number" in out.note
    # Money may have a fraction: the 2021 fees amount read twice alike stands.
    fees = ("proactive", "fees", "amount")
    facts, _ = _with(
        fees,
        lambda f: _ocr(replace(f, value=Decimal("9.6"), raw="9.6", status="ok"), 0.9, ("9.6",)),
    )
    assert _get(_gate(fmt, facts).facts, fees).value == Decimal("9.6")


def test_a_zero_read_where_rules_pass_stands_only_on_its_image() -> None:
    # Rules count 0, a dash and an empty cell alike: a dash under a seal read as 0 passes
    # every rule, so a 0 needs the image to leave no dash or empty cell open.
    fmt = load_format(_report().format)
    key = next(
        (f.table_id, f.row_id, f.col_id)
        for f in _report().facts
        if f.table_id == "requests" and f.status in ("blank", "dash")
    )

    def zero(f: Fact, confidence: float, readings: tuple[str, ...]) -> Fact:
        return _ocr(replace(f, value=Decimal(0), status="ok", raw="0"), confidence, readings)

    facts, _ = _with(key, lambda f: zero(f, 0.05, ("V",)))
    assert all(c.status != "fail" for c in check(fmt, facts).checks)
    out = _get(_gate(fmt, facts).facts, key)
    assert out.status == "missing" and out.value is None
    assert "rules cannot tell an empty cell or a dash from 0" in out.note
    # Barely made, but every reading a closed loop (0 read again as o): no dash, no blank.
    facts, f = _with(key, lambda f: zero(f, 0.05, ("o", "0")))
    assert _get(_gate(fmt, facts).facts, key) == f
    facts, f = _with(key, lambda f: zero(f, 0.98, ("0",)))
    assert _get(_gate(fmt, facts).facts, key) == f
    # Recognition sure of the 0 but a second reading unsure: the rules that pass confirm it,
    # unless another reading is a dash, or a seal lies over the cell.
    facts, f = _with(key, lambda f: zero(f, 0.9, ("V",)))
    assert _get(_gate(fmt, facts).facts, key) == f
    for readings in (("—",), ("0", UNDER_SEAL)):
        facts, _ = _with(key, lambda f, r=readings: zero(f, 0.9, r))
        assert _get(_gate(fmt, facts).facts, key).status == "missing", readings
