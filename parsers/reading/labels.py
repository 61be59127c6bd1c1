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

from rapidfuzz.distance import Levenshtein

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
    """When a printed label names a row, in character edits (insertions, deletions,
    substitutions) between its key and the canonical wordings."""

    # The nearest row's wording must be this many edits nearer than any other's ...
    margin_edits: int = 2
    # ... or nearer by this share of its length;
    margin_share: float = 0.25
    # and no more than this share of it may be edited (what is left must be most of it).
    damaged_share: float = 0.5
    # A label that opens with a canonical wording this long (部分公开（区分处理的…）) names
    # that row, unless what follows names another row (行政处罚、行政强制: two rows merged).
    min_prefix_len: int = 4

    def __post_init__(self) -> None:
        if self.margin_edits < 1 or self.min_prefix_len < 1:
            raise ValueError("LabelSettings.margin_edits and min_prefix_len must be at least 1")
        for name in ("margin_share", "damaged_share"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"LabelSettings.{name} must be in (0, 1]")


@dataclass(frozen=True)
class Verdict:
    """What a printed label says about its row.

    `distances` ranks the canonical rows (and, as rivals, the printed groups: `group:…`) by
    edit distance to the label, nearest first. `row` is the row the label names, when it
    names one clearly; `candidates` are the rows too near the nearest to be told from it;
    `groups` are the printed groups the label's cell names as well.
    """

    distances: tuple[tuple[str, int], ...]
    row: str | None
    candidates: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def nearest(self) -> int | None:
        return self.distances[0][1] if self.distances else None

    def describe(self) -> str:
        """The distances a person reads in a note: 'denied_by_law 2 edits, denied_process 9'."""
        return ", ".join(f"{r} {d} edits" for r, d in self.distances[:2])


NO_LABEL = Verdict((), None, (), ())


def judge_label(
    spec: TableSpec, format_id: str, keys: frozenset[str], settings: LabelSettings
) -> Verdict:
    """The verdict on a label with these keys (the best of its readings)."""
    verdicts = [_judge(format_id, spec.id, k, settings) for k in keys]
    if not verdicts:
        return NO_LABEL
    return min(verdicts, key=lambda v: (v.row is None, v.nearest or 0))


@lru_cache(maxsize=16384)
def _judge(format_id: str, table_id: str, key: str, settings: LabelSettings) -> Verdict:
    """Labels recur from report to report: each key is judged once per process."""
    spec = load_format(format_id).tables[table_id]
    groups, rest = _strip_groups(spec, key)
    wordings = [(r.id, v) for r in spec.rows for v in r.keys]
    # A group's label is a rival, unless a row is worded so too (（六）其他处理 printed as one
    # row: 2019's only row of the group, 2021's hybrid row).
    own = {v for _, v in wordings}
    wordings += [
        (f"group:{g}", w) for g, words in spec.groups.items() for w in words if w not in own
    ]
    nearest: dict[str, int] = {}
    for text in {key, rest} - {""}:
        for row_id, v in wordings:
            d = 0 if _opens_with(spec, text, v, settings) else Levenshtein.distance(text, v)
            if d < nearest.get(row_id, len(text) + len(v) + 1):
                nearest[row_id] = d
    ranked = tuple(sorted(nearest.items(), key=lambda kv: kv[1]))
    if not ranked or ranked[0][0].startswith("group:"):
        return Verdict(ranked, None, (), groups)
    best, d1 = ranked[0]
    longest = max(len(v) for v in spec.row(best).keys)
    rows = [(r, d) for r, d in ranked if not r.startswith("group:")]
    if d1 > settings.damaged_share * longest:
        return Verdict(ranked, None, (), groups)  # most of it is gone: names nothing
    d2 = next((d for r, d in ranked[1:]), None)
    if (
        d2 is None
        or d2 - d1 >= settings.margin_edits
        or (d2 - d1) >= settings.margin_share * longest
    ):
        return Verdict(ranked, best, (best,), groups)
    close = tuple(
        r for r, d in rows if d - d1 < max(settings.margin_edits, settings.margin_share * longest)
    )
    return Verdict(ranked, None, close, groups)


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
    return any(_close(k, words, settings.margin_share) for k in keys)


@lru_cache(maxsize=16384)
def _close(key: str, words: tuple[str, ...], share: float) -> bool:
    return key in words or any(
        (len(w) >= 4 and key.startswith(w))
        or Levenshtein.distance(key, w) <= max(1.0, share * len(w))
        for w in words
    )


def group_of(spec: TableSpec, keys: frozenset[str]) -> str | None:
    """The printed group a group label names (不予公开 → denied), if any."""
    for name, words in spec.groups.items():
        if not keys.isdisjoint(words):
            return name
    return None
