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
from parsers.model import ROW_CLEAR, UNDER_SEAL, UNREAD_MARKS, Fact, Where
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


def test_a_cell_withheld_on_its_own_excuses_a_failing_sum_only_where_a_reading_mends_it() -> None:
    # X (20) read '2', sure and twice, in a row whose total cannot be evaluated (a cell of it
    # torn); W in X's column withheld on its own readings. The column sum fails: W's
    # readings ('1' or '7') cannot make it hold, nor can any figure of one digit (W would
    # have to be 19), so it blames X too. Where one of W's readings, or a figure as long as
    # W was read (a digit misread), does make it hold, W alone is withheld.
    fmt = load_format(_report().format)
    w = ("requests", "denied_state_secret", "natural_person")  # 1
    v = ("requests", "unable_not_held", "natural_person")  # 19
    x = ("requests", "granted", "natural_person")  # 20
    torn = ("requests", "granted", "enterprise")

    def gated(x_raw: str, unsure: tuple, raw: str, readings: tuple[str, ...]) -> list[Fact]:
        def make(f: Fact) -> Fact:
            if f.key == unsure:
                return _ocr(replace(f, value=Decimal(raw), raw=raw), 0.41, readings)
            if f.key == x:
                return _ocr(replace(f, value=Decimal(x_raw), raw=x_raw), 0.99, (x_raw,))
            if f.key == torn:
                return _ocr(Fact(*torn, None, "missing", note="unreadable: 浦"), 0.5)
            if f.table_id == "requests":
                return _ocr(f, 0.99, (f.raw or "",))
            return f

        return _gate(fmt, [make(f) for f in _report().facts]).facts

    assert [_get(_report().facts, k).value for k in (w, v, x)] == [1, 19, 20]
    out = gated("2", w, "1", ("7",))
    assert _get(out, w).status == "missing"
    bad = _get(out, x)
    assert bad.status == "missing" and "requests.results_sum fails" in bad.note
    # X read right (no row total of its own to vouch for it). W read '3' (its second
    # reading the true 1); V (19) read '17' twice, or '9' with marks beside it unread, or
    # '191' read again as two figures '19 1': X stands. V read '7' twice lost a digit no
    # reading shows, and '47' is two digits from 19: the sum blames X as well.
    for unsure, raw, readings, stands in (
        (w, "3", ("1",), True),
        (v, "17", ("17",), True),
        (v, "9", ("9", UNREAD_MARKS), True),
        (v, "191", ("19 1",), True),
        (v, "7", ("7",), False),
        (v, "47", ("47",), False),
    ):
        out = gated("20", unsure, raw, readings)
        assert _get(out, unsure).status == "missing"
        assert (_get(out, x).status == "ok") == stands, raw


def test_a_withheld_cell_read_with_a_sign_neither_lifts_a_bound_nor_explains_a_sum() -> None:
    # 2019's results sum is a plain sum. X (10) read '80', sure and twice, its row total torn;
    # A in X's column unrecognised (no reading: at least 0), W (1) read '-1' (a stroke beside
    # it), unsure. W withheld counts at least 0 as well: the parts read already exceed the
    # total, so X is withheld, where W counted at -1 would have lifted the bound. Nor does a
    # count's other reading with a sign make a sum hold ('1' read again '-5' offsetting X
    # read 16).
    name = "0009-clean-2019.html"
    facts = parse((SYNTH / name).read_bytes(), name).facts
    fmt = load_format("2019")
    x = ("requests", "granted", "natural_person")
    torn = ("requests", "granted", "total")
    a = ("requests", "unable_unclear", "natural_person")
    w = ("requests", "denied_third_party", "natural_person")
    assert [_get(list(facts), k).value for k in (x, a, w)] == [10, 3, 1]

    def gated(x_raw: str, w_raw: str, w_readings: tuple[str, ...], unread: bool) -> Fact:
        def make(f: Fact) -> Fact:
            if f.key == x:
                return _ocr(replace(f, value=Decimal(x_raw), raw=x_raw), 0.99, (x_raw,))
            if f.key == torn:
                return _ocr(Fact(*torn, None, "missing", note="unreadable"), 0.5)
            if f.key == a and unread:
                return _ocr(f, 0.0, ())
            if f.key == w:
                return _ocr(replace(f, value=Decimal(w_raw), raw=w_raw), 0.45, w_readings)
            return _ocr(f, 0.99, (f.raw or "",)) if f.table_id == "requests" else f

        return _get(_gate(fmt, [make(f) for f in facts]).facts, x)

    bad = gated("80", "-1", ("-1",), True)
    assert bad.status == "missing" and "cannot hold" in bad.note
    assert gated("16", "1", ("-5",), False).status == "missing"
    assert gated("10", "1", ("1",), False).status == "ok"


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
    # Unaware of the earlier gate, the sum fails through a cell now missing, unknown: it
    # only bounds the rest, which its read cells do not exceed.
    blind = _get(gate_ocr(fmt, first.facts, checks, {0}, OcrGateSettings()).facts, target)
    assert blind.status == "ok"
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


