"""Errors, each saying whose fault it is and why."""


class NianbaoError(Exception):
    """Base of every error nianbao raises on purpose; `reason` is for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SourceError(NianbaoError):
    """The document is broken, unsupported or not a report."""
