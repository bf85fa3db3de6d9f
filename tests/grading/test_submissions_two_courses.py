"""Handing work in, late days and the grading queue stay in their course
(tests/two_courses.py): late days spent in one course leave the other's budget
whole, and a queue, its previous/next links and its pages hold only the URL's
course's students and items."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.services.signups import signup_create
from grading.models import Submission
from grading.selectors.work import item_queue, student_work
from grading.services import GradingError
from grading.services.submissions import submission_save

pytestmark = pytest.mark.django_db


def hand_in(item, student, *, days_late: float, text: str = "My response.") -> Submission:
    return submission_save(
        item=item,
        student=student,
        text=text,
        now=item.due_at + dt.timedelta(days=days_late),
    )


def late_line(page: str, title: str) -> str:
    """The 'N days late, M covered by late days' line under an item on My work."""
    match = re.search(
        rf">{re.escape(title)}</a>.*?<div class=\"small\">([^<]*late[^<]*)</div>", page, re.S
    )
    return match[1].strip() if match else ""


def test_late_days_spent_in_b_leave_as_budget_whole(two_courses):
    t = two_courses
    t.a_responses.late_percent_per_day = Decimal("10")
    t.a_responses.save()
    hand_in(t.b_item, t.alice, days_late=2.5)  # B: 3 days late, 3 of B's 3 late days
    hand_in(t.a_item, t.alice, days_late=1.5)  # A: 2 days late, A's only late day

    (in_a,) = student_work(course=t.a, student=t.alice)
    in_b = {row.item.title: row for row in student_work(course=t.b, student=t.alice)}

    assert (in_a.lateness.days, in_a.lateness.covered, in_a.lateness.penalized) == (2, 1, 1)
    assert (in_b["Response 1"].lateness.covered, in_b["Response 1"].lateness.penalized) == (3, 0)
    page = t.client(t.alice).get(t.url("grading:my_work", t.a)).content.decode()
    assert "This course gives you 1 late day:" in page
    assert late_line(page, "Response 1") == "2 days late, 1 covered by late days"
    graded = t.client(t.bob).get(t.url("grading:submission_grade", t.a, t.a_item.pk, t.alice.pk))
    assert graded.context["row"].lateness.penalized == 1
    assert "1 day count, so a full score would lose 1 point." in graded.content.decode()


def test_late_work_in_a_spends_none_of_bs_late_days(two_courses):
    t = two_courses
    hand_in(t.a_item, t.alice, days_late=0.5)
    hand_in(t.b_item, t.alice, days_late=1.5)
    hand_in(t.b_report, t.alice, days_late=0.5)

    in_b = {row.item.title: row.lateness for row in student_work(course=t.b, student=t.alice)}

    assert (in_b["Response 1"].covered, in_b["Final report"].covered) == (2, 1)
    assert sum(late.penalized for late in in_b.values()) == 0


def test_a_ta_of_a_hands_in_work_in_b_only(two_courses):
    t = two_courses
    with pytest.raises(GradingError, match=r"Only students of this course can hand in work\."):
        hand_in(t.a_item, t.bob, days_late=-1)
    client = t.client(t.bob)
    assert client.get(t.url("grading:work_submit", t.a, t.a_item.pk)).status_code == 403

    response = client.post(t.url("grading:work_submit", t.b, t.b_item.pk), {"text": "Bob's"})

    assert response.status_code == 302
    assert list(
        Submission.objects.values_list("item__component__course__code", "student__username")
    ) == [("CIS7000", "bob")]


def test_an_item_of_b_through_as_addresses_is_404_and_nothing_is_handed_in(two_courses):
    t = two_courses
    alice, staff = t.client(t.alice), t.client(t.carol)

    assert alice.get(t.url("grading:work_submit", t.a, t.b_item.pk)).status_code == 404
    assert (
        alice.post(t.url("grading:work_submit", t.a, t.b_item.pk), {"text": "x"}).status_code == 404
    )
    assert staff.get(t.url("grading:item_submissions", t.a, t.b_item.pk)).status_code == 404
    grade_url = t.url("grading:submission_grade", t.a, t.b_item.pk, t.alice.pk)
    assert staff.get(grade_url).status_code == 404
    assert staff.post(grade_url, {"points": "10"}).status_code == 404
    assert not Submission.objects.exists()
    assert not t.b_item.scores.exists()


def test_as_grading_queue_holds_as_students_and_their_a_work(two_courses):
    t = two_courses
    hand_in(t.a_item, t.alice, days_late=-1, text="Alice for A")
    hand_in(t.b_item, t.alice, days_late=-1, text="Alice for B")
    hand_in(t.b_item, t.frank, days_late=-1, text="Frank for B")

    rows = item_queue(item=t.a_item)

    assert [row.student.username for row in rows] == ["alice", "erin"]
    assert rows[0].submission.text == "Alice for A"
    page = t.client(t.bob).get(t.url("grading:item_submissions", t.a, t.a_item.pk))
    table = page.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r'<th scope="row"><a [^>]*>([^<]*)</a>', table) == [
        "Alice Archer",
        "Erin Evans",
    ]
    grading = t.client(t.bob).get(t.url("grading:submission_grade", t.a, t.a_item.pk, t.alice.pk))
    assert "Alice for A" in grading.content.decode()
    assert "Alice for B" not in grading.content.decode()


def test_previous_and_next_go_through_as_students_only(two_courses):
    t = two_courses
    client = t.client(t.bob)

    first = client.get(t.url("grading:submission_grade", t.a, t.a_item.pk, t.alice.pk))
    last = client.get(t.url("grading:submission_grade", t.a, t.a_item.pk, t.erin.pk))

    assert (first.context["previous_row"], first.context["next_row"].student) == (None, t.erin)
    assert (last.context["previous_row"].student, last.context["next_row"]) == (t.alice, None)
    assert "1 of 2" in first.content.decode()


@pytest.mark.parametrize("who", ["bob", "carol", "frank"])
def test_a_student_of_b_who_is_not_as_student_has_no_grading_page_in_a(two_courses, who):
    t = two_courses
    url = t.url("grading:submission_grade", t.a, t.a_item.pk, getattr(t, who).pk)

    assert t.client(t.carol).get(url).status_code == 404
    assert t.client(t.carol).post(url, {"points": "9"}).status_code == 404
    assert not t.a_item.scores.exists()


def test_a_file_handed_in_to_b_is_404_through_as_address_even_for_its_author(two_courses, media):
    t = two_courses
    t.b_report.accepts_file = True
    t.b_report.save()
    upload = SimpleUploadedFile("report.txt", b"Carol's report", content_type="text/plain")
    submission = submission_save(item=t.b_report, student=t.carol, file=upload)

    assert (
        t.client(t.carol).get(t.url("grading:submission_file", t.a, submission.pk)).status_code
        == 404
    )
    response = t.client(t.carol).get(t.url("grading:submission_file", t.b, submission.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Carol's report"


def test_presenting_in_b_opens_no_responses_in_a(two_courses):
    t = two_courses
    signup_create(reading=t.b_papers[0], student=t.alice)
    a_session, b_session = t.a_papers[0].session, t.b_papers[0].session
    client = t.client(t.alice)

    assert client.get(t.url("grading:session_responses", t.b, b_session.pk)).status_code == 200
    assert client.get(t.url("grading:session_responses", t.a, a_session.pk)).status_code == 403
    assert client.get(t.url("grading:session_responses", t.a, b_session.pk)).status_code == 404


@pytest.mark.parametrize("version", ["b-history", "x", "1.5", "\x00", "99999999999999999999"])
def test_an_earlier_version_is_only_ever_one_of_this_submission(two_courses, media, version):
    t = two_courses
    for item in (t.a_item, t.b_item):
        item.accepts_file = True
        item.save()
    mine = submission_save(
        item=t.a_item, student=t.alice, file=SimpleUploadedFile("a.txt", b"A's file")
    )
    submission_save(item=t.b_item, student=t.alice, file=SimpleUploadedFile("b1.txt", b"B one"))
    submission_save(item=t.b_item, student=t.alice, file=SimpleUploadedFile("b2.txt", b"B two"))
    b_first = Submission.history.filter(item_id=t.b_item.pk).order_by("history_date").first()
    asked = str(b_first.history_id) if version == "b-history" else version

    response = t.client(t.bob).get(
        t.url("grading:submission_file", t.a, mine.pk), {"version": asked}
    )

    # A NUL never reaches the view: the input checks answer 400 to it first.
    assert response.status_code == (400 if version == "\x00" else 404)
