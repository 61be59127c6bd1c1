"""Random report figures that satisfy every consistency rule of templates.md."""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth import codes
from synth.codes import Key
from synth.draw import binomial, chance, choose, decimal_text, log_int, log_uniform, split_count
from synth.settings import Odds

# Relative frequency of each result row among answered requests, before per-report jitter.
RESULT_WEIGHTS = {
    "granted": 30.0,
    "partly_granted": 8.0,
    "denied_state_secret": 0.3,
    "denied_by_law": 0.6,
    "denied_security": 0.3,
    "denied_third_party": 0.8,
    "denied_internal": 1.0,
    "denied_process": 1.5,
    "denied_enforcement": 0.5,
    "denied_query": 1.5,
    "unable_not_held": 22.0,
    "unable_to_create": 3.0,
    "unable_unclear": 2.0,
    "rejected_petition": 6.0,
    "rejected_repeat": 3.0,
    "rejected_publication": 0.5,
    "rejected_excessive": 0.5,
    "rejected_confirmation": 0.6,
    "other_handling": 4.0,
    "other_no_correction": 3.0,
    "other_unpaid_fee": 0.2,
    "other_misc": 2.0,
}
# Applicant mix apart from natural persons (who take most of it): (weight, chance of none).
ORG_WEIGHTS = {
    "enterprise": (5.0, 0.25),
    "research": (0.15, 0.7),
    "nonprofit": (0.2, 0.65),
    "legal_services": (2.0, 0.35),
    "other_org": (1.0, 0.4),
}
REVIEW_SPLIT = {"upheld": 60.0, "corrected": 8.0, "other": 15.0, "pending": 17.0}
# How a 2019 procurement amount is printed: (unit, where the unit is printed) -> weight.
PROCUREMENT_UNITS = {
    ("元", "cell"): 0.30,
    ("万元", "cell"): 0.20,
    ("万元", "header"): 0.20,
    ("元", "header"): 0.10,
    ("", ""): 0.20,
}


@dataclass
class Figures:
    """True figures of one report; money cells hold their printed digits as text."""

    numbers: dict[Key, int | str]
    tier: str
    amount_unit: str | None
    amount_unit_at: str | None  # "cell", "header" or None when no unit is printed
    hybrid: bool


def draw_figures(rng: random.Random, fmt: str, hybrid: bool, odds: Odds) -> Figures:
    """Consistent figures for a report of format `fmt`."""
    tier_name, _, lo, hi = rng.choices(odds.size_tiers, [t[1] for t in odds.size_tiers])[0]
    numbers: dict[Key, int | str] = {}
    numbers.update(_requests(rng, fmt, hybrid, lo, hi))
    numbers.update(_reviews(rng, tier_name))
    proactive, unit, unit_at = _proactive(rng, fmt, tier_name)
    numbers.update(proactive)
    return Figures(numbers, tier_name, unit, unit_at, hybrid)


def _requests(rng: random.Random, fmt: str, hybrid: bool, lo: int, hi: int) -> dict[Key, int]:
    """Section 三 counts: row totals, result sums and the balance hold by construction."""
    cols = codes.APPLICANT_COLS
    received = log_int(rng, lo, hi) if hi else 0
    orgs = [w * rng.uniform(0.2, 2.0) * (not chance(rng, p)) for w, p in ORG_WEIGHTS.values()]
    natural = rng.uniform(0.55, 0.97)
    org_sum = sum(orgs)
    shares = [natural, *((w / org_sum) * (1 - natural) for w in orgs)] if org_sum else [1.0]
    new = split_count(rng, received, shares + [0.0] * (len(cols) - len(shares)))
    carry_rate = 0.0 if chance(rng, 0.4) else rng.uniform(0.0, 0.06)
    forward_rate = 0.0 if chance(rng, 0.3) else rng.uniform(0.0, 0.08)
    carried = [binomial(rng, n, carry_rate) for n in new]
    forward = [binomial(rng, n + c, forward_rate) for n, c in zip(new, carried, strict=True)]
    rows = codes.result_rows(fmt, hybrid)
    # Per-report jitter, and some result rows never used by this agency.
    weights = [
        RESULT_WEIGHTS[r] * rng.uniform(0.3, 2.5) * (0 if chance(rng, 0.25) else 1) for r in rows
    ]
    if not any(weights):
        weights[0] = 1.0
    out: dict[Key, int] = {}
    for j, col in enumerate(cols):
        answered = new[j] + carried[j] - forward[j]
        parts = split_count(rng, answered, weights)
        for row, n in zip(rows, parts, strict=True):
            out["requests", row, col] = n
        out["requests", "new_received", col] = new[j]
        out["requests", "carried_over", col] = carried[j]
        out["requests", "carried_forward", col] = forward[j]
        out["requests", "results_total", col] = answered
    for row in codes.printed_request_rows(fmt, hybrid):
        out["requests", row, "total"] = sum(out["requests", row, c] for c in cols)
    return out


