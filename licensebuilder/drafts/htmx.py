"""django-htmx's details of a request, typed: what ``request.htmx`` holds once its middleware ran."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


def htmx(request: HttpRequest) -> HtmxDetails:
    """``request.htmx``: set by ``HtmxMiddleware`` on every request, made here for one without it."""
    details = getattr(request, "htmx", None)
    return details if isinstance(details, HtmxDetails) else HtmxDetails(request)
