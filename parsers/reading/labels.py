"""Row labels as printed, compared with the template's: normalised keys and their similarity.

A label is compared on its key (Traditional read as Simplified, widths folded, enumerators,
punctuation and spaces removed) with every wording of every canonical row, by the share of
characters they have in common in order (rapidfuzz's Indel ratio, 0..100): a character lost,
added or changed in print lowers the score a little, another row's wording scores low. Group
words printed in the same cell (三、本年度办理结果（一）予以公开) are taken off first; a piece
of them, misread (a wrapped group cell's line run into the row's label by OCR: 三、本年度辨
（一）予以公開), only before the row's enumerator, and for the row it numbers. A label
names a row only when its best score wins over the runner-up by a clear margin, or when it
opens with a row's wording (部分公开（区分处理的…）…), or when, naming nothing so, it is a piece
of one row's wording and of no other's (不计其他情形）: the rest of the label lost). A label
printed whole in another row's wording and not in the nearest's is no damaged print of the
nearest (类申请, the end of 信访举报投诉类申请, is as few edits from 重复申请): it names the
other row where it is a long enough piece of its wording, else none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from parsers.script import (
    enumerator_number,
    has_traditional,
    label_key,
    numeral,
    simplified_by_char,
    simplified_readings,
)
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
    # A run of a wording (a piece of a group's, a row's held in a longer label, a header
    # word) still counts with up to this share of its characters misread.
    changed_share: float = 0.25
    # A label that opens with a canonical wording this long (部分公开（区分处理的…）) names
    # that row, unless what follows names another row (行政处罚、行政强制: two rows merged).
    min_prefix_len: int = 4
    # A label this long that is a piece of one row's wording and of no other's names it
    # (the rest of the label lost: a line of a wrapped label, a cell of a split one).
    min_fragment_len: int = 5
    # A label opening with a piece this long of a group's wording (up to `changed_share` of
    # it changed) and then an enumerator is read from the enumerator on as well: a line of
    # the group's wrapped cell run into the row's label (三、本年度办 | （一）予以公开).
    min_group_piece: int = 2

    def __post_init__(self) -> None:
        if min(self.margin_edits, self.min_prefix_len, self.min_fragment_len,
               self.min_group_piece) < 1:  # fmt: skip
            raise ValueError(
                "LabelSettings.margin_edits, min_prefix_len, min_fragment_len and "
                "min_group_piece must be at least 1"
            )
        for name in ("margin_share", "damaged_share", "changed_share"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"LabelSettings.{name} must be in (0, 1]")


@dataclass(frozen=True)
class Verdict:
    """What a printed label says about its row.

    `distances` ranks the canonical rows (and, as rivals, the printed groups: `group:…`) by
    edit distance to the label, nearest first. `row` is the row the label names, when it
    names one clearly; `candidates` are the rows too near the nearest to be told from it;
    `groups` are the printed groups the label's cell names as well; `numbered` says the row
    was named by the enumerator after a piece of its group's wording, which numbers it.
    """

    distances: tuple[tuple[str, int], ...]
    row: str | None
    candidates: tuple[str, ...]
    groups: tuple[str, ...]
    numbered: bool = False

    @property
    def nearest(self) -> int | None:
        return self.distances[0][1] if self.distances else None

    def describe(self) -> str:
        """The distances a person reads in a note: 'denied_by_law 2 edits, denied_process 9'."""
        return ", ".join(f"{r} {d} edits" for r, d in self.distances[:2])


NO_LABEL = Verdict((), None, (), ())


def judge_label(
    spec: TableSpec,
    format_id: str,
    keys: frozenset[str],
    settings: LabelSettings,
    number: int | None = None,
) -> Verdict:
    """The verdict on a label with these keys (the best of its readings).

    `number` is the label's printed enumerator (（六） → 6): a label numbered otherwise than
    a row's official wording cannot name that row, though it still stands as its rival.
    """
    # In sorted order: of equally good readings the same one wins in every process (a
    # frozenset's order follows the per-process string hash).
    verdicts = [_judge(format_id, spec.id, k, settings) for k in sorted(keys)]
    if not verdicts:
        return NO_LABEL
    verdict = min(verdicts, key=lambda v: (v.row is None, v.nearest or 0))
    if number is None:
        return verdict
    if verdict.numbered and number in _group_numbers(format_id, spec.id, verdict.groups):
        # The row's enumerator after its group's piece numbers it; the label's last one is
        # the group's (三、本年一予以公开: 一's brackets lost).
        return verdict
    numbers = _numbers(format_id, spec.id)
    fits = [r for r in verdict.candidates if numbers.get(r) in (None, number)]
    if verdict.row is not None and verdict.row not in fits:
        return Verdict(verdict.distances, None, tuple(fits), verdict.groups)
    return Verdict(verdict.distances, verdict.row, tuple(fits), verdict.groups)


@cache
def _group_numbers(format_id: str, table_id: str, groups: tuple[str, ...]) -> frozenset[int]:
    """The official enumerator numbers of these groups (三、本年度办理结果 → 3)."""
    printed = load_format(format_id).tables[table_id].printed_groups
    numbers = (enumerator_number(printed[g]) for g in groups if g in printed)
    return frozenset(n for n in numbers if n is not None)


@cache
def _numbers(format_id: str, table_id: str) -> dict[str, int | None]:
    """Each row's official enumerator number (（七）总计 → 7), from its printed wording."""
    spec = load_format(format_id).tables[table_id]
    return {r.id: enumerator_number(r.printed) for r in spec.rows}


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

    def opens(text: str, v: str) -> bool:
        return _opens_with(spec, text, v, settings)

    verdict = nearest(
        [key, rest] if rest and rest != key else [key], tuple(wordings), settings, opens
    )
    piece = None if groups or verdict.row else _after_group_piece(spec, key, own, settings)
    if piece is not None:
        # Only a row it names clearly, numbered as the enumerator says: lines run together
        # in other orders leave it damaged, and a row's label after another's names neither.
        number, told, group = piece
        after = nearest([told], tuple(wordings), settings, opens)
        inside = group is None or after.row in spec.group_rows.get(group, ())
        if (
            after.row is not None
            and inside
            and _numbers(format_id, table_id).get(after.row) == number
        ):
            groups = (group,) if group else ()
            return Verdict(after.distances, after.row, after.candidates, groups, numbered=True)
    if verdict.row is None:
        verdict = _fragment(verdict, [key, rest] if rest else [key], wordings, settings)
    if verdict.row is not None and verdict.row.startswith("group:"):
        # The label is a group's own (（四）无法提供 printed in the row where the group starts,
        # the row's own label lost): it names the group, not a row.
        return Verdict(verdict.distances, None, (), (*groups, verdict.row.removeprefix("group:")))
    cands = tuple(c for c in verdict.candidates if not c.startswith("group:"))
    return Verdict(verdict.distances, verdict.row, cands, groups)


