"""Discovery: which links of a fetched page lead to reports. Pure functions, no I/O.

Bytes and the page's URL go in; a `Page` comes out, saying what the page is (a list or other
navigation page, a report page, or a pointer page whose attachment carries the report) and
which links to follow, each with its role:

- ``pagination``: another page of the same list (下一页, index_1.html, ?page=2,
  createPageHTML(...) page counts);
- ``report``: a link whose text names a report of a year (…2023年…年度报告);
- ``listing``: a link whose text names reports but no year (a column of reports);
- ``attachment``: a .pdf/.doc/.docx/.wps/.xls/.xlsx file of a report page, or a report-named
  file.

URLs are canonical (`canonical_url`) so that one document is one row.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree

from pipeline.config import DiscoverySettings

DEFAULT_SETTINGS = DiscoverySettings()

DEFAULT_PORTS = {"http": 80, "https": 443}
YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
DIGITS_RE = re.compile(r"^\d{1,4}$")
# Paths and queries of list pages beyond the first: index_1.html, list_2.shtml, ?page=3 ...
PAGED_PATH_RE = re.compile(r"_\d+\.s?html?$", re.IGNORECASE)
PAGED_QUERY_RE = re.compile(
    r"(?:^|&)(?:page|pageno|pageindex|pagenum|curpage|currentpage|p|pn)=\d+(?:&|$)",
    re.IGNORECASE,
)
SCRIPT_PAGES_RE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
SCRIPT_VAR_RE = re.compile(r"\b(?:var|let|const)\s+(\w+)\s*=\s*(\d+)")
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
SPACE_RE = re.compile(r"\s+")
PERCENT_RE = re.compile(r"%[0-9a-fA-F]{2}")
# Encodings that GB18030 is a superset of: decode with the superset.
ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
}
SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "ftp:", "file:", "about:")


@dataclass(frozen=True)
class Link:
    """A link worth following, with why."""

    url: str
    text: str
    role: str  # pagination | report | listing | attachment


@dataclass(frozen=True)
class Page:
    """What a fetched HTML page is and where it leads."""

    url: str
    kind: str  # navigation | report_page | pointer
    title: str
    year: int | None
    encoding: str
    links: tuple[Link, ...]
    notes: tuple[str, ...] = ()  # what was left unread (links over a cap)

    @property
    def attachments(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.role == "attachment")


# ---------------------------------------------------------------- URLs


def canonical_url(
    href: str, base: str | None = None, settings: DiscoverySettings = DEFAULT_SETTINGS
) -> str | None:
    """The canonical absolute form of `href` (resolved against `base`), or None if not http(s).

    Drops the fragment, default ports, dot segments, tracking parameters and userinfo;
    lowercases scheme and host; percent-encodes what must be (keeping what already is).
    """
    href = href.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not href or href.lower().startswith(SKIPPED_SCHEMES):
        return None
    url = urljoin(base, href) if base else href
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _remove_dot_segments(parts.path or "/")
    path = _requote(path, safe="/:@!$&'()*+,;=-._~")
    query = _clean_query(parts.query, settings.tracking_params)
    return urlunsplit((scheme, netloc, path, query, ""))


def site_of(url: str) -> str:
    """A URL's site, its scheme, host and port: 'http://127.0.0.1:8000'."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, keeping a trailing slash."""
    if "." not in path:
        return path
    trailing = path.endswith(("/", "/.", "/.."))
    normal = posixpath.normpath(path)
    if normal.startswith("//"):
        normal = "/" + normal.lstrip("/")
    if trailing and not normal.endswith("/"):
        normal += "/"
    return normal


def _requote(text: str, safe: str) -> str:
    """Percent-encode what must be (spaces, non-ASCII), keep existing escapes, uppercased."""
    quoted = quote(text, safe=safe + "%")
    return PERCENT_RE.sub(lambda m: m[0].upper(), quoted)


def _clean_query(query: str, tracking: tuple[str, ...]) -> str:
    if not query:
        return ""
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        key = unquote(piece.split("=", 1)[0]).lower()
        if any(fnmatchcase(key, pattern) for pattern in tracking):
            continue
        kept.append(_requote(piece, safe="=/:@!$'()*+,;-._~?"))
    return "&".join(kept)


def attachment_extension(url: str, settings: DiscoverySettings = DEFAULT_SETTINGS) -> str | None:
    """'.pdf' if the URL's path names a PDF (and so on for the attachment types), else None."""
    path = urlsplit(url).path.lower()
    for ext in settings.attachment_extensions:
        if path.endswith(ext):
            return ext
    return None


# ---------------------------------------------------------------- text


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page: BOM, then the header's charset, then <meta>, then detection.

    Chinese government pages are often GBK/GB18030 with no charset in the header; GB
    encodings are decoded as GB18030, their superset. Returns (text, encoding).
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff"), name
    candidates = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    match = META_CHARSET_RE.search(body[:4096])
    if match:
        candidates.append(match[1].decode("ascii", "replace").lower())
    candidates += ["utf-8", "gb18030"]
    for name in candidates:
        name = ENCODING_ALIASES.get(name, name)
        try:
            return body.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(body).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return body.decode("gb18030", errors="replace"), "gb18030"


