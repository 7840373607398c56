"""Exports from the browser: content types, safe file names, the bundle and the PDF cache."""

import io
import json
import re
import zipfile

import pytest
from django.core.cache import caches
from django.urls import reverse

from licensebuilder.drafts import outputs, renders, revisions
from licensebuilder.drafts.models import PdfCache
from tests.factories import make_draft, make_spec
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

EXPECTED = {
    "md": ("text/markdown; charset=utf-8", "acme-open-model-license-1.0.md"),
    "html": ("text/html; charset=utf-8", "acme-open-model-license-1.0.html"),
    "pdf": ("application/pdf", "acme-open-model-license-1.0.pdf"),
    "json": ("application/json", "acme-open-model-license-1.0.license.json"),
    "summary": ("text/markdown; charset=utf-8", "acme-open-model-license-1.0-summary.md"),
    "bundle": ("application/zip", "acme-open-model-license-1.0-bundle.zip"),
}


def export_url(draft, fmt, **query):
    url = reverse("drafts:export", args=[draft.pk, fmt])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("fmt", list(EXPECTED))
def test_each_export_has_its_content_type_and_a_safe_filename(client_in, draft, fmt):
    response = client_in.get(export_url(draft, fmt))
    assert response.status_code == 200
    content_type, filename = EXPECTED[fmt]
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_markdown_html_and_json_are_the_engines_output(client_in, draft):
    result = outputs.build(draft.spec)
    assert client_in.get(export_url(draft, "md")).content.decode() == result.markdown
    assert client_in.get(export_url(draft, "html")).content.decode() == result.html
    data = json.loads(client_in.get(export_url(draft, "json")).content)
    assert data["spec"] == draft.spec and data["fingerprint"]["value"] == result.fingerprint
    assert client_in.get(export_url(draft, "summary")).content.decode() == result.deed


def test_the_html_export_is_sandboxed(client_in, draft):
    assert "sandbox" in client_in.get(export_url(draft, "html"))["Content-Security-Policy"]


def test_the_pdf_carries_the_fingerprint(client_in, draft):
    data = client_in.get(export_url(draft, "pdf")).content
    assert data.startswith(b"%PDF")
    assert outputs.build(draft.spec).fingerprint in pdf_text(data).replace("\n", "")


def test_the_bundle_holds_the_same_files_as_the_command_line(client_in, draft):
    data = client_in.get(export_url(draft, "bundle")).content
    archive = zipfile.ZipFile(io.BytesIO(data))
    expected = outputs.build(draft.spec).bundle()
    assert sorted(archive.namelist()) == sorted(expected)
    for name, content in expected.items():
        assert archive.read(name) == content, name


def test_letter_paper_is_named_in_the_file(client_in, draft):
    response = client_in.get(export_url(draft, "pdf", paper="letter"))
    assert response["Content-Disposition"] == 'attachment; filename="acme-open-model-license-1.0-letter.pdf"'


def test_an_unknown_paper_is_a_clear_400(client_in, draft):
    response = client_in.get(export_url(draft, "pdf", paper="a0"))
    assert response.status_code == 400 and b"paper" in response.content


def test_an_unknown_format_is_404(client_in, draft):
    assert client_in.get(reverse("drafts:export", args=[draft.pk, "docx"])).status_code == 404


def test_a_pdf_is_rendered_once_per_content(client_in, draft, pdf_layouts):
    calls = pdf_layouts
    first = client_in.get(export_url(draft, "pdf")).content
    second = client_in.get(export_url(draft, "pdf")).content
    assert first == second
    assert calls == ["a4"]
    # Kept in the process's PDF cache, not in the database: the render workers alone write there.
    assert caches[renders.PDFS].get(outputs.pdf_key(revisions.export_build(draft), "a4")) == first
    assert not PdfCache.objects.exists()
    client_in.get(export_url(draft, "bundle"))  # the bundle reuses the cached PDF
    assert calls == ["a4"]
    # A change to the license renders anew.
    draft.spec = make_spec(**{"terms.termination_cure_days": 7})
    draft.save()
    client_in.get(export_url(draft, "pdf"))
    assert calls == ["a4", "a4"]


@pytest.mark.parametrize(
    ("name", "version", "stem"),
    [
        ('Evil"; filename="x.exe', "1.0", "evil-filenamexexe-1.0"),
        ("Ünïcödé Lizenz", "2.1-beta", "unicode-lizenz-2.1-beta"),
        ("模型许可", "1", "license-1"),
        ("../../etc/passwd", "1.0", "etcpasswd-1.0"),
    ],
)
def test_filenames_are_safe_ascii(client_in, user, name, version, stem):
    draft = make_draft(user, make_spec(**{"license.name": name, "license.version": version}))
    disposition = client_in.get(export_url(draft, "md"))["Content-Disposition"]
    assert disposition == f'attachment; filename="{stem}.md"'
    assert re.fullmatch(r'attachment; filename="[a-z0-9.-]+"', disposition)


def test_an_unnamed_draft_cannot_be_exported_yet(client_in, blank_draft):
    response = client_in.get(export_url(blank_draft, "md"))
    assert response.status_code == 302
    assert response["Location"] == reverse("drafts:step", args=[blank_draft.pk, "basics"])
