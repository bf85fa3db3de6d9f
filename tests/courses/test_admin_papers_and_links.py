"""The admin, continued: a paper given more seats fills them from its waitlist
at once, a paper someone is signed up for stays open to presentations, only a
superuser deletes a course, and "View on site" leads nowhere outside the
instructor's courses."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client

from courses.models import Course, PresentationSignup, Reading
from tests.courses.admin_helpers import form_errors, page_as_posted
from tests.factories import CourseFactory, UserFactory, new_paper, new_student, seat

pytestmark = pytest.mark.django_db

Status = PresentationSignup.Status


@pytest.fixture
def full_paper(course):
    paper = new_paper(course, capacity=1, title="Chinchilla")
    seat(paper, new_student(course, "presenter"))
    waiting = [new_student(course, f"waiting{n}") for n in range(3)]
    for student in waiting:
        seat(paper, student, Status.WAITLISTED)
    return paper, waiting


def statuses(paper: Reading) -> dict[str, str]:
    return {s.student.username: s.status for s in paper.signups.select_related("student")}


def test_more_seats_on_the_paper_page_go_to_the_waitlist_in_order(
    admin_client, full_paper, django_capture_on_commit_callbacks
):
    paper, _ = full_paper
    path = f"/admin/courses/reading/{paper.pk}/change/"
    data = page_as_posted(admin_client.get(path))
    data["presenter_capacity"] = "3"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(path, data, follow=True)
    assert response.status_code == 200
    assert statuses(paper) == {
        "presenter": Status.CONFIRMED,
        "waiting0": Status.CONFIRMED,
        "waiting1": Status.CONFIRMED,
        "waiting2": Status.WAITLISTED,
    }
    assert "moved up from the waitlist" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "waiting0@example.edu",
        "waiting1@example.edu",
    ]


def test_more_seats_on_the_session_page_go_to_the_waitlist_too(admin_client, full_paper):
    paper, _ = full_paper
    path = f"/admin/courses/session/{paper.session_id}/change/"
    data = page_as_posted(admin_client.get(path))
    data["readings-0-presenter_capacity"] = "2"
    assert admin_client.post(path, data).status_code == 302
    assert statuses(paper)["waiting0"] == Status.CONFIRMED
    assert statuses(paper)["waiting1"] == Status.WAITLISTED


def test_a_paper_with_sign_ups_cannot_be_closed_to_presentations(admin_client, full_paper):
    paper, _ = full_paper
    path = f"/admin/courses/reading/{paper.pk}/change/"
    data = page_as_posted(admin_client.get(path))
    del data["presentable"]
    response = admin_client.post(path, data)
    assert response.status_code == 200
    assert any("4 students are signed up for this paper" in e for e in form_errors(response))
    paper.refresh_from_db()
    assert paper.presentable


def test_an_instructor_cannot_delete_their_course(admin_client, course):
    path = f"/admin/courses/course/{course.pk}/delete/"
    assert admin_client.get(path).status_code == 403
    assert admin_client.post(path, {"post": "yes"}).status_code == 403
    assert Course.objects.filter(pk=course.pk).exists()


def view_on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return f"/admin/r/{content_type.pk}/{obj.pk}/"


def test_view_on_site_leads_an_instructor_to_their_own_course(admin_client, course):
    response = admin_client.get(view_on_site(course))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/courses/{course.slug}/")


@pytest.mark.parametrize("published", [True, False])
def test_view_on_site_reveals_nothing_of_another_course(admin_client, db, published):
    hidden = CourseFactory(slug="secret-seminar", is_published=published)
    for path in (
        view_on_site(hidden),
        view_on_site(new_paper(hidden)),
        f"/admin/r/{ContentType.objects.get_for_model(Course).pk}/abc/",
        "/admin/r/999999/1/",
        "/admin/r/x/1/",
    ):
        response = admin_client.get(path)
        assert response.status_code == 404, path
        assert "secret-seminar" not in response.content.decode()


def test_view_on_site_still_leads_a_superuser_anywhere(db):
    hidden = CourseFactory(slug="secret-seminar", is_published=False)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    assert client.get(view_on_site(hidden))["Location"].endswith("/courses/secret-seminar/")


def test_a_sign_up_that_slips_in_after_the_form_s_check_is_never_oversold(
    admin_client, course, monkeypatch
):
    """The form saw one presenter on a two-seat paper and allows one seat; a
    student takes the second seat before the save. The save, under the course
    lock, refuses and says why."""
    from courses.admin import course as course_admin

    paper = new_paper(course, capacity=2)
    seat(paper, new_student(course, "first"))
    path = f"/admin/courses/reading/{paper.pk}/change/"
    data = page_as_posted(admin_client.get(path))
    data["presenter_capacity"] = "1"
    real_clean = course_admin.ReadingForm.clean

    def clean_then_a_sign_up_arrives(form):
        cleaned = real_clean(form)
        seat(paper, new_student(course, "second"))
        return cleaned

    monkeypatch.setattr(course_admin.ReadingForm, "clean", clean_then_a_sign_up_arrives)
    response = admin_client.post(path, data, follow=True)
    assert "was not changed: 2 students present this paper" in response.content.decode()
    paper.refresh_from_db()
    assert paper.presenter_capacity == 2
    assert paper.signups.confirmed().count() == 2


def history_versions(obj):
    return list(obj.history.order_by("history_id"))


def test_an_earlier_version_of_a_hand_in_cannot_be_posted_back(course, prof, media):
    from grading.services.submissions import submission_save
    from tests.factories import GradeComponentFactory, GradeItemFactory

    item = GradeItemFactory(component=GradeComponentFactory(course=course), accepts_text=True)
    student = new_student(course, "writer")
    submission_save(item=item, student=student, text="first version")
    submission = submission_save(item=item, student=student, text="second version")
    first = history_versions(submission)[0]
    client = Client()
    client.force_login(prof)
    path = f"/admin/grading/submission/{submission.pk}/history/{first.history_id}/"
    assert client.get(path).status_code == 200  # reading it is fine
    assert client.post(path, {}).status_code == 403
    submission.refresh_from_db()
    assert submission.text == "second version"


def test_an_earlier_released_version_of_an_item_cannot_be_posted_back(course, prof):
    from grading.services import item_release
    from tests.factories import GradeComponentFactory, GradeItemFactory

    item = GradeItemFactory(component=GradeComponentFactory(course=course))
    item_release(item=item, released=True, by=prof)
    item_release(item=item, released=False, by=prof)
    released = [v for v in history_versions(item) if v.released][-1]
    client = Client()
    client.force_login(prof)
    path = f"/admin/grading/gradeitem/{item.pk}/history/{released.history_id}/"
    data = page_as_posted(client.get(f"/admin/grading/gradeitem/{item.pk}/change/"))
    assert client.get(path).status_code == 200
    assert client.post(path, data).status_code == 403
    item.refresh_from_db()
    assert not item.released


def test_a_search_longer_than_anything_worth_finding_finds_nothing_and_says_so(admin_client):
    for path in ("/admin/courses/session/", "/admin/auth/user/"):
        response = admin_client.get(path, {"q": "a" * 100_000}, follow=True)
        assert response.status_code == 200, path
        assert "Search for at most 200 characters" in response.content.decode()
