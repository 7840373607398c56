""" "What do I owe?": the licensee's page, for any license text the visitor may read.

The page asks what the visitor did and how they use it, shows the license's own tests for
Foundation and Narrow Derivatives, and answers from :mod:`licensebuilder.core.obligations`. It is a
plain GET form (it works without JavaScript and each answer has its own URL); with htmx only the
answer is swapped in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from licensebuilder.core import obligations
from licensebuilder.core import spec as specs
from licensebuilder.core.assemble import Document
from licensebuilder.core.render.html import demote_headings, safe_html
from licensebuilder.core.render.markdown import clause_markdown
from licensebuilder.drafts.htmx import htmx

# The license's own words on the two kinds of result, shown beside the question they decide.
TEST_CLAUSES = ("definitions.foundation_derivative", "definitions.narrow_derivative", "derivatives.classification")

DUTY_TITLES = {
    "include_license": "Include a copy of the license",
    "retain_notices": "Keep the notices",
    "indicate_modifications": "Say what you changed",
    "attribution": "Credit the model",
    "share_alike_license": "License the result under this license",
    "release_elements": "Release these elements",
    "provenance_notice": "Say that training data came from the model",
    "restrictions_flow_down": "Pass on the use restrictions",
    "naming": "Follow the naming rule",
}

USE_CHOICES = [
    ("private", "Privately: within my organisation, nobody else gets a copy or access"),
    ("distribute", "I distribute it: others get a copy (download, hub upload, shipped in a product)"),
    ("service", "I offer it as a service: others use it over a network without getting a copy"),
]


class OweForm(forms.Form):
    modification = forms.ChoiceField(
        label="What did you do with the model?",
        choices=[(obligations.NONE, "Nothing: I use it as released")]
        + [(key, f"{label}: {desc}") for key, (label, desc) in specs.MODIFICATIONS.items()],
        widget=forms.RadioSelect,
        initial=obligations.NONE,
    )
    result = forms.ChoiceField(
        label="Is what you made general-purpose or narrow?",
        choices=[
            ("", "I am not sure yet: show me both"),
            ("narrow", "Narrow: it meets every condition of the Narrow Derivative definition"),
            ("foundation", "General-purpose: it fails a condition, or it is unclear whether it meets one"),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial="",
    )
    use = forms.ChoiceField(label="How do you use it?", choices=USE_CHOICES, widget=forms.RadioSelect)
    commercial = forms.BooleanField(label="Commercially (for a business, or for money)", required=False)


def _tests(doc: Document) -> list[dict[str, Any]]:
    found = []
    for clause_id in TEST_CLAUSES:
        clause = doc.clause(clause_id)
        if clause is not None:
            html = demote_headings(safe_html(clause_markdown(clause)), 1)
            found.append({"id": clause_id, "html": html})
    return found


def _decorate(data: dict[str, Any], anchors: dict[str, str]) -> dict[str, Any]:
    """The answer with what the page shows beside the data: duty titles and links to clauses."""
    out = dict(data)
    out["duties"] = [
        {**d, "title": DUTY_TITLES[d["kind"]], "anchor": anchors.get(d["clause"], "")} for d in data["duties"]
    ]
    out["reasons"] = [{**r, "anchor": anchors.get(r["clause"], "")} for r in data["reasons"]]
    out["alternatives"] = [(key, _decorate(alt, anchors)) for key, alt in (data.get("alternatives") or {}).items()]
    return out


def answer_page(
    request: HttpRequest, doc: Document, template: str, context: dict[str, Any], text_url: str
) -> HttpResponse:
    """The form, the license's tests and, once asked, the answer. ``text_url`` is where the full
    text is read, so that each cited clause links to it."""
    asked = "use" in request.GET
    form = OweForm(request.GET if asked else None)
    tests = _tests(doc)
    if not tests:
        form.fields.pop("result")  # the license draws no line between kinds of result
    answer, status = None, 200
    if asked and form.is_valid():
        values = form.cleaned_data
        question = obligations.ask(values["modification"], values.get("result"), values["use"], values["commercial"])
        anchors = {c.number: c.anchor for c in doc.clauses()}
        answer = _decorate(obligations.obligations(doc, question), anchors)
        answer["question"] = question
        answer["modification_label"] = specs.MODIFICATIONS.get(question.modification or "", ("",))[0]
    elif asked:
        status = 400
    context = {
        **context,
        "form": form,
        "tests": tests,
        "answer": answer,
        "text_url": text_url,
        "disclaimer": obligations.DISCLAIMER,
    }
    name = f"{template}#answer" if htmx(request) and not htmx(request).boosted else template
    return render(request, name, context, status=status)
