"""Figures stated in a report's prose: text in, figures out (no database, no I/O).

A figure is a number followed by a unit of count or money (件, 条, 次, 人次, 场, 万元, % …),
with the multiplier (万, 亿) and the qualifier the sentence gives it: 近30万条 → 300000 条,
qualifier 近 ("nearly"); 13000余条 → 13000 条, 余 ("more than"); 95%以上 → 95 %, 以上.
Chinese numerals count only before a unit (三十件, 一百余次), so 一是, 三类 and 一事一审 are
not figures. A number with no unit is never taken, which leaves out dates (2021年1月1日),
document numbers (〔2021〕30号), phone numbers and postcodes; ordinals (第3次) and numbers
inside a bracketed document number or a phone-like run are refused explicitly too.

Offsets are character positions in the text given (a section's printed text), so a figure
can be found again; Traditional script is read as printed (萬, 餘, 條 …).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal

from parsers.model import NarrativeFigure, Section

# Units of count or money a figure may carry, longest first (Simplified and Traditional).
UNITS = (
    "人次", "件次", "条次", "篇次", "场次", "場次", "个工作日", "工作日", "万元", "亿元", "元",
    "件", "条", "條", "次", "场", "場", "篇", "个", "個", "家", "期", "项", "項", "份",
    "人", "名", "批", "户", "戶", "部", "本", "册", "冊", "天", "套", "起", "类", "類",
    "%", "％",
)  # fmt: skip
# Units whose count needs a following unit to be a figure only when written in digits.
_WEAK_UNITS = {"类", "類", "起", "部", "本", "天"}
QUALIFIERS_BEFORE = {
    "近": "nearly",
    "约": "about",
    "約": "about",
    "逾": "more than",
    "超过": "more than",
    "超過": "more than",
    "超": "more than",
    "突破": "more than",
}
QUALIFIERS_AFTER = {
    "余": "more than",
    "餘": "more than",
    "多": "more than",
    "以上": "at least",
    "左右": "about",
    "以内": "at most",
    "以內": "at most",
}
_MULTIPLIERS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．％", "0123456789,.%")
_FULLWIDTH_FIGURE = re.compile("[０-９％]")
_FULLWIDTH_SEPARATOR = re.compile(r"\d[，．]\d")

_UNIT = "|".join(re.escape(u) for u in UNITS)
_AFTER = "|".join(re.escape(q) for q in sorted(QUALIFIERS_AFTER, key=len, reverse=True))
_BEFORE = "|".join(re.escape(q) for q in sorted(QUALIFIERS_BEFORE, key=len, reverse=True))
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[零〇一二两兩三四五六七八九十百千]+"
FIGURE = re.compile(
    # Where no qualifier or numeral starts, fail at once (the scan visits every character).
    rf"(?=[{''.join(sorted({q[0] for q in QUALIFIERS_BEFORE}))}\d{_CHINESE[1:-2]}])"
    rf"(?P<before>{_BEFORE})?"
    rf"(?P<num>(?<![\d,.]){_ARABIC}|{_CHINESE})"
    # A figure needs a unit or a multiplier: numbers without one are passed over in the
    # regex engine, not one by one in Python (most numbers in prose are dates and 一是).
    rf"(?=(?:{_AFTER}){{0,2}}(?:[万萬亿億]|{_UNIT}))"
    rf"(?P<mid>{_AFTER})?"
    rf"(?P<mult>[万萬亿億])?"
    rf"(?P<mid2>{_AFTER})?"
    rf"(?P<unit>{_UNIT})?"
    rf"(?P<after>{_AFTER})?"
)
_SENTENCE_END = re.compile(r"[。！？；;!?\n]")
_CLAUSE_END = re.compile(r"[，,、：:。；;！？!?\n]")
# Context that makes a number something other than a count.
_ORDINAL_BEFORE = ("第",)
_PHONE_BEFORE = re.compile(r"(?:\d[\d\-－]*[\-－]|电话|電話|传真|傳真|邮编|郵編|热线|熱線)[:：]?$")
_GLUE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-－/")
_DOC_NUMBER_BEFORE = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]$")

# What a clause says a count is, by its words (templates.md: narratives count differently,
# so a comparison with the table is a warning only).
SUBJECTS = (
    ("requests_carried_over", ("上年结转", "上年度结转", "上年結轉", "上年度結轉")),
    ("requests_carried_forward", ("结转下年", "结转至下年", "結轉下年", "结转到下年")),
    ("requests_received", ("收到", "受理", "新收", "接收")),
    ("requests_handled", ("办结", "答复", "辦結", "答覆")),
)
_REQUEST_WORDS = ("申请", "申請")


def chinese_number(text: str) -> int | None:
    """三十 → 30, 一百二十 → 120, 两千 → 2000, 三〇五 → 305; None if not a numeral."""
    if not text:
        return None
    if all(c in _CN_DIGITS for c in text):
        if len(text) == 1:
            return _CN_DIGITS[text]
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in "零〇" and digit is None:
            continue  # 一百零五: the zero only marks a skipped place
        if c in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _qualifier(m: re.Match) -> tuple[str | None, str | None]:
    """The printed qualifier of a figure and its meaning."""
    for group, table in (("mid", QUALIFIERS_AFTER), ("mid2", QUALIFIERS_AFTER),
                         ("after", QUALIFIERS_AFTER), ("before", QUALIFIERS_BEFORE)):  # fmt: skip
        q = m.group(group)
        if q and table[q]:
            return q, table[q]
    return None, None


def _refused(text: str, start: int, num: str, unit: str) -> bool:
    """Whether the context makes this number an ordinal, a document number or a phone."""
    head = text[max(0, start - 12) : start]
    if head.endswith(_ORDINAL_BEFORE) or _PHONE_BEFORE.search(head):
        return True
    if _DOC_NUMBER_BEFORE.search(head):
        return True
    if num[0] not in "0123456789" and unit in _WEAK_UNITS:
        return True
    # Digits glued to letters or other digits (codes, phone extensions).
    return bool(start and text[start - 1] in _GLUE)


def _subject(clause: str, sentence: str) -> str | None:
    """What the clause before a number says it counts, when the sentence is about requests."""
    if not any(w in sentence for w in _REQUEST_WORDS) and "结转" not in clause:
        return None
    for subject, words in SUBJECTS:
        if any(w in clause for w in words):
            return subject
    return None


def _sentence(text: str, start: int, at: int) -> str:
    """The whole sentence that starts at start and holds position at."""
    end = _SENTENCE_END.search(text, at)
    return text[start : end.start() if end else len(text)]


def find_figures(text: str, section_no: int = 0) -> tuple[NarrativeFigure, ...]:
    """Every figure stated in a text, in order, with sentence number and offsets."""
    # translate() is slow on CJK text; most texts have nothing to fold.
    fold = _FULLWIDTH_FIGURE.search(text) or _FULLWIDTH_SEPARATOR.search(text)
    folded = text.translate(_FULLWIDTH) if fold else text
    out: list[NarrativeFigure] = []
    # Boundaries found once, looked up by bisection: a long section has hundreds of figures.
    sentence_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(folded)]
    clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(folded)]
    for m in FIGURE.finditer(folded):
        num, unit = m.group("num"), m.group("unit") or ""
        start = m.start("num")
        # A figure needs a unit; 550万 (no unit) counts when a multiplier says it is a count.
        if not unit and not m.group("mult"):
            continue
        if num == "一" or _refused(folded, start, num, unit):
            continue
        if num[0] in "0123456789":
            value = Decimal(num.replace(",", ""))
        else:
            n = chinese_number(num)
            if n is None:
                continue
            value = Decimal(n)
        mult = m.group("mult")
        if mult and unit == "元":
            unit = "亿元" if mult in "亿億" else "万元"  # 1万元 stays 1 万元, as tables print it
        elif mult:
            value *= _MULTIPLIERS[mult]
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        q, meaning = _qualifier(m)
        sentence = bisect_right(sentence_starts, m.start()) - 1
        clause_start = clause_starts[bisect_right(clause_starts, m.start()) - 1]
        out.append(
            NarrativeFigure(
                section_no=section_no,
                sentence_no=sentence,
                start=m.start(),
                end=m.end(),
                value=value,
                unit="%" if unit in ("%", "％") else unit or None,
                qualifier=q,
                meaning=meaning,
                phrase=text[m.start() : m.end()],
                subject=_subject(
                    folded[clause_start : m.start()],
                    _sentence(folded, sentence_starts[sentence], m.start()),
                )
                if unit == "件"
                else None,
            )
        )
    return tuple(out)


def narrative_figures(sections: tuple[Section, ...]) -> tuple[NarrativeFigure, ...]:
    """The figures of every present section, offsets into each section's printed text."""
    out: list[NarrativeFigure] = []
    for s in sections:
        if s.present and s.text:
            out += find_figures(s.text, s.no)
    return tuple(out)
