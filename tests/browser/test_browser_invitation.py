"""An instructor imports a roster; the invited student follows the emailed link,
chooses a password, logs in with their email address and finds the course."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_student_sets_a_password_and_sees_the_course(
    desk_page, phone_page, course, instructor
):
    page = desk_page
    browser_login(page, "prof")
    page.goto(f"/courses/{course.slug}/roster/")
    page.get_by_label("Roster CSV").set_input_files(
        files=[
            {
                "name": "roster.csv",
                "mimeType": "text/csv",
                "buffer": b"name,email,role\nGrace Hopper,grace@example.edu,student\n",
            }
        ]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_test_id("roster-summary")).to_contain_text("1 new account")
    assert mail.outbox == []
    page.get_by_role("button", name="Import 1 change").click()
    expect(page.get_by_role("status")).to_contain_text("1 new account(s) invited")

    [invitation] = mail.outbox
    assert invitation.to == ["grace@example.edu"]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", invitation.body).group(0)

    student = phone_page
    student.goto(link)
    expect(student.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    student.locator("#id_new_password1").fill("a-long-pass-phrase-42")
    student.locator("#id_new_password2").fill("a-long-pass-phrase-42")
    student.get_by_role("button", name="Set password").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Your password is set")

    browser_login(student, "GRACE@example.edu", "a-long-pass-phrase-42")
    student.goto("/my-courses/")
    course_link = student.get_by_role("link", name=f"{course.code}: {course.title}")
    expect(course_link).to_be_visible()
    expect(student.get_by_role("listitem").filter(has=course_link)).to_contain_text("Student")

    # The link worked once: it is spent now.
    student.goto(link)
    expect(student.get_by_text("This link has expired or was already used.")).to_be_visible()
