"""Middleware: request size limits, private pages, idle sessions and storms of refused requests."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from .logs import security_event

Handler = Callable[[HttpRequest], HttpResponse]


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind ``PROXY_COUNT`` proxies that each append to
    X-Forwarded-For, the address the outermost of them saw (earlier entries are the client's to forge)."""
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def too_large(limit: int) -> HttpResponse:
    return HttpResponse(
        f"The request is too large: the limit is {limit // 1024} KiB.",
        status=413,
        content_type="text/plain; charset=utf-8",
    )


class RequestSizeLimit:
    """Refuses a body declared larger than MAX_REQUEST_BYTES before a byte of it is read.

    A body sent without a length is not read by Django at all, and one longer than its declared
    length is read only up to that length, so the declared length bounds what any request costs.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return too_large(settings.MAX_REQUEST_BYTES)
        return self.get_response(request)


class PrivatePages:
    """Pages for a signed-in user are never stored by a browser or proxy cache, and using the site
    keeps the session alive: its expiry moves forward at most once a minute, so a session unused
    for SESSION_COOKIE_AGE ends."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        if signed_in:
            minute = int(time.time() // 60)
            if request.session.get("_seen") != minute:
                request.session["_seen"] = minute
        response = self.get_response(request)
        policy = response.get("Cache-Control", "")
        if signed_in and "public" not in policy and "no-store" not in policy:
            add_never_cache_headers(response)  # no-store, private
        return response


class ClientErrorStorms:
    """Logs once per window when one address draws many 4xx answers: a scan, a guessing run or a
    broken client. Counts live in the cache, so with a shared cache they hold across nodes."""

    WINDOW_SECONDS = 60
    THRESHOLD = 50

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if 400 <= response.status_code < 500:
            address = client_address(request)
            window = int(time.time() // self.WINDOW_SECONDS)
            key = f"4xx:{address}:{window}"
            try:
                cache.add(key, 0, self.WINDOW_SECONDS * 2)
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr
                count = 1
            except Exception:  # a cache that is down must not turn a 404 into a 500
                return response
            if count == self.THRESHOLD:
                security_event(
                    "client_error_storm",
                    f"{count} refused requests from one address within {self.WINDOW_SECONDS} s",
                    address=address,
                    count=count,
                    window_seconds=self.WINDOW_SECONDS,
                    last_status=response.status_code,
                )
        return response