def _scan(name: str, marker: str, read_as, first_row: int = 3, first_col: int = 3):
    """A document whose table holding `marker` is read as if scanned without ruling lines:
    each cell from `first_row` and `first_col` on read by OCR as `read_as(row, cell)` says
    (text, confidence, other readings), or left as printed where it says None."""
    doc = read((SYNTH / name).read_bytes(), name)

    def scanned(t: Table) -> Table:
        rows = []
        for r in t.rows:
            cells = []
            for c in r:
                got = read_as(r, c) if c.row >= first_row and c.col >= first_col else None
                if got is not None:
                    text, confidence, readings = got
                    where = Where(
                        "ocr", table=t.index, row=c.row, col=c.col, page=1, bbox=(1, 2, 3, 4),
                        confidence=confidence, readings=readings,
                    )  # fmt: skip
                    c = replace(c, text=text, where=where)
                cells.append(c)
            rows.append(tuple(cells))
        return replace(t, rows=tuple(rows), ruled=False)

    tables = [b.table for b in doc.blocks if b.table is not None]
    target = next(t for t in tables if any(marker in c.text for r in t.rows for c in r))
    blocks = tuple(
        replace(b, table=scanned(b.table)) if b.table is target else b for b in doc.blocks
    )
    return build_report(replace(doc, blocks=blocks))


def _read_as(changed: dict[tuple[int, int], tuple]):
    """Every cell read as printed, sure and alike twice, but those `changed` (by grid row
    and column)."""

    def read_as(_row, c):
        if (c.row, c.col) in changed:
            return changed[c.row, c.col]
        return (c.text, *((0.99, (c.text,)) if c.text.strip() else (1.0, ("",))))

    return read_as


def _scanned_results(second: str, beside: str = "國家秘密", name: str = "0002-clean-2022.html"):
    """The results table of a document read as if scanned without ruling lines: its research
    column read by OCR as 0s, sure and twice, but for a dash read '1' (p 0.41) in the row
    labelled `beside`, read again as `second`."""
    research = 5  # the grid column under 科研机构

    def read_as(row, c):
        if c.col != research:
            return None
        if any(beside in x.text for x in row):
            return ("1", 0.41, (second,))
        return ("0", 0.99, ("0",))

    return _scan(name, beside, read_as)


def test_a_row_total_another_reading_mends_withholds_that_cell_not_the_row() -> None:
    # The dash read '1' breaks its row's total; read again as '/', it mends it: the positions
    # of the row's cells are not in doubt, the reading is. The OCR gate withholds it alone.
    report = _scanned_results("/")
    bad = report.fact("requests", "denied_state_secret", "research")
    assert bad.status == "missing" and bad.note.startswith("OCR: 1 or / (confidence 0.41)")
    mate = report.fact("requests", "denied_state_secret", "natural_person")
    assert mate.status == "ok" and mate.value is not None
    kept = report.fact("requests", "partly_granted", "research")
    assert (kept.status, kept.value) == ("ok", 0)


def test_only_a_reading_of_nothing_or_of_no_sign_spares_a_row_its_total_contradicts() -> None:
    # Without ruling lines a row whose total its parts contradict is withheld whole, unless
    # one cell's other reading says it prints nothing (a part) or prints its figure without
    # a sign: then the rest of the row sums as printed.
    name, results = "0002-clean-2022.html", "國家秘密"

    def row(report, row_id: str) -> dict:
        return {f.col_id: f for f in report.facts if f.row_id == row_id}

    # 重复申请 prints 1, -, -, -, -, - | 1 (grid row 19; columns 3-9). Its total read '-1'
    # (a speck for a minus), read again '1': the row stands but for the total.
    report = _scan(name, results, _read_as({(19, 9): ("-1", 0.5, ("1",))}))
    got = row(report, "rejected_repeat")
    assert got["total"].status == "missing" and got["total"].note.startswith("OCR: -1 or 1")
    assert (got["natural_person"].status, got["natural_person"].value) == ("ok", 1)
    # Its 1 went astray into the row below, its cell read empty; its total read '1' again
    # as '/': a total read as nothing would spare a row that lost its figure.
    astray = {(19, 3): ("", 1.0, ("",)), (20, 3): ("1", 0.99, ("1",)), (19, 9): ("1", 0.41, ("/",))}
    got = row(_scan(name, results, _read_as(astray)), "rejected_repeat")
    assert {f.status for f in got.values()} == {"missing"}
    assert got["natural_person"].note.startswith("withheld: the table has no ruling lines")
    # Section 四 prints 12, 8, 2, 0 | 22 for 行政复议 (grid row 3, columns 0-4): 12 read '17'
    # sure and twice, 8 read '8' unsure with a runner-up '3' that offsets it: no figure
    # read again spares the row.
    offset = {(3, 0): ("17", 0.99, ("17",)), (3, 1): ("8", 0.41, ("3",))}
    report = _scan(name, "行政複議", _read_as(offset), first_col=0)
    got = row(report, "review")
    assert {f.status for f in got.values()} == {"missing"}
    assert got["upheld"].note.startswith("withheld: the table has no ruling lines")


