"""What the crawler left unread on a page it kept: a note on the URL's state.

A hostile or merely enormous page is not a failure (its first links are followed), but
what was cut must be on record: `url_state.note` says it ("script pagination capped at
500 pages"), NULL when the whole page was read. Applied as a migration by `warehouse.schema`;
the column's description is in `warehouse.dictionary`.
"""

from __future__ import annotations

DDL: list[str] = ["ALTER TABLE url_state ADD COLUMN note VARCHAR"]
