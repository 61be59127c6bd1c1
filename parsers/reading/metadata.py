"""Report metadata from the places that carry it: title, signature (落款), preface.

The agency is taken from the title first, then from the closing signature (an agency's name
on a line of its own above or beside the date), then from the preface (本报告由…编制), last from
the subject of the narrative's first sentence, and only ever a candidate that looks like an
agency's name (it ends with the name of a kind of body and holds no word of a sentence:
市政府坚持以… and 我局 are no names). Where title and signature name
different bodies, the title's is kept and both are recorded. The year comes from the title,
then from the statistics period (统计期限自2023年1月1日起…). The vocabulary is template
data (`common.toml`, `[vocabulary.metadata]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from parsers.script import fold, label_key, simplified_by_char, to_simplified
from parsers.templates import load_common
from parsers.vocabulary import MetadataVocabulary, load_vocabulary

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
# Paragraphs before section 一 searched for the body compiling the report.
_PREFACE_PARAGRAPHS = 12
_QUOTES = re.compile(r"^[《〈“\"]|[》〉”\"]$")


@dataclass(frozen=True)
class Metadata:
    """What the document says about itself, and where the agency was read."""

    title: str | None
    agency: str | None
    agency_raw: str | None
    year: int | None
    published: str | None
    agency_from: str | None = None  # title | signature | preface | opening
    # A second body named elsewhere (title and signature disagreeing), for a diagnosis.
    disagreement: str | None = None


@dataclass(frozen=True)
class _Patterns:
    title_tail: re.Pattern[str]
    label: re.Pattern[str]
    keyword: re.Pattern[str]
    breadcrumbs: tuple[str, ...]
    suffix: re.Pattern[str]
    preface: tuple[re.Pattern[str], ...]
    period: re.Pattern[str]
    date: re.Pattern[str]
    date_line: re.Pattern[str]
    # The signature's date closing a text (…为优秀。X局2025年1月20日): `date_line` unanchored.
    date_at_end: re.Pattern[str]
    stopwords: tuple[str, ...]
    place_marks: str


@cache
def _patterns() -> _Patterns:
    v: MetadataVocabulary = load_vocabulary().metadata
    suffixes = "|".join(sorted(v.agency_suffixes, key=len, reverse=True))
    labels = "|".join(v.date_labels)
    keywords = "|".join(sorted(load_common().title_keywords, key=len, reverse=True))
    return _Patterns(
        title_tail=re.compile(v.title_tail),
        label=re.compile(rf"^(?:{'|'.join(v.title_labels)})\s*[:：]\s*"),
        keyword=re.compile(keywords),
        breadcrumbs=v.breadcrumbs,
        suffix=re.compile(f"(?:{suffixes})$"),
        preface=tuple(re.compile(p) for p in v.preface_patterns),
        period=re.compile(v.period_pattern),
        date=re.compile(
            rf"(?:{labels})\s*[:：]?\s*((?:19|20)\d{{2}})\s*[-/.年]\s*(\d{{1,2}})"
            r"\s*[-/.月]\s*(\d{1,2})"
        ),
        date_line=re.compile(v.date_line),
        date_at_end=re.compile(v.date_line.removeprefix("^")),
        stopwords=v.agency_stopwords,
        place_marks=v.place_marks,
    )


def _simple(text: str, traditional: bool) -> str:
    return fold(to_simplified(text) if traditional else text)


def looks_like_agency(name: str, *, kind: bool = True) -> bool:
    """Whether a text can be an agency's name: short, ideographs only, holding no word of a
    sentence (我局坚持…, 市政府坚持以人民为中心), and (`kind`) ending with the name of a kind
    of body. A title names its body without that (平潭综合实验区2021年度…报告)."""
    p = _patterns()
    compact = re.sub(r"\s+", "", name)
    if not 2 <= len(compact) <= 40 or not re.fullmatch(r"[\u4e00-\u9fff（）()·]+", compact):
        return False
    if kind and not p.suffix.search(compact):
        return False
    return not any(w in compact for w in p.stopwords)


def find_title(texts: list[str], title_hint: str | None, traditional: bool) -> str | None:
    """The report title: the early line (or span of a long line, a page flattened) naming the
    report that says most about it (a year, a body), else the page <title>."""
    keywords = load_common().title_keywords
    p = _patterns()
    candidates: list[str] = []
    for i, text in enumerate(texts[:15]):
        text = p.label.sub("", text.strip())
        # A title is a name, not a sentence.
        if len(text) > 80 or text.rstrip().endswith(("。", "；", ";")) or "，" in text:
            if i < 3:
                candidates += _titles_in_line(text, traditional)
            continue
        key = label_key(_simple(text, traditional))
        if not (any(k in key for k in keywords) and len(key) >= 8):
            continue
        # A title printed over two lines: agency above, year and kind below.
        if i and _YEAR.match(_simple(text, traditional).strip()) and len(texts[i - 1]) <= 30:
            prev = texts[i - 1].strip()
            if looks_like_agency(_simple(prev, traditional)):
                text = prev + text.strip()
        candidates.append(_without_crumbs(text, traditional))
    if candidates:
        return max(candidates, key=lambda t: _says(t, traditional))  # the first of the best
    if title_hint:
        for part in re.split(r"\s*[_|｜–—-]{1,2}\s*", title_hint):
            key = label_key(_simple(part, traditional))
            if any(k in key for k in keywords):
                return part.strip()
    return None


def _says(title: str, traditional: bool) -> int:
    """How much a title tells: 2 for a year, 1 for a body named."""
    agency = agency_from_title(title)
    named = agency is not None and looks_like_agency(_simple(agency, traditional), kind=False)
    return 2 * bool(_YEAR.search(fold(title))) + named


def _without_crumbs(text: str, traditional: bool) -> str:
    """A title without the breadcrumb a page prints before it (您现在的位置：首页>信息公开>…):
    leading parts up to a separator that are breadcrumb words, then breadcrumb words."""
    p = _patterns()
    simple = _simple(text, traditional)
    if len(simple) != len(text):
        return text
    start = 0
    for m in re.finditer(r"[：:>]", simple):
        part = simple[start : m.start()].strip()
        if not part or not _crumbs_only(part, p.breadcrumbs):
            break
        start = m.end()
    while True:
        crumb = next((c for c in p.breadcrumbs if simple.startswith(c, start)), None)
        if crumb is None:
            return text[start:].strip()
        start += len(crumb)


def _crumbs_only(part: str, crumbs: tuple[str, ...]) -> bool:
    """Whether a text is nothing but breadcrumb words (首页, 信息公开, 您现在的位置 …)."""
    while part:
        crumb = next((c for c in crumbs if part.startswith(c)), None)
        if crumb is None:
            return False
        part = part[len(crumb) :].strip()
    return True


def _titles_in_line(text: str, traditional: bool) -> list[str]:
    """Titles inside a long line: the words before each report keyword, back to the previous
    punctuation or keyword, breadcrumb words taken off, naming a year (never inside 《…》: a
    document's name)."""
    p = _patterns()
    simple = _simple(text, traditional)
    if len(simple) != len(text):
        return []
    out = []
    start = 0
    for m in p.keyword.finditer(simple):
        cut = max(start, *(simple.rfind(ch, start, m.start()) + 1 for ch in "：:，,。；; 》>《、"))
        inside = simple.count("《", 0, m.start()) > simple.count("》", 0, m.start())
        start = m.end()
        if not inside:
            out.append(_without_crumbs(text[cut : m.end()], traditional))
    # Only a span that names its year is taken for a title: a sentence mentioning reports
    # in general (各部门等政府信息公开工作年度报告) is none.
    return [t for t in out if t and _YEAR.search(fold(t))]


def agency_from_title(title: str) -> str | None:
    """The body named in a title as printed, years and the report kind removed."""
    printed = re.sub(r"\s+", "", fold(title))
    # Character-wise conversion keeps positions, so the cut found in Simplified applies to
    # the printed text.
    simple = simplified_by_char(printed)
    keep = [True] * len(simple)
    for pattern in (_YEAR, _patterns().title_tail, _QUOTES):
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


def _from_signature(closing: list[str], traditional: bool) -> str | None:
    """The body signing the report: a name on its own line next to the date line, or a name
    followed by the date on one line (at the end of the document)."""
    p = _patterns()
    lines = [re.sub(r"\s+", " ", t).strip() for t in closing]
    simple = [_simple(t, traditional) for t in lines]
    for i in range(len(lines) - 1, -1, -1):
        if p.date_line.match(simple[i].replace(" ", "")):
            for j in (i - 1, i + 1):
                if 0 <= j < len(lines) and looks_like_agency(simple[j]):
                    return lines[j].replace(" ", "")
        parts = lines[i].rsplit(" ", 1)
        if len(parts) == 2 and p.date_line.match(_simple(parts[1], traditional)):
            if looks_like_agency(_simple(parts[0], traditional)):
                return parts[0].replace(" ", "")
    # A page flattened to a few lines: the signature runs on after the last sentence
    # (…考核结果为优秀。宁波市鄞州区医疗保障局2025年1月20日).
    if lines:
        last = simple[-1]
        date = p.date_at_end.search(last)
        if date:
            head = last[: date.start()].rstrip()
            start = max(head.rfind(ch) for ch in "。；;！!？?") + 1
            name = head[start:].replace(" ", "")
            if start > 0 and looks_like_agency(name):
                return _original_span(lines[-1], name, traditional)
    return None


def _from_preface(preface: list[str], traditional: bool) -> str | None:
    """The body the preface says compiled the report (本报告由…编制, …编制本报告)."""
    # The whole preface: a page's header fields (标题:, 发布机构:) may come first.
    for para in preface[:_PREFACE_PARAGRAPHS]:
        simple = _simple(para, traditional)
        for pattern in _patterns().preface:
            for m in pattern.finditer(simple):
                name = m.group("agency")
                # 本报告由X根据…: the name may open with the words before it (根据《…》，X),
                # or, in a flattened page, with the title or date it runs on from
                # (…工作年度报告X根据…, 发布日期：2024年2月26日X根据…).
                name = re.split(r"[，,、：:]|报告|[0-9]日", name)[-1]
                if looks_like_agency(name):
                    return _original_span(para, name, traditional)
    return None


def _from_opening(paragraphs: list[str], traditional: bool) -> str | None:
    """A body named as the subject of the narrative's first sentence (2020年，郑州市人民政府以…),
    only when what stands there is a proper name: a place or body before the kind of body
    (市政府 alone, 我局 or 市政府坚持以… are no name)."""
    p = _patterns()
    for para in paragraphs[:2]:
        simple = _simple(para, traditional)
        m = re.match(r"\s*(?:19|20)\d{2}\s*年度?\s*[，,、]?\s*", simple)
        if not m:
            continue
        rest = simple[m.end() :]
        for end in range(3, min(len(rest), 40) + 1):
            name = rest[:end]
            kind = p.suffix.search(name)
            if kind and looks_like_agency(name):
                place = name[: kind.start()]
                if len(place) >= 2 and any(ch in p.place_marks for ch in place[1:]):
                    return _original_span(para, name, traditional)
                break
    return None


def read_metadata(
    texts: list[str],
    preface: list[str],
    opening_paragraphs: list[str],
    closing: list[str],
    title_hint: str | None,
    traditional: bool,
) -> Metadata:
    """Title, agency, year and publication date, each only when the document prints it.

    `preface`: the paragraphs before section 一; `opening_paragraphs`: section 一's first;
    `closing`: the last lines of the document.
    """
    p = _patterns()
    title = find_title(texts, title_hint, traditional)
    named = {}
    if title:
        candidate = agency_from_title(title)
        if candidate and looks_like_agency(_simple(candidate, traditional), kind=False):
            named["title"] = candidate
    signature = _from_signature(closing, traditional)
    if signature:
        named["signature"] = signature
    if not named:
        from_preface = _from_preface(preface, traditional)
        if from_preface:
            named["preface"] = from_preface
    if not named:
        opening = _from_opening(opening_paragraphs, traditional)
        if opening:
            named["opening"] = opening
    agency_from = next(iter(named), None)
    agency_raw = named.get(agency_from) if agency_from else None
    disagreement = None
    if "title" in named and "signature" in named:
        a, b = (_simple(named[k], traditional) for k in ("title", "signature"))
        if a not in b and b not in a:
            disagreement = (
                f"the title names {named['title']}, the signature {named['signature']}; "
                "the title's is kept"
            )
    year = None
    if title:
        m = _YEAR.search(fold(title))
        year = int(m.group(1)) if m else None
    if year is None:
        for para in preface[:3] + opening_paragraphs[:2] + texts[:6]:
            m = p.period.search(_simple(para, traditional))
            if m:
                year = int(m.group(1))
                break
    if year is None:
        # Last, the year the opening paragraphs speak of most.
        years = [
            int(y) for t in (opening_paragraphs[:5] or texts[:10]) for y in _YEAR.findall(fold(t))
        ]
        year = max(set(years), key=years.count) if years else None
    published = None
    for text in texts[:12]:
        m = p.date.search(fold(text))
        if m:
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                published = f"{y:04d}-{mo:02d}-{d:02d}"
            break
    agency = _simple(agency_raw, traditional) if agency_raw else None
    return Metadata(title, agency, agency_raw, year, published, agency_from, disagreement)


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
