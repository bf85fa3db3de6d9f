"""The admin is just another caller: what it writes goes through the same
services, under the same rules, as the site's own pages."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.forms import MultiWidget
from django.test import Client

from courses.models import Membership, Poll, Session
from courses.services import polls
from courses.services.memberships import INSTRUCTORS_GROUP, membership_set
from grading.models import GradeItem, LetterCutoff
from grading.services import GradingError, letter_scale_set
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
    new_paper,
    new_student,
    seat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_course(prof):
    """Another course the same instructor teaches."""
    other = CourseFactory(slug="second", code="CIS7000")
    membership_set(course=other, user=prof, role=Membership.Role.INSTRUCTOR)
    return other


def has_admin_access(user) -> bool:
    user.refresh_from_db()
    in_group = user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    assert user.is_staff == in_group or user.is_superuser, "staff flag and group disagree"
    return user.is_staff and in_group


def form_errors(response) -> list[str]:
    lists = re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    return [
        html.unescape(item.strip())
        for block in lists
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def posted(form) -> dict:
    """What the browser sends for a form as it is shown."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        widget = field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value)
            for n, part in enumerate(parts):
                data[f"{bound.html_name}_{n}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def page_as_posted(response) -> dict:
    """The whole admin page (form and inlines) as the browser would send it back."""
    data = posted(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(posted(formset.management_form))
        for form in formset.forms:
            data.update(posted(form))
    return data


def inline_row(data: dict, prefix: str, index: int, **values) -> None:
    data[f"{prefix}-TOTAL_FORMS"] = str(max(int(data[f"{prefix}-TOTAL_FORMS"]), index + 1))
    for key, value in values.items():
        data[f"{prefix}-{index}-{key}"] = value


def course_page(client: Client, course) -> tuple[str, dict]:
    path = f"/admin/courses/course/{course.pk}/change/"
    return path, page_as_posted(client.get(path))


# --- memberships ------------------------------------------------------------------------------


ADD_MEMBERSHIP = "/admin/courses/membership/add/"


def membership_url(membership, action: str = "change") -> str:
    return f"/admin/courses/membership/{membership.pk}/{action}/"


def test_making_someone_an_instructor_in_the_membership_admin_gives_admin_access(
    admin_client, course
):
    newcomer = UserFactory(username="newcomer")
    response = admin_client.post(
        ADD_MEMBERSHIP, {"course": course.pk, "user": newcomer.pk, "role": "instructor"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(course=course, user=newcomer).role == "instructor"
    assert has_admin_access(newcomer)
    assert newcomer.has_perm("courses.change_session")


def test_demoting_an_instructor_in_the_membership_admin_takes_admin_access_away(
    admin_client, course
):
    colleague = UserFactory(username="colleague")
    membership = membership_set(course=course, user=colleague, role="instructor")
    assert has_admin_access(colleague)

    response = admin_client.post(membership_url(membership), {"role": "ta"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "ta"
    assert not has_admin_access(colleague)


def test_someone_still_teaching_another_course_keeps_admin_access_when_demoted_here(
    admin_client, course
):
    colleague = UserFactory(username="colleague")
    membership = membership_set(course=course, user=colleague, role="instructor")
    membership_set(course=CourseFactory(slug="theirs"), user=colleague, role="instructor")

    admin_client.post(membership_url(membership), {"role": "student"})

    assert has_admin_access(colleague)


def test_deleting_an_instructors_membership_in_the_admin_takes_admin_access_away(
    admin_client, course
):
    colleague = UserFactory(username="colleague")
    membership = membership_set(course=course, user=colleague, role="instructor")

    response = admin_client.post(membership_url(membership, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not has_admin_access(colleague)


def test_deleting_instructors_with_the_list_action_takes_admin_access_away(admin_client, course):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    chosen = [membership_set(course=course, user=u, role="instructor").pk for u in (first, second)]

    response = admin_client.post(
        "/admin/courses/membership/",
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=chosen).exists()
    assert not has_admin_access(first)
    assert not has_admin_access(second)


def test_a_superuser_demoted_from_instructor_keeps_the_staff_flag(admin_client, course):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    membership = membership_set(course=course, user=root, role="instructor")
    admin_client.post(membership_url(membership), {"role": "student"})
    root.refresh_from_db()
    assert root.is_staff
    assert not root.groups.filter(name=INSTRUCTORS_GROUP).exists()


def test_a_membership_keeps_its_person_and_course(admin_client, course, student, second_course):
    membership = Membership.objects.get(course=course, user=student)
    someone = UserFactory(username="someone")
    admin_client.post(
        membership_url(membership),
        {"course": second_course.pk, "user": someone.pk, "role": "ta"},
    )
    membership.refresh_from_db()
    assert (membership.course, membership.user, membership.role) == (course, student, "ta")


def test_making_someone_an_instructor_on_the_course_page_gives_admin_access(admin_client, course):
    newcomer = UserFactory(username="newcomer")
    path, data = course_page(admin_client, course)
    index = int(data["memberships-TOTAL_FORMS"])
    inline_row(data, "memberships", index, user=str(newcomer.pk), role="instructor")

    response = admin_client.post(path, data)

    assert response.status_code == 302, form_errors(response)
    assert Membership.objects.get(course=course, user=newcomer).role == "instructor"
    assert has_admin_access(newcomer)


def test_demoting_or_removing_an_instructor_on_the_course_page_takes_admin_access_away(
    admin_client, course
):
    demoted, removed = UserFactory(username="demoted"), UserFactory(username="removed")
    for user in (demoted, removed):
        membership_set(course=course, user=user, role="instructor")
    path, data = course_page(admin_client, course)
    rows = {
        data[key]: key.rsplit("-", 1)[0]
        for key in data
        if key.startswith("memberships-") and key.endswith("-user")
    }
    data[f"{rows[str(demoted.pk)]}-role"] = "student"
    data[f"{rows[str(removed.pk)]}-DELETE"] = "on"

    response = admin_client.post(path, data)

    assert response.status_code == 302, form_errors(response)
    assert Membership.objects.get(course=course, user=demoted).role == "student"
    assert not Membership.objects.filter(course=course, user=removed).exists()
    assert not has_admin_access(demoted)
    assert not has_admin_access(removed)


def test_the_course_page_refuses_to_hand_a_membership_to_another_person(
    admin_client, course, student
):
    someone = UserFactory(username="someone")
    path, data = course_page(admin_client, course)
    row = next(k for k, v in data.items() if k.endswith("-user") and v == str(student.pk))
    data[row] = str(someone.pk)

    response = admin_client.post(path, data)

    assert response.status_code == 200
    assert (
        "A membership stays with its person: delete it and add one for the other person "
        "instead." in form_errors(response)
    )
    assert Membership.objects.filter(course=course, user=student).exists()
    assert not Membership.objects.filter(user=someone).exists()


# --- polls ------------------------------------------------------------------------------------


ADD_POLL = "/admin/courses/poll/add/"


def poll_form(course, *, choices=(), session=None, **fields) -> dict:
    data = {
        "course": course.pk,
        "session": session.pk if session else "",
        "question": "Which one?",
        "kind": "single",
        "results": "after_close",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
    }
    for n, text in enumerate(choices):
        data[f"choices-{n}-order"] = str(n)
        data[f"choices-{n}-text"] = text
    data.update(fields)
    return data


def test_a_single_choice_poll_with_one_choice_is_refused_with_a_form_error(admin_client, course):
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["Only this"]))
    assert response.status_code == 200
    assert "A choice poll needs 2 to 12 choices, one per line." in form_errors(response)
    assert not Poll.objects.exists()


def test_the_same_choice_twice_is_refused(admin_client, course):
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["Yes", " yes"]))
    assert "Two choices are the same." in form_errors(response)
    assert not Poll.objects.exists()


def test_a_short_text_poll_with_choices_is_refused(admin_client, course):
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["A", "B"], kind="text"))
    assert "A short-text poll has no choices; delete them." in form_errors(response)
    assert not Poll.objects.exists()


def test_a_session_of_another_course_is_refused_even_one_the_instructor_teaches(
    admin_client, course, second_course
):
    elsewhere = SessionFactory(course=second_course)
    response = admin_client.post(ADD_POLL, poll_form(course, choices=["A", "B"], session=elsewhere))
    assert "That session belongs to another course." in form_errors(response)
    assert not Poll.objects.exists()


def test_a_superuser_cannot_attach_another_courses_session_either(course):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    elsewhere = SessionFactory(course=CourseFactory(slug="elsewhere"))
    poll = polls.poll_create(course=course, question="Q?", kind="text")
    data = poll_form(course, kind="text", question="Q?", session=elsewhere)
    data["choices-INITIAL_FORMS"] = "0"
    response = client.post(f"/admin/courses/poll/{poll.pk}/change/", data)
    assert "That session belongs to another course." in form_errors(response)
    poll.refresh_from_db()
    assert poll.session is None


def test_a_poll_written_in_the_admin_gets_its_choices_in_order_and_a_history(
    admin_client, prof, course
):
    session = SessionFactory(course=course)
    data = poll_form(course, choices=["Second", "First"], session=session, anonymous="on")
    data["choices-0-order"], data["choices-1-order"] = "2", "1"
    response = admin_client.post(ADD_POLL, data)
    assert response.status_code == 302, form_errors(response)
    poll = Poll.objects.get()
    assert (poll.session, poll.anonymous, poll.state) == (session, True, Poll.State.DRAFT)
    assert list(poll.choices.values_list("text", flat=True)) == ["First", "Second"]
    assert poll.history.get().history_user == prof
    assert {c.history_user for c in poll.choices.model.history.all()} == {prof}


def test_an_unanswered_polls_choices_can_be_reworded_added_and_removed(admin_client, prof, course):
    poll = polls.poll_create(course=course, question="Q?", kind="single", choices=["A", "B", "C"])
    path = f"/admin/courses/poll/{poll.pk}/change/"
    data = page_as_posted(admin_client.get(path))
    texts = {data[k]: k.rsplit("-", 1)[0] for k in data if re.fullmatch(r"choices-\d+-text", k)}
    data[f"{texts['A']}-text"] = "B"  # swap A and B's wording...
    data[f"{texts['B']}-text"] = "A"
    data[f"{texts['C']}-DELETE"] = "on"  # ...drop C and add D
    extra = next(k for k in data if re.fullmatch(r"choices-\d+-text", k) and not data[k])
    data[extra] = "D"

    response = admin_client.post(path, data)

    assert response.status_code == 302, form_errors(response)
    assert sorted(poll.choices.values_list("text", flat=True)) == ["A", "B", "D"]
    latest = poll.history.latest("history_date")
    assert latest.history_user == prof
    assert latest.history_change_reason == "Choices added “D”; removed “C”"


# --- the letter scale, the items, the schedule ----------------------------------------------------


NO_ZERO = "The lowest letter starts at 0, so that every percentage has a letter."


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ([("A", "90"), ("a", "80"), ("F", "0")], "Two cut-offs have the same letter."),
        ([("A", "90"), ("B", "80")], NO_ZERO),
        # Caught by the database's constraint, which Django's form checks first.
        ([("A", "90"), ("B", "90"), ("F", "0")], "Please correct the duplicate data for minimum."),
    ],
    ids=["same-letter", "no-zero", "same-minimum"],
)  # fmt: skip
def test_a_letter_scale_that_breaks_a_rule_is_refused_on_the_course_page(
    admin_client, course, scale, message
):
    path, data = course_page(admin_client, course)
    for n, (letter, minimum) in enumerate(scale):
        inline_row(data, "letter_cutoffs", n, letter=letter, minimum=minimum)

    response = admin_client.post(path, data)

    assert response.status_code == 200
    assert message in form_errors(response)
    assert not LetterCutoff.objects.exists()


