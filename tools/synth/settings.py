"""Every probability and size the generator uses, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

PROFILES = ("clean", "quirky", "damaged", "bad")

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

BAD_KINDS = ("news_page", "index_page", "empty", "binary", "two_reports", "image_tables")


@dataclass(frozen=True)
class Odds:
    """Shares and probabilities; change them here, never inside an algorithm."""

    profile_mix: dict[str, float] = field(
        default_factory=lambda: {"clean": 0.30, "quirky": 0.35, "damaged": 0.25, "bad": 0.10}
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
    damage_second_kind: float = 0.35
    split_repeat_header: float = 0.5
    labels_lost_vanish: float = 0.5
    blank_totals_max: int = 3


ODDS = Odds()
