"""PDFs through the render queue (REDIS_URL set): no request waits for a render, the page says the
PDF is being prepared and asks again, and a full queue or a client asking for too many is told when
to come back. Rendered by a real worker of the queue, against a redis-server of the test's own."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from redis import Redis
from rq import SimpleWorker

from licensebuilder.drafts import renders
from licensebuilder.drafts.models import PdfCache
from tests.factories import make_draft, make_spec
from tests.redis_server import redis_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture
def queue_on(redis_server, settings):  # noqa: F811
    settings.PDF_QUEUE = True
    settings.REDIS_URL = redis_server.url
    settings.PDF_QUEUE_LIMIT = 3
    settings.PDF_RENDERS_PER_MINUTE = 100
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url}
    }
    return Redis.from_url(redis_server.url)


def _work(connection):
    """One worker of the queue does every waiting job, then stops."""
    SimpleWorker([renders.QUEUE], connection=connection).work(burst=True)


def _pdf_url(draft, fmt="pdf", **query):
    url = reverse("drafts:export", args=[draft.pk, fmt])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_first_request_says_the_pdf_is_being_prepared_and_the_next_one_downloads_it(client_in, draft, queue_on):
    PdfCache.objects.all().delete()
    waiting = client_in.get(_pdf_url(draft))
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "2"
    page = waiting.content.decode()
    assert "Preparing your PDF" in page
    # Without JavaScript: a link to ask again. With htmx: the same URL is polled.
    assert f'href="{_pdf_url(draft)}"' in page and f'hx-get="{_pdf_url(draft)}"' in page
    # Asked again before a worker took it: still preparing, and still one job, not two.
    assert client_in.get(_pdf_url(draft)).status_code == 202
    assert renders._queue().count == 1
    _work(queue_on)
    ready = client_in.get(_pdf_url(draft))
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready.content.startswith(b"%PDF")


def test_only_the_render_worker_writes_the_pdf_to_the_database(client_in, draft, queue_on):
    PdfCache.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert client_in.get(_pdf_url(draft)).status_code == 202
    _work(queue_on)
    assert PdfCache.objects.count() == 1
    with CaptureQueriesContext(connection) as more:
        ready = client_in.get(_pdf_url(draft))
    assert ready.status_code == 200 and ready.content.startswith(b"%PDF")
    writes = [q["sql"] for q in [*queries, *more] if _WRITE.match(q["sql"]) and "django_session" not in q["sql"]]
    assert writes == []


def test_the_htmx_poll_is_sent_to_the_download_once_it_is_ready(client_in, draft, queue_on):
    poll = client_in.get(_pdf_url(draft), headers={"HX-Request": "true"})
    assert poll.status_code == 202
    assert 'id="pdf-wait"' in poll.content.decode() and "<html" not in poll.content.decode()
    _work(queue_on)
    poll = client_in.get(_pdf_url(draft), headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == _pdf_url(draft)
    assert not poll.content


def test_the_bundle_waits_for_its_pdf_too(client_in, draft, queue_on):
    assert client_in.get(_pdf_url(draft, "bundle")).status_code == 202
    _work(queue_on)
    bundle = client_in.get(_pdf_url(draft, "bundle"))
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/zip"


def test_a_compare_pdf_is_rendered_by_the_queue_and_kept_by_content(client_in, user, queue_on):
    draft = make_draft(user)
    draft.record_revision(user, "created")
    draft.spec = make_spec(**{"derivatives.distillation": "prohibited"})
    draft.save()
    url = reverse("review:compare-export", args=[draft.pk, "pdf"]) + "?a=rev-1&b=current"
    assert client_in.get(url).status_code == 202
    _work(queue_on)
    first = client_in.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert PdfCache.objects.filter(data=first.content).count() == 1
    assert client_in.get(url).content == first.content


def test_a_full_queue_answers_503_with_retry_after_while_other_pages_still_answer(client_in, user, queue_on):
    drafts = [make_draft(user, make_spec(**{"terms.termination_cure_days": days})) for days in (10, 11, 12, 13)]
    for draft in drafts[:3]:
        assert client_in.get(_pdf_url(draft)).status_code == 202
    refused = client_in.get(_pdf_url(drafts[3]))
    assert refused.status_code == 503
    assert int(refused["Retry-After"]) > 0
    assert "Many PDFs are being prepared" in refused.content.decode()
    assert client_in.get(reverse("drafts:dashboard")).status_code == 200
    assert client_in.get(_pdf_url(drafts[0], "md")).status_code == 200
    _work(queue_on)
    assert client_in.get(_pdf_url(drafts[3])).status_code == 202


def test_a_client_asking_for_many_new_pdfs_is_told_to_wait_with_429(client_in, user, queue_on, settings):
    settings.PDF_RENDERS_PER_MINUTE = 2
    settings.PDF_QUEUE_LIMIT = 100
    drafts = [make_draft(user, make_spec(**{"terms.termination_cure_days": days})) for days in (20, 21, 22)]
    assert client_in.get(_pdf_url(drafts[0])).status_code == 202
    assert client_in.get(_pdf_url(drafts[1])).status_code == 202
    refused = client_in.get(_pdf_url(drafts[2]))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    # Asking again for a PDF already on its way is not a new render.
    assert client_in.get(_pdf_url(drafts[0])).status_code == 202
    _work(queue_on)
    # A PDF made before is served however many have been asked for.
    assert client_in.get(_pdf_url(drafts[0])).status_code == 200


def test_with_redis_down_a_pdf_is_refused_with_503_and_the_rest_of_the_site_works(
    client_in,
    draft,
    queue_on,
    redis_server,  # noqa: F811
):
    redis_server.stop()
    refused = client_in.get(_pdf_url(draft))
    assert refused.status_code == 503 and refused["Retry-After"] == "10"
    assert "cannot be prepared at the moment" in refused.content.decode()
    assert client_in.get(_pdf_url(draft, "md")).status_code == 200
    redis_server.start()
    assert client_in.get(_pdf_url(draft)).status_code == 202


def test_a_render_that_keeps_failing_is_reported_not_queued_forever(client_in, draft, queue_on, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("over the render's memory limit")

    monkeypatch.setattr(renders, "write_pdf", broken)
    for _attempt in range(renders.MAX_ATTEMPTS):
        assert client_in.get(_pdf_url(draft)).status_code == 202
        _work(queue_on)
    refused = client_in.get(_pdf_url(draft))
    assert refused.status_code == 503
    assert "could not be prepared" in refused.content.decode()
    monkeypatch.undo()
    assert client_in.get(_pdf_url(draft)).status_code == 202  # asked later, it starts afresh


@override_settings(PDF_QUEUE=False)
def test_without_redis_the_pdf_is_rendered_in_the_request(client_in, draft):
    response = client_in.get(_pdf_url(draft))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def _taken_by_a_worker_that_died(client, draft, connection, settings, *, recorded: bool = False):
    """A PDF asked for, taken by a worker (its execution in the started-job registry, if
    ``recorded``), which then died: (the queue, the job's id)."""
    import time
    from datetime import UTC, datetime, timedelta

    from rq.job import Job, JobStatus
    from rq.registry import StartedJobRegistry

    assert client.get(_pdf_url(draft)).status_code == 202
    queue = renders._queue()
    (key,) = queue.job_ids
    job = Job.fetch(key, connection=connection)
    queue.remove(key)
    job.set_status(JobStatus.STARTED)
    if recorded:
        connection.zadd(StartedJobRegistry(queue=queue).key, {f"{key}:0123456789abcdef": time.time() - 60})
    job.heartbeat(datetime.now(UTC) - timedelta(seconds=5 * settings.PDF_WORKER_HEARTBEAT), 600)
    return queue, key


def test_a_render_whose_worker_stopped_sending_heartbeats_is_queued_again(client_in, draft, queue_on, settings):
    queue, key = _taken_by_a_worker_that_died(client_in, draft, queue_on, settings)
    assert client_in.get(_pdf_url(draft)).status_code == 202
    assert queue.job_ids == [key]
    _work(queue_on)
    assert client_in.get(_pdf_url(draft)).status_code == 200


def test_a_render_queued_again_is_not_failed_by_the_record_its_dead_worker_left(client_in, draft, queue_on, settings):
    # A worker killed mid-render leaves its execution in the started-job registry. When a worker
    # starts again, it clears that registry and marks every job named there as failed: the render
    # queued again under the same id must not be the one marked.
    from rq.job import Job, JobStatus
    from rq.registry import StartedJobRegistry

    queue, key = _taken_by_a_worker_that_died(client_in, draft, queue_on, settings, recorded=True)
    assert client_in.get(_pdf_url(draft)).status_code == 202  # queued again
    StartedJobRegistry(queue=queue).cleanup()  # what a worker starting again does first
    assert Job.fetch(key, connection=queue_on).get_status() == JobStatus.QUEUED
    assert client_in.get(_pdf_url(draft)).status_code == 202
    assert Job.fetch(key, connection=queue_on).meta["attempts"] == 2  # the same render, not a third
    _work(queue_on)
    assert client_in.get(_pdf_url(draft)).status_code == 200


def test_a_pdf_waiting_while_no_worker_serves_the_queue_says_so_and_stays_in_line(client_in, draft, queue_on, settings):
    from datetime import UTC, datetime, timedelta

    from rq import Worker
    from rq.job import Job

    settings.PDF_WORKER_HEARTBEAT = 1
    assert client_in.get(_pdf_url(draft)).status_code == 202
    queue = renders._queue()
    (key,) = queue.job_ids
    job = Job.fetch(key, connection=queue_on)
    job.enqueued_at = datetime.now(UTC) - timedelta(seconds=10)  # waited ten heartbeats ...
    job.save()
    # ... while a worker that was killed is still registered, its heartbeats long stopped.
    gone = Worker([queue], connection=queue_on, name="killed-outright")
    gone.register_birth()
    gone.heartbeat()
    queue_on.hset(
        gone.key, "last_heartbeat", (datetime.now(UTC) - timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    )
    refused = client_in.get(_pdf_url(draft))
    assert refused.status_code == 503 and refused["Retry-After"] == "5"
    assert renders.NO_WORKER in refused.content.decode()
    assert queue.job_ids == [key]  # kept in line, not dropped
    # A worker whose heartbeats come: the PDF is on its way again.
    live = Worker([queue], connection=queue_on, name="alive")
    live.register_birth()
    live.heartbeat()
    assert client_in.get(_pdf_url(draft)).status_code == 202
    _work(queue_on)
    assert client_in.get(_pdf_url(draft)).status_code == 200


def test_a_render_runs_at_a_lower_cpu_priority_than_the_web_nodes(queue_on, settings):
    """On a host shared with web nodes, pages stay fast while PDFs are laid out: each render's
    process yields the CPU (PDF_RENDER_NICENESS), the worker itself does not."""
    import os

    from rq import Queue

    settings.PDF_RENDER_NICENESS = 7
    queue = Queue(renders.QUEUE, connection=queue_on)
    job = queue.enqueue(os.nice, 0)  # a job that reports the priority it runs at
    worker = renders.RenderWorker([queue], connection=queue_on)
    worker.work(burst=True)
    job.refresh()
    assert job.return_value() == os.nice(0) + 7
