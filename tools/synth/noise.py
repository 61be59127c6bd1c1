"""Label noise: what printed row labels and header words suffer between template and page.

The processes, each at a rate of settings.NoiseRates (character knowledge in noise.toml):
character deletion (a span of one to three, as text lost at a cell edge: 其他法律行政止公开),
insertion (a doubled neighbour or a short function character), substitution (a look-alike,
a same-sounding character, the Traditional form, an old variant), the line wrap of a narrow
cell showing as a space or a line break (无正当理由大量反复 申请), a stray space, another
enumerator style (一、 1、 1. 1． (1) （1） ① or none), and punctuation in the other width.

The noise only prints; whether a damaged label still names its row is judged by
synth.identity, and the gold follows from that judgement (identity.resolve_rows).
"""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import opencc

from synth.codes import Key
from synth.draw import chance, choose
from synth.grid import Table, TCell
from synth.settings import NoiseRates

NUMERALS = "一二三四五六七八九十"
# Enumerators as the wording prints them: （一） (一) 一、 一. 一． 1. 1、 1．
_ENUM = re.compile(
    r"^(?P<open>[（(]?)(?P<n>[一二三四五六七八九十]{1,2}|\d{1,2})(?P<close>[)）、.．])"
)


@dataclass(frozen=True)
class Confusions:
    """Character knowledge of noise.toml."""

    lookalike: dict[str, str]
    homophone: dict[str, str]
    variant: dict[str, str]
    fillers: str
    enumerators: dict[str, list[str]]
    circled: str
    punctuation: dict[str, list[str]]


