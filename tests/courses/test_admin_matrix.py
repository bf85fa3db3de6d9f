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

import pytest
from django.apps import apps
from django.contrib import admin

from courses.admin.scope import CourseScopedAdminMixin
from tests.courses.admin_matrix_helpers import admin_url, client_for, outcome

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


def label_of(model) -> str:
    return model._meta.label_lower


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
