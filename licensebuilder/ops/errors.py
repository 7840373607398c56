"""The answer to an uncaught exception.

A connection to the database or Redis can drop anywhere, also outside a view (the session saved
on the way out, the user looked up by a middleware), where no view-level handler sees it. Such a
failure is temporary: it answers 503 with Retry-After, like the one a view's own handler gives,
never a 500 that says something is broken.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults
from redis.exceptions import RedisError

_TEMPORARY = (OperationalError, InterfaceError, RedisError)


def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exc_info()[1], _TEMPORARY):
        # Drawn without a request: the page must need neither the database nor a session.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request)
