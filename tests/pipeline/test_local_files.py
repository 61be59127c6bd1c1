"""Local files given to `nianbao parse`: looked at before they are read, and every document
parsed under the time and memory budget, `--jobs 1` included (issue #12, cases 5 and 8).

Before: `nianbao parse /dev/zero` read the device until the parent died; with one job,
local HTML was parsed in the parent with no budget (a 111 KB span bomb took 5.8 GB), and
running out of memory was filed as our own bug.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb

from pipeline.batch import BatchSettings, parse_all
from tests.conftest import REAL
from tests.measured import NIANBAO, run_measured
from tests.sites.bombs import span_bomb


def parse_measured(*args: str):
    return run_measured(NIANBAO, "parse", *args, timeout=120)


def reports(db: Path) -> dict[str, tuple[str, str | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT d.source, r.status, r.error FROM reports r JOIN documents d USING (doc_id)"
        ).fetchall()
    finally:
        con.close()
    return {source: (status, error) for source, status, error in rows}


def test_a_device_is_not_read(db: Path) -> None:
    measured = parse_measured("/dev/zero", "--db", str(db), "--jobs", "1")
    assert measured.returncode == 1, measured.stderr[-2000:]
    assert "failed: /dev/zero: not a regular file (a device); not read" in measured.stdout
    assert measured.seconds < 30
    assert measured.peak_mb < 400, measured.peak_mb


def test_a_pipe_does_not_block_and_a_good_file_beside_it_loads(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "waiting.html")  # nobody ever writes to it
    good = folder / "shanghai.html"
    good.write_bytes((REAL / "shanghai-govoffice-2019.html").read_bytes())
    measured = parse_measured(str(folder / "waiting.html"), str(good), "--db", str(db))
    assert measured.returncode == 1, measured.stderr[-2000:]
    assert reports(db) == {
        str(folder / "waiting.html"): ("failed", "not a regular file (a pipe); not read"),
        str(good): ("parsed", None),
    }


def test_a_file_over_the_size_limit_is_identified_but_not_read(tmp_path: Path, db: Path) -> None:
    big = tmp_path / "big.html"
    with open(big, "wb") as handle:  # sparse: 65 MB on paper, nothing on disk
        handle.truncate(65 * 1024 * 1024)
    measured = parse_measured(str(big), "--db", str(db), "--jobs", "1")
    assert measured.returncode == 1
    assert reports(db) == {
        str(big): ("failed", "document too large: 65.0 MB (limit 64 MB); not read")
    }
    digest = hashlib.sha256()
    with open(big, "rb") as handle:
        while piece := handle.read(1 << 20):
            digest.update(piece)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT sha256, size FROM documents").fetchall() == [
        (digest.hexdigest(), 65 * 1024 * 1024)
    ]
    con.close()
    assert measured.peak_mb < 400, measured.peak_mb


def test_a_span_bomb_with_one_job_fails_alone_in_little_memory(tmp_path: Path, db: Path) -> None:
    bomb = tmp_path / "spans.html"
    bomb.write_bytes(span_bomb())
    good = tmp_path / "shanghai.html"
    good.write_bytes((REAL / "shanghai-govoffice-2019.html").read_bytes())
    measured = parse_measured(str(bomb), str(good), "--db", str(db), "--jobs", "1")
    assert measured.returncode == 1, measured.stderr[-2000:]
    assert "internal errors" not in measured.stdout
    found = reports(db)
    assert found[str(good)] == ("parsed", None)
    assert found[str(bomb)][0] == "failed" and "over the 100000 cells" in found[str(bomb)][1]
    assert measured.seconds < 30
    assert measured.peak_mb < 400 and measured.children_peak_mb < 400, measured


def test_running_out_of_memory_with_one_job_is_a_budget_failure_not_a_bug(
    tmp_path: Path,
) -> None:
    page = (REAL / "shanghai-govoffice-2019.html").read_text(encoding="utf-8")
    image = '<img src="data:image/png;base64,' + "QUJD" * 12_500_000 + '">'
    big = tmp_path / "inline-image.html"
    big.write_text(page.replace("</body>", image + "</body>"), encoding="utf-8")
    small = str(REAL / "shanghai-govoffice-2019.html")
    parsed, fits = parse_all([str(big), small], BatchSettings(jobs=1, memory_mb=160))
    assert parsed.report.status == "failed"
    assert parsed.report.error == "memory budget exceeded (160 MB)"
    assert not parsed.internal_error
    assert parsed.doc.sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
    assert fits.report.status == "parsed"  # the budget fits a report; this page is 50 MB
