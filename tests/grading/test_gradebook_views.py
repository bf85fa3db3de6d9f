"""The gradebook pages: entering scores for one item, release and history, the
grid and the student's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grading.models import Score
from grading.services import item_release, score_set
from tests.conftest import logged_in
from tests.factories import GradeComponentFactory, GradeItemFactory, new_student
from tests.grading.gradebook_helpers import entry_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(components):
    """A gradebook item, in place of the hand-in tests' `item` from conftest.py."""
    return GradeItemFactory(component=components["responses"], title="Response 1")


def current_rows(client, course, item):
    """The form rows exactly as the page drew them."""
    response = client.get(url(course, f"gradebook/items/{item.pk}/"))
    formset = response.context["formset"]
    return [
        (form.initial["student"], form.initial["was"], form.initial["points"])
        for form in formset.forms
    ]


# --- entering scores for one item ------------------------------------------------------


def test_ta_enters_a_column_of_scores_in_one_save(course, item, ta, student, as_ta):
    bob = new_student(course, "bob", first_name="Bob", last_name="Ross")
    rows = {pk: was for pk, was, _ in current_rows(as_ta, course, item)}
    data = entry_data(
        [
            (student, rows[student.pk], "8.5", False, "Good summary."),
            (bob, rows[bob.pk], "EX", False, ""),
        ]
    )
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data, follow=True)
    assert "Saved 2 score(s)" in response.content.decode()
    alice_score = Score.objects.get(item=item, student=student)
    assert alice_score.points == Decimal("8.5")
    assert alice_score.comment == "Good summary."
    assert alice_score.graded_by == ta
    assert Score.objects.get(item=item, student=bob).excused
    assert alice_score.history.get().history_user == ta


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "is not a number"),
        ("-1", "cannot be negative"),
        ("20.01", "At most 20 points"),
        ("1.234", "at most two decimals"),
    ],
)
def test_one_bad_cell_saves_nothing_and_says_why_next_to_the_student(
    typed, message, course, item, ta, student, as_ta
):
    bob = new_student(course, "bob")
    rows = {pk: was for pk, was, _ in current_rows(as_ta, course, item)}
    data = entry_data(
        [(student, rows[student.pk], "9", False, ""), (bob, rows[bob.pk], typed, False, "")]
    )
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data)
    assert response.status_code == 200
    assert not Score.objects.exists()
    forms = response.context["formset"].forms
    assert not forms[0].errors
    assert message.lower() in " ".join(forms[1].errors["points"]).lower()
    assert "Nothing was saved" in response.content.decode()


def test_points_and_excused_together_are_refused(course, item, as_ta, student):
    rows = {pk: was for pk, was, _ in current_rows(as_ta, course, item)}
    data = entry_data([(student, rows[student.pk], "5", True, "")])
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data)
    assert "excused" in " ".join(response.context["formset"].forms[0].errors["points"])
    assert not Score.objects.exists()


def test_a_student_id_from_another_course_is_refused(course, item, as_ta, student, outsider):
    data = entry_data([(outsider, "|" + "e3b0c44298fc1c14", "5", False, "")])
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data)
    assert response.status_code == 200
    assert not Score.objects.exists()
    assert "no longer in the course" in response.content.decode()


def test_saving_a_stale_page_does_not_overwrite_another_graders_change(
    course, item, ta, instructor, student, as_ta
):
    bob = new_student(course, "bob")
    stale = {pk: was for pk, was, _ in current_rows(as_ta, course, item)}
    # Meanwhile the instructor grades both students.
    score_set(item=item, student=student, points=Decimal("7"), by=instructor)
    score_set(item=item, student=bob, points=Decimal("6"), by=instructor)

    # The TA's stale page changes only Bob; Alice's row is sent back as it was drawn.
    data = entry_data(
        [(student, stale[student.pk], "", False, ""), (bob, stale[bob.pk], "9", False, "")]
    )
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data)
    assert "changed this score while you were editing (now 6)" in response.content.decode()
    assert Score.objects.get(item=item, student=student).points == Decimal("7")
    assert Score.objects.get(item=item, student=bob).points == Decimal("6")

    # Saving the re-drawn form confirms the TA's 9 for Bob and still leaves Alice alone.
    forms = response.context["formset"].forms
    again = entry_data(
        [
            (student, forms[0]["was"].value(), "", False, ""),
            (bob, forms[1]["was"].value(), "9", False, ""),
        ]
    )
    as_ta.post(url(course, f"gradebook/items/{item.pk}/"), again)
    assert Score.objects.get(item=item, student=bob).points == Decimal("9")
    assert Score.objects.get(item=item, student=student).points == Decimal("7")


