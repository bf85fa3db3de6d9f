"""The course navigation comes from one list, and a link is shown exactly to the
people its page admits: the rule is read from the page's own view."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from courses.access import CourseAccess
from courses.navigation import COURSE_NAV
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["Home", "Schedule", "Resources"]
MEMBERS = [*EVERYONE, "Papers", "Polls"]


def nav_links(client: Client, course) -> dict[str, str]:
    page = client.get(f"/courses/{course.slug}/").content.decode()
    nav = page[page.index('<ul class="navbar-nav">') :]
    nav = nav[: nav.index("</ul>")]
    return {label: href for href, label in re.findall(r'href="([^"]+)">([^<]+)</a>', nav)}


@pytest.fixture
def as_superuser(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    ("who", "labels"),
    [
        ("anonymous", EVERYONE),
        ("outsider", EVERYONE),
        ("student", [*MEMBERS, "Work", "Grades"]),
        ("ta", [*MEMBERS, "Presenters", "Gradebook"]),
        ("instructor", [*MEMBERS, "Presenters", "Gradebook", "Roster"]),
        # Let in everywhere, but with no work or grades of their own.
        ("superuser", [*MEMBERS, "Presenters", "Gradebook", "Roster"]),
    ],
)
def test_each_role_sees_the_pages_it_may_open(request, course, who, labels):
    client = Client() if who == "anonymous" else request.getfixturevalue(f"as_{who}")
    assert list(nav_links(client, course)) == labels


@pytest.mark.parametrize("who", ["student", "ta", "instructor", "superuser"])
def test_every_link_shown_opens(request, course, who):
    client = request.getfixturevalue(f"as_{who}")
    for label, href in nav_links(client, course).items():
        assert client.get(href).status_code == 200, label


def test_the_current_page_is_marked_for_screen_readers(course, as_student):
    page = as_student.get(f"/courses/{course.slug}/schedule/").content.decode()
    assert re.search(r'class="nav-link active" aria-current="page" href="[^"]+">Schedule<', page)
    assert page.count('aria-current="page"') == 1


def test_grading_adds_its_pages_to_the_one_list():
    assert [link.label for link in COURSE_NAV] == [
        "Home",
        "Schedule",
        "Resources",
        "Papers",
        "Polls",
        "Work",
        "Grades",
        "Presenters",
        "Gradebook",
        "Roster",
    ]


def test_a_link_follows_its_view_s_rule(course, instructor, ta):
    """Running the assignment is the instructors' (the view says so); the TA is
    not shown the link on the paper board."""
    as_instructor = CourseAccess(course, course.memberships.get(user=instructor))
    as_ta = CourseAccess(course, course.memberships.get(user=ta))
    assert as_instructor.may_open("courses:assignment")
    assert not as_ta.may_open("courses:assignment")
    assert as_ta.may_open("courses:paper_assignments")


def test_every_page_a_template_asks_about_has_a_rule():
    """`access|may:"..."` and the navigation name pages by URL name; each must be
    a course page whose view says who may open it."""
    from pathlib import Path

    from django.conf import settings

    from courses.access import page_rule

    names = {link.url_name for link in COURSE_NAV}
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        names |= set(re.findall(r'\|may:"([^"]+)"', template.read_text()))
    assert "courses:assignment" in names
    for name in sorted(names):
        assert page_rule(name) is not None, name