def test_a_letter_scale_that_keeps_the_rules_is_saved(admin_client, course):
    path, data = course_page(admin_client, course)
    for n, (letter, minimum) in enumerate([("A", "90"), ("B", "80"), ("F", "0")]):
        inline_row(data, "letter_cutoffs", n, letter=letter, minimum=minimum)
    response = admin_client.post(path, data)
    assert response.status_code == 302, form_errors(response)
    assert list(course.letter_cutoffs.values_list("letter", "minimum")) == [
        ("A", Decimal("90")),
        ("B", Decimal("80")),
        ("F", Decimal("0")),
    ]


def test_an_item_takes_a_session_of_its_own_course_only(admin_client, course, second_course):
    item = GradeItemFactory(component=GradeComponentFactory(course=course), title="Response 1")
    elsewhere = SessionFactory(course=second_course)
    data = {
        "component": item.component_id,
        "title": item.title,
        "points_possible": "10",
        "order": "0",
        "session": elsewhere.pk,
        "submissions_open": "on",
        "allow_late": "on",
    }
    response = admin_client.post(f"/admin/grading/gradeitem/{item.pk}/change/", data)
    assert "Choose a session of the item's course." in form_errors(response)
    assert GradeItem.objects.get(pk=item.pk).session is None


def test_a_session_takes_a_theme_of_its_own_course_only(admin_client, course, second_course):
    session = SessionFactory(course=course, date=dt.date(2026, 2, 3))
    own, foreign = ThemeFactory(course=course), ThemeFactory(course=second_course)
    path = f"/admin/courses/session/{session.pk}/change/"
    shown = admin_client.get(path)
    menu = shown.context["adminform"].form.fields["theme"].queryset
    assert list(menu) == [own]
    data = page_as_posted(shown)
    data["theme"] = str(foreign.pk)
    response = admin_client.post(path, data)
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).theme is None


def test_a_papers_seats_do_not_drop_below_its_presenters(admin_client, course):
    paper = new_paper(course, capacity=2)
    for name in ("first", "second"):
        seat(paper, new_student(course, name))
    data = {
        "session": paper.session_id,
        "order": "0",
        "kind": "required",
        "title": paper.title,
        "presentable": "on",
        "presenter_capacity": "1",
    }
    response = admin_client.post(f"/admin/courses/reading/{paper.pk}/change/", data)
    assert (
        "2 students present this paper; move or withdraw presenters before taking seats away."
        in form_errors(response)
    )
    paper.refresh_from_db()
    assert paper.presenter_capacity == 2


def test_the_letter_scale_service_refuses_a_scale_that_breaks_a_rule(course):
    LetterCutoff.objects.create(course=course, letter="P", minimum=Decimal("0"))
    with pytest.raises(GradingError, match="The lowest letter starts at 0"):
        letter_scale_set(course=course, cutoffs=[("A", Decimal("90")), ("B", Decimal("80"))])
    assert list(course.letter_cutoffs.values_list("letter", flat=True)) == ["P"]
