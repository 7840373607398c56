from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def review_url(access: Any, name: str, *args: Any) -> str:
    """``{% review_url access "history" %}``: the owner's or the reviewer's URL of a review page."""
    return access.url(name, *args)
