"""The data dictionary: one source for the database's COMMENT ON text and the README.

`OBJECTS` describes every table and view and each of their columns (a column not named in
its object takes the shared wording of `COLUMNS`). `warehouse.documentation` turns it into
COMMENT ON statements (applied by a migration), the README's table of objects and
DICTIONARY.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.templates import FORMATS, load_format
from warehouse.indicator_dictionary import indicator_entries
from warehouse.wide import wide_views

STATUSES = (
    "ok = read as printed; blank = the cell exists and is empty; dash = it holds a dash, "
    "slash or 无; repaired = read after a structural repair (position inferred, see note); "
    "derived = computed from other cells by a consistency rule, not printed; missing = the "
    "cell or table is absent or unreadable (see note)"
)
CONVENTION = (
    "value is NULL unless status is ok, repaired or derived: a blank or dash cell is not "
    "zero and a missing one is not known. Consistency rules count blank and dash as zero "
    "among the parts of a sum (templates.md); 0 never means missing."
)

# Columns that mean the same wherever they appear.
COLUMNS: dict[str, str] = {
    "report_id": (
        "The report (reports.report_id, the first 16 hex digits of its document's sha256)."
    ),
    "doc_id": (
        "The document (documents.doc_id): the first 16 hex digits of the sha256 of its bytes."
    ),
    "table_id": (
        "Canonical table code (templates.md): proactive (section 二), requests (三), reviews (四)."
    ),
    "row_id": "Canonical row code of the table (templates.md), e.g. new_received, granted, rules.",
    "col_id": "Canonical column code of the table (templates.md), e.g. natural_person, total.",
    "value": f"The number the source prints, exact DECIMAL(24,6). {CONVENTION}",
    "unit": "Unit of a money value as printed (元 or 万元); never converted.",
    "status": f"How the cell was read: {STATUSES}.",
    "raw": "The cell's text exactly as in the source; NULL when the cell is missing.",
    "note": "Why a cell is missing, how it was repaired, or which rule derived it.",
    "src_kind": (
        "Where the value was read: html, text, pdf, docx (Word; .doc and .wps converted), "
        "xlsx (Excel; .xls converted) or ocr (recognised on a scanned PDF page)."
    ),
    "src_table": "HTML/text/Word/Excel/PDF: index of the data table in the document (0-based).",
    "src_row": (
        "HTML/Word: grid row of the source cell (0-based); Excel: sheet row (1-based); "
        "Word paragraph: paragraph number."
    ),
    "src_col": (
        "HTML/Word: grid column of the source cell; Excel: sheet column (1-based); "
        "text: cell index on the line."
    ),
    "src_line": "Text: line number of the source cell (1-based).",
    "page": "PDF (and OCR): page number of the source cell (1-based).",
    "x0": "PDF: left edge of the cell's box, in points.",
    "top": "PDF: top edge of the cell's box, in points from the page top.",
    "x1": "PDF: right edge of the cell's box, in points.",
    "bottom": "PDF: bottom edge of the cell's box, in points from the page top.",
    "confidence": (
        "OCR: recognition confidence of the cell read from a scanned page (0..1, the least "
        "probable character's; 1.0 for a cell the image shows empty); NULL unless "
        "src_kind = 'ocr'. A figure read by OCR stands only where a rule or a second reading "
        "confirms it, whatever its confidence; a 0 needs the image too (rules count 0, a dash "
        "and an empty cell alike)."
    ),
    "agency": "The publishing agency as the report names it, in Simplified script.",
    "agency_key": (
        "Normalised agency key (script, widths, whitespace, 人民政府/办公室 short forms, places "
        "completed from the division codes), with agency_aliases applied where the object says so."
    ),
    "year": "Report year (the year the report covers, not the publication year).",
    "format": (
        "National format of the report: 2019 (国办公开办函〔2019〕60号), "
        "2021 (〔2021〕30号) or legacy."
    ),
    "rule_id": "Consistency rule (templates.md), e.g. requests.balance, requests.carry_continuity.",
    "scope": (
        "What a rule instance covers: a column code for a per-column rule, a row code for a "
        "per-row rule; for a cross-report rule '<code>:<other_report_id>:<report_id>' ('*' when "
        "the other report is absent); for the narrative rule 'section<n>:<offset>'."
    ),
    "lhs": "Left side of the rule as evaluated (NULL when not evaluable).",
    "rhs": "Right side of the rule as evaluated (NULL when not evaluable).",
    "diff": "lhs − rhs (NULL when not evaluable).",
    "message": "What a person should know about this row, in words.",
    "severity": "error (a printed inconsistency) or warning (cross-report and narrative rules, "
    "where agencies merge and narratives count differently).",
    "other_report_id": "Cross-report rules: the year N−1 report compared with this one.",
    "province": "Province named (or implied by a unique county/city) in the agency name.",
    "city": "Prefecture-level city named or implied by the agency name (NULL for municipalities).",
    "county": "County-level division named in the agency name (kept as printed when ambiguous).",
    "township": "Township, town or street office (镇, 乡, 街道) named in the agency name.",
    "level": (
        "Administrative level the name tells: central, province, city, county,"
        " township; NULL when it does not."
    ),
    "body": (
        "government (the people's government itself, a street office or"
        " zone committee) or department."
    ),
    "section_no": "Section number 1–6 (一…六).",
    "source": "URL the document was fetched from, or the path given to nianbao parse.",
    "parser_version": "Version of the parser that produced the report's rows.",
    "error": "Why a report is partial or failed; NULL when parsed.",
    "row_label": (
        "The row's official wording as printed in the national format (e.g. 1.属于国家秘密)."
    ),
    "group_label": "The printed group the row belongs to (e.g. （三）不予公开), if any.",
    "row_position": "Position of the row in the format's printed order (1-based).",
}


@dataclass(frozen=True)
class Entry:
    """A table or view: what one row is, and its columns' meanings where they differ."""

    kind: str  # table | view
    row: str
    columns: dict[str, str] = field(default_factory=dict)