def test_unchanged_rows_are_not_rewritten(course, item, ta, student, as_ta):
    score_set(item=item, student=student, points=Decimal("7"), by=ta)
    rows = current_rows(as_ta, course, item)
    data = entry_data([(student, rows[0][1], rows[0][2], False, "")])
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data, follow=True)
    assert "Nothing to save" in response.content.decode()
    assert Score.objects.get().history.count() == 1


def test_entry_page_lists_every_student_with_labelled_inputs(course, item, as_ta, student):
    new_student(course, "bob", first_name="Bob", last_name="Ross")
    html = as_ta.get(url(course, f"gradebook/items/{item.pk}/")).content.decode()
    assert "Points for Bob Ross" in html
    assert 'inputmode="decimal"' in html
    assert "Save scores" in html


# --- release, history ------------------------------------------------------------------


def test_release_then_unrelease_is_recorded_with_who_did_it(course, item, ta, as_ta):
    as_ta.post(url(course, f"gradebook/items/{item.pk}/release/"), {"released": "1"})
    item.refresh_from_db()
    assert item.released
    as_ta.post(url(course, f"gradebook/items/{item.pk}/release/"), {"released": "0"})
    item.refresh_from_db()
    assert not item.released
    reasons = list(item.history.order_by("history_date").values_list("history_change_reason"))
    assert reasons[-2:] == [("released",), ("unreleased",)]
    assert {h.history_user for h in item.history.all()[:2]} == {ta}


def test_history_page_shows_each_change_from_old_to_new(course, item, ta, instructor, student):
    score_set(item=item, student=student, points=Decimal("6"), by=ta)
    score = score_set(item=item, student=student, points=Decimal("8"), by=instructor)
    score_set(item=item, student=student, points=None, excused=True, by=ta, reason="Doctor's note")
    page = logged_in(ta).get(url(course, f"gradebook/scores/{score.pk}/history/"))
    html = page.content.decode()
    assert "Created: 6" in html
    assert "6 → 8" in html
    assert "8 → EX" in html
    assert "Doctor&#x27;s note" in html
    assert instructor.username in html or instructor.get_full_name() in html


# --- the grid and the student's page -----------------------------------------------------


def test_gradebook_grid_shows_scores_totals_and_letters(course, item, project, ta, student, as_ta):
    score_set(item=item, student=student, points=Decimal("9"), by=ta)
    score_set(item=project, student=student, points=Decimal("45"), by=ta)
    page = as_ta.get(url(course, "gradebook/"))
    row = page.context["rows"][0]
    assert row.cells == ["9", "45"]
    # (20 x 90 + 25 x 75) / 45 = 81.666... -> 81.67, a B-
    assert row.current == "81.67"
    assert row.current_letter == "B-"
    assert f'href="/courses/{course.slug}/gradebook/items/{item.pk}/"' in page.content.decode()