@cache
def load_confusions() -> Confusions:
    """Read synth/noise.toml once."""
    text = resources.files("synth").joinpath("noise.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    enum = data["enumerators"]
    return Confusions(
        lookalike=data["lookalike"],
        homophone=data["homophone"],
        variant=data["variant"],
        fillers=data["insert"]["fillers"],
        enumerators={k: enum[k] for k in ("item", "group", "top")},
        circled=enum["circled"],
        punctuation=data["punctuation"],
    )


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@dataclass
class Edit:
    """One printed label changed by noise: the template text, the printed text, what was done."""

    table: str
    row_id: str | None  # the row it names; None for headers and group labels
    before: str
    after: str
    kinds: list[str] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)  # the value cells of the row it names


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class LabelNoise:
    """Noise of one document: careless or not, with its enumerator habit, drawn once."""

    def __init__(self, rng: random.Random, rates: NoiseRates) -> None:
        self.rng = rng
        self.rates = rates
        self.conf = load_confusions()
        self.careless = chance(rng, rates.careless)
        # A careless document may number its items, groups and top rows its own way.
        self.style = {
            level: (
                rng.randrange(1, len(styles))
                if self.careless and chance(rng, rates.enumerator_style)
                else 0
            )
            for level, styles in self.conf.enumerators.items()
        }
        # The label column's width, in characters: every long label wraps at it.
        self.width = rng.randint(*rates.wrap_width)

    # -- character processes ---------------------------------------------------------------

    def _edit_once(self, body: str) -> tuple[str, str]:
        """One character edit somewhere in the Han characters of `body`."""
        rng = self.rng
        spots = [i for i, ch in enumerate(body) if _is_han(ch)]
        if len(spots) < 2:
            return body, ""
        kind = choose(rng, self.rates.edit_kinds)
        at = rng.choice(spots)
        ch = body[at]
        if kind == "delete":
            # Text lost at a cell edge or in a conversion: never most of the label.
            span = min(choose(rng, self.rates.delete_span), max(1, len(spots) // 4))
            end = at
            taken = 0
            while end < len(body) and taken < span:
                taken += _is_han(body[end])
                end += 1
            return body[:at] + body[end:], kind
        if kind == "insert":
            extra = ch if chance(rng, 0.5) else rng.choice(self.conf.fillers)
            return body[: at + 1] + extra + body[at + 1 :], kind
        pool = {i: self._swaps(kind, body[i]) for i in spots}
        pool = {i: options for i, options in pool.items() if options}
        if not pool:
            return body, ""
        at = rng.choice(sorted(pool))
        return body[:at] + rng.choice(pool[at]) + body[at + 1 :], kind

    def _swaps(self, kind: str, ch: str) -> list[str]:
        """Characters a substitution of `kind` may print for `ch`."""
        if kind == "traditional":
            return [t for t in _s2t().convert(ch) if t != ch]
        table = {
            "lookalike": self.conf.lookalike,
            "homophone": self.conf.homophone,
            "variant": self.conf.variant,
        }[kind]
        return list(table.get(ch, ""))

    def characters(self, body: str, rate: float) -> tuple[str, list[str]]:
        """Character damage at `rate`: one edit, then each further one at more_edits."""
        kinds: list[str] = []
        if not chance(self.rng, rate):
            return body, kinds
        while True:
            body, kind = self._edit_once(body)
            if kind:
                kinds.append(kind)
            done = len(kinds) >= self.rates.max_edits
            if done or not chance(self.rng, self.rates.more_edits):
                return body, kinds

    def wrap(self, body: str) -> tuple[str, str]:
        """The line wrap of a narrow cell, shown as a space, a line break or nothing."""
        if len(body) < self.rates.wrap_min or not chance(self.rng, self.rates.wrap):
            return body, ""
        width = self.width
        if width >= len(body):
            return body, ""
        mark = choose(self.rng, self.rates.wrap_marks)
        joint = {"space": " ", "break": "\n", "none": ""}[mark]
        lines = [body[i : i + width] for i in range(0, len(body), width)]
        return joint.join(lines), f"wrap_{mark}" if mark != "none" else ""

    def stray_space(self, body: str) -> tuple[str, str]:
        """A space typed between two characters."""
        if len(body) < 3 or not chance(self.rng, self.rates.stray_space):
            return body, ""
        at = self.rng.randrange(1, len(body))
        return body[:at] + " " + body[at:], "space"

    def punctuation(self, body: str) -> tuple[str, str]:
        """One punctuation mark in the other width or form."""
        marks = [i for i, ch in enumerate(body) if ch in self.conf.punctuation]
        if not marks or not chance(self.rng, self.rates.punctuation):
            return body, ""
        at = self.rng.choice(marks)
        swap = self.rng.choice(self.conf.punctuation[body[at]])
        return body[:at] + swap + body[at + 1 :], "punctuation"

    # -- enumerators -----------------------------------------------------------------------

    def enumerator(self, text: str, level: str) -> tuple[str, str]:
        """The label's enumerator in the document's style, now and then in a stray one."""
        m = _ENUM.match(text)
        if not m:
            return text, ""
        styles = self.conf.enumerators[level]
        style = self.style[level]
        stray = self.careless and chance(self.rng, self.rates.enumerator_stray)
        if stray:
            style = self.rng.randrange(len(styles))
        if style == 0:
            return text, ""
        n = m.group("n")
        number = int(n) if n.isdigit() else _numeral_value(n)
        enum = styles[style].format(
            d=number,
            z=_numeral(number),
            c=self.conf.circled[number - 1] if number <= len(self.conf.circled) else str(number),
        )
        return enum + text[m.end() :], "enumerator"

    # -- whole labels ----------------------------------------------------------------------

    def label(self, text: str, level: str) -> tuple[str, list[str]]:
        """A row or group label as a careless document prints it."""
        if not self.careless:
            return text, []
        text, enum_kind = self.enumerator(text, level)
        m = _ENUM.match(text)
        cut = m.end() if m else 0
        # A circled or bare enumerator: nothing to keep apart.
        head, body = text[:cut], text[cut:]
        body, kinds = self.characters(body, self.rates.edit)
        for step in (self.punctuation, self.stray_space, self.wrap):
            body, kind = step(body)
            if kind:
                kinds.append(kind)
        if enum_kind:
            kinds.append(enum_kind)
        return head + body, kinds

    def header(self, text: str) -> tuple[str, list[str]]:
        """A header word: character damage or a stray space, at the header rate."""
        if not self.careless or "\n" in text:
            return text, []
        body, kinds = self.characters(text, self.rates.header)
        if chance(self.rng, self.rates.header):
            body, kind = self.stray_space(body) if len(body) >= 3 else (body, "")
            if kind:
                kinds.append(kind)
        return body, kinds


def _numeral(n: int) -> str:
    """1..20 in Chinese numerals."""
    if n <= 10:
        return NUMERALS[n - 1]
    return "十" + (NUMERALS[n - 11] if n > 10 else "")


def _numeral_value(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUMERALS.index(text[1]) + 1
    return NUMERALS.index(text[0]) + 1


def _level(table: str, cell: TCell, row_id: str | None) -> str:
    """Which enumerator family a label cell uses."""
    text = cell.text
    if text.startswith(("（", "(")):
        return "group"
    if table == "requests" and row_id in ("new_received", "carried_over", "carried_forward"):
        return "top"
    if text[:1] in NUMERALS:
        return "top"
    return "item"


def apply(noise: LabelNoise, tables: dict[str, Table], skip: frozenset[str]) -> list[Edit]:
    """Print every label and header word of the tables through the document's noise.

    A data row's last label cell names the row (its `row_id`); other label cells are group
    labels. Tables in `skip` are left alone. Returns every label that changed.
    """
    edits: list[Edit] = []
    if not noise.careless:
        return edits
    for table_id, table in tables.items():
        if table_id in skip:
            continue
        for row in table.rows:
            labels = [c for c in row.cells if c.kind == "label"]
            for c in row.cells:
                if not c.text or c.kind not in ("label", "header"):
                    continue
                if c.kind == "header":
                    after, kinds = noise.header(c.text)
                    names = None
                else:
                    names = row.row_id if c is labels[-1] else None
                    after, kinds = noise.label(c.text, _level(table_id, c, names))
                if after != c.text:
                    keys = [v.key for v in row.cells if v.key] if names else []
                    edits.append(Edit(table_id, names, c.text, after, kinds, keys))
                    c.text = after
    return edits
