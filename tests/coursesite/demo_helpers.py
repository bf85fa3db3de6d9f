"""What the demo course tests share: running seed_demo, the demo course's slug and
its people's usernames."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

SLUG = "cis6200-spring-2026"
USERNAMES = ["instructor", "ta1", "ta2"] + [f"student{n:02d}" for n in range(1, 21)]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()
