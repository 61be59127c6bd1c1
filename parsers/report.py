"""Bytes in, Report out: the one pipeline every format reader feeds."""

from __future__ import annotations

from pathlib import PurePath

from parsers.canonical import map_tables
from parsers.checks import check_report
from parsers.document import Document, Table
from parsers.errors import SourceError
from parsers.metadata import read_metadata
from parsers.model import Diagnosis, Fact, Report, Section
from parsers.narrative import narrative_figures
from parsers.script import detect_script, to_simplified
from parsers.sections import split_sections
from parsers.tables import LabelIndex, classify, format_votes
from parsers.templates import FORMATS, Format, load_common, load_format, section_name

MAX_BYTES = 64 * 1024 * 1024


def sniff(data: bytes, name: str) -> str:
    """The reader for a document: by its name's extension, else by its first bytes."""
    ext = PurePath(name).suffix.lower()
    head = data[:1024].lstrip().lower()
    if ext == ".pdf" or head.startswith(b"%pdf-"):
        return "pdf"
    if ext in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    if ext == ".txt":
        return "text"
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<div")):
        return "html"
    return "text"


def read_document(data: bytes, name: str) -> Document:
    """Run the format reader for this document."""
    kind = sniff(data, name)
    if kind == "pdf":
        from parsers.pdf import read_pdf

        return read_pdf(data)
    if kind == "html":
        from parsers.html import read_html

        return read_html(data)[0]
    from parsers.text import read_text

    return read_text(data)[0]


def parse_report(data: bytes, name: str = "") -> Report:
    """Parse one document into a Report; a document that is no report comes back `failed`."""
    try:
        if len(data) > MAX_BYTES:
            raise SourceError(
                f"document too large: {len(data) / 2**20:.1f} MB (limit {MAX_BYTES // 2**20} MB)"
            )
        return build_report(read_document(data, name))
    except SourceError as exc:
        return Report(status="failed", error=exc.reason)


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


def build_report(doc: Document) -> Report:
    """Sections, metadata, tables, facts and checks from a read document."""
    all_text = "\n".join(b.text for b in doc.blocks[:400] if b.text)
    script = detect_script(all_text)
    traditional = script == "traditional"
    split = split_sections(doc.blocks, traditional)
    if split.restarts:
        raise SourceError(
            "two reports in one document: section 一 starts again after section "
            f"{section_name(max(split.headings))}"
        )
    texts = [b.text for b in doc.blocks if b.text]
    meta = read_metadata(texts, split.texts.get(1, []), doc.title_hint, traditional)

    labels = LabelIndex(traditional)
    formats = [load_format(f) for f in FORMATS]
    grids = [(b.table, split.owner[i]) for i, b in enumerate(doc.blocks) if b.table is not None]
    by_table: dict[str, list[Table]] = {}
    for grid, section in grids:
        table_id = classify(grid, formats, labels) or _by_section(section, formats[0])
        if table_id:
            by_table.setdefault(table_id, []).append(grid)

    if len(split.headings) < 2 and not by_table:
        title = f"titled {meta.title!r}" if meta.title else "no report title"
        raise SourceError(
            f"not a report: {title}, {len(split.headings)} of 6 section headings "
            "and no statistical table"
        )

    format_id = _choose_format(
        meta.year, format_votes([g for gs in by_table.values() for g in gs], formats, labels)
    )
    sections = _sections(split, traditional)
    facts: list[Fact] = []
    diagnoses: list[Diagnosis] = []
    checks = []
    derived: list[Fact] = []
    if format_id != "legacy":
        fmt = load_format(format_id)
        section_blocks: dict[int, list] = {}
        for i, b in enumerate(doc.blocks):
            section_blocks.setdefault(split.owner[i], []).append(b)
        mapped = map_tables(fmt, by_table, labels, section_blocks)
        facts, diagnoses = mapped.facts, mapped.diagnoses
        if not by_table and doc.images_in_body:
            diagnoses.append(
                Diagnosis(
                    "*",
                    "error",
                    f"no tables to read: the statistical tables are images ({doc.images_in_body} "
                    "images in the body); no figure can be read",
                )
            )
        checks, derived = check_report(fmt, facts)

    status, error = _status(facts, diagnoses, fmt if format_id != "legacy" else None)
    return Report(
        status=status,
        error=error,
        title=meta.title,
        agency=meta.agency,
        agency_raw=meta.agency_raw,
        year=meta.year,
        format=format_id,
        script=script,
        published=meta.published,
        sections=sections,
        facts=tuple(facts),
        checks=tuple(checks),
        diagnoses=tuple(diagnoses) + tuple(Diagnosis("*", "info", n) for n in doc.notes),
        derived=tuple(derived),
        narrative=narrative_figures(sections),
    )


def _by_section(section: int, fmt: Format) -> str | None:
    for table_id, spec in fmt.tables.items():
        if spec.section == section:
            return table_id
    return None


def _sections(split, traditional: bool) -> tuple[Section, ...]:
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


def _status(
    facts: list[Fact], diagnoses: list[Diagnosis], fmt: Format | None
) -> tuple[str, str | None]:
    if fmt is None:
        return "parsed", None
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
