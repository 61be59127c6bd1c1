"""Row labels as printed, compared with the template's: normalised keys and their similarity.

A label is compared on its key (Traditional read as Simplified, widths folded, enumerators,
punctuation and spaces removed) with every wording of every canonical row, by the share of
characters they have in common in order (rapidfuzz's Indel ratio, 0..100): a character lost,
added or changed in print lowers the score a little, another row's wording scores low. Group
words printed in the same cell (三、本年度办理结果（一）予以公开) are taken off first. A label
names a row only when its best score wins over the runner-up by a clear margin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from parsers.script import has_traditional, label_key, simplified_by_char, simplified_readings
from parsers.templates import TableSpec, load_format


@dataclass
class LabelIndex:
    """Normalised label text of a document's cells, converted once per document."""

    traditional: bool
    cache: dict[str, frozenset[str]] = field(default_factory=dict)

    def keys(self, text: str) -> frozenset[str]:
        """The label keys of a cell's text (one per Simplified reading); empty for no text."""
        k = self.cache.get(text)
        if k is None:
            if self.traditional:
                readings = simplified_readings(text)
            elif has_traditional(text):
                readings = (text, simplified_by_char(text))
            else:
                readings = (text,)
            k = frozenset(x for x in map(label_key, readings) if x)
            self.cache[text] = k
        return k


@dataclass(frozen=True)
class LabelSettings:
    """How alike a printed label and a canonical wording must be, on a 0..100 scale."""

    # A label names a row only at this score or more ...
    min_score: float = 55.0
    # ... and only when the runner-up row scores at least this much less.
    margin: float = 12.0
    # A label that opens with a canonical wording this long (部分公开（区分处理的…）) scores
    # `prefix_score`, unless what follows names another row (行政处罚、行政强制: two rows).
    min_prefix_len: int = 4
    prefix_score: float = 90.0

    def __post_init__(self) -> None:
        if not 0 <= self.min_score <= 100 or not 0 <= self.prefix_score <= 100:
            raise ValueError("LabelSettings scores are between 0 and 100")
        if self.margin < 0 or self.min_prefix_len < 1:
            raise ValueError("LabelSettings.margin and min_prefix_len must be positive")


@dataclass(frozen=True)
class Verdict:
    """What a printed label says about its row.

    `scores` ranks the canonical rows by similarity, best first (row id, score). `row` is the
    row the label names, when it names one clearly; `candidates` are the rows scoring within
    the margin of the best; `groups` are the printed groups the label's cell names as well.
    """

    scores: tuple[tuple[str, float], ...]
    row: str | None
    candidates: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def best(self) -> float:
        return self.scores[0][1] if self.scores else 0.0

    def describe(self) -> str:
        """The scores a person reads in a note: 'denied_by_law 86, denied_process 33'."""
        return ", ".join(f"{r} {s:.0f}" for r, s in self.scores[:2])


NO_LABEL = Verdict((), None, (), ())


def judge_label(
    spec: TableSpec, format_id: str, keys: frozenset[str], settings: LabelSettings
) -> Verdict:
    """The verdict on a label with these keys (the best of its readings)."""
    verdicts = [_judge(format_id, spec.id, k, settings) for k in keys]
    if not verdicts:
        return NO_LABEL
    return max(verdicts, key=lambda v: (v.row is not None, v.best))


@lru_cache(maxsize=16384)
def _judge(format_id: str, table_id: str, key: str, settings: LabelSettings) -> Verdict:
    """Labels recur from report to report: each key is judged once per process."""
    spec = load_format(format_id).tables[table_id]
    groups, rest = _strip_groups(spec, key)
    best: dict[str, float] = {}
    for text in {key, rest} - {""}:
        for r in spec.rows:
            for v in r.keys:
                score = fuzz.ratio(text, v)
                if score < settings.prefix_score and _opens_with(spec, text, v, settings):
                    score = settings.prefix_score
                if score > best.get(r.id, -1.0):
                    best[r.id] = score
    ranked = tuple(sorted(best.items(), key=lambda kv: -kv[1]))
    if not ranked or ranked[0][1] < settings.min_score:
        return Verdict(ranked, None, (), groups)
    top = ranked[0][1]
    candidates = tuple(r for r, s in ranked if s > top - settings.margin)
    row = candidates[0] if len(candidates) == 1 else None
    return Verdict(ranked, row, candidates, groups)


def _strip_groups(spec: TableSpec, key: str) -> tuple[tuple[str, ...], str]:
    """Group words a label opens with (本年度办理结果, 不予公开…), and the label after them."""
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        for name, words in spec.groups.items():
            for w in words:
                if key.startswith(w) and len(key) > len(w):
                    found.append(name)
                    key = key[len(w) :]
                    changed = True
                    break
    return tuple(found), key


def _opens_with(spec: TableSpec, text: str, wording: str, settings: LabelSettings) -> bool:
    """Whether a label opens with a canonical wording and names no other row after it."""
    if len(wording) < settings.min_prefix_len or not text.startswith(wording):
        return False
    tail = text[len(wording) :]
    return not any(
        o in tail for r in spec.rows for o in r.keys if len(o) >= settings.min_prefix_len
    )


def names_any(keys: frozenset[str], words: tuple[str, ...], settings: LabelSettings) -> bool:
    """Whether a label is, or is close to, one of `words` (a header word printed with a
    character lost or changed still names its column)."""
    return any(_close(k, words, settings.min_score) for k in keys)


@lru_cache(maxsize=16384)
def _close(key: str, words: tuple[str, ...], min_score: float) -> bool:
    return key in words or any(
        fuzz.ratio(key, w) >= min_score or (len(w) >= 4 and key.startswith(w)) for w in words
    )


def group_of(spec: TableSpec, keys: frozenset[str]) -> str | None:
    """The printed group a group label names (不予公开 → denied), if any."""
    for name, words in spec.groups.items():
        if not keys.isdisjoint(words):
            return name
    return None
