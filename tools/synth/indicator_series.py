"""A multi-year corpus for the indicator tests: peer agencies of known places, and cells
planted missing, blank, dash, blank-with-printed-parts (derived) and contradicting their
total (a failing check), each listed in the gold's notes and in the manifest.

Agencies: five county governments of 淮安市 (one peer group), a department of 洪泽区, a
county government of 南京市 (same province, another city) and 淮安市人民政府 (a city).

    python -m synth.indicator_series --out DIR --seed 1
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

from synth import codes, relayout
from synth.cells import Cell
from synth.codes import Key
from synth.corpus import write
from synth.document import Built, Output
from synth.gold import Override
from synth.grid import TCell
from synth.series import SeriesSettings, make_series
from synth.settings import FAMILIAR_ODDS

NAMES = (
    "淮安市洪泽区人民政府",
    "淮安市淮阴区人民政府",
    "淮安市清江浦区人民政府",
    "淮安市盱眙县人民政府",
    "淮安市涟水县人民政府",
    "淮安市洪泽区教育局",
    "南京市玄武区人民政府",
    "淮安市人民政府",
)
YEARS = (2020, 2021, 2022, 2023)
SETTINGS = SeriesSettings(
    agencies=len(NAMES), years=YEARS, skip=((6, 2022),), names=NAMES, html=0.6
)
# What is planted where: (agency index, year) -> kinds, applied in order.
PLANTS: dict[tuple[int, int], tuple[str, ...]] = {
    (0, 2021): ("missing_granted",),
    (0, 2023): ("blank_results_total", "missing_review_upheld"),
    (1, 2022): ("blank_results_total",),
    (2, 2020): ("zero_rows_empty",),
    (2, 2022): ("zero_rows_empty",),
    (3, 2023): ("contradict_granted",),
    (4, 2022): ("reviews_absent",),
    (5, 2021): ("fees_blank",),
}
TWO_FIGURES = "1 2"  # two figures run together in one cell: unreadable, never split
DASH = "—"
CONTRADICTION = 5  # added to the printed granted total, not to its parts


def _cell(built: Built, key: Key) -> TCell:
    for table in built.report.tables():
        for row in table.rows:
            for c in row.cells:
                if c.key == key:
                    return c
    raise LookupError(f"{'.'.join(key)} is not printed")


def _print(built: Built, key: Key, text: str) -> None:
    _cell(built, key).text = text


class Planter:
    """Plants one report's cells and records the gold overrides and notes."""

    def __init__(self, built: Built) -> None:
        self.built = built
        self.cells: dict[Key, Cell] = built.cells
        self.out: dict[Key, Override] = {}

    def note(self, text: str) -> None:
        self.built.notes.append(f"planted: {text}")

    def missing_granted(self) -> None:
        key = ("requests", "granted", "total")
        _print(self.built, key, TWO_FIGURES)
        self.out[key] = Override(status="missing", recoverable=False)
        self.note(f"requests.granted.total printed {TWO_FIGURES!r} (missing)")

    def missing_review_upheld(self) -> None:
        key = ("reviews", "review", "upheld")
        _print(self.built, key, TWO_FIGURES)
        self.out[key] = Override(status="missing", recoverable=False)
        self.note(f"reviews.review.upheld printed {TWO_FIGURES!r} (missing)")

    def blank_results_total(self) -> None:
        key = ("requests", "results_total", "total")
        _print(self.built, key, "")
        self.out[key] = Override(status="blank", raw="", derivable=self.cells[key].value)
        self.note("requests.results_total.total printed blank beside its printed parts")

    def contradict_granted(self) -> None:
        key = ("requests", "granted", "total")
        value = int(self.cells[key].value or 0) + CONTRADICTION
        _print(self.built, key, str(value))
        self.out[key] = Override(status="ok", keep_value=False, value=value, raw=str(value))
        self.note(f"requests.granted.total printed {value}, {CONTRADICTION} more than its parts")

    def zero_rows_empty(self) -> None:
        """The first all-zero result row printed blank, the second as dashes."""
        rows = [
            r
            for r in codes.result_rows(self.built.plan.fmt, False)
            if all(self.cells[("requests", r, c)].value in (0, None) for c in codes.REQUEST_COLS)
        ]
        for row, (text, status) in zip(rows, (("", "blank"), (DASH, "dash")), strict=False):
            for col in codes.REQUEST_COLS:
                key = ("requests", row, col)
                _print(self.built, key, text)
                self.out[key] = Override(status=status, raw=text)
            self.note(f"requests.{row} (all zero) printed {status}")

    def reviews_absent(self) -> None:
        table = next(t for t in self.built.report.tables() if t.table_id == "reviews")
        blocks, at = relayout.locate(self.built.report, table)
        del blocks[at]
        for key in self.cells:
            if key[0] == "reviews":
                self.out[key] = Override(status="missing", printed=False, recoverable=False)
        self.built.absent.append("reviews")
        self.note("reviews table not printed")

    def fees_blank(self) -> None:
        key = ("proactive", "fees", "amount")
        _print(self.built, key, "")
        self.out[key] = Override(status="blank", raw="")
        self.note("proactive.fees.amount printed blank")


def plant(_rng: random.Random, built: Built, agency: int, year: int) -> dict[Key, Override]:
    """The series hook: plant this report's kinds, return the gold overrides."""
    planter = Planter(built)
    for kind in PLANTS.get((agency, year), ()):
        getattr(planter, kind)()
    return planter.out


def make_indicator_series(seed: int) -> tuple[list[Output], dict[str, Any]]:
    """The documents and a manifest listing the planted cells and the agencies."""
    outputs, manifest = make_series(seed, SETTINGS, FAMILIAR_ODDS, plant=plant)
    manifest["generator"] = "synth.indicator_series"
    manifest["plants"] = [
        {"agency_index": a, "year": y, "kinds": list(kinds)} for (a, y), kinds in PLANTS.items()
    ]
    return outputs, manifest


def main(argv: list[str] | None = None) -> int:
    """Write the corpus with its manifest."""
    parser = argparse.ArgumentParser(prog="python -m synth.indicator_series", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    outputs, manifest = make_indicator_series(args.seed)
    write(args.out, outputs, manifest)
    print(f"wrote {len(outputs)} documents to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
