"""Parsed reports cross from a worker to the parent as bytes and come back equal."""

from __future__ import annotations

import pickle
from pathlib import Path

from pipeline.batch import parse_file
from pipeline.transfer import pack, unpack
from tests.conftest import REAL

PDF = str(Path(__file__).resolve().parents[1] / "fixtures/pdf/shanghai-govoffice-2019-ruled.pdf")


def test_reports_of_every_reader_round_trip() -> None:
    for path in (
        str(REAL / "shanghai-govoffice-2019.html"),
        str(REAL / "zhengzhou-city-2020.txt"),
        PDF,
    ):
        parsed = parse_file(path)
        assert parsed.report.facts
        back = unpack(pack(parsed))
        assert back == parsed
        assert [f.where for f in back.report.facts] == [f.where for f in parsed.report.facts]


def test_packing_is_smaller_than_plain_pickle() -> None:
    parsed = parse_file(str(REAL / "shanghai-govoffice-2019.html"))
    assert len(pack(parsed)) < len(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
