"""What the ranked sign-up tests share: the pages' addresses, ranking papers and
closing the rankings, and reading the alerts, sections and tables a page sent back."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.urls import reverse
from django.utils import timezone

from courses.models import PaperPreference
from courses.services import ranking


def close_rankings(course) -> None:
    now = timezone.now()
    course.signup_opens_at = now - dt.timedelta(days=10)
    course.signup_closes_at = now - dt.timedelta(days=1)
    course.save()


def url(course, name: str, **kwargs) -> str:
    return reverse(f"courses:{name}", kwargs={"slug": course.slug, **kwargs})


def rank_url(course) -> str:
    return url(course, "paper_rank")


def run_url(run) -> str:
    return url(run.course, "assignment_run", run_id=run.pk)


def step(client, course, action: str, paper):
    """One button on the ranking page, followed back to the page."""
    pk = paper if isinstance(paper, int) else paper.pk
    return client.post(rank_url(course), {"action": action, "reading": pk}, follow=True)


def ranks(course, student, *papers) -> None:
    ranking.preferences_set(course=course, student=student, reading_ids=[p.pk for p in papers])


def stored_ranking(course, student) -> list[str]:
    return [
        p.reading.title
        for p in PaperPreference.objects.filter(course=course, student=student).order_by("rank")
    ]


INLINE_TAG = re.compile(r"</?(?:a|b|em|span|strong|time)\b[^>]*>")


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment, on one line."""
    plain = re.sub(r"<[^>]+>", " ", INLINE_TAG.sub("", fragment))
    return " ".join(html.unescape(plain).split())


def alerts(response) -> list[str]:
    found = re.findall(r'<div class="alert [^"]*">(.*?)</div>', response.content.decode(), re.S)
    return [text(found_one) for found_one in found]


def section(response, heading_id: str) -> str:
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no section {heading_id}"
    return match.group(1)


def page_ranking(response) -> list[str]:
    """The titles in the student's ranking on the page, best first."""
    match = re.search(r'<ol class="[^"]*ranking">(.*?)</ol>', response.content.decode(), re.S)
    if not match:
        return []
    return [text(t) for t in re.findall(r'<span class="fw-semibold">(.*?)</span>', match[1])]


def placements(run) -> set[tuple[int, int, int | None]]:
    return {tuple(row) for row in run.result["placements"]}


def adjust(client, run, student, *, remove=None, add=None):
    data = {"action": "adjust", "student": student.pk}
    data["remove"] = remove.pk if remove else ""
    data["add"] = add.pk if add else ""
    return client.post(run_url(run), data, follow=True)
