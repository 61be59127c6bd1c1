"""青石市 (a made-up city): a government site's annual-report column, with its faults.

`routes(offsite)` returns the site's routes; `offsite` is the base URL of another fixture
server standing for a different site. What the crawler should make of each URL is in
`EXPECTED_*` below, so tests assert against one description of the site.
"""

from __future__ import annotations

import io
import zipfile

from tests.sites import Route, Static, redirect, status

LIST = "/xxgk/ndbg/"
REPORT_2023 = "/xxgk/ndbg/202401/t20240115_1.html"
POINTER_2022 = "/xxgk/ndbg/202301/t20230110_2.html"
POINTER_PDF = "/xxgk/ndbg/202301/P020230110.pdf"
GBK_REPORT = "/xxgk/ndbg/202402/t20240201_3.html"
GBK_DOCX = "/xxgk/ndbg/202402/W020240201.docx"
REDIRECTED = "/old/report2021.html"
REDIRECT_HOP = "/moved/a.html"
REDIRECT_FINAL = "/xxgk/ndbg/202103/t20210301_4.html"
OFFSITE_REDIRECT = "/go/offsite.html"
BROKEN_PDF = "/xxgk/ndbg/P020200101.pdf"
SOFT_404_PDF = "/xxgk/ndbg/P020190101.pdf"
DISALLOWED = "/private/2018.html"
MISSING = "/xxgk/ndbg/t2017_missing.html"
PAGE_2 = "/xxgk/ndbg/index_1.html"
PAGE_3 = "/xxgk/ndbg/index_2.html"
LAST_MODIFIED_ONLY = "/xxgk/ndbg/202201/t20220105_5.html"
TRUNCATED_PDF = "/xxgk/ndbg/202201/P020220105.pdf"
ETAG_ONLY = "/xxgk/ndbg/201701/t2016.html"
NEWS = "/news/"

# (path, kind) of every document one crawl should store.
EXPECTED_DOCUMENTS = {
    REPORT_2023: "report_page",
    POINTER_2022: "pointer",
    POINTER_PDF: "attachment",
    GBK_REPORT: "report_page",
    GBK_DOCX: "attachment",
    REDIRECTED: "report_page",
    LAST_MODIFIED_ONLY: "report_page",
    TRUNCATED_PDF: "attachment",
    ETAG_ONLY: "report_page",
}
EXPECTED_NAVIGATION = {LIST, PAGE_2, PAGE_3, "/xxgk/ndbg/index.html"}
# path → words the failure reason must contain
EXPECTED_FAILURES = {
    OFFSITE_REDIRECT: "off the source's sites",
    BROKEN_PDF: "not a report page or document",
    SOFT_404_PDF: "expected a document file",
    MISSING: "HTTP 404",
}
EXPECTED_SKIPPED = {DISALLOWED}
NEVER_REQUESTED = {DISALLOWED, NEWS, "/", "/xxgk/"}

ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.02\n"

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>青石市教育局2023年年报</w:document>")
    return buffer.getvalue()


def page(title: str, body: str, *, meta: str = '<meta charset="utf-8">', article: str = "") -> str:
    article_meta = f'<meta name="ArticleTitle" content="{article}">' if article else ""
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{article_meta}</head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/news/">新闻动态</a> '
        '<a href="/xxgk/">政务公开</a></div>'
        f"{body}"
        '<div class="footer">主办：青石市人民政府办公室 <a href="http://www.example.gov.cn/">'
        "网站地图</a></div></body></html>"
    )


def report_body(city: str, year: int) -> str:
    """A full report: sections, a table and enough prose to be more than a pointer."""
    prose = (
        f"{year}年，{city}深入贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，围绕中心工作，着力推进决策、执行、管理、服务、"
        "结果公开，持续加强政策解读和回应关切，政府信息公开工作取得了新的成效。"
    )
    rows = "".join(
        f"<tr><td>第{i}项</td><td>{i * 3}</td><td>{i * 5}</td></tr>" for i in range(1, 8)
    )
    return (
        f'<div id="zoom"><h2>{city}{year}年政府信息公开工作年度报告</h2>'
        f"<p>一、总体情况</p><p>{prose * 3}</p>"
        f"<p>二、主动公开政府信息情况</p><table>{rows}</table>"
        f"<p>三、收到和处理政府信息公开申请情况</p><p>{prose * 2}</p>"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p><p>{prose}</p>"
        f"<p>五、存在的主要问题及改进情况</p><p>{prose * 2}</p>"
        "<p>六、其他需要报告的事项</p><p>无。</p></div>"
    )


def list_page(items: list[tuple[str, str]], pager: str) -> str:
    lis = "".join(f'<li><a href="{href}" target="_blank">{text}</a></li>' for href, text in items)
    return page("政府信息公开工作年度报告_青石市人民政府", f'<ul class="list">{lis}</ul>{pager}')


