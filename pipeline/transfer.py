"""Parsed documents as bytes, to cross from a parsing worker to the loading process.

A report is a few hundred small frozen objects; pickle's default for slotted dataclasses
stores each one's state by name and rebuilds it attribute by attribute, which cost as much
as a fifth of parsing the report. Here each object is pickled as its class and its field
values in order, and rebuilt by its constructor (which validates it again). The rule is
this pickler's own dispatch table, not a global registration.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Callable
from typing import Any

from parsers import model

MODEL_TYPES = tuple(
    cls
    for cls in vars(model).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
)


def _by_fields(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    return lambda obj: (cls, tuple(getattr(obj, name) for name in names))


DISPATCH = {cls: _by_fields(cls) for cls in MODEL_TYPES}


def pack(value: object) -> bytes:
    """`value` (a worker's result) as bytes."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


def unpack(data: bytes) -> Any:
    """What `pack` packed (bytes from our own worker, never from outside)."""
    return pickle.loads(data)
