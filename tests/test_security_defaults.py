"""Secure defaults: `check --deploy` with only the three required settings, and the headers every
page type sends (CSP, Permissions-Policy, framing, caching)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db


def _production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG", "TRUST_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="licenses.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="licensebuilder.settings",
        **extra,
    )
    return env


def _check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_only_the_required_settings(tmp_path):
    done = _check_deploy(_production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_would_warn_if_https_were_switched_off(tmp_path):
    # The control for the test above: the check does look at these settings.
    done = _check_deploy(_production_env(tmp_path, SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0"))
    assert done.returncode != 0
    assert "SECURE_SSL_REDIRECT" in done.stderr and "SESSION_COOKIE_SECURE" in done.stderr


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _pages(client_in, draft):
    """One response of each page type: public, form, signed-in, wizard, review, share, error, JSON."""
    client = Client()
    anonymous = {
        "home": client.get("/"),
        "login": client.get(reverse("login")),
        "signup": client.get(reverse("signup")),
        "password reset": client.get(reverse("password_reset")),
        "not found": client.get("/no-such-page/"),
        "schema": client.get(reverse("spec-schema")),
        "healthz": client.get(reverse("healthz")),
    }
    share = client_in.post(reverse("review:shares", args=[draft.pk]), {"label": "Counsel"})
    token = re.search(r"/s/([A-Za-z0-9_-]+)/", share.content.decode()).group(1)
    signed_in = {
        "dashboard": client_in.get(reverse("drafts:dashboard")),
        "new draft": client_in.get(reverse("drafts:new")),
        "wizard step": client_in.get(reverse("drafts:step", args=[draft.pk, "basics"])),
        "review step": client_in.get(reverse("drafts:step", args=[draft.pk, "review"])),
        "history": client_in.get(reverse("review:history", args=[draft.pk])),
        "compare": client_in.get(reverse("review:compare", args=[draft.pk])),
        "shares": share,
        "account": client_in.get(reverse("accounts:account")),
        "admin login": client_in.get("/admin/login/"),
    }
    shared = {"share page": client.get(reverse("review:shared-home", args=[token]))}
    return anonymous, signed_in, shared


def test_every_page_type_sends_a_strict_policy(client_in, draft):
    anonymous, signed_in, shared = _pages(client_in, draft)
    for name, response in {**anonymous, **signed_in, **shared}.items():
        assert response.status_code in (200, 404), (name, response.status_code)
        csp = _directives(response)
        assert csp["script-src"] == ["'self'"], name
        assert csp["style-src"] == ["'self'"], name
        assert csp["frame-ancestors"] == ["'none'"], name
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"], name
        assert "unsafe" not in response["Content-Security-Policy"], name
        assert "camera=()" in response["Permissions-Policy"], name
        assert "geolocation=()" in response["Permissions-Policy"], name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name


def test_pages_have_no_inline_script_or_style(client_in, draft):
    anonymous, signed_in, shared = _pages(client_in, draft)
    for name, response in {**anonymous, **signed_in, **shared}.items():
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), f"inline script on {name}"
        assert "<style" not in html, f"inline style element on {name}"
        assert not re.search(r"\son[a-z]+=|\shx-on", html), f"inline event handler on {name}"
        assert not re.search(r'\sstyle="', html), f"style attribute on {name}"


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client, db):
    html = client.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1)
    assert '"includeIndicatorStyles": false' in config and '"allowEval": false' in config


def test_signed_in_pages_are_not_stored_by_caches(client_in, draft):
    anonymous, signed_in, shared = _pages(client_in, draft)
    for name, response in {**signed_in, **shared}.items():
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name
    assert "public" in anonymous["schema"]["Cache-Control"]


def test_html_exports_keep_their_own_sandbox_policy(client_in, draft):
    response = client_in.get(reverse("drafts:export", args=[draft.pk, "html"]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "no-store" in response["Cache-Control"]
