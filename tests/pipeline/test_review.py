"""The review site: one page per report, each cell with its status and source on hover."""

from __future__ import annotations

import re

from tests.pipeline.test_cli import _corpus, nianbao


def test_audit_html_writes_a_page_per_report(tmp_path, db) -> None:
    assert nianbao("parse", str(_corpus(tmp_path)), "--db", str(db)).returncode == 0
    site = tmp_path / "site"
    r = nianbao("audit", "--db", str(db), "--html", str(site))
    assert r.returncode == 0, r.stderr
    index = (site / "index.html").read_text(encoding="utf-8")
    pages = re.findall(r'href="(report-[0-9a-f]+\.html)"', index)
    assert len(pages) == 2
    # The partial report (every cell missing) is listed first: it needs a look.
    assert index.index("zhengzhou") < index.index("shanghai")
    shanghai = next(p for p in pages if "上海市人民政府办公厅" in (site / p).read_text("utf-8"))
    html = (site / shanghai).read_text(encoding="utf-8")
    assert html.count('<td class="missing"') == 0
    assert 'title="status ok; raw &#x27;251000元&#x27;; table 0, row 17, column' in html
    assert "total not printed" in html  # checks that are not evaluable are shown with why
