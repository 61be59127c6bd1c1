"""Agencies across years: a normalised key per report, the places its name carries, aliases.

`agency_key` folds what differs between two spellings of one body: script (Traditional →
Simplified), whitespace, full-width forms, quotes, a trailing parenthesised note, the short
government forms (市政府 → 市人民政府, 政府办公厅 → 政府办公室, 政府办 → 政府办公室) and the
places printed before the body: a county or city is completed with the province and city
that contain it (洪泽区人民政府 and 江苏省淮安市洪泽区人民政府 have one key) when the division
list names exactly one such place. A place name shared by several divisions (鼓楼区) stays as
printed, never completed by a guess.

Operators map keys onto one another in `agency_aliases` (a renamed or merged body); the view
`report_agencies` applies them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import opencc
import pyarrow as pa

from warehouse.places import Division, PlaceIndex, load_places

LEVELS = ("central", "province", "city", "county", "township")
BODIES = ("government", "department")

_T2S = opencc.OpenCC("t2s")
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_QUOTES = re.compile(r"[《》〈〉“”‘’\"'「」『』]")
_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
_SHORT_GOVERNMENT = re.compile(r"(?<=[省市县区州盟旗镇乡])政府")
_OFFICE_HALL = re.compile(r"人民政府办公厅")
_OFFICE_SHORT = re.compile(r"人民政府办$")
_TOWNSHIP = re.compile(
    r"^([\u4e00-\u9fff]{1,10}?(?:街道|镇|乡))(?=人民政府$|办事处$|街道办事处$|$)"
)
# A county the division list does not name (renamed since): the name still tells its level.
_COUNTY_BY_SUFFIX = re.compile(r"^([\u4e00-\u9fff]{1,10}?(?:自治县|县|旗))(?=人民政府$)")
_CENTRAL_START = ("国务院", "国家", "中华人民共和国")
_CENTRAL_END = ("部", "总署", "总局")
_GOVERNMENT_BODIES = ("", "人民政府")
_TOWNSHIP_BODIES = ("", "人民政府", "办事处", "街道办事处")
_ZONE_BODIES = ("管理委员会", "管委会")


@dataclass(frozen=True)
class AgencyName:
    """What an agency's name tells: its key, places, level and kind of body."""

    key: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None
    level: str | None = None
    body: str | None = None


def normalise(name: str) -> str:
    """Script, width, whitespace, quotes, a trailing note and the government short forms."""
    t = unicodedata.normalize("NFKC", name)
    t = _T2S.convert(_INVISIBLE.sub("", t))
    t = _QUOTES.sub("", t)
    while _TRAILING_NOTE.search(t) and len(_TRAILING_NOTE.sub("", t)) >= 2:
        t = _TRAILING_NOTE.sub("", t)
    t = _SHORT_GOVERNMENT.sub("人民政府", t).replace("人民人民政府", "人民政府")
    t = _OFFICE_HALL.sub("人民政府办公室", t)
    return _OFFICE_SHORT.sub("人民政府办公室", t)


def _places(text: str, index: PlaceIndex) -> tuple[list[Division], list[str], int]:
    """Divisions printed at the start of a name: (resolved, unresolved names, end position)."""
    resolved: list[Division] = []
    unresolved: list[str] = []
    pos = 0
    while pos < len(text):
        for size in range(min(index.longest, len(text) - pos), 1, -1):
            candidates = index.by_name.get(text[pos : pos + size])
            if not candidates:
                continue
            inside = [
                c
                for c in candidates
                if not resolved or (resolved[-1].contains(c) and c.code != resolved[-1].code)
            ]
            if not inside:
                continue
            if len(inside) == 1 and not unresolved:
                resolved.append(inside[0])
            else:
                unresolved.append(text[pos : pos + size])
            pos += size
            break
        else:
            break
    return resolved, unresolved, pos


def _ambiguous_level(name: str, index: PlaceIndex) -> str | None:
    levels = {d.level for d in index.by_name.get(name, ())}
    return levels.pop() if len(levels) == 1 else None


