"""The TA's grading queue: its filters, the grading page with previous and next
students, late deductions offered at grading time, and scores shown once released."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from grading.models import Score
from grading.services import item_release, score_set
from tests.factories import GradeComponentFactory, new_student
from tests.grading.submissions_helpers import (
    grade_url,
    hand_in_at,
    new_item,
    queue_url,
    text_of,
    url,
    work_url,
)

pytestmark = pytest.mark.django_db


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


# --- the TA's grading queue -------------------------------------------------------------------


@pytest.fixture
def queue(course, component, alice, bob, ta):
    """Alice on time, Bob a day late, Carol nothing, Dan on time and graded."""
    due = timezone.now() - dt.timedelta(hours=2)
    item = new_item(component, "Response 2", due_at=due)
    carol = new_student(course, "carol", first_name="Carol", last_name="Clark")
    dan = new_student(course, "dan", first_name="Dan", last_name="Dunn")
    hand_in_at(item, alice, due - dt.timedelta(hours=1), text="Alice's answer.")
    hand_in_at(item, bob, due + dt.timedelta(hours=1), text="Bob's answer.")
    hand_in_at(item, dan, due - dt.timedelta(hours=3), text="Dan's answer.")
    score_set(item=item, student=dan, points=Decimal("9"), by=ta)
    return {"item": item, "alice": alice, "bob": bob, "carol": carol, "dan": dan}


@pytest.mark.parametrize(
    ("show", "listed"),
    [
        ("all", {"alice", "bob", "carol", "dan"}),
        ("submitted", {"alice", "bob", "dan"}),
        ("ungraded", {"alice", "bob"}),
        ("late", {"bob"}),
        ("nonsense", {"alice", "bob", "carol", "dan"}),
    ],
)
def test_the_queue_filters_list_the_right_students(show, listed, course, queue, as_ta):
    page = text_of(as_ta.get(queue_url(course, queue["item"], show)))
    for key in ("alice", "bob", "carol", "dan"):
        name = queue[key].get_full_name()
        assert (name in page) == (key in listed), (show, key)


def test_the_queue_shows_lateness_and_scores(course, queue, as_ta):
    page = text_of(as_ta.get(queue_url(course, queue["item"])))
    bob_row = page.split("Bob Baker", 1)[1].split("</tr>", 1)[0]
    assert "1 day late" in bob_row
    assert "not graded" in bob_row
    dan_row = page.split("Dan Dunn", 1)[1].split("</tr>", 1)[0]
    assert "<td>9</td>" in dan_row
    assert "late" not in dan_row


def test_the_grading_page_links_to_the_previous_and_next_students(course, queue, as_ta):
    item = queue["item"]

    def link(rel, student, show):
        return f'rel="{rel}" href="{grade_url(course, item, student, show)}"'

    page = text_of(as_ta.get(grade_url(course, item, queue["bob"], "all")))
    assert "2 of 4" in page
    assert link("prev", queue["alice"], "all") in page
    assert link("next", queue["carol"], "all") in page
    assert "<p>Bob's answer.</p>" in page

    first = text_of(as_ta.get(grade_url(course, item, queue["alice"], "all")))
    assert "1 of 4" in first
    assert 'rel="prev"' not in first

    ungraded = text_of(as_ta.get(grade_url(course, item, queue["bob"], "ungraded")))
    assert "2 of 2" in ungraded
    assert link("prev", queue["alice"], "ungraded") in ungraded
    assert 'rel="next"' not in ungraded


def test_the_grading_page_of_someone_not_a_student_here_is_404(course, queue, ta, outsider, as_ta):
    assert as_ta.get(grade_url(course, queue["item"], outsider)).status_code == 404
    assert as_ta.get(grade_url(course, queue["item"], ta)).status_code == 404


def test_saving_a_score_records_the_ta_and_goes_to_the_next_student(course, queue, ta, as_ta):
    item, bob = queue["item"], queue["bob"]
    response = as_ta.post(
        grade_url(course, item, bob, "all"), {"points": "8", "comment": "Clear argument."}
    )
    assert response.status_code == 302
    assert response["Location"] == grade_url(course, item, queue["carol"], "all")

    score = Score.objects.get(item=item, student=bob)
    assert (score.points, score.comment, score.graded_by) == (
        Decimal("8"),
        "Clear argument.",
        ta,
    )
    record = score.history.latest()
    assert record.history_user == ta
    assert not record.history_change_reason

    page = text_of(as_ta.get(response["Location"]))
    assert "Saved Bob Baker: 8." in page


def test_saving_the_last_student_stays_on_their_page(course, queue, as_ta):
    item, dan = queue["item"], queue["dan"]
    response = as_ta.post(grade_url(course, item, dan, "all"), {"points": "EX"})
    assert response["Location"] == grade_url(course, item, dan, "all")
    score = Score.objects.get(item=item, student=dan)
    assert score.excused
    assert score.points is None


def test_saving_in_a_filtered_queue_keeps_the_filter(course, queue, as_ta):
    item = queue["item"]
    response = as_ta.post(grade_url(course, item, queue["alice"], "ungraded"), {"points": "7"})
    assert response["Location"] == grade_url(course, item, queue["bob"], "ungraded")


def test_an_invalid_score_is_refused_and_nothing_is_saved(course, queue, as_ta):
    item, bob = queue["item"], queue["bob"]
    response = as_ta.post(grade_url(course, item, bob), {"points": "lots"})
    assert response.status_code == 200
    assert "is not a number" in text_of(response)
    response = as_ta.post(grade_url(course, item, bob), {"points": "21"})
    assert response.status_code == 200
    assert not Score.objects.filter(item=item, student=bob).exists()


# --- late deductions at grading time ----------------------------------------------------------


@pytest.fixture
def late_work(course, alice, bob):
    """Bob's problem set is 30 hours late (2 days); 10% a day, never below 50%."""
    component = GradeComponentFactory(
        course=course,
        name="Problem Sets",
        late_percent_per_day=Decimal("10"),
        late_floor_percent=Decimal("50"),
    )
    due = timezone.now() - dt.timedelta(days=3)
    item = new_item(component, "Problem Set 1", due_at=due, points_possible=Decimal("20"))
    hand_in_at(item, bob, due + dt.timedelta(hours=30), text="Proofs.")
    hand_in_at(item, alice, due - dt.timedelta(hours=1), text="On time.")
    return item


