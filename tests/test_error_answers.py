"""What a visitor gets when something fails outside any view: a dropped connection is temporary."""

from unittest import mock

from django.contrib.sessions.middleware import SessionMiddleware
from django.db import OperationalError
from django.test import Client


def _failing_on_the_way_out(exception):
    return mock.patch.object(SessionMiddleware, "process_response", side_effect=exception)


def test_a_connection_dropped_while_the_session_is_saved_answers_503_with_retry_after(db):
    client = Client(raise_request_exception=False)
    with _failing_on_the_way_out(OperationalError("server closed the connection unexpectedly")):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "try again" in response.content.decode()


def test_any_other_failure_outside_a_view_is_still_a_500(db):
    client = Client(raise_request_exception=False)
    with _failing_on_the_way_out(ValueError("a bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
