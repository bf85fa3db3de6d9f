"""The list of polls for students and staff, writing a poll with its choices,
session and options, and the short address /p/<id>."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from courses.models import Poll
from courses.services import polls
from tests.courses.polls_helpers import alerts, answer, choice, new_poll, page, poll_url, url
from tests.factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


# --- the list of polls -----------------------------------------------------------------


def test_the_open_poll_of_todays_session_is_listed_first_for_students(course, as_student):
    today = SessionFactory(course=course, date=course.today(), title="Today's session")
    earlier = SessionFactory(course=course, date=course.today() - dt.timedelta(days=7))
    todays = new_poll(course, session=today, question="Question of today?")
    # Opened after it, so newer, yet listed after it.
    new_poll(course, session=earlier, question="Leftover from last week?")
    new_poll(course, question="Question without a session?")
    new_poll(course, state="closed", question="Already closed question?")

    shown = page(as_student.get(url(course)))
    positions = [
        shown.index(question)
        for question in (
            "Question of today?",
            "Question without a session?",
            "Leftover from last week?",
            "Already closed question?",
        )
    ]
    assert positions == sorted(positions)
    open_section = shown[: shown.index('id="other-heading"')]
    assert "Already closed question?" not in open_section
    # Answer right from the list, with one tap.
    yes = choice(todays, "Yes")
    assert f'name="choice" value="{yes.pk}">Yes</button>' in open_section


def test_drafts_are_listed_for_staff_but_not_for_students(course, as_student, as_ta):
    new_poll(course, state="draft", question="Secret draft question?")
    new_poll(course, state="closed", question="Closed question?")
    student_list = page(as_student.get(url(course)))
    assert "Secret draft question?" not in student_list
    assert "Closed question?" in student_list
    assert "No poll is open right now." in student_list
    staff_list = page(as_ta.get(url(course)))
    assert "Secret draft question?" in staff_list
    assert "Create as draft" in staff_list
    assert "Create as draft" not in student_list


def test_the_list_tells_a_student_which_earlier_polls_they_answered(course, student, as_student):
    answered = new_poll(course, question="Answered question?")
    new_poll(course, state="closed", question="Missed question?")
    answer(answered, student, "Yes")
    polls.poll_state_set(poll=answered, state="closed")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page(as_student.get(url(course)))))
    assert "Answered question? Closed · you answered" in text
    assert "Missed question? Closed · not answered" in text


# --- writing a poll --------------------------------------------------------------------


def test_staff_create_a_draft_poll_with_its_choices_session_and_options(course, as_ta):
    session = SessionFactory(course=course)
    response = as_ta.post(
        url(course, "new/"),
        {
            "question": "  Which is faster?  ",
            "kind": "single",
            "choices": "Flash attention\r\n\r\n  Plain attention \r\nNo difference",
            "session": session.pk,
            "anonymous": "on",
            "results": "live",
        },
        follow=True,
    )
    poll = Poll.objects.get()
    assert response.redirect_chain[-1][0] == poll_url(poll)
    assert alerts(response) == ["Poll created as a draft: open it when the class is ready."]
    assert poll.question == "Which is faster?"
    assert poll.state == Poll.State.DRAFT
    assert poll.kind == Poll.Kind.SINGLE
    assert poll.session == session
    assert poll.anonymous is True
    assert poll.results == Poll.Results.LIVE
    assert list(poll.choices.values_list("text", flat=True)) == [
        "Flash attention",
        "Plain attention",
        "No difference",
    ]
    assert 'value="open">Open the poll</button>' in page(response)


def test_a_short_text_poll_needs_no_choices(course, as_instructor):
    as_instructor.post(
        url(course, "new/"),
        {"question": "One word?", "kind": "text", "choices": "", "results": "after_close"},
    )
    poll = Poll.objects.get()
    assert (poll.kind, poll.anonymous, poll.session) == (Poll.Kind.TEXT, False, None)
    assert not poll.choices.exists()


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", "Only one", "A choice poll needs 2 to 12 choices, one per line."),
        ("multiple", "", "A choice poll needs 2 to 12 choices, one per line."),
        (
            "single",
            "\n".join(f"Choice {n}" for n in range(13)),
            "A choice poll needs 2 to 12 choices, one per line.",
        ),
        ("single", "Yes\nNo\n yes ", "Two choices are the same."),
    ],
    ids=["one-choice", "no-choice", "thirteen-choices", "the-same-choice-twice"],
)
def test_a_choice_poll_with_too_few_too_many_or_repeated_choices_is_refused(
    kind, choices, message, course, as_instructor
):
    response = as_instructor.post(
        url(course, "new/"),
        {"question": "Pick one?", "kind": kind, "choices": choices, "results": "live"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url(course)
    assert alerts(response) == [f"Not created: {message}"]
    assert not Poll.objects.exists()


def test_a_session_of_another_course_is_refused(course, as_instructor):
    elsewhere = SessionFactory(course=CourseFactory(slug="elsewhere"))
    response = as_instructor.post(
        url(course, "new/"),
        {"question": "Q?", "kind": "text", "session": elsewhere.pk, "results": "live"},
        follow=True,
    )
    assert alerts(response)[0].startswith("Not created: Select a valid choice.")
    assert not Poll.objects.exists()


def test_a_choice_longer_than_the_column_is_refused_with_a_message(course, as_instructor):
    response = as_instructor.post(
        url(course, "new/"),
        {
            "question": "Long?",
            "kind": "single",
            "choices": "Short\n" + "x" * 201,
            "results": "live",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert alerts(response)[0].startswith("Not created: ")
    assert not Poll.objects.exists()


def test_students_cannot_create_polls(course, as_student):
    response = as_student.post(
        url(course, "new/"),
        {"question": "Mine?", "kind": "single", "choices": "A\nB", "results": "live"},
    )
    assert response.status_code == 403
    assert not Poll.objects.exists()


# --- the short address -----------------------------------------------------------------


def test_the_short_address_takes_a_logged_in_member_to_the_poll(course, as_student, as_ta):
    poll = new_poll(course)
    response = as_student.get(f"/p/{poll.pk}")
    assert response.status_code == 302
    assert response["Location"] == poll_url(poll)
    assert f"http://testserver/p/{poll.pk}" in page(as_ta.get(poll_url(poll)))


def test_the_short_address_sends_an_anonymous_visitor_to_log_in_first(course):
    poll = new_poll(course)
    response = Client().get(f"/p/{poll.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/p/{poll.pk}"


def test_the_short_address_of_a_missing_poll_is_404(course, as_student):
    assert as_student.get("/p/999999").status_code == 404
