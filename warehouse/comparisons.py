"""Comparisons of indicators across agencies and years (views over `indicators`).

- `agency_indicators`: one row per agency key, year and indicator, from one report per
  agency and year (a parsed one first, then by report id, as the cross-report checks pick).
- `indicator_peer_ranks`: the agency's rank within its peer group per year — agencies of the
  same level and kind of body in the same place (the scopes of `indicators.toml`: county
  governments of one city, departments of one province …) — with the group's size,
  quartiles, interquartile fences and an outlier flag.
- `indicator_outliers`: the peer-rank rows beyond the fences, with the figures behind them.
- `indicator_changes`: year-over-year change per agency and indicator; NULL with the
  reason where either year's value is NULL or the previous year has no report.

Ranks count only agencies with a value (rank 1 = the highest value); an agency whose value
is NULL stays in the view with its status and reason and no rank.
"""

from __future__ import annotations

from warehouse.indicator_specs import ComparisonSettings, PeerScope, load_indicators
from warehouse.indicators import cells_select, indicators_select


def agency_select(indicators: str | None = None) -> str:
    """The SELECT of `agency_indicators` over the indicators named `indicators` (a table with
    the columns of the `indicators` view, as the dashboard keeps), or by default over the
    view's own SELECT with the year carried, so that a filter on the year reaches the
    reports before any cell is looked up."""
    if indicators is None:
        carried = ("year",)
        cells = f"({cells_select(carried)})"
        indicators = f"({indicators_select(cells, carried)})"
        on = "i.report_id = one.report_id AND i.year = one.year"
    else:
        on = "i.report_id = one.report_id"
    return f"""WITH one AS (
    SELECT ra.agency_key, ra.province, ra.city, ra.county, ra.township, ra.level, ra.body,
           r.report_id, r.agency, r.year, r.format
    FROM report_agencies ra JOIN reports r USING (report_id)
    WHERE ra.agency_key IS NOT NULL AND r.year IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY ra.agency_key, r.year
                               ORDER BY r.status = 'parsed' DESC, r.report_id) = 1
)
SELECT one.agency_key, one.agency, one.province, one.city, one.county, one.township,
       one.level, one.body, one.year, one.format, one.report_id,
       i.indicator_id, i.value, i.numerator, i.denominator, i.status, i.reason, i.unit
FROM one JOIN {indicators} i ON {on}"""


def _scope_sql(scope: PeerScope, source: str) -> str:
    levels = ", ".join(f"'{lv}'" for lv in scope.levels)
    known = "".join(f" AND {p} IS NOT NULL" for p in scope.places)
    place = " || ".join(scope.places) if scope.places else "''"
    return (
        f"SELECT '{scope.id}' AS peer_scope, {place} AS peer_place, a.* "
        f"FROM {source} a WHERE level IN ({levels}) AND body IS NOT NULL{known}"
    )


def ranks_select(settings: ComparisonSettings, source: str = "agency_indicators") -> str:
    """The SELECT of `indicator_peer_ranks` over the agency indicators named `source`."""
    scoped = "\n    UNION ALL\n    ".join(_scope_sql(s, source) for s in settings.scopes)
    k = settings.fence
    return f"""WITH scoped AS (
    {scoped}
),
grouped AS (
    SELECT *,
           count(value) OVER g AS group_size,
           count(*) OVER g AS group_agencies,
           CASE WHEN value IS NOT NULL
                THEN rank() OVER (PARTITION BY peer_scope, peer_place, level, body,
                                               indicator_id, year, value IS NULL
                                  ORDER BY value DESC) END AS rank,
           quantile_cont(value, 0.25) OVER g AS q1,
           quantile_cont(value, 0.5) OVER g AS median,
           quantile_cont(value, 0.75) OVER g AS q3
    FROM scoped
    WINDOW g AS (PARTITION BY peer_scope, peer_place, level, body, indicator_id, year)
)
SELECT peer_scope, peer_place, level, body,
       peer_scope || ': ' || CASE WHEN peer_place = '' THEN 'national' ELSE peer_place END
           || ' · ' || level || ' · ' || body AS peer_group,
       indicator_id, year, agency_key, agency, report_id, format, value, numerator,
       denominator, status, reason, rank, group_size, group_agencies,
       CASE WHEN rank IS NOT NULL AND group_size > 1
            THEN (rank - 1) / (group_size - 1) END AS rank_fraction,
       q1, median, q3, q3 - q1 AS iqr,
       q1 - {k} * (q3 - q1) AS lower_fence, q3 + {k} * (q3 - q1) AS upper_fence,
       CASE WHEN group_size >= {settings.min_group} AND value > q3 + {k} * (q3 - q1) THEN 'high'
            WHEN group_size >= {settings.min_group} AND value < q1 - {k} * (q3 - q1) THEN 'low'
       END AS outlier
FROM grouped"""


OUTLIERS_SQL = """CREATE OR REPLACE VIEW indicator_outliers AS
SELECT peer_group, peer_scope, peer_place, level, body, indicator_id, year, agency_key,
       agency, report_id, outlier, value, numerator, denominator, q1, median, q3, iqr,
       lower_fence, upper_fence, group_size, rank
FROM indicator_peer_ranks WHERE outlier IS NOT NULL"""


def changes_select(source: str = "agency_indicators") -> str:
    """The SELECT of `indicator_changes` over the agency indicators named `source`."""
    return f"""SELECT cur.agency_key, cur.indicator_id, cur.year, cur.year - 1 AS previous_year,
       cur.report_id, prev.report_id AS previous_report_id,
       cur.value, prev.value AS previous_value,
       CASE WHEN cur.value IS NOT NULL AND prev.value IS NOT NULL
            THEN cur.value - prev.value END AS change,
       CASE WHEN cur.value IS NOT NULL AND prev.value IS NOT NULL AND prev.value <> 0
            THEN (cur.value - prev.value) / abs(prev.value) END AS relative_change,
       CASE WHEN prev.report_id IS NULL THEN 'no_previous'
            WHEN cur.value IS NULL THEN 'value_null'
            WHEN prev.value IS NULL THEN 'previous_null'
            ELSE 'ok' END AS status,
       CASE WHEN prev.report_id IS NULL
                 THEN 'no report of this agency for ' || (cur.year - 1)
            WHEN cur.value IS NULL
                 THEN cur.year || ': ' || cur.status || coalesce(' (' || cur.reason || ')', '')
            WHEN prev.value IS NULL
                 THEN prev.year || ': ' || prev.status
                      || coalesce(' (' || prev.reason || ')', '')
            WHEN prev.value = 0 THEN 'previous value is 0: no relative change'
       END AS reason,
       cur.unit
FROM {source} cur
LEFT JOIN {source} prev
  ON prev.agency_key = cur.agency_key AND prev.indicator_id = cur.indicator_id
 AND prev.year = cur.year - 1"""


def ddl(settings: ComparisonSettings | None = None) -> list[str]:
    """The comparison views (after `warehouse.indicators.ddl`)."""
    settings = settings or load_indicators().comparison
    return [
        f"CREATE OR REPLACE VIEW agency_indicators AS {agency_select()}",
        f"CREATE OR REPLACE VIEW indicator_peer_ranks AS {ranks_select(settings)}",
        OUTLIERS_SQL,
        f"CREATE OR REPLACE VIEW indicator_changes AS {changes_select()}",
    ]
