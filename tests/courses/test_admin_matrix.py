"""Who may do what in the admin, for every registered model: a table a reader
can audit, and a test that fails when a model is registered without its row.

Two courses share people. Alpha (CIS6101) and Bravo (CIS5101) each have one of
everything; every row of Bravo has "Bravo" in its name, every row of Alpha
"Alpha", so a page that shows another course's rows is easy to catch.

People, all about Alpha's rows:

    instructor        teaches Alpha, and is a student of Bravo
    other_instructor  teaches Bravo, and is a TA of Alpha (TAs never need the admin)
    ta                a TA of Alpha only

Each cell is "changelist/add/change/delete" (GET), with:

    ok     200                          403    no permission for this model
    login  302 to the admin's login     gone   302 to the admin's home: to this
                                               person the object does not exist
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.admin.scope import CourseScopedAdminMixin
from courses.models import (
    Announcement,
    Membership,
    PresentationSignup,
    Resource,
    Theme,
)
from courses.services import polls
from courses.services.memberships import INSTRUCTORS_GROUP, membership_set
from grading.models import GradeImport, Submission
from grading.services import score_set
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    ReadingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = ("instructor", "other_instructor", "ta")
VIEWS = ("changelist", "add", "change", "delete")


def row(instructor: str, other_instructor: str, ta: str) -> dict[str, tuple[str, ...]]:
    cells = (instructor, other_instructor, ta)
    return {person: tuple(cell.split("/")) for person, cell in zip(PEOPLE, cells, strict=True)}


NO_ADMIN = "login/login/login/login"
NO_PERMISSION = "403/403/403/403"

ADMIN: dict[str, dict[str, tuple[str, ...]]] = {
    #                            instructor        other_instructor    ta
    # Courses are created (a new course has no instructor yet) and deleted (with every
    # grade in it) by a superuser.
    "courses.course":            row("ok/403/ok/403",  "ok/403/gone/403",  NO_ADMIN),
    "courses.theme":             row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "courses.session":           row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "courses.reading":           row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "courses.resource":          row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "courses.announcement":      row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "courses.membership":        row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "courses.presentationsignup": row("ok/ok/ok/ok",   "ok/ok/gone/gone",  NO_ADMIN),
    "courses.poll":              row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "grading.gradecomponent":    row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    "grading.gradeitem":         row("ok/ok/ok/ok",    "ok/ok/gone/gone",  NO_ADMIN),
    # A grade is cleared, never deleted.
    "grading.score":             row("ok/ok/ok/403",   "ok/ok/gone/403",   NO_ADMIN),
    # Imports are made on the gradebook's import page; the admin only lists them.
    "grading.gradeimport":       row("ok/403/ok/ok",   "ok/403/gone/gone", NO_ADMIN),
    # Hand-ins are made by students on the site; the admin only shows them.
    "grading.submission":        row("ok/403/ok/403",  "ok/403/gone/403",  NO_ADMIN),
    # Instructors view the people of their courses (to pick them), nothing more.
    "auth.user":                 row("ok/403/ok/403",  "ok/403/gone/403",  NO_ADMIN),
    "auth.group":                row(NO_PERMISSION,    NO_PERMISSION,      NO_ADMIN),
    "axes.accessattempt":        row(NO_PERMISSION,    NO_PERMISSION,      NO_ADMIN),
    "axes.accesslog":            row(NO_PERMISSION,    NO_PERMISSION,      NO_ADMIN),
    "axes.accessfailurelog":     row(NO_PERMISSION,    NO_PERMISSION,      NO_ADMIN),
}  # fmt: skip


def course_objects(course, name: str, student, grader) -> dict:
    """One row of every course model, each named after the course."""
    now = timezone.now()
    theme = Theme.objects.create(course=course, title=f"{name} theme")
    session = SessionFactory(course=course, title=f"{name} session", theme=theme)
    reading = ReadingFactory(
        session=session, title=f"{name} paper", presentable=True, presenter_capacity=2
    )
    component = GradeComponentFactory(course=course, name=f"{name} component")
    item = GradeItemFactory(component=component, title=f"{name} item", accepts_text=True)
    score_set(item=item, student=student, points=Decimal(5), by=grader)
    poll = polls.poll_create(
        course=course,
        question=f"{name} poll?",
        kind="single",
        choices=[f"{name} yes", f"{name} no"],
        session=session,
    )
    return {
        "courses.course": course,
        "courses.theme": theme,
        "courses.session": session,
        "courses.reading": reading,
        "courses.resource": Resource.objects.create(
            course=course, category=f"{name} compute", title=f"{name} resource"
        ),
        "courses.announcement": Announcement.objects.create(
            course=course, title=f"{name} announcement"
        ),
        "courses.membership": Membership.objects.get(course=course, user=student),
        "courses.presentationsignup": PresentationSignup.objects.create(
            reading=reading, student=student, status=PresentationSignup.Status.CONFIRMED
        ),
        "courses.poll": poll,
        "grading.gradecomponent": component,
        "grading.gradeitem": item,
        "grading.score": item.scores.get(),
        "grading.gradeimport": GradeImport.objects.create(
            course=course, uploaded_by=grader, filename=f"{name}.csv", content="Username\n"
        ),
        "grading.submission": Submission.objects.create(
            item=item, student=student, text=f"{name} response", submitted_at=now
        ),
        "auth.user": student,
    }


@pytest.fixture
def world(db):
    alpha = CourseFactory(slug="alpha", code="CIS6101", title="Alpha Seminar")
    bravo = CourseFactory(slug="bravo", code="CIS5101", title="Bravo Seminar")
    people = {
        "instructor": UserFactory(username="prof"),
        "other_instructor": UserFactory(username="otherprof"),
        "ta": UserFactory(username="ta"),
    }
    alpha_student = UserFactory(username="alpha-student", first_name="Alpha")
    bravo_student = UserFactory(username="bravo-student", first_name="Bravo")
    for course, user, role in [
        (alpha, people["instructor"], Membership.Role.INSTRUCTOR),
        (bravo, people["instructor"], Membership.Role.STUDENT),
        (bravo, people["other_instructor"], Membership.Role.INSTRUCTOR),
        (alpha, people["other_instructor"], Membership.Role.TA),
        (alpha, people["ta"], Membership.Role.TA),
        (alpha, alpha_student, Membership.Role.STUDENT),
        (bravo, bravo_student, Membership.Role.STUDENT),
    ]:
        membership_set(course=course, user=user, role=role)
    shared = {
        "auth.group": Group.objects.get(name=INSTRUCTORS_GROUP),
        "axes.accessattempt": AccessAttempt.objects.create(
            user_agent="phone", ip_address="10.0.0.1", username="x", http_accept="*/*",
            path_info="/accounts/login/", get_data="", post_data="", failures_since_start=1,
        ),
        "axes.accesslog": AccessLog.objects.create(
            user_agent="phone", ip_address="10.0.0.1", username="x", http_accept="*/*",
            path_info="/accounts/login/",
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            user_agent="phone", ip_address="10.0.0.1", username="x", http_accept="*/*",
            path_info="/accounts/login/",
        ),
    }  # fmt: skip
    objects = {
        "alpha": course_objects(alpha, "Alpha", alpha_student, people["instructor"]) | shared,
        "bravo": course_objects(bravo, "Bravo", bravo_student, people["other_instructor"]),
    }
    return people, objects


def label_of(model) -> str:
    return model._meta.label_lower


def admin_url(label: str, view: str, obj=None) -> str:
    app, model = label.split(".")
    args = [obj.pk] if view in ("change", "delete") else []
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "login"
        if location == reverse("admin:index"):
            return "gone"
        return f"302 {location}"
    return "ok" if response.status_code == 200 else str(response.status_code)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def course_scoped_labels() -> list[str]:
    return sorted(
        label_of(model)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CourseScopedAdminMixin)
    )


# --- the table --------------------------------------------------------------------------------


def test_every_model_in_the_admin_has_a_row_in_the_table():
    registered = {label_of(model) for model in admin.site._registry}
    missing = sorted(registered - set(ADMIN))
    assert missing == [], f"add these models to ADMIN, with who may use them: {missing}"
    stale = sorted(set(ADMIN) - registered)
    assert stale == [], f"these rows name models the admin no longer has: {stale}"


@pytest.mark.parametrize("label", sorted(ADMIN))
def test_admin_access(label, world):
    people, objects = world
    obj = objects["alpha"][label]
    got = {
        person: tuple(
            outcome(client_for(people[person]).get(admin_url(label, view, obj))) for view in VIEWS
        )
        for person in PEOPLE
    }
    assert got == ADMIN[label]


# --- what the pages list ------------------------------------------------------------------------


def pages_of(label: str, obj) -> list[str]:
    return [
        admin_url(label, "changelist"),
        admin_url(label, "add"),
        admin_url(label, "change", obj),
    ]


@pytest.mark.parametrize("label", course_scoped_labels())
def test_no_page_of_an_instructor_shows_another_courses_rows(label, world):
    """The list (with its filters and search), the add form and the change form
    (with their menus and inlines) of each model name nothing of the course the
    person does not teach, though they are a member of it."""
    people, objects = world
    for person, own, other in (
        ("instructor", "alpha", "Bravo"),
        ("other_instructor", "bravo", "Alpha"),
    ):
        client = client_for(people[person])
        for path in pages_of(label, objects[own][label]):
            response = client.get(path)
            if response.status_code == 403:
                continue  # no add page for this model
            assert response.status_code == 200, path
            content = response.content.decode()
            assert other not in content, f"{person} sees {other} rows on {path}"
            other_code = objects[other.lower()]["courses.course"].code
            assert other_code not in content, f"{person} sees {other_code} on {path}"
        if admin.site._registry[apps.get_model(label)].search_fields:
            searched = client.get(admin_url(label, "changelist"), {"q": other})
            assert searched.context["cl"].result_count == 0


@pytest.mark.parametrize("label", course_scoped_labels())
def test_each_list_holds_the_instructors_own_course_rows(label, world):
    people, objects = world
    for person, own, other in (
        ("instructor", "alpha", "bravo"),
        ("other_instructor", "bravo", "alpha"),
    ):
        listed = client_for(people[person]).get(admin_url(label, "changelist")).context["cl"]
        pks = set(listed.queryset.values_list("pk", flat=True))
        assert objects[own][label].pk in pks
        assert objects[other][label].pk not in pks


@pytest.mark.parametrize("label", course_scoped_labels())
def test_the_course_filter_lists_only_the_courses_the_instructor_teaches(label, world):
    people, objects = world
    client = client_for(people["instructor"])
    listed = client.get(admin_url(label, "changelist")).context["cl"]
    specs = [spec for spec in listed.filter_specs if spec.title == "course"]
    if label == "courses.course":
        assert specs == []
        return
    [course_filter] = specs
    alpha, bravo = (objects[name]["courses.course"] for name in ("alpha", "bravo"))
    assert [value for value, _ in course_filter.lookup_choices] == [alpha.pk]
    # The other course typed into the address selects nothing.
    assert (
        client.get(admin_url(label, "changelist"), {"course": bravo.pk}).context["cl"].result_count
        == 0
    )
    own = client.get(admin_url(label, "changelist"), {"course": alpha.pk}).context["cl"]
    assert objects["alpha"][label].pk in set(own.queryset.values_list("pk", flat=True))


# --- autocomplete -------------------------------------------------------------------------------


def autocomplete_fields() -> list[tuple[str, str, str]]:
    """Every foreign key of any model whose target the admin can autocomplete
    (a registered model with search fields), users aside (tested below)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.many_to_one and field.concrete):
                continue
            target = admin.site._registry.get(field.related_model)
            if not isinstance(target, CourseScopedAdminMixin) or not target.search_fields:
                continue
            found.append((model._meta.app_label, model._meta.model_name, field.name))
    return sorted(found)


