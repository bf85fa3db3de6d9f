"""A TA grades one item from the keyboard and releases it; the student then
sees the new total, and how it was computed, on a phone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grading.models import Score
from tests.conftest import browser_login, phone_menu_open
from tests.factories import GradeComponentFactory, GradeItemFactory, new_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ta_enters_and_releases_scores_and_the_student_sees_the_total(
    desk_page, phone_page, course, ta, student
):
    student.first_name, student.last_name = "Alice", "Archer"
    student.save()
    new_student(course, "bob", first_name="Bob", last_name="Baker")
    responses = GradeComponentFactory(course=course, name="Reading Responses", weight=20)
    GradeComponentFactory(course=course, name="Final Project", weight=25)
    item = GradeItemFactory(component=responses, title="Response 1", points_possible=5)

    browser_login(desk_page, "ta")
    desk_page.goto(f"/courses/{course.slug}/gradebook/")
    desk_page.get_by_role("link", name="Response 1").click()
    expect(desk_page.get_by_role("heading", name="Response 1")).to_be_visible()
    # The column keys come from a deferred script, which has run once the page has loaded.
    desk_page.wait_for_load_state("load")

    # Type a score, Tab to the next student's points (down the column), type again.
    desk_page.get_by_label("Points for Alice Archer").fill("4.5")
    desk_page.keyboard.press("Tab")
    expect(desk_page.get_by_label("Points for Bob Baker")).to_be_focused()
    desk_page.keyboard.type("3")
    desk_page.get_by_label("Comment for Alice Archer").fill("Clear and well argued.")
    # A typo is caught next to the student and nothing is saved.
    desk_page.get_by_label("Points for Bob Baker").fill("3..")
    desk_page.get_by_role("button", name="Save scores").click()
    expect(desk_page.get_by_text("is not a number")).to_be_visible()
    assert not Score.objects.exists()

    desk_page.get_by_label("Points for Bob Baker").fill("3")
    desk_page.get_by_role("button", name="Save scores").click()
    expect(desk_page.get_by_role("status")).to_contain_text("Saved 2 score(s)")
    desk_page.get_by_role("button", name="Release to students").click()
    expect(desk_page.get_by_role("status")).to_contain_text("is released")

    assert Score.objects.get(item=item, student=student).points == Decimal("4.5")

    browser_login(phone_page, "alice")
    phone_page.goto(f"/courses/{course.slug}/")
    phone_menu_open(phone_page)
    phone_page.get_by_role("link", name="Grades").click()
    # 4.5 / 5 = 90%; only Reading Responses is graded, so it is the whole total: A-.
    expect(phone_page.get_by_test_id("current-total")).to_have_text("90.00% A-")
    expect(phone_page.get_by_role("row", name="Response 1")).to_contain_text("4.5 / 5")
    expect(phone_page.get_by_role("row", name="Response 1")).to_contain_text(
        "Clear and well argued."
    )
    explanation = phone_page.get_by_role("region", name="How the total is computed")
    expect(explanation).to_contain_text("Reading Responses 20 / 20 = 100.00%")
    expect(explanation).to_contain_text("90.00% is in the A- band (from 90% up to 94%)")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the grade page scrolls sideways on a phone ({width}px)"
