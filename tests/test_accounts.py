"""Sign up, log in, log out."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_it_signs_up_and_logs_the_new_user_in(client):
    response = client.post(reverse("signup"), {"username": "ada", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("drafts:new")
    assert get_user_model().objects.filter(username="ada").exists()
    assert client.get(reverse("drafts:dashboard")).status_code == 200


@pytest.mark.parametrize("password", ["password", "12345678901", "short"])
def test_it_applies_the_password_validators(client, password):
    response = client.post(reverse("signup"), {"username": "ada", "password1": password, "password2": password})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not get_user_model().objects.filter(username="ada").exists()


def test_it_refuses_a_taken_username(client, user):
    response = client.post(reverse("signup"), {"username": user.username, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400


def test_it_logs_in_and_out(client, db):
    make_user("grace")
    response = client.post(reverse("login"), {"username": "grace", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("drafts:dashboard")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("drafts:dashboard")).status_code == 302


def test_a_wrong_password_is_refused(client, db):
    make_user("grace")
    response = client.post(reverse("login"), {"username": "grace", "password": "nope"})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()


def test_logout_needs_a_post(client_in):
    assert client_in.get(reverse("logout")).status_code == 405


def test_drafts_need_a_login(client):
    response = client.get(reverse("drafts:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_start_page_invites_sign_up(client, db):
    html = client.get("/").content.decode()
    assert reverse("signup") in html and reverse("login") in html


def test_the_start_page_sends_users_to_their_drafts(client_in):
    assert client_in.get("/")["Location"] == reverse("drafts:dashboard")
