"""Publishing an assignment, the board in ranked mode, the assign_papers command,
and rankings the course changed under."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from courses.models import AssignmentRun, Blackout, PresentationSignup
from courses.services import ranking, signups
from tests.courses.ranking_helpers import (
    adjust,
    alerts,
    rank_url,
    ranks,
    run_url,
    section,
    step,
    stored_ranking,
    text,
    url,
)

pytestmark = pytest.mark.django_db


def confirmed(course) -> set[tuple[str, str]]:
    return {
        (s.student.username, s.reading.title)
        for s in PresentationSignup.objects.of_course(course).confirmed()
    }


# ---------------------------------------------------------------- publishing


class TestPublishing:
    def test_publishing_creates_the_sign_ups_and_the_board_and_schedule_show_them(
        self, as_instructor, as_student, draft, student, bob, papers
    ):
        response = as_instructor.post(run_url(draft), {"action": "publish"}, follow=True)

        assert response.redirect_chain == [(url(draft.course, "papers"), 302)]
        assert alerts(response) == ["Published: 2 presentation(s) on the board."]
        assert confirmed(draft.course) == {("alice", "Attention"), ("bob", "Capsules")}
        draft.refresh_from_db()
        assert draft.published_at is not None
        board = text(response.content.decode())
        assert f"Presenting: {student.get_full_name()}." in board
        assert "Presenting: Bob Brown." in board

        schedule = text(as_student.get(url(draft.course, "schedule")).content.decode())
        assert f"Presented by {student.get_full_name()}" in schedule
        assert "Presented by Bob Brown" in schedule

    def test_the_student_then_sees_what_they_present_on_the_rank_page(
        self, as_instructor, as_student, draft
    ):
        assert "You present" not in as_student.get(rank_url(draft.course)).content.decode()

        as_instructor.post(run_url(draft), {"action": "publish"})

        response = as_student.get(rank_url(draft.course))
        assigned = text(section(response, "assigned-heading"))
        assert assigned == "You present Tue, Feb 3: Attention"

    def test_the_published_preview_says_so_and_offers_no_more_changes(self, as_instructor, draft):
        as_instructor.post(run_url(draft), {"action": "publish"}, follow=True)

        page = as_instructor.get(run_url(draft)).content.decode()
        assert "published" in text(page)
        assert 'value="adjust"' not in page
        assert 'value="publish"' not in page
        assert "published" in text(
            as_instructor.get(url(draft.course, "assignment")).content.decode()
        )

    def test_when_one_sign_up_cannot_be_made_none_is(
        self, as_instructor, draft, student, bob, papers
    ):
        # Meanwhile, staff put Alice on Bob's paper from the admin: it is full.
        assert student.pk < bob.pk  # Alice's placement is made first, then undone
        signups.signup_assign(reading=papers[2], student=student)

        response = as_instructor.post(run_url(draft), {"action": "publish"}, follow=True)

        assert alerts(response) == ["Not published: “Capsules” has no free seat left."]
        assert response.redirect_chain == [(run_url(draft), 302)]
        assert confirmed(draft.course) == {("alice", "Capsules")}
        draft.refresh_from_db()
        assert draft.published_at is None

    def test_publishing_twice_is_refused(self, as_instructor, draft):
        as_instructor.post(run_url(draft), {"action": "publish"}, follow=True)
        published_at = AssignmentRun.objects.get().published_at

        response = as_instructor.post(run_url(draft), {"action": "publish"}, follow=True)

        assert alerts(response) == ["This assignment is already published."]
        assert PresentationSignup.objects.count() == 2
        assert AssignmentRun.objects.get().published_at == published_at

    def test_a_published_run_cannot_be_adjusted(self, as_instructor, draft, student, papers):
        as_instructor.post(run_url(draft), {"action": "publish"}, follow=True)
        before = AssignmentRun.objects.get().result

        response = adjust(as_instructor, draft, student, remove=papers[0], add=papers[1])

        assert alerts(response) == [
            "This assignment is published; change sign-ups in the admin now."
        ]
        assert AssignmentRun.objects.get().result == before
        assert confirmed(draft.course) == {("alice", "Attention"), ("bob", "Capsules")}

    def test_a_second_run_cannot_be_published_over_the_first(
        self, as_instructor, draft, instructor
    ):
        ranking.assignment_publish(run=draft)
        second = ranking.assignment_run(course=draft.course, by=instructor, seed=6)

        response = as_instructor.post(run_url(second), {"action": "publish"}, follow=True)

        [message] = alerts(response)
        assert message.startswith("Not published: ")
        assert "already presenting" in message
        assert PresentationSignup.objects.count() == 2
        second.refresh_from_db()
        assert second.published_at is None


# ---------------------------------------------------------------- the board in ranked mode


class TestTheBoardInRankedMode:
    def test_the_board_has_no_sign_up_buttons_and_points_to_the_rank_page(
        self, as_student, ranked, papers
    ):
        page = as_student.get(url(ranked, "papers")).content.decode()

        assert "Papers in this course are assigned from everyone's rankings." in text(page)
        assert f'href="{rank_url(ranked)}"' in page
        assert not re.search(r"/papers/\d+/(signup|waitlist)/", page)
        assert "Attention" in page

    def test_the_board_points_the_instructor_to_the_assignment(self, as_instructor, ranked):
        page = as_instructor.get(url(ranked, "papers")).content.decode()

        assert f'href="{url(ranked, "assignment")}"' in page

    @pytest.mark.parametrize("action", ["signup", "waitlist"])
    def test_signing_up_on_the_board_is_refused(self, as_student, ranked, papers, action):
        response = as_student.post(
            url(ranked, f"paper_{action}", reading_id=papers[0].pk), follow=True
        )

        assert alerts(response) == [
            "Papers in this course are assigned from everyone's rankings: rank the papers "
            "you would like to present instead."
        ]
        assert not PresentationSignup.objects.exists()


# ---------------------------------------------------------------- from a terminal


class TestAssignPapersCommand:
    def test_it_prints_the_run(self, everyone_ranked):
        out = io.StringIO()

        call_command("assign_papers", "cis6200", "--seed", "5", stdout=out)

        run = AssignmentRun.objects.get()
        lines = out.getvalue().splitlines()
        assert lines[0].startswith(f"Run {run.pk}, seed 5: 3 presentations in ")
        assert lines[0].endswith("s; worst rank 2, mean 1.67, 0 not ranked.")
        assert lines[1] == f"Preview and publish it at {run_url(run)}"
        assert run.created_by is None
        assert not PresentationSignup.objects.exists()

    def test_the_same_seed_gives_the_same_run_as_the_page(self, as_instructor, everyone_ranked):
        call_command("assign_papers", "cis6200", "--seed", "5", stdout=io.StringIO())
        as_instructor.post(url(everyone_ranked, "assignment"), {"seed": "5"})

        terminal, page = AssignmentRun.objects.order_by("pk")
        assert terminal.result == page.result

    def test_publish_creates_the_sign_ups(self, everyone_ranked, instructor):
        out = io.StringIO()

        call_command(
            "assign_papers", "cis6200", "--seed", "5", "--publish", "--as-user", "prof", stdout=out
        )

        assert "Published 3 presentations." in out.getvalue()
        assert confirmed(everyone_ranked) == {
            ("alice", "Batch Norm"),
            ("bob", "Capsules"),
            ("carol", "Attention"),
        }
        run = AssignmentRun.objects.get()
        assert run.published_at is not None
        assert run.created_by == instructor

    def test_an_unknown_course_is_an_error(self, db):
        with pytest.raises(CommandError, match=re.escape("No course with the slug “nope”.")):
            call_command("assign_papers", "nope", stdout=io.StringIO())

    def test_an_unknown_user_is_an_error(self, everyone_ranked):
        with pytest.raises(CommandError, match=re.escape("No user “nobody”.")):
            call_command("assign_papers", "cis6200", "--as-user", "nobody", stdout=io.StringIO())
        assert not AssignmentRun.objects.exists()

    def test_an_open_window_is_an_error(self, ranked, papers, student):
        with pytest.raises(CommandError, match="once sign-ups have closed"):
            call_command("assign_papers", "cis6200", "--seed", "5", stdout=io.StringIO())
        assert not AssignmentRun.objects.exists()

    def test_a_negative_seed_is_a_command_error(self, everyone_ranked):
        with pytest.raises(CommandError):
            call_command("assign_papers", "cis6200", "--seed", "-5", stdout=io.StringIO())


# ---------------------------------------------------------------- rankings the course changed under


class TestRankingsAfterTheCourseChanges:
    def test_a_student_over_a_lowered_rank_max_can_still_remove_papers(
        self, as_student, ranked, papers, student
    ):
        ranks(ranked, student, papers[0], papers[1], papers[2])
        ranked.rank_min = 1
        ranked.rank_max = 1
        ranked.save()

        step(as_student, ranked, "remove", papers[2])

        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]

    def test_a_paper_withdrawn_from_presentation_does_not_block_saving_blackouts(
        self, as_student, ranked, papers, student
    ):
        ranks(ranked, student, papers[0], papers[1])
        papers[1].presentable = False
        papers[1].save()

        response = as_student.post(
            rank_url(ranked),
            {"action": "blackouts", "blackout": [papers[3].session_id]},
            follow=True,
        )

        assert alerts(response) == ["Saved the sessions you cannot present in."]
        assert Blackout.objects.filter(student=student).count() == 1
