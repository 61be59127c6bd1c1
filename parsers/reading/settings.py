"""Every threshold of the reading stage, gathered in one object (`ReadingSettings`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.headings import HeadingSettings
from parsers.reading.classify import ClassifySettings
from parsers.reading.mapping import MappingSettings
from parsers.reading.ocr_gate import OcrGateSettings


@dataclass(frozen=True)
class ReadingSettings:
    """Settings of the reading stage's steps."""

    headings: HeadingSettings = field(default_factory=HeadingSettings)
    classify: ClassifySettings = field(default_factory=ClassifySettings)
    mapping: MappingSettings = field(default_factory=MappingSettings)
    ocr_gate: OcrGateSettings = field(default_factory=OcrGateSettings)
