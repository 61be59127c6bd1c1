"""Random draws on a caller's random.Random: weighted choice, count splits, magnitudes."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

# Below this many trials a binomial is drawn exactly; above, approximated.
EXACT_BINOMIAL_TRIALS = 60
# Below this mean a large binomial is drawn as a Poisson, else as a rounded normal.
POISSON_MEAN = 12.0


def choose(rng: random.Random, weights: Mapping[T, float]) -> T:
    """One key of `weights`, drawn with probability proportional to its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def chance(rng: random.Random, p: float) -> bool:
    """True with probability p."""
    return rng.random() < p


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    """A magnitude spread evenly over orders of magnitude between lo and hi (lo > 0)."""
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def log_int(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in [lo, hi], small values more likely; lo may be 0."""
    if hi <= lo:
        return lo
    return min(hi, int(log_uniform(rng, lo + 1, hi + 2)) - 1)


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Successes in n trials of probability p."""
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n <= EXACT_BINOMIAL_TRIALS:
        return sum(1 for _ in range(n) if rng.random() < p)
    mean = n * p
    if mean < POISSON_MEAN:
        # Knuth's method; fine for small means.
        limit, k, prod = math.exp(-mean), 0, rng.random()
        while prod > limit:
            k += 1
            prod *= rng.random()
        return min(k, n)
    sd = math.sqrt(mean * (1 - p))
    return max(0, min(n, round(rng.gauss(mean, sd))))


def split_count(rng: random.Random, n: int, weights: Sequence[float]) -> list[int]:
    """Split n items over bins by weight (a multinomial draw); the parts sum to n."""
    out = [0] * len(weights)
    remaining, left = n, float(sum(weights))
    for i, w in enumerate(weights):
        if remaining == 0:
            break
        if w <= 0:
            continue
        # The last bin with weight takes what is left, so rounding never loses items.
        last = left - w <= 1e-9 * max(1.0, left)
        taken = remaining if last else binomial(rng, remaining, w / left)
        out[i] = taken
        remaining -= taken
        left -= w
    if remaining:
        out[0] += remaining
    return out


def decimal_text(x: float, places: int) -> str:
    """x printed with at most `places` decimals, trailing zeros dropped."""
    text = f"{x:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
