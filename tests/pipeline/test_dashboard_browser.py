"""The dashboard opened in real headless Chromium (Debian's `chromium`, never a downloaded
browser): every page loads, every chart draws, no request leaves the site's folder, no
Content-Security-Policy violation; screenshots are saved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from pipeline.dashboard.markup import agency_file
from pipeline.dashboard.site import DashboardSettings, build_dashboard
from synth.indicator_series import NAMES
from warehouse.schema import connect

# Slow on purpose (real processes, a browser or a whole corpus): left out of `make test-fast`.
pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    "index.html",
    "indicators/index.html",
    "indicators/substantive_disclosure_rate.html",
    "indicators/refusal_rate-2023.html",
    "outliers.html",
    "agencies/index.html",
    f"agencies/{agency_file('江苏省' + NAMES[0])}",
    f"agencies/{agency_file('江苏省' + NAMES[3])}",
]


def test_dashboard_in_headless_chromium(indicator_series, tmp_path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed (.ci/run installs it: apt-get install chromium)")
    site = tmp_path / "site"
    build_dashboard(connect(indicator_series[0], read_only=True), site, DashboardSettings())
    shots = tmp_path / "screenshots"
    shots.mkdir()
    requests: list[str] = []
    failed: list[str] = []
    console: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh --user-data-dir
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 1000},
        )
        try:
            context.on("request", lambda r: requests.append(r.url))
            context.on("requestfailed", lambda r: failed.append(r.url))
            page = context.new_page()
            page.on("console", lambda m: console.append(m.text))
            for i, name in enumerate(PAGES):
                page.goto((site / name).as_uri())
                page.wait_for_load_state("load")
                images = page.evaluate(
                    "Array.from(document.images).map(i => [i.getAttribute('src'), i.complete,"
                    " i.naturalWidth])"
                )
                assert all(done and width > 0 for _, done, width in images), (name, images)
                assert page.title()
                page.screenshot(path=str(shots / f"{i:02d}-{name.replace('/', '_')}.png"))
            # Links between pages work: from the index to an indicator and on to an agency.
            page.goto((site / "indicators" / "index.html").as_uri())
            page.click("text=refusal_rate")
            assert page.url.endswith("/indicators/refusal_rate.html")
        finally:
            context.close()
    root = site.resolve().as_uri() + "/"
    outside = [u for u in requests if not u.startswith(root)]
    assert not outside, outside
    assert not failed, failed
    assert not [m for m in console if "Content Security Policy" in m], console
    assert len(requests) >= len(PAGES) * 2  # pages, their stylesheet and charts
    saved = sorted(shots.glob("*.png"))
    assert len(saved) == len(PAGES) and all(s.stat().st_size > 10_000 for s in saved)
