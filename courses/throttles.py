"""Throttles on the guesses an attacker would make: passwords, reset mail, join codes.

Each throttle counts in Django's cache through django-ratelimit, in fixed
windows, and a refusal says when to try again. With ``REDIS_URL`` set every
server process shares the counts; without it each process counts on its own
(docs/security.md). The per-account login lockout is django-axes'; these sit
on top of it.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

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
    """At most ``limit`` events per ``period`` for one key (an address, a user)."""

    group: str  # its setting, THROTTLE_<GROUP>, holds (limit, period in seconds)

    @property
    def rate(self) -> str:
        limit, seconds = getattr(settings, f"THROTTLE_{self.group.upper()}")
        return f"{limit}/{seconds}s"

    def _usage(self, request: HttpRequest, key: str, *, increment: bool) -> dict | None:
        try:
            return get_usage(
                request,
                group=self.group,
                key=lambda _group, _request: key,
                rate=self.rate,
                increment=increment,
            )
        except Exception:
            # A cache that is away opens the throttle rather than the site's
            # doors shutting: the per-account lockout lives in the database.
            log.warning("Throttle %s not checked: the cache did not answer.", self.group)
            return None

    def hit(self, request: HttpRequest, key: str) -> int | None:
        """Count one event; the seconds to wait if it was one too many, else None."""
        usage = self._usage(request, key, increment=True)
        if usage is None or not usage["should_limit"]:
            return None
        return max(1, int(usage["time_left"]))

    def wait(self, request: HttpRequest, key: str) -> int | None:
        """The seconds to wait if the limit is already reached, without counting."""
        usage = self._usage(request, key, increment=False)
        if usage is None or usage["count"] < usage["limit"]:
            return None
        return max(1, int(usage["time_left"]))


LOGIN_FAILURES_PER_CLIENT = Throttle("login_failures_per_client")
PASSWORD_RESET_PER_ADDRESS = Throttle("password_reset_per_address")
PASSWORD_RESET_PER_CLIENT = Throttle("password_reset_per_client")
PASSWORD_CHECK_PER_USER = Throttle("password_check_per_user")
JOIN_CODE_PER_USER = Throttle("join_code_per_user")
JOIN_CODE_PER_CLIENT = Throttle("join_code_per_client")
