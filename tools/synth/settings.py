"""Every probability and size the generator uses, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

PROFILES = ("clean", "quirky", "damaged", "bad", "noisy")

QUIRKS = (
    "heading_wording",
    "heading_strong",
    "heading_h",
    "heading_in_cell",
    "heading_halfwidth",
    "section6_absent",
    "normative_swap",
    "item_numbering",
    "straight_quotes",
    "spaced_labels",
    "halfwidth_parens",
    "label_br",
    "fullwidth_digits",
    "thousands_sep",
    "unit_in_cell",
    "annotation",
    "plus_sign",
    "layout_table",
    "table_in_div_in_td",
    "table_title_row",
    "misaligned_colspans",
    "hybrid_other_handling",
    "charset_undeclared",
    "charset_mislabelled",
    "inconsistent",
)
# Quirks that only make sense in an HTML rendition.
HTML_ONLY_QUIRKS = frozenset(
    {
        "heading_strong",
        "heading_h",
        "heading_in_cell",
        "label_br",
        "layout_table",
        "table_in_div_in_td",
        "misaligned_colspans",
        "charset_undeclared",
        "charset_mislabelled",
    }
)
# At most one way of marking up headings per document.
HEADING_MARKUP_QUIRKS = ("heading_strong", "heading_h", "heading_in_cell")
# At most one charset mess per document.
CHARSET_QUIRKS = ("charset_undeclared", "charset_mislabelled")

DAMAGES = (
    "labels_lost",
    "labels_emptied",
    "skeleton",
    "split_tables",
    "shifted_cells",
    "reviews_transposed",
    "reviews_flattened",
    "reviews_short_header",
    "wrapped_headers",
    "table_absent",
    "blank_totals",
)
REVIEW_DAMAGES = ("reviews_transposed", "reviews_flattened", "reviews_short_header")

# Variation of issue #9, recorded in a gold's `variants`.
VARIANTS = (
    "label_noise",  # printed labels edited: characters, spaces, breaks, enumerators, punctuation
    "header_words",  # header rows printed so that canonical words (总计, 其他) stand first
    "reviews_rows3",  # section 四 as 3 group rows x 5 result columns
    "reviews_cols3",  # section 四 as 5 result rows x 3 group columns
    "reviews_rows15",  # section 四 as 15 labelled rows with one value column
    "reviews_partial_header",  # section 四 under a partial header
    "meta_title",  # agency and year only in the title
    "meta_signature",  # agency only in the closing signature (落款)
    "meta_preface",  # agency only in the preface (本报告由…编制)
    "narrative_opener",  # the first paragraph opens with 我局坚持… / 市政府坚持以…
    "flat",  # a page flattened to long lines, table rows as label + digits
)
REVIEW_LAYOUTS = ("row15", "rows3", "cols3", "rows15")
META_PLACES = ("title", "signature", "preface")

BAD_KINDS = ("news_page", "index_page", "empty", "binary", "two_reports", "image_tables")


@dataclass(frozen=True)
class NoiseRates:
    """How often printed labels and header words are damaged (issue #9).

    Noise clusters by document (one was retyped, OCR'd or exported carelessly, the next one
    not), so a document is first drawn as careless or not; only then does each label of it
    draw its damage.
    """

    careless: float = 0.25  # share of documents whose labels suffered at all
    # Per label of a careless document:
    edit: float = 0.06  # character damage (deletion, insertion, substitution)
    more_edits: float = 0.3  # after each edit, chance of one more
    max_edits: int = 2  # character edits one label suffers at most
    edit_kinds: dict[str, float] = field(
        default_factory=lambda: {
            "delete": 0.30,
            "insert": 0.20,
            "lookalike": 0.20,
            "homophone": 0.15,
            "traditional": 0.10,
            "variant": 0.05,
        }
    )
    delete_span: dict[int, float] = field(default_factory=lambda: {1: 0.75, 2: 0.18, 3: 0.07})
    wrap: float = 0.25  # a label of at least wrap_min chars shows its line wrap
    wrap_min: int = 9
    wrap_width: tuple[int, int] = (5, 12)  # characters per line of a narrow cell
    wrap_marks: dict[str, float] = field(
        default_factory=lambda: {"space": 0.55, "break": 0.35, "none": 0.10}
    )
    stray_space: float = 0.03  # a space between two characters
    punctuation: float = 0.10  # one punctuation mark in the other width or form
    enumerator_stray: float = 0.03  # one label's enumerator in another style
    header: float = 0.03  # per header word: character damage or a stray space
    # Enumerator style a careless document uses throughout (index into noise.toml's lists;
    # 0 is the template's).
    enumerator_style: float = 0.35

    def __post_init__(self) -> None:
        for name in ("careless", "edit", "more_edits", "wrap", "stray_space", "punctuation"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"NoiseRates.{name} must be a probability, got {value}")
        if self.more_edits >= 1:
            raise ValueError("NoiseRates.more_edits must be below 1 (edits must stop)")


# Realistic: most documents print every label as the template does; a careless one has a few
# labels with one or two edits (the real Hongze 2023 report: 4 of ~45 labels off).
REALISTIC_NOISE = NoiseRates()
# Stress: every document careless, many labels edited, often twice.
STRESS_NOISE = NoiseRates(
    careless=1.0,
    edit=0.30,
    more_edits=0.45,
    max_edits=3,
    wrap=0.6,
    stray_space=0.15,
    punctuation=0.4,
    enumerator_stray=0.2,
    header=0.2,
    enumerator_style=0.6,
)


@dataclass(frozen=True)
class IdentityRules:
    """When a damaged label still names its row (synth.identity)."""

    margin_edits: int = 2  # own label closer than any other by this many edits: clear
    margin_share: float = 0.25  # ... or by this share of the label's length
    damaged_share: float = 0.5  # more than this share of the label edited: doubtful


@dataclass(frozen=True)
class Odds:
    """Shares and probabilities; change them here, never inside an algorithm."""

    profile_mix: dict[str, float] = field(
        default_factory=lambda: {
            "clean": 0.30,
            "quirky": 0.35,
            "damaged": 0.25,
            "bad": 0.10,
            "noisy": 0.0,
        }
    )
    format_2021: float = 0.65
    html: float = 0.75
    htm_extension: float = 0.15
    traditional: float = 0.25
    opencc_configs: dict[str, float] = field(default_factory=lambda: {"s2twp": 0.6, "s2t": 0.4})
    published_known: float = 0.8
    crlf_text: float = 0.25
    # A quirky document gets this many quirks (fewer if some clash), so single quirks show too.
    quirks_least: int = 1
    quirks_most: int = 6
    inconsistent: float = 0.10
    proactive_five_grid: float = 0.6  # 2019 section 二 in Shanghai's 5-column grid
    wrap_heads: float = 0.4  # HTML breaks long section 二 header labels (本年新<br>制作数量)
    title_row_each: float = 0.6  # per table, under the table_title_row quirk
    section6_none: float = 0.5
    # Zero styles per table: how a zero count is printed.
    zero_styles: dict[str, float] = field(
        default_factory=lambda: {"0": 0.55, "blank": 0.35, "dash": 0.10}
    )
    proactive_zero_styles: dict[str, float] = field(
        default_factory=lambda: {"0": 0.85, "blank": 0.10, "dash": 0.05}
    )
    zero_style_stray: float = 0.04
    # Agency size tiers: (name, weight, lowest and highest new requests).
    size_tiers: tuple[tuple[str, float, int, int], ...] = (
        ("none", 0.07, 0, 0),
        ("tiny", 0.25, 1, 12),
        ("small", 0.33, 10, 120),
        ("medium", 0.25, 100, 1200),
        ("large", 0.10, 1000, 8000),
    )
    # Issue #9 variation, at realistic rates in every profile (the noisy profile uses
    # NOISY_ODDS below).
    label_noise: NoiseRates = REALISTIC_NOISE
    identity: IdentityRules = IdentityRules()
    header_words: float = 0.08  # header rows printed with canonical words first (txt: grid)
    review_layouts: dict[str, float] = field(
        default_factory=lambda: {"row15": 0.90, "rows3": 0.04, "cols3": 0.02, "rows15": 0.04}
    )
    review_partial_header: float = 0.03
    meta_places: dict[str, float] = field(
        default_factory=lambda: {"full": 0.85, "title": 0.05, "signature": 0.05, "preface": 0.05}
    )
    narrative_opener: float = 0.2
    signature: float = 0.3  # a fully named report also ends with a signature (落款)
    anonymous_source: str = "本网"  # 来源： of a report that names its agency in one place only
    hybrid_unusual: float = 0.15  # damaged and noisy 2021 reports printing （六） as one row
    damages: tuple[str, ...] = DAMAGES  # kinds the damaged profile cycles through
    flat: float = 0.02  # share of text documents that are a page flattened to long lines
    flat_archive_header: float = 0.5  # the flattening tool wrote a header of fields first
    flat_lines: tuple[int, int] = (1, 3)  # long lines the article is flattened to
    damage_second_kind: float = 0.35
    split_repeat_header: float = 0.5
    labels_lost_vanish: float = 0.5
    blank_totals_max: int = 3


ODDS = Odds()
# The variation the parser was built on before issue #9: no label noise, template headers,
# section 四 as one row, metadata everywhere, no flattened pages.
FAMILIAR_ODDS = Odds(
    label_noise=NoiseRates(careless=0.0),
    header_words=0.0,
    review_layouts={"row15": 1.0},
    review_partial_header=0.0,
    meta_places={"full": 1.0},
    narrative_opener=0.0,
    flat=0.0,
    hybrid_unusual=0.0,
    damages=tuple(k for k in DAMAGES if k != "labels_emptied"),
)
# The noisy profile: issue #9's variation concentrated.
NOISY_ODDS = Odds(
    label_noise=STRESS_NOISE,
    header_words=0.5,
    review_layouts={"row15": 0.25, "rows3": 0.25, "cols3": 0.25, "rows15": 0.25},
    review_partial_header=0.25,
    meta_places={"full": 0.1, "title": 0.3, "signature": 0.3, "preface": 0.3},
    narrative_opener=0.8,
    flat=0.5,
)
