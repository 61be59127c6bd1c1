"""No control character or escape sequence from a document reaches the terminal in `audit`."""

from __future__ import annotations

from pathlib import Path

from pipeline.terminal import terminal_safe
from tests.pipeline.test_cli import nianbao

HOSTILE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "review" / "hostile-0013-clean-2022.html"
)
ESCAPES = "\x1b[2J\x1b]0;owned\x07\u202e"


def test_terminal_safe_shows_controls_as_escapes() -> None:
    assert terminal_safe("报告 ok") == "报告 ok"
    assert terminal_safe(f"a{ESCAPES}b") == "a\\x1b[2J\\x1b]0;owned\\x07\\u202eb"
    assert terminal_safe("\u3000全角空格\t") == "\u3000全角空格\\x09"


def test_audit_prints_titles_and_paths_without_escape_sequences(tmp_path, db) -> None:
    # File names are the sources `audit` prints: these carry escape sequences.
    partial = tmp_path / f"report{ESCAPES}.html"
    partial.write_text(HOSTILE.read_text(encoding="utf-8"), encoding="utf-8")
    failed = tmp_path / f"news{ESCAPES}.html"
    failed.write_text("<html><body><p>新闻</p></body></html>", encoding="utf-8")
    r = nianbao("parse", str(tmp_path), "--db", str(db), "--jobs", "1")
    assert r.returncode == 1
    assert "\x1b" not in r.stdout and "news\\x1b[2J" in r.stdout
    r = nianbao("audit", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "[partial]" in r.stdout and "[failed]" in r.stdout
    assert not [ch for ch in r.stdout if ch in "\x1b\x07\u202e"]
    assert r.stdout.count("\\x1b[2J\\x1b]0;owned\\x07\\u202e.html") == 2
