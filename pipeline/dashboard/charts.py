"""Charts of the dashboard, drawn by matplotlib as SVG text (no display, no network).

Chart text is kept to years, numbers and indicator ids; Chinese names and every figure are
in the HTML table printed beside each chart. A NULL value is never drawn: a line breaks at it
(a gap), and the table beside the chart gives its reason.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

# Text stays text (the browser draws it); a fixed salt and no date make the files stable.
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "nianbao",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
STATUS_COLOURS = {"parsed": "#2ca02c", "partial": "#ffbf00", "failed": "#d62728"}


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _figure(width: float, height: float, layout: str | None = "constrained") -> Figure:
    with matplotlib.rc_context(RC):
        return Figure(figsize=(width, height), layout=layout)


def _percent(ax) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:.0f}%"))


def stacked_bars(years: Sequence[int], series: dict[str, Sequence[int]], ylabel: str) -> str:
    """Bars per year, one stacked segment per series (reports by status or format)."""
    fig = _figure(6.0, 2.6)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        bottom = [0] * len(years)
        xs = list(range(len(years)))
        for i, (name, counts) in enumerate(series.items()):
            colour = STATUS_COLOURS.get(name, PALETTE[i % len(PALETTE)])
            ax.bar(xs, counts, bottom=bottom, label=name, color=colour)
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        ax.set_xticks(xs, [str(y) for y in years])
        ax.set_ylabel(ylabel)
        if years:
            ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False)
    return _svg(fig)


def lines(
    years: Sequence[int],
    series: dict[str, Sequence[float | None]],
    ylabel: str,
    share: bool = False,
) -> str:
    """One line per series over the years; a None is a gap, never a zero."""
    fig = _figure(6.0, 2.6)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        for i, (name, values) in enumerate(series.items()):
            ys = [math.nan if v is None else v for v in values]
            ax.plot(list(years), ys, marker="o", ms=3, label=name, color=PALETTE[i % len(PALETTE)])
        ax.set_xticks(list(years))
        ax.set_ylabel(ylabel)
        if share:
            _percent(ax)
        if years:
            ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False)
    return _svg(fig)


def distribution(
    years: Sequence[int], values: Sequence[Sequence[float]], nulls: Sequence[int], share: bool
) -> str:
    """Box plots of the computed values per year; n computed and n NULL above each box."""
    fig = _figure(6.0, 2.8)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        positions = list(range(len(years)))
        drawn = [(p, v) for p, v in zip(positions, values, strict=True) if v]
        if drawn:
            ax.boxplot(
                [v for _, v in drawn],
                positions=[p for p, _ in drawn],
                widths=0.5,
                showfliers=True,
                flierprops={"markersize": 2},
            )
        ax.set_xticks(positions, [str(y) for y in years])
        ax.set_xlim(-0.6, len(years) - 0.4)
        for p, v, n in zip(positions, values, nulls, strict=True):
            ax.annotate(
                f"n={len(v)}\nnull={n}",
                (p, 1.0),
                xycoords=("data", "axes fraction"),
                ha="center",
                va="bottom",
                fontsize=6,
            )
        if share:
            _percent(ax)
    return _svg(fig)


# The agency trend chart: axes drawn once for the whole site, each agency's lines drawn on a
# transparent layer of the same geometry (an axes-free SVG costs a fifth of a whole chart).
TREND_SIZE = (6.4, 2.8)
TREND_MARGINS = {"left": 0.09, "right": 0.97, "bottom": 0.1, "top": 0.95}


def _trend_axes(fig: Figure, years: Sequence[int]):
    fig.subplots_adjust(**TREND_MARGINS)
    ax = fig.add_subplot()
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_xticks(list(years))
    return ax


def trend_axes(years: Sequence[int]) -> str:
    """The shared background: years, 0–100%, grid; no data."""
    fig = _figure(*TREND_SIZE, layout=None)
    with matplotlib.rc_context(RC):
        ax = _trend_axes(fig, years)
        ax.set_ylim(-0.02, 1.04)
        _percent(ax)
        ax.grid(axis="y", lw=0.3)
    return _svg(fig)


class TrendChart:
    """The shares of one agency over the years: one line per indicator, a gap (no line, no
    point) where a value is NULL. Reuses two figures, so thousands of agencies draw fast:
    `draw` returns a transparent layer over `trend_axes` when every value is within
    0–100%, else a whole chart with its own axes."""

    def __init__(self, years: Sequence[int], names: Sequence[str]) -> None:
        self.years = list(years)
        self.layer = _figure(*TREND_SIZE, layout=None)
        self.whole = _figure(*TREND_SIZE, layout=None)
        with matplotlib.rc_context(RC):
            self.layer.patch.set_alpha(0)
            ax = _trend_axes(self.layer, self.years)
            ax.set_ylim(-0.02, 1.04)
            ax.set_axis_off()
            ax.patch.set_alpha(0)
            whole = _trend_axes(self.whole, self.years)
            _percent(whole)
            whole.grid(axis="y", lw=0.3)
            self.lines = {
                fig: [
                    a.plot([], [], marker="o", ms=3, label=n, color=PALETTE[i % len(PALETTE)])[0]
                    for i, n in enumerate(names)
                ]
                for fig, a in ((self.layer, ax), (self.whole, whole))
            }

    def draw(self, values: dict[str, dict[int, float | None]]) -> tuple[str, bool]:
        """(SVG, layered): the agency's values (indicator → year → value)."""
        series = {
            name: [math.nan if values.get(name, {}).get(y) is None else values[name][y]
                   for y in self.years]
            for name in (line.get_label() for line in self.lines[self.layer])
        }  # fmt: skip
        known = [v for ys in series.values() for v in ys if not math.isnan(v)]
        layered = all(0.0 <= v <= 1.0 for v in known)
        fig = self.layer if layered else self.whole
        for line in self.lines[fig]:
            line.set_data(self.years, series[line.get_label()])
        if not layered:
            top = max(known)
            fig.axes[0].set_ylim(min(0.0, min(known)) - 0.02 * top, top * 1.04)
        return _svg(fig), layered
