"""Who sees a poll's counts: never, after closing or live, as the poll says, and
an anonymous poll never shows who answered, not even to staff."""

from __future__ import annotations

import csv
import io
import re

import pytest

from courses.models import Poll
from courses.services import polls
from tests.courses.polls_helpers import answer, choice, new_poll, page, poll_url, url
from tests.factories import new_student

pytestmark = pytest.mark.django_db

NEVER_SHOWN = "The results of this poll are not shown to students."
AFTER_CLOSE = "Results appear once the poll is closed."


def answer_count(shown: str) -> int | None:
    """The "N of M students answered" count on a poll page, or None when not shown."""
    found = re.search(r'data-testid="answer-count"[^>]*>(\d+)</span>', shown)
    return int(found.group(1)) if found else None


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


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
