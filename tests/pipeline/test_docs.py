"""The README documents every command as its --help says."""

from __future__ import annotations

import click

from pipeline.cli import main
from pipeline.docs import BEGIN, README, render


def test_readme_command_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text
    assert render(text) == text, "README is stale: run python -m pipeline.docs"


def test_every_command_has_help_with_an_example() -> None:
    ctx = click.Context(main, info_name="nianbao")
    for name in main.list_commands(ctx):
        doc = main.get_command(ctx, name).help or ""
        assert doc.strip(), name
        assert "Example:" in doc, name
