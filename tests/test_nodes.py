"""Two gunicorn nodes on one PostgreSQL and one Redis, with a PDF render worker, behave as one site
(sessions, the PDF cache, the PDF rate limit and the login lockout are shared); and faults (database
connections killed mid-request, Redis stopped, a render worker killed mid-render) give a clean
answer to retry, lose nothing that was acknowledged, and the service resumes."""

import json
import os
import re
import secrets
import signal
import threading
import time

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from licensebuilder.drafts.models import Draft
from licensebuilder.drafts.renders import NO_WORKER
from tests.factories import make_spec, step_data
from tests.postgres import _psql, ensure_server
from tests.redis_server import RedisServer
from tests.stack import Browser, Stack, make_account, new_password

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def database():
    port = ensure_server()
    name = "lb_nodes_" + secrets.token_hex(4)
    password = secrets.token_hex(12)
    _psql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    _psql(f"CREATE DATABASE {name} OWNER {name}")
    yield name, f"postgres://{name}:{password}@127.0.0.1:{port}/{name}"
    _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _psql(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(database, redis, tmp_path_factory):
    settings = {
        "PDF_WORKER_HEARTBEAT": "1",
        "PDF_RENDERS_PER_MINUTE": "4",
        "WEB_TIMEOUT": "60",
        # Behind one proxy: the client's address is the last X-Forwarded-For entry, so the lockout
        # test can guess from addresses of its own (the other tests come from 127.0.0.1).
        "PROXY_COUNT": "1",
        "LOGIN_FAILURE_LIMIT": "4",
    }
    stack = Stack(tmp_path_factory.mktemp("stack"), database[1], redis.url, settings)
    try:
        stack.prepare()
        stack.start_node()
        stack.start_node()
        stack.start_workers(1)
        yield stack
    finally:
        stack.stop()


def _pdf(base, draft_id):
    return f"{base}/drafts/{draft_id}/export/pdf/"


def _until_ready(browser, url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        reply = browser.get(url)
        if reply.status == 200:
            return reply
        # Preparing; or, while no worker serves the queue (one reconnecting after Redis came back,
        # one starting), kept in line and said so.
        assert reply.status == 202 or (reply.status == 503 and NO_WORKER in reply.text), (
            reply.status,
            reply.text[:500],
        )
        time.sleep(0.5)
    raise AssertionError(f"{url} was not ready in {seconds} s")


def test_a_pdf_rendered_via_one_node_is_served_from_the_cache_by_the_other(stack):
    a, b = stack.nodes[0][0], stack.nodes[1][0]
    password = new_password()
    (draft_id,) = make_account(stack, "nodes-pdf", password)
    browser = Browser()
    browser.login(a, "nodes-pdf", password)
    # The session made on one node is good on the other.
    assert browser.get(b + "/drafts/").status == 200
    first = browser.get(_pdf(a, draft_id))
    assert first.status == 202 and first.headers["Retry-After"]
    made = _until_ready(browser, _pdf(a, draft_id))
    assert made.body.startswith(b"%PDF")
    # The other node has no worker of its own to ask and never renders in a request: a 200 on the
    # first request is the PDF the worker made for the first node.
    other = browser.get(_pdf(b, draft_id))
    assert other.status == 200 and other.body == made.body


def test_the_pdf_rate_limit_holds_across_both_nodes(stack):
    a, b = stack.nodes[0][0], stack.nodes[1][0]
    password = new_password()
    ids = make_account(stack, "nodes-rate", password, drafts=5)
    browser = Browser()
    browser.login(a, "nodes-rate", password)
    statuses = [browser.get(_pdf(node, draft_id)).status for node, draft_id in zip([a, b, a, b], ids, strict=False)]
    assert statuses == [202, 202, 202, 202]
    refused = browser.get(_pdf(a, ids[4]))
    assert refused.status == 429 and int(refused.headers["Retry-After"]) > 0
    assert browser.get(_pdf(b, ids[4])).status == 429


# -- faults -----------------------------------------------------------------------------------------


def _terms_post(version, days):
    draft = Draft(spec=make_spec(), version=version)
    data = step_data(draft, "terms", termination_cure_days=str(days))
    data.update(editor="faulttesteditor1", action="save")
    return data


def _saved_days(stack, draft_id):
    code = (
        "from licensebuilder.drafts.models import Draft; "
        f"print(Draft.objects.get(pk={draft_id}).spec['terms']['termination_cure_days'])"
    )
    return int(stack.manage("shell", "--no-imports", "-c", code).strip())


def _current_version(browser, base, draft_id):
    page = browser.get(f"{base}/drafts/{draft_id}/steps/terms/").text
    return int(re.search(r'id="field-version" value="(\d+)"', page).group(1))


def test_postgres_connections_killed_mid_request_answer_503_and_lose_no_acknowledged_save(stack, database):
    nodes = [base for base, _proc in stack.nodes]
    password = new_password()
    (draft_id,) = make_account(stack, "faults-pg", password)
    browser = Browser()
    browser.login(nodes[0], "faults-pg", password)
    version = _current_version(browser, nodes[0], draft_id)
    stop, killed = threading.Event(), []

    def killer():
        sql = f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{database[0]}'"
        while not stop.is_set():
            killed.append(int(_psql(sql).stdout.strip() or 0))
            time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    acknowledged, statuses = 0, []
    try:
        for days in range(1, 41):
            url = f"{nodes[days % 2]}/drafts/{draft_id}/steps/terms/"
            reply = browser.post(url, _terms_post(version, days))
            statuses.append(reply.status)
            if reply.status == 503:
                assert reply.headers["Retry-After"] == "5"
                assert "try again" in reply.text
            elif reply.status == 302:
                acknowledged, version = days, version + 1
    finally:
        stop.set()
        thread.join()
    assert sum(killed) > 0, "no connection was killed"
    # Never a server error: 503 to retry, or (after a save whose answer was lost, so the page is on
    # an older version) the step sent back to be checked rather than anything overwritten.
    assert set(statuses) <= {302, 400, 409, 503}, statuses
    assert 503 in statuses and acknowledged > 0, statuses
    # Whatever was acknowledged is kept (a later save may have committed before its answer was lost).
    assert _saved_days(stack, draft_id) >= acknowledged
    # And the service resumes on both nodes: each thread's dropped connection is replaced (at once
    # with connection health checks, else after answering one 503), then every request succeeds.
    for base in nodes:
        statuses = [browser.get(f"{base}/drafts/").status for _ in range(20)]
        assert statuses[-5:] == [200] * 5, statuses
        assert set(statuses) <= {200, 503}, statuses


def test_with_redis_stopped_pages_and_saves_work_pdfs_answer_503_and_all_resumes(stack, redis):
    a, b = stack.nodes[0][0], stack.nodes[1][0]
    password = new_password()
    (draft_id,) = make_account(stack, "faults-redis", password)
    browser = Browser()
    browser.login(a, "faults-redis", password)
    version = _current_version(browser, a, draft_id)
    redis.stop()
    try:
        saved = browser.post(f"{b}/drafts/{draft_id}/steps/terms/", _terms_post(version, 99))
        assert saved.status == 302
        assert browser.get(f"{a}/drafts/").status == 200
        refused = browser.get(_pdf(b, draft_id))
        assert refused.status == 503 and refused.headers["Retry-After"] == "10"
    finally:
        redis.start()
    assert _saved_days(stack, draft_id) == 99
    assert browser.get(_pdf(a, draft_id)).status == 202
    assert _until_ready(browser, _pdf(b, draft_id)).body.startswith(b"%PDF")


def _renders(connection):
    """The ids of the renders waiting in the queue or being laid out."""
    queued = Queue("pdf", connection=connection).get_job_ids()
    started = StartedJobRegistry("pdf", connection=connection).get_job_and_execution_ids(cleanup=False)
    return set(queued) | {job_id for job_id, _execution in started}


def _wait_until_idle(connection, seconds=180):
    """Renders asked for by the tests before are done, so that the one a test asks for is alone."""
    deadline = time.monotonic() + seconds
    while _renders(connection):
        assert time.monotonic() < deadline, f"the render queue was still busy after {seconds} s"
        time.sleep(0.5)


def _render_started(stack, connection, seconds=120):
    """The one render asked for, once a work horse is laying it out: (job id, the horse's pid)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        keys = _renders(connection)
        assert len(keys) <= 1, keys
        horses = stack.render_processes()
        if keys and horses:
            (key,) = keys
            if Job.fetch(key, connection=connection).get_status() == JobStatus.STARTED:
                return key, horses[0]
        time.sleep(0.05)
    raise AssertionError(f"no render started in {seconds} s")


def _attempts(connection, key):
    return Job.fetch(key, connection=connection).meta["attempts"]


def _render_under_way(stack, redis, username):
    """A new user asks node A for a PDF, alone in the queue, and a work horse starts laying it out:
    (their browser, the draft's id, a Redis connection, the job's id, the horse's pid)."""
    connection = Redis.from_url(redis.url)
    _wait_until_idle(connection)
    password = new_password()
    (draft_id,) = make_account(stack, username, password)
    browser = Browser()
    browser.login(stack.nodes[0][0], username, password)
    assert browser.get(_pdf(stack.nodes[0][0], draft_id)).status == 202
    key, horse = _render_started(stack, connection)
    return browser, draft_id, connection, key, horse


def test_a_render_process_killed_mid_render_is_laid_out_again_and_the_page_gets_its_pdf(stack, redis):
    """The work horse dies (the kernel's out-of-memory killer, say); its worker lives on."""
    a, b = stack.nodes[0][0], stack.nodes[1][0]
    browser, draft_id, connection, key, horse = _render_under_way(stack, redis, "faults-horse")
    os.kill(horse, signal.SIGKILL)
    # Killed before it could store anything: asked again, the page is still preparing (it would be
    # a 200 had the render finished first, and then this test would prove nothing).
    again = browser.get(_pdf(b, draft_id))
    assert again.status == 202, (again.status, again.text[:300])
    assert "Preparing your PDF" in again.text
    made = _until_ready(browser, _pdf(b, draft_id), seconds=120)
    assert made.body.startswith(b"%PDF")
    assert browser.get(_pdf(a, draft_id)).body == made.body
    # It was laid out by a second attempt of the same job, by the worker that survived its horse.
    assert _attempts(connection, key) == 2
    assert stack.workers is not None and stack.workers.poll() is None


def test_render_workers_killed_mid_render_the_page_says_so_keeps_the_pdf_in_line_and_a_new_worker_makes_it(
    stack, redis
):
    """Every process of the render workers is killed at once (their machine is lost): the page that
    polls never hangs and never fails, says that PDFs cannot be laid out and that this one is kept,
    offers to check again, and gets its PDF once a new worker starts, without being asked anew."""
    a, b = stack.nodes[0][0], stack.nodes[1][0]
    browser, draft_id, connection, key, _horse = _render_under_way(stack, redis, "faults-worker")
    stack.kill_workers()
    try:
        # Polled as the page does, from either node: each answer comes at once, 202 while the
        # render may still be under way, then 503 saying what happened.
        deadline, polls = time.monotonic() + 60, []
        while True:
            started = time.monotonic()
            reply = browser.get(_pdf(b if len(polls) % 2 else a, draft_id), timeout=15)
            assert time.monotonic() - started < 10
            polls.append(reply.status)
            if reply.status != 202 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert reply.status == 503, polls
        assert reply.headers["Retry-After"] == "5"
        assert NO_WORKER in reply.text and "Your PDF cannot be prepared yet" in reply.text
        assert re.search(rf'<a href="/drafts/{draft_id}/export/pdf/"[^>]*>Check again</a>', reply.text)
        # The htmx poll gets the same words in a 200 (htmx swaps only those) and goes on polling.
        poll = browser.get(_pdf(b, draft_id), headers={"HX-Request": "true"})
        assert poll.status == 200 and NO_WORKER in poll.text
        assert f'hx-get="/drafts/{draft_id}/export/pdf/"' in poll.text and "delay:5s" in poll.text
        # The load balancer is told too.
        health = browser.get(a + "/healthz")
        assert health.status == 503 and json.loads(health.body)["checks"]["queue"]["ok"] is False
        # Kept in line: the same job, queued again once, waits for a worker.
        assert _renders(connection) == {key}
        assert Job.fetch(key, connection=connection).get_status() == JobStatus.QUEUED
    finally:
        stack.start_workers(1)
    made = _until_ready(browser, _pdf(b, draft_id), seconds=180)
    assert made.body.startswith(b"%PDF")
    assert _attempts(connection, key) == 2  # the job kept in line, not one asked for anew
    health = browser.get(b + "/healthz")
    assert health.status == 200, health.text


# -- the login lockout --------------------------------------------------------------------------


def _login(browser, base, username, password, address):
    browser.get(base + "/accounts/login/", headers={"X-Forwarded-For": address})
    data = {"username": username, "password": password}
    return browser.post(base + "/accounts/login/", data, headers={"X-Forwarded-For": address})


def test_wrong_passwords_spread_over_both_nodes_lock_the_account_and_the_address_on_both(stack):
    a, b = stack.nodes[0][0], stack.nodes[1][0]
    password, other_password = new_password(), new_password()
    make_account(stack, "lockout-victim", password, drafts=0)
    make_account(stack, "lockout-bystander", other_password, drafts=0)
    limit = int(stack.settings["LOGIN_FAILURE_LIMIT"])

    # One user name guessed at from a new address each time, half on each node: only the count
    # for the name, kept in the shared database, reaches the limit.
    statuses = [
        _login(Browser(), (a, b)[n % 2], "lockout-victim", "wrong-guess", f"198.51.100.{n}").status
        for n in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429], statuses
    for base in (a, b):
        browser = Browser()
        refused = _login(browser, base, "lockout-victim", password, "198.51.100.200")
        assert refused.status == 429 and "Too many failed logins" in refused.text
        assert browser.get(base + "/drafts/").status == 302  # not signed in: sent to the login page

    # One address guessing at several names, half on each node: the address is locked on both,
    # whoever it tries; another address logs in as usual.
    statuses = [
        _login(Browser(), (b, a)[n % 2], f"nobody-{n}", "wrong-guess", "203.0.113.9").status for n in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429], statuses
    for base in (a, b):
        assert _login(Browser(), base, "lockout-bystander", other_password, "203.0.113.9").status == 429
    for base in (a, b):
        browser = Browser()
        assert _login(browser, base, "lockout-bystander", other_password, "203.0.113.10").status == 302
        assert browser.get(base + "/drafts/").status == 200
