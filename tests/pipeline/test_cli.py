"""The `nianbao` command as a user runs it: exit codes, summaries, read-only queries.

Commands run in-process through click's CliRunner (`nianbao`); one test runs the installed
entry point as a process (`nianbao_process`), for the exit codes a shell sees.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import REAL

NIANBAO = [sys.executable, "-c", "from pipeline.cli import run; run()"]


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and its two streams."""

    returncode: int
    stdout: str
    stderr: str


def nianbao(*args: str) -> Ran:
    """Run `nianbao ARGS` in this process."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def nianbao_process(*args: str) -> subprocess.CompletedProcess:
    """Run `nianbao ARGS` as its own process, as a shell or cron does."""
    return subprocess.run([*NIANBAO, *args], capture_output=True, text=True, timeout=300)


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(parents=True)
    for name in ("shanghai-govoffice-2019.html", "zhengzhou-city-2020.txt"):
        shutil.copy(REAL / name, folder / name)
    return folder


def test_parse_summarises_and_exits_zero(tmp_path, db) -> None:
    r = nianbao("parse", str(_corpus(tmp_path)), "--db", str(db), "--jobs", "2")
    assert r.returncode == 0, r.stderr
    assert "reports: 1 parsed, 1 partial, 0 failed (2 new" in r.stdout
    assert "checks: 28 pass, 0 failed" in r.stdout
    again = nianbao("parse", str(_corpus(tmp_path / "x")), "--db", str(db))
    assert "(0 new, 0 re-parsed, 2 unchanged)" in again.stdout


def test_a_bad_document_is_recorded_and_the_batch_goes_on(tmp_path, db) -> None:
    folder = _corpus(tmp_path)
    (folder / "empty.html").write_bytes(b"")
    (folder / "garbage.html").write_bytes(bytes(range(256)) * 40)
    r = nianbao("parse", str(folder), "--db", str(db), "--jobs", "1")
    assert r.returncode == 1
    assert "1 parsed, 1 partial, 2 failed" in r.stdout
    q = nianbao(
        "query",
        "--db",
        str(db),
        "--format",
        "json",
        "SELECT d.source, r.error FROM reports r JOIN documents d USING (doc_id) "
        "WHERE r.status = 'failed' ORDER BY 1",
    )
    rows = json.loads(q.stdout)
    assert [Path(x["source"]).name for x in rows] == ["empty.html", "garbage.html"]
    assert "empty" in rows[0]["error"] and "binary" in rows[1]["error"]


def test_usage_errors_exit_two(tmp_path, db) -> None:
    assert nianbao("parse", str(tmp_path / "nope"), "--db", str(db)).returncode == 2
    assert nianbao("query", "--db", str(tmp_path / "none.duckdb"), "SELECT 1").returncode == 2
    assert nianbao("frobnicate").returncode == 2


def test_query_is_read_only(tmp_path, db) -> None:
    nianbao("parse", str(_corpus(tmp_path)), "--db", str(db))
    r = nianbao("query", "--db", str(db), "DELETE FROM facts")
    assert r.returncode == 2 and "read-only" in r.stderr.lower()
    csv = nianbao(
        "query",
        "--db",
        str(db),
        "--format",
        "csv",
        "SELECT value FROM facts WHERE row_id='new_received' AND col_id='total' "
        "AND value IS NOT NULL",
    )
    assert csv.stdout.split() == ["value", "859.000000"]


def test_audit_and_export(tmp_path, db) -> None:
    nianbao("parse", str(_corpus(tmp_path)), "--db", str(db))
    audit = nianbao("audit", "--db", str(db))
    assert audit.returncode == 0
    assert "zhengzhou-city-2020.txt" in audit.stdout and "skeleton" in audit.stdout
    out = tmp_path / "export"
    assert nianbao("export", "--db", str(db), "--format", "csv", "--out", str(out)).returncode == 0
    lines = [p.read_text(encoding="utf-8").count("\n") - 1 for p in (out / "facts").rglob("*.csv")]
    assert sum(lines) == 2 * 198


def test_the_installed_command_exits_as_a_shell_sees_it(tmp_path, db) -> None:
    """End to end, as its own process: 0 all done, 1 some document failed, 2 usage error."""
    folder = _corpus(tmp_path)
    assert nianbao_process("parse", str(folder), "--db", str(db), "--jobs", "1").returncode == 0
    (folder / "not-a-report.html").write_text("<html><body><p>hello</p></body></html>")
    failed = nianbao_process("parse", str(folder), "--db", str(db), "--jobs", "1")
    assert failed.returncode == 1 and "not a report" in failed.stdout
    usage = nianbao_process("parse", str(tmp_path / "nowhere"), "--db", str(db))
    assert usage.returncode == 2 and "no such file" in usage.stderr
