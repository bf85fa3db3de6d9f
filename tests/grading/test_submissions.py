"""Handing work in: on time, within the grace period and late, the deadline and
its refusals, links, the Markdown preview, and late days spent through the site."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grading.models import Submission
from grading.services import GradingError
from tests.conftest import PDF, files_under
from tests.factories import GradeItemFactory
from tests.grading.submissions_helpers import (
    grade_url,
    hand_in_at,
    new_item,
    text_of,
    url,
    work_url,
)

pytestmark = pytest.mark.django_db


UTC = dt.UTC


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


# --- handing in on time and late --------------------------------------------------------------


def test_my_work_lists_items_that_take_submissions_as_not_submitted(
    course, component, item, as_student
):
    GradeItemFactory(component=component, title="Participation")  # graded, nothing handed in
    page = text_of(as_student.get(url(course, "work/")))
    assert "Response 1" in page
    assert "Participation" not in page
    assert ">Not submitted</span>" in page


def test_without_any_item_to_hand_in_the_page_says_so(course, component, as_student):
    GradeItemFactory(component=component, title="Participation")
    assert "Nothing to hand in on the site yet." in text_of(as_student.get(url(course, "work/")))


@pytest.mark.parametrize(
    ("zone", "due_at", "shown"),
    [
        ("America/New_York", dt.datetime(2099, 1, 15, 17, 0, tzinfo=UTC), "Jan 15, 12:00 PM EST"),
        ("America/New_York", dt.datetime(2099, 7, 15, 16, 0, tzinfo=UTC), "Jul 15, 12:00 PM EDT"),
        ("America/Los_Angeles", dt.datetime(2099, 1, 15, 17, 0, tzinfo=UTC), "Jan 15, 9:00 AM PST"),
        ("Europe/Berlin", dt.datetime(2099, 1, 15, 23, 30, tzinfo=UTC), "Jan 16, 12:30 AM CET"),
    ],
)
def test_on_time_hand_in_shows_submitted_and_the_due_date_in_the_course_time_zone(
    zone, due_at, shown, course, component, student, as_student
):
    course.timezone = zone
    course.save()
    item = new_item(component, due_at=due_at)

    response = as_student.post(work_url(course, item), {"text": "Attention is all we need."})
    assert response.status_code == 302
    assert response["Location"] == work_url(course, item)

    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Submitted</span>" in listing
    assert re.search(rf"due \w{{3}}, {shown}", listing)
    detail = text_of(as_student.get(work_url(course, item)))
    assert shown in detail
    assert "on time" in detail
    assert "Attention is all we need." in detail
    assert Submission.objects.get(item=item, student=student).text == "Attention is all we need."


def test_hand_in_says_so_and_the_form_becomes_hand_in_again(course, item, as_student):
    response = as_student.post(work_url(course, item), {"text": "First thoughts."}, follow=True)
    page = text_of(response)
    assert "Handed in “Response 1”." in page
    assert "Replace your submission" in page
    assert "Hand in again" in page


def test_work_within_the_grace_period_is_not_late(course, component, student, as_student):
    component.grace_minutes = 30
    component.save()
    item = new_item(component, due_at=timezone.now() - dt.timedelta(minutes=10))

    assert as_student.post(work_url(course, item), {"text": "Just in."}).status_code == 302

    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Submitted</span>" in listing
    assert ">Late</span>" not in listing
    assert "on time" in text_of(as_student.get(work_url(course, item)))


def test_work_after_the_grace_period_is_late_by_minutes_from_the_due_time_counted_as_a_day(
    course, component, as_student
):
    component.grace_minutes = 30
    component.save()
    item = new_item(component, due_at=timezone.now() - dt.timedelta(minutes=40))

    assert as_student.post(work_url(course, item), {"text": "A bit late."}).status_code == 302

    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Late</span>" in listing
    assert "1 day late" in listing
    assert "40 minutes late" in text_of(as_student.get(work_url(course, item)))


def test_work_25_hours_late_is_two_days_late(course, component, as_student):
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=25))

    assert as_student.post(work_url(course, item), {"text": "Very late."}).status_code == 302

    assert "2 days late" in text_of(as_student.get(url(course, "work/")))
    detail = text_of(as_student.get(work_url(course, item)))
    assert "1 day 1 hour late" in detail
    assert "2 days may be deducted" in detail


def test_handing_in_again_replaces_the_text_and_keeps_the_earlier_version_for_the_ta(
    course, item, student, as_student, as_ta
):
    as_student.post(work_url(course, item), {"text": "First draft about *transformers*."})
    response = as_student.post(work_url(course, item), {"text": "Second draft about RNNs."})
    assert response.status_code == 302

    submission = Submission.objects.get(item=item, student=student)
    assert submission.text == "Second draft about RNNs."
    assert Submission.objects.filter(item=item, student=student).count() == 1
    versions = list(submission.history.order_by("history_date").values_list("text", flat=True))
    assert versions == ["First draft about *transformers*.", "Second draft about RNNs."]
    assert all(h.history_user == student for h in submission.history.all())

    mine = text_of(as_student.get(work_url(course, item)))
    assert "Second draft about RNNs." in mine
    assert "First draft" not in mine

    grading = text_of(as_ta.get(grade_url(course, item, student)))
    assert "Earlier versions (1)" in grading
    current, earlier = grading.split("Earlier versions (1)")
    assert "Second draft about RNNs." in current
    assert "First draft about <em>transformers</em>." in earlier


def test_after_the_deadline_an_item_without_late_work_refuses_and_changes_nothing(
    course, component, student, as_student
):
    due = dt.datetime(2020, 1, 15, 17, 0, tzinfo=UTC)  # noon in New York
    item = new_item(component, due_at=due, allow_late=False)
    hand_in_at(item, student, due - dt.timedelta(hours=1), text="Handed in on time.")

    page = text_of(as_student.get(work_url(course, item)))
    assert "The deadline was Wednesday, January 15, 12:00 PM" in page
    assert "does not accept late work" in page
    assert "Hand in again" not in page

    response = as_student.post(work_url(course, item), {"text": "A late replacement."})
    assert response.status_code == 200
    message = text_of(response)
    assert "Not handed in: The deadline was Wednesday, January 15, 12:00 PM" in message
    submission = Submission.objects.get(item=item, student=student)
    assert submission.text == "Handed in on time."
    assert submission.submitted_at == due - dt.timedelta(hours=1)
    assert submission.history.count() == 1


def test_after_the_deadline_a_first_hand_in_is_refused_when_late_work_is_not_accepted(
    course, component, student, as_student
):
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=1), allow_late=False)
    response = as_student.post(work_url(course, item), {"text": "Too late."})
    assert response.status_code == 200
    assert "does not accept late work" in text_of(response)
    assert not Submission.objects.filter(item=item).exists()


def test_after_the_deadline_late_work_is_accepted_and_marked_late_when_allowed(
    course, component, student, as_student
):
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=2), allow_late=True)
    response = as_student.post(work_url(course, item), {"text": "Better late than never."})
    assert response.status_code == 302
    assert Submission.objects.get(item=item, student=student).text == "Better late than never."
    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Late</span>" in listing
    assert "1 day late" in listing


def test_the_deadline_is_the_due_time_plus_grace_to_the_second(course, component, student):
    component.grace_minutes = 15
    component.save()
    due = timezone.now() - dt.timedelta(days=1)
    item = new_item(component, due_at=due, allow_late=False)
    deadline = due + dt.timedelta(minutes=15)

    hand_in_at(item, student, deadline, text="At the last second.")
    with pytest.raises(GradingError, match="does not accept late work"):
        hand_in_at(item, student, deadline + dt.timedelta(seconds=1), text="One second late.")
    assert Submission.objects.get(item=item, student=student).text == "At the last second."


def test_closed_submissions_are_refused_whatever_the_due_date(
    course, component, student, as_student
):
    item = new_item(component, submissions_open=False)
    assert "Submissions for this item are closed." in text_of(
        as_student.get(work_url(course, item))
    )

    response = as_student.post(work_url(course, item), {"text": "Let me in."})
    assert response.status_code == 200
    assert "Not handed in: Submissions for this item are closed." in text_of(response)
    assert not Submission.objects.filter(item=item).exists()


def test_an_item_that_takes_no_submissions_is_404(course, component, as_student):
    quiz = GradeItemFactory(component=component, title="In-class quiz")
    assert as_student.get(work_url(course, quiz)).status_code == 404
    assert as_student.post(work_url(course, quiz), {"text": "Hello"}).status_code == 404
    assert not Submission.objects.exists()


def test_an_item_of_another_course_is_404(course, student, as_student):
    elsewhere = GradeItemFactory(accepts_text=True)  # its component is in another course
    assert as_student.get(work_url(course, elsewhere)).status_code == 404
    assert as_student.post(work_url(course, elsewhere), {"text": "Hello"}).status_code == 404
    assert not Submission.objects.exists()


def test_an_empty_hand_in_is_refused(course, item, as_student):
    response = as_student.post(work_url(course, item), {"text": "   "})
    assert response.status_code == 200
    assert "There is nothing to hand in" in text_of(response)
    assert not Submission.objects.exists()


def test_only_the_forms_the_item_accepts_are_kept(course, item, student, as_student):
    as_student.post(work_url(course, item), {"text": "Text.", "url": "https://example.com/x"})
    submission = Submission.objects.get(item=item, student=student)
    assert (submission.text, submission.url) == ("Text.", "")


def test_a_link_is_handed_in_and_shown(course, component, student, as_student):
    item = new_item(component, "Code link", accepts_text=False, accepts_url=True)
    response = as_student.post(work_url(course, item), {"url": "github.com/alice/project"})
    assert response.status_code == 302
    assert Submission.objects.get(item=item).url == "https://github.com/alice/project"
    assert 'href="https://github.com/alice/project"' in text_of(
        as_student.get(work_url(course, item))
    )


# --- Markdown preview -------------------------------------------------------------------------


def test_preview_shows_sanitized_markdown_and_saves_nothing(course, item, as_student):
    text = "**bold** and a <script>alert('pwned')</script> [link](javascript:alert(1))"
    response = as_student.post(work_url(course, item), {"text": text, "preview": "1"})
    assert response.status_code == 200
    page = text_of(response)
    preview = page.split('data-testid="preview">', 1)[1].split("</section>", 1)[0]
    assert "<strong>bold</strong>" in preview
    assert "<script" not in preview
    assert "javascript:" not in preview
    assert "<script>alert" not in page  # the form shows the text escaped
    assert not Submission.objects.exists()


def test_preview_does_not_replace_what_was_handed_in(course, item, student, as_student):
    as_student.post(work_url(course, item), {"text": "Handed in."})
    as_student.post(work_url(course, item), {"text": "Draft *two*", "preview": "1"})
    submission = Submission.objects.get(item=item, student=student)
    assert submission.text == "Handed in."
    assert submission.history.count() == 1


def test_preview_with_a_file_asks_to_choose_it_again_and_stores_nothing(
    course, component, media, as_student
):
    item = new_item(component, accepts_text=True, accepts_file=True)
    response = as_student.post(
        work_url(course, item),
        {"text": "See file", "preview": "1", "file": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert "Choose the file again when you hand in." in text_of(response)
    assert not Submission.objects.exists()
    assert files_under(media) == []


# --- late days --------------------------------------------------------------------------------


@pytest.fixture
def two_late_items(component):
    due = timezone.now() - dt.timedelta(days=5)
    first = new_item(component, "Response A", due_at=due)
    second = new_item(component, "Response B", due_at=due)
    return first, second, due


def test_late_days_cover_the_first_late_hand_in_and_the_page_says_so(
    course, two_late_items, student, as_student
):
    course.late_days = 2
    course.save()
    first, second, due = two_late_items
    hand_in_at(first, student, due + dt.timedelta(hours=30))  # 2 days late
    hand_in_at(second, student, due + dt.timedelta(hours=40))  # 2 days late

    listing = text_of(as_student.get(url(course, "work/")))
    assert "This course gives you 2 late days" in listing
    assert "2 days late, 2 covered by late days" in listing
    first_page = text_of(as_student.get(work_url(course, first)))
    assert "2 late days used" in first_page
    assert "may be deducted" not in first_page
    second_page = text_of(as_student.get(work_url(course, second)))
    assert "late days used" not in second_page
    assert "2 days may be deducted" in second_page


def test_late_days_follow_the_order_of_hand_in_not_of_the_items(
    course, two_late_items, student, as_student
):
    course.late_days = 1
    course.save()
    first, second, due = two_late_items
    hand_in_at(second, student, due + dt.timedelta(hours=2))  # handed in first, 1 day
    hand_in_at(first, student, due + dt.timedelta(hours=3))  # 1 day

    assert "1 late day used" in text_of(as_student.get(work_url(course, second)))
    first_page = text_of(as_student.get(work_url(course, first)))
    assert "late day used" not in first_page
    assert "1 day may be deducted" in first_page


def test_one_late_day_covers_one_day_through_the_site(course, component, student, as_student):
    course.late_days = 1
    course.save()
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=3))
    as_student.post(work_url(course, item), {"text": "Late but covered."})
    page = text_of(as_student.get(work_url(course, item)))
    assert "1 late day used" in page
    assert "may be deducted" not in page
