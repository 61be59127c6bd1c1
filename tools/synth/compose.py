"""Assembles a report's sections: headings, narrative and tables in printed order."""

from __future__ import annotations

import random

from synth import prose
from synth.draw import chance
from synth.grid import Block, Heading, Para, Report, Section, Table, TableBlock
from synth.settings import Odds
from synth.wording import Lexicon, Wording

# Which table each section prints.
SECTION_TABLES = {2: "proactive", 3: "requests", 4: "reviews"}


def compose(
    rng: random.Random,
    lex: Lexicon,
    words: Wording,
    title: str,
    date_line: str | None,
    ctx: dict,
    tables: dict[str, Table],
    quirks: set[str],
    odds: Odds,
    place: str = "full",
    opener: bool = False,
    closing: list[Para] | None = None,
) -> Report:
    """A report with sections 一…六 (六 left out under the section6_absent quirk).

    `place` says where the agency is named (prose.intro); `opener` starts section 一 with a
    paragraph whose subject is the body (市政府坚持以…); `closing` is the signature."""
    sections: list[Section] = []
    last = 5 if "section6_absent" in quirks else 6
    for no in range(1, last + 1):
        blocks: list[Block] = [Heading(no, words.heading(no))]
        if no == 1:
            if opener:
                blocks.append(prose.opener(rng, lex, ctx))
            blocks += prose.overview(rng, lex, words, ctx)
        elif no in SECTION_TABLES:
            lead = prose.lead(rng, lex, no, ctx)
            if lead:
                blocks.append(lead)
            table = tables.get(SECTION_TABLES[no])
            if table is not None:
                blocks.append(TableBlock(table))
        elif no == 5:
            blocks += prose.problems(rng, lex, words, ctx)
        else:
            blocks += prose.other_matters(rng, lex, ctx, chance(rng, odds.section6_none))
        sections.append(Section(no, blocks))
    intro = [prose.intro(rng, lex, ctx, place)]
    return Report(title, date_line, intro, sections, list(closing or []))


def section_numbers(report: Report) -> list[int]:
    """Numbers of the sections the document prints."""
    return [s.no for s in report.sections]


def paragraphs(report: Report) -> list[Para]:
    """Every narrative paragraph (for tests and checks)."""
    return [b for s in report.sections for b in s.blocks if isinstance(b, Para)]