def nearest(
    texts: list[str],
    wordings: tuple[tuple[str, str], ...],
    settings: LabelSettings,
    opens: Callable[[str, str], bool] | None = None,
) -> Verdict:
    """Which name's wording a printed label is: the nearest by edit distance, when it is
    nearer than every other name's by the margin, not mostly edited away, and not a run of
    another name's wording without being in order in the nearest's (`_run_of_other`).

    `wordings` are (name, wording) pairs, several per name allowed; `opens(text, wording)`
    says a label that opens with a wording names it outright (distance 0).
    """
    dist: dict[str, int] = {}
    longest: dict[str, int] = {}
    for name, v in wordings:
        longest[name] = max(longest.get(name, 0), len(v))
        for text in texts:
            d = 0 if opens is not None and opens(text, v) else Levenshtein.distance(text, v)
            if d < dist.get(name, len(text) + len(v) + 1):
                dist[name] = d
    ranked = tuple(sorted(dist.items(), key=lambda kv: kv[1]))
    if not ranked:
        return NO_LABEL
    best, d1 = ranked[0]
    size = longest[best]
    if d1 > settings.damaged_share * size:
        return Verdict(ranked, None, (), ())  # most of it is gone: names nothing
    if _run_of_other(texts, wordings, best):
        # 类申请, the last line of 信访举报投诉类申请, is as few edits from 重复申请: a label
        # printed whole in another name's wording, changed to be the nearest's, is no
        # damaged print of the nearest (a piece long enough names the other: `_fragment`).
        return Verdict(ranked, None, (), ())
    d2 = ranked[1][1] if len(ranked) > 1 else None
    if d2 is None or d2 - d1 >= min(settings.margin_edits, settings.margin_share * size):
        return Verdict(ranked, best, (best,), ())
    margin = max(settings.margin_edits, settings.margin_share * size)
    return Verdict(ranked, None, tuple(r for r, d in ranked if d - d1 < margin), ())


