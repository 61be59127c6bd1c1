"""The crawl's engine: a frontier of URLs worked by async tasks, host by host.

`CrawlRun` holds one run's state: the queue of URLs still to visit, what each visit found
(`fetch` for the bytes, `discover` for what the page is and where it leads), the raw store
and the writer that records URL states, documents, failures and changes (`warehouse.crawl`).
Each source's tally (`pipeline.health`) counts what its crawl found; report documents are
classed new, republished (same URL, new bytes), unchanged or gone (404/410), and when the
frontier runs dry, known report URLs no page links to any more are asked again, so a report
taken down is noticed. `pipeline.crawl.crawl` sets a run up, starts it and reports on it.

The writer's rows are flushed by a task of their own, in a thread, one short warehouse
session per batch: a flush that fails (a reader holds the file, the disk is full) keeps its
rows for the next one, and a warehouse that keeps refusing writes stops the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from pipeline.config import MIB, CrawlConfig, Source
from pipeline.discover import Link, Page, analyse_page, canonical_url, site_of
from pipeline.errors import FetchError, RawStoreFullError
from pipeline.fetch import (
    DOC,
    DOCX,
    HTML,
    PDF,
    WPS,
    XLS,
    XLSX,
    Fetcher,
    FetchResult,
    HttpStatusError,
    RobotsDisallowedError,
    Validators,
)
from pipeline.health import (
    CURRENT_SOURCE,
    GONE_STATUSES,
    CountingClient,
    HealthSettings,
    SourceTally,
    failure_kind,
)
from pipeline.http import HttpClient
from pipeline.scope import SourceScope
from pipeline.shape import page_shape, similarity
from pipeline.store import RawStore
from warehouse.access import Warehouse, WarehouseInUseError, WarehouseUnwritableError
from warehouse.crawl import (
    ChangeRow,
    CrawlWriter,
    DocumentRow,
    FetchErrorRow,
    RunCounts,
    UrlState,
    utc_now,
)
from warehouse.doc_ids import doc_id_for

log = logging.getLogger(__name__)

T = TypeVar("T")

DOCUMENT_MEDIA_TYPES = frozenset({PDF, DOC, DOCX, WPS, XLS, XLSX})
DOCUMENT_KINDS = frozenset({"report_page", "pointer", "attachment"})


@dataclass(frozen=True)
class NewDocument:
    """A document this run stored for the first time: what the parser should read."""

    doc_id: str
    sha256: str
    url: str
    final_url: str
    media_type: str
    kind: str  # report_page | pointer | attachment (a pointer's report is its attachment)
    source: str  # the source's name
    agency: str | None
    parent_url: str | None


@dataclass(frozen=True)
class CrawlProgress:
    """Passed to the progress callback after each URL."""

    url: str
    outcome: str  # fetched | not_modified | failed | skipped
    kind: str | None
    done: int
    pending: int
    new_documents: int
    failed: int


@dataclass(frozen=True)
class Task:
    url: str
    source: Source
    depth: int
    parent: str | None
    hint: str
    expect: str  # page | attachment


class CrawlRun:
    """One run's frontier: per-host queues, each drained by per_host_concurrency workers."""

    def __init__(
        self,
        config: CrawlConfig,
        warehouse: Warehouse,
        store: RawStore,
        run_id: int,
        progress: Callable[[CrawlProgress], None] | None,
        *,
        states: dict[str, UrlState],
        known: set[str],
        doc_ids: dict[str, str],
        health: HealthSettings,
    ) -> None:
        self.config = config
        self.warehouse = warehouse
        self.store = store
        self.run_id = run_id
        self.progress = progress
        self.health = health
        self.states = states
        self.writer = CrawlWriter(warehouse, known, config.crawler.write_batch)
        self.scopes = {s.name: SourceScope(s) for s in config.sources}
        self.doc_ids = doc_ids  # doc_id -> sha256, to tell a colliding id
        self.stored_bytes = 0  # new bytes this run wrote to the raw store
        self.store_full: str | None = None  # why nothing more is fetched this run
        self.sources = {s.name: s for s in config.sources}
        self.tallies = {s.name: SourceTally(s.name) for s in config.sources}
        self.unwritable: WarehouseUnwritableError | None = None
        self.flush_due: asyncio.Event | None = None
        self.counts = RunCounts()
        self.new_documents: list[NewDocument] = []
        self.failures: list[tuple[str, str]] = []
        self.internal_errors = 0
        self.signal_name: str | None = None
        self.seen: set[str] = set()
        self.offered: dict[str, int] = {}
        self.queues: dict[str, asyncio.Queue[Task]] = {}
        self.workers: list[asyncio.Task[None]] = []
        self.pending = 0
        self.done = 0
        self.fetcher: Fetcher | None = None
        self.idle: asyncio.Event | None = None

    def record(self, state: UrlState) -> None:
        self.states[state.url] = state
        self.writer.add_state(state)
        if self.flush_due is not None and self.writer.due:
            self.flush_due.set()

    async def flush_regularly(self, stop: Callable[[], None]) -> None:
        """Write queued rows every write_interval seconds (sooner when a batch is due), each
        flush a short session in a thread. A flush that fails keeps its rows; a warehouse
        that refuses writes for `unwritable_after` seconds stops the run."""
        assert self.flush_due is not None
        access = self.warehouse.settings
        failing_since: float | None = None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.flush_due.wait(), self.config.crawler.write_interval)
            self.flush_due.clear()
            if not self.writer.pending:
                continue
            try:
                await asyncio.to_thread(self.writer.flush, access.flush_wait)
            except WarehouseInUseError as exc:  # a reader holds the file: later
                log.info("rows wait for the warehouse: %s", exc.reason)
                failing_since = None
                continue
            except Exception as exc:
                if not isinstance(exc, WarehouseUnwritableError):
                    log.exception("writing the crawl's rows failed")
                    exc = WarehouseUnwritableError(
                        f"{self.warehouse.path}: warehouse not writable: "
                        f"{type(exc).__name__}: {exc}"
                    )
                now = time.monotonic()
                failing_since = failing_since or now
                log.warning("%s (%d rows kept for the next try)", exc.reason, self.writer.pending)
                if now - failing_since >= access.unwritable_after:
                    self.unwritable = exc
                    stop()
                    return
                continue
            failing_since = None

    def stats_requests(self) -> int:
        return self.fetcher.stats.requests if self.fetcher else 0

    def stats_bytes(self) -> int:
        return self.fetcher.stats.bytes if self.fetcher else 0

    async def main(self, client: HttpClient | None) -> None:
        loop = asyncio.get_running_loop()
        main_task = asyncio.current_task()
        self.idle = asyncio.Event()
        self.flush_due = asyncio.Event()

        def stop() -> None:
            if main_task is not None:
                main_task.cancel()

        def on_sigterm() -> None:
            self.signal_name = "SIGTERM"
            stop()

        try:
            loop.add_signal_handler(signal.SIGTERM, on_sigterm)
            handling_sigterm = True
        except (RuntimeError, ValueError, NotImplementedError):
            handling_sigterm = False  # not the main thread: the caller handles signals
        try:
            async with Fetcher(self.config.crawler, client) as fetcher:
                assert fetcher.client is not None
                fetcher.client = CountingClient(fetcher.client, self.tallies)
                self.fetcher = fetcher
                self.workers.append(asyncio.create_task(self.flush_regularly(stop)))
                try:
                    for source in self.config.sources:
                        for start in source.start_urls:
                            url = canonical_url(start)
                            if url:
                                self.offer(url, source, 0, None, "", "page")
                    if self.pending:
                        await self.idle.wait()
                    if self.health.revisit_unlinked:
                        self.idle.clear()
                        if self.revisit_unlinked():
                            await self.idle.wait()
                finally:
                    for worker in self.workers:
                        worker.cancel()
                    await asyncio.gather(*self.workers, return_exceptions=True)
        finally:
            if handling_sigterm:
                loop.remove_signal_handler(signal.SIGTERM)

    def revisit_unlinked(self) -> int:
        """Queue each known report URL of a reachable source that no page linked to in this
        run, so a report taken down is seen gone; return how many were queued."""
        queued = 0
        for url, state in list(self.states.items()):
            source = self.sources.get(state.source)
            if (
                source is None
                or url in self.seen
                or state.kind not in DOCUMENT_KINDS
                or not state.sha256
                or state.http_status in GONE_STATUSES
                or not self.tallies[source.name].reached
            ):
                continue
            expect = "attachment" if state.kind == "attachment" else "page"
            # Past max_depth: a revisit asks whether the document is still there; its links
            # are not followed (known attachments are revisited on their own).
            depth = source.max_depth + 1
            queued += self.offer(url, source, depth, state.parent_url, "", expect, limit=False)
        if queued:
            log.info("asking again for %d known report URLs no page links to now", queued)
        return queued

    def offer(
        self,
        url: str,
        source: Source,
        depth: int,
        parent: str | None,
        hint: str,
        expect: str,
        *,
        limit: bool = True,
    ) -> bool:
        """Queue a URL once per run, if it is in the source's scope and (with `limit`) within
        its depth and page limits; True if queued."""
        if url in self.seen or not self.scopes[source.name](url):
            return False
        if limit and depth > source.max_depth:
            return False
        if limit and self.offered.get(source.name, 0) >= source.max_pages:
            return False
        assert self.fetcher is not None
        self.seen.add(url)
        self.offered[source.name] = self.offered.get(source.name, 0) + 1
        self.pending += 1
        site = site_of(url)
        queue = self.queues.get(site)
        if queue is None:
            queue = self.queues[site] = asyncio.Queue()
            self.fetcher.set_rate(site, self.config.rate_for(source))
            for _ in range(self.config.crawler.per_host_concurrency):
                self.workers.append(asyncio.create_task(self.work(queue)))
        queue.put_nowait(Task(url, source, depth, parent, hint, expect))
        return True

    async def work(self, queue: asyncio.Queue[Task]) -> None:
        while True:
            task = await queue.get()
            CURRENT_SOURCE.set(task.source.name)
            outcome, kind = "failed", None
            try:
                outcome, kind = await self.visit(task)
            except Exception as exc:
                self.internal_errors += 1
                try:
                    log.exception("internal error on %s", task.url)
                    self.fail(
                        task, f"internal error: {type(exc).__name__}: {exc}", None, "internal"
                    )
                except Exception:  # never let a failure's record cost the run its count
                    log.exception("could not record the failure of %s", task.url)
            finally:
                self.pending -= 1
                self.done += 1
                if self.pending == 0 and self.idle is not None:
                    self.idle.set()
            if self.progress is not None:
                event = CrawlProgress(
                    task.url,
                    outcome,
                    kind,
                    self.done,
                    self.pending,
                    self.counts.new_documents,
                    self.counts.failed_urls,
                )
                try:
                    self.progress(event)
                except Exception:
                    log.exception("progress callback failed")

    def fail(self, task: Task, reason: str, status: int | None, kind: str) -> None:
        """Record a failed URL (counted under `kind` in its source's tally)."""
        log.info("failed %s: %s", task.url, reason)
        self.counts.failed_urls += 1
        self.failures.append((task.url, reason))
        self.tallies[task.source.name].failed(kind, task.url, reason)
        now = utc_now()
        self.writer.add_error(FetchErrorRow(self.run_id, task.url, reason, status, now))
        # Keep what the last good fetch found (validators, bytes): only the error is new.
        known = self.states.get(task.url) or UrlState(
            url=task.url, source=task.source.name, parent_url=task.parent
        )
        self.record(
            replace(
                known,
                http_status=status,
                last_fetched=now,
                last_error=reason,
                last_run_id=self.run_id,
            )
        )

    async def visit(self, task: Task) -> tuple[str, str | None]:
        """Fetch one URL, store and record what it is, and offer its links."""
        assert self.fetcher is not None
        if self.store_full is not None:
            self.counts.skipped_urls += 1  # no state written: the next run fetches it
            return "skipped", None
        tally = self.tallies[task.source.name]
        tally.urls += 1
        state = self.states.get(task.url)
        validators, conditional_url = None, None
        if state and state.sha256 and (state.etag or state.last_modified):
            if self.store.has(state.sha256):
                validators = Validators(state.etag, state.last_modified)
                conditional_url = state.final_url or task.url
        try:
            result = await self.fetcher.fetch(
                task.url,
                validators=validators,
                conditional_url=conditional_url,
                allowed=self.scopes[task.source.name],
                home=task.source.start_urls,
            )
        except RobotsDisallowedError as exc:
            if exc.unreachable:
                self.fail(task, exc.reason, None, failure_kind(exc))
                return "failed", None
            log.info("skipped %s", exc.reason)
            self.counts.skipped_urls += 1
            if state is not None and state.sha256 and state.kind is not None:
                tally.robots_blocked.append(task.url)  # fetched before, disallowed now
            return "skipped", None
        except FetchError as exc:
            status = exc.status if isinstance(exc, HttpStatusError) else None
            if status in GONE_STATUSES:
                self.gone(task, state, status)
            self.fail(task, exc.reason, status, failure_kind(exc))
            return "failed", None
        self.seen.add(result.final_url)
        tally.reached += 1
        if result.not_modified:
            if validators is None or state is None:
                self.fail(task, "HTTP 304 to a request that was not conditional", 304, "http_304")
                return "failed", None
            return await self.unchanged(task, state, result), state.kind
        try:
            return await self.fetched(task, state, result)
        except RawStoreFullError as exc:
            self.fail(task, exc.reason, result.status, "refused")
            return "failed", None

    def gone(self, task: Task, state: UrlState | None, status: int) -> None:
        """A report document's URL now answers 404/410: say so once; its data stays."""
        if (
            state is None
            or state.kind not in DOCUMENT_KINDS
            or not state.sha256
            or state.http_status in GONE_STATUSES
        ):
            return
        self.tallies[task.source.name].documents_gone += 1
        self.writer.add_change(
            ChangeRow(
                self.run_id,
                task.source.name,
                task.url,
                "gone",
                state.kind,
                doc_id_for(state.sha256, self.doc_ids),
                None,
                status,
                f"HTTP {status}; the document and its data are kept",
                utc_now(),
            )
        )

    async def analyse(self, body: bytes, url: str, hint: str, content_type: str | None) -> Page:
        """What a page is and where it leads (worked out off the loop when big: `off_loop`)."""
        settings = self.config.discovery
        return await self.off_loop(
            len(body),
            functools.partial(
                analyse_page, body, url, content_type=content_type, hint=hint, settings=settings
            ),
        )

    async def off_loop(self, size: int, work: Callable[[], T]) -> T:
        """Run the reading of a page of `size` bytes. A big page is read in a thread, so it
        cannot hold up the other hosts' requests on the event loop; a small one costs a few
        milliseconds, less than the hop to a thread and back under the GIL."""
        if size <= self.config.crawler.analyse_inline_max_bytes:
            return work()
        return await asyncio.to_thread(work)

    def keep(self, body: bytes) -> str:
        """Store bytes (once) within the run's store limit; return their sha256."""
        sha256 = hashlib.sha256(body).hexdigest()
        if self.store.has(sha256):
            return sha256
        limit = self.config.crawler.max_store_bytes_per_run
        if self.stored_bytes + len(body) > limit:
            self.store_full = (
                f"not stored: this run has added {_size(self.stored_bytes)} to the raw store "
                f"and its limit is {_size(limit)} (crawler.max_store_bytes_per_run); "
                "the rest of the crawl is left for the next run"
            )
            log.warning("%s", self.store_full)
            raise RawStoreFullError(self.store_full)
        self.store.put(body, sha256=sha256)
        self.stored_bytes += len(body)
        return sha256

    async def unchanged(self, task: Task, state: UrlState, result: FetchResult) -> str:
        self.counts.not_modified += 1
        assert state.sha256 is not None
        if state.kind is None:
            # Unusable last time and unchanged since: the same failure, without a download.
            self.fail(task, state.last_error or "unusable content", 304, "not_a_document")
            return "failed"
        if state.kind in DOCUMENT_KINDS:
            self.tallies[task.source.name].documents_unchanged += 1
        note = None
        if state.media_type == HTML:
            body = self.store.get(state.sha256)
            page = await self.analyse(body, state.final_url or task.url, task.hint, None)
            self.follow(task, page.kind, page.links)
            note = "; ".join(page.notes) or None
        new_state = replace(
            state,
            note=note,
            etag=result.etag or state.etag,
            last_modified=result.last_modified or state.last_modified,
            http_status=304,
            last_fetched=utc_now(),
            last_error=None,
            last_run_id=self.run_id,
        )
        self.record(new_state)
        return "not_modified"

    async def fetched(
        self, task: Task, state: UrlState | None, result: FetchResult
    ) -> tuple[str, str | None]:
        assert result.body is not None and result.media_type is not None
        self.counts.fetched += 1
        media = result.media_type
        links: tuple[Link, ...] = ()
        note = shape = None
        if media == HTML:
            if task.expect == "attachment":
                self.unusable(task, result, "expected a document file, got an HTML page")
                return "failed", None
            page = await self.analyse(result.body, result.final_url, task.hint, result.content_type)
            kind, links = page.kind, page.links
            note = "; ".join(page.notes) or None
        elif media in DOCUMENT_MEDIA_TYPES:
            kind = "attachment"
        else:
            declared = result.content_type or "no Content-Type"
            self.unusable(
                task,
                result,
                f"not a report page or document: {declared}, and the bytes are not "
                "HTML, %PDF-, or a Word/WPS/Excel file",
            )
            return "failed", None
        sha256 = self.keep(result.body)
        if kind == "navigation":
            shape = await self.reshaped(task, state, result)
        fetched_at = utc_now()
        new_state = UrlState(
            url=task.url,
            source=task.source.name,
            kind=kind,
            media_type=media,
            etag=result.etag,
            last_modified=result.last_modified,
            sha256=sha256,
            http_status=result.status,
            final_url=result.final_url,
            parent_url=task.parent,
            last_fetched=fetched_at,
            last_error=None,
            last_run_id=self.run_id,
            note=note,
            size=len(result.body),
            shape=shape,
        )
        if kind in DOCUMENT_KINDS:  # queued before its URL's state: never a state without it
            document = DocumentRow(
                doc_id=doc_id_for(sha256, self.doc_ids),
                source=task.url,
                sha256=sha256,
                media_type=media,
                size=len(result.body),
                kind=kind,
                url=task.url,
                final_url=result.final_url,
                parent_url=task.parent,
                http_status=result.status,
                etag=result.etag,
                last_modified=result.last_modified,
                fetched_at=fetched_at,
            )
            is_new = self.writer.add_document(document)
            if is_new:
                self.doc_ids.setdefault(document.doc_id, sha256)
            self.classify(task, state, document, is_new)
            if is_new:
                self.counts.new_documents += 1
                self.new_documents.append(
                    NewDocument(
                        doc_id=document.doc_id,
                        sha256=sha256,
                        url=task.url,
                        final_url=result.final_url,
                        media_type=media,
                        kind=kind,
                        source=task.source.name,
                        agency=task.source.agency,
                        parent_url=task.parent,
                    )
                )
        self.record(new_state)
        self.follow(task, kind, links)
        return "fetched", kind

    def classify(
        self, task: Task, state: UrlState | None, document: DocumentRow, is_new: bool
    ) -> None:
        """Count a fetched report document as new, republished or unchanged, and record the
        change (queued with the document, before its URL's state)."""
        tally = self.tallies[task.source.name]
        before = state if state and state.kind in DOCUMENT_KINDS and state.sha256 else None
        if before is not None and before.sha256 == document.sha256:
            tally.documents_unchanged += 1
            return
        if before is None and not is_new:
            tally.documents_unchanged += 1  # bytes already known from another URL
            return
        change = "new" if before is None else "republished"
        if before is None:
            tally.documents_new += 1
        else:
            tally.documents_changed += 1
        self.writer.add_change(
            ChangeRow(
                self.run_id,
                task.source.name,
                task.url,
                change,
                document.kind,
                doc_id_for(before.sha256, self.doc_ids) if before and before.sha256 else None,
                document.doc_id,
                document.http_status,
                None,
                document.fetched_at,
            )
        )

    async def reshaped(self, task: Task, state: UrlState | None, result: FetchResult) -> str:
        """A list page's new shape; notes it in the tally when it differs from the last."""
        assert result.body is not None
        shape = await self.off_loop(
            len(result.body),
            functools.partial(page_shape, result.body, result.content_type, self.config.discovery),
        )
        if state is not None and state.kind == "navigation" and state.shape is not None:
            if similarity(state.shape, shape) < self.health.reshape_below:
                self.tallies[task.source.name].reshaped.append(task.url)
        return shape

    def unusable(self, task: Task, result: FetchResult, reason: str) -> None:
        """Fetched but not a page or document: remember its validators, record the failure."""
        assert result.body is not None
        state = UrlState(
            url=task.url,
            source=task.source.name,
            media_type=result.media_type,
            etag=result.etag,
            last_modified=result.last_modified,
            sha256=self.keep(result.body),
            http_status=result.status,
            final_url=result.final_url,
            parent_url=task.parent,
            last_fetched=utc_now(),
            last_error=reason,
            last_run_id=self.run_id,
            size=len(result.body),
        )
        self.record(state)
        self.fail(task, reason, result.status, "not_a_document")

    def follow(self, task: Task, kind: str, links: tuple[Link, ...]) -> None:
        """Offer a page's links. Depth counts hops between pages: another page of the same
        list and a report's own attachments are no further from the start."""
        if kind == "navigation":
            tally = self.tallies[task.source.name]
            tally.pages += 1
            tally.report_links.update(
                link.url for link in links if link.role in ("report", "attachment")
            )
        for link in links:
            same_depth = link.role == "pagination" or (
                link.role == "attachment" and kind != "navigation"
            )
            depth = task.depth if same_depth else task.depth + 1
            expect = "attachment" if link.role == "attachment" else "page"
            self.offer(link.url, task.source, depth, task.url, link.text, expect)


def _size(n: int) -> str:
    return f"{n / MIB:.1f} MB" if n >= MIB else f"{n} bytes"
