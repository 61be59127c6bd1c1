"""`nianbao show`: one document parsed without a warehouse, shown step by step."""

from __future__ import annotations

import json

import jsonschema
from click.testing import CliRunner

from parsers import PARSER_VERSION
from pipeline.cli import main
from pipeline.show import SCHEMA
from tests.conftest import REAL


def _show(*args: str):
    return CliRunner().invoke(main, ["show", *args], catch_exceptions=False)


def test_zhengzhou_shows_the_skeleton_and_its_diagnosis() -> None:
    r = _show(str(REAL / "zhengzhou-city-2020.txt"))
    assert r.exit_code == 0
    out = r.output
    assert "agency '郑州市人民政府'; year 2020; format 2019; script traditional" in out
    assert "read as requests:" in out and "cells counted on their line" in out
    assert "table present as a skeleton of 26 rows; 0 of 161 values printed" in out
    assert "requests.granted.natural_person = - missing" in out


def test_shanghai_shows_the_misaligned_colspans_and_the_blank_total() -> None:
    r = _show(str(REAL / "shanghai-govoffice-2019.html"))
    assert r.exit_code == 0
    out = r.output
    # Section 二: header cell at column 2 spanning two, data cell under it at column 1.
    assert "[c2 1×2 '本年增/减']" in out and "[c1 1×2 '0']  [c3 '0']" in out
    assert "requests.granted.total = - blank raw '' ← table 1 row 5 col 9" in out
    assert "not_evaluable: requests.row_total [granted]: total not printed;" in out
    assert "sum to 272" in out
    assert "proactive.procurement.amount = 251000.000000 元 ok raw '251000元'" not in out
    assert "proactive.procurement.amount = 251000 元 ok raw '251000元'" in out


def test_json_validates_against_the_schema_and_filters_a_table() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for name in ("shanghai-govoffice-2019.html", "hongze-district-2023.pdf"):
        r = _show(str(REAL / name), "--json")
        assert r.exit_code == 0
        shown = json.loads(r.output)
        jsonschema.validate(shown, schema)
        assert shown["parser_version"] == PARSER_VERSION
    r = _show(str(REAL / "hongze-district-2023.pdf"), "--json", "--table", "reviews")
    shown = json.loads(r.output)
    assert {f["table_id"] for f in shown["report"]["facts"]} == {"reviews"}
    assert [g["table_id"] for g in shown["grids"]] == ["reviews"]
    first = shown["report"]["facts"][0]
    assert first["where"]["page"] == 4 and len(first["where"]["bbox"]) == 4


def test_a_missing_file_is_a_usage_error() -> None:
    r = CliRunner().invoke(main, ["show", "/nonexistent/report.html"])
    assert r.exit_code == 2 and "cannot read" in r.output


def test_version_names_the_package_and_the_parser() -> None:
    r = CliRunner().invoke(main, ["--version"])
    assert r.exit_code == 0 and f"(parser {PARSER_VERSION})" in r.output
