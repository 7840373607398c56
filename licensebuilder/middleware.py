"""The site's own "Page not found" page while DEBUG is on, as it is with DEBUG off.

With DEBUG on, Django answers a 404 with its technical page (the URL patterns tried, the settings
hint), which is what a newcomer running ``make run`` meets on a mistyped address. This middleware
answers with the site's 404 template instead, keeping the 404 status. It sits after CommonMiddleware,
so a missing trailing slash is still redirected, and does nothing when DEBUG is off, where Django's
own handler already renders the same template.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


class SiteNotFoundPage:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No view was found for the address: Django made its technical page from a Resolver404.
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return _not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A view said "no such thing" (another user's draft, an unknown step).
        if settings.DEBUG and isinstance(exception, Http404):
            return _not_found(request)
        return None
