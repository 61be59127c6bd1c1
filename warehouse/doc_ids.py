"""Document ids: 16 hex digits of the bytes' sha256, or all 64 where those 16 are taken.

Sixteen digits (64 bits) keep ids short enough to read in a query, and two unrelated
documents share them with a chance of about n²/2⁶⁵ (one in 10⁸ for a million documents).
But bytes someone chooses can be made to share them in a few billion tries, and a shared id
would merge two documents. So an id is never trusted on its own: whenever one is found
taken, the full sha256 recorded with it is compared, and a different document gets its full
sha256 as id. Ids already given stay as they are (no migration: the columns are VARCHAR and
a longer id needs no new column).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported at run time: parsing workers use DocumentRecord only
    import duckdb

SHORT_ID = 16


@dataclass(frozen=True)
class DocumentRecord:
    """A document as the warehouse records it (bytes identified by their sha256)."""

    sha256: str
    source: str
    media_type: str | None = None
    size: int | None = None
    kind: str = "file"
    # Documents are identified by their bytes: 16 hex digits of the sha256 unless another
    # document holds those (`doc_id_for`); `warehouse.load.load_reports` settles it.
    doc_id: str = ""

    def __post_init__(self) -> None:
        if not self.doc_id:
            object.__setattr__(self, "doc_id", self.sha256[:SHORT_ID])


def doc_id_for(sha256: str, holders: Mapping[str, str]) -> str:
    """The id for new bytes, given the sha256 each id is already held by (id -> sha256)."""
    short = sha256[:SHORT_ID]
    holder = holders.get(short)
    return short if holder is None or holder == sha256 else sha256


def id_holders(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every document id with the sha256 it stands for."""
    return dict(con.execute("SELECT doc_id, sha256 FROM documents").fetchall())


def assign_doc_ids(con: duckdb.DuckDBPyConnection, hashes: Iterable[str]) -> dict[str, str]:
    """sha256 -> doc_id for these bytes: the recorded id if the bytes are known, else a new
    one that no other document (recorded, or earlier in `hashes`) holds."""
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return {}
    rows = con.execute(
        "SELECT doc_id, sha256 FROM documents "
        "WHERE sha256 IN (SELECT unnest(?)) OR doc_id IN (SELECT unnest(?))",
        [wanted, [sha[:SHORT_ID] for sha in wanted]],
    ).fetchall()
    holders = dict(rows)
    recorded = {sha: doc_id for doc_id, sha in rows}
    ids: dict[str, str] = {}
    for sha in wanted:
        doc_id = recorded.get(sha) or doc_id_for(sha, holders)
        holders.setdefault(doc_id, sha)
        ids[sha] = doc_id
    return ids
