"""The decisions file a reviewer downloads from the review site, read and checked for import.

The file is JSON: `{"schema": "nianbao.reviewer_decisions", "version": 1, "decisions": [...]}`,
each decision with `reviewer`, `decided_at` (ISO 8601), `report_id`, `document_sha256`,
`cell` (`table.row.col`, or null for the whole report), `decision` (`confirmed`/`wrong`),
`comment`, `corrected_value`, and what the reviewer saw: `value`, `value_status`, or
`facts_digest` for a whole report. A malformed file is refused whole; a decision naming a
report or cell this warehouse does not hold is left out, with the reason.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from pipeline.errors import ConfigError
from warehouse.decisions import DECISIONS, DecisionRow, insert_decisions, report_cells

SCHEMA = "nianbao.reviewer_decisions"
VERSION = 1
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT = {"reviewer": 100, "comment": 4000}
_HEX = re.compile(r"^[0-9a-f]+$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_STATUSES = ("ok", "blank", "dash", "repaired", "derived", "missing")
# DECIMAL(24, 6) holds 18 digits before the point.
_LIMIT = Decimal(10) ** 18


class DecisionFileError(ConfigError):
    """The decisions file cannot be read or does not have the expected shape."""


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: decisions read, newly stored, and those left out with why."""

    read: int
    added: int
    rejected: tuple[str, ...]


def read_decisions(path: str | Path) -> list[DecisionRow]:
    """Parse and check a decisions file; DecisionFileError says what is wrong and where."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DecisionFileError(f"{file}: {size} bytes, more than {MAX_FILE_BYTES}")
        payload = json.loads(file.read_bytes())
    except OSError as exc:
        raise DecisionFileError(f"{file}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DecisionFileError(f"{file}: not a JSON file ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("schema") != SCHEMA:
        raise DecisionFileError(f"{file}: not a decisions file of the review site")
    if payload.get("version") != VERSION:
        raise DecisionFileError(
            f"{file}: decisions file version {payload.get('version')!r}; this nianbao reads "
            f"version {VERSION}"
        )
    items = payload.get("decisions")
    if not isinstance(items, list):
        raise DecisionFileError(f"{file}: `decisions` is not a list")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(_decision(item))
        except (ValueError, TypeError, KeyError) as exc:
            raise DecisionFileError(f"{file}: decision {i + 1}: {exc}") from exc
    return out


def import_decisions(
    con: duckdb.DuckDBPyConnection, path: str | Path, rows: list[DecisionRow]
) -> ImportSummary:
    """Store the decisions whose report and cell this warehouse holds; say why others not."""
    known = report_cells(con, sorted({d.report_id for d in rows}))
    keep, rejected = [], []
    for d in rows:
        where = f"{d.report_id}" + (f" {'.'.join(d.cell)}" if d.cell else "")
        report = known.get(d.report_id)
        if report is None:
            rejected.append(f"{where}: no such report in this warehouse")
        elif d.cell is not None and d.cell not in report["cells"]:
            rejected.append(f"{where}: the report has no such cell")
        else:
            keep.append(d)
    added = insert_decisions(con, keep, str(path)) if keep else 0
    return ImportSummary(len(rows), added, tuple(rejected))


def _decision(item: object) -> DecisionRow:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    decision = item["decision"]
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    report_id = _hex(item["report_id"], "report_id", (16, 64))
    sha = _hex(item["document_sha256"], "document_sha256", (64, 64))
    cell = _cell(item.get("cell"))
    corrected = _number(item.get("corrected_value"), "corrected_value")
    if corrected is not None and decision != "wrong":
        raise ValueError("a corrected value is given only for a figure marked wrong")
    status = item.get("value_status")
    if status is not None and status not in _STATUSES:
        raise ValueError(f"unknown value_status {status!r}")
    digest = item.get("facts_digest")
    if digest is not None:
        digest = _hex(digest, "facts_digest", (32, 32))
    if cell is None and digest is None:
        raise ValueError("a decision on a whole report needs the facts_digest it was made on")
    return DecisionRow(
        reviewer=_text(item["reviewer"], "reviewer", required=True),
        decided_at=_time(item["decided_at"]),
        report_id=report_id,
        cell=cell,
        decision=decision,
        comment=_text(item.get("comment"), "comment") or None,
        corrected_value=corrected,
        value=_number(item.get("value"), "value") if cell else None,
        value_status=status if cell else None,
        facts_digest=None if cell else digest,
        document_sha256=sha,
    )


def _hex(value: object, name: str, lengths: tuple[int, int]) -> str:
    if not isinstance(value, str) or not _HEX.match(value):
        raise ValueError(f"{name} must be lowercase hexadecimal")
    if not lengths[0] <= len(value) <= lengths[1]:
        raise ValueError(f"{name} has {len(value)} digits")
    return value


def _cell(value: object) -> tuple[str, str, str] | None:
    if value is None:
        return None
    parts = value.split(".") if isinstance(value, str) else []
    if len(parts) != 3 or not all(_CODE.match(p) for p in parts):
        raise ValueError(f"cell must be table.row.col codes, not {value!r}")
    return parts[0], parts[1], parts[2]


def _number(value: object, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{name} must be a number")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{name} {value!r} is not a number") from None
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise ValueError(f"{name} {value!r} is out of range")
    if number != number.quantize(Decimal("0.000001")):
        raise ValueError(f"{name} {value!r} has more than 6 decimals")
    return number


def _text(value: object, name: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")
    # Control characters (terminal escapes among them) are dropped; line breaks kept.
    text = "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    ).strip()
    if required and not text:
        raise ValueError(f"{name} is empty")
    if len(text) > MAX_TEXT[name]:
        raise ValueError(f"{name} is longer than {MAX_TEXT[name]} characters")
    return text


def _time(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("decided_at must be an ISO 8601 time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"decided_at {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError("decided_at must give its time zone (the site writes UTC, ending in Z)")
    return moment.astimezone(UTC).replace(tzinfo=None)
