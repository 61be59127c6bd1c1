"""Report metadata read from the document itself: title, agency, year, publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.script import fold, label_key, simplified_by_char, to_simplified
from parsers.templates import load_common

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_TITLE_TAIL = re.compile(
    r"(关于)?(的)?(政府信息公开|政府资讯公开|政务公开|信息公开|资讯公开)(工作)?(年度)?(工作)?"
    r"(报告|年报)$"
)
_AGENCY_SUFFIX = (
    r"(?:人民政府办公厅|人民政府办公室|人民政府|管理委员会|委员会|管委会|街道办事处|办公厅|办公室|"
    r"政府|局|厅|委|办|署|院|中心|所|站|队|会)"
)
_AGENCY_IN_TEXT = re.compile(
    r"((?:19|20)\d{2})\s*年度?\s*[,，、]?\s*([\u4e00-\u9fff（）()]{2,30}?" + _AGENCY_SUFFIX + ")"
)
_DATE = re.compile(
    r"(?:发布日期|发布时间|成文日期|日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})"
    r"\s*[-/.月]\s*(\d{1,2})"
)


@dataclass(frozen=True)
class Metadata:
    """What the document says about itself."""

    title: str | None
    agency: str | None
    agency_raw: str | None
    year: int | None
    published: str | None


def _simple(text: str, traditional: bool) -> str:
    return fold(to_simplified(text) if traditional else text)


def find_title(texts: list[str], title_hint: str | None, traditional: bool) -> str | None:
    """The report title: an early short line naming the report, else the page <title>."""
    keywords = load_common().title_keywords
    for i, text in enumerate(texts[:15]):
        # A title is a name, not a sentence.
        if len(text) > 80 or text.rstrip().endswith(("。", "；", ";")) or "，" in text:
            continue
        key = label_key(_simple(text, traditional))
        if any(k in key for k in keywords) and len(key) >= 8:
            # A title printed over two lines: agency above, year and kind below.
            if i and _YEAR.match(_simple(text, traditional).strip()) and len(texts[i - 1]) <= 30:
                prev = texts[i - 1].strip()
                if re.search(_AGENCY_SUFFIX + "$", _simple(prev, traditional)):
                    return prev + text.strip()
            return text.strip()
    if title_hint:
        for part in re.split(r"\s*[_|｜–—-]{1,2}\s*", title_hint):
            key = label_key(_simple(part, traditional))
            if any(k in key for k in keywords):
                return part.strip()
    return None


def agency_from_title(title: str) -> str | None:
    """The body named in a title as printed, years and the report kind removed."""
    printed = re.sub(r"\s+", "", fold(title))
    # Character-wise conversion keeps positions, so the cut found in Simplified applies to
    # the printed text.
    simple = simplified_by_char(printed)
    keep = [True] * len(simple)
    for pattern in (_YEAR, _TITLE_TAIL, re.compile(r"^[《〈“\"]|[》〉”\"]$")):
        for m in pattern.finditer(simple):
            keep[m.start() : m.end()] = [False] * (m.end() - m.start())
    # "XX局关于2021年度…报告": the connective left around the agency goes too.
    for order in (range(len(simple)), range(len(simple) - 1, -1, -1)):
        for i in order:
            if not keep[i]:
                continue
            if simple[i] not in "的关于 ":
                break
            keep[i] = False
    t = "".join(ch for ch, k in zip(printed, keep, strict=True) if k)
    return t or None


def read_metadata(
    texts: list[str], section1: list[str], title_hint: str | None, traditional: bool
) -> Metadata:
    """Title, agency, year and publication date, each only when the document prints it."""
    title = find_title(texts, title_hint, traditional)
    agency_raw = agency_from_title(title) if title else None
    year = None
    if title:
        m = _YEAR.search(fold(title))
        year = int(m.group(1)) if m else None
    if agency_raw is None or year is None:
        for para in section1[:3] + texts[:3]:
            m = _AGENCY_IN_TEXT.search(_simple(para, traditional))
            if m:
                year = year or int(m.group(1))
                if agency_raw is None:
                    agency_raw = _original_span(para, m.group(2), traditional)
                break
    if year is None:
        years = [int(y) for t in (section1[:5] or texts[:10]) for y in _YEAR.findall(fold(t))]
        year = max(set(years), key=years.count) if years else None
    published = None
    for text in texts[:12]:
        m = _DATE.search(fold(text))
        if m:
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                published = f"{y:04d}-{mo:02d}-{d:02d}"
            break
    agency = _simple(agency_raw, traditional) if agency_raw else None
    return Metadata(
        title=title,
        agency=agency,
        agency_raw=agency_raw,
        year=year,
        published=published,
    )


def _original_span(para: str, simple_match: str, traditional: bool) -> str:
    """The printed (possibly Traditional) text of a match found in the Simplified form."""
    if not traditional:
        return simple_match
    simple = _simple(para, traditional)
    pos = simple.find(simple_match)
    # OpenCC phrase conversion can change lengths; fall back to the Simplified match.
    if pos == -1 or len(simple) != len(para):
        return simple_match
    return para[pos : pos + len(simple_match)]
