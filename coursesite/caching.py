"""The public course pages, kept for anonymous visitors with Django's cache framework:
a published course's home, schedule, resources and calendar are marked public by
`cache_public_page` and kept for PUBLIC_PAGE_SECONDS by `PublicPageCacheMiddleware`,
right after WhiteNoise; no copy is invalidated, so an edit shows at once to logged-in
people and within PUBLIC_PAGE_SECONDS to anonymous visitors. Never fetched nor stored:
a request with a cookie (a session: logged-in people always get a fresh page, private
and no-store) or a query string (any other cookie or query would make a copy of its
own), or not GET/HEAD. Never stored: an answer but a 200, one that sets a cookie, or one its view
did not mark public."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.utils import cache as cache_utils
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)

PUBLIC_PAGE_SECONDS = 60
KEY_PREFIX = "public-page"
process_cache = LocMemCache("coursesite-public-pages", {"OPTIONS": {"MAX_ENTRIES": 1000}})


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a published course's page (a view taking `(request, access, ...)`)
    as one `PublicPageCacheMiddleware` may keep for anonymous visitors."""

    @wraps(view)
    def wrapped(request: HttpRequest, access, *args, **kwargs) -> HttpResponse:
        response = view(request, access, *args, **kwargs)
        if access.course.is_published:
            cache_utils.patch_cache_control(response, public=True)
        return response

    return wrapped


class PublicPageCacheMiddleware:
    """Django's FetchFromCacheMiddleware and UpdateCacheMiddleware in one, by their
    documented functions and keys (the URL, host included, and the request headers the
    page's Vary names: Cookie). Each copy is also kept in this process's memory until it
    expires, so a hit asks Redis nothing once the process has it (see bench/)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _anonymous(request):  # first: a logged-in request costs a lookup here
            return self.get_response(request)
        shared = caches[DEFAULT_CACHE_ALIAS]
        if (hit := _fetch(request, shared)) is not None:
            return hit
        response = self.get_response(request)
        if request.method == "GET" and _storable(response):
            cache_utils.patch_response_headers(response, PUBLIC_PAGE_SECONDS)
            for cache in (process_cache, shared):
                _unless_the_cache_fails(_store, request, response, cache, PUBLIC_PAGE_SECONDS)
        return response


def _anonymous(request: HttpRequest) -> bool:
    return (
        not request.META.get("HTTP_COOKIE")
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
    )


def _fetch(request: HttpRequest, shared) -> HttpResponse | None:
    """This process's copy, else the shared cache's, then kept here for the rest of its time."""
    hit = _copy_in(process_cache, request)
    if hit is None:
        hit = _unless_the_cache_fails(_copy_in, shared, request)
        if hit is None or _expires(hit) <= time.time():
            return None
        _store(request, hit, process_cache, _expires(hit) - time.time())
    # As Django's: the copy's age, so a browser keeps it no longer than the rest.
    hit["Age"] = max(0, PUBLIC_PAGE_SECONDS - (_expires(hit) - int(time.time())))
    return hit


def _copy_in(cache, request: HttpRequest) -> HttpResponse | None:
    key = cache_utils.get_cache_key(request, KEY_PREFIX, "GET", cache=cache)
    return None if key is None else cache.get(key)


def _store(request: HttpRequest, response: HttpResponse, cache, seconds: float) -> None:
    key = cache_utils.learn_cache_key(request, response, seconds, KEY_PREFIX, cache=cache)
    cache.set(key, response, seconds)


def _expires(response: HttpResponse) -> int:
    return parse_http_date_safe(response.get("Expires", "")) or 0


def _storable(response: HttpResponse) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").lower().split(",")}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in directives
        and not directives & {"private", "no-cache", "no-store"}
        and "*" not in response.get("Vary", "")
    )


def _unless_the_cache_fails(action: Callable, *args):
    """A cache server that is down makes pages slower, not broken."""
    try:
        return action(*args)
    except Exception:
        logger.warning("The public page cache failed; serving without it.", exc_info=True)
        return None
