"""Ranked paper preferences: a student's ranking page, the instructor's
assignment runs (preview, adjust, publish), the board in ranked mode, and the
assign_papers command, as the people who use them see them."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.domain import assignment
from courses.models import (
    AssignmentRun,
    Blackout,
    Course,
    PaperPreference,
    PresentationSignup,
)
from courses.services import CourseError, ranking, signups
from tests.conftest import logged_in
from tests.factories import CourseFactory, MembershipFactory, ReadingFactory, new_paper, new_student

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- helpers


@pytest.fixture
def ranked(course):
    """The course in ranked mode: rank 2 to 3 papers, present 1 or 2."""
    course.signup_mode = Course.SignupMode.RANKED
    course.rank_min = 2
    course.rank_max = 3
    course.save()
    return course


def close_rankings(course) -> None:
    now = timezone.now()
    course.signup_opens_at = now - dt.timedelta(days=10)
    course.signup_closes_at = now - dt.timedelta(days=1)
    course.save()


def url(course, name: str, **kwargs) -> str:
    return reverse(f"courses:{name}", kwargs={"slug": course.slug, **kwargs})


def rank_url(course) -> str:
    return url(course, "paper_rank")


def run_url(run) -> str:
    return url(run.course, "assignment_run", run_id=run.pk)


def step(client, course, action: str, paper):
    """One button on the ranking page, followed back to the page."""
    pk = paper if isinstance(paper, int) else paper.pk
    return client.post(rank_url(course), {"action": action, "reading": pk}, follow=True)


def ranks(course, student, *papers) -> None:
    ranking.preferences_set(course=course, student=student, reading_ids=[p.pk for p in papers])


def stored_ranking(course, student) -> list[str]:
    return [
        p.reading.title
        for p in PaperPreference.objects.filter(course=course, student=student).order_by("rank")
    ]


INLINE_TAG = re.compile(r"</?(?:a|b|em|span|strong|time)\b[^>]*>")


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment, on one line."""
    plain = re.sub(r"<[^>]+>", " ", INLINE_TAG.sub("", fragment))
    return " ".join(html.unescape(plain).split())


def alerts(response) -> list[str]:
    found = re.findall(r'<div class="alert [^"]*">(.*?)</div>', response.content.decode(), re.S)
    return [text(found_one) for found_one in found]


def section(response, heading_id: str) -> str:
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no section {heading_id}"
    return match.group(1)


def page_ranking(response) -> list[str]:
    """The titles in the student's ranking on the page, best first."""
    match = re.search(r'<ol class="[^"]*ranking">(.*?)</ol>', response.content.decode(), re.S)
    if not match:
        return []
    return [text(t) for t in re.findall(r'<span class="fw-semibold">(.*?)</span>', match[1])]


