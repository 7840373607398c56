"""Passwords are stored with Argon2id at OWASP's parameters; older PBKDF2 hashes still log in."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_new_password_is_stored_with_argon2id_at_owasp_parameters(client):
    data = {"username": "ada", "email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("signup"), data)
    stored = get_user_model().objects.get(username="ada").password
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


def test_a_pbkdf2_password_logs_in_and_is_rehashed_with_argon2(client):
    user = get_user_model().objects.create(username="grace")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save()
    response = client.post(reverse("login"), {"username": "grace", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_a_wrong_password_is_refused(client):
    get_user_model().objects.create_user(username="grace", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "grace", "password": PASSWORD + "x"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
