"""In-class polls as the class uses them: staff open and close them with the
buttons, students answer on their phones, and an answer that breaks a rule is
refused with a message."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from courses.models import Membership, Poll, PollAnswer
from courses.services import polls
from courses.services.memberships import membership_set
from tests.conftest import logged_in
from tests.courses.polls_helpers import alerts, answer, choice, new_poll, page, poll_url
from tests.factories import CourseFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CLOSED = "This poll is closed; your answer was not recorded."
NOT_A_CHOICE = "Choose one of this poll's answers."
RECORDED = "Answer recorded. You can change it while the poll is open."
ADMIN_POLLS = "/admin/courses/poll/"


# --- helpers ---------------------------------------------------------------------------


def admin_alerts(response) -> list[str]:
    found = re.findall(
        r'<li class="(?:success|info|warning|error)">(.*?)</li>', response.content.decode(), re.S
    )
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def stored_choices(poll, student) -> list[str]:
    return sorted(
        PollAnswer.objects.get(poll=poll, student=student).choices.values_list("text", flat=True)
    )


# --- opening and closing ---------------------------------------------------------------


def test_staff_open_a_draft_close_it_and_reopen_it_with_the_buttons_on_the_poll_page(
    course, as_instructor
):
    poll = new_poll(course, state="draft")
    assert poll.opened_at is None
    assert poll.closed_at is None
    shown = page(as_instructor.get(poll_url(poll)))
    assert 'name="state" value="open">Open the poll</button>' in shown
    assert "Close the poll" not in shown

    response = as_instructor.post(poll_url(poll, "state/"), {"state": "open"}, follow=True)
    assert alerts(response) == ["The poll is open."]
    assert 'name="state" value="closed">Close the poll</button>' in page(response)
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    first_opened = poll.opened_at
    assert first_opened is not None
    assert poll.closed_at is None

    response = as_instructor.post(poll_url(poll, "state/"), {"state": "closed"}, follow=True)
    assert alerts(response) == ["The poll is closed."]
    assert 'name="state" value="open">Reopen</button>' in page(response)
    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED
    assert poll.closed_at is not None
    assert poll.closed_at >= first_opened

    response = as_instructor.post(poll_url(poll, "state/"), {"state": "open"}, follow=True)
    assert alerts(response) == ["The poll is open."]
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    assert poll.opened_at == first_opened  # first opened, for the record
    assert poll.closed_at is None


def test_a_ta_cannot_close_a_draft_that_was_never_opened(course, as_ta):
    poll = new_poll(course, state="draft")
    response = as_ta.post(poll_url(poll, "state/"), {"state": "closed"}, follow=True)
    assert alerts(response) == ["A draft poll cannot become closed."]
    poll.refresh_from_db()
    assert poll.state == Poll.State.DRAFT
    assert poll.opened_at is None
    assert poll.closed_at is None


def test_a_state_other_than_open_or_closed_is_refused_with_a_message(course, as_ta):
    poll = new_poll(course, state="open")
    response = as_ta.post(poll_url(poll, "state/"), {"state": "draft"}, follow=True)
    assert alerts(response) == ["Choose to open or to close the poll."]
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN


def test_a_student_cannot_open_or_close_a_poll_and_nothing_changes(course, as_student):
    draft = new_poll(course, state="draft", question="Draft question?")
    running = new_poll(course, state="open", question="Running question?")
    assert as_student.post(poll_url(draft, "state/"), {"state": "open"}).status_code == 403
    assert as_student.post(poll_url(running, "state/"), {"state": "closed"}).status_code == 403
    draft.refresh_from_db()
    running.refresh_from_db()
    assert (draft.state, draft.opened_at) == (Poll.State.DRAFT, None)
    assert (running.state, running.closed_at) == (Poll.State.OPEN, None)
    shown = page(as_student.get(poll_url(running)))
    assert "Close the poll" not in shown
    assert "Answers (CSV)" not in shown


def test_a_student_of_another_course_gets_404_and_nothing_changes(course, as_outsider):
    poll = new_poll(course, state="open")
    assert as_outsider.get(poll_url(poll)).status_code == 404
    assert as_outsider.post(poll_url(poll, "state/"), {"state": "closed"}).status_code == 404
    assert as_outsider.get(poll_url(poll, "results.json")).status_code == 404
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN


def test_the_admin_actions_open_and_close_polls_under_the_same_rules(course, instructor):
    membership_set(course=course, user=instructor, role=Membership.Role.INSTRUCTOR)
    client = logged_in(instructor)
    first = new_poll(course, state="draft", question="First?")
    second = new_poll(course, state="draft", question="Second?")

    response = client.post(
        ADMIN_POLLS,
        {"action": "open_polls", ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
        follow=True,
    )
    assert "2 poll(s) open." in admin_alerts(response)
    for poll in (first, second):
        poll.refresh_from_db()
        assert poll.state == Poll.State.OPEN
        assert poll.opened_at is not None

    third = new_poll(course, state="draft", question="Third?")
    response = client.post(
        ADMIN_POLLS,
        {"action": "close_polls", ACTION_CHECKBOX_NAME: [first.pk, third.pk]},
        follow=True,
    )
    assert admin_alerts(response) == [
        "Third?: A draft poll cannot become closed.",
        "1 poll(s) closed.",
    ]
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.state == Poll.State.CLOSED
    assert first.closed_at is not None
    assert third.state == Poll.State.DRAFT
    assert third.closed_at is None


# --- answering -------------------------------------------------------------------------


def test_one_tap_on_a_choice_records_the_students_answer(course, student, as_student):
    poll = new_poll(course)
    yes = choice(poll, "Yes")
    shown = page(as_student.get(poll_url(poll)))
    assert f'name="choice" value="{yes.pk}">Yes</button>' in shown

    response = as_student.post(poll_url(poll, "answer/"), {"choice": yes.pk}, follow=True)
    assert alerts(response) == [RECORDED]
    assert PollAnswer.objects.filter(poll=poll).count() == 1
    assert stored_choices(poll, student) == ["Yes"]
    assert f'value="{yes.pk}" aria-pressed="true">Yes</button>' in page(response)
    assert "You answered; you can change it while the poll is open." in page(response)


def test_answering_again_while_the_poll_is_open_replaces_the_answer(course, student, as_student):
    poll = new_poll(course)
    as_student.post(poll_url(poll, "answer/"), {"choice": choice(poll, "Yes").pk}, follow=True)
    response = as_student.post(
        poll_url(poll, "answer/"), {"choice": choice(poll, "No").pk}, follow=True
    )
    assert alerts(response) == [RECORDED]
    assert PollAnswer.objects.filter(poll=poll).count() == 1
    assert stored_choices(poll, student) == ["No"]


def test_a_multiple_choice_poll_takes_two_choices(course, student, as_student):
    poll = new_poll(course, kind="multiple", choices=["CNNs", "RNNs", "Transformers"])
    picked = [choice(poll, "CNNs").pk, choice(poll, "Transformers").pk]
    response = as_student.post(poll_url(poll, "answer/"), {"choice": picked}, follow=True)
    assert alerts(response) == [RECORDED]
    assert stored_choices(poll, student) == ["CNNs", "Transformers"]
    for pk in picked:
        assert f'value="{pk}" id="choice-{pk}" checked>' in page(response)


def test_a_short_text_answer_is_stored_without_surrounding_spaces(course, student, as_student):
    poll = new_poll(course, kind="text", question="One word for attention?")
    response = as_student.post(poll_url(poll, "answer/"), {"text": "  Soft lookup \n"}, follow=True)
    assert alerts(response) == [RECORDED]
    stored = PollAnswer.objects.get(poll=poll, student=student)
    assert stored.text == "Soft lookup"
    assert not stored.choices.exists()
    assert ">Soft lookup</textarea>" in page(response)


REFUSED_ANSWERS = [
    pytest.param(
        "single",
        "closed",
        lambda p, o: {"choice": choice(p, "Yes").pk},
        CLOSED,
        id="the-poll-is-closed",
    ),
    pytest.param(
        "single",
        "open",
        lambda p, o: {"choice": choice(o, "Yes").pk},
        NOT_A_CHOICE,
        id="a-choice-of-another-poll",
    ),
    pytest.param(
        "multiple",
        "open",
        lambda p, o: {"choice": [choice(p, "Yes").pk, choice(o, "No").pk]},
        NOT_A_CHOICE,
        id="one-of-two-choices-from-another-poll",
    ),
    pytest.param(
        "single",
        "open",
        lambda p, o: {"choice": [choice(p, "Yes").pk, choice(p, "No").pk]},
        "This poll takes one answer.",
        id="two-choices-for-a-single-choice-poll",
    ),
    pytest.param("single", "open", lambda p, o: {}, NOT_A_CHOICE, id="no-choice"),
    pytest.param("multiple", "open", lambda p, o: {}, NOT_A_CHOICE, id="no-choice-multiple"),
    pytest.param(
        "single",
        "open",
        lambda p, o: {"choice": "Yes"},
        NOT_A_CHOICE,
        id="a-choice-that-is-not-a-number",
    ),
    pytest.param(
        "text", "open", lambda p, o: {"text": " \n "}, "Write an answer first.", id="empty-text"
    ),
    pytest.param(
        "text",
        "open",
        lambda p, o: {"text": "x" * 1001},
        "Keep the answer under 1000 characters.",
        id="text-over-1000-characters",
    ),
]


@pytest.mark.parametrize(("kind", "state", "data", "message"), REFUSED_ANSWERS)
def test_an_answer_that_breaks_a_rule_is_refused_with_a_message_and_nothing_is_stored(
    kind, state, data, message, course, as_student
):
    poll = new_poll(course, kind=kind, state=state)
    other = new_poll(course, question="Another question?")
    response = as_student.post(poll_url(poll, "answer/"), data(poll, other), follow=True)
    assert response.status_code == 200
    assert alerts(response) == [message]
    assert not PollAnswer.objects.exists()


def test_after_the_poll_closes_an_answer_can_no_longer_be_changed(course, student, as_student):
    poll = new_poll(course)
    answer(poll, student, "Yes")
    polls.poll_state_set(poll=poll, state="closed")
    response = as_student.post(
        poll_url(poll, "answer/"), {"choice": choice(poll, "No").pk}, follow=True
    )
    assert alerts(response) == [CLOSED]
    assert stored_choices(poll, student) == ["Yes"]
    shown = page(response)
    assert "Your answer: Yes" in shown
    assert 'class="poll-answer"' not in shown  # no form to send another


def test_a_draft_is_404_for_students_who_can_neither_see_nor_answer_it(course, as_student):
    poll = new_poll(course, state="draft")
    assert as_student.get(poll_url(poll)).status_code == 404
    assert as_student.get(poll_url(poll, "results.json")).status_code == 404
    response = as_student.post(poll_url(poll, "answer/"), {"choice": choice(poll, "Yes").pk})
    assert response.status_code == 404
    assert not PollAnswer.objects.exists()


def test_a_poll_of_another_course_is_404_and_stores_nothing(course, student, as_student):
    other_course = CourseFactory(slug="elsewhere")
    MembershipFactory(course=other_course, user=student, role=Membership.Role.TA)
    poll = new_poll(other_course)
    # Through this course's address, and through the other course where alice is no student.
    mine = f"/courses/{course.slug}/polls/{poll.pk}/answer/"
    assert as_student.post(mine, {"choice": choice(poll, "Yes").pk}).status_code == 404
    theirs = poll_url(poll, "answer/")
    assert as_student.post(theirs, {"choice": choice(poll, "Yes").pk}).status_code == 403
    assert not PollAnswer.objects.exists()


def test_a_ta_cannot_answer_a_poll(course, as_ta):
    poll = new_poll(course)
    response = as_ta.post(poll_url(poll, "answer/"), {"choice": choice(poll, "Yes").pk})
    assert response.status_code == 403
    assert not PollAnswer.objects.exists()
    assert 'class="poll-answer"' not in page(as_ta.get(poll_url(poll)))


def test_a_student_of_another_course_cannot_answer_even_through_the_service(course, outsider):
    poll = new_poll(course)
    with pytest.raises(
        polls.PollError, match=re.escape("Only students of this course answer its polls.")
    ):
        answer(poll, outsider, "Yes")
    assert not PollAnswer.objects.exists()
