"""ARCHITECTURE.md names real functions, and each journey stays short enough to follow."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "ARCHITECTURE.md"
NAME = re.compile(r"`((?:parsers|pipeline|warehouse)(?:\.\w+)+)`")


def _resolve(dotted: str) -> object:
    """The object a dotted name points to: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def _journeys() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:]
            out[current] = []
        elif current and re.match(r"\d+\. ", line):
            out[current].append(line)
    return out


@pytest.mark.parametrize("dotted", sorted(set(NAME.findall(DOC.read_text(encoding="utf-8")))))
def test_every_name_exists(dotted: str) -> None:
    assert callable(_resolve(dotted)), dotted


def test_each_journey_is_at_most_twelve_steps() -> None:
    journeys = {k: v for k, v in _journeys().items() if "figure" in k}
    assert len(journeys) == 2, journeys.keys()
    for title, steps in journeys.items():
        assert 5 <= len(steps) <= 12, (title, len(steps))


def test_a_wrong_name_is_caught() -> None:
    with pytest.raises(AttributeError):
        _resolve("parsers.reading.cells.no_such_function")