def autocomplete(client: Client, app_label: str, model_name: str, field_name: str, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


def test_the_autocomplete_of_every_course_model_answers_only_own_course_rows(world):
    people, objects = world
    fields = autocomplete_fields()
    assert ("courses", "membership", "course") in fields
    assert ("courses", "pollanswer", "poll") in fields  # a model the admin does not show
    client = client_for(people["instructor"])
    for app_label, model_name, field_name in fields:
        for term in ("", "Bravo", "CIS5101"):
            response = autocomplete(client, app_label, model_name, field_name, term)
            assert response.status_code == 200
            texts = [result["text"] for result in response.json()["results"]]
            assert not any("Bravo" in t or "CIS5101" in t for t in texts), (
                f"{app_label}.{model_name}.{field_name} with “{term}”: {texts}"
            )
    sessions = autocomplete(client, "courses", "reading", "session", "")
    assert [r["text"] for r in sessions.json()["results"]] == [
        str(objects["alpha"]["courses.session"])
    ]


def test_a_ta_gets_no_autocomplete_at_all(world):
    people, _ = world
    response = autocomplete(client_for(people["ta"]), "courses", "reading", "session", "")
    assert outcome(response) == "login"


# --- people -------------------------------------------------------------------------------------


def usernames(response) -> set[str]:
    return {user.username for user in response.context["cl"].queryset}


def test_the_user_list_shows_an_instructor_the_people_of_their_courses_only(world):
    people, _ = world
    listed = client_for(people["instructor"]).get(admin_url("auth.user", "changelist"))
    assert usernames(listed) == {"prof", "otherprof", "ta", "alpha-student"}
    listed = client_for(people["other_instructor"]).get(admin_url("auth.user", "changelist"))
    assert usernames(listed) == {"otherprof", "prof", "bravo-student"}


def test_a_superuser_sees_everyone(world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    listed = client_for(root).get(admin_url("auth.user", "changelist"))
    assert {"alpha-student", "bravo-student", "root"} <= usernames(listed)


def test_the_person_box_of_a_membership_finds_anyone_by_exact_username_or_email_only(world):
    """Adding a new member needs someone outside the course; they are found by
    the exact username or address, never by a part of it."""
    people, _ = world
    client = client_for(people["instructor"])

    def found(term: str) -> list[str]:
        response = autocomplete(client, "courses", "membership", "user", term)
        return [result["text"] for result in response.json()["results"]]

    assert found("") == ["alpha-student", "otherprof", "prof", "ta"]
    assert found("bravo-student") == ["bravo-student"]
    assert found("BRAVO-student@example.edu") == ["bravo-student"]
    assert found("bravo") == []
    assert found("alpha") == ["alpha-student"]


def test_other_person_boxes_find_only_the_people_of_the_instructors_courses(world):
    people, _ = world
    client = client_for(people["instructor"])
    for model_name, field_name in (("score", "student"), ("presentationsignup", "student")):
        app_label = "grading" if model_name == "score" else "courses"
        response = autocomplete(client, app_label, model_name, field_name, "bravo-student")
        assert response.json()["results"] == []
        response = autocomplete(client, app_label, model_name, field_name, "alpha-student")
        assert [r["text"] for r in response.json()["results"]] == ["alpha-student"]


def test_the_user_list_filters_by_the_courses_the_instructor_teaches_only(world):
    people, objects = world
    client = client_for(people["instructor"])
    listed = client.get(admin_url("auth.user", "changelist"))
    course_filter = next(s for s in listed.context["cl"].filter_specs if s.title == "course")
    assert [value for value, _ in course_filter.lookup_choices] == [
        objects["alpha"]["courses.course"].pk
    ]
    # Asking for the other course's people by the address finds nobody (not
    # even the people the instructor may see who are also in it).
    bravo = objects["bravo"]["courses.course"]
    assert (
        usernames(client.get(admin_url("auth.user", "changelist"), {"course": bravo.pk})) == set()
    )


# --- writing into another course ---------------------------------------------------------------


def test_an_instructor_cannot_make_themselves_a_member_of_another_course(world):
    people, objects = world
    prof = people["instructor"]
    bravo = objects["bravo"]["courses.course"]
    response = client_for(prof).post(
        admin_url("courses.membership", "add"),
        {"course": bravo.pk, "user": prof.pk, "role": "instructor"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.get(course=bravo, user=prof).role == Membership.Role.STUDENT


def test_an_instructor_cannot_add_a_row_to_another_course_through_any_menu(world):
    """Posting another course's id into a menu is refused like a made-up id."""
    people, objects = world
    client = client_for(people["instructor"])
    bravo = objects["bravo"]
    now = timezone.now()
    attempts = {
        "courses.theme": {"course": bravo["courses.course"].pk, "order": 0, "title": "X"},
        "courses.session": {
            "course": bravo["courses.course"].pk,
            "date": "2026-02-03",
            "start_time": "15:30",
            "end_time": "17:00",
            "title": "X",
            "readings-TOTAL_FORMS": 0,
            "readings-INITIAL_FORMS": 0,
        },
        "courses.reading": {
            "session": bravo["courses.session"].pk,
            "order": 0,
            "title": "X",
            "kind": "required",
            "presenter_capacity": 1,
        },
        "courses.poll": {
            "course": bravo["courses.course"].pk,
            "question": "X?",
            "kind": "text",
            "results": "live",
            "choices-TOTAL_FORMS": 0,
            "choices-INITIAL_FORMS": 0,
        },
        "grading.gradeitem": {
            "component": bravo["grading.gradecomponent"].pk,
            "title": "X",
            "points_possible": "10",
            "order": 0,
        },
        "grading.score": {
            "item": bravo["grading.gradeitem"].pk,
            "student": bravo["auth.user"].pk,
            "points": "1",
            "comment": "",
        },
        "courses.announcement": {
            "course": bravo["courses.course"].pk,
            "title": "X",
            "published_at_0": now.date().isoformat(),
            "published_at_1": "12:00",
        },
    }
    for label, data in attempts.items():
        model = apps.get_model(label)
        before = model._base_manager.count()
        response = client.post(admin_url(label, "add"), data)
        assert response.status_code == 200, label
        assert "Select a valid choice" in response.content.decode(), label
        assert model._base_manager.count() == before, label


def test_a_row_does_not_move_to_another_course_the_instructor_also_teaches(world):
    people, objects = world
    prof = people["instructor"]
    charlie = CourseFactory(slug="charlie", code="CIS7000")
    membership_set(course=charlie, user=prof, role=Membership.Role.INSTRUCTOR)
    elsewhere = SessionFactory(course=charlie, date=dt.date(2026, 3, 3))
    reading = objects["alpha"]["courses.reading"]
    response = client_for(prof).post(
        admin_url("courses.reading", "change", reading),
        {
            "session": elsewhere.pk,
            "order": 0,
            "title": reading.title,
            "kind": "required",
            "presentable": "on",
            "presenter_capacity": 2,
        },
    )
    assert "This reading belongs to CIS6101; choose a session of CIS6101." in (
        response.content.decode()
    )
    reading.refresh_from_db()
    assert reading.session == objects["alpha"]["courses.session"]
    # A row with its own course field shows it read-only once saved.
    page = client_for(prof).get(
        admin_url("courses.poll", "change", objects["alpha"]["courses.poll"])
    )
    assert 'name="course"' not in page.content.decode()
