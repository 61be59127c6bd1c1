"""China's administrative divisions (province, prefecture, county), as shipped by `cpca`.

The list is the national administrative division codes (行政区划代码, 2020 snapshot) in the
data file of the `cpca` package (`cpca/resources/adcodes.csv`: 12-digit code, name). It is read
as data; cpca's own API (and its pandas import) is never loaded. Townships (镇, 乡, 街道) are not
in the list: an agency name tells them by its suffix (see `warehouse.agencies`).
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEVELS = ("province", "city", "county")
# Placeholders of the code list that name no place.
_NOT_PLACES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@dataclass(frozen=True)
class Division:
    """One administrative division: its 6-digit code, official name and level."""

    code: str
    name: str
    level: str  # province | city | county

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str:
        return self.code[:4] + "00"

    def contains(self, other: Division) -> bool:
        """Whether `other` lies inside this division (or is it)."""
        keep = {"province": 2, "city": 4, "county": 6}[self.level]
        return other.code[:keep] == self.code[:keep]


@dataclass(frozen=True)
class PlaceIndex:
    """Divisions by code and by name (a name can belong to several divisions)."""

    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    longest: int

    def parent(self, d: Division, level: str) -> Division | None:
        """The division of `level` that contains `d`, if the list has it."""
        code = d.province_code if level == "province" else d.city_code
        return self.by_code.get(code) if code != d.code else d


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def data_file() -> Path:
    """Where cpca's division list is installed (found without importing cpca)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the cpca package (administrative division codes) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def read_divisions(path: Path) -> PlaceIndex:
    """The division list from a CSV of `adcode,name,...` rows."""
    by_code: dict[str, Division] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"].strip()
            if not name or name in _NOT_PLACES:
                continue
            by_code[code] = Division(code, name, _level(code))
    by_name: dict[str, list[Division]] = {}
    for d in by_code.values():
        by_name.setdefault(d.name, []).append(d)
    return PlaceIndex(
        by_code=by_code,
        by_name={k: tuple(sorted(v, key=lambda d: d.code)) for k, v in by_name.items()},
        longest=max(len(n) for n in by_name),
    )


@cache
def load_places() -> PlaceIndex:
    """The division list shipped with cpca, read once."""
    return read_divisions(data_file())