def apply_box(page: str) -> str:
    return re.search(r'<input[^>]*name="apply_late_penalty"[^>]*>', page).group(0)


def test_the_grading_page_offers_the_late_deduction_ticked(course, late_work, bob, as_ta):
    page = text_of(as_ta.get(grade_url(course, late_work, bob)))
    suggestion = page.split('data-testid="late-suggestion">', 1)[1].split("</div>", 1)[0]
    assert "10% of the points per day late, never below 50%" in suggestion
    assert "2 days count, so a full score would lose 4 points" in suggestion
    assert "checked" in apply_box(page)
    assert "1 day 6 hours late" in page


def test_work_on_time_gets_no_late_deduction_offer(course, late_work, alice, as_ta):
    page = text_of(as_ta.get(grade_url(course, late_work, alice)))
    assert "late-suggestion" not in page
    assert 'name="apply_late_penalty"' not in page


@pytest.mark.parametrize(
    ("raw", "saved"), [("18", Decimal("14")), ("12", Decimal("10")), ("9", Decimal("9"))]
)
def test_with_the_box_ticked_the_deduction_is_taken_down_to_the_floor(
    raw, saved, course, late_work, bob, ta, as_ta
):
    response = as_ta.post(
        grade_url(course, late_work, bob), {"points": raw, "apply_late_penalty": "on"}
    )
    assert response.status_code == 302
    score = Score.objects.get(item=late_work, student=bob)
    assert score.points == saved
    record = score.history.latest()
    assert record.history_user == ta
    if saved == Decimal(raw):
        assert not record.history_change_reason
    else:
        deduction = Decimal(raw) - saved
        assert record.history_change_reason == (
            f"Late deduction −{deduction:f} applied to {raw} (2 day(s) late)"
        )


def test_with_the_box_unticked_the_raw_points_are_saved(course, late_work, bob, as_ta):
    response = as_ta.post(grade_url(course, late_work, bob), {"points": "18"})
    assert response.status_code == 302
    score = Score.objects.get(item=late_work, student=bob)
    assert score.points == Decimal("18")
    assert not score.history.latest().history_change_reason


def test_an_excused_late_student_loses_nothing(course, late_work, bob, as_ta):
    as_ta.post(grade_url(course, late_work, bob), {"points": "EX", "apply_late_penalty": "on"})
    score = Score.objects.get(item=late_work, student=bob)
    assert score.excused
    assert score.points is None


def test_late_days_that_cover_the_lateness_remove_the_deduction(course, late_work, bob, as_ta):
    course.late_days = 2
    course.save()
    page = text_of(as_ta.get(grade_url(course, late_work, bob)))
    assert "2 covered by late days" in page
    assert "late-suggestion" not in page

    as_ta.post(grade_url(course, late_work, bob), {"points": "18", "apply_late_penalty": "on"})
    assert Score.objects.get(item=late_work, student=bob).points == Decimal("18")


def test_saving_the_grading_page_again_unchanged_does_not_deduct_twice(
    course, late_work, bob, as_ta
):
    path = grade_url(course, late_work, bob)
    as_ta.post(path, {"points": "18", "comment": "Good.", "apply_late_penalty": "on"})
    assert Score.objects.get(item=late_work, student=bob).points == Decimal("14")

    page = as_ta.get(path)
    initial = page.context["form"].initial
    assert initial["points"] == "14"
    data = {"points": initial["points"], "comment": initial["comment"]}
    if initial["apply_late_penalty"]:
        data["apply_late_penalty"] = "on"
    as_ta.post(path, data)
    assert Score.objects.get(item=late_work, student=bob).points == Decimal("14")


# --- released scores --------------------------------------------------------------------------


def test_a_student_sees_the_score_and_comment_only_once_released(
    course, item, student, ta, as_student, as_ta
):
    hand_in_at(item, student, timezone.now(), text="My response.")
    as_ta.post(grade_url(course, item, student), {"points": "8.5", "comment": "Nice framing."})

    page = text_of(as_student.get(work_url(course, item)))
    assert "Nice framing." not in page
    assert 'data-testid="score"' not in page
    assert ">Submitted</span>" in text_of(as_student.get(url(course, "work/")))

    item_release(item=item, released=True, by=ta)
    page = text_of(as_student.get(work_url(course, item)))
    score = page.split('data-testid="score">', 1)[1].split("</p>", 1)[0]
    assert score == "8.5 / 10"
    assert "Nice framing." in page
    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Graded</span>" in listing
    assert "8.5 / 10" in listing