def test_projected_counts_past_due_missing_work_as_zero(course, components, ta, student, as_ta):
    done = GradeItemFactory(component=components["responses"], title="Done")
    GradeItemFactory(
        component=components["responses"],
        title="Missed",
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    score_set(item=done, student=student, points=Decimal("10"), by=ta)
    row = as_ta.get(url(course, "gradebook/")).context["rows"][0]
    assert (row.current, row.projected) == ("100.00", "50.00")


def test_student_sees_only_released_scores_with_the_explanation(
    course, item, project, ta, student, as_student
):
    score_set(item=item, student=student, points=Decimal("9"), comment="Sharp.", by=ta)
    score_set(item=project, student=student, points=Decimal("30"), comment="Hidden", by=ta)
    item_release(item=item, released=True, by=ta)
    page = as_student.get(url(course, "grades/"))
    html = page.content.decode()
    assert "9 / 10" in html
    assert "Sharp." in html
    assert "30 / 60" not in html
    assert "Hidden" not in html
    assert "Not released yet" in html
    # Only Reading Responses counts, so its weight is scaled to all of the total.
    assert page.context["current"].percentage == "90.00"
    assert "Reading Responses 20 / 20 = 100.00%" in html
    assert "A-" in html


def test_staff_can_see_a_students_page_both_ways(course, item, project, ta, student, as_ta):
    score_set(item=item, student=student, points=Decimal("9"), by=ta)
    score_set(item=project, student=student, points=Decimal("30"), by=ta)
    item_release(item=item, released=True, by=ta)
    everything = as_ta.get(url(course, f"gradebook/students/{student.pk}/"))
    as_student = as_ta.get(url(course, f"gradebook/students/{student.pk}/?view=student"))
    assert "30 / 60" in everything.content.decode()
    assert "30 / 60" not in as_student.content.decode()
    assert everything.context["current"].percentage != as_student.context["current"].percentage


def test_dropped_items_are_marked_on_the_students_page(course, ta, student, as_student):
    component = GradeComponentFactory(course=course, name="Quizzes", weight=10, drop_lowest=1)
    low = GradeItemFactory(component=component, title="Quiz 1", released=True)
    high = GradeItemFactory(component=component, title="Quiz 2", released=True)
    score_set(item=low, student=student, points=Decimal("2"), by=ta)
    score_set(item=high, student=student, points=Decimal("10"), by=ta)
    html = as_student.get(url(course, "grades/")).content.decode()
    assert "Dropped: Quiz 1 (2/10)" in html
    assert ">Dropped<" in html


def test_a_tampered_form_with_rows_beyond_the_initial_ones_is_refused_not_a_crash(
    course, item, as_ta
):
    data = {"scores-TOTAL_FORMS": "1", "scores-INITIAL_FORMS": "0"}
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Score.objects.exists()


def test_a_row_with_a_broken_student_id_says_so(course, item, as_ta, student):
    data = entry_data([(student, "|x", "5", False, "")])
    data["scores-0-student"] = "not-a-number"
    response = as_ta.post(url(course, f"gradebook/items/{item.pk}/"), data)
    assert "This row does not name a student of the course." in response.content.decode()
    assert not Score.objects.exists()


def test_poll_participation_shows_beside_the_participation_component(
    course, ta, student, as_ta, as_student
):
    from courses.services import polls

    GradeComponentFactory(course=course, name="Reading Responses", weight=20, order=1)
    GradeComponentFactory(
        course=course, name="Class Participation", weight=15, order=2, is_participation=True
    )
    GradeComponentFactory(course=course, name="Final Project", weight=25, order=3)
    new_student(course, "bob")  # answers nothing
    for question in ("First?", "Second?"):
        poll = polls.poll_create(course=course, question=question, kind="single", choices="AB")
        polls.poll_state_set(poll=poll, state="open")
        polls.poll_answer(poll=poll, student=student, choice_ids=[poll.choices.first().pk])
    polls.poll_create(course=course, question="Draft?", kind="text")  # not held: not counted

    page = as_ta.get(url(course, "gradebook/"))
    headers = [name for name, _ in page.context["component_headers"]]
    assert headers == [
        "Reading Responses",
        "Class Participation",
        "Polls answered",
        "Final Project",
    ]
    by_name = {row.student.username: row.components[2] for row in page.context["rows"]}
    assert by_name == {"alice": "2/2", "bob": "0/2"}

    mine = as_student.get(url(course, "grades/")).content.decode()
    assert "In-class polls answered: 2 of 2 held (100%)" in mine
