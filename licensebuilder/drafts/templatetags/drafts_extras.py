from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

from licensebuilder.core.render.pdf import PAPER_LABELS

from .. import wizard

register = template.Library()


@register.filter
def choice_help(field: Any, value: Any) -> str:
    """The one-line explanation of one choice of a radio group, if the form gives one."""
    return getattr(field.field, "choice_help", {}).get(str(value), "")


@register.filter
def answer_legend(field: Any) -> list[tuple[str, str]]:
    """(label, help) of each answer a choice field offers, as questions.yaml words them: the legend
    above a matrix of questions that share one set of answers (the policies, the availabilities)."""
    helps = getattr(field, "choice_help", {})
    return [(str(label), helps.get(str(value), "")) for value, label in field.choices]


@register.filter
def widget_kind(field: Any) -> str:
    """How a field is laid out: text, checkbox, choices (radio/checkbox group) or textarea."""
    widget = field.field.widget
    if getattr(widget, "allow_multiple_selected", False) or getattr(widget, "input_type", "") == "radio":
        return "choices"
    if getattr(widget, "input_type", "") == "checkbox":
        return "checkbox"
    if widget.__class__.__name__ == "Textarea":
        return "textarea"
    return "text"


@register.filter
def described_by(field: Any) -> str:
    """The ids of what is read with a question's control (its ``aria-describedby``), as
    ``drafts/_field.html`` shows them: the help, the definition of the question's term, and the
    errors (their element is always there, empty until there are some)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if getattr(field.field, "definition", ""):
        ids.append(f"{field.auto_id}_definition")
    ids.append(f"{field.auto_id}-errors")
    return " ".join(ids)


@register.filter
def described_control(field: Any) -> SafeString:
    """A single field's input (a text box, a checkbox), described by :func:`described_by`."""
    return field.as_widget(attrs={"aria-describedby": described_by(field)})


@register.filter
def paper_label(paper: str) -> str:
    """A paper size as people name it: A4, US Letter."""
    return PAPER_LABELS.get(paper, paper)


# Steps that apply only to some answers are numbered after the step they follow ("4a"), so the
# steps after them keep their numbers when they appear or go.
def _numbers() -> dict[str, str]:
    out, count, suffix = {}, 0, 0
    for step in wizard.STEPS:
        if step.condition is wizard.STEPS[0].condition:
            count, suffix = count + 1, 0
            out[step.slug] = str(count)
        else:
            suffix += 1
            out[step.slug] = f"{count}{'abcdefgh'[suffix - 1]}"
    return out


_STEP_NUMBERS = _numbers()


@register.filter
def step_number(step: Any) -> str:
    """The step's number in the wizard, the same whichever steps apply."""
    return _STEP_NUMBERS.get(step.slug, "")


@register.filter
def option_tag(choice: Any) -> SafeString:
    """One radio button or checkbox of a choice group: the markup ``choice.tag`` makes through
    Django's widget templates (input.html and attrs.html), written here directly. A step draws up
    to 48 of them, and each went through a template render of its own."""
    data = choice.data
    parts = [f'<input type="{escape(data["type"])}" name="{escape(data["name"])}"']
    if data["value"] is not None:
        parts.append(f' value="{escape(data["value"])}"')
    for name, value in data["attrs"].items():
        if value is True:
            parts.append(f" {escape(name)}")
        elif value is not False:
            parts.append(f' {escape(name)}="{escape(value)}"')
    parts.append(">")
    return mark_safe("".join(parts))  # every part is escaped above
