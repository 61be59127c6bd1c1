"""Script conversion: Simplified text as printed in Traditional documents (OpenCC)."""

from __future__ import annotations

from collections.abc import Callable

import opencc

Converter = Callable[[str], str]


def keep(text: str) -> str:
    """Simplified documents print text unchanged."""
    return text


class Scripts:
    """OpenCC converters, built once per run and handed to each document."""

    def __init__(self) -> None:
        self._converters: dict[str, opencc.OpenCC] = {}

    def converter(self, config: str | None) -> Converter:
        """The function printing Simplified text in a document's script; None keeps it."""
        if config is None:
            return keep
        if config not in self._converters:
            self._converters[config] = opencc.OpenCC(config)
        return self._converters[config].convert
