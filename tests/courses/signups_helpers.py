"""What the sign-up tests share: a sign-up's statuses, the board's and buttons'
addresses, closing sign-ups, and reading the cards, sections and alerts a page sent back."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.urls import reverse

from courses.models import PresentationSignup

CONFIRMED = PresentationSignup.Status.CONFIRMED
WAITLISTED = PresentationSignup.Status.WAITLISTED
ACTIONS = ["signup", "waitlist", "withdraw"]

# Fixed instants, said back in the course's time zone (America/New_York).
LONG_AGO = dt.datetime(2025, 1, 2, 5, 0, tzinfo=dt.UTC)  # Thursday, January 2, 12:00 AM
CLOSED_AT = dt.datetime(2025, 1, 21, 5, 0, tzinfo=dt.UTC)  # Tuesday, January 21, 12:00 AM


def close_sign_ups(course) -> None:
    course.signup_opens_at = LONG_AGO
    course.signup_closes_at = CLOSED_AT
    course.save()


def board_url(course) -> str:
    return reverse("courses:papers", kwargs={"slug": course.slug})


def action_url(course, reading, action: str) -> str:
    return reverse(
        f"courses:paper_{action}", kwargs={"slug": course.slug, "reading_id": reading.pk}
    )


def staff_url(course, name: str) -> str:
    return reverse(f"courses:{name}", kwargs={"slug": course.slug})


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def paper_card(response, reading) -> str:
    match = re.search(
        rf'<li class="card mb-2 paper" id="paper-{reading.pk}">(.*?)</li>',
        response.content.decode(),
        re.S,
    )
    assert match, f"paper {reading.pk} is not on the board"
    return html.unescape(match.group(1))


def section(response, heading_id: str) -> str:
    match = re.search(
        rf'<section aria-labelledby="{heading_id}"[^>]*>(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no section {heading_id}"
    return html.unescape(match.group(1))


def button_targets(card: str) -> set[str]:
    return set(re.findall(r"/papers/\d+/(signup|waitlist|withdraw)/", card))
