"""Issue #9's PDF hazards, typeset from a generated report (the real Hongze 2023 PDF's):
a bold group label one character a line, figures printed above their labels, a table broken
inside a group without a repeated header, （六）其他处理 as one row in a 2021 report.

    python -m synth.pdfrender --out tests/fixtures/pdf/issue-9 --issue-9
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from synth import document
from synth.pdfrender import (
    _gold,
    article,
    borderless,
    break_between,
    dump_gold,
    fit,
    narrow,
    render,
)
from synth.script import Scripts
from synth.settings import FAMILIAR_ODDS
from synth.wording import load_lexicon


def bold_vertical(html: str, label: str) -> str:
    """A group label in bold, one character a line (WPS's vertical text in a narrow cell)."""
    chars = "<br>".join(re.findall(r"[一二三四五六七八九十]、|.", label))
    return html.replace(label, f"<b>{chars}</b>", 1)


def values_above_labels(html: str) -> str:
    """Figures set at the top of their cells, each row label one line lower: the figures'
    baseline sits above their label's, so text order puts the figures first (as in WPS
    exports, where a tall group label beside the rows pushes the labels down)."""

    def cell(m: re.Match[str]) -> str:
        text = re.sub(r"<[^>]+>|&nbsp;|\s", "", m.group(2))
        if re.fullmatch(r"[\d.,\-]+", text):
            return f'<td valign="top"{m.group(1)}>{m.group(2)}</td>'
        if re.match(r"^(\d+\.|（[一二三四五六七]）)", text) and "rowspan" not in m.group(1):
            return f'<td valign="top"{m.group(1)}><br>{m.group(2)}</td>'
        return m.group(0)

    return re.sub(r"<td([^>]*)>(.*?)</td>", cell, html, flags=re.S)


# Issue #9: a 2021 report printing （六）其他处理 as one row, typeset the way the real Hongze
# 2023 PDF is (WPS): the group label 三、本年度办理结果 bold and one character a line, figures
# whose baseline sits above their wrapped label's, section 三 broken across pages inside a
# group with no repeated header. Written to tests/fixtures/pdf/issue-9/.
ISSUE_9_SEED = "pdf9:1"


def issue9_cases(soffice: str) -> dict[str, tuple[str, list[str], dict]]:
    """name -> (HTML, notes, gold) of the issue #9 PDF fixtures."""
    rng = random.Random(ISSUE_9_SEED)
    o = document.make_report(
        rng, 1, "clean", load_lexicon(), Scripts(), FAMILIAR_ODDS, "", "hybrid_other_handling"
    )
    html = fit(article(o.data.decode(o.gold.get("encoding") or "utf-8")))
    html = values_above_labels(bold_vertical(narrow(html, 70), "三、本年度办理结果"))
    # Short markers: wrapped labels interleave with figures in the text layer.
    broken = break_between(
        html, "三、收到和处理", "本机关不掌握", "补正后申请", soffice, whole_rows=True
    )
    notes = [
        f"synth (seed {ISSUE_9_SEED}, clean, hybrid_other_handling): {o.name}",
        "2021 format printing （六）其他处理 as one row (other_handling; the three 2021 rows "
        "missing)",
        "group label 三、本年度办理结果 bold, one character a line",
        "figures at the top of their cells, labels at the bottom: wrapped labels put their "
        "figures first in text order",
    ]
    out = {"synth-hybrid-2021-bold-vertical-figures-above": (html, notes, o.gold)}
    if broken is not None:
        group = [*notes, "page break inside group （四）无法提供, no repeated header"]
        out["synth-hybrid-2021-bold-vertical-break-in-group"] = (broken, group, o.gold)
        out["synth-hybrid-2021-bold-vertical-break-in-group-unruled"] = (
            borderless(broken),
            [*group, "no ruling lines"],
            o.gold,
        )
    return out


def build_issue9(out: Path, soffice: str) -> list[str]:
    """Write the issue #9 fixtures and their gold into `out`."""
    cases = issue9_cases(soffice)
    render({name: html for name, (html, _, _) in cases.items()}, out, soffice)
    for name, (_, notes, gold) in cases.items():
        (out / f"{name}.gold.json").write_text(
            dump_gold(_gold(gold, name, notes)), encoding="utf-8"
        )
    return sorted(cases)
