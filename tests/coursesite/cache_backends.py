"""The caches the public page tests run on, and how a test tells a copy served
from the cache from a page made afresh: a copy costs no database query and
carries an `Age` header, which only a copy has."""

from __future__ import annotations

import os
import uuid
from typing import ClassVar

import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import file_cache

# CI runs a Redis server beside PostgreSQL; give a database of your own locally.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/12")
PAGES = ["", "schedule/", "resources/", "calendar.ics"]


def fetch(client: Client, path: str, **extra) -> tuple[int, HttpResponse]:
    """GET `path`: the number of database queries it took, and the answer."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **extra)
    return len(ctx.captured_queries), response


def from_the_cache(queries: int, response: HttpResponse) -> bool:
    return queries == 0 and "Age" in response


@pytest.fixture
def redis_keys(settings):
    """Django's cache in Redis, as with REDIS_URL, under a key prefix of this
    test's own (test processes share the server). Yields what lists this test's
    keys in Redis. Never skipped: CI always runs Redis."""
    import redis

    server = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis does not answer at {REDIS_TEST_URL}; start redis-server.")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }

    def keys() -> list[str]:
        return sorted(key.decode() for key in server.scan_iter(match=f"{prefix}:*"))

    yield keys
    for key in keys():
        server.delete(key)


@pytest.fixture(params=["local memory", "file", "redis"])
def backend(request, settings, tmp_path) -> str:
    """Each cache the site runs on: each process's memory (no REDIS_URL), Redis,
    and Django's file cache (another cache that processes share)."""
    if request.param == "file":
        settings.CACHES = file_cache(tmp_path)
    elif request.param == "redis":
        request.getfixturevalue("redis_keys")
    return request.param


class RecordingCache(LocMemCache):
    """Local memory that notes the key of every page (an answer) stored in it."""

    pages_stored: ClassVar[list[str]] = []

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if isinstance(value, HttpResponseBase):
            RecordingCache.pages_stored.append(key)
        super().set(key, value, timeout, version)


@pytest.fixture
def pages_stored(settings) -> list[str]:
    """The keys of the public pages stored during the test."""
    RecordingCache.pages_stored = []
    settings.CACHES = {
        "default": {
            "BACKEND": "tests.coursesite.cache_backends.RecordingCache",
            "LOCATION": f"recording-{uuid.uuid4().hex}",
        }
    }
    return RecordingCache.pages_stored
