"""Operations: errors and security events as JSON lines on stdout, /healthz, connection checks."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import path, reverse

from licensebuilder import urls as site_urls
from licensebuilder.review.models import ShareLink
from tests.log_capture import json_log_lines
from tests.redis_server import redis_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _explode(request):
    raise RuntimeError("kaboom in a view")


urlpatterns = [path("explode/", _explode), *site_urls.urlpatterns]
handler400 = site_urls.handler400


def test_a_server_error_is_logged_with_its_traceback(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with json_log_lines() as lines:
        response = client.get("/explode/?q=1")
    assert response.status_code == 500
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["logger"] == "django.request"
    assert error["status_code"] == 500
    assert error["method"] == "GET" and error["path"] == "/explode/"
    assert "RuntimeError: kaboom in a view" in error["traceback"]
    assert "_explode" in error["traceback"]


def test_the_error_page_itself_says_nothing_of_the_cause(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/explode/")
    assert b"kaboom" not in response.content


def test_a_storm_of_refused_requests_from_one_address_is_logged_once(client, settings):
    cache.clear()
    with json_log_lines() as lines:
        for n in range(60):
            client.get(f"/no-such-page-{n}/", REMOTE_ADDR="10.1.1.1")
        client.get("/no-such-page/", REMOTE_ADDR="10.1.1.2")
    storms = [line for line in lines if line.get("event") == "client_error_storm"]
    assert len(storms) == 1
    assert storms[0]["address"] == "10.1.1.1" and storms[0]["count"] == 50


def test_share_tokens_in_refused_paths_are_not_logged(client):
    token = "T0k3n-that-must-not-appear-anywhere"
    with json_log_lines() as lines:
        assert client.get(f"/s/{token}/").status_code == 404
    assert lines, "the 404 was logged"
    assert token not in str(lines)


def test_healthz_answers_200_with_each_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_broken_part(client, settings):
    settings.HEALTH_CHECKS = {"queue": "tests.test_operations.broken_queue"}
    with json_log_lines() as lines:
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["queue"] == {"ok": False, "error": "ConnectionError", "ms": body["checks"]["queue"]["ms"]}
    assert body["checks"]["database"]["ok"]
    assert "secret-host" not in response.content.decode()  # details go to the log only
    assert any("secret-host" in line.get("traceback", "") for line in lines)


def broken_queue():
    raise ConnectionError("cannot reach secret-host:6379")


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


def test_healthz_is_served_over_plain_http_with_ssl_redirect_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_persistent_connections_are_checked_before_reuse():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_healthz_checks_the_pdf_queue_and_its_workers_when_there_is_one(client, settings, redis_server):  # noqa: F811
    from redis import Redis
    from rq import Worker

    from licensebuilder.drafts import renders

    settings.PDF_QUEUE, settings.REDIS_URL = True, redis_server.url
    settings.HEALTH_CHECKS = {"queue": "licensebuilder.ops.health.check_pdf_queue"}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False  # Redis answers, but no worker serves the queue
    worker = Worker([renders.QUEUE], connection=Redis.from_url(redis_server.url))
    worker.register_birth()
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json()["checks"]["queue"]["ok"] is True
    redis_server.stop()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["checks"]["queue"]["error"] == "ConnectionError"


def test_making_and_revoking_a_share_link_are_logged_without_the_token(client_in, draft):
    with json_log_lines() as lines:
        page = client_in.post(reverse("review:shares", args=[draft.pk]), {"label": "Counsel"}).content.decode()
        link = ShareLink.objects.get()
        client_in.post(reverse("review:share-revoke", args=[draft.pk, link.pk]))
    token = re.search(r"/s/([A-Za-z0-9_-]+)/", page).group(1)
    events = {line["event"]: line for line in lines if "event" in line}
    assert events["share_link_created"]["link_id"] == link.pk == events["share_link_revoked"]["link_id"]
    assert events["share_link_created"]["draft_id"] == draft.pk
    assert events["share_link_revoked"]["user_id"] == draft.owner_id
    assert token not in str(lines)
