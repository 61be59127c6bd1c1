"""Agency keys join one body's reports across years and spellings; places where named."""

from __future__ import annotations

import pytest

from warehouse.agencies import agency_key, read_agency
from warehouse.schema import connect


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["江苏省淮安市洪泽区人民政府", "洪泽区人民政府", "淮安市洪泽区政府"],
         "江苏省淮安市洪泽区人民政府"),
        (["上海市人民政府办公厅", "上海市政府办公厅"], "上海市人民政府办公室"),
        (["郑州市人民政府", "鄭州市人民政府", "郑州市政府", "郑州市人民政府（本级）"],
         "河南省郑州市人民政府"),
        (["ＸＸ县教育局", "XX县教育局"], "XX县教育局"),
    ],
)  # fmt: skip
def test_spellings_of_one_body_share_a_key(names: list[str], key: str) -> None:
    assert {agency_key(n) for n in names} == {key}


def test_places_level_and_body_where_the_name_tells() -> None:
    a = read_agency("沛县城关镇人民政府")
    assert (a.province, a.city, a.county, a.township) == ("江苏省", "徐州市", "沛县", "城关镇")
    assert (a.level, a.body) == ("township", "government")
    a = read_agency("南京市鼓楼区湖滨街道办事处")
    assert (a.county, a.township, a.level, a.body) == (
        "鼓楼区",
        "湖滨街道",
        "township",
        "government",
    )
    a = read_agency("淮安市教育局")
    assert (a.province, a.city, a.county, a.level, a.body) == (
        "江苏省", "淮安市", None, "city", "department",
    )  # fmt: skip
    assert read_agency("江苏省生态环境厅").level == "province"
    assert read_agency("国家统计局").level == "central"
    assert read_agency("北京市东城区人民政府").city is None  # a municipality has no prefecture


def test_a_place_several_divisions_share_is_never_completed_by_a_guess() -> None:
    a = read_agency("鼓楼区人民政府")  # Nanjing, Fuzhou, Xuzhou and Kaifeng each have one
    assert (a.province, a.city, a.county, a.level) == (None, None, "鼓楼区", "county")
    assert a.key == "鼓楼区人民政府"
    assert read_agency("平潭综合实验区管理委员会").level is None


def test_each_series_agency_joins_across_years(series) -> None:
    db, manifest, outputs = series
    # The corpus mixes both formats, both scripts, HTML and text.
    assert {o.gold["format"] for o in outputs} == {"2019", "2021"}
    assert {o.gold["script"] for o in outputs} == {"simplified", "traditional"}
    con = connect(db, read_only=True)
    by_file = dict(
        con.execute(
            "SELECT d.source, ra.agency_key FROM report_agencies ra "
            "JOIN reports r USING (report_id) JOIN documents d USING (doc_id)"
        ).fetchall()
    )
    keys = set()
    for agency in manifest["agencies"]:
        got = {by_file[f] for f in agency["files"]}
        assert len(got) == 1, (agency["spellings"], got)
        keys |= got
        printed = {
            r for (r,) in con.execute(
                "SELECT DISTINCT agency FROM reports r JOIN documents d USING (doc_id) "
                "WHERE d.source IN (SELECT unnest(?))", [agency["files"]]
            ).fetchall()
        }  # fmt: skip
        assert len(printed) > 1  # spelled differently across years, joined all the same
    assert len(keys) == len(manifest["agencies"])


def test_agency_years_lists_years_and_gaps(series) -> None:
    db, manifest, _ = series
    con = connect(db, read_only=True)
    rows = {
        k: (first, last, years, gaps)
        for k, first, last, years, gaps in con.execute(
            "SELECT agency_key, first_year, last_year, years, gaps FROM agency_years"
        ).fetchall()
    }
    assert len(rows) == len(manifest["agencies"])
    gapped = [v for v in rows.values() if v[3]]
    assert gapped == [(2019, 2024, [2019, 2020, 2021, 2023, 2024], [2022])]


def test_an_operator_alias_merges_two_keys(series_copy) -> None:
    con = connect(series_copy)
    sql = "SELECT DISTINCT agency_key FROM report_agencies ORDER BY 1 LIMIT 2"
    a, b = [k for (k,) in con.execute(sql).fetchall()]
    con.execute(
        "INSERT INTO agency_aliases (alias_key, agency_key, reason) VALUES (?, ?, 'merged 2023')",
        [b, a],
    )
    keys = {k for (k,) in con.execute("SELECT DISTINCT agency_key FROM report_agencies").fetchall()}
    assert b not in keys and a in keys
    (n,) = con.execute("SELECT count(*) FROM report_agencies WHERE name_key = ?", [b]).fetchone()
    assert n > 0


def test_recheck_follows_an_alias(series_copy) -> None:
    from warehouse.derive import rederive_all

    con = connect(series_copy)
    sql = "SELECT count(*) FROM checks WHERE rule_id = 'requests.carry_continuity'"
    (before,) = con.execute(sql).fetchone()
    # The left-out year splits agency 1; pretend its 2023 reports belong to another key.
    con.execute(
        "INSERT INTO agency_aliases (alias_key, agency_key, reason) "
        "SELECT agency_key, 'merged-body', 'test' FROM report_agencies LIMIT 1"
    )
    checks, reuse = rederive_all(con)
    (after,) = con.execute(sql).fetchone()
    assert checks > 0 and reuse > 0 and after > 0
    merged = con.execute(
        "SELECT count(*) FROM checks c JOIN report_agencies ra USING (report_id) "
        "WHERE ra.agency_key = 'merged-body' AND c.rule_id = 'requests.carry_continuity'"
    ).fetchone()
    assert merged[0] > 0 and before > 0
