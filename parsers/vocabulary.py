"""What documents print around the figures: dashes, units, numerals, title and agency words.

Template data (`templates/common.toml`, `[vocabulary]`), loaded here rather than in
`parsers.templates` because label keys (`parsers.script`) need the enumerator numerals and
the templates need label keys.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_COMMON = Path(__file__).parent / "templates" / "common.toml"


@dataclass(frozen=True)
class MetadataVocabulary:
    """What the metadata step looks for: title tail, agency names, preface, period, dates."""

    title_tail: str
    title_labels: tuple[str, ...]
    breadcrumbs: tuple[str, ...]
    agency_suffixes: tuple[str, ...]
    agency_stopwords: tuple[str, ...]
    place_marks: str
    preface_patterns: tuple[str, ...]
    period_pattern: str
    date_labels: tuple[str, ...]
    date_line: str


@dataclass(frozen=True)
class Vocabulary:
    """What the documents print around the figures (common.toml `[vocabulary]`)."""

    dashes: frozenset[str]
    money_units: tuple[str, ...]
    count_units: tuple[str, ...]
    section_numerals: str
    enumerator_numerals: str
    metadata: MetadataVocabulary


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary printed around the figures (common.toml `[vocabulary]`)."""
    data = tomllib.loads(_COMMON.read_text(encoding="utf-8"))["vocabulary"]
    meta = data["metadata"]
    return Vocabulary(
        dashes=frozenset(data["dashes"]),
        money_units=tuple(data["money_units"]),
        count_units=tuple(data["count_units"]),
        section_numerals=data["section_numerals"],
        enumerator_numerals=data["enumerator_numerals"],
        metadata=MetadataVocabulary(
            title_tail=meta["title_tail"],
            title_labels=tuple(meta["title_labels"]),
            breadcrumbs=tuple(meta["breadcrumbs"]),
            agency_suffixes=tuple(meta["agency_suffixes"]),
            agency_stopwords=tuple(meta["agency_stopwords"]),
            place_marks=meta["place_marks"],
            preface_patterns=tuple(meta["preface_patterns"]),
            period_pattern=meta["period_pattern"],
            date_labels=tuple(meta["date_labels"]),
            date_line=meta["date_line"],
        ),
    )
