"""The named example queries shipped with the package (`examples.toml`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("examples.toml")


@dataclass(frozen=True)
class Example:
    """A question analysts ask and the SQL that answers it."""

    name: str
    question: str
    sql: str


@cache
def load_examples() -> dict[str, Example]:
    """Every example, by name, in file order."""
    data = tomllib.loads(_FILE.read_text(encoding="utf-8"))
    return {e["name"]: Example(e["name"], e["question"], e["sql"].strip()) for e in data["example"]}
