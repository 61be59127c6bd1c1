"""A list page's structure, to notice when a site is redesigned.

The shape of a page is the set of element paths that lead to its links naming a report
(`div.list > ul > li > a`, the link text judged as discovery judges it), each path cut to
its last `ShapeSettings.depth` steps and hashed to 8 hex digits. Adding items to a list adds
no new path, so a column that grows keeps its shape; a redesign that moves the list into
another container, or draws it with a script, changes it. The site's chrome (menus,
footers) does not count: it changes often and says nothing about the reports. Two shapes
are compared by their overlap (Jaccard similarity).

Computed only when a list page's bytes change (a 304 keeps the shape it had).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from pipeline.config import DiscoverySettings
from pipeline.discover import clean_text, decode_html, names_report

# Digits in class names are item numbers and generated ids, not structure.
_DIGITS = re.compile(r"\d+")
_SKIPPED = ("script", "style", "noscript")


@dataclass(frozen=True)
class ShapeSettings:
    depth: int = 4  # steps of each link's path that count (the nearest containers)
    max_links: int = 5000  # links looked at per page

    def __post_init__(self) -> None:
        if self.depth < 1 or self.max_links < 1:
            raise ValueError("depth and max_links must be >= 1")


DEFAULT_SHAPE = ShapeSettings()
DEFAULT_DISCOVERY = DiscoverySettings()


def page_shape(
    body: bytes,
    content_type: str | None = None,
    discovery: DiscoverySettings = DEFAULT_DISCOVERY,
    settings: ShapeSettings = DEFAULT_SHAPE,
) -> str:
    """The page's shape as sorted, space-separated 8-digit hashes ('' when no link names a
    report)."""
    text, _ = decode_html(body, content_type)
    try:
        root = lxml.html.document_fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return ""
    paths: set[str] = set()
    for count, anchor in enumerate(root.iter("a")):
        if count >= settings.max_links:
            break
        if not names_report(clean_text(anchor.text_content()), discovery):
            continue
        steps = []
        node = anchor
        while node is not None and len(steps) < settings.depth:
            if isinstance(node.tag, str) and node.tag not in _SKIPPED:
                steps.append(_step(node))
            node = node.getparent()
        paths.add(" > ".join(reversed(steps)))
    return " ".join(sorted(hashlib.sha256(p.encode()).hexdigest()[:8] for p in paths))


def similarity(before: str, after: str) -> float:
    """Jaccard similarity of two shapes: 1.0 the same, 0.0 nothing in common."""
    a, b = set(before.split()), set(after.split())
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _step(node: lxml.html.HtmlElement) -> str:
    classes = sorted({_DIGITS.sub("", c) for c in (node.get("class") or "").split()} - {""})
    return node.tag + "".join(f".{c}" for c in classes)
