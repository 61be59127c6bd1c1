"""Narrative figures: value, unit and qualifier, never a date, document number or phone."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from parsers import parse
from parsers.reading.narrative import chinese_number, find_figures
from synth.narrative import make_sentences
from tests.conftest import REAL

LABELLED = Path(__file__).parent.parent / "fixtures" / "narrative" / "real-sentences.json"
# Numbers that are never figures, as they appear in the labelled sentences.
NOT_FIGURES = re.compile(
    r"(?:19|20)\d{2}(?:年\d{1,2}月\d{1,2}日|-\d{2}-\d{2})|〔\d{4}〕\d+号|0\d{3}-\d{7,8}|1\d{10}"
    r"|邮编：\d{6}|第\d+次"
)


def _score(sentences: list[dict]) -> tuple[int, int, list]:
    """(labelled figures, found with the right value, unit and qualifier, wrong ones)."""
    total = right = 0
    wrong = []
    for s in sentences:
        got = [(f.value, f.unit, f.qualifier) for f in find_figures(s["sentence"])]
        want = [(Decimal(f["value"]), f["unit"], f["qualifier"]) for f in s["figures"]]
        total += len(want)
        right += sum(1 for w in want if w in got)
        wrong += [(s["sentence"], g) for g in got if g not in want]
    return total, right, wrong


def test_generated_labelled_sentences() -> None:
    sentences = make_sentences(200, 1)
    total, right, wrong = _score(sentences)
    assert total > 300 and right / total >= 0.98, (right, total)
    assert not wrong


def test_real_labelled_sentences() -> None:
    sentences = json.loads(LABELLED.read_text(encoding="utf-8"))
    total, right, wrong = _score(sentences)
    assert len(sentences) + 200 >= 150 and total > 100
    assert right / total >= 0.98 and not wrong, wrong


def test_no_figure_comes_from_a_date_a_document_number_or_a_phone() -> None:
    sentences = make_sentences(200, 2) + json.loads(LABELLED.read_text(encoding="utf-8"))
    seen = 0
    for s in sentences:
        text = s["sentence"]
        spans = [m.span() for m in NOT_FIGURES.finditer(text)]
        seen += len(spans)
        for f in find_figures(text):
            assert not any(a < f.end and f.start < b for a, b in spans), (text, f.phrase)
    assert seen > 100


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("主动公开各类信息近30万条", 300000, "条", "近"),
        ("公开重点领域信息13000余条", 13000, "条", "余"),
        ("点击量800余万次", 8000000, "次", "余"),
        ("满意率95%以上", 95, "%", "以上"),
        ("组织培训三十次", 30, "次", None),
        ("办结1,234件", 1234, "件", None),
        ("办结１，２３４件", 1234, "件", None),
        ("收取信息处理费3.5万元", Decimal("3.5"), "万元", None),
        ("用户已突破550万", 5500000, None, "突破"),
        ("依法办理申請4000餘件", 4000, "件", "餘"),
    ],
)
def test_figure_forms(text, value, unit, qualifier) -> None:
    (f,) = find_figures(text)
    assert (f.value, f.unit, f.qualifier) == (Decimal(value), unit, qualifier)
    assert text[f.start : f.end] == f.phrase


@pytest.mark.parametrize(
    "text",
    [
        "统计期限自2021年1月1日起至2021年12月31日止",
        "按照国办公开办函〔2021〕30号要求",
        "联系电话：0517-83605678，邮编：223001",
        "第3次常务会议",
        "一是加强领导，三类内部事务信息，一事一审",
        "12345热线",
    ],
)
def test_not_figures(text) -> None:
    assert find_figures(text) == ()


def test_chinese_numerals() -> None:
    assert [chinese_number(t) for t in ("三十", "一百零五", "两千", "三〇五", "十二")] == [
        30, 105, 2000, 305, 12,
    ]  # fmt: skip


def test_the_seed_reports_figures_are_found_with_sentence_and_offsets() -> None:
    report = parse((REAL / "zhengzhou-city-2020.txt").read_bytes(), "z.txt")
    found = {(f.phrase, f.value, f.qualifier) for f in report.narrative}
    assert ("近30萬條", 300000, "近") in found
    assert ("4000餘件", 4000, "餘") in found
    section = {s.no: s.text for s in report.sections}
    for f in report.narrative:
        assert section[f.section_no][f.start : f.end] == f.phrase
