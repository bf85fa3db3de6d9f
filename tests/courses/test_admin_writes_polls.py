"""The admin is just another caller: a poll written in the admin obeys the poll
rules, and gets its choices in order and a history."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from courses.models import Poll
from courses.services import polls
from tests.courses.admin_helpers import form_errors, page_as_posted
from tests.factories import CourseFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- polls ------------------------------------------------------------------------------------


ADD_POLL = "/admin/courses/poll/add/"


def poll_form(course, *, choices=(), session=None, **fields) -> dict:
    data = {
        "course": course.pk,
        "session": session.pk if session else "",
        "question": "Which one?",
        "kind": "single",
        "results": "after_close",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
    }
    for n, text in enumerate(choices):
        data[f"choices-{n}-order"] = str(n)
        data[f"choices-{n}-text"] = text
    data.update(fields)
    return data


def test_a_single_choice_poll_with_one_choice_is_refused_with_a_form_error(admin_client, course):
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["Only this"]))
    assert response.status_code == 200
    assert "A choice poll needs 2 to 12 choices, one per line." in form_errors(response)
    assert not Poll.objects.exists()


def test_the_same_choice_twice_is_refused(admin_client, course):
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["Yes", " yes"]))
    assert "Two choices are the same." in form_errors(response)
    assert not Poll.objects.exists()


def test_a_short_text_poll_with_choices_is_refused(admin_client, course):
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["A", "B"], kind="text"))
    assert "A short-text poll has no choices; delete them." in form_errors(response)
    assert not Poll.objects.exists()


def test_a_session_of_another_course_is_refused_even_one_the_instructor_teaches(
    admin_client, course, second_course
):
    elsewhere = SessionFactory(course=second_course)
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["A", "B"], session=elsewhere))
    assert "That session belongs to another course." in form_errors(response)
    assert not Poll.objects.exists()


def test_a_superuser_cannot_attach_another_courses_session_either(course):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    elsewhere = SessionFactory(course=CourseFactory(slug="elsewhere"))
    poll = polls.poll_create(course=course, question="Q?", kind="text")
    data = poll_form(course, kind="text", question="Q?", session=elsewhere)
    data["choices-INITIAL_FORMS"] = "0"
    response = client.post(f"/admin/courses/poll/{poll.pk}/change/", data)
    assert "That session belongs to another course." in form_errors(response)
    poll.refresh_from_db()
    assert poll.session is None


def test_a_poll_written_in_the_admin_gets_its_choices_in_order_and_a_history(
    admin_client, prof, course
):
    session = SessionFactory(course=course)
    data = poll_form(course, choices=["Second", "First"], session=session, anonymous="on")
    data["choices-0-order"], data["choices-1-order"] = "2", "1"
    response = admin_client.post(ADD_POLL, data)
    assert response.status_code == 302, form_errors(response)
    poll = Poll.objects.get()
    assert (poll.session, poll.anonymous, poll.state) == (session, True, Poll.State.DRAFT)
    assert list(poll.choices.values_list("text", flat=True)) == ["First", "Second"]
    assert poll.history.get().history_user == prof
    assert {c.history_user for c in poll.choices.model.history.all()} == {prof}


def test_an_unanswered_polls_choices_can_be_reworded_added_and_removed(admin_client, prof, course):
    poll = polls.poll_create(course=course, question="Q?", kind="single", choices=["A", "B", "C"])
    path = f"/admin/courses/poll/{poll.pk}/change/"
    data = page_as_posted(admin_client.get(path))
    texts = {data[k]: k.rsplit("-", 1)[0] for k in data if re.fullmatch(r"choices-\d+-text", k)}
    data[f"{texts['A']}-text"] = "B"  # swap A and B's wording...
    data[f"{texts['B']}-text"] = "A"
    data[f"{texts['C']}-DELETE"] = "on"  # ...drop C and add D
    extra = next(k for k in data if re.fullmatch(r"choices-\d+-text", k) and not data[k])
    data[extra] = "D"

    response = admin_client.post(path, data)

    assert response.status_code == 302, form_errors(response)
    assert sorted(poll.choices.values_list("text", flat=True)) == ["A", "B", "D"]
    latest = poll.history.latest("history_date")
    assert latest.history_user == prof
    assert latest.history_change_reason == "Choices added “D”; removed “C”"
