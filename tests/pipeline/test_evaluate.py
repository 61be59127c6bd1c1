"""The scorer behind `nianbao eval`: what counts as right, fabricated, doubtful (issue #9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.evaluate import score, score_groups
from warehouse.schema import connect

TITLE = "青石市人民政府2023年政府信息公开工作年度报告"


def _warehouse(tmp_path: Path, reports: list[dict]) -> Path:
    """A real warehouse holding hand-written reports: metadata and a few facts each."""
    path = tmp_path / f"w{len(list(tmp_path.glob('w*.duckdb')))}.duckdb"
    con = connect(path)
    for i, r in enumerate(reports):
        rid = f"r{i}"
        con.execute(
            "INSERT INTO documents (doc_id, source, sha256) VALUES (?, ?, ?)",
            [rid, r["file"], f"sha{i}"],
        )
        con.execute("INSERT INTO sources (doc_id, source) VALUES (?, ?)", [rid, r["file"]])
        con.execute(
            "INSERT INTO reports (report_id, doc_id, title, agency, year, format, status, "
            "parser_version) VALUES (?, ?, ?, ?, ?, ?, 'parsed', 'test')",
            [rid, rid, r.get("title"), r.get("agency"), r.get("year"), r.get("format")],
        )
        for (t, row, col), (value, status) in r.get("facts", {}).items():
            con.execute(
                "INSERT INTO facts (report_id, table_id, row_id, col_id, value, status) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [rid, t, row, col, value, status],
            )
    con.close()
    return path


def _gold(folder: Path, name: str, facts: list[dict], **meta) -> None:
    gold = {
        "file": name,
        "format": "2021",
        "year": 2023,
        "agency": "青石市人民政府",
        "title": TITLE,
        **meta,
        "facts": facts,
    }
    (folder / (name.rsplit(".", 1)[0] + ".gold.json")).write_text(
        json.dumps(gold, ensure_ascii=False), encoding="utf-8"
    )


def _fact(row: str, value, status: str = "ok", **extra) -> dict:
    return {"table_id": "requests", "row_id": row, "col_id": "total", "value": value} | {
        "status": status,
        **extra,
    }


META = {"format": "2021", "year": 2023, "agency": "青石市人民政府", "title": TITLE}


@pytest.fixture
def scored(tmp_path: Path):
    """Score one document: (gold facts, facts read) -> Score."""

    def run(gold_facts: list[dict], read: dict, **gold_meta):
        gold_dir = tmp_path / "gold"
        gold_dir.mkdir(exist_ok=True)
        _gold(gold_dir, "a.html", gold_facts, **gold_meta)
        db = _warehouse(tmp_path, [{"file": "a.html", **META, "facts": read}])
        return score(connect(db), gold_dir)

    return run


def _key(row: str) -> tuple[str, str, str]:
    return ("requests", row, "total")


def test_a_doubtful_cell_is_right_read_as_printed_or_missing(scored) -> None:
    gold = [
        _fact("granted", 5, accept_missing=True),
        _fact("denied_by_law", 3, accept_missing=True),
        _fact("unable_not_held", 2),
    ]
    read = {
        _key("granted"): (5, "ok"),
        _key("denied_by_law"): (None, "missing"),
        _key("unable_not_held"): (None, "missing"),
    }
    s = scored(gold, read).as_dict()
    assert s["cell_accuracy"] == pytest.approx(2 / 3)
    assert s["fabricated_values"] == 0
    assert (s["doubtful_cells"], s["doubtful_read"]) == (2, 1)


def test_a_doubtful_cell_read_as_another_number_is_fabricated(scored) -> None:
    s = scored([_fact("granted", 5, accept_missing=True)], {_key("granted"): (7, "ok")})
    assert s.fabricated == 1 and s.correct == 0
    assert s.fabrications[0]["cell"] == "requests.granted.total"


def test_a_number_where_the_gold_is_missing_is_fabricated(scored) -> None:
    s = scored([_fact("granted", None, "missing", recoverable=False)], {_key("granted"): (0, "ok")})
    assert s.fabricated == 1
    assert s.as_dict()["missing_flag_recall"] == 0


def test_recoverable_counts_only_cells_the_gold_holds_certain(scored) -> None:
    gold = [
        _fact("granted", 5, "repaired", recoverable=True),
        _fact("denied_by_law", 3, "repaired", recoverable=True, accept_missing=True),
        _fact("unable_not_held", None, "missing", recoverable=False),
    ]
    read = {_key("granted"): (5, "repaired"), _key("denied_by_law"): (None, "missing")}
    s = scored(gold, read)
    assert (s.recovered, s.recoverable) == (1, 1)


def test_agency_accept_lists_every_right_agency(scored) -> None:
    s = scored([], {}, agency="淮安市青石市人民政府", agency_accept=["青石市人民政府", "x"])
    assert s.meta_fields["agency"] == [1, 1]
    s = scored([], {}, agency="淮安市青石市人民政府")
    assert s.meta_fields["agency"] == [0, 1]


def test_title_is_metadata_compared_across_script_width_and_wrapping(scored) -> None:
    s = scored([], {}, title="青石市人民政府 2023年政府資訊公開工作年度報告")
    assert s.meta_fields["title"] == [1, 1]
    assert s.as_dict()["metadata_accuracy"] == 1.0
    s = scored([], {}, title="青石市人民政府2022年政府信息公开工作年度报告")
    assert s.meta_fields["title"] == [0, 1]
    assert s.as_dict()["metadata_documents_right"] == 0.0


def test_scores_group_by_variant(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    _gold(gold_dir, "a.html", [_fact("granted", 5)], variants=["label_noise"], quirks=[])
    _gold(gold_dir, "b.html", [_fact("granted", 4)], variants=["label_noise", "meta_preface"])
    read_a = {**META, "file": "a.html", "facts": {_key("granted"): (5, "ok")}}
    read_b = {**META, "file": "b.html", "facts": {_key("granted"): (9, "ok")}}
    db = _warehouse(tmp_path, [read_a, read_b])
    groups = score_groups(connect(db), gold_dir, "variant")
    assert groups["label_noise"].documents == 2
    assert groups["label_noise"].fabricated == 1
    assert groups["meta_preface"].documents == 1 and groups["meta_preface"].correct == 0


def test_eval_command_lists_fabricated_values(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    _gold(gold_dir, "a.html", [_fact("granted", 5)], variants=["flat"])
    db = _warehouse(tmp_path, [{**META, "file": "a.html", "facts": {_key("granted"): (6, "ok")}}])
    result = CliRunner().invoke(
        main, ["eval", "--db", str(db), "--gold", str(gold_dir), "--by", "variant"]
    )
    assert result.exit_code == 0, result.output
    assert "FABRICATED" in result.stderr and "requests.granted.total" in result.stderr
    out = json.loads(result.stdout)
    assert out["fabricated_values"] == 1
    assert out["by_variant"]["flat"]["fabricated_values"] == 1


def test_a_printed_number_read_as_blank_is_a_false_empty(scored) -> None:
    """Not a fabricated number, but a claim of emptiness that sums take as zero."""
    s = scored(
        [_fact("granted", 2), _fact("denied_by_law", None, "blank")],
        {
            _key("granted"): (None, "blank"),
            _key("denied_by_law"): (None, "blank"),
        },
    )
    assert (s.fabricated, s.false_empty, s.correct) == (0, 1, 1)
    assert s.fabrications[0]["kind"] == "false_empty"


def test_a_gold_is_scored_against_the_document_at_its_path(tmp_path: Path) -> None:
    """Folders of one corpus hold files of the same name (scans of the same PDFs): each gold
    scores the report read from its own folder, and a name several share matches none."""
    first, second, elsewhere = (tmp_path / d for d in ("first", "second", "elsewhere"))
    for folder, value in ((first, 5), (second, 9), (elsewhere, 5)):
        folder.mkdir()
        _gold(folder, "a.pdf", [_fact("granted", value)])
    reads = [
        {**META, "file": str(folder / "a.pdf"), "facts": {_key("granted"): (value, "ok")}}
        for folder, value in ((first, 5), (second, 9))
    ]
    db = _warehouse(tmp_path, reads)
    for folder in (first, second):
        s = score(connect(db), folder)
        assert (s.documents, s.correct, s.fabricated) == (1, 1, 0)
    s = score(connect(db), elsewhere)
    assert s.documents == 0 and s.documents_unmatched == ["a.pdf"]
    # A file name only one report has still matches from anywhere (a path given relative
    # to another folder, a URL).
    db = _warehouse(tmp_path, reads[:1])
    assert score(connect(db), elsewhere).correct == 1