def test_the_reading_stage_tells_the_ocr_gate_what_the_gates_before_it_withheld() -> None:
    # Read '1' twice, nothing mends the row total: the gate of tables without ruling lines
    # withholds the row. Told so, the OCR gate finds that no reading of the withheld cell
    # makes the column sum hold, so it blames the column's other cells. Untold, 2019's
    # results sum (a plain sum) would only bound the withheld cell (at least 0) and let by.
    report = _scanned_results("1", "國家秘密", "0009-clean-2019.html")
    assert report.format == "2019"
    bad = report.fact("requests", "denied_state_secret", "research")
    assert bad.status == "missing" and bad.note.startswith("withheld: the table has no ruling")
    kept = report.fact("requests", "partly_granted", "research")
    assert kept.status == "missing" and "requests.results_sum fails" in kept.note


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


def test_a_sum_of_alternatives_bounds_its_cells_through_an_unread_one_too() -> None:
    # 2021's results sum adds the (六) rows printed (of two forms). X (20) read '80', sure
    # and twice, its row total torn; A in X's column unrecognised (at least 0). The column's
    # read parts already exceed its total (47): X is withheld, as under a plain sum.
    fmt = load_format(_report().format)
    x = ("requests", "granted", "natural_person")
    torn = ("requests", "granted", "total")
    a = ("requests", "unable_unclear", "natural_person")

    def gated(raw: str) -> Fact:
        def make(f: Fact) -> Fact:
            if f.key == x:
                return _ocr(replace(f, value=Decimal(raw), raw=raw), 0.99, (raw,))
            if f.key == torn:
                return Fact(*torn, None, "missing", note="torn")
            if f.key == a:
                return _ocr(Fact(*a, None, "blank"), 0.0)
            return f

        return _get(_gate(fmt, [make(f) for f in _report().facts]).facts, x)

    bad = gated("80")
    assert bad.status == "missing"
    assert "requests.results_sum cannot hold: one side reads 47" in bad.note
    # Read right, X stands on its readings: the sum cannot be evaluated, nor bound it.
    assert gated("20").status == "ok"


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


def test_a_figure_in_a_row_whose_total_prints_a_dash_is_withheld_without_rules() -> None:
    # Review: the '1' of 重复申请 placed a line low, in a row whose total prints a dash. The
    # row's total rule is not evaluated, yet a dash total beside a figure other than 0 is
    # what a figure gone astray reads as: without ruling lines, that figure is withheld (the
    # rest of the row agrees with its total). Ruled, or with its parts all 0, it stands.
    fmt = load_format(_report().format)
    facts = list(_report().facts)
    stray = ("requests", "rejected_publication", "natural_person")
    total = ("requests", "rejected_publication", "total")

    def printed(figure: str, mark: str = "-") -> list[Fact]:
        def make(f: Fact) -> Fact:
            f = replace(f, where=Where("pdf", table=0, page=1))
            if f.key == total:
                return replace(f, value=None, status="dash", raw=mark)
            if f.key[:2] == stray[:2]:
                raw = figure if f.key == stray else "0"
                return replace(f, value=Decimal(raw), status="ok", raw=raw)
            return f

        return [make(f) for f in facts]

    for figure, mark, unruled, withheld in (
        ("1", "-", {0}, True),
        # An empty total says less: many reports leave every row's total empty.
        ("1", "", {0}, False),
        ("1", "-", set(), False),
        ("0", "-", {0}, False),
    ):
        got = printed(figure, mark)
        if not mark:
            got = [replace(f, status="blank") if f.key == total else f for f in got]
        gated = gate_unruled(fmt, got, check(fmt, got).checks, unruled).facts
        out = _get(gated, stray)
        assert (out.status == "missing") == withheld, (figure, mark, unruled)
        if withheld:
            assert "total prints a dash" in out.note
            assert _get(gated, total) == _get(got, total)
