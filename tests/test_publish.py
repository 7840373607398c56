"""Publishing: permalinks that never change, versions, withdrawal, downloads, badges, snippets."""

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from io import StringIO
from urllib.parse import urlparse

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from licensebuilder.drafts.models import Draft
from licensebuilder.publish.models import Publication
from tests.factories import make_draft, make_spec
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

PAGE = "/l/acme-open-model-license/1.0/"


def _publish(client, draft, follow=False):
    return client.post(reverse("publish:publish", args=[draft.pk]), follow=follow)


def _set(draft, path, value):
    spec = draft.spec
    target = spec
    *parents, last = path.split(".")
    for part in parents:
        target = target[part]
    target[last] = value
    Draft.objects.filter(pk=draft.pk).update(spec=spec)
    draft.refresh_from_db()


def _text(response) -> str:
    return response.content.decode()


def _main(response) -> str:
    """The page's own content, without the site's frame (a per-request CSRF token, one-time messages)."""
    html = _text(response)
    return html[html.index('<div class="published">') : html.index("</main>")]


def _snippet(html: str, key: str) -> str:
    match = re.search(rf'id="snippet-{key}-text"[^>]*>(.*?)</pre>', html, re.S)
    assert match, f"the {key} snippet is on the page"
    return match.group(1).replace("&quot;", '"').replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">")


def test_publishing_gives_a_public_page_anyone_can_read(client_in, client, draft):
    response = _publish(client_in, draft)
    assert response.status_code == 302 and response["Location"] == PAGE
    client_in.logout()
    page = client.get(PAGE)
    assert page.status_code == 200
    html = _text(page)
    # The deed comes first, then the downloads, the snippets and the full text with its contents.
    assert html.index("In plain language") < html.index("Downloads") < html.index('class="toc"')
    assert 'id="clause-grant-copyright"' in html
    publication = Publication.objects.get()
    assert f'id="fingerprint">{publication.fingerprint}<' in html
    assert "public" in page["Cache-Control"]


def test_a_published_version_does_not_change_when_the_draft_does(client_in, client, draft):
    _publish(client_in, draft)
    before = _main(client.get(PAGE))
    before_json = client.get(PAGE + "license.json").content
    _set(draft, "model.name", "Renamed-13B")
    _set(draft, "derivatives.distillation", "prohibited")
    after = _main(client.get(PAGE))
    assert "Renamed-13B" not in after
    assert after == before
    assert client.get(PAGE + "license.json").content == before_json


def test_publishing_the_same_version_again_is_refused_with_a_message(client_in, draft):
    _publish(client_in, draft)
    _set(draft, "model.name", "Changed-7B")
    response = _publish(client_in, draft, follow=True)
    html = _text(response)
    assert "Not published: version 1.0 of this license is already published at " + PAGE in html
    assert "give the license a new version" in html
    assert Publication.objects.count() == 1
    assert "Changed-7B" not in _text(client_in.get(PAGE))


def test_a_new_version_keeps_the_old_one_and_the_short_address_follows_the_newest(client_in, client, draft):
    _publish(client_in, draft)
    _set(draft, "license.version", "2.0")
    _set(draft, "model.name", "Acme-8B")
    assert _publish(client_in, draft)["Location"] == "/l/acme-open-model-license/2.0/"
    old, new = client.get(PAGE), client.get("/l/acme-open-model-license/2.0/")
    assert "Acme-8B" not in _text(old) and "Acme-8B" in _text(new)
    assert 'href="/l/acme-open-model-license/2.0/">version 2.0</a>' in _text(old)
    latest = client.get("/l/acme-open-model-license/")
    assert latest.status_code == 302 and latest["Location"] == "/l/acme-open-model-license/2.0/"


def test_a_withdrawn_version_answers_410_with_the_note_and_its_address_is_never_reused(client_in, client, draft):
    _publish(client_in, draft)
    publication = Publication.objects.get()
    response = client_in.post(
        reverse("publish:withdraw", args=["acme-open-model-license", "1.0"]), {"note": "Superseded <b>now</b>"}
    )
    assert response.status_code == 302
    for url in (PAGE, PAGE + "license.json", PAGE + "license.md", PAGE + "badge.svg", "/l/acme-open-model-license/"):
        gone = client.get(url)
        assert gone.status_code == 410, url
    html = _text(client.get(PAGE))
    assert "has been withdrawn" in html and "Superseded &lt;b&gt;now&lt;/b&gt;" in html
    # Publishing the same version again would reuse the address: refused.
    html = _text(_publish(client_in, draft, follow=True))
    assert "was published and withdrawn at " + PAGE in html
    assert client.get(PAGE).status_code == 410
    publication.refresh_from_db()
    assert publication.withdrawn is not None


def test_only_the_owner_can_withdraw(client, draft, other_user, client_in):
    _publish(client_in, draft)
    client.force_login(other_user)
    response = client.post(reverse("publish:withdraw", args=["acme-open-model-license", "1.0"]))
    assert response.status_code == 404
    assert client.get(PAGE).status_code == 200


def test_json_is_served_to_clients_that_ask_for_it(client_in, client, draft):
    _publish(client_in, draft)
    as_json = client.get(PAGE, HTTP_ACCEPT="application/json")
    assert as_json["Content-Type"] == "application/json"
    assert "Accept" in as_json["Vary"]
    data = json.loads(as_json.content)
    assert data["name"] == "Acme Open Model License" and data["version"] == "1.0"
    assert data["fingerprint"]["value"] == Publication.objects.get().fingerprint
    assert client.get(PAGE, HTTP_ACCEPT="text/html,application/json;q=0.9")["Content-Type"].startswith("text/html")
    assert json.loads(client.get(PAGE + "license.json").content) == data


