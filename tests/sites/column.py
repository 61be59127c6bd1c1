"""A report column that changes between runs: for the tests of health and change tracking.

`Column` serves a list page and real generated reports (the demo site's, which parse to full
tables) on a `SiteServer`; its methods change the site the way agencies do: republish a
report with one figure corrected, remove a report, redesign the list page so its links are
drawn by a script, disallow the column in robots.txt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parsers import parse
from tests.sites import SiteServer, Static, status

REPORTS = Path(__file__).resolve().parents[2] / "pipeline" / "demo_site" / "reports"
LIST = "/xxgk/ndbg/"
ROBOTS = b"User-agent: *\nDisallow: /admin/\n"
ROBOTS_CLOSED = b"User-agent: *\nDisallow: /xxgk/\n"


@dataclass(frozen=True)
class Correction:
    """One figure changed in a report: where, and its text before and after."""

    table_id: str
    row_id: str
    col_id: str
    old: str
    new: str


def report_files(n: int, pattern: str = "*-clean-*.html") -> list[Path]:
    """The first `n` generated reports of the demo site (clean ones by default)."""
    return sorted(REPORTS.glob(pattern))[:n]


def list_page(items: list[tuple[str, str]], *, redesigned: bool = False) -> bytes:
    """The column's list page; redesigned, it draws its list with a script (no links)."""
    if redesigned:
        body = (
            '<div class="app-shell"><div id="vue-app" data-api="/api/ndbg/list"></div></div>'
            '<script src="/static/js/list.3f9a.js"></script>'
        )
    else:
        lis = "".join(f'<li><a href="{href}">{title}</a></li>' for href, title in items)
        body = f'<div class="main"><ul class="list">{lis}</ul></div>'
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head>'
        '<body><div class="nav"><a href="/">首页</a> <a href="/xxgk/">政务公开</a></div>'
        f"{body}</body></html>"
    ).encode()


def correct_one_figure(data: bytes) -> tuple[bytes, Correction]:
    """The report with one printed figure changed (the first whose text is unique in the
    file), and which."""
    report = parse(data, "report.html")
    for fact in report.facts:
        raw = fact.raw or ""
        if fact.status == "ok" and raw.isdigit() and data.count(f">{raw}<".encode()) == 1:
            new = str(int(raw) + 1)
            changed = data.replace(f">{raw}<".encode(), f">{new}<".encode())
            return changed, Correction(fact.table_id, fact.row_id, fact.col_id, raw, new)
    raise ValueError("no uniquely printed figure to correct")


class Column:
    """The site's report column on `server`, with `n` reports."""

    def __init__(self, server: SiteServer, n: int = 3, pattern: str = "*-clean-*.html") -> None:
        self.server = server
        self.items: list[tuple[str, str]] = []
        self.bodies: dict[str, bytes] = {}
        for i, path in enumerate(report_files(n, pattern)):
            href = f"/xxgk/ndbg/2024{i + 1:02d}/t2024{i + 1:02d}_{i}.html"
            self.items.append((href, f"青石市{2019 + i}年政府信息公开工作年度报告"))
            self.bodies[href] = path.read_bytes()
        server.routes["/robots.txt"] = Static(ROBOTS, "text/plain")
        server.routes[LIST] = Static(list_page(self.items))
        for href, body in self.bodies.items():
            server.routes[href] = Static(body)

    @property
    def start(self) -> str:
        return self.server.url(LIST)

    def republish_corrected(self, index: int = 0) -> tuple[str, Correction]:
        href = self.items[index][0]
        body, correction = correct_one_figure(self.bodies[href])
        self.bodies[href] = body
        self.server.routes[href] = Static(body)
        return self.server.url(href), correction

    def remove(self, index: int) -> str:
        """Take a report down: off the list, and its URL answers 404."""
        href, _ = self.items.pop(index)
        self.server.routes[href] = status(404)
        self.server.routes[LIST] = Static(list_page(self.items))
        return self.server.url(href)

    def redesign(self) -> None:
        self.server.routes[LIST] = Static(list_page(self.items, redesigned=True))

    def restore(self) -> None:
        self.server.routes[LIST] = Static(list_page(self.items))

    def close_in_robots(self) -> None:
        self.server.routes["/robots.txt"] = Static(ROBOTS_CLOSED, "text/plain")
