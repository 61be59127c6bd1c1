"""Canonical table, row and column codes of both national formats (shared/spec/templates.md)."""

from __future__ import annotations

FORMATS = ("2019", "2021")
YEARS = {"2019": (2019, 2020), "2021": (2021, 2022, 2023, 2024, 2025)}
TABLES = ("proactive", "requests", "reviews")

Key = tuple[str, str, str]

# Section 二: (article-20 item numeral, [(row_id, [col_id, ...]), ...]) per block, printed order.
PROACTIVE_BLOCKS: dict[str, list[tuple[str, list[tuple[str, list[str]]]]]] = {
    "2019": [
        (
            "一",
            [
                ("rules", ["made", "published", "total_published"]),
                ("normative_docs", ["made", "published", "total_published"]),
            ],
        ),
        (
            "五",
            [
                ("licensing", ["prev_items", "change", "decisions"]),
                ("other_services", ["prev_items", "change", "decisions"]),
            ],
        ),
        (
            "六",
            [
                ("penalty", ["prev_items", "change", "decisions"]),
                ("coercion", ["prev_items", "change", "decisions"]),
            ],
        ),
        ("八", [("fees", ["prev_items", "change"])]),
        ("九", [("procurement", ["projects", "amount"])]),
    ],
    "2021": [
        (
            "一",
            [
                ("rules", ["issued", "repealed", "in_force"]),
                ("normative_docs", ["issued", "repealed", "in_force"]),
            ],
        ),
        ("五", [("licensing", ["decisions"])]),
        ("六", [("penalty", ["decisions"]), ("coercion", ["decisions"])]),
        ("八", [("fees", ["amount"])]),
    ],
}

APPLICANT_COLS = [
    "natural_person",
    "enterprise",
    "research",
    "nonprofit",
    "legal_services",
    "other_org",
]
REQUEST_COLS = [*APPLICANT_COLS, "total"]

# Section 三 result rows, grouped as printed: (group id, [row_id, ...]); single-row groups
# print their label over two grid columns, multi-row groups get a rowspan label plus items.
RESULT_GROUPS_HEAD: list[tuple[str, list[str]]] = [
    ("granted", ["granted"]),
    ("partly_granted", ["partly_granted"]),
    (
        "denied",
        [
            "denied_state_secret",
            "denied_by_law",
            "denied_security",
            "denied_third_party",
            "denied_internal",
            "denied_process",
            "denied_enforcement",
            "denied_query",
        ],
    ),
    ("unable", ["unable_not_held", "unable_to_create", "unable_unclear"]),
    (
        "rejected",
        [
            "rejected_petition",
            "rejected_repeat",
            "rejected_publication",
            "rejected_excessive",
            "rejected_confirmation",
        ],
    ),
]
OTHER_ONE_ROW = ["other_handling"]
OTHER_SUB_ROWS = ["other_no_correction", "other_unpaid_fee", "other_misc"]

REVIEW_ROWS = ["review", "suit_direct", "suit_after_review"]
REVIEW_COLS = ["upheld", "corrected", "other", "pending", "total"]


def result_groups(fmt: str, hybrid: bool = False) -> list[tuple[str, list[str]]]:
    """Printed result groups (（一）…（六）) for a format; hybrid 2021 prints （六） as one row."""
    one_row = fmt == "2019" or hybrid
    other = OTHER_ONE_ROW if one_row else OTHER_SUB_ROWS
    return [*RESULT_GROUPS_HEAD, ("other", list(other))]


def result_rows(fmt: str, hybrid: bool = False) -> list[str]:
    """Rows summed by requests.results_sum, in printed order."""
    return [row for _, rows in result_groups(fmt, hybrid) for row in rows]


def printed_request_rows(fmt: str, hybrid: bool = False) -> list[str]:
    """Section 三 data rows in printed order."""
    middle = [*result_rows(fmt, hybrid), "results_total"]
    return ["new_received", "carried_over", *middle, "carried_forward"]


def canonical_request_rows(fmt: str) -> list[str]:
    """Section 三 row codes a format's fact set must hold (hybrid layout excluded)."""
    return printed_request_rows(fmt, hybrid=False)


def proactive_keys(fmt: str) -> list[Key]:
    """Canonical (table, row, col) keys of section 二 in printed order."""
    return [
        ("proactive", row, col)
        for _, rows in PROACTIVE_BLOCKS[fmt]
        for row, cols in rows
        for col in cols
    ]


def request_keys(fmt: str, hybrid: bool = False) -> list[Key]:
    """Canonical section 三 keys; the hybrid 2021 layout adds the other_handling row."""
    rows = canonical_request_rows(fmt)
    if hybrid and fmt == "2021":
        at = rows.index(OTHER_SUB_ROWS[0])
        rows = [*rows[:at], *OTHER_ONE_ROW, *rows[at:]]
    return [("requests", row, col) for row in rows for col in REQUEST_COLS]


def review_keys() -> list[Key]:
    """Canonical section 四 keys."""
    return [("reviews", row, col) for row in REVIEW_ROWS for col in REVIEW_COLS]


def fact_keys(fmt: str, hybrid: bool = False) -> list[Key]:
    """Every canonical key of a report, in gold order."""
    return [*proactive_keys(fmt), *request_keys(fmt, hybrid), *review_keys()]
