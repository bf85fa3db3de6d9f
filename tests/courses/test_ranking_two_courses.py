"""Ranked preferences, blackouts and the assignment stay in their course: a
student's ranking in one course is never read, changed or assigned from in
the other (tests/two_courses.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.models import AssignmentRun, Course, PaperPreference, PresentationSignup
from courses.services import CourseError, ranking, signups

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(two_courses):
    """Both courses in ranked mode; A takes up to 3 papers in a ranking, B 2."""
    t = two_courses
    for course, rank_max in ((t.a, 3), (t.b, 2)):
        course.signup_mode = Course.SignupMode.RANKED
        course.rank_min = 1
        course.rank_max = rank_max
        course.save()
    return t


def ids(readings) -> list[int]:
    return [reading.pk for reading in readings]


def after_closing(course: Course) -> dt.datetime:
    return course.signup_closes_at + dt.timedelta(minutes=1)


def test_alice_has_a_ranking_and_blackouts_of_her_own_in_each_course(ranked):
    t = ranked
    a0, a1, a2 = t.a_papers
    b0, b1, _ = t.b_papers
    ranking.preferences_set(
        course=t.a,
        student=t.alice,
        reading_ids=[a2.pk, a0.pk],
        blackout_session_ids=[a1.session_id],
    )
    ranking.preferences_set(
        course=t.b, student=t.alice, reading_ids=[b1.pk], blackout_session_ids=[b0.session_id]
    )

    in_a, in_b = ranking.preferences_of(t.a, t.alice), ranking.preferences_of(t.b, t.alice)

    assert (ids(in_a[0]), in_a[1]) == ([a2.pk, a0.pk], {a1.session_id})
    assert (ids(in_b[0]), in_b[1]) == ([b1.pk], {b0.session_id})
    page = t.client(t.alice).get(t.url("courses:paper_rank", t.a)).content.decode()
    assert "A paper 3" in page
    assert "B paper" not in page


def test_a_paper_or_session_of_b_cannot_be_ranked_or_blacked_out_in_a(ranked):
    t = ranked
    ranking.preferences_set(course=t.a, student=t.alice, reading_ids=[t.a_papers[0].pk])

    with pytest.raises(CourseError, match="not a paper to present in this course"):
        ranking.preferences_set(
            course=t.a, student=t.alice, reading_ids=[t.a_papers[0].pk, t.b_papers[0].pk]
        )
    with pytest.raises(CourseError, match="not a session of this course"):
        ranking.preferences_set(
            course=t.a,
            student=t.alice,
            reading_ids=[t.a_papers[0].pk],
            blackout_session_ids=[t.b_papers[0].session_id],
        )

    response = t.client(t.alice).post(
        t.url("courses:paper_rank", t.a),
        {"action": "add", "reading": t.b_papers[1].pk},
        follow=True,
    )
    assert "That is not a paper to present in this course." in response.content.decode()
    assert list(PaperPreference.objects.values_list("course__code", "reading__title")) == [
        ("CIS6200", "A paper 1")
    ]


def test_a_ta_of_a_ranks_papers_in_b_only(ranked):
    t = ranked
    with pytest.raises(CourseError, match="Only students of this course rank its papers"):
        ranking.preferences_set(course=t.a, student=t.bob, reading_ids=[t.a_papers[0].pk])
    assert t.client(t.bob).get(t.url("courses:paper_rank", t.a)).status_code == 403

    ranking.preferences_set(course=t.b, student=t.bob, reading_ids=[t.b_papers[0].pk])

    assert ids(ranking.preferences_of(t.b, t.bob)[0]) == [t.b_papers[0].pk]


def test_each_assignment_reads_its_own_students_rankings_and_limits(ranked):
    t = ranked
    ranking.preferences_set(
        course=t.a,
        student=t.alice,
        reading_ids=ids(t.a_papers[:2]),
        blackout_session_ids=[t.a_papers[2].session_id],
    )
    ranking.preferences_set(
        course=t.b,
        student=t.alice,
        reading_ids=[t.b_papers[2].pk],
        blackout_session_ids=[t.b_papers[0].session_id],
    )

    a_students, a_papers, a_rules = ranking.assignment_inputs(t.a)
    b_students, b_papers, b_rules = ranking.assignment_inputs(t.b)

    a_alice = next(s for s in a_students if s.id == t.alice.pk)
    b_alice = next(s for s in b_students if s.id == t.alice.pk)
    assert {s.id for s in a_students} == {t.alice.pk, t.erin.pk}
    assert {s.id for s in b_students} == {t.alice.pk, t.bob.pk, t.carol.pk, t.frank.pk}
    assert (a_alice.ranking, a_alice.blackout) == (
        tuple(ids(t.a_papers[:2])),
        frozenset({t.a_papers[2].session_id}),
    )
    assert (b_alice.ranking, b_alice.blackout) == (
        (t.b_papers[2].pk,),
        frozenset({t.b_papers[0].session_id}),
    )
    assert {p.id for p in a_papers} == set(ids(t.a_papers))
    assert {p.id for p in b_papers} == set(ids(t.b_papers))
    assert (a_rules.max_per_student, a_rules.max_rank) == (2, 3)
    assert (b_rules.max_per_student, b_rules.max_rank) == (1, 2)


def test_publishing_as_assignment_leaves_b_as_it_was(ranked):
    t = ranked
    signups.signup_assign(reading=t.b_papers[0], student=t.alice)  # B's maximum of 1
    ranking.preferences_set(course=t.a, student=t.alice, reading_ids=[t.a_papers[1].pk])
    ranking.preferences_set(course=t.a, student=t.erin, reading_ids=[t.a_papers[0].pk])
    run = ranking.assignment_run(course=t.a, by=t.carol, seed=3, now=after_closing(t.a))

    assert ranking.assignment_publish(run=run) == 2

    assert set(
        PresentationSignup.objects.of_course(t.a).values_list("student__username", "reading__title")
    ) == {("alice", "A paper 2"), ("erin", "A paper 1")}
    assert list(
        PresentationSignup.objects.of_course(t.b).values_list(
            "student__username", "reading__title", "status"
        )
    ) == [("alice", "B paper 1", "confirmed")]


def test_a_paper_of_b_cannot_be_added_to_a_draft_of_a(ranked):
    t = ranked
    ranking.preferences_set(course=t.a, student=t.alice, reading_ids=[t.a_papers[1].pk])
    ranking.preferences_set(course=t.a, student=t.erin, reading_ids=[t.a_papers[0].pk])
    run = ranking.assignment_run(course=t.a, by=t.carol, seed=3, now=after_closing(t.a))

    with pytest.raises(CourseError, match="which is not offered"):
        ranking.assignment_adjust(run=run, student_id=t.alice.pk, add=t.b_papers[1].pk)
    with pytest.raises(CourseError, match="not in this course"):
        ranking.assignment_adjust(run=run, student_id=t.frank.pk, add=t.a_papers[2].pk)

    run.refresh_from_db()
    assert run.result["adjusted"] is False


def test_a_run_of_b_is_404_on_as_assignment_pages(ranked):
    t = ranked
    t.b_papers[0].presenter_capacity = 2  # a seat for each of B's four students
    t.b_papers[0].save()
    ranking.preferences_set(course=t.b, student=t.alice, reading_ids=[t.b_papers[0].pk])
    run = ranking.assignment_run(course=t.b, by=t.dan, seed=1, now=after_closing(t.b))
    client = t.client(t.carol)  # instructs A, a student of B

    assert client.get(t.url("courses:assignment_run", t.a, run.pk)).status_code == 404
    response = client.post(t.url("courses:assignment_run", t.a, run.pk), {"action": "publish"})
    assert response.status_code == 404
    assert client.get(t.url("courses:assignment_run", t.b, run.pk)).status_code == 403
    assert AssignmentRun.objects.get(pk=run.pk).published_at is None


def test_a_paper_moved_to_a_session_of_b_leaves_alices_a_ranking_and_she_can_still_change_it(
    ranked,
):
    t = ranked
    a0, a1, a2 = t.a_papers
    ranking.preferences_set(course=t.a, student=t.alice, reading_ids=[a0.pk, a1.pk])
    a1.session = t.b_papers[0].session  # the instructor of both moves it to B's schedule
    a1.save()

    assert ids(ranking.preferences_of(t.a, t.alice)[0]) == [a0.pk]
    ranking.preference_change(course=t.a, student=t.alice, reading_id=a2.pk, action="add")

    assert ids(ranking.preferences_of(t.a, t.alice)[0]) == [a0.pk, a2.pk]
