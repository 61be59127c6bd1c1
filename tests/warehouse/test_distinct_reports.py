"""A report published as a page and as its attachments counts once (`distinct_reports`)."""

from __future__ import annotations

from pathlib import Path

from warehouse.schema import connect


def _doc(con, doc_id: str, kind: str, url: str, parent: str | None) -> None:
    con.execute(
        "INSERT INTO documents (doc_id, source, sha256, kind, url, parent_url) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [doc_id, url, doc_id * 4, kind, url, parent],
    )


def _report(con, doc_id: str, status: str) -> None:
    con.execute(
        "INSERT INTO reports (report_id, doc_id, status, error, parser_version) "
        "VALUES (?, ?, ?, ?, '0')",
        [doc_id, doc_id, status, None if status == "parsed" else "why"],
    )


def test_page_and_its_attachments_are_one_report(db: Path) -> None:
    con = connect(db)
    page = "http://x.gov.cn/ndbg/2024.html"
    _doc(con, "a" * 16, "report_page", page, "http://x.gov.cn/ndbg/")
    _doc(con, "b" * 16, "attachment", "http://x.gov.cn/files/2024.docx", page)
    _doc(con, "c" * 16, "attachment", "http://x.gov.cn/files/2024-scan.pdf", page)
    _doc(con, "d" * 16, "report_page", "http://x.gov.cn/ndbg/2023.html", "http://x.gov.cn/ndbg/")
    _report(con, "a" * 16, "partial")
    _report(con, "b" * 16, "parsed")
    _report(con, "c" * 16, "parsed")
    _report(con, "d" * 16, "parsed")
    rows = con.execute(
        "SELECT report_id, group_url, documents, list_sort(members) FROM distinct_reports "
        "ORDER BY group_url"
    ).fetchall()
    assert rows == [
        ("d" * 16, "http://x.gov.cn/ndbg/2023.html", 1, ["d" * 16]),
        # The page read partly; its Word attachment fully: the attachment stands for the group.
        ("b" * 16, page, 3, ["a" * 16, "b" * 16, "c" * 16]),
    ]
