"""The report object: validated as it is built, and a JSON round trip that loses nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from parsers import parse
from parsers.model import Fact, Report
from tests.conftest import REAL


@pytest.mark.parametrize(
    "name", ["shanghai-govoffice-2019.html", "hongze-district-2023.pdf", "zhengzhou-city-2020.txt"]
)
def test_to_dict_survives_json_and_comes_back_equal(name: str) -> None:
    report = parse((REAL / name).read_bytes(), name)
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert Report.from_dict(data) == report


def test_amounts_travel_as_exact_decimal_strings() -> None:
    fact = Fact("proactive", "fees", "amount", Decimal("59237.2449"), "ok", "59237.2449")
    data = Report(status="parsed", facts=(fact,)).to_dict()
    assert data["facts"][0]["value"] == "59237.2449"
    assert Report.from_dict(data).facts[0].value == Decimal("59237.2449")


def test_a_report_read_back_is_validated_again() -> None:
    bad = {"status": "parsed", "facts": [{"table_id": "requests", "row_id": "granted",
           "col_id": "total", "value": None, "status": "ok"}]}  # fmt: skip
    with pytest.raises(ValueError, match="needs a value"):
        Report.from_dict(bad)
