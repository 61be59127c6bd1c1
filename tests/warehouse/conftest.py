"""A warehouse of a generated multi-year corpus (synth.series), built once per session."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from parsers.report import parse_report
from synth.series import SeriesSettings, make_series
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

SERIES_SEED = 5


def load_folder(db: Path, outputs) -> None:
    """Parse generated documents in-process and load them in one group."""
    items = []
    for out in outputs:
        doc = DocumentRecord(hashlib.sha256(out.data).hexdigest(), out.name)
        items.append((doc, parse_report(out.data, out.name)))
    con = connect(db)
    load_reports(con, items, "1")
    con.close()


@pytest.fixture(scope="session")
def series(tmp_path_factory) -> tuple[Path, dict, list]:
    """(warehouse path, manifest, outputs) of 5 agencies × 2019–2024, one year left out."""
    folder = tmp_path_factory.mktemp("series")
    outputs, manifest = make_series(SERIES_SEED, SeriesSettings(agencies=5))
    db = folder / "series.duckdb"
    load_folder(db, outputs)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    return db, manifest, outputs


@pytest.fixture
def series_copy(series, tmp_path) -> Path:
    """A copy of the series warehouse a test may change."""
    db = tmp_path / "series.duckdb"
    shutil.copy(series[0], db)
    return db
