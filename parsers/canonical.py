"""Every canonical cell of a format: tables mapped, then repaired where the evidence allows."""

from __future__ import annotations

from parsers.document import Block, Table
from parsers.facts import missing
from parsers.model import Diagnosis, Fact
from parsers.repair import gate_unruled, repair_shifted, withhold_contradicted
from parsers.reviews import map_reviews
from parsers.tables import LabelIndex, Mapped, map_label_table
from parsers.templates import Format, section_name


def map_tables(
    fmt: Format,
    grids_by_table: dict[str, list[Table]],
    labels: LabelIndex,
    section_blocks: dict[int, list[Block]] | None = None,
) -> Mapped:
    """Facts for every canonical cell of the format, found, repaired or missing."""
    facts: list[Fact] = []
    diagnoses: list[Diagnosis] = []
    shifted = []
    placed: set[tuple[str, str]] = set()
    for table_id, spec in fmt.tables.items():
        grids = grids_by_table.get(table_id, [])
        if table_id == "reviews":
            blocks = (section_blocks or {}).get(spec.section, [])
            m = map_reviews(spec, grids, blocks, labels)
        elif not grids:
            note = f"section {section_name(spec.section)} table absent"
            m = Mapped(missing(table_id, spec.cells(), note), [Diagnosis(table_id, "error", note)])
        else:
            m = map_label_table(spec, grids, labels)
        facts += m.facts
        diagnoses += m.diagnoses
        shifted += m.shifted
        placed |= m.placed
    if shifted:
        repaired = repair_shifted(fmt, facts, shifted)
        facts += repaired.facts
        diagnoses += repaired.diagnoses
    if placed:
        confirmed = withhold_contradicted(fmt, facts, placed)
        facts, diagnoses = confirmed.facts, diagnoses + confirmed.diagnoses
    unruled = {g.index for grids in grids_by_table.values() for g in grids if not g.ruled}
    if unruled:
        gated = gate_unruled(fmt, facts, unruled)
        facts, diagnoses = gated.facts, diagnoses + gated.diagnoses
    return Mapped(facts, diagnoses)
