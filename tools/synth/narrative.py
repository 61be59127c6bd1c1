"""Labelled narrative sentences: figures written every way reports write them, beside the
numbers that are not figures (dates, document numbers, phone numbers, postcodes, ordinals).

Each sentence comes with the figures a reader takes from it: value, unit and qualifier.

    python -m synth.narrative --out sentences.json --n 200 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

# Sentence templates: {u} is a figure with unit u; [d] a distractor of kind d.
TEMPLATES = (
    "{year}年，{short}通过政府网站主动公开政府信息{条}，其中政策解读{篇}。",
    "全年共收到政府信息公开申请{件}，办结{件}，结转下年度继续办理{件}。",
    "召开新闻发布会{场}，组织政务公开业务培训{次}，参训人员{人次}。",
    "网站全年访问量{次}，政务微博粉丝{人}，满意率{%}。",
    "本报告统计期限自[date]起至[date]止，如有疑问请联系[phone]。",
    "根据[docno]要求，{short}清理规范性文件{件}，废止{件}。",
    "地址：淮安市健康东路1号，邮编：[postcode]，联系电话：[phone]。",
    "第[ordinal]次会议审议通过政务公开工作要点，部署重点任务{项}。",
    "全年收取信息处理费{元}，向{家}企业推送惠企政策{条}。",
    "依托12345热线受理群众诉求{件}，按时办结率{%}。",
    "在[date]召开的工作推进会上，通报了{个}单位的考核结果。",
    "政务新媒体账号{个}，全年发布信息{条}，阅读量{次}。",
    "编发政府公报{期}，刊登规章和规范性文件{件}。",
    "因政府信息公开被申请行政复议{件}、提起行政诉讼{件}。",
    "一是加强组织领导，二是完善工作机制，三是强化督促检查，共开展检查{次}。",
    "按照[docno]和[docno]的要求，规范公开事项{项}。",
    "全年投入政务公开专项经费{万元}，培训基层工作人员{名}。",
    "民意征集{期}、网上调查{期}，收到意见建议{份}。",
)
SHORTS = ("我市", "我区", "我县", "我局", "本机关")
QUALIFIED = {
    "before": (("近", "nearly"), ("约", "about"), ("超过", "more than"), ("逾", "more than")),
    "mid": (("余", "more than"), ("多", "more than")),
    "after": (("以上", "at least"), ("左右", "about")),
}
_CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """A count under 10,000 in Chinese numerals as reports write them (三十, 一百零五)."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    out, zero = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10)):
        d = n // size % 10
        if d:
            if zero and out:
                out += "零"
            out += _CN[d] + unit
            zero = False
        elif out:
            zero = True
    if n % 10:
        out += ("零" if zero else "") + _CN[n % 10]
    return out


def render_figure(rng: random.Random, unit: str) -> tuple[str, dict]:
    """A figure in one of the printed styles, and its label."""
    style = rng.choice(("plain", "plain", "comma", "fullwidth", "chinese", "wan", "decimal"))
    qual_kind = rng.choice((None, None, None, "before", "mid", "after"))
    if unit == "%":
        style = rng.choice(("plain", "decimal"))
        qual_kind = rng.choice((None, "after", "before"))
    phrase_unit = unit
    n = rng.choice((rng.randint(2, 99), rng.randint(100, 9999), rng.randint(10000, 999999)))
    if style == "decimal":
        value = f"{rng.randint(1, 99)}.{rng.randint(1, 99):02d}".rstrip("0")
        digits = value
    elif style == "chinese":
        n = rng.choice((rng.randint(2, 99), rng.randint(100, 9999)))
        value, digits = str(n), chinese(n)
    elif style == "wan" and unit == "元":
        # 337万元 is read as 337 万元, the way tables print money.
        k = rng.randint(1, 900)
        value, digits, unit = str(k), f"{k}万", "万元"
        phrase_unit = "元"
    elif style == "wan" and unit != "万元":
        k = rng.randint(1, 900)
        value, digits = str(k * 10000), f"{k}万"
    elif style == "comma" and n >= 1000:
        value, digits = str(n), f"{n:,}".replace(",", rng.choice((",", "，")))
    elif style == "fullwidth":
        value = str(n)
        digits = value.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    else:
        value, digits = str(n), str(n)
    qualifier = None
    before = after = ""
    if qual_kind:
        q, _meaning = rng.choice(QUALIFIED[qual_kind])
        qualifier = q
        if qual_kind == "before":
            before = q
        elif qual_kind == "after":
            after = q
        elif digits.endswith("万"):
            digits = digits[:-1] + q + "万"
        else:
            digits += q
    phrase = f"{before}{digits}{phrase_unit}{after}"
    return phrase, {"phrase": phrase, "value": value, "unit": unit, "qualifier": qualifier}


def distractor(rng: random.Random, kind: str) -> str:
    """A number that is not a figure."""
    y = rng.randint(2019, 2025)
    return {
        "date": rng.choice((f"{y}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
                            f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")),
        "docno": f"国办公开办函〔{y}〕{rng.randint(1, 99)}号",
        "phone": rng.choice((f"0517-8{rng.randint(1000000, 9999999)}",
                             f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}")),
        "postcode": str(rng.randint(100000, 859999)),
        "ordinal": str(rng.randint(2, 40)),
    }[kind]  # fmt: skip


def make_sentence(rng: random.Random) -> dict:
    """One labelled sentence."""
    template = rng.choice(TEMPLATES)
    figures: list[dict] = []
    out, i = "", 0
    while i < len(template):
        c = template[i]
        if c in "{[":
            j = template.index("}" if c == "{" else "]", i)
            name = template[i + 1 : j]
            if c == "[":
                out += distractor(rng, name)
            elif name == "year":
                out += str(rng.randint(2019, 2025))
            elif name == "short":
                out += rng.choice(SHORTS)
            else:
                phrase, label = render_figure(rng, name)
                out += phrase
                figures.append(label)
            i = j + 1
        else:
            out += c
            i += 1
    return {"sentence": out, "figures": figures}


def make_sentences(n: int, seed: int) -> list[dict]:
    """n labelled sentences, deterministic from the seed."""
    rng = random.Random(f"narrative:{seed}")
    return [make_sentence(rng) for _ in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth.narrative", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    data = make_sentences(args.n, args.seed)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {len(data)} sentences to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