def _run_of_other(texts: list[str], wordings: tuple[tuple[str, str], ...], best: str) -> bool:
    """Whether another name's wording holds a label as a run while none of its texts is in
    order in the nearest name's wordings (what is printed is theirs, not a damaged `best`)."""
    own = [w for name, w in wordings if name == best]
    if any(in_order(t, w) for t in texts for w in own):
        return False
    return any(t in w for name, w in wordings if name != best for t in texts)


def _fragment(
    verdict: Verdict, texts: list[str], wordings: list[tuple[str, str]], settings: LabelSettings
) -> Verdict:
    """A label that names no row by distance but is a long enough piece of one name's
    wordings and of no other's: a run of them (不计其他情形）: a label whose other lines
    were lost), or else most of the characters of one of them, in order, and in no other
    name's order (信报投类申请: recognition lost 访, 举 and 诉 of 信访举报投诉类申请, and
    重复申请 is as few edits away). Where distance left names tied, it must be one of them."""
    for text in texts:
        if len(text) < settings.min_fragment_len:
            continue
        names = {name for name, w in wordings if text in w}
        if not names:
            # In order in one name's wordings only (several: a tail they share, as the two
            # （六） rows' 行政机关不再处理其政府信息公开申请), and most of one of them.
            inorder = [(name, w) for name, w in wordings if in_order(text, w)]
            names = {name for name, _ in inorder}
            most = any(len(text) >= (1 - settings.damaged_share) * len(w) for _, w in inorder)
            if len(names) == 1 and not most:
                names = set()
        if len(names) == 1 and (not verdict.candidates or names <= set(verdict.candidates)):
            (name,) = names
            return Verdict(verdict.distances, name, (name,), ())
        if names:
            break
    return verdict


def in_order(text: str, wording: str) -> bool:
    """Whether every character of a text is in a wording, in the same order."""
    rest = iter(wording)
    return all(ch in rest for ch in text)


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


def _after_group_piece(
    spec: TableSpec, key: str, row_wordings: set[str], settings: LabelSettings
) -> tuple[int, str, str | None] | None:
    """The number of the enumerator a label prints behind a piece of a group's wording, what
    it says after it, and the group if the piece is of one group's only (本年度辨一予以公开:
    本年度办理结果's first line, misread, and item 一 of the group), if it opens so. A
    group's wording that is a row's too (in `row_wordings`: （六）其他处理, 2019's one row of
    its group) is no group's piece."""
    words = [(g, w) for g, ws in spec.groups.items() for w in ws if w not in row_wordings]
    for i in range(settings.min_group_piece, len(key) - 1):
        number = numeral(key[i])
        if number is None:
            continue
        groups = {g for g, w in words if _piece_of(key[:i], w, settings.changed_share)}
        if groups:
            # A piece of several groups' wordings (不予: 不予公开, 不予处理) names none.
            return number, key[i + 1 :], groups.pop() if len(groups) == 1 else None
    return None


def _piece_of(text: str, wording: str, share: float) -> bool:
    """Whether a text is a run of a wording's characters, up to this share of them changed."""
    n = len(text)
    most = int(share * n)
    return any(
        sum(a != b for a, b in zip(text, wording[k : k + n], strict=True)) <= most
        for k in range(len(wording) - n + 1)
    )


def _opens_with(spec: TableSpec, text: str, wording: str, settings: LabelSettings) -> bool:
    """Whether a label opens with a canonical wording and names no other row after it."""
    if len(wording) < settings.min_prefix_len or not text.startswith(wording):
        return False
    tail = text[len(wording) :]
    return not any(
        _holds(tail, o, settings.changed_share)
        for r in spec.rows
        for o in r.keys
        if len(o) >= settings.min_prefix_len
    )


def _holds(text: str, wording: str, share: float) -> bool:
    """Whether a text holds a wording, up to this share of it damaged ('无正当理由大量反复申'
    with its last character lost still names its row)."""
    if wording in text:
        return True
    if len(text) < (1 - share) * len(wording):
        return False
    return fuzz.partial_ratio(wording, text) >= 100 * (1 - share)


def names_any(keys: frozenset[str], words: tuple[str, ...], settings: LabelSettings) -> bool:
    """Whether a label is, or is close to, one of `words` (a header word printed with a
    character lost or changed still names its column)."""
    return any(_close(k, words, settings.changed_share) for k in keys)


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
