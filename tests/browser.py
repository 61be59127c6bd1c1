"""Debian's Chromium, headless, driven by Playwright: every request the pages make recorded.

Playwright never downloads a browser here: it is pointed at `/usr/bin/chromium` (installed
by `.ci/run` when missing). A fresh profile per use; no network is reached (every request
that is not a local file is aborted, and recorded all the same).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NIANBAO_CHROMIUM", "/usr/bin/chromium")
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


@dataclass
class Browser:
    """A browser context and what its pages did: requests, dialogs, errors, console."""

    context: object
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def page(self):
        page = self.context.new_page()
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        return page

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@contextlib.contextmanager
def chromium(profile: Path, downloads: Path) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile in `profile`."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(`apt-get install chromium`, which .ci/run does) to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            accept_downloads=True,
            downloads_path=str(downloads),
            viewport={"width": 1280, "height": 900},
        )
        browser = Browser(context)
        context.on("request", lambda r: browser.requests.append(r.url))
        # Nothing leaves the machine: anything but a local file is refused (and recorded).
        context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
        try:
            yield browser
        finally:
            context.close()
