"""Throttles on the guesses an attacker would make: passwords, reset mail, join codes.

Each throttle counts in Django's cache, in fixed windows, and a refusal says
when to try again. An attempt is counted *before* it is made (`take`), so
guesses sent all at once are counted as they arrive and the ones over the limit
are refused; an attempt that turns out well is given back (`give_back`), so a
classroom logging in from one address never runs into the limit on failures.

With ``REDIS_URL`` set every server process shares the counts; without it each
process counts on its own (docs/security.md). The per-account login lockout is
django-axes'; these sit on top of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

log = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as django-axes sees it, so the login
    lockout and the throttles here agree on who the client is."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def wait_phrase(seconds: int) -> str:
    """'in 1 minute', 'in 14 minutes', 'in 2 hours': when to try again."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 120:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    return f"in {math.ceil(minutes / 60)} hours"


@dataclass(frozen=True)
class Throttle:
    """At most ``limit`` attempts per ``period`` for one key (an address, a user)."""

    group: str  # its setting, THROTTLE_<GROUP>, holds (limit, period in seconds)

    def _window(self, key: str) -> tuple[str, int, int, int]:
        limit, period = getattr(settings, f"THROTTLE_{self.group.upper()}")
        now = int(time.time())
        start = now - now % period
        digest = hashlib.sha256(key.encode()).hexdigest()
        return f"throttle:{self.group}:{digest}:{start}", limit, period, start + period - now

    def take(self, key: str) -> int | None:
        """Count one attempt; the seconds to wait if it is over the limit, else None."""
        cache_key, limit, period, left = self._window(key)
        try:
            cache.add(cache_key, 0, timeout=period + 60)
            count = cache.incr(cache_key)
        except Exception:
            # A cache that is away opens the throttle rather than shutting
            # everyone out: the per-account lockout lives in the database.
            log.warning("Throttle %s not checked: the cache did not answer.", self.group)
            return None
        return max(1, left) if count > limit else None

    def give_back(self, key: str) -> None:
        """Uncount an attempt that turned out well (a right password or code)."""
        cache_key, *_ = self._window(key)
        # Gone with its window, or the cache is away: nothing to give back.
        with contextlib.suppress(Exception):
            cache.decr(cache_key)


LOGIN_FAILURES_PER_CLIENT = Throttle("login_failures_per_client")
PASSWORD_RESET_PER_ADDRESS = Throttle("password_reset_per_address")
PASSWORD_RESET_PER_CLIENT = Throttle("password_reset_per_client")
PASSWORD_CHECK_PER_USER = Throttle("password_check_per_user")
JOIN_CODE_PER_USER = Throttle("join_code_per_user")
JOIN_CODE_PER_CLIENT = Throttle("join_code_per_client")
