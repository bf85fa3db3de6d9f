"""The course navigation: one list of links, each shown to the people its page
admits (the rule is read from the page's own view, never written twice).

Courses lists its pages here; grading adds its own from its app config, so
courses knows nothing of grading."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from courses.access import CourseAccess


@dataclass(frozen=True)
class NavLink:
    order: int
    label: str
    url_name: str  # "courses:schedule"
    also_active_on: tuple[str, ...] = ()  # pages under this one, e.g. a poll under Polls
    # Pages about the person's own part in the course (their work, their grades)
    # name the roles that have one; a superuser, let in everywhere, has none.
    own_for: frozenset[str] | None = None


COURSE_NAV: list[NavLink] = [
    NavLink(10, "Home", "courses:home"),
    NavLink(20, "Schedule", "courses:schedule"),
    NavLink(30, "Resources", "courses:resources"),
    NavLink(40, "Papers", "courses:papers"),
    NavLink(50, "Polls", "courses:polls", also_active_on=("courses:poll",)),
    NavLink(80, "Presenters", "courses:paper_assignments"),
    NavLink(100, "Roster", "courses:roster"),
]


def nav_link_add(link: NavLink) -> None:
    """Add another app's page to the course navigation, in `order`."""
    if all(existing.url_name != link.url_name for existing in COURSE_NAV):
        COURSE_NAV.append(link)
        COURSE_NAV.sort(key=lambda existing: existing.order)


def course_nav(access: CourseAccess, current: str | None) -> list[dict]:
    """The links this person may follow, with the current page marked."""
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name, kwargs={"slug": access.course.slug}),
            "current": current == link.url_name,
            "active": current == link.url_name or current in link.also_active_on,
        }
        for link in COURSE_NAV
        if access.may_open(link.url_name) and (link.own_for is None or access.role in link.own_for)
    ]
