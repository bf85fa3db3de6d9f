"""Pages that show one person's data are never stored by a browser or a proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Every answer to a logged-in person (their grades, the gradebook, exports,
    hand-ins, rosters, and the menu with their name on every page) gets
    ``Cache-Control: private, no-store``: a shared computer's cache or a proxy
    keeps no copy of it. Visitors without a session cookie are not looked up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
