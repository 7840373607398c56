"""PDFs by content: rendered in the request and kept in the process's PDF cache (no Redis), or
rendered by the render workers of the ``pdf`` queue and stored in the database (``REDIS_URL`` set).

Every PDF is a print page laid out by WeasyPrint with its attachments, so one job shape serves the
license, a revision, the bundle's PDF and a compare redline. A PDF is stored under a key that names
its content (the caller's: the license.json and paper, or the print page itself), so a PDF laid out
once, by any worker for any web node, is served by every node after that.

A request only reads the database for a PDF: the render workers write the rows. Without the queue
the PDF a request lays out is kept in ``settings.CACHES["pdfs"]`` (memory, a few dozen PDFs of about
100 KB), so that a download, the first included, writes nothing to the database, and the next
download of the same content is served from there.

With the queue, a request never waits for a render: it raises :class:`PdfPending` (the page says
"preparing" and asks again) or :class:`RenderRefused` (429 or 503 with Retry-After), and
``RenderMiddleware`` turns either into the answer. The job's id is the PDF's key, so asking again,
from any node, finds the same job instead of queueing another.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import os
import resource
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache, caches
from django.db import IntegrityError, transaction
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, worker_registration
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.worker import Worker

from licensebuilder.core.render.pdf import write_pdf

from .models import PdfCache

log = logging.getLogger(__name__)

QUEUE = "pdf"
PDFS = "pdfs"  # the cache alias of PDFs laid out in the request (no queue)
MAX_ATTEMPTS = 3  # a render that failed this often is reported, not queued again
NO_WORKER = "No PDF can be laid out at the moment. Yours is kept in line and is made as soon as rendering resumes."

Page = Callable[[], tuple[str, dict[str, bytes]]]  # -> (print page HTML, attachments)


class PdfPending(Exception):
    """The PDF is being rendered; ask again after ``retry_after`` seconds."""

    def __init__(self, key: str, retry_after: int = 2):
        super().__init__(key)
        self.key, self.retry_after = key, retry_after


class RenderRefused(Exception):
    """No render can start now: 429 (this client asked for too many) or 503 (the site is busy)."""

    def __init__(self, status: int, retry_after: int, message: str):
        super().__init__(message)
        self.status, self.retry_after, self.message = status, retry_after, message


# Who a render is counted against (a user, else an address): set per request by RenderMiddleware,
# and asked only when a render is about to start.
client: contextvars.ContextVar[Callable[[], str]] = contextvars.ContextVar("pdf_client", default=lambda: "")


def page_key(page: str, paper: str, attachments: dict[str, bytes] | None = None) -> str:
    """The key of a PDF that is fully described by its print page (and attachments)."""
    digest = hashlib.sha256(b"page\x00" + paper.encode("ascii") + b"\x00" + page.encode("utf-8"))
    for name, data in sorted((attachments or {}).items()):
        digest.update(b"\x00" + name.encode("utf-8") + b"\x00" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def stored(key: str) -> bytes | None:
    """The PDF made before under ``key``: by a render worker, or without the queue, in this process."""
    if not settings.PDF_QUEUE:
        kept: bytes | None = caches[PDFS].get(key)
        return kept
    return _in_database(key)


def _in_database(key: str) -> bytes | None:
    hit = PdfCache.objects.filter(key=key).values_list("data", flat=True).first()
    return None if hit is None else bytes(hit)


def _store(key: str, fingerprint: str, paper: str, data: bytes) -> None:
    try:
        with transaction.atomic():
            PdfCache.objects.create(key=key, fingerprint=fingerprint, paper=paper, data=data)
    except IntegrityError:
        pass  # rendered twice at once; both are the same bytes


def pdf(key: str, page: Page, paper: str, fingerprint: str = "") -> bytes:
    """The PDF stored under ``key``, rendering ``page()`` when there is none yet."""
    data = stored(key)
    if data is not None:
        return data
    if not settings.PDF_QUEUE:
        _count_render()
        html, attachments = page()
        data = write_pdf(html, paper=paper, attachments=attachments)
        caches[PDFS].set(key, data)
        return data
    try:
        job = _enqueue(key, page, paper, fingerprint)
        stalled = _stalled(job)
    except RedisError as exc:
        log.warning("PDF queue unreachable: %s", exc)
        raise RenderRefused(503, 10, "PDFs cannot be prepared at the moment. Try again in a few seconds.") from exc
    if stalled:
        # The job stays in line: a worker that starts (again) lays it out, and the page, which
        # keeps asking, then downloads it.
        raise RenderRefused(503, 5, NO_WORKER)
    raise PdfPending(key)


# -- the queue -------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _connection(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def _queue() -> Queue:
    return Queue(QUEUE, connection=_connection(settings.REDIS_URL))


def _count_render() -> None:
    """At most PDF_RENDERS_PER_MINUTE new renders a minute per client, counted in the shared cache
    so the limit holds across every web node."""
    who = client.get()()
    if not who:
        return
    now = datetime.now(UTC).timestamp()
    key = f"pdf-renders:{who}"
    try:
        # A window opens at a client's first render and lasts a minute.
        cache.add(key + ":since", now, timeout=60)
        cache.add(key, 0, timeout=60)
        count = cache.incr(key)
        since = cache.get(key + ":since", now)
    except (RedisError, ValueError):
        return  # without the counter a render is still bounded by the queue's length
    if count > settings.PDF_RENDERS_PER_MINUTE:
        retry = max(1, int(60 - (now - since)) + 1)
        raise RenderRefused(429, retry, "You have asked for many new PDFs in the last minute.")


def _silent(beat: datetime | None) -> bool:
    """Whether four heartbeats have been missed since ``beat`` (a worker beats every
    PDF_WORKER_HEARTBEAT seconds, rendering or idle)."""
    if beat is None:
        return True
    if beat.tzinfo is None:
        beat = beat.replace(tzinfo=UTC)
    return (datetime.now(UTC) - beat).total_seconds() > 4 * settings.PDF_WORKER_HEARTBEAT


def _abandoned(job: Job) -> bool:
    """A started job whose worker stopped sending heartbeats: its worker died mid-render."""
    return job.last_heartbeat is not None and _silent(job.last_heartbeat)


def live_workers(connection: Redis) -> int:
    """How many workers serve the queue now. A worker killed outright stays registered until its
    key expires, minutes later, so only those whose heartbeats still come count."""
    queue = Queue(QUEUE, connection=connection)
    return sum(1 for worker in Worker.all(queue=queue) if not _silent(worker.last_heartbeat))


def _stalled(job: Job) -> bool:
    """A job that has waited four heartbeats in the queue while no worker serves it: the page
    says so instead of "preparing" for ever."""
    if job.get_status(refresh=False) != JobStatus.QUEUED or not _silent(job.enqueued_at):
        return False
    return live_workers(job.connection) == 0


def _enqueue(key: str, page: Page, paper: str, fingerprint: str) -> Job:
    """The job laying out the PDF ``key``: the one waiting or running, else a new one."""
    queue = _queue()
    job = Job.fetch(key, connection=queue.connection) if Job.exists(key, connection=queue.connection) else None
    attempts = 0
    if job is not None:
        status = job.get_status(refresh=False)
        waiting = status in (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
        if waiting or (status == JobStatus.STARTED and not _abandoned(job)):
            return job
        attempts = int(job.meta.get("attempts", 0)) if status != JobStatus.FINISHED else 0
        if attempts >= MAX_ATTEMPTS:
            # Forget it, so that asking again later starts afresh.
            _forget(job)
            raise RenderRefused(503, 30, "This PDF could not be prepared. Try again later.")
        _forget(job)
    if queue.count >= settings.PDF_QUEUE_LIMIT:
        raise RenderRefused(503, 10, "Many PDFs are being prepared right now. Try again in a few seconds.")
    _count_render()
    html, attachments = page()
    return queue.enqueue_call(
        render,
        args=(key, html, paper, attachments, fingerprint),
        job_id=key,
        timeout=settings.PDF_RENDER_TIMEOUT,
        result_ttl=60,
        failure_ttl=600,
        meta={"attempts": attempts + 1},
    )


def _forget(job: Job) -> None:
    """Delete a job and whatever its dead worker left of it in the started-job registry: a worker
    starting again clears that registry and marks each job named there as failed, which would
    be the render queued again under the same id (the job's own record of its executions may have
    expired with its last heartbeat, so the registry is read directly)."""
    registry = StartedJobRegistry(job.origin, connection=job.connection)
    entries: list[bytes | str] = list(job.connection.zrange(registry.key, 0, -1))  # type: ignore[arg-type]
    left = [
        entry
        for entry in entries
        if registry.parse_job_id(str(entry, "utf-8") if isinstance(entry, bytes) else entry) == job.id
    ]
    if left:
        job.connection.zrem(registry.key, *left)
    job.delete()


def render(key: str, html: str, paper: str, attachments: dict[str, bytes], fingerprint: str) -> int:
    """The job: lay out one PDF and store it in the database. Runs in a work horse forked for this
    one job; no web request writes a PDF's row."""
    if _in_database(key) is None:
        _store(key, fingerprint, paper, write_pdf(html, paper=paper, attachments=attachments))
    return 0


