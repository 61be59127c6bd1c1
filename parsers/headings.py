"""Section headings: whether a line of text opens one of the six numbered sections.

Shared by the PDF reader (a heading ends an unruled table) and the section splitter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from parsers.script import fold, label_key, to_simplified
from parsers.templates import load_common
from parsers.vocabulary import load_vocabulary

_NUMERALS = load_vocabulary().section_numerals
_HEADING = re.compile(rf"^\s*(?:第)?([{_NUMERALS}])\s*(?:[、.．,，:：]|部分)\s*(.*)$", re.S)


@dataclass(frozen=True)
class HeadingSettings:
    """How long a heading line may be."""

    max_heading_len: int = 48
    # Characters a heading may carry after its keyword (情况, 的事项) and still be whole.
    max_heading_tail: int = 6
    # A heading printed without its numeral (总体情况) is at most this long.
    max_bare_heading_len: int = 16
    # A numbered line this near a heading's wording (a share of its characters lost or
    # changed, as OCR loses them) is that heading where a table must end.
    damaged_share: float = 0.25


@dataclass(frozen=True)
class Heading:
    """A recognised section heading: section number, its text, and the text after it."""

    no: int
    text: str
    rest: str


_MAY_OPEN = re.compile(rf"\s*第?\s*[{_NUMERALS}]")


def match_heading(
    text: str, traditional: bool, settings: HeadingSettings = HeadingSettings()
) -> Heading | None:
    """The section heading that opens `text`, if it opens with one."""
    if len(text) > settings.max_bare_heading_len and not _MAY_OPEN.match(text):
        return None  # cheap test first: most blocks are paragraphs
    simple = fold(to_simplified(text) if traditional else text).strip()
    m = _HEADING.match(simple)
    if m:
        no = _NUMERALS.index(m.group(1)) + 1
        body = m.group(2)
        spec = load_common().sections[no - 1]
        key = label_key(body[: settings.max_heading_len])
        for kw in spec.keywords:
            pos = key.find(kw)
            if pos != -1 and pos <= 12:
                tail = key[pos + len(kw) :]
                if (
                    len(tail) <= settings.max_heading_tail
                    and len(simple) <= settings.max_heading_len
                ):
                    return Heading(no, text.strip(), "")
                # A heading run into its first paragraph: split after the keyword.
                cut = _cut_after(
                    text, kw + ("情况" if tail.startswith("情况") else ""), traditional
                )
                if cut is not None:
                    return Heading(no, text[:cut].strip(), text[cut:].lstrip("。，,.：: \t"))
        return None
    if len(simple) <= settings.max_bare_heading_len:
        key = label_key(simple)
        for spec in load_common().sections:
            if key == label_key(spec.heading):
                return Heading(spec.no, text.strip(), "")
    return None


def near_heading(
    text: str, traditional: bool, settings: HeadingSettings = HeadingSettings()
) -> int | None:
    """The section whose heading a numbered line is, though characters of it are lost or
    changed ('四、政府信息公開行政複、行政情况' read by OCR); None for any other line."""
    simple = fold(to_simplified(text) if traditional else text).strip()
    m = _HEADING.match(simple)
    if not m or len(simple) > settings.max_heading_len:
        return None
    no = _NUMERALS.index(m.group(1)) + 1
    key, want = label_key(m.group(2)), label_key(load_common().sections[no - 1].heading)
    if Levenshtein.distance(key, want) <= settings.damaged_share * len(want):
        return no
    return None


def _cut_after(text: str, keyword: str, traditional: bool) -> int | None:
    """Index in `text` just after the characters that spell `keyword`."""
    chars = iter(keyword)
    want = next(chars, None)
    for i, ch in enumerate(text):
        c = label_key(to_simplified(ch) if traditional else ch)
        if c and want is not None and c == want:
            want = next(chars, None)
            if want is None:
                return i + 1
    return None
