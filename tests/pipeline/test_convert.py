"""Legacy Word (.doc), WPS (.wps) and Excel files converted by LibreOffice in the worker.

These tests run LibreOffice, which `.ci/run` installs; on a developer machine without it
they are skipped (under CI they fail instead, so a missing install step shows). The
`synth-word-f1-*` fixtures (`python -m synth.wordcorpus --n 30 --seed 1 --legacy --odds
familiar`) hold split tables and repeated headers that LibreOffice's .docx lays out on a
grid where rows start their values at different columns.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline.batch import BatchSettings, parse_all, parse_bytes
from pipeline.convert import ConvertSettings, convert_legacy
from tests.parsers.test_docx import FIXTURES, assert_reproduces, gold_of

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice not installed (.ci/run installs it)",
)
LEGACY = sorted([*FIXTURES.glob("*.doc"), *FIXTURES.glob("*.wps")])


@needs_soffice
@pytest.mark.parametrize("path", LEGACY, ids=lambda p: p.name)
def test_legacy_word_converted_and_read_as_gold(path: Path) -> None:
    parsed = parse_bytes(path.read_bytes(), str(path))
    assert parsed.doc.media_type == "application/msword"
    assert_reproduces(parsed.report, gold_of(path), "docx")


@needs_soffice
def test_conversion_runs_in_budgeted_workers(tmp_path: Path) -> None:
    paths = [str(p) for p in LEGACY]
    results = list(parse_all(paths, BatchSettings(jobs=2, timeout_s=120)))
    assert sorted(r.report.status for r in results) == ["parsed"] * len(paths)


def test_without_libreoffice_the_document_fails_with_the_install_command() -> None:
    path = LEGACY[0]
    missing = ConvertSettings(soffice="/nonexistent/soffice")
    parsed = parse_bytes(path.read_bytes(), str(path), missing)
    assert parsed.report.status == "failed"
    assert "LibreOffice is not installed" in parsed.report.error
    assert "apt-get install -y libreoffice-writer-nogui" in parsed.report.error
    assert not parsed.internal_error


@needs_soffice
def test_unconvertible_bytes_fail_with_reason() -> None:
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    parsed = parse_bytes(junk, "broken.doc")
    assert parsed.report.status == "failed"
    assert "LibreOffice" in parsed.report.error or "malformed" in parsed.report.error


@needs_soffice
def test_xls_converted_to_xlsx_keeps_merges(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["政府信息公开工作年度报告统计表"])
    sheet.append(["信息内容", "本年新制作数量", "本年新公开数量"])
    sheet.append(["规章", 3, 4])
    sheet.merge_cells("A1:C1")
    src = tmp_path / "t.xlsx"
    book.save(src)
    xls = convert_legacy_xlsx_to_xls(src, tmp_path)
    data = convert_legacy(xls.read_bytes(), "xls", "t.xls", ConvertSettings())
    back = openpyxl.load_workbook(io.BytesIO(data))
    assert [c.value for c in back.active[3]] == ["规章", 3, 4]


def convert_legacy_xlsx_to_xls(src: Path, tmp_path: Path) -> Path:
    """An .xls made from an .xlsx by LibreOffice (the test's own input)."""
    import subprocess

    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls",
         "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return tmp_path / "t.xls"