# -- the workers -----------------------------------------------------------------------------


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RenderWorker(Worker):
    """A worker of the ``pdf`` queue (``manage.py rqworker-pool pdf --num-workers N --worker-class
    licensebuilder.drafts.renders.RenderWorker``, N the cores to give to rendering).

    Each render runs in a work horse forked for it alone, so nothing a render leaves behind outlives
    it: the worker itself does not grow however many PDFs it lays out. The worker lays out one page
    before taking jobs, so that fonts and the layout engine are loaded once, shared by every horse.
    Each horse may add PDF_RENDER_MEMORY_MB of address space and run PDF_RENDER_TIMEOUT seconds, at
    PDF_RENDER_NICENESS lower CPU priority than the web nodes.

    A worker sends a heartbeat every PDF_WORKER_HEARTBEAT seconds, idle as well as rendering, so
    that the web nodes can tell a live worker from one that was killed (``live_workers``).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", settings.PDF_WORKER_HEARTBEAT)
        # An idle rq worker waits worker_ttl - 15 s for a job between heartbeats: one heartbeat.
        kwargs.setdefault("worker_ttl", settings.PDF_WORKER_HEARTBEAT + 15)
        super().__init__(*args, **kwargs)
        write_pdf("<p>warm-up</p>")

    def heartbeat(self, timeout=None, pipeline=None):
        super().heartbeat(timeout, pipeline)
        # A Redis that restarted has forgotten which workers serve which queue: say it again with
        # every beat (adding to a set is idempotent), or a live worker would look gone.
        worker_registration.register(self, pipeline)

    def main_work_horse(self, job, queue):
        with open(f"/proc/{os.getpid()}/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = size + settings.PDF_RENDER_MEMORY_MB * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if settings.PDF_RENDER_NICENESS > 0:
            os.nice(settings.PDF_RENDER_NICENESS)  # the horse alone: the worker's heartbeat keeps its priority
        return super().main_work_horse(job, queue)
