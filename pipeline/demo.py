"""The demo: a sample site served on 127.0.0.1 by this process, crawled, parsed and loaded.

The site holds a few agencies' report columns (list pages with pagination, HTML reports in
several renditions, pointer pages whose PDF attachment carries the report). Its reports ship
pre-generated in `demo_site/` with their gold values (made by `tools/make_demo_site.py` from
the corpus generator), so `nianbao eval` can score the demo warehouse too.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

ASSETS = Path(__file__).parent / "demo_site"
PER_PAGE = 4
_HREF = re.compile(rb'href="(/[^"]*)"')
ROBOTS = b"User-agent: *\nDisallow: /admin/\n"


@dataclass(frozen=True)
class Page:
    """One URL of the site: its bytes and content type."""

    body: bytes
    content_type: str

    @property
    def etag(self) -> str:
        """A strong validator: the body's hash."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


def _html(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><div class="nav"><a href="/">首页</a></div>{body}</body></html>'
    ).encode()


def _gold_name(name: str) -> str:
    return name.rsplit(".", 1)[0] + ".gold.json"


def _write_gold(gold_dir: Path, truth: dict, name: str) -> None:
    text = json.dumps(truth | {"file": name}, ensure_ascii=False, indent=1, sort_keys=True)
    (gold_dir / _gold_name(name)).write_text(text + "\n", encoding="utf-8")


def build_site(gold_dir: Path | None = None) -> dict[str, Page]:
    """The site's pages by path; with `gold_dir`, each report's gold file is written there."""
    reports = sorted((ASSETS / "reports").glob("*.htm*"))
    agencies = ["shi", "qu", "xian"]
    pages: dict[str, Page] = {"/robots.txt": Page(ROBOTS, "text/plain")}
    columns: dict[str, list[tuple[str, str]]] = {a: [] for a in agencies}
    if gold_dir is not None:
        gold_dir.mkdir(parents=True, exist_ok=True)
    for i, report in enumerate(reports):
        truth = json.loads(report.with_name(_gold_name(report.name)).read_text(encoding="utf-8"))
        agency = agencies[i % len(agencies)]
        path = f"/{agency}/ndbg/{2020 + i // 3}{i % 12 + 1:02d}/t{i:04d}.html"
        ctype = "text/html" if truth.get("encoding") != "utf-8" else "text/html; charset=utf-8"
        pages[path] = Page(report.read_bytes(), ctype)
        title = truth.get("title") or f"政府信息公开工作年度报告 {i}"
        columns[agency].append((path, title))
        if gold_dir is not None:
            _write_gold(gold_dir, truth, Path(path).name)
    for j, pdf in enumerate(sorted(ASSETS.glob("*.pdf"))):
        agency = agencies[j % len(agencies)]
        pointer = f"/{agency}/ndbg/2025{j + 1:02d}/t_pdf{j}.html"
        attachment = f"/{agency}/ndbg/2025{j + 1:02d}/P0202501{j:02d}.pdf"
        body = (
            "<h1>政府信息公开工作年度报告</h1>"
            f'<p>详见附件：<a href="{attachment}">年度报告.pdf</a></p>'
        )
        pages[pointer] = Page(_html("政府信息公开工作年度报告", body), "text/html; charset=utf-8")
        pages[attachment] = Page(pdf.read_bytes(), "application/pdf")
        columns[agency].append((pointer, f"{2025 - j}年政府信息公开工作年度报告"))
        truth = pdf.with_suffix(".gold.json")
        if gold_dir is not None and truth.exists():
            _write_gold(
                gold_dir, json.loads(truth.read_text(encoding="utf-8")), Path(attachment).name
            )
    # The generated pages' chrome links to related articles this site does not hold.
    for path, page in list(pages.items()):
        if page.content_type.startswith("text/html"):
            body = _HREF.sub(
                lambda m: m.group(0) if m.group(1).decode() in pages else b'href="#"', page.body
            )
            pages[path] = Page(body, page.content_type)
    for agency, items in columns.items():
        chunks = [items[k : k + PER_PAGE] for k in range(0, len(items), PER_PAGE)] or [[]]
        for k, chunk in enumerate(chunks):
            links = "".join(f'<li><a href="{p}">{t}</a></li>' for p, t in chunk)
            pager = f'<a href="index_{k + 1}.html">下一页</a>' if k + 1 < len(chunks) else ""
            name = "index.html" if k == 0 else f"index_{k}.html"
            page = Page(_html("政府信息公开年报", f"<ul>{links}</ul>{pager}"), "text/html")
            pages[f"/{agency}/ndbg/{name}"] = page
            if k == 0:
                pages[f"/{agency}/ndbg/"] = page
    return pages


class _Handler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, Page]] = {}
    modified = formatdate(usegmt=True)

    def do_GET(self) -> None:
        page = self.pages.get(self.path.split("?")[0])
        if page is None:
            self.send_error(404)
            return
        if self.headers.get("If-None-Match") == page.etag:
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.send_header("ETag", page.etag)
        self.send_header("Last-Modified", self.modified)
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, *args: object) -> None:  # the crawler logs what matters
        pass


@contextmanager
def serve(pages: dict[str, Page]) -> Iterator[str]:
    """Serve `pages` on 127.0.0.1 (an ephemeral port) in a thread; yield the base URL."""
    handler = type("DemoHandler", (_Handler,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def config_text(base: str) -> str:
    """The demo's sources config: one source per agency column, on the local site."""
    out = [
        "# Demo sources: the sample site this process serves on 127.0.0.1.",
        "[crawler]",
        'contact = "mailto:demo@example.invalid"',
        "rate = 50.0  # our own site; real sites keep the default 1 request/s",
        "",
    ]
    for agency in ("shi", "qu", "xian"):
        out += ["[[sources]]", f'name = "{agency}"', f'start_urls = ["{base}/{agency}/ndbg/"]', ""]
    return "\n".join(out)
