"""In a real browser, the Content-Security-Policy blocks nothing the site itself
uses (public pages, the student's and the staff's pages, the admin), and it
keeps an image a student put in a hand-in from calling another server when a
grader opens it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Poll
from courses.services.polls import poll_create, poll_state_set
from grading.services.submissions import submission_save
from tests.conftest import browser_login
from tests.factories import GradeComponentFactory, GradeItemFactory, UserFactory, new_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
TRACKER = "http://127.0.0.2:9/tracker.png"


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


@pytest.fixture
def item(course):
    component = GradeComponentFactory(course=course, name="Reading Responses", weight=20)
    return GradeItemFactory(
        component=component,
        title="Response 1",
        accepts_text=True,
        due_at=timezone.now() + dt.timedelta(days=2),
    )


def test_the_site_s_own_pages_break_no_rule_of_the_policy(
    desk_page, course, instructor, ta, student, item
):
    new_paper(course)
    poll = poll_create(
        course=course,
        question="Ready?",
        kind=Poll.Kind.SINGLE,
        choices=["Yes", "No"],
        results=Poll.Results.LIVE,
    )
    poll_state_set(poll=poll, state=Poll.State.OPEN)
    UserFactory(username="root", is_superuser=True, is_staff=True)
    page = desk_page
    page.add_init_script(RECORD_VIOLATIONS)
    visited = {
        None: ["/", "/courses/cis6200/", "/courses/cis6200/schedule/", "/accounts/login/"],
        "alice": [
            "/courses/cis6200/grades/",
            "/courses/cis6200/work/",
            f"/courses/cis6200/polls/{poll.pk}/",
        ],
        "ta": [
            "/courses/cis6200/gradebook/",
            f"/courses/cis6200/gradebook/items/{item.pk}/",
            f"/courses/cis6200/polls/{poll.pk}/",
        ],
        "root": [
            "/admin/",
            f"/admin/courses/course/{course.pk}/change/",
            "/admin/courses/poll/add/",
            "/admin/grading/score/add/",
        ],
    }
    for username, paths in visited.items():
        if username:
            page.context.clear_cookies()
            browser_login(page, username)
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("load")
            assert violations(page) == [], path


def test_a_remote_image_in_a_hand_in_is_not_fetched_by_the_grader(
    desk_page, course, ta, student, item
):
    submission_save(
        item=item,
        student=student,
        text=f"My response.\n\n![a chart]({TRACKER})\n",
    )
    page = desk_page
    page.add_init_script(RECORD_VIOLATIONS)
    failed: dict[str, str] = {}
    answered: list[str] = []
    page.on("requestfailed", lambda request: failed.update({request.url: request.failure}))
    page.on("response", lambda response: answered.append(response.url))
    browser_login(page, "ta")
    page.goto(f"/courses/cis6200/gradebook/items/{item.pk}/submissions/{student.pk}/")
    page.wait_for_load_state("load")
    image = page.get_by_test_id("submission-text").locator("img")
    assert image.get_attribute("src") == TRACKER  # the student's Markdown is shown as written
    # The browser refuses it itself: nothing leaves for the other server.
    assert failed.get(TRACKER) == "csp"
    assert TRACKER not in answered
    assert any(TRACKER in v for v in violations(page))
