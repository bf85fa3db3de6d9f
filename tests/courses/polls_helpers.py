"""What the poll tests share: polls made and answered the way the buttons do it,
their addresses, and reading the messages, counts and CSV a page sent back."""

from __future__ import annotations

import html
import re

from courses.models import Poll, PollAnswer, PollChoice
from courses.services import polls


def url(course, path: str = "") -> str:
    return f"/courses/{course.slug}/polls/{path}"


def poll_url(poll, path: str = "") -> str:
    return url(poll.course, f"{poll.pk}/{path}")


def new_poll(
    course,
    *,
    state: str = "open",
    kind: str = "single",
    choices=("Yes", "No", "Maybe"),
    question: str = "Did you read the paper?",
    **options,
) -> Poll:
    """A poll made and opened (and closed) the way the buttons do it."""
    poll = polls.poll_create(
        course=course,
        question=question,
        kind=kind,
        choices=() if kind == "text" else choices,
        **options,
    )
    if state in ("open", "closed"):
        polls.poll_state_set(poll=poll, state="open")
    if state == "closed":
        polls.poll_state_set(poll=poll, state="closed")
    poll.refresh_from_db()
    return poll


def choice(poll, text: str) -> PollChoice:
    return poll.choices.get(text=text)


def answer(poll, student, *texts: str, text: str = "") -> PollAnswer:
    ids = [choice(poll, t).pk for t in texts]
    return polls.poll_answer(poll=poll, student=student, choice_ids=ids, text=text)


def page(response) -> str:
    return html.unescape(response.content.decode())


def alerts(response) -> list[str]:
    """The messages shown at the top of a course page."""
    found = re.findall(r'<div class="alert alert-\w+">(.*?)</div>', response.content.decode(), re.S)
    return [html.unescape(text).strip() for text in found]
