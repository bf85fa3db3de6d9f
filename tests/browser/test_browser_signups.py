"""A student on a phone signs up for a paper, finds it on the schedule, and withdraws."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import PresentationSignup
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "cis6200-spring-2026"
PAPER = "LoRA: Low-Rank Adaptation of Large Language Models"


def test_a_student_signs_up_sees_the_schedule_and_withdraws(phone_page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = phone_page
    browser_login(page, "student12", "demo")
    page.goto(f"/courses/{SLUG}/papers/")
    expect(page.get_by_role("region", name="Your presentations")).to_contain_text(
        "You have not signed up for a paper yet."
    )

    page.get_by_role("button", name=f"Sign up for {PAPER}").click()

    expect(page.get_by_role("status")).to_contain_text(f"You are presenting “{PAPER}” on")
    mine = page.get_by_role("region", name="Your presentations")
    expect(mine).to_contain_text(PAPER)
    expect(mine).to_contain_text("You present 1 of at most 2.")
    assert PresentationSignup.objects.filter(student__username="student12").count() == 1

    page.goto(f"/courses/{SLUG}/schedule/")
    reading = page.locator(".reading").filter(has_text=PAPER)
    expect(reading).to_contain_text("Presented by")
    expect(reading.locator(".presenters")).to_have_text("Presented by Leila Haddad")

    page.goto(f"/courses/{SLUG}/papers/")
    page.get_by_role("button", name=f"Withdraw from {PAPER}").click()
    expect(page.get_by_role("status")).to_contain_text(f"You withdrew from “{PAPER}”.")
    expect(page.get_by_role("button", name=f"Sign up for {PAPER}")).to_be_visible()
    assert not PresentationSignup.objects.filter(student__username="student12").exists()


def test_a_full_paper_offers_the_waitlist_in_the_browser(phone_page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    browser_login(phone_page, "student12", "demo")
    phone_page.goto(f"/courses/{SLUG}/papers/")
    full = "Training Compute-Optimal Large Language Models"
    phone_page.get_by_role("button", name=f"Join waitlist for {full}").click()
    expect(phone_page.get_by_role("status")).to_contain_text("You are on the waitlist for")
    expect(phone_page.get_by_role("region", name="Your presentations")).to_contain_text(
        "Waitlist #3"
    )
