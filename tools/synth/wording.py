"""Label and heading wording of one document, read from labels.toml and varied by its quirks."""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from synth.draw import chance

# Column header labels that the spaced_labels quirk may print with spaces between characters.
SPACEABLE_COLS = ("natural_person", "enterprise", "research", "nonprofit", "legal_services")
# Labels long enough that reports break them with <br>; the break falls after this many chars.
WRAP_AT = {"partly_granted": 4, "other_no_correction": 11, "other_unpaid_fee": 12}


@dataclass(frozen=True)
class Lexicon:
    """The two wording files, loaded once per run and passed around."""

    labels: dict[str, Any]
    prose: dict[str, Any]


def load_lexicon() -> Lexicon:
    """Read synth/labels.toml and synth/prose.toml."""
    root = resources.files("synth")
    labels = tomllib.loads(root.joinpath("labels.toml").read_text(encoding="utf-8"))
    prose = tomllib.loads(root.joinpath("prose.toml").read_text(encoding="utf-8"))
    return Lexicon(labels, prose)


def spaced(text: str) -> str:
    """商业企业 -> 商 业 企 业 (a typesetting habit that survives into HTML)."""
    return " ".join(text)


class Wording:
    """Every heading and label a document prints, with its quirks applied."""

    def __init__(self, lex: Lexicon, fmt: str, quirks: set[str], rng: random.Random) -> None:
        self.lab = lex.labels
        self.fmt = fmt
        self.quirks = quirks
        self.numerals: list[str] = self.lab["numerals"]
        self.head_sep = rng.choice((".", "．")) if "heading_halfwidth" in quirks else "、"
        self.paren = ("(", ")") if "halfwidth_parens" in quirks else ("（", "）")
        self.item_sep = rng.choice(("、", "．")) if "item_numbering" in quirks else "."
        # Which of the two long-worded headings use their variant wording.
        self.variant_heads = set()
        if "heading_wording" in quirks:
            self.variant_heads = {n for n in (4, 5) if chance(rng, 0.6)} or {rng.choice((4, 5))}
        self.spaced_cols = set()
        if "spaced_labels" in quirks:
            picked = [c for c in SPACEABLE_COLS if chance(rng, 0.5)]
            self.spaced_cols = set(picked or [SPACEABLE_COLS[1]])
        self.wrap_rows = set(WRAP_AT) if "label_br" in quirks else set()

    def heading(self, no: int) -> str:
        """Section heading, e.g. 四、政府信息公开行政复议、行政诉讼情况."""
        texts = self.lab["headings"][f"s{no}"]
        text = texts[1] if no in self.variant_heads else texts[0]
        return f"{self.numerals[no - 1]}{self.head_sep}{text}"

    def subheading(self, n: int, text: str) -> str:
        """Numbered sub-heading inside narrative, e.g. （一）主动公开."""
        left, right = self.paren
        return f"{left}{self.numerals[n - 1]}{right}{text}"

    # Section 二
    def banner(self, numeral: str) -> str:
        """Block banner row text, e.g. 第二十条第（一）项."""
        return self.lab["proactive"]["banner"].format(n=numeral)

    def content_header(self) -> str:
        """First header cell of each section 二 block."""
        return self.lab["proactive"]["content"]

    def proactive_row(self, row: str) -> str:
        """Row label of section 二."""
        rows = self.lab["proactive"]["rows"]
        if row == "normative_docs":
            texts = rows[f"normative_docs_{self.fmt}"]
            return texts[1] if "normative_swap" in self.quirks else texts[0]
        return rows[row][0]

    def proactive_col(self, col: str, unit_suffix: str = "") -> str:
        """Column label of section 二; a money column may carry a unit suffix."""
        return self.lab["proactive"][f"cols_{self.fmt}"][col][0] + unit_suffix

    def amount_unit_suffix(self, unit: str) -> str:
        """（万元） or （元） appended to a 2019 money column header."""
        return self.lab["proactive"]["amount_header_units"][unit]

    # Section 三
    def requests_text(self, name: str) -> str:
        """Fixed texts of the section 三 header: note, applicant, legal_persons."""
        return self.lab["requests"][name]

    def request_col(self, col: str) -> str:
        """Applicant column label."""
        text = self.lab["requests"]["cols"][col]
        return spaced(text) if col in self.spaced_cols else text

    def top_label(self, row: str) -> str:
        """Rows numbered 一、二、四、 of section 三."""
        numeral, text = self.lab["requests"]["top"][row]
        return f"{numeral}、{text}"

    def results_label(self) -> str:
        """三、本年度办理结果 group label."""
        req = self.lab["requests"]
        return f"{req['results_numeral']}、{req['results']}"

    def group_label(self, group: str) -> str:
        """（一）…（七） labels; groups of one row carry the row's own wording."""
        numeral, text = self.lab["requests"]["groups"][group]
        left, right = self.paren
        label = f"{left}{numeral}{right}{text}"
        if group in self.wrap_rows:
            at = len(left + numeral + right) + WRAP_AT[group]
            label = label[:at] + "\n" + label[at:]
        return label

    def item_label(self, row: str, n: int) -> str:
        """Numbered item inside a group, e.g. 1.属于国家秘密."""
        text = self.lab["requests"]["items"][row]
        if "straight_quotes" in self.quirks:
            text = text.replace("“", '"').replace("”", '"')
        if row in self.wrap_rows:
            text = text[: WRAP_AT[row]] + "\n" + text[WRAP_AT[row] :]
        return f"{n}{self.item_sep}{text}"

    # Section 四
    def review_text(self, name: str) -> str:
        """Group labels of section 四: review, suit, suit_direct, suit_after_review, flat_lead."""
        return self.lab["reviews"][name]

    def review_col(self, col: str) -> str:
        """Result column label of section 四."""
        return self.lab["reviews"]["cols"][col]

    def extra(self, name: str) -> Any:
        """Non-grid wording: titles, unit lines, notes, page numbers, dash marks."""
        return self.lab["extras"][name]