def table_rows(fragment: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", fragment.split("<tbody>", 1)[-1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([text(c.replace("<br>", " / ")) for c in cells])
    return rows


def by_student(response) -> dict[str, str]:
    return dict(table_rows(section(response, "students-heading")))


def placements(run) -> set[tuple[int, int, int | None]]:
    return {tuple(row) for row in run.result["placements"]}


def confirmed(course) -> set[tuple[str, str]]:
    return {
        (s.student.username, s.reading.title)
        for s in PresentationSignup.objects.of_course(course).confirmed()
    }


def assert_sent_to_log_in(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.fixture
def papers(ranked):
    """Four one-seat papers, each in a session of its own."""
    return [
        new_paper(ranked, title=title, date=dt.date(2026, 2, 3) + dt.timedelta(days=7 * n))
        for n, title in enumerate(["Attention", "Batch Norm", "Capsules", "Dropout"])
    ]


@pytest.fixture
def bob(ranked):
    return new_student(ranked, "bob", first_name="Bob", last_name="Brown")


@pytest.fixture
def carol(ranked):
    return new_student(ranked, "carol", first_name="Carol", last_name="Clark")


@pytest.fixture
def everyone_ranked(ranked, papers, student, bob, carol):
    """Everyone wants Attention; Carol ranks nothing else. The best assignment
    gives Carol Attention (rank 1) and the others their second choice."""
    attention, batch_norm, capsules, _ = papers
    ranks(ranked, student, attention, batch_norm)
    ranks(ranked, bob, attention, capsules)
    ranks(ranked, carol, attention)
    close_rankings(ranked)
    return ranked


@pytest.fixture
def two_ranked(ranked, papers, student, bob):
    """Alice and Bob want different papers: each gets their first choice."""
    attention, batch_norm, capsules, _ = papers
    ranks(ranked, student, attention, batch_norm)
    ranks(ranked, bob, capsules, attention)
    close_rankings(ranked)
    return ranked


@pytest.fixture
def draft(two_ranked, instructor):
    return ranking.assignment_run(course=two_ranked, by=instructor, seed=5)


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


# ---------------------------------------------------------------- who sees what


class TestPrivacyAndAccess:
    def test_the_rank_page_shows_a_student_only_their_own_ranking(
        self, as_student, ranked, papers, student, bob
    ):
        student.first_name, student.last_name = "Alice", "Adams"
        student.save()
        ranks(ranked, student, papers[0])
        ranks(ranked, bob, papers[2], papers[1])
        Blackout.objects.create(course=ranked, student=bob, session=papers[3].session)

        response = as_student.get(rank_url(ranked), {"student": bob.pk, "user": bob.pk})

        assert [r.title for r in response.context["ranked"]] == ["Attention"]
        assert response.context["blackout"] == set()
        assert page_ranking(response) == ["Attention"]
        assert "Capsules" in text(section(response, "papers-heading"))
        page = response.content.decode()
        # What a reader sees (the raw HTML carries a random CSRF token, which
        # can spell anything), and no ticked box for Bob's blackout.
        assert "Bob" not in text(page)
        assert "Brown" not in text(page)
        assert not re.search(r"<input[^>]*\bchecked\b", page)

    @pytest.mark.parametrize(
        ("who", "expected"),
        [("ta", 403), ("instructor", 403), ("outsider", 404), ("anonymous", "login")],
    )
    def test_only_students_of_the_course_have_a_rank_page(self, request, ranked, who, expected):
        client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))

        response = client.get(rank_url(ranked))

        if expected == "login":
            assert_sent_to_log_in(response)
        else:
            assert response.status_code == expected

    @pytest.mark.parametrize("page", ["assignment", "assignment_run"])
    @pytest.mark.parametrize(
        ("who", "expected"),
        [("student", 403), ("ta", 403), ("outsider", 404), ("anonymous", "login")],
    )
    def test_the_assignment_pages_are_the_instructors_alone(
        self, request, draft, instructor, page, who, expected
    ):
        client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))
        address = run_url(draft) if page == "assignment_run" else url(draft.course, "assignment")
        before = placements(draft)

        for response in (
            client.get(address),
            client.post(address, {"action": "publish", "seed": "5"}),
        ):
            if expected == "login":
                assert_sent_to_log_in(response)
            else:
                assert response.status_code == expected
        assert AssignmentRun.objects.count() == 1
        draft.refresh_from_db()
        assert draft.published_at is None
        assert placements(draft) == before
        assert not PresentationSignup.objects.exists()

    def test_a_run_of_another_course_is_not_found(self, as_instructor, draft, instructor):
        other = CourseFactory(slug="cis7000")
        MembershipFactory(course=other, user=instructor, role="instructor")

        response = as_instructor.get(url(other, "assignment_run", run_id=draft.pk))

        assert response.status_code == 404


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


def adjust(client, run, student, *, remove=None, add=None):
    data = {"action": "adjust", "student": student.pk}
    data["remove"] = remove.pk if remove else ""
    data["add"] = add.pk if add else ""
    return client.post(run_url(run), data, follow=True)


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
