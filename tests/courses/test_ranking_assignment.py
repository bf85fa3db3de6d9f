"""The instructor's assignment runs: running the assignment on the rankings,
previewing it, and adjusting a draft by hand."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from courses.domain import assignment
from courses.models import AssignmentRun, PresentationSignup
from tests.courses.ranking_helpers import (
    adjust,
    alerts,
    close_rankings,
    placements,
    ranks,
    run_url,
    section,
    text,
    url,
)
from tests.factories import CourseFactory, ReadingFactory, new_paper

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- helpers


def table_rows(fragment: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", fragment.split("<tbody>", 1)[-1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([text(c.replace("<br>", " / ")) for c in cells])
    return rows


def by_student(response) -> dict[str, str]:
    return dict(table_rows(section(response, "students-heading")))


# ---------------------------------------------------------------- running the assignment


class TestRunningTheAssignment:
    def test_it_is_refused_while_rankings_are_open(self, as_instructor, ranked, papers, student):
        ranks(ranked, student, papers[0], papers[1])

        response = as_instructor.post(url(ranked, "assignment"), follow=True)

        assert alerts(response) == [
            "Run the assignment once sign-ups have closed, so every ranking is in."
        ]
        assert "Rankings are still open: run the assignment once they close." in text(
            response.content.decode()
        )
        assert not AssignmentRun.objects.exists()

    def test_it_is_refused_in_first_come_mode(self, as_instructor, course, student):
        new_paper(course, title="Attention")
        close_rankings(course)

        response = as_instructor.post(url(course, "assignment"), follow=True)

        assert alerts(response) == [
            "This course uses first-come sign-ups; there is nothing to assign."
        ]
        assert "This course uses first-come sign-ups." in text(response.content.decode())
        assert not AssignmentRun.objects.exists()

    def test_after_closing_it_runs_and_shows_the_preview(
        self, as_instructor, everyone_ranked, student, instructor
    ):
        response = as_instructor.post(url(everyone_ranked, "assignment"), {"seed": "5"})

        run = AssignmentRun.objects.get()
        assert response.status_code == 302
        assert response["Location"] == run_url(run)
        assert run.seed == 5
        assert run.created_by == instructor
        assert run.result["adjusted"] is False
        assert run.published_at is None

        response = as_instructor.get(run_url(run))
        assert alerts(response)[0].startswith("Solved in ")
        assert by_student(response) == {
            student.get_full_name(): "Feb 10: Batch Norm rank 2",
            "Bob Brown": "Feb 17: Capsules rank 2",
            "Carol Clark": "Feb 3: Attention rank 1",
        }
        optimal = section(response, "optimal-heading")
        assert "Mean rank 1.67, worst 2." in text(optimal)
        assert table_rows(optimal) == [["1", "1"], ["2", "2"]]
        assert "Seed 5" in text(response.content.decode())
        assert not PresentationSignup.objects.exists()

    def test_the_preview_compares_with_first_come_on_the_same_rankings(
        self, as_instructor, everyone_ranked, student, bob, carol
    ):
        # A seed in which Carol is not first at the board: whoever is first takes
        # Attention, the only paper Carol ranked, and the other gets rank 2.
        people = [SimpleNamespace(id=u.pk) for u in (student, bob, carol)]
        seed = next(s for s in range(1, 100) if assignment.arrival_order(people, s)[0] != carol.pk)

        as_instructor.post(url(everyone_ranked, "assignment"), {"seed": seed})
        response = as_instructor.get(run_url(AssignmentRun.objects.get()))

        first_come = text(section(response, "fcfs-heading"))
        assert "First come, first served, same rankings" in first_come
        assert "Mean rank 1.50, worst 2; 1 student left short." in first_come
        assert table_rows(section(response, "fcfs-heading")) == [["1", "1"], ["2", "1"]]
        assert "Mean rank 1.67, worst 2." in text(section(response, "optimal-heading"))

    def test_the_same_seed_gives_the_same_placements(
        self, as_instructor, ranked, papers, student, bob, carol
    ):
        # Alice and Bob rank the same two papers: either may get the first.
        ranks(ranked, student, papers[0], papers[1])
        ranks(ranked, bob, papers[0], papers[1])
        ranks(ranked, carol, papers[2], papers[3])
        close_rankings(ranked)

        first = as_instructor.post(url(ranked, "assignment"), {"seed": "5"})
        again = as_instructor.post(url(ranked, "assignment"), {"seed": "5"})

        one, two = AssignmentRun.objects.order_by("pk")
        assert first["Location"] == run_url(one)
        assert again["Location"] == run_url(two)
        assert one.result == two.result
        assert by_student(as_instructor.get(run_url(one))) == by_student(
            as_instructor.get(run_url(two))
        )

    def test_without_a_seed_one_is_chosen_and_shown(self, as_instructor, two_ranked):
        as_instructor.post(url(two_ranked, "assignment"), {"seed": ""})

        run = AssignmentRun.objects.get()
        assert run.seed >= 1
        assert f"Seed {run.seed}" in text(as_instructor.get(run_url(run)).content.decode())

    def test_the_assign_page_lists_students_who_ranked_too_few(
        self, as_instructor, everyone_ranked, student
    ):
        response = as_instructor.get(url(everyone_ranked, "assignment"))

        below = text(section(response, "below-heading"))
        assert "Ranked fewer than 2 papers (1)" in below
        assert "Carol Clark" in below
        assert "Bob Brown" not in below
        assert student.get_full_name() not in below
        assert "3 students." in text(response.content.decode())
        assert "Sign-ups closed on " in text(response.content.decode())

    def test_the_assign_page_lists_the_runs(self, as_instructor, draft):
        response = as_instructor.get(url(draft.course, "assignment"))

        assert run_url(draft) in response.content.decode()
        assert "seed 5" in text(response.content.decode())

    def test_an_impossible_course_is_explained_and_no_run_is_kept(
        self, as_instructor, ranked, student, bob, carol
    ):
        only = new_paper(ranked, title="Attention", capacity=1)
        for person in (student, bob, carol):
            ranks(ranked, person, only)
        close_rankings(ranked)

        response = as_instructor.post(url(ranked, "assignment"), {"seed": "5"}, follow=True)

        assert response.redirect_chain == [(url(ranked, "assignment"), 302)]
        [message] = alerts(response)
        assert message.startswith("No assignment is possible:")
        assert "for 3 students who each need 1: 2 short." in message
        assert not AssignmentRun.objects.exists()

    def test_a_course_without_students_is_explained(self, as_instructor, ranked, papers):
        close_rankings(ranked)

        response = as_instructor.post(url(ranked, "assignment"), follow=True)

        assert alerts(response) == ["The course has no students yet."]
        assert not AssignmentRun.objects.exists()

    def test_a_negative_seed_is_answered_with_a_message(self, as_instructor, two_ranked):
        response = as_instructor.post(url(two_ranked, "assignment"), {"seed": "-5"}, follow=True)

        assert response.status_code == 200
        assert len(alerts(response)) == 1
        assert AssignmentRun.objects.count() <= 1


# ---------------------------------------------------------------- adjusting by hand


class TestAdjusting:
    def test_the_draft_gives_each_their_first_choice(self, draft, student, bob, papers):
        assert placements(draft) == {(student.pk, papers[0].pk, 1), (bob.pk, papers[2].pk, 1)}

    def test_a_change_that_keeps_the_rules_is_saved_and_shown(
        self, as_instructor, draft, student, papers
    ):
        response = adjust(as_instructor, draft, student, remove=papers[0], add=papers[1])

        assert alerts(response) == ["Changed. The preview below is up to date."]
        draft.refresh_from_db()
        assert draft.result["adjusted"] is True
        assert (student.pk, papers[1].pk, 2) in placements(draft)
        assert (student.pk, papers[0].pk, 1) not in placements(draft)
        assert "adjusted by hand" in text(response.content.decode())
        assert by_student(response)[student.get_full_name()] == "Feb 10: Batch Norm rank 2"

    def test_giving_an_unranked_paper_is_flagged(self, as_instructor, draft, student, papers):
        response = adjust(as_instructor, draft, student, remove=papers[0], add=papers[3])

        assert by_student(response)[student.get_full_name()] == "Feb 24: Dropout not ranked"
        assert "1 unranked" in text(section(response, "optimal-heading"))
        assert table_rows(section(response, "optimal-heading"))[-1] == ["not ranked", "1"]

    @pytest.mark.parametrize(
        ("change", "reason"),
        [
            ("same session", "in the same session"),
            ("over capacity", "presenters but only 1 seat."),
            ("below the minimum", "has 0 papers but needs at least 1."),
            ("unknown paper", "which is not offered."),
        ],
    )
    def test_a_change_that_breaks_a_rule_is_refused_with_the_reason(
        self, as_instructor, draft, student, papers, change, reason
    ):
        second_in_session = ReadingFactory(
            session=papers[0].session, title="Attention, again", presentable=True
        )
        kwargs = {
            "same session": {"add": second_in_session},
            "over capacity": {"add": papers[2]},
            "below the minimum": {"remove": papers[0]},
            "unknown paper": {"add": new_paper(CourseFactory(), title="Elsewhere")},
        }[change]
        before = draft.result

        response = adjust(as_instructor, draft, student, **kwargs)

        [message] = alerts(response)
        assert message.startswith("Not changed: ")
        assert reason in message
        draft.refresh_from_db()
        assert draft.result == before
        assert "adjusted by hand" not in text(response.content.decode())

    def test_a_student_outside_the_course_cannot_be_given_a_paper(
        self, as_instructor, draft, outsider, papers
    ):
        before = draft.result

        response = adjust(as_instructor, draft, outsider, add=papers[3])

        assert alerts(response) == ["That student is not in this course."]
        draft.refresh_from_db()
        assert draft.result == before

    def test_no_student_chosen_is_answered_with_a_message(self, as_instructor, draft):
        response = as_instructor.post(run_url(draft), {"action": "adjust"}, follow=True)

        assert alerts(response) == ["Choose a student."]

    def test_a_refusal_names_the_student_and_paper_as_the_preview_shows_them(
        self, as_instructor, draft, student, papers
    ):
        response = adjust(as_instructor, draft, student, add=papers[2])

        [message] = alerts(response)
        assert "Capsules" in message
        assert f"Student {student.pk} " not in message
