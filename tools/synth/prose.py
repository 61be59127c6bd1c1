"""Agency names, titles, dates and narrative paragraphs, drawn from prose.toml."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from synth.draw import chance, log_int
from synth.grid import Para
from synth.wording import Lexicon, Wording


@dataclass(frozen=True)
class Agency:
    """Who publishes the report, and how its pages name places."""

    name: str
    short: str  # how the report calls itself: 我市, 我局, 本街道 ...
    city: str  # city name with 市, for chrome
    place: str  # the place name used in the site's chrome
    body: str = ""  # how the body names itself as a subject: 市政府, 我局 ...


def draw_agency(rng: random.Random, lex: Lexicon) -> Agency:
    """A plausible agency name in Simplified script."""
    places = lex.prose["places"]
    agencies = lex.prose["agencies"]
    city = rng.choice(sorted(places["cities"]))
    county = rng.choice(places["counties"]["names"])
    pattern, short, body = rng.choice(agencies["patterns"])
    name = pattern.format(
        city=city,
        district=rng.choice(places["cities"][city]),
        county=county,
        province=rng.choice(places["provinces"]),
        dept=rng.choice(agencies["city_departments"]),
        pdept=rng.choice(agencies["province_departments"]),
        street=rng.choice(places["streets"]),
        town=rng.choice(places["towns"]),
    )
    place = f"{county}县" if "{county}" in pattern else f"{city}市"
    return Agency(name, short, f"{city}市", place, body)


def draw_title(rng: random.Random, lex: Lexicon, agency: str, year: int, named: bool = True) -> str:
    """The report's title as printed (Simplified); `named` False: a title without the agency."""
    key = "patterns" if named else "no_agency"
    return rng.choice(lex.prose["titles"][key]).format(agency=agency, year=year)


def draw_date(rng: random.Random, year: int) -> tuple[int, int, int]:
    """Publication date: reports are due by 31 January and often come out later."""
    month = rng.choice((1, 1, 1, 1, 2, 3))
    return year + 1, month, rng.randint(1, 28 if month == 2 else 31)


def date_line(rng: random.Random, lex: Lexicon, ymd: tuple[int, int, int], source: str) -> str:
    """The 发布日期 line under the title."""
    y, m, d = ymd
    date = rng.choice(lex.prose["dates"]["patterns"]).format(y=y, m=m, d=d)
    line: str = rng.choice(lex.prose["dates"]["lines"])
    return line.format(date=date, source=source, views=rng.randint(30, 5000))


def context(rng: random.Random, agency: Agency, year: int, numbers: dict[Any, Any]) -> dict:
    """Placeholder values for narrative templates; request figures are the table's own."""

    def total(row: str) -> int:
        return int(numbers.get(("requests", row, "total"), 0))

    def reviews(row: str) -> int:
        return int(numbers.get(("reviews", row, "total"), 0))

    return {
        "agency": agency.name,
        "short": agency.short,
        "body": agency.body or agency.short,
        "place": agency.place,
        "site": f"{agency.city}人民政府门户网站",
        "year": year,
        "prev": year - 1,
        "next_year": year + 1,
        "received": total("new_received"),
        "carried": total("carried_over"),
        "forward": total("carried_forward"),
        "reviews": reviews("review"),
        "suits": reviews("suit_direct") + reviews("suit_after_review"),
        "posts": log_int(rng, 20, 30000),
        "normdocs": log_int(rng, 0, 60),
        "interpretations": log_int(rng, 0, 200),
        "briefings": log_int(rng, 0, 40),
        "visits": log_int(rng, 1, 900),
        "wechat": log_int(rng, 10, 3000),
        "trainings": rng.randint(1, 12),
        "trainees": log_int(rng, 20, 2000),
        "fee": rng.choice((0, 50, 100, 200, 300, 1200, 3940)),
        "fee_notices": rng.randint(0, 10),
        "proposals": log_int(rng, 0, 120),
        "motions": log_int(rng, 0, 150),
    }


def _paragraph(rng: random.Random, sentences: list[str], ctx: dict, least: int, most: int) -> str:
    """A few distinct sentences, in template order, filled in."""
    n = min(len(sentences), rng.randint(least, most))
    picked = sorted(rng.sample(range(len(sentences)), n))
    return "".join(sentences[i].format(**ctx) for i in picked)


def intro(rng: random.Random, lex: Lexicon, ctx: dict, place: str = "full") -> Para:
    """The paragraph before section 一; `place` says where the agency is named: "full"
    (anywhere), "preface" (only here, as the compiler) or "title"/"signature" (not here)."""
    key = {"preface": "intro_compiler", "title": "intro_anonymous", "signature": "intro_anonymous"}
    return Para(rng.choice(lex.prose["report"][key.get(place, "intro")]).format(**ctx))


def opener(rng: random.Random, lex: Lexicon, ctx: dict) -> Para:
    """A narrative paragraph whose subject is the body: 我局坚持… / 市政府坚持以…"""
    return Para(rng.choice(lex.prose["report"]["openers"]).format(**ctx))


def signature(lex: Lexicon, agency: str, ymd: tuple[int, int, int]) -> list[Para]:
    """The closing signature (落款): the body's name, then the date."""
    y, m, d = ymd
    date = lex.prose["report"]["signature_date"].format(y=y, m=m, d=d)
    return [Para(agency, "signature"), Para(date, "signature")]


def overview(rng: random.Random, lex: Lexicon, words: Wording, ctx: dict) -> list[Para]:
    """Section 一: numbered sub-sections, each a sub-heading and a paragraph."""
    out: list[Para] = []
    parts = lex.prose["report"]["overview"]
    if chance(rng, 0.2):
        # Some reports write section 一 as one block of prose without sub-headings.
        return [Para(_paragraph(rng, p["sentences"], ctx, 1, 2)) for p in parts]
    for n, part in enumerate(parts, start=1):
        out.append(Para(words.subheading(n, rng.choice(part["heads"])), "subhead"))
        out.append(Para(_paragraph(rng, part["sentences"], ctx, 2, 4)))
    return out


def lead(rng: random.Random, lex: Lexicon, no: int, ctx: dict) -> Para | None:
    """Optional sentence before the table of section 二, 三 or 四."""
    text = rng.choice(lex.prose["report"][f"section{no}_leads"])
    return Para(text.format(**ctx)) if text else None


def problems(rng: random.Random, lex: Lexicon, words: Wording, ctx: dict) -> list[Para]:
    """Section 五: problems and improvements."""
    rep = lex.prose["report"]
    out: list[Para] = []
    for n, part in enumerate((rep["problems"], rep["measures"]), start=1):
        if chance(rng, 0.7):
            out.append(Para(words.subheading(n, rng.choice(part["heads"])), "subhead"))
        out.append(Para(_paragraph(rng, part["sentences"], ctx, 1, 2)))
    return out


def other_matters(rng: random.Random, lex: Lexicon, ctx: dict, none: bool) -> list[Para]:
    """Section 六: 无, or a sentence or two about fees and other matters."""
    rep = lex.prose["report"]
    if none:
        return [Para(rng.choice(rep["section6_none"]))]
    return [Para(_paragraph(rng, rep["section6_text"], ctx, 1, 2))]
