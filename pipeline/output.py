"""Rows printed for people and programs: aligned tables (CJK-aware), Markdown, CSV, JSON.

Every text value is made safe for a terminal first: control characters (escape sequences
included) and bidirectional overrides are shown as visible escapes, never sent as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from wcwidth import wcswidth

FORMATS = ("table", "csv", "json", "markdown")
# C0 and C1 controls, DEL, and the invisible direction/format characters that can reorder
# or hide what a terminal shows.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_UNSAFE_EXCEPT_LINES = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _escape(m: re.Match) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def safe_text(text: str, *, keep_lines: bool = False) -> str:
    """Text with control and direction characters as visible escapes (\\x1b, \\u202e)."""
    pattern = _UNSAFE_EXCEPT_LINES if keep_lines else _UNSAFE
    return pattern.sub(_escape, text)


def width(text: str) -> int:
    """Columns a text takes on a terminal (CJK characters take two)."""
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def _cell(v: object) -> str:
    return "" if v is None else safe_text(str(v))


def _numeric(v: object) -> bool:
    return isinstance(v, int | float | Decimal) and not isinstance(v, bool)


def _pad(text: str, size: int, right: bool) -> str:
    gap = " " * (size - width(text))
    return gap + text if right else text + gap


def render_table(names: list[str], rows: list[tuple]) -> str:
    """Columns aligned by display width; numbers right-aligned; a row count at the end."""
    heads = [safe_text(n) for n in names]
    cells = [[_cell(v) for v in r] for r in rows]
    sizes = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(heads)]
    numeric = [bool(rows) and all(_numeric(r[i]) or r[i] is None for r in rows)
               for i in range(len(names))]  # fmt: skip
    lines = ["  ".join(_pad(h, s, n) for h, s, n in zip(heads, sizes, numeric, strict=True))]
    for r in cells:
        lines.append(
            "  ".join(_pad(v, s, n) for v, s, n in zip(r, sizes, numeric, strict=True)).rstrip()
        )
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def render_markdown(names: list[str], rows: list[tuple]) -> str:
    """A GitHub-flavoured Markdown table."""

    def md(v: object) -> str:
        return _cell(v).replace("|", "\\|")

    out = ["| " + " | ".join(md(n) for n in names) + " |"]
    out.append("|" + "|".join(" --- " for _ in names) + "|")
    out += ["| " + " | ".join(md(v) for v in r) + " |" for r in rows]
    return "\n".join(out)


def render_csv(names: list[str], rows: list[tuple]) -> str:
    """CSV with a header row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_text(n) for n in names])
    for r in rows:
        w.writerow(["" if v is None else safe_text(str(v), keep_lines=True)
                    if isinstance(v, str) else v for v in r])  # fmt: skip
    return buf.getvalue().rstrip("\n")


def _json_value(v: object) -> object:
    if v is None or isinstance(v, bool | int | float):
        return v
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    if isinstance(v, dict):
        return {safe_text(str(k)): _json_value(x) for k, x in v.items()}
    return safe_text(str(v), keep_lines=True)


def render_json(names: list[str], rows: list[tuple]) -> str:
    """A JSON array of objects, one per row."""
    data = [{safe_text(n): _json_value(v) for n, v in zip(names, r, strict=True)} for r in rows]
    return json.dumps(data, ensure_ascii=False, indent=1)


def render_rows(names: list[str], rows: list[tuple], fmt: str) -> str:
    """Rows in one of FORMATS."""
    return {
        "table": render_table,
        "csv": render_csv,
        "json": render_json,
        "markdown": render_markdown,
    }[fmt](names, rows)
