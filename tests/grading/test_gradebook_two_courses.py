"""Scores, the gradebook and the grade page stay in their course
(tests/two_courses.py): a score is only ever a student's of the item's course,
each gradebook and grade page reads its own course's items, scores and letter
scale, and a role in one course opens nothing in the other."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading.models import Score
from grading.selectors import gradebook as selectors
from grading.services import GradingError, ScoreChange, score_set, scores_set

pytestmark = pytest.mark.django_db


def points_of(item, student) -> Decimal | None:
    score = Score.objects.filter(item=item, student=student).first()
    return score.points if score else None


@pytest.fixture
def scored(two_courses):
    """Alice has 9.1 on A's Response 1 and 3 on B's; Frank 8 on B's."""
    t = two_courses
    score_set(item=t.a_item, student=t.alice, points=Decimal("9.1"), by=t.bob)
    score_set(item=t.b_item, student=t.alice, points=Decimal("3"), by=t.dan)
    score_set(item=t.b_item, student=t.frank, points=Decimal("8"), by=t.dan)
    return t


@pytest.mark.parametrize("who", ["bob", "carol", "frank"])
def test_only_a_student_of_the_items_course_gets_a_score(two_courses, who):
    t = two_courses
    person = getattr(t, who)

    with pytest.raises(GradingError, match="is not a student in this course"):
        score_set(item=t.a_item, student=person, points=Decimal("7"), by=t.carol)

    assert not t.a_item.scores.exists()


def test_a_ta_of_a_is_scored_as_a_student_in_b(two_courses):
    t = two_courses
    score_set(item=t.b_item, student=t.bob, points=Decimal("6"), by=t.dan)
    assert points_of(t.b_item, t.bob) == Decimal("6")


def test_one_save_never_spans_two_courses(two_courses):
    t = two_courses
    with pytest.raises(GradingError, match="one course at a time"):
        scores_set(
            changes=[
                ScoreChange(t.a_item, t.alice, Decimal("5")),
                ScoreChange(t.b_item, t.alice, Decimal("5")),
            ],
            by=t.carol,
        )
    assert not Score.objects.exists()


def test_as_gradebook_holds_as_students_items_and_scores(scored):
    t = scored
    book = selectors.gradebook(course=t.a)

    assert [row.student.username for row in book.students] == ["alice", "erin"]
    assert [item.pk for item in book.items] == [t.a_item.pk]
    assert [row.cells for row in book.students] == [["9.1"], [""]]
    page = t.client(t.bob).get(t.url("grading:gradebook", t.a)).content.decode()
    assert "Alice Archer" in page
    assert "Frank" not in page
    assert "Final report" not in page


def test_a_ta_of_a_who_is_a_student_of_b_sees_only_his_own_grades_in_b(scored):
    t = scored
    score_set(item=t.b_item, student=t.bob, points=Decimal("6"), by=t.dan)
    client = t.client(t.bob)

    assert client.get(t.url("grading:gradebook", t.b)).status_code == 403
    assert client.get(t.url("grading:gradebook_export", t.b)).status_code == 403
    assert client.get(t.url("grading:gradebook_import", t.b)).status_code == 403
    assert client.get(t.url("grading:item_scores", t.b, t.b_item.pk)).status_code == 403
    assert client.get(t.url("grading:student_grades", t.b, t.alice.pk)).status_code == 404
    alice_b = Score.objects.get(item=t.b_item, student=t.alice)
    assert client.get(t.url("grading:score_history", t.b, alice_b.pk)).status_code == 404
    mine = client.get(t.url("grading:my_grades", t.b))
    assert mine.context["student"] == t.bob
    assert mine.context["grades"].current.percentage == Decimal("60")
    # In A, where he is a TA, the same person reads Alice's grades.
    assert client.get(t.url("grading:student_grades", t.a, t.alice.pk)).status_code == 200


def test_a_student_of_b_only_has_no_grade_page_in_a(scored):
    t = scored
    client = t.client(t.carol)  # instructs A

    for who in (t.frank, t.bob, t.carol):
        assert client.get(t.url("grading:student_grades", t.a, who.pk)).status_code == 404
    assert t.client(t.frank).get(t.url("grading:my_grades", t.a)).status_code == 404


def test_each_grade_page_counts_its_own_courses_scores_with_its_own_letter_scale(scored):
    t = scored
    score_set(item=t.b_item, student=t.alice, points=Decimal("9.1"), by=t.dan)
    client = t.client(t.alice)

    in_a = client.get(t.url("grading:my_grades", t.a))
    in_b = client.get(t.url("grading:my_grades", t.b))

    assert (in_a.context["current"].percentage, in_a.context["grades"].current.letter) == (
        "91.00",
        "A-",
    )
    assert (in_b.context["current"].percentage, in_b.context["grades"].current.letter) == (
        "91.00",
        "A",
    )
    assert "so the letter is A-." in in_a.content.decode()
    assert "so the letter is A." in in_b.content.decode()


def test_as_grade_page_shows_none_of_bs_scores(scored):
    t = scored
    items, grades, _ = selectors.student_grades(course=t.a, student=t.alice, student_view=True)

    assert [item.pk for item in items] == [t.a_item.pk]
    assert {item_id: mark.points for item_id, mark in grades.marks.items()} == {
        t.a_item.pk: Decimal("9.1")
    }
    page = t.client(t.alice).get(t.url("grading:my_grades", t.a)).content.decode()
    assert "Final report" not in page


def test_an_item_or_score_of_b_is_404_on_as_pages_and_changes_nothing(scored):
    t = scored
    client = t.client(t.carol)
    t.b_item.released = False
    t.b_item.save()
    frank_b = Score.objects.get(item=t.b_item, student=t.frank)

    assert client.get(t.url("grading:item_scores", t.a, t.b_item.pk)).status_code == 404
    release = client.post(t.url("grading:item_release", t.a, t.b_item.pk), {"released": "1"})
    assert release.status_code == 404
    assert client.get(t.url("grading:score_history", t.a, frank_b.pk)).status_code == 404
    t.b_item.refresh_from_db()
    assert t.b_item.released is False


def test_as_score_form_refuses_a_row_for_a_student_of_b(scored):
    t = scored
    response = t.client(t.bob).post(
        t.url("grading:item_scores", t.a, t.a_item.pk),
        {
            "scores-TOTAL_FORMS": "1",
            "scores-INITIAL_FORMS": "1",
            "scores-0-student": str(t.frank.pk),
            "scores-0-was": "",
            "scores-0-points": "2",
            "scores-0-comment": "",
        },
    )

    assert response.status_code == 200
    assert "This student is no longer in the course." in response.content.decode()
    assert not t.a_item.scores.filter(student=t.frank).exists()
    assert points_of(t.b_item, t.frank) == Decimal("8")
