"""Shared fixtures: paths to the shared real corpus and to fresh warehouse files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
