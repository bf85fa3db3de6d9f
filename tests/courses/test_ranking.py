"""Ranked paper preferences: a student builds a ranking on the ranking page, and
what the page refuses."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from courses.models import Blackout, PaperPreference
from courses.services import CourseError, ranking
from tests.courses.ranking_helpers import (
    alerts,
    page_ranking,
    rank_url,
    ranks,
    section,
    step,
    stored_ranking,
    text,
)
from tests.factories import CourseFactory, ReadingFactory, new_paper

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the student's ranking


class TestBuildingARanking:
    def test_a_student_adds_moves_and_removes_papers_and_the_page_follows(
        self, as_student, ranked, papers, student
    ):
        attention, batch_norm, capsules, _ = papers
        for paper in (attention, batch_norm, capsules):
            response = step(as_student, ranked, "add", paper)
            assert alerts(response) == ["Your ranking is saved."]
        assert page_ranking(response) == ["Attention", "Batch Norm", "Capsules"]

        response = step(as_student, ranked, "up", capsules)
        assert page_ranking(response) == ["Attention", "Capsules", "Batch Norm"]
        response = step(as_student, ranked, "down", attention)

        assert stored_ranking(ranked, student) == ["Capsules", "Attention", "Batch Norm"]
        assert page_ranking(response) == ["Capsules", "Attention", "Batch Norm"]
        assert list(
            PaperPreference.objects.filter(student=student)
            .order_by("rank")
            .values_list("rank", flat=True)
        ) == [1, 2, 3]

        response = step(as_student, ranked, "remove", capsules)

        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]
        assert page_ranking(response) == ["Attention", "Batch Norm"]
        assert "Capsules" in text(section(response, "papers-heading"))
        assert "Your ranking (2 of at least 2)" in text(response.content.decode())

    def test_moving_the_first_paper_up_or_the_last_down_changes_nothing(
        self, as_student, ranked, papers, student
    ):
        ranks(ranked, student, papers[0], papers[1])

        step(as_student, ranked, "up", papers[0])
        step(as_student, ranked, "down", papers[1])

        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]

    def test_the_page_goes_back_to_the_paper_just_moved(self, as_student, ranked, papers):
        response = as_student.post(rank_url(ranked), {"action": "add", "reading": papers[2].pk})

        assert response.status_code == 302
        assert response["Location"] == f"{rank_url(ranked)}#paper-{papers[2].pk}"

    def test_blackout_sessions_are_saved_shown_and_cleared(
        self, as_student, ranked, papers, student
    ):
        ranks(ranked, student, papers[0], papers[1])
        sessions = [papers[1].session_id, papers[3].session_id]

        response = as_student.post(
            rank_url(ranked), {"action": "blackouts", "blackout": sessions}, follow=True
        )

        assert alerts(response) == ["Saved the sessions you cannot present in."]
        assert {
            b.session_id for b in Blackout.objects.filter(course=ranked, student=student)
        } == set(sessions)
        checked = re.findall(r'value="(\d+)" id="blackout-\d+" checked', response.content.decode())
        assert sorted(map(int, checked)) == sorted(sessions)
        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]

        as_student.post(rank_url(ranked), {"action": "blackouts"})

        assert not Blackout.objects.filter(student=student).exists()
        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]

    def test_a_session_of_another_course_cannot_be_blacked_out(
        self, as_student, ranked, papers, student
    ):
        elsewhere = new_paper(CourseFactory(), title="Elsewhere")

        response = as_student.post(
            rank_url(ranked),
            {"action": "blackouts", "blackout": [papers[0].session_id, elsewhere.session_id]},
            follow=True,
        )

        assert alerts(response) == ["That is not a session of this course."]
        assert not Blackout.objects.exists()

    def test_the_page_asks_for_at_least_rank_min_and_says_when_rankings_close(
        self, as_student, ranked, papers
    ):
        page = text(as_student.get(rank_url(ranked)).content.decode())

        assert "Rank at least 2 and at most 3 papers, best first." in page
        assert "Your ranking (0 of at least 2)" in page
        assert "You have not ranked any paper yet." in page
        assert "Rankings close" in page


class TestRankingRefusals:
    def test_a_paper_past_rank_max_is_refused_and_no_add_button_is_left(
        self, as_student, ranked, papers, student
    ):
        ranks(ranked, student, *papers[:3])
        page = as_student.get(rank_url(ranked)).content.decode()
        assert 'value="add"' not in page

        response = step(as_student, ranked, "add", papers[3])

        assert alerts(response) == ["Rank at most 3 papers."]
        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm", "Capsules"]

    @pytest.mark.parametrize("which", ["unknown", "not presentable", "other course"])
    def test_a_paper_that_is_not_on_offer_here_is_refused(
        self, as_student, ranked, papers, student, which
    ):
        ranks(ranked, student, papers[0])
        paper = {
            "unknown": lambda: 999_999,
            "not presentable": lambda: ReadingFactory(
                session=papers[1].session, title="Background reading", presentable=False
            ),
            "other course": lambda: new_paper(CourseFactory(), title="Someone else's paper"),
        }[which]()

        response = step(as_student, ranked, "add", paper)

        assert alerts(response) == ["That is not a paper to present in this course."]
        assert stored_ranking(ranked, student) == ["Attention"]

    def test_a_paper_is_ranked_only_once(self, as_student, ranked, papers, student):
        ranks(ranked, student, papers[0], papers[1])

        step(as_student, ranked, "add", papers[0])

        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]
        with pytest.raises(CourseError, match=re.escape("A paper can be ranked only once.")):
            ranking.preferences_set(
                course=ranked, student=student, reading_ids=[papers[2].pk, papers[2].pk]
            )
        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]

    @pytest.mark.parametrize("posted", [{"action": "add"}, {"action": "add", "reading": "x"}])
    def test_no_paper_chosen_is_answered_with_a_message(self, as_student, ranked, papers, posted):
        response = as_student.post(rank_url(ranked), posted, follow=True)

        assert alerts(response) == ["Choose a paper."]
        assert not PaperPreference.objects.exists()

    def test_an_unknown_action_is_answered_with_a_message(self, as_student, ranked, papers):
        response = step(as_student, ranked, "shuffle", papers[0])

        assert alerts(response) == ["Choose to add, remove, or move a paper."]
        assert not PaperPreference.objects.exists()

    def test_a_first_come_course_takes_no_rankings(self, as_student, course, student):
        paper = new_paper(course, title="Attention")

        response = step(as_student, course, "add", paper)

        assert alerts(response) == ["This course uses first-come sign-ups, not rankings."]
        assert not PaperPreference.objects.exists()
        assert "This course uses first-come sign-ups, not rankings." in text(
            response.content.decode()
        )
        assert 'value="add"' not in response.content.decode()

    @pytest.mark.parametrize(
        ("opens", "closes", "said"),
        [(1, 7, "Sign-ups open on "), (-10, -1, "Sign-ups closed on ")],
        ids=["before they open", "after they close"],
    )
    def test_outside_the_window_nothing_changes_and_the_page_says_why(
        self, as_student, ranked, papers, student, opens, closes, said
    ):
        ranks(ranked, student, papers[0], papers[1])
        Blackout.objects.create(course=ranked, student=student, session=papers[3].session)
        now = timezone.now()
        ranked.signup_opens_at = now + dt.timedelta(days=opens)
        ranked.signup_closes_at = now + dt.timedelta(days=closes)
        ranked.save()

        for action, paper in [("add", papers[2]), ("up", papers[1]), ("remove", papers[0])]:
            response = step(as_student, ranked, action, paper)
            assert len(alerts(response)) == 1
            assert alerts(response)[0].startswith(said)
        response = as_student.post(
            rank_url(ranked), {"action": "blackouts", "blackout": []}, follow=True
        )

        assert alerts(response)[0].startswith(said)
        assert stored_ranking(ranked, student) == ["Attention", "Batch Norm"]
        assert Blackout.objects.filter(student=student).count() == 1
        assert page_ranking(response) == ["Attention", "Batch Norm"]
        page = response.content.decode()
        assert said in text(page)
        assert "<form" not in section(response, "ranking-heading")
        assert "papers-heading" not in page
        assert "blackout-heading" not in page

    def test_only_students_of_the_course_rank_its_papers(self, ranked, papers, ta):
        with pytest.raises(
            CourseError, match=re.escape("Only students of this course rank its papers.")
        ):
            ranking.preferences_set(course=ranked, student=ta, reading_ids=[papers[0].pk])
        assert not PaperPreference.objects.exists()
