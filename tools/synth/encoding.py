"""Byte encodings and charset declarations of generated documents."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from synth.draw import choose

# (actual codec, declared label, how it is declared) -> weight, for HTML without charset quirks.
HTML_PLANS_SIMPLIFIED = {
    ("utf-8", "utf-8", "meta"): 0.35,
    ("utf-8", "UTF-8", "http-equiv"): 0.15,
    ("gbk", "gb2312", "http-equiv"): 0.15,
    ("gbk", "gbk", "meta"): 0.10,
    ("gb18030", "gb18030", "meta"): 0.10,
    ("utf-8-sig", "utf-8", "meta"): 0.15,
}
HTML_PLANS_TRADITIONAL = {
    ("utf-8", "utf-8", "meta"): 0.40,
    ("big5", "big5", "meta"): 0.25,
    ("big5", "big5", "http-equiv"): 0.10,
    ("gb18030", "gb18030", "meta"): 0.10,
    ("utf-8-sig", "utf-8", "meta"): 0.15,
}
TEXT_PLANS = {"utf-8": 0.45, "utf-8-sig": 0.2, "gbk": 0.2, "gb18030": 0.15}
# When strict encoding of a text file fails, the codec that can hold everything instead.
TEXT_FALLBACK = {"gbk": "gb18030", "big5": "utf-8"}


@dataclass(frozen=True)
class EncodingPlan:
    """How a document's bytes are encoded and what, if anything, it claims."""

    encoding: str  # the codec actually used (Python name)
    declared: str | None = None  # charset label printed in the document, None if none
    how: str = ""  # "meta", "http-equiv" or "" when undeclared


def draw_html_plan(rng: random.Random, traditional: bool, quirks: set[str]) -> EncodingPlan:
    """Encoding of an HTML page; charset quirks leave it undeclared or mislabelled."""
    if "charset_undeclared" in quirks:
        return EncodingPlan(rng.choice(("gbk", "gbk", "utf-8")))
    if "charset_mislabelled" in quirks:
        # GBK bytes behind a page that claims UTF-8: a real mess a parser must detect.
        return EncodingPlan("gbk", "utf-8", rng.choice(("meta", "http-equiv")))
    plans = HTML_PLANS_TRADITIONAL if traditional else HTML_PLANS_SIMPLIFIED
    codec, label, how = choose(rng, plans)
    return EncodingPlan(codec, label, how)


def draw_text_plan(rng: random.Random, traditional: bool) -> EncodingPlan:
    """Encoding of a plain-text file (never declared)."""
    plans = dict(TEXT_PLANS)
    if traditional:
        plans["big5"] = 0.2
    return EncodingPlan(choose(rng, plans))


def encode(text: str, plan: EncodingPlan, html: bool) -> tuple[bytes, EncodingPlan]:
    """Bytes of a document: HTML escapes unencodable characters as &#NNNN;, text falls back."""
    if html:
        return text.encode(plan.encoding, errors="xmlcharrefreplace"), plan
    try:
        return text.encode(plan.encoding), plan
    except UnicodeEncodeError:
        fallback = replace(plan, encoding=TEXT_FALLBACK.get(plan.encoding, "utf-8"))
        return text.encode(fallback.encoding), fallback


def declaration(plan: EncodingPlan) -> str:
    """The <meta> element declaring the charset, or nothing."""
    if plan.how == "meta":
        return f'<meta charset="{plan.declared}">'
    if plan.how == "http-equiv":
        return f'<meta http-equiv="Content-Type" content="text/html; charset={plan.declared}" />'
    return ""
