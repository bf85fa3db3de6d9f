"""What students were told when they answered a poll holds afterwards: an
anonymous poll stays anonymous, its results are shown no more widely, what was
asked stays what was answered, text answers never come in the order they
arrived, and the short address reveals no course."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client

from courses.models import Poll
from courses.selectors.polls import poll_results
from courses.services import polls
from courses.services.memberships import membership_set
from tests.conftest import logged_in
from tests.courses.admin_helpers import form_errors, page_as_posted
from tests.factories import CourseFactory, SessionFactory, UserFactory, new_student

pytestmark = pytest.mark.django_db

STAYS_ANONYMOUS = "Students answered this poll as an anonymous one; it stays anonymous."
KIND_FIXED = "Students already answered this poll; its kind cannot change."
QUESTION_FIXED = (
    "Students already answered this question; it cannot be reworded. Ask a new poll instead."
)
CHOICES_FIXED = (
    "Students already answered this poll; its choices cannot be added, removed or reworded "
    "(only put in another order)."
)


def wider(before: str) -> str:
    label = Poll.Results(before).label
    return (
        f"Students answered when the results were “{label}”; "
        "they can be shown less widely now, not more."
    )


def open_poll(course, *, kind="single", choices=("Yes", "No"), **options) -> Poll:
    poll = polls.poll_create(
        course=course,
        question="Did you read it?",
        kind=kind,
        choices=() if kind == "text" else choices,
        **options,
    )
    return polls.poll_state_set(poll=poll, state="open")


def answered(course, student, **options) -> Poll:
    poll = open_poll(course, **options)
    if poll.kind == Poll.Kind.TEXT:
        polls.poll_answer(poll=poll, student=student, text="Something")
    else:
        polls.poll_answer(poll=poll, student=student, choice_ids=[poll.choices.first().pk])
    return poll


def change_url(poll) -> str:
    return f"/admin/courses/poll/{poll.pk}/change/"


def admin_edit(client: Client, poll: Poll, **changes):
    """Post the poll's admin page back with some fields changed."""
    data = page_as_posted(client.get(change_url(poll)))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(change_url(poll), data)


def choice_rows(data: dict) -> dict[str, str]:
    """Each shown choice's text: the prefix of its row in the form."""
    return {
        data[key]: key.rsplit("-", 1)[0]
        for key in data
        if re.fullmatch(r"choices-\d+-text", key) and data[key]
    }


# --- the admin refuses, with a message, and changes nothing -------------------------------------


def test_an_answered_anonymous_poll_cannot_be_made_named(admin_client, course, student):
    poll = answered(course, student, anonymous=True)
    response = admin_edit(admin_client, poll, anonymous=None)
    assert response.status_code == 200
    assert STAYS_ANONYMOUS in form_errors(response)
    poll.refresh_from_db()
    assert poll.anonymous


@pytest.mark.parametrize(
    ("before", "after"),
    [("never", "after_close"), ("never", "live"), ("after_close", "live")],
)
def test_an_answered_polls_results_cannot_be_shown_more_widely(
    admin_client, course, student, before, after
):
    poll = answered(course, student, results=before)
    response = admin_edit(admin_client, poll, results=after)
    assert wider(before) in form_errors(response)
    poll.refresh_from_db()
    assert poll.results == before


@pytest.mark.parametrize(
    ("before", "after"),
    [("live", "after_close"), ("live", "never"), ("after_close", "never"), ("live", "live")],
)
def test_an_answered_polls_results_can_be_shown_less_widely(
    admin_client, course, student, before, after
):
    poll = answered(course, student, results=before)
    response = admin_edit(admin_client, poll, results=after)
    assert response.status_code == 302, form_errors(response)
    poll.refresh_from_db()
    assert poll.results == after


def test_an_answered_named_poll_can_become_anonymous(admin_client, course, student):
    poll = answered(course, student)
    response = admin_edit(admin_client, poll, anonymous="on")
    assert response.status_code == 302, form_errors(response)
    poll.refresh_from_db()
    assert poll.anonymous


