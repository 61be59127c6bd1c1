"""The reading stage: a read `Document` in, a `Report` out."""

from __future__ import annotations

from dataclasses import replace

from parsers.document import Block, Document
from parsers.errors import SourceError
from parsers.model import Diagnosis, Fact, Report, Section
from parsers.reading.cells import Grid, type_grid
from parsers.reading.checks import check
from parsers.reading.classify import classify, format_votes
from parsers.reading.labels import LabelIndex
from parsers.reading.mapping import TableRead, absent_table, map_label_table, run_together
from parsers.reading.metadata import read_metadata
from parsers.reading.narrative import narrative_figures
from parsers.reading.ocr_gate import gate_ocr, misread_explains
from parsers.reading.repair import (
    Repaired,
    gate_unruled,
    repair_shifted,
    withhold_contradicted,
)
from parsers.reading.reviews import map_reviews
from parsers.reading.sections import Split, split_sections, unflatten
from parsers.reading.settings import ReadingSettings
from parsers.script import detect_script, to_simplified
from parsers.templates import FORMATS, Format, load_common, load_format, section_name


def _choose_format(year: int | None, votes: dict[str, int]) -> str:
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    # No table tells: the report year does, by the years each format was issued for.
    first = load_format(FORMATS[0]).years
    if year is not None and year < min(first):
        return "legacy"
    if year is not None and year in first:
        return FORMATS[0]
    return FORMATS[-1]


def build_report(doc: Document, settings: ReadingSettings | None = None) -> Report:
    """The reading stage, step by step: a read document in, a report out."""
    settings = settings or ReadingSettings()
    # 1. Script, sections and metadata, from the text.
    doc, script, split = _text(doc, settings)
    traditional = script == "traditional"
    if split.restarts:
        raise SourceError(
            "two reports in one document: section 一 starts again after section "
            f"{section_name(max(split.headings))}"
        )
    texts = [b.text for b in doc.blocks if b.text]
    meta = read_metadata(
        texts,
        split.texts.get(0, []),
        split.texts.get(1, []),
        texts[-8:],
        doc.title_hint,
        traditional,
    )
    # 2. Every cell read once; each grid classified as a canonical table.
    labels = LabelIndex(traditional)
    by_table = _classify(doc, split, labels, settings)
    if len(split.headings) < 2 and not by_table:
        title = f"titled {meta.title!r}" if meta.title else "no report title"
        raise SourceError(
            f"not a report: {title}, {len(split.headings)} of 6 section headings "
            "and no statistical table"
        )
    formats = [load_format(f) for f in FORMATS]
    format_id = _choose_format(
        meta.year, format_votes([g for gs in by_table.values() for g in gs], formats)
    )
    sections = _sections(split, traditional)
    by_section = _blocks_by_section(doc, split)
    scanned = _read_by_ocr(by_section)
    base = {
        "reader": doc.kind,
        "title": meta.title,
        "agency": meta.agency,
        "agency_raw": meta.agency_raw,
        "year": meta.year,
        "format": format_id,
        "script": script,
        "published": meta.published,
        "sections": sections,
        "narrative": narrative_figures(tuple(s for s in sections if s.no not in scanned)),
    }
    notes = tuple(Diagnosis("*", "info", n) for n in doc.notes)
    if any(s.present and s.no in scanned for s in sections):
        notes += (
            Diagnosis(
                "*",
                "info",
                "figures in the prose of sections read by OCR are not taken: no rule can "
                "confirm a digit read in a sentence",
            ),
        )
    if meta.disagreement:
        notes += (Diagnosis("*", "warning", f"agency: {meta.disagreement}"),)
    if format_id == "legacy":
        return Report(status="parsed", diagnoses=notes, **base)
    fmt = load_format(format_id)
    # 3. Rows and columns mapped onto the canonical cells.
    read = _map_tables(fmt, by_table, by_section, labels, settings)
    facts = [f for r in read.values() for f in r.facts]
    diagnoses = [d for r in read.values() for d in r.diagnoses]
    if not by_table and doc.images_in_body:
        diagnoses.append(
            Diagnosis(
                "*",
                "error",
                f"no tables to read: the statistical tables are images ({doc.images_in_body} "
                "images in the body); no figure can be read",
            )
        )
    # 4. Repair: rows that printed a cell too few, placed by the consistency rules.
    for table_id, r in read.items():
        if r.shifted:
            repaired = repair_shifted(fmt, table_id, facts, r.shifted)
            facts += repaired.facts
            diagnoses += repaired.diagnoses
    # 5. Check; withhold the readings the checks overrule, and those read by OCR that no
    # rule or second reading confirms; check again what is left.
    checked = check(fmt, facts)
    placed = {(t, row) for t, r in read.items() for row in r.placed}
    unruled = {g.index for gs in by_table.values() for g in gs if not g.ruled}
    gates = []
    if placed:
        gates.append(lambda fs: withhold_contradicted(fmt, fs, checked.checks, placed))
    if unruled:
        # A row total that another reading of one cell read by OCR mends points at that
        # reading, not at the row's positions; the OCR gate withholds the cell.
        misread = misread_explains(fmt, facts, checked.checks)
        doubted = [c for c in checked.checks if id(c) not in misread]
        gates.append(lambda fs: gate_unruled(fmt, fs, doubted, unruled))
    read_then = {f.key: f for f in facts if f.status != "missing"}

    def ocr_gate(fs: list[Fact]) -> Repaired:
        # The cells the gates before withheld, as read when the checks were evaluated.
        since = {
            f.key: read_then[f.key] for f in fs if f.status == "missing" and f.key in read_then
        }
        return gate_ocr(fmt, fs, checked.checks, unruled, settings.ocr_gate, since)

    gates.append(ocr_gate)
    withheld = False
    for gate in gates:
        gated = gate(facts)
        if gated.diagnoses:
            facts, diagnoses, withheld = gated.facts, diagnoses + gated.diagnoses, True
    if withheld:
        checked = check(fmt, facts)
    # 6. Status: parsed, or partial with the reason.
    status, error = report_status(fmt, facts, diagnoses)
    return Report(
        status=status,
        error=error,
        facts=tuple(facts),
        checks=tuple(checked.checks),
        derived=tuple(checked.derived),
        diagnoses=tuple(diagnoses) + notes,
        **base,
    )


