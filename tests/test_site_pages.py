"""What a newcomer meets around the wizard: the icon browsers ask for, the page for a wrong address
while running locally, step numbers that stay put, and paper sizes named as people name them."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse

from licensebuilder.core import spec as specs
from tests.factories import make_draft, make_spec

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_an_icon_that_exists(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/favicon.ico") and response["Location"].startswith("/static/")
    path = finders.find("favicon.ico")
    assert path and Path(path).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page


@override_settings(DEBUG=True)
def test_a_wrong_address_shows_the_sites_not_found_page_while_debugging(client):
    response = client.get("/drafts/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Go to the start page" in page
    assert "URLconf" not in page and "DEBUG = True" not in page


@override_settings(DEBUG=True)
def test_another_users_draft_shows_the_sites_not_found_page_while_debugging(client_in, other_user):
    theirs = make_draft(other_user)
    response = client_in.get(reverse("drafts:step", args=[theirs.pk, "basics"]))
    assert response.status_code == 404
    assert "it is not yours to see" in response.content.decode()


@override_settings(DEBUG=True)
def test_a_missing_slash_is_still_redirected_while_debugging(client_in):
    response = client_in.get("/drafts")
    assert response.status_code == 301 and response["Location"] == "/drafts/"


def _numbers(page: str) -> dict[str, str]:
    """Step slug -> the number its navigation button shows."""
    found = re.findall(r'id="nav-([a-z_]+)".*?<span class="step-number"[^>]*>([^<]+)</span>', page, re.S)
    return dict(found)


def test_steps_keep_their_numbers_when_share_alike_appears(client_in, user):
    permitted = {f"derivatives.{kind}": "permitted" for kind in specs.MODIFICATIONS}
    plain = make_draft(user, make_spec(**permitted), done=[])
    page = client_in.get(reverse("drafts:step", args=[plain.pk, "basics"])).content.decode()
    without = _numbers(page)
    assert "share_alike" not in without
    assert without["terms"] == "5" and without["review"] == "6"
    copyleft = make_draft(user, make_spec(**{"derivatives.fine_tune_full": "share_alike"}), done=[])
    page = client_in.get(reverse("drafts:step", args=[copyleft.pk, "basics"])).content.decode()
    with_it = _numbers(page)
    assert with_it["share_alike"] == "4a"
    assert with_it["terms"] == "5" and with_it["review"] == "6"


def test_paper_sizes_are_named_alike(client_in, draft):
    page = client_in.get(reverse("drafts:step", args=[draft.pk, "review"])).content.decode()
    assert ">A4<" in page and ">US Letter<" in page
    assert "LETTER" not in page