def routes(offsite: str) -> dict[str, Route]:
    """The site; `offsite` is another site's base URL (e.g. http://127.0.0.1:PORT)."""
    title_2023 = "青石市2023年政府信息公开工作年度报告"
    first = list_page(
        [
            ("./202401/t20240115_1.html", title_2023),
            ("./202401/t20240115_1.html#content", title_2023),
            ("202401/t20240115_1.html?utm_source=wechat&spm=a1.b2", title_2023),
            ("./202301/t20230110_2.html", "青石市2022年政府信息公开工作年度报告"),
            ("./202402/t20240201_3.html", "青石市教育局2023年政府信息公开工作年度报告"),
            (REDIRECTED, "青石市卫健委2021年政府信息公开年报"),
            (OFFSITE_REDIRECT, "青石市2020年政府信息公开工作年度报告"),
            (BROKEN_PDF, "青石市2020年政府信息公开工作年度报告（PDF版）"),
            (SOFT_404_PDF, "青石市2019年政府信息公开工作年度报告（PDF版）"),
            (DISALLOWED, "青石市2018年政府信息公开工作年度报告"),
            (MISSING, "青石市2017年政府信息公开工作年度报告"),
            (f"{offsite}/gov/2023.html", "国务院办公厅2023年政府信息公开工作年度报告"),
            ("http://www.example.gov.cn/2023.html", "省政府2023年政府信息公开工作年度报告"),
        ],
        '<div class="page"><a href="index_1.html">下一页</a> <a href="index_2.html">尾页</a>'
        '</div><script>createPageHTML(3, 0, "index", "html");</script>',
    )
    second = list_page(
        [("./202201/t20220105_5.html", "青石市2022年政府信息公开工作年度报告（区县汇总）")],
        '<a href="index.html">上一页</a> <a href="index_2.html">下一页</a>',
    )
    # Page 3: GBK, no charset in the header and no <meta>: detection must find it.
    third = (
        "<html><head><title>政府信息公开工作年度报告</title></head><body><ul>"
        '<li><a href="./201701/t2016.html">青石市2016年政府信息公开工作年度报告</a></li>'
        '</ul><a href="index_1.html">上一页</a></body></html>'
    ).encode("gbk")
    report_2023 = page(
        "青石市人民政府",
        report_body("青石市", 2023) + '<div class="related"><a href="../202301/t20230110_2.html">'
        "上一篇：青石市2022年政府信息公开工作年度报告</a></div>",
        article=title_2023,
    )
    pointer = page(
        "青石市2022年政府信息公开工作年度报告",
        '<div id="zoom"><p>青石市2022年政府信息公开工作年度报告详见附件。</p>'
        '<p>附件：<a href="/xxgk/ndbg/202301/P020230110.pdf">'
        "青石市2022年政府信息公开工作年度报告.pdf</a></p></div>",
    )
    gbk_report = page(
        "青石市教育局2023年政府信息公开工作年度报告",
        report_body("青石市教育局", 2023)
        + '<p>附件：<a href="W020240201.docx">青石市教育局2023年年报.docx</a></p>',
        meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
    ).encode("gbk")
    redirected = page("青石市卫健委2021年政府信息公开年报", report_body("青石市卫健委", 2021))
    lm_only = page(
        "青石市2022年政府信息公开工作年度报告（区县汇总）",
        report_body("青石市各区县", 2022) + '<a href="P020220105.pdf">区县汇总表.pdf</a>',
    )
    etag_only = page("青石市2016年政府信息公开工作年度报告", report_body("青石市", 2016))
    return {
        "/robots.txt": Static(ROBOTS, "text/plain"),
        LIST: Static(first.encode()),
        "/xxgk/ndbg/index.html": Static(first.encode()),
        PAGE_2: Static(second.encode()),
        PAGE_3: Static(third, "text/html"),
        REPORT_2023: Static(report_2023.encode()),
        POINTER_2022: Static(pointer.encode()),
        POINTER_PDF: Static(PDF_BYTES, "application/pdf"),
        GBK_REPORT: Static(gbk_report, "text/html"),
        GBK_DOCX: Static(docx_bytes(), None),
        REDIRECTED: redirect(REDIRECT_HOP, 301),
        REDIRECT_HOP: redirect(REDIRECT_FINAL, 302),
        REDIRECT_FINAL: Static(redirected.encode()),
        OFFSITE_REDIRECT: redirect(f"{offsite}/report.html"),
        BROKEN_PDF: Static(b"\x00\x13garbled bytes, not a PDF", "application/pdf"),
        SOFT_404_PDF: Static(page("页面不存在", "<p>您访问的页面不存在</p>").encode()),
        DISALLOWED: Static(page("2018", report_body("青石市", 2018)).encode()),
        LAST_MODIFIED_ONLY: Static(lm_only.encode(), etag=False),
        TRUNCATED_PDF: Static(PDF_BYTES[:40], "application/pdf", last_modified=False),
        ETAG_ONLY: Static(etag_only.encode(), last_modified=False),
        NEWS: fixed_page("新闻动态"),
    }


def offsite_routes() -> dict[str, Route]:
    report = page("国务院办公厅2023年政府信息公开工作年度报告", report_body("国务院办公厅", 2023))
    return {
        "/gov/2023.html": Static(report.encode()),
        "/report.html": Static(report.encode()),
        "/robots.txt": status(404),
    }


def fixed_page(title: str) -> Route:
    return Static(page(title, f"<p>{title}</p>").encode())
