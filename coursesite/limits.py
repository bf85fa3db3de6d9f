"""Refuse a request body larger than anything the site accepts, before reading it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOO_LARGE_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Too large</title></head>
<body>
<h1>This request is too large</h1>
<p>The site takes at most {limit} MB in one request. Go back, choose a smaller file
(or send less at once) and try again.</p>
</body>
</html>
"""


class RequestBodyLimitMiddleware:
    """Answer 413 to a request that declares a body over ``REQUEST_BODY_MAX_BYTES``.

    Django's own limits answer 400 to too much form data, but they do not count
    uploaded files: without this, an upload of any size would be read to a
    temporary file before the form looked at it and refused it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = getattr(settings, "REQUEST_BODY_MAX_BYTES", None)
        if limit is not None and _declared_length(request) > limit:
            page = TOO_LARGE_PAGE.format(limit=f"{limit / (1024 * 1024):.3g}")
            return HttpResponse(page, status=413)
        return self.get_response(request)


def _declared_length(request: HttpRequest) -> int:
    # Django reads no body at all without a valid Content-Length, so only it counts.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
