"""A student writes a reading response on a phone, previews and hands it in; a
TA grades it from the queue; the student reads the score and comment once the
item is released."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grading.models import Score, Submission
from tests.conftest import browser_login
from tests.factories import GradeComponentFactory, GradeItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_response_goes_from_phone_to_queue_to_grade(phone_page, desk_page, course, ta, student):
    student.first_name, student.last_name = "Alice", "Archer"
    student.save()
    responses = GradeComponentFactory(course=course, name="Reading Responses", weight=20)
    item = GradeItemFactory(
        component=responses,
        title="Reading Response 1",
        points_possible=5,
        accepts_text=True,
        due_at=timezone.now() + dt.timedelta(days=2),
    )

    browser_login(phone_page, "alice")
    phone_page.goto(f"/courses/{course.slug}/work/")
    expect(phone_page.get_by_text("Not submitted")).to_be_visible()
    phone_page.get_by_role("link", name="Reading Response 1").click()
    phone_page.get_by_label("Your response").fill(
        "**Main claim:** scaling laws *predict* loss.\n\n- Question one\n- Question two"
    )
    phone_page.get_by_role("button", name="Preview").click()
    preview = phone_page.get_by_test_id("preview")
    expect(preview.locator("strong")).to_have_text("Main claim:")
    expect(preview.locator("li")).to_have_count(2)
    assert not Submission.objects.exists()

    phone_page.get_by_role("button", name="Hand in").click()
    expect(phone_page.get_by_role("status")).to_contain_text("Handed in “Reading Response 1”")
    phone_page.goto(f"/courses/{course.slug}/work/")
    expect(phone_page.get_by_text("Submitted")).to_be_visible()

    browser_login(desk_page, "ta")
    desk_page.goto(f"/courses/{course.slug}/gradebook/items/{item.pk}/submissions/?show=ungraded")
    desk_page.get_by_role("link", name="Alice Archer").click()
    expect(desk_page.get_by_test_id("submission-text").locator("strong")).to_have_text(
        "Main claim:"
    )
    desk_page.get_by_label("Points").fill("4.5")
    desk_page.get_by_label("Comment").fill("Sharp question two; cite the paper's figure.")
    desk_page.get_by_role("button", name="Save").click()
    expect(desk_page.get_by_role("status")).to_contain_text("Saved Alice Archer: 4.5.")
    assert Score.objects.get(item=item, student=student).history.get().history_user == ta

    # Not released yet: the student sees no score.
    phone_page.goto(f"/courses/{course.slug}/work/{item.pk}/")
    expect(phone_page.get_by_test_id("score")).to_have_count(0)

    desk_page.goto(f"/courses/{course.slug}/gradebook/items/{item.pk}/")
    desk_page.get_by_role("button", name="Release to students").click()
    expect(desk_page.get_by_role("status")).to_contain_text("is released")

    phone_page.reload()
    expect(phone_page.get_by_test_id("score")).to_have_text("4.5 / 5")
    expect(phone_page.get_by_test_id("feedback")).to_have_text(
        "Sharp question two; cite the paper's figure."
    )
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the hand-in page scrolls sideways on a phone ({width}px)"
