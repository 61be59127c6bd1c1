"""Shared fixtures: paths to the shared real corpus and to fresh warehouse files."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from parsers import parse
from synth.series import SeriesSettings, make_series
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
SPEC = ROOT.parent / "shared" / "spec"


@pytest.fixture
def real() -> Path:
    """The shared corpus of real reports with gold files."""
    if not REAL.is_dir():
        pytest.fail(f"shared corpus not found at {REAL}")
    return REAL


def load_gold(name: str) -> dict:
    """A real report's gold file."""
    return json.loads((REAL / f"{name}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A path for a fresh warehouse file."""
    return tmp_path / "warehouse.duckdb"


# A warehouse of a generated multi-year corpus (synth.series), built once per session.
SERIES_SEED = 5


def load_folder(db: Path, outputs) -> None:
    """Parse generated documents in-process and load them in one group."""
    items = []
    for out in outputs:
        doc = DocumentRecord(hashlib.sha256(out.data).hexdigest(), out.name)
        items.append((doc, parse(out.data, out.name)))
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


# The indicator corpus (synth.indicator_series): peer agencies of known places, planted
# missing, blank, dash, derived cells and a failing check.
INDICATOR_SEED = 1


@pytest.fixture(scope="session")
def indicator_series(tmp_path_factory) -> tuple[Path, dict, list]:
    """(warehouse path, manifest, outputs) of the indicator corpus, built once."""
    from synth.indicator_series import make_indicator_series

    folder = tmp_path_factory.mktemp("indicators")
    outputs, manifest = make_indicator_series(INDICATOR_SEED)
    db = folder / "indicators.duckdb"
    load_folder(db, outputs)
    return db, manifest, outputs
