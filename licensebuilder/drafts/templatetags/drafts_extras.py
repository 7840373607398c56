from typing import Any

from django import template

register = template.Library()


@register.filter
def choice_help(field: Any, value: Any) -> str:
    """The one-line explanation of one choice of a radio group, if the form gives one."""
    return getattr(field.field, "choice_help", {}).get(str(value), "")


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
