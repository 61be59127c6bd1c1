"""Decoding: BOM, declared charset, mislabelled and unlabelled GBK, binary and empty input."""

from __future__ import annotations

import pytest

from parsers.errors import SourceError
from parsers.readers.decode import declared_charset, decode

TEXT = "二〇二〇年政府信息公开工作年度报告：本机关共收到政府信息公开申请二十件，均已依法答复。" * 3


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "big5"])
def test_undeclared_encodings_are_detected(encoding: str) -> None:
    text = (
        TEXT
        if encoding != "big5"
        else "政府資訊公開工作年度報告：本機關共收到申請二十件，均已依法答覆。" * 3
    )
    got = decode(text.encode(encoding))
    assert got.text == text


def test_gbk_mislabelled_as_utf8_is_decoded_and_noted() -> None:
    data = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("gbk")
    got = decode(data, declared=declared_charset(data))
    assert TEXT in got.text
    assert got.note and "declared charset utf-8 is wrong" in got.note


def test_declared_gb2312_reads_gbk_extensions() -> None:
    text = TEXT + "镕"  # outside GB2312, inside GBK: real pages declare gb2312 anyway
    data = f'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>{text}'
    got = decode(data.encode("gbk"), declared="gb2312")
    assert text in got.text and got.note is None


def test_bom_wins() -> None:
    assert decode("\ufeff".encode() + TEXT.encode()).text.lstrip("\ufeff") == TEXT


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n", "empty"), (bytes(range(256)) * 20, "binary")],
)
def test_bad_bytes_raise_source_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        decode(data)
