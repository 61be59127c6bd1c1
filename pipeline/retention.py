"""What the raw store keeps for ever, and `nianbao gc`, which prunes the rest.

Kept: every version of every report document (a row of `documents`), and the current copy
of every other page (a URL's `url_state.sha256`, which conditional requests and link
discovery reread). Pruned: superseded copies of list and other pages, bodies no row names
(a crash between storing and recording), and temporary files of interrupted writes older
than `leftover_age`. gc takes the run lock, so it never runs beside a crawl that may be
storing bodies it has not recorded yet.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.store import RawStore, WarehouseLock, default_raw_root
from warehouse.access import Warehouse


@dataclass(frozen=True)
class RetentionSettings:
    leftover_age: float = 3600.0  # seconds before a temporary file counts as a crash's leftover


@dataclass(frozen=True)
class GcResult:
    """What gc found and did (or, dry, would do)."""

    kept_documents: int
    kept_document_bytes: int
    kept_pages: int
    kept_page_bytes: int
    pruned: int
    pruned_bytes: int
    leftovers: int
    leftover_bytes: int
    dry_run: bool


def collect_garbage(
    db: str | Path,
    *,
    dry_run: bool = False,
    settings: RetentionSettings | None = None,
    warehouse: Warehouse | None = None,
) -> GcResult:
    """Prune the raw store of the warehouse at `db` (see the module docstring)."""
    settings = settings or RetentionSettings()
    warehouse = warehouse or Warehouse(db)
    store = RawStore(default_raw_root(db))
    with WarehouseLock.for_db(db):
        with warehouse.reading() as con:
            documents = {s for (s,) in con.execute("SELECT sha256 FROM documents").fetchall()}
            pages = {
                s
                for (s,) in con.execute(
                    "SELECT sha256 FROM url_state WHERE sha256 IS NOT NULL"
                ).fetchall()
            } - documents
        blobs = list(store.blobs())
        if blobs and not documents and not pages:
            raise ConfigError(
                f"{db} names no document or page, yet {store.root} holds {len(blobs)} files: "
                "is this the warehouse the raw store belongs to? Nothing pruned"
            )
        kept_doc = kept_page = pruned = 0
        kept_doc_bytes = kept_page_bytes = pruned_bytes = 0
        for sha, path, size in blobs:
            if sha in documents:
                kept_doc, kept_doc_bytes = kept_doc + 1, kept_doc_bytes + size
            elif sha in pages:
                kept_page, kept_page_bytes = kept_page + 1, kept_page_bytes + size
            else:
                pruned, pruned_bytes = pruned + 1, pruned_bytes + size
                if not dry_run:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
        leftovers = leftover_bytes = 0
        cutoff = time.time() - settings.leftover_age
        for path, mtime, size in store.leftovers():
            if mtime < cutoff:
                leftovers, leftover_bytes = leftovers + 1, leftover_bytes + size
                if not dry_run:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
    return GcResult(
        kept_doc,
        kept_doc_bytes,
        kept_page,
        kept_page_bytes,
        pruned,
        pruned_bytes,
        leftovers,
        leftover_bytes,
        dry_run,
    )
