"""The template TOML files against shared/spec/templates.md: same codes, same order, same rules."""

from __future__ import annotations

import re

import pytest

from parsers.templates import FORMATS, load_format
from tests.conftest import SPEC

_CODE = re.compile(r"`([a-z_.]+)`")


def _spec_sections() -> dict[str, str]:
    """templates.md split at its `## ` and `### ` headings."""
    text = (SPEC / "templates.md").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for part in re.split(r"^(?=#{2,3} )", text, flags=re.M):
        head = part.splitlines()[0] if part else ""
        out[head] = part
    return out


def _tables(part: str) -> list[list[list[str]]]:
    """The markdown tables of a section, each as rows of cell texts (header and rule skipped)."""
    out: list[list[list[str]]] = []
    run: list[list[str]] = []
    for line in [*part.splitlines(), ""]:
        if line.startswith("|"):
            run.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif run:
            out.append(run[2:])
            run = []
    return out


def _table_rows(part: str) -> list[list[str]]:
    """The rows of every table of a section, in order."""
    return [row for table in _tables(part) for row in table]


def _proactive(fmt: str) -> tuple[list[str], dict[str, list[str]]]:
    part = _spec_sections()[f"### Format {fmt}"]
    rows, cols, last = [], {}, []
    for block, row_code, _label, columns in _table_rows(part):
        del block
        code = _CODE.findall(row_code)[0]
        named = _CODE.findall(columns)
        last = named or last  # "same": the columns of the row above
        rows.append(code)
        cols[code] = last
    return rows, cols


@pytest.mark.parametrize("fmt", FORMATS)
def test_proactive_rows_and_columns_match_the_spec(fmt: str) -> None:
    rows, cols = _proactive(fmt)
    spec = load_format(fmt).tables["proactive"]
    assert [r.id for r in spec.rows] == rows
    for r in spec.rows:
        assert list(r.cols) == cols[r.id], r.id
        assert r.printed, r.id
        assert all(spec.printed_columns.get(c) for c in r.cols), r.id


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_rows_and_columns_match_the_spec(fmt: str) -> None:
    sections = _spec_sections()
    part = sections["## Table `requests` — section 三"]
    columns, printed_rows = _tables(part)
    col_codes = [_CODE.findall(r[0])[0] for r in columns]
    rows = [(_CODE.findall(r[0])[0], r[2]) for r in printed_rows]
    expected = [code for code, formats in rows if formats in ("both", fmt)]
    spec = load_format(fmt).tables["requests"]
    printed = [r.id for r in spec.rows if not r.optional]
    assert printed == expected
    assert all(list(r.cols) == col_codes for r in spec.rows)
    assert set(spec.printed_columns) == set(col_codes)
    if fmt == "2021":  # the hybrid single （六） row is optional in format 2021
        hybrid = [r for r in spec.rows if r.optional]
        assert [r.id for r in hybrid] == ["other_handling"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_reviews_and_rules_match_the_spec(fmt: str) -> None:
    sections = _spec_sections()
    part = sections["## Table `reviews` — section 四"]
    codes = [_CODE.findall(r[0])[0] for r in _table_rows(part)]
    rows, cols = codes[:3], codes[3:]
    f = load_format(fmt)
    spec = f.tables["reviews"]
    assert [r.id for r in spec.rows] == rows
    assert all(list(r.cols) == cols for r in spec.rows)
    assert all(r.printed for r in spec.rows)
    rules = [
        _CODE.findall(r[0])[0]
        for r in _table_rows(sections["## Consistency rules (rule_id)"])
        if "across years" not in r[1]
    ]
    assert sorted(x.id for x in f.rules) == sorted(rules)
