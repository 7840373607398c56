"""Guessing passwords: failed logins are counted per user name and per address, on the site's
login page and the admin's, and past the limit every attempt is refused for a while (429)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from tests.log_capture import json_log_lines

pytestmark = pytest.mark.django_db
LIMIT = 3


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Hashing cost is not what these tests are about; the real hasher takes a second a password here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _login(client, username, password, url=None, address="10.0.0.1"):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_lock_the_account_even_with_the_right_one_after(client):
    make_user("grace")
    for _ in range(LIMIT - 1):
        assert _login(client, "grace", "wrong").status_code == 200
    locked = _login(client, "grace", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert _login(client, "grace", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_user_is_locked_from_another_address_too(client):
    make_user("grace")
    for n in range(LIMIT):
        _login(client, "grace", "wrong", address=f"10.0.1.{n}")
    assert _login(Client(), "grace", PASSWORD, address="10.9.9.9").status_code == 429


def test_one_address_trying_many_names_is_locked(client):
    for name in ("ann", "ben", "cat"):
        make_user(name)
    for name in ("ann", "ben", "cat"):
        _login(client, name, "wrong", address="10.0.2.2")
    assert _login(Client(), "ann", PASSWORD, address="10.0.2.2").status_code == 429
    # Another address is not affected by that one's guesses.
    assert _login(Client(), "zed-unknown", "wrong", address="10.0.2.3").status_code == 200


def test_the_admin_login_is_throttled_the_same_way(client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    url = "/admin/login/?next=/admin/"
    for _ in range(LIMIT):
        _login(client, "root", "wrong", url=url)
    assert _login(Client(), "root", PASSWORD, url=url, address="10.0.3.3").status_code == 429


def test_a_success_before_the_limit_clears_the_count(client):
    make_user("grace")
    for _ in range(LIMIT - 1):
        _login(client, "grace", "wrong")
    assert _login(client, "grace", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(LIMIT - 1):
        assert _login(client, "grace", "wrong").status_code == 200


def test_a_lockout_is_logged_as_a_structured_line(client):
    make_user("grace")
    with json_log_lines() as lines:
        for _ in range(LIMIT):
            _login(client, "grace", "wrong", address="10.0.4.4")
    (event,) = [line for line in lines if line.get("event") == "login_lockout"]
    assert event["username"] == "grace"
    assert event["address"] == "10.0.4.4"
    assert event["level"] == "WARNING" and event["logger"] == "licensebuilder.security"
    assert PASSWORD not in str(lines) and "wrong" not in str(event)