def clean_text(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip()


def names_report(text: str, settings: DiscoverySettings = DEFAULT_SETTINGS) -> bool:
    """True if the text names annual reports (年度报告, 年报 ...), with or without a year."""
    return any(word in text for word in settings.report_words)


def report_year(text: str) -> int | None:
    """The first year 20xx in the text, if any."""
    match = YEAR_RE.search(text)
    return int(match[1]) if match else None


def names_report_of_year(text: str, settings: DiscoverySettings = DEFAULT_SETTINGS) -> bool:
    """True if the text names a report of a year: '2023年政府信息公开工作年度报告'."""
    return names_report(text, settings) and report_year(text) is not None


# ---------------------------------------------------------------- pages


def analyse_page(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    hint: str = "",
    settings: DiscoverySettings = DEFAULT_SETTINGS,
) -> Page:
    """Classify an HTML page and list the links to follow from it.

    `url` is the page's final URL (after redirects); `hint` is the text of the link that led
    here, which often names the report when the page's own <title> is the site's name.
    """
    html_text, encoding = decode_html(body, content_type)
    html_text = XML_DECL_RE.sub("", html_text, count=1)
    try:
        root = lxml.html.document_fromstring(html_text) if html_text.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return Page(url, "navigation", "", None, encoding, ())
    base = url
    for element in root.iter("base"):
        href = element.get("href")
        if href:
            base = canonical_url(href, url, settings) or url
            break

    titles = _titles(root, hint)
    title = next((t for t in titles if t), "")
    report_title = next((t for t in titles if names_report_of_year(t, settings)), None)

    anchors, more_anchors = _anchors(root, base, settings)
    embedded = _embedded_attachments(root, base, settings)
    attachment_links = [a.url for a in anchors if attachment_extension(a.url, settings)] + embedded
    report_links = {
        a.url for a in anchors if a.says == "report" and not attachment_extension(a.url, settings)
    }
    own_text = _own_text_length(root, settings)

    kind = "navigation"
    if report_title is not None:
        kind = "report_page"
        is_list = len(report_links) >= settings.list_min_report_links and not attachment_links
        if is_list and own_text < settings.pointer_phrase_max_text:
            kind = "navigation"
    if kind == "report_page" and attachment_links:
        body_text = clean_text(root.text_content())
        says_see_attachment = any(word in body_text for word in settings.pointer_words)
        if own_text <= settings.pointer_max_text or (
            says_see_attachment and own_text <= settings.pointer_phrase_max_text
        ):
            kind = "pointer"

    links: dict[str, Link] = {}
    notes: list[str] = []
    if more_anchors:
        notes.append(f"more than {settings.max_anchors} links on the page; the rest not read")

    def add(link_url: str, text: str, role: str) -> None:
        if link_url != url and link_url not in links:
            if len(links) < settings.max_links:
                links[link_url] = Link(link_url, text, role)
            elif not any(n.startswith("links followed") for n in notes):
                notes.append(f"links followed capped at {settings.max_links}")

    for a in anchors:
        if attachment_extension(a.url, settings):
            if kind != "navigation" or a.says is not None:
                add(a.url, a.text, "attachment")
        elif _is_pagination(a.url, a.text, url, settings):
            add(a.url, a.text, "pagination")
        elif a.says is not None:
            add(a.url, a.text, a.says)
    announced = script_pages(html_text, url, settings)
    for link_url in announced:
        add(link_url, "", "pagination")
    if len(announced) >= settings.max_script_pages:
        notes.append(f"script pagination capped at {settings.max_script_pages} pages")
    if kind != "navigation":
        for link_url in embedded:
            add(link_url, "", "attachment")
    year = report_year(report_title) if report_title else None
    return Page(
        url, kind, report_title or title, year, encoding, tuple(links.values()), tuple(notes)
    )


def _titles(root: lxml.html.HtmlElement, hint: str) -> list[str]:
    """Where a page names itself, strongest first."""
    found = []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title"):
            found.append(clean_text(meta.get("content") or ""))
    for tag in ("title", "h1", "h2"):
        for element in root.iter(tag):
            found.append(clean_text(element.text_content()))
            break
    found.append(clean_text(hint))
    return found


def _embedded_attachments(
    root: lxml.html.HtmlElement, base: str, settings: DiscoverySettings
) -> list[str]:
    """Documents shown in the page by <iframe>, <embed> or <object> (PDF viewers)."""
    found = []
    for element in root.iter("iframe", "embed", "object"):
        src = element.get("src") or element.get("data")
        link_url = canonical_url(src, base, settings) if src else None
        if link_url and attachment_extension(link_url, settings):
            found.append(link_url)
    return found


@dataclass(frozen=True)
class _Anchor:
    url: str
    text: str  # the link text, or its `title` attribute where that says more
    says: str | None  # "report", "listing" or None: what text, title and URL say together


def _anchors(
    root: lxml.html.HtmlElement, base: str, settings: DiscoverySettings
) -> tuple[list[_Anchor], bool]:
    """Each <a href> with what it says; at most `max_anchors` of them, and whether more were
    left unread."""
    found = []
    read = 0
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        read += 1
        if read > settings.max_anchors:
            return found, True
        link_url = canonical_url(href, base, settings)
        if link_url is None:
            continue
        text = clean_text(anchor.text_content())
        title = clean_text(anchor.get("title") or "")
        says = link_says(text, title, link_url, settings)
        found.append(_Anchor(link_url, title if len(title) > len(text) else text, says))
    return found, False


def link_says(
    text: str, title: str, url: str, settings: DiscoverySettings = DEFAULT_SETTINGS
) -> str | None:
    """What a link names, from its text, its `title` attribute and its URL together: a
    `report` (report words and a year), a `listing` (report words, no year), or nothing.

    CMS list pages cut long link text (…) and keep the whole title in the attribute, or
    print 查看 and name the report only in the title or the path (/zfxxgkndbg/2023/...).
    """
    path = unquote(urlsplit(url).path)
    said = f"{text} {title} {path}"
    cut = text.endswith(settings.cut_marks) and any(
        word in f"{text} {title}" for word in settings.cut_report_words
    )
    if not (
        names_report(said, settings)
        or any(word in path.lower() for word in settings.report_url_words)
        or cut
    ):
        return None
    return "report" if report_year(said) is not None else "listing"


def _own_text_length(root: lxml.html.HtmlElement, settings: DiscoverySettings) -> int:
    """Characters of visible text outside links, in the article body if one is marked."""
    container = None
    for element in root.iter("div", "td", "article", "section"):
        marker = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
        if marker.strip() and any(m in marker for m in settings.content_markers):
            container = element
            break
    if container is None:
        bodies = root.xpath("//body")
        container = bodies[0] if bodies else root
    texts = container.xpath(
        ".//text()[not(ancestor::a or ancestor::script or ancestor::style or ancestor::noscript)]"
    )
    return sum(len(SPACE_RE.sub("", t)) for t in texts)


def _is_pagination(link_url: str, text: str, page_url: str, settings: DiscoverySettings) -> bool:
    """Another page of the list this page belongs to."""
    link = urlsplit(link_url)
    page = urlsplit(page_url)
    if link.netloc != page.netloc or (link.path == "/" and not link.query):
        return False  # another site, or its home page (首页 means both)
    same_path = link.path == page.path
    same_dir = posixpath.dirname(link.path) == posixpath.dirname(page.path)
    if not (same_path or same_dir):
        return False
    lowered = text.lower()
    if lowered in settings.pagination_texts or DIGITS_RE.match(text):
        return True
    if same_path and PAGED_QUERY_RE.search(link.query):
        return True
    return same_dir and bool(PAGED_PATH_RE.search(link.path)) and not text


def script_pages(
    text: str, page_url: str, settings: DiscoverySettings = DEFAULT_SETTINGS
) -> list[str]:
    """List pages announced by TRS-style `createPageHTML(count, current, "index", "html")`.

    Page 0 is index.html, page k is index_k.html, next to the current page. Arguments given
    as variables (`createPageHTML(countPage, currentPage, ...)`) are looked up in
    `var countPage = 5;` assignments. All calls on a page together announce at most
    `max_script_pages` distinct pages; a call repeating an earlier one adds nothing.
    """
    if "createPageHTML" not in text:
        return []
    variables = {name: int(value) for name, value in SCRIPT_VAR_RE.findall(text)}
    pages: dict[str, None] = {}  # distinct, in order
    done: dict[tuple[str, str], int] = {}  # (stem, ext) -> pages already generated
    limit = settings.max_script_pages
    for match in SCRIPT_PAGES_RE.finditer(text):
        args = match[1]
        numbers, strings = [], []
        for arg in (a.strip() for a in args.split(",")):
            if arg.isdigit():
                numbers.append(int(arg))
            elif arg[:1] in "'\"" and arg[-1:] == arg[:1] and len(arg) >= 2:
                strings.append(arg[1:-1])
            elif arg in variables:
                numbers.append(variables[arg])
        if not numbers or len(strings) < 2:
            continue
        count = numbers[0]
        if count < 2 or count > limit:
            continue
        stem, ext = strings[-2], strings[-1]
        first = done.get((stem, ext), 0)
        for k in range(first, count):
            if len(pages) >= limit:
                return list(pages)
            name = f"{stem}.{ext}" if k == 0 else f"{stem}_{k}.{ext}"
            link_url = canonical_url(name, page_url, settings)
            if link_url and link_url != page_url:
                pages.setdefault(link_url)
        done[(stem, ext)] = max(first, count)
    return list(pages)