def test_an_answered_poll_keeps_its_kind_and_question(admin_client, course, student):
    poll = answered(course, student)
    response = admin_edit(admin_client, poll, kind="multiple", question="Did you like it?")
    assert KIND_FIXED in form_errors(response)
    assert QUESTION_FIXED in form_errors(response)
    poll.refresh_from_db()
    assert (poll.kind, poll.question) == ("single", "Did you read it?")


@pytest.mark.parametrize("edit", ["reword", "add", "delete"])
def test_an_answered_poll_keeps_its_choices(admin_client, course, student, edit):
    poll = answered(course, student, choices=("Yes", "No", "Maybe"))
    data = page_as_posted(admin_client.get(change_url(poll)))
    rows = choice_rows(data)
    if edit == "reword":
        data[f"{rows['Yes']}-text"] = "No way"
    elif edit == "add":
        empty = next(k for k in data if re.fullmatch(r"choices-\d+-text", k) and not data[k])
        data[empty] = "Never heard of it"
    else:
        data[f"{rows['Maybe']}-DELETE"] = "on"

    response = admin_client.post(change_url(poll), data)

    assert CHOICES_FIXED in form_errors(response)
    assert list(poll.choices.values_list("text", flat=True)) == ["Yes", "No", "Maybe"]


def test_an_answered_polls_choices_can_be_put_in_another_order(admin_client, course, student):
    poll = answered(course, student, choices=("Yes", "No"))
    data = page_as_posted(admin_client.get(change_url(poll)))
    rows = choice_rows(data)
    data[f"{rows['Yes']}-order"], data[f"{rows['No']}-order"] = "2", "1"
    response = admin_client.post(change_url(poll), data)
    assert response.status_code == 302, form_errors(response)
    assert list(poll.choices.values_list("text", flat=True)) == ["No", "Yes"]


def test_an_unanswered_poll_may_still_change_everything(admin_client, course):
    poll = open_poll(course, anonymous=True, results="never")
    response = admin_edit(
        admin_client, poll, anonymous=None, results="live", kind="multiple", question="Which?"
    )
    assert response.status_code == 302, form_errors(response)
    poll.refresh_from_db()
    assert (poll.anonymous, poll.results, poll.kind, poll.question) == (
        False,
        "live",
        "multiple",
        "Which?",
    )


# --- the service holds the same rules, under the poll's lock ------------------------------------


def update(poll: Poll, **changes) -> Poll:
    values = {
        "question": poll.question,
        "kind": poll.kind,
        "session": poll.session,
        "anonymous": poll.anonymous,
        "results": poll.results,
        "choices": [polls.ChoiceEdit(c.text, c.order, c.pk) for c in poll.choices.all()],
    }
    return polls.poll_update(poll=poll, **(values | changes))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"anonymous": False}, STAYS_ANONYMOUS),
        ({"results": "live"}, wider("after_close")),
        ({"kind": "multiple"}, KIND_FIXED),
        ({"question": "Something else?"}, QUESTION_FIXED),
        ({"choices": [polls.ChoiceEdit("Yes"), polls.ChoiceEdit("No")]}, CHOICES_FIXED),
    ],
    ids=["named", "wider", "kind", "question", "choices"],
)
def test_poll_update_refuses_to_break_a_promise_once_answered(course, student, changes, message):
    """What a form that was checked before an answer arrived runs into."""
    poll = open_poll(course, anonymous=True, results="after_close")
    version = poll.history.count()
    polls.poll_answer(poll=poll, student=student, choice_ids=[poll.choices.first().pk])
    with pytest.raises(polls.PollError, match=re.escape(message)):
        update(poll, **changes)
    poll.refresh_from_db()
    assert (poll.anonymous, poll.results, poll.kind) == (True, "after_close", "single")
    assert poll.history.count() == version


def test_poll_update_keeps_a_poll_in_its_course_sessions(course):
    poll = open_poll(course)
    elsewhere = SessionFactory(course=CourseFactory(slug="elsewhere"))
    with pytest.raises(polls.PollError, match="That session belongs to another course"):
        update(poll, session=elsewhere)


# --- the history ---------------------------------------------------------------------------------


