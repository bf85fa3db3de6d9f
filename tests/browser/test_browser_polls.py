"""Two browsers at once: the instructor opens a poll on the projector, a student
answers on a phone, and the projector's counts change without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courses.models import PollAnswer
from courses.services import polls
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_opens_a_poll_a_student_answers_and_the_counts_update_live(
    desk_page, phone_page, course, instructor, student
):
    poll = polls.poll_create(
        course=course,
        question="Which parallelism would you use for a 70B model?",
        kind="single",
        choices=["Data", "Tensor", "Pipeline"],
    )
    projector = desk_page
    browser_login(projector, "prof")
    projector.goto(f"/courses/{course.slug}/polls/{poll.pk}/")
    projector.get_by_role("button", name="Open the poll").click()
    expect(projector.get_by_test_id("poll-state")).to_have_text("Open")
    expect(projector.locator(".poll-short-url")).to_contain_text(f"/p/{poll.pk}")
    tensor = poll.choices.get(text="Tensor")
    count = projector.get_by_test_id(f"count-{tensor.pk}")
    expect(count).to_have_text("0")
    projector.evaluate("window.__notReloaded = true")

    browser_login(phone_page, "alice")
    phone_page.goto(f"/p/{poll.pk}")
    phone_page.get_by_role("button", name="Tensor").click()
    expect(phone_page.get_by_role("status")).to_contain_text("Answer recorded")
    expect(phone_page.get_by_role("button", name="Tensor")).to_have_attribute(
        "aria-pressed", "true"
    )
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the poll scrolls sideways on a phone ({width}px)"
    assert PollAnswer.objects.filter(poll=poll, student=student).count() == 1

    # The projector picks the answer up by itself within a few seconds.
    expect(count).to_have_text("1", timeout=10_000)
    expect(projector.get_by_test_id("answer-count")).to_have_text("1")
    assert projector.evaluate("window.__notReloaded") is True

    projector.get_by_role("button", name="Close the poll").click()
    expect(projector.get_by_test_id("poll-state")).to_have_text("Closed")
    phone_page.reload()
    expect(phone_page.get_by_role("button", name="Tensor")).to_have_count(0)
    expect(phone_page.get_by_text("Your answer: Tensor")).to_be_visible()