def _wide_entries() -> dict[str, Entry]:
    out = {}
    for view in wide_views():
        labels: dict[str, list[str]] = {}
        for fmt in FORMATS:
            spec = load_format(fmt).tables[view.table_id]
            for col, label in spec.printed_columns.items():
                labels.setdefault(col, []).append(f"{label} ({fmt})")
        cols = {}
        for c in view.columns:
            printed = "; ".join(labels.get(c, [])) or c
            cols[c] = (
                f"{printed}: the value of this cell as in facts.value "
                "(NULL unless ok, repaired or derived)."
            )
            cols[f"{c}_status"] = (
                f"Status of the {c} cell ({STATUSES}); NULL when the format has no such cell."
            )
        if view.table_id == "proactive":
            cols["unit"] = "Unit of the row's money cell as printed (元, 万元), if any."
        out[view.name] = Entry(
            "view",
            f"One row per report and {view.table_id} row code, with the {len(view.columns)} "
            f"column codes of the {view.table_id} table side by side (facts pivoted; a column "
            "the report's format lacks is NULL with a NULL status).",
            cols,
        )
    return out


OBJECTS: dict[str, Entry] = {
    "documents": Entry("table", "One row per distinct document (by the sha256 of its bytes).", {
        "sha256": "sha256 of the raw bytes (hex).",
        "media_type": "Media type of the document (text/html, application/pdf …).",
        "size": "Size in bytes.",
        "kind": "file (given to parse), report_page, attachment or pointer (crawler).",
        "url": "URL requested (crawler).",
        "final_url": "URL after redirects (crawler).",
        "parent_url": "Page that linked to this document (crawler).",
        "http_status": "HTTP status of the fetch (crawler).",
        "etag": "ETag sent by the server (crawler).",
        "last_modified": "Last-Modified sent by the server (crawler).",
        "fetched_at": "When the crawler fetched it (UTC).",
        "first_seen": "When the warehouse first recorded these bytes (UTC).",
    }),
    "sources": Entry("table", "One row per path or URL a document was seen at.", {
        "first_seen": "When this path or URL was first seen with these bytes (UTC).",
    }),
    "reports": Entry("table", "One row per parsed report (report_id = doc_id).", {
        "title": "The report's title as printed.",
        "agency_raw": "The agency as printed (original script).",
        "script": "simplified or traditional.",
        "published": "Publication date printed in the document, if any.",
        "status": "parsed, partial (some canonical cells missing: see error) or failed.",
        "parsed_at": "When these rows were written (UTC).",
    }),
    "sections": Entry("table", "One row per section 一…六 of a report.", {
        "heading": "The section heading as printed; NULL when absent.",
        "present": "Whether the section heading was found.",
        "text": "The section's prose as printed (narrative figures' offsets point into it).",
        "text_simplified": "The same text in Simplified script.",
    }),
    "facts": Entry("table", (
        "One row per canonical cell of the report's format (198 for 2019, 200 for 2021), found "
        f"or not. Statuses: {STATUSES}. Convention: {CONVENTION}"
    )),
    "derived": Entry("table", (
        "One row per blank printed total whose parts are all printed: the total computed from "
        "them (status derived, note names the rule). facts keeps the cell blank."
    )),
    "facts_with_derived": Entry("view", "facts with each blank total replaced by its derived "
                                "value; status says which were computed."),
    "distinct_reports": Entry("view", (
        "One row per report however often it is published: a report page and its attachments "
        "(documents.parent_url) count once, with the best-read member as report_id (parsed "
        "before partial before failed, the page on a tie). Every member stays in reports."
    ), {
        "report_id": "The member that stands for the group (reports.report_id).",
        "group_url": "The report page's URL (an attachment's parent), else the document's own.",
        "documents": "How many documents the group holds.",
        "members": "report_id of every member of the group.",
    }),
    "checks": Entry("table", (
        "One row per consistency rule instance: in-report rules (severity error), cross-report "
        "rules requests.carry_continuity and proactive.in_force_continuity and the narrative "
        "rules narrative.requests_received and narrative.requests_handled (severity warning)."
    ), {"status": "pass, fail (sides differ: both and the difference recorded) or "
                  "not_evaluable (an operand missing or a total not printed; message says why)."}),
    "diagnoses": Entry("table", "One row per table-level finding an auditor should read.", {
        "seq": "Order of the finding within the report.",
        "severity": "info, warning or error.",
        "table_id": "Canonical table code, or * for the whole report.",
    }),
    "schema_migrations": Entry("table", "One row per applied schema migration.", {
        "version": "Migration number.",
        "name": "Migration name.",
        "applied_at": "When it was applied (UTC).",
    }),
    "url_state": Entry("table", "One row per URL the crawler knows: what its last fetch found.", {
        "url": "The URL.",
        "source": "Name of the source (sources config) the URL belongs to.",
        "kind": "navigation, report_page, attachment or pointer.",
        "media_type": "Media type of the last response.",
        "etag": "ETag of the last response (sent back as If-None-Match when visible ASCII).",
        "last_modified": "Last-Modified of the last response (sent back as If-Modified-Since).",
        "sha256": "sha256 of the last body stored.",
        "http_status": "HTTP status of the last fetch.",
        "final_url": "URL after redirects.",
        "parent_url": "Page the URL was found on.",
        "last_fetched": "When it was last fetched (UTC).",
        "last_error": "The last failure's reason, if any.",
        "last_run_id": "Run of the last fetch (runs.run_id).",
        "note": "What the last read of the page left out (links over a per-page cap), if any.",
        "size": "Bytes of the body stored under sha256 (the raw store's copy).",
        "shape": (
            "A list page's structure: hashes of the element paths that lead to its report "
            "links (pipeline/shape.py), compared run to run."
        ),
    }),
    "runs": Entry("table", "One row per crawl run.", {
        "run_id": "Run number.",
        "started_at": "Start (UTC).",
        "ended_at": "End (UTC); NULL while running.",
        "status": "running, done, interrupted or failed.",
        "config_path": "Sources config used.",
        "pid": "Process id of the run.",
        "requests": "HTTP requests made.",
        "fetched": "Responses with a body (200).",
        "not_modified": "304 responses (unchanged).",
        "new_documents": "Documents not seen before.",
        "failed_urls": "URLs that failed (see fetch_errors).",
        "skipped_urls": "URLs skipped (robots, limits).",
        "bytes": "Bytes downloaded.",
        "error": "Why the run failed or was interrupted.",
    }),
    "fetch_errors": Entry("table", "One row per URL failure in a run.", {
        "run_id": "The run (runs.run_id).",
        "url": "The URL that failed.",
        "reason": "Why, for people.",
        "http_status": "HTTP status, when there was one.",
        "failed_at": "When (UTC).",
    }),
    "report_agency": Entry("table", (
        "One row per report: its agency name read into a key and places (before aliases; "
        "use the view report_agencies)."
    ), {"agency_key": "Normalised key of the printed agency name (no alias applied)."}),
    "agency_aliases": Entry("table", (
        "Operator-edited: one row per key that stands for another body's key (renamed or "
        "merged bodies). report_agencies applies it; run nianbao recheck after editing."
    ), {
        "alias_key": "The key to replace (as in report_agency.agency_key).",
        "agency_key": "The key it stands for.",
        "reason": "Why (renamed in 2021, merged into …).",
        "added_at": "When the alias was added (UTC).",
    }),
    "report_agencies": Entry("view", "One row per report: its agency key with aliases applied, "
                             "the places, level and kind of body its name tells.", {
        "name_key": "The key read from the name, before aliases.",
    }),
    "agency_years": Entry("view", "One row per agency key: the years it reported and the gaps.", {
        "first_year": "First report year.",
        "last_year": "Last report year.",
        "years_reported": "Distinct years with a report.",
        "reports": "Reports (an agency may have two for one year).",
        "years": "The years, in order.",
        "gaps": "Years between the first and last with no report.",
        "spellings": "The agency names as printed over the years.",
    }),
    "carry_continuity": Entry("view", (
        "requests.carry_continuity rows of checks in the shape of the earlier view: one row "
        "per column of each pair of consecutive reports of one agency."
    ), {"scope": "The applicant column code.", "previous_report_id": "The year N−1 report."}),
    "template_labels": Entry("table", (
        "One row per row or column code of each format's tables: the official wording as "
        "printed in the national format (from parsers/templates)."
    ), {
        "kind": "row or column.",
        "code": "The row_id or col_id.",
        "position": "Printed order (1-based).",
        "label": "Official wording as printed.",
    }),
    "report_summary": Entry("view", (
        "One row per report: agency, year, format, status and the counts of cells by status "
        "and of checks that fail."
    ), {
        "ok": "Cells read as printed.",
        "blank": "Cells printed empty.",
        "dash": "Cells printed as a dash, slash or 无.",
        "repaired": "Cells placed by a structural repair.",
        "derived": "Blank totals computed from their printed parts (table derived).",
        "missing": "Cells absent or unreadable.",
        "failed_checks": "Rule instances that fail with severity error.",
        "warnings": "Rule instances that fail with severity warning (cross-report, narrative).",
        "not_evaluable": "Rule instances that could not be evaluated.",
        "script": "simplified or traditional.",
    }),
    "requests_across_formats": Entry("view", (
        "requests and reviews cells of 2019 and 2021 reports lined up where the template "
        "meaning is the same: the 2021 rows other_no_correction, other_unpaid_fee and other_misc "
        "appear only summed as other_handling (flagged summed, status derived); proactive "
        "(whose columns changed) is not lined up."
    ), {
        "summed": "True where the value is the sum of the three 2021 sub-rows of （六）其他处理.",
        "note": "How a summed value was made, or why it could not be.",
    }),
    "fact_history": Entry("table", (
        "One row per cell a re-parse by a newer parser changed (value, status or raw), with "
        "both parser versions; unchanged cells leave no row."
    ), {
        "old_value": "Value before the re-parse.",
        "old_status": "Status before the re-parse.",
        "old_raw": "Raw text before the re-parse.",
        "new_value": "Value after the re-parse (NULL when the cell vanished).",
        "new_status": "Status after the re-parse.",
        "new_raw": "Raw text after the re-parse.",
        "old_parser_version": "Parser version of the replaced rows.",
        "new_parser_version": "Parser version of the new rows.",
        "changed_at": "When the re-parse was loaded (UTC).",
    }),
    "last_reparse_changes": Entry("view", "The fact_history rows of each report's last re-parse."),
    "narrative_figures": Entry("table", (
        "One row per figure stated in a section's prose (近30万条 → 300000 条, qualifier 近); "
        "never a date, document number, phone number or postcode."
    ), {
        "sentence_no": "Sentence within the section (0-based).",
        "start_char": "Offset of the phrase in sections.text (0-based, characters).",
        "end_char": "End offset of the phrase (exclusive).",
        "value": "The figure with its multiplier applied (800余万次 → 8000000); exact.",
        "unit": "Unit as printed (件, 条, 次, 人次, 万元, % …); NULL for a bare 550万.",
        "qualifier": "Qualifier as printed (近, 约, 余, 多, 以上, 突破 …); NULL when exact.",
        "meaning": "The qualifier's meaning: nearly, about, more than, at least, at most.",
        "phrase": "The figure's text as printed.",
        "subject": "What the clause says it counts, for request counts: requests_received, "
                   "requests_handled, requests_carried_over, requests_carried_forward.",
    }),
    "narrative_sentences": Entry("view", "narrative_figures with the printed text at the "
                                 "offsets, agency and year.", {
        "printed": "sections.text at start_char…end_char (equals phrase).",
    }),
    "text_reuse": Entry("table", (
        "One row per report, section and the same agency's previous-year report: how many of "
        "the section's sentences repeat last year's (normalised: whitespace, punctuation and "
        "digits ignored)."
    ), {
        "previous_report_id": "The same agency's report of the year before.",
        "sentences": "Sentences of at least 8 characters in this section.",
        "repeated": "How many of them appear in the previous report's same section.",
        "share": "repeated / sentences.",
    }),
    "section_sentences": Entry("table", (
        "One row per section of a report: the 64-bit hashes of its sentences as text_reuse "
        "compares them (digits, whitespace and punctuation dropped; sentences under 8 "
        "characters left out)."
    ), {"keys": "Sentence hashes in order (blake2b, 8 bytes, signed)."}),
    "key_figures": Entry("table", (
        "A copy of the few cells of facts the warehouse's own checks compare (carried over "
        "and forward, in-force counts, request totals), one row per report and cell, written "
        "with the facts; the cross-report and narrative checks read it instead of facts."
    )),
    "text_reuse_ranking": Entry("view", "One row per report with a previous-year report: the "
                                "share of its sentences repeated, ranked (1 = most copied).", {
        "previous_report_id": "The same agency's report of the year before.",
        "previous_year": "year − 1.",
        "sentences": "Sentences counted over all sections.",
        "repeated": "Sentences repeated from the previous report.",
        "share": "repeated / sentences.",
        "copy_rank": "Rank by share, 1 = most copied.",
    }),
    "reviewer_decisions": Entry("table", (
        "One row per decision a reviewer made in the review site (nianbao audit --html), "
        "loaded by nianbao audit --import; kept across re-parses (see reviewer_decision_state)."
    ), {
        "decision_id": "sha256 of reviewer, time, report, cell and decision: importing the "
        "same file twice adds nothing.",
        "reviewer": "The name the reviewer gave in the review site.",
        "decided_at": "When the decision was made (UTC).",
        "table_id": "The cell decided on (with row_id, col_id); NULL for a decision on the "
        "whole report.",
        "row_id": "The cell's row code; NULL for a decision on the whole report.",
        "col_id": "The cell's column code; NULL for a decision on the whole report.",
        "decision": "confirmed or wrong.",
        "comment": "The reviewer's comment.",
        "corrected_value": "The value the source supports, where the reviewer marked the "
        "figure wrong and gave one.",
        "value": "The figure as the reviewer saw it (NULL when it had none).",
        "value_status": "The figure's status as the reviewer saw it.",
        "facts_digest": "For a decision on a whole report: digest of all its figures as the "
        "reviewer saw them.",
        "document_sha256": "sha256 of the document bytes the decision was made on.",
        "imported_at": "When nianbao audit --import loaded the decision.",
        "import_file": "The file it was loaded from.",
    }),
    "reviewer_decision_state": Entry("view", (
        "One row per reviewer decision with its state: current (the figure and the document "
        "bytes are unchanged), stale (either changed) or superseded (a later decision on the "
        "same cell or report)."
    ), {
        "current_value": "The figure's value in facts now.",
        "current_status": "The figure's status in facts now.",
        "state": "current, stale or superseded.",
        "stale_reason": "Why a decision is stale: the figure or the document's bytes changed.",
    }),
    "confirmed_facts": Entry("view", (
        "Facts a current reviewer decision confirms (the cell, or its whole report) and none "
        "marks wrong: confirmed figures only."
    ), {
        "confirmed_by": "cell (the figure itself was confirmed) or report (its whole report).",
        "reviewer": "Who confirmed it.",
        "decided_at": "When (UTC).",
    }),
    "wrong_facts": Entry("view", (
        "Facts a current reviewer decision marks wrong, with the corrected value and comment."
    ), {
        "corrected_value": "The value the source supports, as the reviewer gave it.",
        "comment": "The reviewer's comment.",
        "reviewer": "Who marked it wrong.",
        "decided_at": "When (UTC).",
    }),
    "source_runs": Entry("table", (
        "One row per source and crawl run: what its crawl found, and the health flags raised "
        "on it (pipeline/health.py)."
    ), {
        "run_id": "The run (runs.run_id).",
        "source": "Name of the source (sources config).",
        "requests": "HTTP requests sent for the source, retries and robots.txt included.",
        "urls": "URLs visited: fetched, unchanged (304), failed or skipped.",
        "pages": "List (navigation) pages read.",
        "report_links": "Distinct links to reports and report attachments on the list pages.",
        "documents_new": "Report documents at URLs new to the warehouse.",
        "documents_changed": "Report documents republished: same URL, new bytes.",
        "documents_unchanged": "Report documents answered 304 or with the same bytes.",
        "documents_gone": "Report documents now answered 404 or 410 (their data is kept).",
        "failed_urls": "URLs that failed (by kind in source_failures).",
        "robots_blocked": "URLs that held reports or their lists and robots.txt now disallows.",
        "pages_reshaped": "List pages whose structure changed since the last run.",
        "down": "Nothing could be fetched and something failed.",
        "down_runs": "Consecutive completed runs the source was down, this one included.",
        "usual_report_links": (
            "Median report links of the source's previous completed runs (up to 5) in which "
            "it was up; NULL without history."
        ),
        "flags": (
            "Health flags: no_report_links, report_links_dropped, structure_changed, "
            "robots_disallows_reports, down."
        ),
        "reasons": "One sentence per flag, for people, in the order of flags.",
    }),
    "source_failures": Entry("table", "One row per source, run and kind of failed URL.", {
        "run_id": "The run (runs.run_id).",
        "source": "Name of the source (sources config).",
        "kind": (
            "http_403, http_404, http_410, http_429, http_4xx, http_5xx, network, "
            "robots_unreachable, refused (size or time limit, redirect off the source's "
            "sites or to a private address, the run's raw-store limit), not_a_document, "
            "internal."
        ),
        "urls": "How many URLs failed so.",
        "example": "The first such URL and its reason.",
    }),
    "source_health": Entry("view", (
        "One row per source: its latest completed run's counts and health flags "
        "(what nianbao status prints)."
    ), {
        "last_run_id": "The source's latest completed run (runs.run_id).",
        "last_run_at": "When that run started (UTC).",
        "flagged": "True when the run raised any flag.",
    }),
    "raw_store_usage": Entry("view", (
        "One row per source: what its documents and pages take in the raw store "
        "(<db>.raw/)."
    ), {
        "source": "Name of the source (sources config).",
        "document_files": "Report documents kept, every version of each.",
        "document_bytes": "Their bytes.",
        "page_files": "Current copies of the source's other pages (list pages and the like).",
        "page_bytes": "Their bytes (superseded copies are not counted: nianbao gc prunes them).",
        "bytes": "document_bytes + page_bytes.",
        "files_of_unknown_size": "Pages stored before sizes were recorded (not counted).",
    }),
    "run_changes": Entry("table", (
        "One row per report document a run found new, republished (same URL, new bytes) or "
        "gone (404/410; its data is kept), and per figure a republished report changed."
    ), {
        "run_id": "The run that found the change (runs.run_id).",
        "source": "Name of the source (sources config).",
        "url": "The report's URL.",
        "change": "new, republished, gone, or figure (a cell of a republished report).",
        "kind": "report_page, attachment or pointer.",
        "old_doc_id": "The version before (republished, figure) or the document now gone.",
        "new_doc_id": "The version now (new, republished, figure).",
        "http_status": "The response's status (404 or 410 for gone).",
        "note": "Why figures were not compared, or what happened to a gone document.",
        "detected_at": "When (UTC).",
        "table_id": "Figure rows: canonical table code of the cell (templates.md).",
        "row_id": "Figure rows: canonical row code of the cell.",
        "col_id": "Figure rows: canonical column code of the cell.",
        "old_value": "Figure rows: the value in the old version (NULL if none or absent).",
        "new_value": "Figure rows: the value in the new version (NULL if none or absent).",
        "old_status": "Figure rows: the cell's status in the old version (NULL: absent).",
        "new_status": "Figure rows: the cell's status in the new version (NULL: absent).",
        "old_raw": "Figure rows: the cell's text in the old version.",
        "new_raw": "Figure rows: the cell's text in the new version.",
        "figures_compared": (
            "Republished rows: true once both versions were loaded and compared (or one "
            "failed to parse: see note)."
        ),
    }),
    **_wide_entries(),
    **indicator_entries(Entry),
}  # fmt: skip
# Views that show a table's rows take its column wording.
for _view, _table in (("last_reparse_changes", "fact_history"),
                      ("narrative_sentences", "narrative_figures"),
                      ("reviewer_decision_state", "reviewer_decisions"),
                      ("source_health", "source_runs"),
                      ("indicator_outliers", "indicator_peer_ranks")):  # fmt: skip
    OBJECTS[_view].columns.update(
        {k: v for k, v in OBJECTS[_table].columns.items() if k not in OBJECTS[_view].columns}
    )


def describe_column(obj: str, column: str) -> str | None:
    """The comment of a column: its object's own wording, else the shared one."""
    entry = OBJECTS.get(obj)
    if entry and column in entry.columns:
        return entry.columns[column]
    return COLUMNS.get(column) or None
