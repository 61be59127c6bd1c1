"""Data-dictionary entries of the indicator tables and views (merged into
`warehouse.dictionary.OBJECTS`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warehouse.dictionary import Entry

INDICATOR_STATUS = (
    "ok (computed from ok cells and blank/dash cells that count as zero), repaired or derived "
    "(computed; a part was repaired or derived), or, with value NULL: missing (a part is "
    "missing), not_printed (a blank or dash part that is not a figure here, or a blank total "
    "whose parts are not all known), failed_check (a failing in-report check involves a "
    "part), zero_denominator, not_applicable (not defined for the report's format)"
)
PEER = {
    "peer_scope": "city (same province and city), province (same province) or country: the "
    "kind of place the group shares (indicators.toml).",
    "peer_place": "The place the group shares ('' for country).",
    "level": "Level of the agencies compared (central, province, city, county, township).",
    "body": "Kind of body compared: government or department.",
    "peer_group": "The group in words: scope: place · level · body.",
}


def indicator_entries(entry: type[Entry]) -> dict[str, Entry]:
    """The dictionary entries, built with the dictionary's own Entry class."""
    value = {
        "indicator_id": "The indicator (indicator_definitions.indicator_id).",
        "value": "The indicator's value: a count, an amount (万元) or a share 0–1 "
        "(numerator / denominator); NULL unless status is ok, repaired or derived.",
        "numerator": "Sum of the numerator's cells as counted (blank/dash as zero where "
        "allowed); NULL when a numerator cell has a problem.",
        "denominator": "Sum of the denominator's cells (shares only); NULL when a denominator "
        "cell has a problem.",
        "status": f"How the indicator was computed: {INDICATOR_STATUS}.",
        "reason": "Why the value is NULL (each problem cell or failing check named), or which "
        "repaired, derived, converted or blank-as-zero cells it used.",
        "unit": "Unit of value: 件 (count), 万元 (amount) or share (0–1).",
    }
    return {
        "indicator_definitions": entry("table", (
            "One row per indicator: names, formula over canonical codes, unit, formats and how "
            "blank, dash, missing, derived and repaired cells are treated (from "
            "warehouse/indicators.toml)."
        ), {
            "position": "Order of the indicator in indicators.toml.",
            "name_zh": "Chinese name.",
            "name_en": "English name.",
            "kind": "count, amount (money) or share (numerator / denominator).",
            "unit": "件, 万元 or share (0–1).",
            "formats": "Report formats the indicator is computed for; other formats get "
            "status not_applicable.",
            "formula": "The formula over canonical codes table.row.col (− subtracts).",
            "formula_printed": "The formula in the official wording of each format's rows and "
            "columns.",
            "treatment": "How blank, dash, missing, derived and repaired cells, failing checks "
            "and a zero denominator are treated.",
            "notes": "What the indicator means where a reader may differ (denominators, "
            "double counting).",
            "format_note": "Why the indicator is not computed for the other format, or how "
            "its meaning differs.",
            "references": "Where the cells are defined (templates.md, the national formats).",
        }),
        "indicator_terms": entry("table", (
            "One row per indicator, format and cell it adds or subtracts (the definitions "
            "in rows)."
        ), {
            "role": "numerator or denominator.",
            "position": "Order of the cell in the indicator (numerator first).",
            "sign": "1 adds the cell, −1 subtracts it.",
            "empty_is_zero": "Whether a blank or dash cell counts as zero here (a part of a "
            "templates.md sum).",
            "money_unit": "For amounts: the unit the indicator is in (万元); cells printed in "
            "元 are converted.",
        }),
        "rule_cells": entry("table", (
            "One row per cell each in-report rule instance covers (from the templates), so "
            "that a failing check is traced to the cells it involves."
        ), {
            "scope": "The rule instance's scope as in checks.scope (a row or column code).",
            "is_total": "The cell is the lone printed total of the instance (a blank one is "
            "unknown when the instance is not evaluable).",
        }),
        "indicator_cells": entry("view", (
            "The evidence: one row per report, indicator and cell it uses, with the cell's "
            "value, status, raw text and provenance, what the indicator counts for it and the "
            "problem that stops it."
        ), {
            "code": "table.row.col of the cell.",
            "role": "numerator or denominator.",
            "position": "Order of the cell in the indicator.",
            "sign": "1 adds the cell, −1 subtracts it.",
            "status": "The cell's status (facts_with_derived: a blank total computed from its "
            "parts is derived); missing also when the cell has no row in facts.",
            "counted": "What the indicator counts for the cell: its value (converted to the "
            "indicator's money unit), 0 for a blank or dash that counts as zero, NULL when the "
            "cell has a problem.",
            "problem": "missing, not_printed or failed_check; NULL when the cell is usable.",
            "problem_reason": "The problem in words.",
            "conversion": "A money cell converted from its printed unit.",
            "failing_checks": "Failing in-report checks involving the cell.",
            "value": "The cell's value as in facts_with_derived.",
            "unit": "The cell's printed unit (money), if any.",
        }),
        "indicators": entry("view", (
            "One row per report and indicator: value, numerator, denominator, status and "
            "reason. Computed only from cells the report prints (blank/dash as zero only where "
            "they are parts of a sum); NULL with the reason otherwise."
        ), value),
        "agency_indicators": entry("view", (
            "One row per agency key, year and indicator: the indicator of one report per "
            "agency and year (a parsed one first), with the agency's places, level and body."
        ), {**value, "report_id": "The report the values come from."}),
        "indicator_peer_ranks": entry("view", (
            "One row per agency, year, indicator and peer group (same level and kind of body "
            "in the same city, province or country): rank, group size, quartiles, fences and "
            "outlier flag."
        ), {
            **value,
            **PEER,
            "rank": "Rank in the group by value, 1 = highest; NULL when the value is NULL.",
            "group_size": "Agencies of the group with a value (those ranked).",
            "group_agencies": "Agencies of the group, with or without a value.",
            "rank_fraction": "(rank − 1) / (group_size − 1): 0 = highest, 1 = lowest.",
            "q1": "First quartile of the group's values (linear interpolation).",
            "median": "Median of the group's values.",
            "q3": "Third quartile of the group's values.",
            "iqr": "q3 − q1.",
            "lower_fence": "q1 − k·IQR (k = comparison.fence of indicators.toml).",
            "upper_fence": "q3 + k·IQR.",
            "outlier": "high or low when the value is beyond a fence in a group of at least "
            "comparison.min_group agencies with a value; NULL otherwise.",
        }),
        "indicator_outliers": entry("view", (
            "The indicator_peer_ranks rows beyond the group's interquartile fences, with the "
            "figures behind them."
        )),
        "indicator_changes": entry("view", (
            "One row per agency, indicator and year: the change from the year before; NULL "
            "with the reason where either value is NULL or there is no report for the year "
            "before."
        ), {
            **value,
            "previous_year": "year − 1.",
            "previous_report_id": "The agency's report for the year before, if any.",
            "previous_value": "The indicator's value the year before.",
            "change": "value − previous_value (shares: in share points, 0.05 = 5 points).",
            "relative_change": "change / |previous_value|; NULL when the previous value is 0.",
            "status": "ok, no_previous (no report for the year before), value_null or "
            "previous_null (that year's indicator is NULL: see reason).",
            "reason": "Why the change is NULL: the NULL side's status and reason.",
        }),
    }  # fmt: skip