def _reviews(rng: random.Random, tier: str) -> dict[Key, int]:
    """Section 四 counts; each row's total is the sum of its four results."""
    scale = {"none": 0, "tiny": 1, "small": 4, "medium": 20, "large": 300}[tier]
    out: dict[Key, int] = {}
    for row, share in zip(codes.REVIEW_ROWS, (1.0, 0.4, 0.2), strict=True):
        n = 0 if chance(rng, 0.35) else log_int(rng, 0, int(scale * share))
        weights = [w * rng.uniform(0.2, 2.0) for w in REVIEW_SPLIT.values()]
        parts = split_count(rng, n, weights)
        for col, v in zip(REVIEW_SPLIT, parts, strict=True):
            out["reviews", row, col] = v
        out["reviews", row, "total"] = n
    return out


def _items_and_change(rng: random.Random, most: int, big: int) -> tuple[int, int, int]:
    """2019 licensing-like row: last year's item count, signed change, decisions."""
    prev = 0 if chance(rng, 0.3) else log_int(rng, 1, most)
    change = 0 if chance(rng, 0.5) else rng.randint(-min(prev, 417), max(1, prev // 10))
    decisions = 0 if prev == 0 and chance(rng, 0.7) else log_int(rng, 0, big)
    return prev, change, decisions


def _proactive(
    rng: random.Random, fmt: str, tier: str
) -> tuple[dict[Key, int | str], str | None, str | None]:
    """Section 二 figures and how the money cell prints its unit."""
    out: dict[Key, int | str] = {}
    makes_rules = chance(rng, 0.3)
    big = {"none": 50, "tiny": 300, "small": 3000, "medium": 60000, "large": 500000}[tier]
    if fmt == "2019":
        for row, most in (("rules", 15), ("normative_docs", 80)):
            made = log_int(rng, 0, most) if row == "normative_docs" or makes_rules else 0
            published = made if chance(rng, 0.8) else rng.randint(0, made)
            out["proactive", row, "made"] = made
            out["proactive", row, "published"] = published
            out["proactive", row, "total_published"] = published + log_int(rng, 0, most * 8)
        for row, most, scale in (
            ("licensing", 600, big),
            ("other_services", 200, big // 4),
            ("penalty", 3000, big // 2),
            ("coercion", 200, big // 20),
        ):
            prev, change, decisions = _items_and_change(rng, most, max(1, scale))
            out["proactive", row, "prev_items"] = prev
            out["proactive", row, "change"] = change
            out["proactive", row, "decisions"] = decisions
        prev = log_int(rng, 0, 40)
        out["proactive", "fees", "prev_items"] = prev
        out["proactive", "fees", "change"] = 0 if chance(rng, 0.6) else rng.randint(-prev, 3)
        projects = 0 if chance(rng, 0.3) else log_int(rng, 1, 300)
        unit, at = choose(rng, PROCUREMENT_UNITS)
        out["proactive", "procurement", "projects"] = projects
        out["proactive", "procurement", "amount"] = _money(rng, unit or "元", projects == 0)
        return out, unit or None, at or None
    for row, most in (("rules", 15), ("normative_docs", 80)):
        issued = log_int(rng, 0, most) if row == "normative_docs" or makes_rules else 0
        repealed = 0 if chance(rng, 0.5) else log_int(rng, 0, most)
        out["proactive", row, "issued"] = issued
        out["proactive", row, "repealed"] = repealed
        out["proactive", row, "in_force"] = issued + log_int(rng, 0, most * 6)
    for row, scale in (("licensing", big), ("penalty", big // 2), ("coercion", big // 20)):
        out["proactive", row, "decisions"] = 0 if chance(rng, 0.2) else log_int(rng, 0, scale)
    out["proactive", "fees", "amount"] = _money(rng, "万元", chance(rng, 0.35))
    return out, "万元", "header"


def _money(rng: random.Random, unit: str, zero: bool) -> str:
    """A money amount as printed digits: whole 元 (sometimes with cents) or 万元 with decimals."""
    if zero:
        return "0"
    if unit == "元":
        places = 2 if chance(rng, 0.2) else 0
        text = decimal_text(log_uniform(rng, 5000, 5e7), places)
    else:
        text = decimal_text(log_uniform(rng, 0.5, 1.2e5), rng.choice((0, 1, 2, 4)))
    return "0.01" if text == "0" else text


def perturb(rng: random.Random, figures: Figures, fmt: str) -> Key:
    """Print one total a few off so that a consistency check fails; returns the cell changed."""
    rows = codes.printed_request_rows(fmt, figures.hybrid)
    targets: list[Key] = [
        ("requests", "new_received", "total"),
        ("requests", "results_total", "total"),
        ("requests", "results_total", rng.choice(codes.APPLICANT_COLS)),
        ("requests", rng.choice(rows), "total"),
        ("requests", "carried_forward", "natural_person"),
        ("reviews", rng.choice(codes.REVIEW_ROWS), "total"),
    ]
    key = rng.choice(targets)
    value = int(figures.numbers[key])
    delta = rng.choice((-3, -2, -1, 1, 2, 3, 5, 10))
    if value + delta <= 0:
        # A total perturbed down to 0 may print blank, which checks cannot evaluate.
        delta = -delta
    figures.numbers[key] = value + delta
    return key
