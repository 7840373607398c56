"""Answers for work that cannot be done right now, instead of a server error or a request held open.

- A PDF being rendered: 202 and a page that says so and asks again (htmx, or a link without
  JavaScript); when the PDF is ready, the htmx poll is sent on to the download.
- No render can start (this client asked for many, the queue is full, Redis is down): 429 or 503
  with Retry-After.
- The database or Redis dropped the connection mid-request: 503 with Retry-After. Nothing the
  visitor was told is saved is lost: a save is acknowledged only once its transaction committed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from redis.exceptions import RedisError

from licensebuilder.drafts.htmx import htmx

from . import renders

log = logging.getLogger(__name__)

WAIT_TEMPLATE = "drafts/pdf_wait.html"


def _back(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


def _answer(request: HttpRequest, status: int, retry_after: int, context: dict[str, Any]) -> HttpResponse:
    context.update(url=request.get_full_path(), retry_after=retry_after, back=_back(request))
    if htmx(request):
        # A poll: htmx swaps only 2xx answers, so a refusal is shown and the poll goes on.
        response = render(request, WAIT_TEMPLATE + "#poll", context, status=202 if status == 202 else 200)
    else:
        response = render(request, WAIT_TEMPLATE, context, status=status)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RenderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = renders.client.set(lambda: self._client(request))
        try:
            response = self.get_response(request)
        finally:
            renders.client.reset(token)
        if getattr(request, "htmx", False) and response.get("Content-Disposition", "").startswith("attachment"):
            # The poll of a "preparing" page: the file is ready, so the browser fetches it itself.
            ready = HttpResponse(status=200)
            ready["HX-Redirect"] = request.get_full_path()
            return ready
        return response

    @staticmethod
    def _client(request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return "addr:" + request.META.get("REMOTE_ADDR", "")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, renders.PdfPending):
            return _answer(request, 202, exception.retry_after, {"state": "pending"})
        if isinstance(exception, renders.RenderRefused):
            context = {"state": "refused", "message": exception.message}
            return _answer(request, exception.status, exception.retry_after, context)
        if isinstance(exception, (OperationalError, InterfaceError, RedisError)):
            log.warning("503 for %s %s: %s: %s", request.method, request.path, type(exception).__name__, exception)
            # Without a request: the page must not need the database or a session to be drawn.
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = "5"
            response["Cache-Control"] = "no-store"
            return response
        return None
