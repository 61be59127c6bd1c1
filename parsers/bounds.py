"""Range checks for settings objects: one message per kind of bound, named by class and field."""

from __future__ import annotations


def shares(obj: object, *names: str) -> None:
    """Each named field lies between 0 and 1."""
    _check(obj, names, lambda v: 0 <= v <= 1, "must be between 0 and 1")


def non_negative(obj: object, *names: str) -> None:
    """Each named field is 0 or more."""
    _check(obj, names, lambda v: v >= 0, "cannot be negative")


def positive(obj: object, *names: str) -> None:
    """Each named field is more than 0."""
    _check(obj, names, lambda v: v > 0, "must be positive")


def _check(obj: object, names: tuple[str, ...], ok, message: str) -> None:
    for name in names:
        if not ok(getattr(obj, name)):
            raise ValueError(f"{type(obj).__name__}.{name} {message}")
