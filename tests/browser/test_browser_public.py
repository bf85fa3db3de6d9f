"""A visitor on a phone reads the demo course's home page and schedule in Chromium."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import Course, Session
from tests.conftest import phone_menu_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "cis6200-spring-2026"


@pytest.fixture
def demo_course(transactional_db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Course.objects.get(slug=SLUG)


def test_a_visitor_reads_the_course_home_and_schedule(phone_page, demo_course):
    page = phone_page
    page.goto("/")
    page.get_by_role("link", name="CIS6200: Deep Learning at Scale").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("CIS6200: Deep Learning at Scale")
    expect(page.get_by_text("Spring 2026 | University of Pennsylvania")).to_be_visible()
    expect(page.get_by_text("Instructor: Lyle Ungar")).to_be_visible()
    grading = page.get_by_role("table")
    expect(grading.get_by_role("row")).to_have_count(6)
    expect(grading.get_by_role("row", name="Paper Presentations 25%")).to_be_visible()
    expect(page.get_by_text("Mixture of experts")).to_be_visible()
    logistics = page.get_by_role("region", name="Course Logistics")
    expect(logistics).to_contain_text("Time: Tuesday/Thursday 3:30-5:00 PM")
    expect(logistics).to_contain_text("Location: Levine 307")
    expect(logistics).to_contain_text("Office Hours: Thursday 5:00-6:00 PM (after class)")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The menu collapses on a phone; open it and go to the schedule.
    phone_menu_open(page)
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Schedule").click()
    expect(page.get_by_role("heading", name="Schedule", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Week 1 · Jan 12"))).to_be_visible()
    first = Session.objects.filter(course=demo_course).first()
    expect(page.locator(f"#session-{first.pk}")).to_contain_text(first.title)
    expect(page.get_by_role("link", name="Scaling Laws for Neural Language Models")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_next_session_is_highlighted(phone_page, demo_course):
    today = demo_course.today()
    upcoming = Session.objects.create(
        course=demo_course,
        date=today + dt.timedelta(days=1),
        title="A session tomorrow",
    )
    Session.objects.filter(course=demo_course, date__gt=upcoming.date).delete()
    phone_page.goto(f"/courses/{SLUG}/schedule/")
    card = phone_page.locator(".session-next")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("A session tomorrow")
    expect(card).to_contain_text("Next session")
    phone_page.get_by_role("link", name="Jump to the next session").click()
    expect(card).to_be_in_viewport()


def test_the_site_works_with_javascript_off(chromium, live_server, demo_course):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 812}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto(f"/courses/{SLUG}/")
    expect(page.get_by_role("heading", name="Course Overview")).to_be_visible()
    # The phone menu cannot be toggled without JavaScript, so it is open.
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Resources").click()
    expect(page.get_by_role("heading", name="Resources", level=1)).to_be_visible()
    context.close()
