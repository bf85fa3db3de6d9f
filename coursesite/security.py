"""Answers to a logged-in person are never stored by a browser or a proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Every answer to a request that carries a session cookie (their grades,
    the gradebook, exports, hand-ins, rosters, the menu with their name on
    every page, and the refusals the outer middleware give) gets
    ``Cache-Control: private, no-store``, so a shared computer's cache or a
    proxy keeps no copy of it. Placed outermost but for the security headers,
    so that no answer gets past it; visitors without a session cookie (the
    public pages' readers) are left cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            add_never_cache_headers(response)
        return response