def read_agency(name: str, index: PlaceIndex | None = None) -> AgencyName:
    """The key, places, level and body an agency name carries (None where it does not tell)."""
    index = index or load_places()
    text = normalise(name)
    resolved, unresolved, end = _places(text, index)
    rest = text[end:]
    township = None
    m = _TOWNSHIP.match(rest)
    if m and (m.group(1) != rest or resolved or unresolved):
        township = m.group(1)
        rest = rest[m.end() :]
    province = city = county = None
    level = None
    if resolved:
        deepest = resolved[-1]
        prov = index.parent(deepest, "province")
        province = prov.name if prov else None
        if deepest.level in ("city", "county"):
            c = index.parent(deepest, "city")
            city = c.name if c and c.level == "city" else None
        county = deepest.name if deepest.level == "county" else None
        level = deepest.level
    if unresolved:
        # A name several divisions share: printed as is, its parents unknown.
        last = unresolved[-1]
        level = _ambiguous_level(last, index) or level
        if level == "county":
            county = last
        elif level == "city" and city is None:
            city = last
    if not resolved and not unresolved and not township:
        m = _COUNTY_BY_SUFFIX.match(text)
        if m:
            county, level = m.group(1), "county"
            unresolved.append(m.group(1))
            rest = text[m.end() :]
    if township:
        level = "township"
    if level is None and (text.startswith(_CENTRAL_START) or text.endswith(_CENTRAL_END)):
        level = "central"
    if township:
        body = "government" if rest in _TOWNSHIP_BODIES else "department"
    elif rest in _GOVERNMENT_BODIES or (rest.endswith(_ZONE_BODIES) and "局" not in rest):
        body = "government"
    else:
        body = "department"
    if resolved or unresolved:
        parts = [province, city if city != province else None]
        parts.append(county if resolved and county else None)
        prefix = "".join(p for p in parts if p) + "".join(unresolved)
        key = prefix + (township or "") + rest
    else:
        key = text
    return AgencyName(key, province, city, county, township, level, body)


def agency_key(name: str) -> str:
    """The normalised key of an agency name (see the module docstring)."""
    return _cached_read(name).key


DDL: list[str] = [
    """CREATE TABLE report_agency (
        report_id VARCHAR PRIMARY KEY,
        agency_key VARCHAR,
        province VARCHAR,
        city VARCHAR,
        county VARCHAR,
        township VARCHAR,
        level VARCHAR CHECK (level IN ('central', 'province', 'city', 'county', 'township')),
        body VARCHAR CHECK (body IN ('government', 'department'))
    )""",
    """CREATE TABLE agency_aliases (
        alias_key VARCHAR PRIMARY KEY,
        agency_key VARCHAR NOT NULL,
        reason VARCHAR,
        added_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE VIEW report_agencies AS
       SELECT r.report_id, coalesce(al.agency_key, a.agency_key) AS agency_key, r.agency,
              a.province, a.city, a.county, a.township, a.level, a.body,
              a.agency_key AS name_key
       FROM reports r
       JOIN report_agency a USING (report_id)
       LEFT JOIN agency_aliases al ON al.alias_key = a.agency_key""",
    """CREATE VIEW agency_years AS
       WITH y AS (
           SELECT ra.agency_key, r.year, count(*) AS reports, list(DISTINCT r.agency) AS names
           FROM report_agencies ra JOIN reports r USING (report_id)
           WHERE ra.agency_key IS NOT NULL AND r.year IS NOT NULL
           GROUP BY ra.agency_key, r.year
       )
       SELECT agency_key, min(year) AS first_year, max(year) AS last_year,
              count(*) AS years_reported, sum(reports) AS reports,
              list(year ORDER BY year) AS years,
              list_filter(range(min(year), max(year) + 1),
                          lambda g: NOT list_contains(list(year), g)) AS gaps,
              list_distinct(flatten(list(names))) AS spellings
       FROM y GROUP BY agency_key""",
]


def record_agencies(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """(Re)compute `report_agency` for these reports from their printed agency names."""
    if not report_ids:
        return
    rows = con.execute(
        "SELECT report_id, coalesce(agency_raw, agency) FROM reports "
        "WHERE report_id IN (SELECT unnest(?))",
        [report_ids],
    ).fetchall()
    con.execute("DELETE FROM report_agency WHERE report_id IN (SELECT unnest(?))", [report_ids])
    values = []
    for rid, name in rows:
        if not name:
            values.append((rid, None, None, None, None, None, None, None))
            continue
        a = _cached_read(name)
        values.append((rid, a.key, a.province, a.city, a.county, a.township, a.level, a.body))
    if values:
        cols = list(zip(*values, strict=True))
        names = ["report_id", "agency_key", "province", "city", "county", "township", "level",
                 "body"]  # fmt: skip
        con.register("_agency", pa.table({n: list(c) for n, c in zip(names, cols, strict=True)}))
        try:
            con.execute("INSERT INTO report_agency SELECT * FROM _agency")
        finally:
            con.unregister("_agency")


@lru_cache(maxsize=65536)
def _cached_read(name: str) -> AgencyName:
    return read_agency(name)
