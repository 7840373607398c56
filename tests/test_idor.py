"""Another user's draft is a 404 at every URL that names a draft (pages, partials, exports), or
the 405 a draft that does not exist gets for a method the URL never takes (PUT and DELETE at
every one of them).

The URLs are found by walking the URL patterns, so a view added later is checked too.
"""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_draft

pytestmark = pytest.mark.django_db

SAMPLE_KWARGS = {"slug": "basics", "fmt": "md", "number": 1, "link_id": 1, "comment_id": 1}


def _draft_routes(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _draft_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and "draft_id" in entry.pattern.converters:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, set(entry.pattern.converters)


def draft_urls(draft):
    urls = []
    for name, params in _draft_routes():
        kwargs = {"draft_id": draft.pk, **{k: v for k, v in SAMPLE_KWARGS.items() if k in params}}
        urls.append(reverse(name, kwargs=kwargs))
        if "slug" in params:  # every step, not only the first
            for slug in ("use", "derivatives", "share_alike", "review"):
                urls.append(reverse(name, kwargs={**kwargs, "slug": slug}))
        if "fmt" in params:
            for fmt in ("pdf", "json", "html", "summary", "bundle"):
                urls.append(reverse(name, kwargs={**kwargs, "fmt": fmt}))
    return urls


def test_the_walk_finds_every_kind_of_draft_url(user):
    names = {name for name, _ in _draft_routes()}
    assert {"drafts:step", "drafts:autosave", "drafts:preview", "drafts:export", "drafts:delete",
            "drafts:rename", "drafts:duplicate", "drafts:resume"} <= names  # fmt: skip


@pytest.mark.parametrize("htmx", [False, True])
def test_another_user_gets_404_everywhere(client, user, other_user, htmx):
    draft = make_draft(user)
    client.force_login(other_user)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    missing = SimpleNamespace(pk=draft.pk + 1000)
    for url, missing_url in zip(draft_urls(draft), draft_urls(missing), strict=True):
        for method in (client.get, client.post):
            response = method(url, {"version": "1", "license_name": "stolen"}, **headers)
            # A method the URL never takes is refused before any lookup: the same 405 as for a
            # draft that does not exist, so it says nothing about the draft either.
            expected = 405 if method(missing_url, **headers).status_code == 405 else 404
            assert response.status_code == expected, f"{method.__name__.upper()} {url} gave {response.status_code}"
    draft.refresh_from_db()
    assert draft.spec["license"]["name"] == "Acme Open Model License" and draft.version == 1


def test_a_missing_draft_is_404_too(client_in):
    assert client_in.get(reverse("drafts:step", args=[999999, "basics"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, user):
    draft = make_draft(user)
    for url in draft_urls(draft):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_no_draft_url_takes_put_or_delete_and_the_refusal_comes_before_the_lookup(client, user, other_user, method):
    """Every URL that names a draft declares its methods: PUT, DELETE and PATCH are a 405 before
    the draft is looked up, the same for the owner, for another user and for a draft that does
    not exist, so the answer says nothing about the draft."""
    draft = make_draft(user)
    missing = SimpleNamespace(pk=draft.pk + 1000)
    for who in (user, other_user):
        client.force_login(who)
        for url, missing_url in zip(draft_urls(draft), draft_urls(missing), strict=True):
            for target in (url, missing_url):
                response = getattr(client, method)(target)
                assert response.status_code == 405, f"{method.upper()} {target} gave {response.status_code}"
                assert "GET" in response["Allow"] or "POST" in response["Allow"], target
    title = draft.title
    draft.refresh_from_db()  # still there, unchanged
    assert (draft.version, draft.title) == (1, title)


def test_the_review_step_refuses_a_post_before_the_draft_is_looked_up(client_in, draft):
    # The review has no answers to save: the same 405 for the user's draft and for a missing one.
    for draft_id in (draft.pk, draft.pk + 1000):
        response = client_in.post(reverse("drafts:step", args=[draft_id, "review"]))
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert client_in.post(reverse("drafts:step", args=[draft.pk + 1000, "basics"])).status_code == 404
