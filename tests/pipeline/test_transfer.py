"""Parsed reports cross from a worker to the parent as bytes and come back equal."""

from __future__ import annotations

import pickle
from pathlib import Path

from parsers.model import Fact, Report, Where
from pipeline.batch import parse_file
from pipeline.transfer import pack, unpack
from tests.conftest import REAL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDF = str(FIXTURES / "pdf/shanghai-govoffice-2019-ruled.pdf")


def test_reports_of_every_reader_round_trip() -> None:
    for path in (
        str(REAL / "shanghai-govoffice-2019.html"),
        str(REAL / "zhengzhou-city-2020.txt"),
        PDF,
        str(next((FIXTURES / "word").glob("*.docx"))),
    ):
        parsed = parse_file(path)
        assert parsed.report.facts
        back = unpack(pack(parsed))
        assert back == parsed
        assert [f.where for f in back.report.facts] == [f.where for f in parsed.report.facts]


def test_packing_is_smaller_than_plain_pickle() -> None:
    parsed = parse_file(str(REAL / "shanghai-govoffice-2019.html"))
    assert len(pack(parsed)) < len(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))


def test_ocr_provenance_round_trips() -> None:
    # A cell read by OCR keeps its confidence and its other readings (#13).
    where = Where("ocr", table=0, row=3, col=2, page=2, bbox=(1.0, 2.0, 3.0, 4.0),
                  confidence=0.8731, readings=("863", "868"))  # fmt: skip
    fact = Fact("requests", "new_received", "total", None, "missing", note="OCR: 863 or 868",
                where=where)  # fmt: skip
    report = Report(status="partial", error="1 of 1 canonical cells missing", facts=(fact,))
    back = unpack(pack(report))
    assert back == report and back.facts[0].where.readings == ("863", "868")
    assert back.facts[0].where.confidence == 0.8731
