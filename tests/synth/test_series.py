"""The multi-year generator: deterministic, chained figures, planted breaks listed."""

from __future__ import annotations

from itertools import pairwise

from synth.series import SeriesSettings, make_series

SMALL = SeriesSettings(agencies=2, years=(2020, 2021, 2022, 2023), skip=())


def test_same_seed_same_bytes() -> None:
    a, ma = make_series(3, SMALL)
    b, mb = make_series(3, SMALL)
    assert [o.data for o in a] == [o.data for o in b] and ma == mb


def test_figures_are_chained_except_where_a_break_is_planted() -> None:
    outputs, manifest = make_series(3, SMALL)
    gold = {o.name: {(f["table_id"], f["row_id"], f["col_id"]): f["value"]
                     for f in o.gold["facts"]} for o in outputs}  # fmt: skip
    broken = {(c["agency_index"], c["year"], c["scope"])
              for c in manifest["continuity"] if c["status"] == "fail"}  # fmt: skip
    assert broken
    for agency in manifest["agencies"]:
        files = agency["files"]
        for prev, cur in pairwise(files):
            year = int(cur.rsplit("-", 1)[1].split(".")[0])
            over = gold[cur]["requests", "carried_over", "natural_person"] or 0
            forward = gold[prev]["requests", "carried_forward", "natural_person"] or 0
            planted = (agency["index"], year, "natural_person") in broken
            assert (over != forward) == planted


def test_spellings_differ_across_years() -> None:
    outputs, manifest = make_series(3, SMALL)
    for agency in manifest["agencies"]:
        printed = {o.gold["agency"] for o in outputs if o.name in agency["files"]}
        # A body whose name has no short form or missing province prints one way.
        assert len(printed) == min(len(agency["spellings"]), len(agency["files"]))
    assert any(len(a["spellings"]) > 1 for a in manifest["agencies"])
