"""Two gunicorn nodes on one PostgreSQL and one Redis, with a PDF render worker, behave as one site;
and faults (database connections killed mid-request, Redis stopped) give a clean answer to retry,
lose nothing that was acknowledged, and the service resumes. A render whose worker died is queued
again: tests/test_pdf_queue.py."""

import re
import secrets
import threading
import time

import pytest

from licensebuilder.drafts.models import Draft
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
    settings = {"PDF_WORKER_HEARTBEAT": "1", "PDF_RENDERS_PER_MINUTE": "4", "WEB_TIMEOUT": "60"}
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
        assert reply.status == 202, (reply.status, reply.text[:500])
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
