"""Word, WPS and Excel attachments are recognised by the crawler and parsed by a run."""

from __future__ import annotations

import io

import openpyxl

from pipeline.discover import analyse_page
from pipeline.fetch import DOC, DOCX, WPS, XLS, XLSX, sniff_media_type
from pipeline.run import PARSEABLE

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


def _xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def test_office_files_sniffed_by_bytes_and_name() -> None:
    assert sniff_media_type(_xlsx(), None, "http://x/a.aspx?id=1") == XLSX
    assert sniff_media_type(OLE2, None, "http://x/a.xls") == XLS
    assert sniff_media_type(OLE2, None, "http://x/a.wps") == WPS
    assert sniff_media_type(OLE2, "application/octet-stream", "http://x/a.doc") == DOC
    assert all(t.startswith(PARSEABLE) for t in (DOC, DOCX, WPS, XLS, XLSX))


def test_report_page_links_every_office_attachment() -> None:
    exts = ("pdf", "doc", "docx", "wps", "xls", "xlsx")
    links = "".join(f'<a href="/files/r.{e}">附件</a>' for e in exts)
    html = (
        "<html><head><title>2024年政府信息公开工作年度报告</title></head><body>"
        f"<p>{'正文' * 400}</p>{links}</body></html>"
    ).encode()
    page = analyse_page(html, "http://x.gov.cn/ndbg/2024.html")
    assert page.kind == "report_page"
    got = sorted(link.url.rsplit(".", 1)[1] for link in page.attachments)
    assert got == ["doc", "docx", "pdf", "wps", "xls", "xlsx"]
