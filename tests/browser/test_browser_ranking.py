"""A student ranks papers on a phone; after the window closes the instructor
runs the assignment, previews it and publishes; the student sees their paper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Course, PaperPreference, PresentationSignup
from tests.conftest import browser_login
from tests.factories import new_paper, new_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_ranking_on_a_phone_becomes_a_published_assignment(
    phone_page, desk_page, course, instructor, student
):
    course.signup_mode = Course.SignupMode.RANKED
    course.rank_min, course.rank_max = 2, 3
    course.min_presentations = course.max_presentations = 1
    course.save()
    today = timezone.localdate()
    scaling = new_paper(course, title="Scaling Laws", date=today + dt.timedelta(days=10))
    new_paper(course, title="LoRA", date=today + dt.timedelta(days=12))
    new_paper(course, title="FlashAttention", date=today + dt.timedelta(days=14))
    bob = new_student(course, "bob")
    PaperPreference.objects.create(course=course, student=bob, reading=scaling, rank=1)

    browser_login(phone_page, "alice")
    phone_page.goto(f"/courses/{course.slug}/papers/")
    phone_page.get_by_role("link", name="Rank the papers you would like to present").click()
    phone_page.get_by_role("button", name="Add Scaling Laws").click()
    expect(phone_page.get_by_role("status")).to_contain_text("Your ranking is saved.")
    phone_page.get_by_role("button", name="Add LoRA").click()
    phone_page.get_by_role("button", name="Move LoRA up").click()
    ranking = phone_page.locator("ol.ranking > li")
    expect(ranking.nth(0)).to_contain_text("LoRA")
    expect(ranking.nth(1)).to_contain_text("Scaling Laws")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the ranking page scrolls sideways on a phone ({width}px)"
    assert list(
        PaperPreference.objects.filter(student=student)
        .order_by("rank")
        .values_list("reading__title", flat=True)
    ) == ["LoRA", "Scaling Laws"]

    course.signup_closes_at = timezone.now() - dt.timedelta(minutes=1)
    course.save(update_fields=["signup_closes_at"])

    browser_login(desk_page, "prof")
    desk_page.goto(f"/courses/{course.slug}/papers/assign/")
    desk_page.get_by_label("Seed").fill("7")
    desk_page.get_by_role("button", name="Run the assignment").click()
    expect(desk_page.get_by_test_id("optimal-summary")).to_contain_text("worst 1")
    alice_row = desk_page.get_by_role("row").filter(has_text=student.get_full_name())
    expect(alice_row).to_contain_text("LoRA")
    expect(alice_row).to_contain_text("rank 1")
    desk_page.get_by_role("button", name="Publish").click()
    expect(desk_page.get_by_role("status")).to_contain_text("Published: 2 presentation(s)")
    assert PresentationSignup.objects.filter(status="confirmed").count() == 2

    phone_page.reload()
    expect(phone_page.get_by_test_id("assigned")).to_contain_text("LoRA")
