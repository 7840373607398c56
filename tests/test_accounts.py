"""Sign up (confirmed by email), log in and out, passwords, idle sessions, deleting an account."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from licensebuilder.drafts.models import Draft
from tests.factories import PASSWORD, make_draft, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Hashing cost is not what these tests are about; the real hasher takes a second a password here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


User = get_user_model()


def _signup(client, username="ada", email="ada@example.org", password=PASSWORD):
    data = {"username": username, "email": email, "password1": password, "password2": password}
    return client.post(reverse("signup"), data)


def _link(message):
    """The link to follow: the last one in the message (the first names the site)."""
    return re.findall(r"https?://\S+", message.body)[-1]


def test_signing_up_mails_a_link_that_activates_and_logs_in(client, mailoutbox):
    response = _signup(client)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert not User.objects.get(username="ada").is_active
    assert client.post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 200  # refused
    (message,) = mailoutbox
    assert message.to == ["ada@example.org"]
    link = _link(message)
    assert client.get(link).status_code == 200  # a mail scanner's GET activates nothing
    assert not User.objects.get(username="ada").is_active
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("drafts:new")
    assert client.get(reverse("drafts:dashboard")).status_code == 200
    assert client.post(link).status_code == 404  # used once


@pytest.mark.parametrize("password", ["password", "12345678901", "short", " " * 20])
def test_it_applies_the_password_validators(client, password, mailoutbox):
    response = _signup(client, password=password)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not User.objects.filter(username="ada").exists()
    assert mailoutbox == []


def test_an_all_space_password_is_refused_with_a_reason(client):
    html = _signup(client, password=" " * 20).content.decode()
    assert "cannot be made of spaces only" in html


def _page(response, email):
    """The page without what differs on every response (the masked CSRF token) or was typed."""
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


def test_a_taken_username_gets_the_same_answer_as_a_free_one(client, mailoutbox):
    make_user("grace")
    free = _signup(client, username="ada", email="ada@example.org")
    taken = _signup(client, username="Grace", email="someone@example.org")
    assert taken.status_code == free.status_code == 200
    assert _page(taken, "someone@example.org") == _page(free, "ada@example.org")
    assert sorted(taken.cookies) == sorted(free.cookies)
    assert User.objects.filter(username__iexact="grace").count() == 1
    # Only the owner of the address learns that the name is taken.
    taken_mail = next(m for m in mailoutbox if m.to == ["someone@example.org"])
    assert "already belongs to an account" in taken_mail.body
    assert not re.search(r"https?://\S+/activate/", taken_mail.body)


def test_a_taken_email_address_makes_no_second_account(client, mailoutbox):
    _signup(client, username="ada", email="ada@example.org")
    _signup(client, username="ada2", email="ADA@example.org")
    assert not User.objects.filter(username="ada2").exists()
    assert "already belongs to an account" in mailoutbox[-1].body


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


def test_the_password_can_be_changed(client_in, user):
    new = "another-long-passphrase-77"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client_in.post(reverse("password_change"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client_in.get(reverse("drafts:dashboard")).status_code == 200  # still logged in


def test_a_forgotten_password_is_reset_by_email(client, mailoutbox):
    user = make_user("grace")
    user.email = "grace@example.org"
    user.save()
    response = client.post(reverse("password_reset"), {"email": "grace@example.org"})
    assert response.status_code == 302
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert unknown["Location"] == response["Location"]  # nothing said about which addresses exist
    (message,) = mailoutbox
    form_url = client.get(_link(message), follow=True).redirect_chain[-1][0]
    new = "a-brand-new-passphrase-31"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_an_idle_session_ends(client_in, settings):
    response = client_in.get(reverse("drafts:dashboard"))
    cookie = response.cookies["sessionid"]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE  # renewed by use
    session = client_in.session
    session.set_expiry(-1)  # as if unused for longer than SESSION_COOKIE_AGE
    session["_seen"] = int(time.time() // 60)
    session.save()
    assert client_in.get(reverse("drafts:dashboard")).status_code == 302


def test_deleting_the_account_needs_the_password_and_removes_the_drafts(client_in, user):
    other = make_user("bob")
    make_draft(user)
    kept = make_draft(other)
    url = reverse("accounts:delete")
    page = client_in.get(url).content.decode()
    assert "1 draft" in page
    wrong = client_in.post(url, {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "That is not your password" in wrong.content.decode()
    unconfirmed = client_in.post(url, {"password": PASSWORD})
    assert unconfirmed.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    response = client_in.post(url, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert list(Draft.objects.all()) == [kept]
    assert client_in.get(reverse("drafts:dashboard")).status_code == 302


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_sign_up_account_and_home_pages_refuse_other_methods(client, user, method):
    signed_up = getattr(client, method)(reverse("signup"))
    assert signed_up.status_code == 405 and signed_up["Allow"] == "GET, HEAD, POST"
    assert getattr(client, method)(reverse("home")).status_code == 405
    client.force_login(user)
    account = getattr(client, method)(reverse("accounts:account"))
    assert account.status_code == 405 and account["Allow"] == "GET, HEAD"
