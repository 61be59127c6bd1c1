"""Script detection and normalisation: Traditional to Simplified, widths, label keys."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

from parsers.vocabulary import load_vocabulary

# Taiwan phrasing back to mainland phrasing (最佳化 → 优化, 檔案 → 文件), as the seed needs.
_T2S = opencc.OpenCC("tw2sp")
_PROBE = opencc.OpenCC("t2s")

_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
# A Chinese character.
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
# Words a cell prints for "none" (无, 無): the dashes that are words.
NONE_WORDS = frozenset(d for d in load_vocabulary().dashes if IDEOGRAPH.search(d))
# Enumerators that open a label: 一、 （一） (一) 1. 1、 1． and the like. Both patterns see
# text folded by NFKC, which turns a circled ③ into a bare 3 (`enumerated` looks for it).
_N = load_vocabulary().enumerator_numerals
_ENUM = re.compile(rf"^(?:[{_N}]+[、.，,]|[（(][{_N}\d]+[）)]|\d+[、.．,，])")
# An enumerator anywhere in a label, its number captured (the last one is the label's own:
# 三、本年度办理结果（一）予以公开 is item 一 of group 三).
_ENUM_ANY = re.compile(
    rf"(?:(?<![\w])([{_N}]+)[、.．，,]|[（(]([{_N}\d]+)[）)]|(?<![\w])(\d+)[、.．,，](?!\d))"
)
_NUMERALS = {ch: i for i, ch in enumerate(_N, start=1)}
_CIRCLED = re.compile("^[①-⑳]")
# Everything that is not a letter, digit or CJK ideograph is dropped from a key.
_NOT_KEY = re.compile(r"[^\w]|_", re.UNICODE)


def detect_script(text: str, *, sample: int = 4500) -> str:
    """`traditional` when more than 1% of the ideographs in the text's first `sample`
    characters are ones that Traditional→Simplified conversion changes."""
    head = text[:sample]
    seen = len(_NOT_CJK.sub("", head))
    hits = len(_traditional_pattern().findall(head))
    return "traditional" if seen and hits / seen > 0.01 else "simplified"


def has_traditional(text: str) -> bool:
    """Whether a text holds an ideograph that Traditional→Simplified conversion changes (a
    Traditional or variant form, as careless typing leaves in Simplified text: 屬於, 祕)."""
    return _traditional_pattern().search(text) is not None


@cache
def _traditional_pattern() -> re.Pattern[str]:
    """One character class of every ideograph conversion changes (counted in C, not Python)."""
    return re.compile("[" + "".join(sorted(_traditional_only())) + "]")


@cache
def _traditional_only() -> frozenset[str]:
    """The ideographs that Traditional→Simplified conversion changes (once per process)."""
    every = "".join(map(chr, range(0x4E00, 0xA000)))
    simple = _PROBE.convert(every)
    if len(simple) != len(every):  # conversion is character for character here
        simple = "".join(_PROBE.convert(ch) for ch in every)
    return frozenset(a for a, b in zip(every, simple, strict=True) if a != b)


def to_simplified(text: str) -> str:
    """Traditional (Taiwan phrasing included) to Simplified mainland wording."""
    return _T2S.convert(text)


def simplified_by_char(text: str) -> str:
    """Traditional to Simplified character by character (lengths kept, wording kept)."""
    out = _PROBE.convert(text)
    return out if len(out) == len(text) else text


def simplified_readings(text: str) -> tuple[str, ...]:
    """Both Simplified readings of a Traditional text: by phrase and by character.

    Phrase conversion undoes Taiwan wording (檔案 → 文件) but can overreach (查詢 → 查找);
    character conversion keeps the wording. A label matches if either reading does.
    """
    by_phrase = _T2S.convert(text)
    by_char = _PROBE.convert(text)
    return (by_phrase,) if by_phrase == by_char else (by_phrase, by_char)


def fold(text: str) -> str:
    """Full-width to half-width and compatibility forms folded (NFKC), nbsp to space."""
    return unicodedata.normalize("NFKC", text)


def enumerated(text: str) -> bool:
    """Whether a label opens with an enumerator of its own, a circled one (③) included:
    `enumerator_number` reads no number from those (NFKC folds them to bare digits first;
    OCR misreads them too), but they open a row's label as any enumerator does."""
    return enumerator_number(text) is not None or bool(_CIRCLED.match(text.strip()))


@lru_cache(maxsize=8192)
def enumerator_number(text: str) -> int | None:
    """The number of a label's own enumerator (（七）总计 → 7, 3.其他 → 3), if it has one."""
    found = _ENUM_ANY.findall(fold(text))
    if not found:
        return None
    word = next(x for x in found[-1] if x)
    if word.isdigit():
        return int(word)
    if len(word) == 1:
        return numeral(word)
    if word.startswith("十"):  # 十一 … 十九
        return 10 + _NUMERALS.get(word[1:], 0)
    return None


def numeral(ch: str) -> int | None:
    """The number one character of an enumerator says (一 → 1, 7 → 7), if it is one: what an
    enumerator leaves in a label key, its brackets and point dropped."""
    return int(ch) if ch.isdigit() and ch.isascii() else _NUMERALS.get(ch)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The comparable form of a label: folded, enumerator and punctuation removed."""
    t = fold(text)
    t = re.sub(r"\s+", "", t)
    if len(t) >= 4 and len(t) % 2 == 0 and t[::2] == t[1::2]:
        # Every character twice (予予以以公公开开): a bold face drawn twice, read twice.
        t = t[::2]
    while True:
        stripped = _ENUM.sub("", t, count=1)
        if stripped == t:
            break
        t = stripped
    return _NOT_KEY.sub("", t)
