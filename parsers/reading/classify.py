"""Which canonical table a grid is, and which format the report's tables are in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from parsers.reading.cells import Grid
from parsers.templates import Format, load_format


@dataclass(frozen=True)
class ClassifySettings:
    """How much of a table's vocabulary a grid must print to be that table."""

    min_keyword_hits: int = 2

    def __post_init__(self) -> None:
        if self.min_keyword_hits < 1:
            raise ValueError("ClassifySettings.min_keyword_hits must be at least 1")


@dataclass(frozen=True)
class TableWords:
    """Label keys that vote for a canonical table: exact keys, and prefixes by length."""

    keys: frozenset[str]
    lengths: tuple[int, ...]

    def hits(self, key: str) -> bool:
        """Whether a cell's key is, or starts with, a word of this vocabulary."""
        return key in self.keys or any(key[:n] in self.keys for n in self.lengths)


@cache
def _vocabularies(format_ids: tuple[str, ...]) -> dict[str, TableWords]:
    out = {}
    for table_id in ("proactive", "requests", "reviews"):
        vocab: set[str] = set()
        for fmt in map(load_format, format_ids):
            spec = fmt.tables[table_id]
            vocab.update(spec.keywords)
            vocab.update(k for r in spec.rows for k in r.keys if len(k) >= 4)
        out[table_id] = TableWords(frozenset(vocab), tuple(sorted({len(v) for v in vocab})))
    return out


@lru_cache(maxsize=16384)
def _votes(format_ids: tuple[str, ...], key: str) -> tuple[str, ...]:
    """The canonical tables whose vocabulary a label key belongs to (labels recur: cached)."""
    return tuple(t for t, v in _vocabularies(format_ids).items() if v.hits(key))


def classify(grid: Grid, formats: list[Format], settings: ClassifySettings) -> str | None:
    """The canonical table id whose vocabulary this grid uses most, if clear enough."""
    keys = {k for r in grid.rows for c in r for k in c.keys}
    format_ids = tuple(f.id for f in formats)
    hits: dict[str, int] = {}
    for k in keys:
        for table_id in _votes(format_ids, k):
            hits[table_id] = hits.get(table_id, 0) + 1
    best, best_hits = None, 0
    for table_id in _vocabularies(format_ids):  # a tie goes to the earlier table, always
        if hits.get(table_id, 0) > best_hits:
            best, best_hits = table_id, hits[table_id]
    return best if best_hits >= settings.min_keyword_hits else None


def format_votes(grids: list[Grid], formats: list[Format]) -> dict[str, int]:
    """How many marker labels of each format the grids print."""
    keys = {k for g in grids for r in g.rows for c in r for k in c.keys}
    return {f.id: sum(1 for m in f.markers if m in keys) for f in formats}
