"""Indicators computed by hand from a generated document's gold, independently of the SQL.

The formulas are written out here again (not read from indicators.toml), so that a wrong
definition shows as well as a wrong computation. The rules are those of the issue:
blank/dash count as zero in section 三 and 四 and in the 2021 section 二 document counts,
never in a money cell; a blank printed total whose printed parts are known is computed
from them (derived), one whose parts are not all known is unknown; a missing cell or a
failing in-report check over a cell makes the indicator NULL; a zero denominator too.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICANTS = ("natural_person", "enterprise", "research", "nonprofit", "legal_services",
              "other_org")  # fmt: skip
REQUEST_COLS = (*APPLICANTS, "total")
RESULTS = {
    "2019": ("granted", "partly_granted", "denied_state_secret", "denied_by_law",
             "denied_security", "denied_third_party", "denied_internal", "denied_process",
             "denied_enforcement", "denied_query", "unable_not_held", "unable_to_create",
             "unable_unclear", "rejected_petition", "rejected_repeat", "rejected_publication",
             "rejected_excessive", "rejected_confirmation", "other_handling"),
}  # fmt: skip
RESULTS["2021"] = (
    *RESULTS["2019"][:-1], "other_no_correction", "other_unpaid_fee", "other_misc"
)  # fmt: skip
REVIEW_ROWS = ("review", "suit_direct", "suit_after_review")
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
DENIED = RESULTS["2019"][2:10]
UNABLE = RESULTS["2019"][10:13]
REJECTED = RESULTS["2019"][13:18]


def _t(row: str, col: str = "total", table: str = "requests") -> tuple[str, str, str]:
    return (table, row, col)


def _rv(row: str, col: str) -> tuple[str, str, str]:
    return ("reviews", row, col)


# id -> (formats, numerator [(sign, cell)], denominator cells or None)
FORMULAS: dict[str, tuple[tuple[str, ...], list, list | None]] = {
    "new_requests": (("2019", "2021"), [_t("new_received")], None),
    "requests_handled": (("2019", "2021"), [_t("results_total")], None),
    "requests_on_hand": (("2019", "2021"), [_t("new_received"), _t("carried_over")], None),
    "substantive_disclosure_rate": (
        ("2019", "2021"),
        [_t("granted"), _t("partly_granted")],
        [_t("results_total")],
    ),
    "refusal_rate": (("2019", "2021"), [_t(r) for r in DENIED], [_t("results_total")]),
    "unable_rate": (("2019", "2021"), [_t(r) for r in UNABLE], [_t("results_total")]),
    "not_processed_rate": (("2019", "2021"), [_t(r) for r in REJECTED], [_t("results_total")]),
    "backlog_ratio": (("2019", "2021"), [_t("carried_forward")], [_t("results_total")]),
    "review_cases": (("2019", "2021"), [_rv("review", "total")], None),
    "litigation_cases": (
        ("2019", "2021"),
        [_rv("suit_direct", "total"), _rv("suit_after_review", "total")],
        None,
    ),
    **{
        name: (
            ("2019", "2021"),
            [_rv(row, "corrected")],
            [_rv(row, "upheld"), _rv(row, "corrected"), _rv(row, "other")],
        )
        for name, row in (
            ("review_correction_rate", "review"),
            ("litigation_correction_rate_direct", "suit_direct"),
            ("litigation_correction_rate_after_review", "suit_after_review"),
        )
    },
    "dispute_conversion_rate": (
        ("2019", "2021"),
        [_rv("review", "total"), _rv("suit_direct", "total")],
        [_t("new_received")],
    ),
    "normative_docs_in_force": (("2021",), [_t("normative_docs", "in_force", "proactive")], None),
    "normative_docs_net_change": (
        ("2021",),
        [
            _t("normative_docs", "issued", "proactive"),
            (-1, _t("normative_docs", "repealed", "proactive")),
        ],
        None,
    ),
    "normative_docs_published_total": (
        ("2019",),
        [_t("normative_docs", "total_published", "proactive")],
        None,
    ),
    "fee_amount": (("2021",), [_t("fees", "amount", "proactive")], None),
}
# Blank or dash is zero here; a money cell and 2019 section 二 are in no sum.
ZERO_PROACTIVE = {(r, c) for r in ("rules", "normative_docs")
                  for c in ("issued", "repealed", "in_force")}  # fmt: skip


def _empty_is_zero(cell: tuple[str, str, str]) -> bool:
    return cell[0] in ("requests", "reviews") or cell[1:] in ZERO_PROACTIVE


def _lone_totals(fmt: str) -> dict[tuple, list[list[tuple]]]:
    """Each printed total and the parts of every rule instance it stands alone in."""
    out: dict[tuple, list[list[tuple]]] = {}
    rows = ["new_received", "carried_over", *RESULTS[fmt], "results_total", "carried_forward"]
    for row in rows:
        out.setdefault(_t(row), []).append([_t(row, c) for c in APPLICANTS])
    for col in REQUEST_COLS:
        out.setdefault(_t("results_total", col), []).append([_t(r, col) for r in RESULTS[fmt]])
    for row in REVIEW_ROWS:
        out.setdefault(_rv(row, "total"), []).append([_rv(row, c) for c in REVIEW_PARTS])
    return out


def _failing_cells(fmt: str, failing: list[list[str]]) -> set[tuple]:
    """Cells of every rule instance the gold figures break."""
    out: set[tuple] = set()
    for rule, scope in failing:
        if rule == "requests.row_total":
            out |= {_t(scope, c) for c in REQUEST_COLS}
        elif rule == "requests.results_sum":
            out |= {_t(r, scope) for r in (*RESULTS[fmt], "results_total")}
        elif rule == "requests.balance":
            rows = ("new_received", "carried_over", "results_total", "carried_forward")
            out |= {_t(r, scope) for r in rows}
        elif rule == "reviews.row_total":
            out |= {_rv(scope, c) for c in (*REVIEW_PARTS, "total")}
        else:
            raise AssertionError(f"unexpected rule {rule}")
    return out


@dataclass(frozen=True)
class Expected:
    value: float | None
    status: str
    numerator: float | None
    denominator: float | None


class GoldReport:
    """One document's gold, read the way the indicators must read it."""

    def __init__(self, gold: dict) -> None:
        self.fmt = gold["format"]
        self.cells = {(f["table_id"], f["row_id"], f["col_id"]): f for f in gold["facts"]}
        self.failing = _failing_cells(self.fmt, gold["checks_expected_fail"])
        self.totals = _lone_totals(self.fmt)
        self.unknown = self._unknown_totals()

    def _status(self, cell: tuple) -> str:
        f = self.cells.get(cell)
        return "missing" if f is None else f["status"]

    def _printed(self, cell: tuple) -> float:
        f = self.cells[cell]
        return float(f["value"]) if f["status"] in ("ok", "repaired") else 0.0

    def _unknown_totals(self) -> set[tuple]:
        """Blank totals beside non-zero, missing or unknown parts (to a fixed point)."""
        unknown: set[tuple] = set()
        changed = True
        while changed:
            changed = False
            for total, instances in self.totals.items():
                if total in unknown or self._status(total) not in ("blank", "dash"):
                    continue
                for parts in instances:
                    if any(self._status(p) == "missing" or p in unknown for p in parts) or sum(
                        self._printed(p) for p in parts
                    ):
                        unknown.add(total)
                        changed = True
                        break
        return unknown

    def read(self, cell: tuple) -> tuple[str, float | None]:
        """(status, value counted): status is ok, derived, zero, or a problem."""
        status = self._status(cell)
        if status == "missing":
            return "missing", None
        if status in ("ok", "repaired"):
            return status, float(self.cells[cell]["value"])
        if not _empty_is_zero(cell):
            return "not_printed", None
        for parts in self.totals.get(cell, []):
            known = all(self._status(p) != "missing" and p not in self.unknown for p in parts)
            if known and any(self._status(p) in ("ok", "repaired") for p in parts):
                return "derived", sum(self._printed(p) for p in parts)
        if cell in self.unknown:
            return "not_printed", None
        return "zero", 0.0

    def indicator(self, name: str) -> Expected:
        formats, numerator, denominator = FORMULAS[name]
        if self.fmt not in formats:
            return Expected(None, "not_applicable", None, None)
        terms = [(1, t) if isinstance(t[0], str) else t for t in numerator]
        parts = [("numerator", s, c) for s, c in terms] + [
            ("denominator", 1, c) for c in denominator or []
        ]
        read = {c: self.read(c) for _, _, c in parts}
        statuses = {read[c][0] for _, _, c in parts}
        failed = any(c in self.failing for _, _, c in parts)

        def side(role: str) -> float | None:
            cells = [(s, c) for r, s, c in parts if r == role]
            if any(read[c][1] is None or c in self.failing for _, c in cells):
                return None
            return sum(s * read[c][1] for s, c in cells)

        num, den = side("numerator"), side("denominator") if denominator else None
        for problem in ("missing", "not_printed"):
            if problem in statuses:
                return Expected(None, problem, num, den)
        if failed:
            return Expected(None, "failed_check", num, den)
        if denominator is not None and den == 0:
            return Expected(None, "zero_denominator", num, den)
        status = next((s for s in ("repaired", "derived") if s in statuses), "ok")
        value = num / den if denominator is not None else num
        return Expected(value, status, num, den)
