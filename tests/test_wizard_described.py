"""What a screen reader reads with each question of the wizard: the help under a question and the
definition the license gives its term are named by the control's ``aria-describedby``, and every
id named there is on the page exactly once. Checked on every step of a draft made from each preset,
as the page is served, parsed with the standard library's HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.urls import resolve, reverse

from licensebuilder.core.presets import presets
from licensebuilder.drafts import wizard
from licensebuilder.drafts.models import Draft

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# What the step templates write beside a question: its help, and the definition of its term.
DESCRIBING = {"help", "matrix-desc", "field-definition", "matrix-definition"}
CONTROLS = {"input", "select", "textarea"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None
    children: list[Node] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def __repr__(self) -> str:
        return f"<{self.tag} id={self.attrs.get('id')!r} class={self.attrs.get('class')!r}>"


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.open[-1])
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def _hidden(node: Node) -> bool:
    return any("hidden" in n.attrs or n.attrs.get("aria-hidden") == "true" for n in (node, *node.ancestors()))


def _described_by(node: Node) -> list[str]:
    return node.attrs.get("aria-describedby", "").split()


def reference_problems(page: Node) -> list[str]:
    """Each id that an ``aria-describedby`` names, unless exactly one element has it."""
    ids: dict[str, int] = {}
    for node in page.walk():
        if "id" in node.attrs:
            ids[node.attrs["id"]] = ids.get(node.attrs["id"], 0) + 1
    return [
        f"{node!r} names {ref!r}, which {ids.get(ref, 0)} elements have"
        for node in page.walk()
        for ref in _described_by(node)
        if ids.get(ref, 0) != 1
    ]


def unreferenced_descriptions(page: Node) -> list[str]:
    """Each help or definition shown beside a question that its control does not name.

    A question's control is its fieldset (a group of radio buttons or checkboxes) or, for a single
    field, each input in the question's wrapper (the element whose id ends in ``-wrap``). Help that
    is part of a fieldset's legend is read as the group's name already, and is not named again."""
    (form,) = [n for n in page.walk() if n.attrs.get("id") == "step-form"]
    out = []
    for node in form.walk():
        if not node.classes & DESCRIBING or _hidden(node):
            continue
        ref = node.attrs.get("id")
        if not ref:
            out.append(f"{node!r} has no id for a control to name")
            continue
        wrap = next((a for a in node.ancestors() if a.attrs.get("id", "").endswith("-wrap")), None)
        if wrap is None:
            out.append(f"{node!r} is in no question's wrapper")
        elif wrap.tag == "fieldset":
            in_legend = any(a.tag == "legend" for a in node.ancestors() if a is not wrap and wrap in a.ancestors())
            if not in_legend and ref not in _described_by(wrap):
                out.append(f"{wrap!r} does not name {ref!r}")
        else:
            controls = [n for n in wrap.walk() if n.tag in CONTROLS and n.attrs.get("type") != "hidden"]
            if not controls:
                out.append(f"{wrap!r} has no control to name {ref!r}")
            out += [f"{c!r} does not name {ref!r}" for c in controls if ref not in _described_by(c)]
    return out


def _draft_from(client, slug: str) -> Draft:
    response = client.post(reverse("drafts:new"), {"preset": slug})
    assert response.status_code == 302
    return Draft.objects.get(pk=resolve(response["Location"]).kwargs["draft_id"])


PRESETS = sorted(presets())


@pytest.mark.parametrize("preset", PRESETS)
def test_every_description_on_every_step_is_named_by_its_control(client_in, preset):
    draft = _draft_from(client_in, preset)
    problems, definitions = [], 0
    for step in wizard.applicable(draft.spec):
        response = client_in.get(reverse("drafts:step", args=[draft.pk, step.slug]))
        assert response.status_code == 200
        page = parse(response.content.decode())
        problems += [f"{step.slug}: {p}" for p in reference_problems(page)]
        if step.form is not None:
            problems += [f"{step.slug}: {p}" for p in unreferenced_descriptions(page)]
            definitions += sum(bool(n.classes & {"field-definition", "matrix-definition"}) for n in page.walk())
    assert problems == []
    assert definitions, "no step showed a definition: the checks above checked none"


def test_the_check_finds_a_definition_its_control_does_not_name():
    page = parse(
        '<form id="step-form"><div id="field-x-wrap"><input type="checkbox" id="field-x" '
        'aria-describedby="field-x_helptext"><p class="help" id="field-x_helptext">Help</p>'
        '<p class="field-definition" id="field-x_definition">Means</p></div></form>'
    )
    assert unreferenced_descriptions(page) == ["<input id='field-x' class=None> does not name 'field-x_definition'"]
    assert reference_problems(page) == []


def test_the_check_finds_a_name_that_is_not_on_the_page_once():
    page = parse('<form id="step-form"><input id="a" aria-describedby="b c"><p id="c"></p><p id="c"></p></form>')
    assert reference_problems(page) == [
        "<input id='a' class=None> names 'b', which 0 elements have",
        "<input id='a' class=None> names 'c', which 2 elements have",
    ]


KINDS = {
    "text": lambda **kw: forms.CharField(**kw),
    "textarea": lambda **kw: forms.CharField(widget=forms.Textarea, **kw),
    "number": lambda **kw: forms.IntegerField(**kw),
    "checkbox": lambda **kw: forms.BooleanField(required=False, **kw),
    "radio": lambda **kw: forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, **kw),
    "checkboxes": lambda **kw: forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, **kw
    ),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("help_text", ["", "Some help."], ids=["no-help", "help"])
@pytest.mark.parametrize("definition", ["", "“Term” means something."], ids=["no-term", "term"])
def test_every_kind_of_question_names_what_it_shows(kind, help_text, definition):
    """Every layout of drafts/_field.html, with and without help and a definition: those the
    presets' steps have today and those a `term:` or a question without help would bring."""

    class Form(forms.Form):
        question = KINDS[kind](label="A question", help_text=help_text)

    form = Form(auto_id="field-%s")
    form.fields["question"].definition = definition
    html = Template('<form id="step-form">{% include "drafts/_field.html" %}</form>').render(
        Context({"field": form["question"]})
    )
    page = parse(html)
    assert reference_problems(page) == []
    assert unreferenced_descriptions(page) == []
    assert ('id="field-question_definition"' in html) == bool(definition)
    assert ('id="field-question_helptext"' in html) == bool(help_text)
