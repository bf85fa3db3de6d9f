"""In-class polls as the class uses them: staff write, open and close them, students
answer on their phones, the counts are shown when the poll says so, anonymous polls
never show who answered, and the participation record scores a gradebook item."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from courses.models import Membership, Poll, PollAnswer, PollChoice
from courses.services import polls
from courses.services.memberships import membership_set
from grading.models import Score
from grading.services import score_set
from tests.conftest import logged_in
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    SessionFactory,
    new_student,
)

pytestmark = pytest.mark.django_db

CLOSED = "This poll is closed; your answer was not recorded."
NOT_A_CHOICE = "Choose one of this poll's answers."
RECORDED = "Answer recorded. You can change it while the poll is open."
NEVER_SHOWN = "The results of this poll are not shown to students."
AFTER_CLOSE = "Results appear once the poll is closed."
ADMIN_POLLS = "/admin/courses/poll/"


# --- helpers ---------------------------------------------------------------------------


def url(course, path: str = "") -> str:
    return f"/courses/{course.slug}/polls/{path}"


def poll_url(poll, path: str = "") -> str:
    return url(poll.course, f"{poll.pk}/{path}")


def new_poll(
    course,
    *,
    state: str = "open",
    kind: str = "single",
    choices=("Yes", "No", "Maybe"),
    question: str = "Did you read the paper?",
    **options,
) -> Poll:
    """A poll made and opened (and closed) the way the buttons do it."""
    poll = polls.poll_create(
        course=course,
        question=question,
        kind=kind,
        choices=() if kind == "text" else choices,
        **options,
    )
    if state in ("open", "closed"):
        polls.poll_state_set(poll=poll, state="open")
    if state == "closed":
        polls.poll_state_set(poll=poll, state="closed")
    poll.refresh_from_db()
    return poll


def choice(poll, text: str) -> PollChoice:
    return poll.choices.get(text=text)


def answer(poll, student, *texts: str, text: str = "") -> PollAnswer:
    ids = [choice(poll, t).pk for t in texts]
    return polls.poll_answer(poll=poll, student=student, choice_ids=ids, text=text)


def page(response) -> str:
    return html.unescape(response.content.decode())


def alerts(response) -> list[str]:
    """The messages shown at the top of a course page."""
    found = re.findall(r'<div class="alert alert-\w+">(.*?)</div>', response.content.decode(), re.S)
    return [html.unescape(text).strip() for text in found]


def admin_alerts(response) -> list[str]:
    found = re.findall(
        r'<li class="(?:success|info|warning|error)">(.*?)</li>', response.content.decode(), re.S
    )
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def answer_count(shown: str) -> int | None:
    """The "N of M students answered" count on a poll page, or None when not shown."""
    found = re.search(r'data-testid="answer-count"[^>]*>(\d+)</span>', shown)
    return int(found.group(1)) if found else None


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


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


# --- who sees the counts ---------------------------------------------------------------


def test_results_set_to_never_are_never_shown_to_students(course, student, as_student, as_ta):
    poll = new_poll(course, results=Poll.Results.NEVER)
    answer(poll, student, "Yes")
    for state in ("open", "closed"):
        polls.poll_state_set(poll=poll, state=state)
        shown = page(as_student.get(poll_url(poll)))
        assert NEVER_SHOWN in shown
        assert answer_count(shown) is None
        response = as_student.get(poll_url(poll, "results.json"))
        assert response.status_code == 403
        assert response.json() == {"error": NEVER_SHOWN}
        # The staff see them all the same.
        assert answer_count(page(as_ta.get(poll_url(poll)))) == 1
        assert as_ta.get(poll_url(poll, "results.json")).json()["answers"] == 1


def test_results_shown_after_closing_are_hidden_while_the_poll_is_open(
    course, student, as_student, as_instructor
):
    poll = new_poll(course, results=Poll.Results.AFTER_CLOSE)
    answer(poll, student, "No")
    shown = page(as_student.get(poll_url(poll)))
    assert AFTER_CLOSE in shown
    assert answer_count(shown) is None
    assert as_student.get(poll_url(poll, "results.json")).status_code == 403
    assert answer_count(page(as_instructor.get(poll_url(poll)))) == 1

    polls.poll_state_set(poll=poll, state="closed")
    shown = page(as_student.get(poll_url(poll)))
    assert AFTER_CLOSE not in shown
    assert answer_count(shown) == 1
    counts = as_student.get(poll_url(poll, "results.json")).json()
    assert {c["text"]: c["count"] for c in counts["choices"]} == {"Yes": 0, "No": 1, "Maybe": 0}


def test_live_results_are_shown_to_students_while_the_poll_is_open(course, student, as_student):
    poll = new_poll(course, results=Poll.Results.LIVE)
    answer(poll, student, "Maybe")
    shown = page(as_student.get(poll_url(poll)))
    assert answer_count(shown) == 1
    assert 'data-live="1"' in shown
    response = as_student.get(poll_url(poll, "results.json"))
    assert response.status_code == 200
    assert response.json()["state"] == "open"
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_counts_are_right_when_three_students_answer(course, as_ta):
    poll = new_poll(course, results=Poll.Results.LIVE)
    others = [new_student(course, f"s{n}") for n in range(3)]
    answer(poll, others[0], "Yes")
    answer(poll, others[1], "Yes")
    answer(poll, others[2], "Maybe")
    answer(poll, others[2], "No")  # changed their mind
    expected = {
        "state": "open",
        "answers": 3,
        "students": 3,
        "choices": [
            {"id": choice(poll, "Yes").pk, "text": "Yes", "count": 2, "percent": 67},
            {"id": choice(poll, "No").pk, "text": "No", "count": 1, "percent": 33},
            {"id": choice(poll, "Maybe").pk, "text": "Maybe", "count": 0, "percent": 0},
        ],
        "texts": [],
    }
    assert as_ta.get(poll_url(poll, "results.json")).json() == expected
    shown = page(as_ta.get(poll_url(poll)))
    assert "3 of 3 students answered." in re.sub(r"<[^>]+>", "", shown)
    for text, count in (("Yes", 2), ("No", 1), ("Maybe", 0)):
        assert f'data-testid="count-{choice(poll, text).pk}">{count}</span>' in shown


def test_the_counts_of_a_multiple_choice_poll_count_every_choice_ticked(course, as_ta):
    poll = new_poll(course, kind="multiple", choices=["A", "B", "C"])
    one, two = new_student(course, "m1"), new_student(course, "m2")
    answer(poll, one, "A", "B")
    answer(poll, two, "B")
    counts = as_ta.get(poll_url(poll, "results.json")).json()
    assert counts["answers"] == 2
    assert [(c["text"], c["count"], c["percent"]) for c in counts["choices"]] == [
        ("A", 1, 50),
        ("B", 2, 100),
        ("C", 0, 0),
    ]


# --- anonymous polls -------------------------------------------------------------------


@pytest.fixture
def distinctive(course):
    """Students whose names cannot turn up on a page by accident."""
    return [
        new_student(course, "qzxwuser1", first_name="Quillon", last_name="Zephyrwood"),
        new_student(course, "qzxwuser2", first_name="Xandrielle", last_name="Vortmannova"),
        new_student(course, "qzxwuser3", first_name="Bartholemew", last_name="Krzyzanowski"),
    ]


NAME_PARTS = [
    "qzxwuser",
    "Quillon",
    "Zephyrwood",
    "Xandrielle",
    "Vortmannova",
    "Bartholemew",
    "Krzyzanowski",
]


def assert_no_names(text: str) -> None:
    for part in NAME_PARTS:
        assert part.lower() not in text.lower()


def test_an_anonymous_poll_never_shows_who_answered_not_even_to_staff(
    course, distinctive, as_instructor, as_student
):
    text_poll = new_poll(
        course, kind="text", question="What confused you?", anonymous=True, results="live"
    )
    choice_poll = new_poll(course, question="Speed of lecture?", anonymous=True, results="live")
    for n, who in enumerate(distinctive):
        answer(text_poll, who, text=f"Confusing part {n}")
        answer(choice_poll, who, "Yes" if n else "No")

    for poll in (text_poll, choice_poll):
        for client in (as_instructor, as_student):
            shown = page(client.get(poll_url(poll)))
            assert "anonymous" in shown
            assert_no_names(shown)
            assert_no_names(client.get(poll_url(poll, "results.json")).content.decode())
    for client in (as_instructor, as_student):
        assert_no_names(page(client.get(url(course))))
    staff_page = page(as_instructor.get(poll_url(text_poll)))
    assert all(f"<li>Confusing part {n}</li>" in staff_page for n in range(3))

    polls.poll_state_set(poll=text_poll, state="closed")
    for poll, expected in (
        (text_poll, [["Answer"], ["Confusing part 0"], ["Confusing part 1"], ["Confusing part 2"]]),
        (choice_poll, [["Answer"], ["No"], ["Yes"], ["Yes"]]),
    ):
        response = as_instructor.get(poll_url(poll, "answers.csv"))
        assert response.status_code == 200
        assert_no_names(response.content.decode("utf-8-sig"))
        assert csv_rows(response) == expected


def test_a_named_polls_csv_lists_each_students_name_username_and_answer(course, distinctive, as_ta):
    poll = new_poll(course, question="Which paper next?", choices=["GPT-3", "BERT"])
    answer(poll, distinctive[0], "BERT")
    answer(poll, distinctive[1], "GPT-3")
    rows = csv_rows(as_ta.get(poll_url(poll, "answers.csv")))
    assert rows[0] == ["Student", "Username", "Answer", "Answered at"]
    assert sorted(row[:3] for row in rows[1:]) == [
        ["Quillon Zephyrwood", "qzxwuser1", "BERT"],
        ["Xandrielle Vortmannova", "qzxwuser2", "GPT-3"],
    ]


def test_students_cannot_download_the_answers(course, as_student):
    poll = new_poll(course, state="closed")
    assert as_student.get(poll_url(poll, "answers.csv")).status_code == 403


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


# --- the participation record ----------------------------------------------------------


@pytest.fixture
def record(course):
    """Two sessions: the first held two polls, the second one (and a draft);
    a third had only a draft. Ann answered all, Ben one, Cal none."""
    first = SessionFactory(course=course, date=dt.date(2026, 2, 3))
    second = SessionFactory(course=course, date=dt.date(2026, 2, 5))
    drafts_only = SessionFactory(course=course, date=dt.date(2026, 2, 10))
    ann = new_student(course, "ann", first_name="Ann", last_name="Able")
    ben = new_student(course, "ben", first_name="Ben", last_name="Baker")
    cal = new_student(course, "cal", first_name="Cal", last_name="Cole")
    p1 = new_poll(course, session=first, question="P1?")
    p2 = new_poll(course, session=first, question="P2?")
    p3 = new_poll(course, session=second, question="P3?")
    new_poll(course, state="draft", session=second, question="Draft in second?")
    new_poll(course, state="draft", session=drafts_only, question="Draft only?")
    for poll in (p1, p2, p3):
        answer(poll, ann, "Yes")
    answer(p2, ben, "No")
    polls.poll_state_set(poll=p1, state="closed")
    return {"ann": ann, "ben": ben, "cal": cal, "polls": [p1, p2, p3]}


def record_rows(response) -> dict[str, list[str]]:
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    rows = {}
    for name, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S):
        rows[html.unescape(name)] = re.findall(r"<td>(.*?)</td>", cells)
    return rows


def test_the_participation_record_shows_polls_answered_out_of_held_per_session(
    course, record, as_ta
):
    response = as_ta.get(url(course, "participation/"))
    assert response.status_code == 200
    header = page(response).split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'<th scope="col">(.*?)</th>', header) == [
        "Student",
        "Feb 3",
        "Feb 5",
        "Total",
        "Rate",
    ]  # the session with only a draft held no poll
    assert record_rows(response) == {
        "Ann Able": ["2/2", "1/1", "3/3", "100%"],
        "Ben Baker": ["1/2", "0/1", "1/3", "33%"],
        "Cal Cole": ["0/2", "0/1", "0/3", "0%"],
    }


@pytest.fixture
def participation_item(course):
    component = GradeComponentFactory(course=course, name="Participation", weight=10)
    return GradeItemFactory(component=component, title="In-class polls", points_possible=10)


def test_scoring_a_participation_item_gives_each_student_their_rate_of_the_points(
    course, record, participation_item, instructor, as_instructor
):
    dee = new_student(course, "dee", first_name="Dee", last_name="Dunn")
    excused = score_set(
        item=participation_item, student=dee, points=None, excused=True, by=instructor
    )
    shown = page(as_instructor.get(url(course, "participation/")))
    assert f'<option value="{participation_item.pk}">Participation: In-class polls</option>' in (
        shown
    )

    response = as_instructor.post(
        url(course, "participation/score/"), {"item": participation_item.pk}, follow=True
    )
    assert alerts(response) == [
        "“In-class polls” scored from poll participation: 3 score(s) changed."
    ]
    scores = {
        s.student.username: s.points
        for s in Score.objects.filter(item=participation_item).select_related("student")
    }
    assert scores == {
        "ann": Decimal("10.00"),
        "ben": Decimal("3.33"),
        "cal": Decimal("0.00"),
        "dee": None,
    }
    dee_score = Score.objects.get(pk=excused.pk)
    assert dee_score.excused is True
    assert dee_score.history.count() == 1
    for who in ("ann", "ben", "cal"):
        latest = Score.objects.get(item=participation_item, student=record[who]).history.latest()
        assert latest.history_user == instructor
        assert latest.history_change_reason.startswith("From poll participation")
        assert latest.history_change_reason == "From poll participation (3 polls held)"


def test_scoring_again_after_another_poll_updates_the_scores(
    course, record, participation_item, instructor, as_instructor
):
    score_path = url(course, "participation/score/")
    as_instructor.post(score_path, {"item": participation_item.pk}, follow=True)
    p4 = new_poll(course, question="P4?")
    answer(p4, record["ben"], "Yes")
    response = as_instructor.post(score_path, {"item": participation_item.pk}, follow=True)
    # Ann 3/4 (7.50), Ben 2/4 (5.00), Cal 0/4 unchanged.
    assert alerts(response) == [
        "“In-class polls” scored from poll participation: 2 score(s) changed."
    ]
    scores = dict(
        Score.objects.filter(item=participation_item).values_list("student__username", "points")
    )
    assert scores == {"ann": Decimal("7.50"), "ben": Decimal("5.00"), "cal": Decimal("0.00")}


def test_with_no_poll_held_scoring_says_so_and_writes_nothing(
    course, participation_item, student, as_instructor
):
    new_poll(course, state="draft")
    response = as_instructor.post(
        url(course, "participation/score/"), {"item": participation_item.pk}, follow=True
    )
    assert alerts(response) == ["No poll has been held yet, so there is nothing to score from."]
    assert not Score.objects.exists()


def test_an_item_of_another_course_cannot_be_scored_from_this_record(course, record, as_instructor):
    foreign = GradeItemFactory()
    response = as_instructor.post(url(course, "participation/score/"), {"item": foreign.pk})
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_students_cannot_see_the_record_or_score_from_it(
    course, record, participation_item, as_student
):
    assert as_student.get(url(course, "participation/")).status_code == 403
    response = as_student.post(url(course, "participation/score/"), {"item": participation_item.pk})
    assert response.status_code == 403
    assert not Score.objects.exists()


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


@pytest.mark.parametrize("item", ["abc", "1.5", "1e5", "", "99999999999999999999"])
def test_scoring_participation_with_an_item_that_is_not_one_is_a_404_and_scores_nothing(
    course, as_instructor, participation_item, item
):
    response = as_instructor.post(url(course, "participation/score/"), {"item": item})
    assert response.status_code == 404
    assert not Score.objects.exists()