def grid_tables(doc: Document, settings: ReadingSettings | None = None) -> dict[int, str]:
    """Which canonical table each grid of a read document is taken for, by grid index: the
    classification step of `build_report` on its own (for `nianbao show`)."""
    settings = settings or ReadingSettings()
    doc, script, split = _text(doc, settings)
    by_table = _classify(doc, split, LabelIndex(script == "traditional"), settings)
    return {g.index: table_id for table_id, grids in by_table.items() for g in grids}


def _text(doc: Document, settings: ReadingSettings) -> tuple[Document, str, Split]:
    """The document's script, its blocks with headings run into long lines cut out, and its
    sections."""
    script = detect_script(_opening(doc, 4500))
    traditional = script == "traditional"
    doc = replace(doc, blocks=unflatten(doc.blocks, traditional, settings.headings))
    return doc, script, split_sections(doc.blocks, traditional, settings.headings)


def _opening(doc: Document, chars: int) -> str:
    """The document's text from its start, at least `chars` long where it is that long."""
    parts, n = [], 0
    for b in doc.blocks:
        if b.text:
            parts.append(b.text)
            n += len(b.text)
            if n >= chars:
                break
    return "\n".join(parts)


def _classify(
    doc: Document, split: Split, labels: LabelIndex, settings: ReadingSettings
) -> dict[str, list[Grid]]:
    """The document's grids (cells typed) by the canonical table each one is."""
    formats = [load_format(f) for f in FORMATS]
    out: dict[str, list[Grid]] = {}
    for i, b in enumerate(doc.blocks):
        if b.table is None:
            continue
        grid = type_grid(b.table, doc.kind, labels)
        table_id = classify(grid, formats, settings.classify) or _by_section(
            split.owner[i], formats[0]
        )
        if table_id:
            out.setdefault(table_id, []).append(grid)
    return out


def _read_by_ocr(by_section: dict[int, list[Block]]) -> set[int]:
    """Sections whose prose was read by OCR: a digit read in a sentence has no rule to
    confirm it, so they give no narrative figures."""
    return {
        no
        for no, blocks in by_section.items()
        if any(b.table is None and b.where is not None and b.where.kind == "ocr" for b in blocks)
    }


def _blocks_by_section(doc: Document, split: Split) -> dict[int, list[Block]]:
    out: dict[int, list[Block]] = {}
    for i, b in enumerate(doc.blocks):
        out.setdefault(split.owner[i], []).append(b)
    return out


def _map_tables(
    fmt: Format,
    by_table: dict[str, list[Grid]],
    blocks: dict[int, list[Block]],
    labels: LabelIndex,
    settings: ReadingSettings,
) -> dict[str, TableRead]:
    """Each canonical table of the format as read from its grids (or absent)."""
    out = {}
    for table_id, spec in fmt.tables.items():
        grids = by_table.get(table_id, [])
        section = blocks.get(spec.section, [])
        if table_id == "reviews":
            out[table_id] = map_reviews(spec, grids, section, labels)
        elif not grids:
            out[table_id] = absent_table(
                spec,
                run_together(spec, section, labels)
                or (f"section {section_name(spec.section)} table absent"),
            )
        else:
            out[table_id] = map_label_table(spec, fmt.id, grids, settings.mapping)
    return out


def _by_section(section: int, fmt: Format) -> str | None:
    for table_id, spec in fmt.tables.items():
        if spec.section == section:
            return table_id
    return None


def _sections(split: Split, traditional: bool) -> tuple[Section, ...]:
    out = []
    for spec in load_common().sections:
        h = split.headings.get(spec.no)
        text = "\n".join(split.texts.get(spec.no, [])) if h else ""
        out.append(
            Section(
                no=spec.no,
                heading=h.text if h else None,
                text=text,
                text_simplified=to_simplified(text) if traditional else text,
                present=h is not None,
            )
        )
    return tuple(out)


def report_status(
    fmt: Format, facts: list[Fact], diagnoses: list[Diagnosis]
) -> tuple[str, str | None]:
    """`parsed` when every canonical cell was read, else `partial` with the reason."""
    # Rows an optional row stands in for (the hybrid （六）) are missing by design.
    printed = {(f.table_id, f.row_id) for f in facts}
    replaced = {
        (t.id, x)
        for t in fmt.tables.values()
        for r in t.rows
        if r.optional and (t.id, r.id) in printed
        for x in r.replaces
    }
    missing = [f for f in facts if f.status == "missing" and (f.table_id, f.row_id) not in replaced]
    if not missing:
        return "parsed", None
    errors = [d.message for d in diagnoses if d.severity == "error"]
    reason = f"{len(missing)} of {len(facts)} canonical cells missing"
    if errors:
        reason += ": " + "; ".join(dict.fromkeys(errors))
    return "partial", reason