def test_the_downloads_are_the_published_text(client_in, client, draft):
    _publish(client_in, draft)
    publication = Publication.objects.get()
    md = client.get(PAGE + "license.md")
    assert md.content.decode() == publication.markdown
    html = client.get(PAGE + "license.html")
    assert publication.fingerprint in html.content.decode() and "sandbox" in html["Content-Security-Policy"]
    pdf = client.get(PAGE + "license.pdf?paper=letter")
    assert pdf["Content-Type"] == "application/pdf"
    assert publication.fingerprint in pdf_text(pdf.content).replace("\n", "")
    assert client.get(PAGE + "license.pdf?paper=a3").status_code == 400
    assert client.get(PAGE + "secrets.txt").status_code == 404


def test_the_badge_names_the_license_and_its_share_alike_kind(client_in, client, user):
    spec = make_spec(**{"license.name": 'Acme <"Open"> & Co License'})
    draft = make_draft(user, spec)
    assert _publish(client_in, draft)["Location"] == "/l/acme-open-co-license/1.0/"
    response = client.get("/l/acme-open-co-license/1.0/badge.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ['Acme <"Open"> & Co License 1.0', "share-alike"]
    assert client.get("/l/acme-open-co-license/badge.svg").content == response.content


def test_the_model_card_header_links_to_the_page_it_came_from(client_in, client, draft):
    _publish(client_in, draft)
    html = _text(client.get(PAGE))
    header = yaml.safe_load(_snippet(html, "model-card"))
    assert header["license"] == "other" and header["license_name"] == "acme-open-model-license-1.0"
    link = urlparse(header["license_link"])
    assert link.netloc == "testserver" and link.path == PAGE
    assert client.get(link.path).status_code == 200
    readme = _snippet(html, "readme")
    assert f"(http://testserver{PAGE}badge.svg)" in readme
    assert "SPDX-License-Identifier: LicenseRef-Acme-Open-Model-License-1.0" in _snippet(html, "spdx")
    assert f"License: http://testserver{PAGE}" in _snippet(html, "notice")


def test_the_review_step_offers_publishing_and_then_the_permalink_snippets(client_in, draft):
    review = _text(client_in.get(reverse("drafts:step", args=[draft.pk, "review"])))
    assert 'id="publish-button"' in review and "Publish version 1.0" in review
    assert "license_link: LICENSE.md" in review
    _publish(client_in, draft)
    review = _text(client_in.get(reverse("drafts:step", args=[draft.pk, "review"])))
    assert 'id="publish-button"' not in review
    assert f"license_link: http://testserver{PAGE}" in review
    # Once the draft changes, its text is no longer the published one: back to the local link.
    _set(draft, "model.name", "Acme-9B")
    review = _text(client_in.get(reverse("drafts:step", args=[draft.pk, "review"])))
    assert "license_link: LICENSE.md" in review and 'id="publish-button"' in review


def test_another_owner_with_the_same_license_name_gets_its_own_address(client_in, client, draft, other_user):
    _publish(client_in, draft)
    theirs = make_draft(other_user, make_spec(**{"model.name": "Other-1B"}))
    client.force_login(other_user)
    assert _publish(client, theirs)["Location"] == "/l/acme-open-model-license-2/1.0/"
    assert "Other-1B" not in _text(client.get(PAGE))


def test_an_unnamed_draft_is_not_published(client_in, blank_draft):
    html = _text(_publish(client_in, blank_draft, follow=True))
    assert "Not published: name the license, the licensor and the model first." in html
    assert not Publication.objects.exists()


def test_unknown_addresses_are_404(client):
    assert client.get("/l/nothing-here/").status_code == 404
    assert client.get("/l/nothing-here/1.0/").status_code == 404


# -- the command line ------------------------------------------------------------------------


def _call(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("license", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_line_publishes_and_withdraws(draft, client, settings):
    settings.SITE_URL = "https://licenses.example"
    code, out, _ = _call("publish", str(draft.pk))
    assert code == 0 and f"https://licenses.example{PAGE}" in out
    assert client.get(PAGE).status_code == 200
    code, _, err = _call("publish", str(draft.pk))
    assert code == 2 and "license.version: version 1.0 of this license is already published" in err
    code, out, _ = _call("unpublish", "acme-open-model-license", "1.0", "--note", "Replaced by 2.0")
    assert code == 0 and "410" in out
    assert client.get(PAGE).status_code == 410 and "Replaced by 2.0" in _text(client.get(PAGE))


def test_the_command_line_names_the_argument_that_is_wrong(draft):
    assert _call("publish", "abc")[::2] == (2, "DRAFT_ID: 'abc' is not a draft number\n")
    assert _call("publish", "999999")[::2] == (2, "DRAFT_ID: there is no draft 999999\n")
    code, _, err = _call("unpublish", "acme-open-model-license", "9.9")
    assert code == 2 and err.startswith("VERSION: no version '9.9'")


def test_the_release_bundle_of_a_published_version_links_its_model_card_to_the_permalink(client_in, client, draft):
    _publish(client_in, draft)
    response = client.get(PAGE + "bundle.zip")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        card = yaml.safe_load(archive.read("model-card.yml"))
        notice = archive.read("NOTICE").decode()
        markdown = archive.read("LICENSE.md").decode()
    assert card["license_link"] == "http://testserver" + PAGE
    assert "License: http://testserver" + PAGE in notice
    assert markdown == Publication.objects.get().markdown