def test_poll_edits_are_recorded_with_who_and_when_and_shown_to_the_instructor(
    admin_client, prof, course, student
):
    poll = answered(course, student, results="live")
    admin_edit(admin_client, poll, results="never")

    latest = poll.history.latest("history_date")
    assert (latest.history_user, latest.results) == (prof, "never")
    page = admin_client.get(f"/admin/courses/poll/{poll.pk}/history/")
    assert page.status_code == 200
    assert "prof" in page.content.decode()


def test_saving_a_poll_page_unchanged_adds_nothing_to_its_history(admin_client, course, student):
    poll = answered(course, student)
    versions = poll.history.count()
    response = admin_edit(admin_client, poll)
    assert response.status_code == 302, form_errors(response)
    assert poll.history.count() == versions


def test_another_courses_instructor_cannot_read_a_polls_history(course, student):
    poll = answered(course, student)
    other = UserFactory(username="otherprof")
    membership_set(course=CourseFactory(slug="theirs"), user=other, role="instructor")
    client = logged_in(other)
    assert client.get(f"/admin/courses/poll/{poll.pk}/history/").status_code == 403
    version = poll.history.earliest("history_date").history_id
    assert client.get(f"/admin/courses/poll/{poll.pk}/history/{version}/").status_code == 403


# --- text answers never in arrival order ----------------------------------------------------------

ARRIVAL = ["banana", "Cherry", "apple", "date"]
SORTED = ["apple", "banana", "Cherry", "date"]


def text_poll_answered_in_order(course, *, anonymous: bool) -> Poll:
    poll = open_poll(course, kind="text", anonymous=anonymous, results="live")
    for n, text in enumerate(ARRIVAL):
        student = new_student(course, f"s{n}")
        polls.poll_answer(poll=poll, student=student, text=text)
    return poll


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
def test_text_answers_are_shown_alphabetically_not_in_the_order_they_arrived(
    course, prof, anonymous
):
    poll = text_poll_answered_in_order(course, anonymous=anonymous)
    assert poll_results(poll).texts == SORTED
    client = logged_in(prof)
    base = f"/courses/{course.slug}/polls/{poll.pk}/"
    assert client.get(base + "results.json").json()["texts"] == SORTED
    shown = client.get(base).content.decode()
    assert re.findall(r"<li>(\w+)</li>", shown.split('data-field="texts"', 1)[1])[:4] == SORTED


def test_an_anonymous_polls_csv_is_alphabetical_too(course, prof):
    poll = text_poll_answered_in_order(course, anonymous=True)
    response = logged_in(prof).get(f"/courses/{course.slug}/polls/{poll.pk}/answers.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Answer"], *([text] for text in SORTED)]


# --- the short address ---------------------------------------------------------------------------


def short(client: Client, poll_id: int):
    return client.get(f"/p/{poll_id}")


def page_without_token(response) -> str:
    """A page as a person reads it: the per-request CSRF token aside."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


@pytest.mark.parametrize("published", [True, False], ids=["published", "unpublished"])
def test_the_short_address_is_404_to_someone_outside_the_polls_course(
    course, outsider, student, published
):
    course.is_published = published
    course.save(update_fields=["is_published"])
    poll = open_poll(course)
    client = logged_in(outsider)
    missing = short(client, 999_999)
    response = short(client, poll.pk)
    assert response.status_code == missing.status_code == 404
    assert page_without_token(response) == page_without_token(missing)
    assert short(logged_in(student), poll.pk).status_code == 302


def test_the_short_address_of_a_draft_is_404_to_students_and_leads_the_staff(course, student, ta):
    draft = polls.poll_create(course=course, question="Not yet?", kind="text")
    missing = short(logged_in(student), 999_999)
    response = short(logged_in(student), draft.pk)
    assert response.status_code == 404
    assert page_without_token(response) == page_without_token(missing)
    led = short(logged_in(ta), draft.pk)
    assert led.status_code == 302
    assert led["Location"] == f"/courses/{course.slug}/polls/{draft.pk}/"


def test_the_short_address_leads_a_superuser_anywhere(course):
    poll = polls.poll_create(course=course, question="Draft?", kind="text")
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = short(logged_in(root), poll.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/courses/{course.slug}/polls/{poll.pk}/"
