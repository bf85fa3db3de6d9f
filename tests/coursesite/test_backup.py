"""A course exported with ``export_course`` comes back whole from ``import_course``
into an emptied database: the same rows, grades, files and history; and an
import that cannot be done changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from courses.models import (
    Announcement,
    AssignmentRun,
    Blackout,
    Course,
    Membership,
    PaperPreference,
    Poll,
    Reading,
)
from courses.services import polls
from coursesite import backup
from coursesite.demo.course import COURSE_SLUG
from grading.models import GradeImport, GradeItem, LetterCutoff, Score, Submission
from grading.selectors.gradebook import gradebook
from grading.services import score_set
from grading.services.submissions import submission_save
from tests.conftest import files_under
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    UserFactory,
    new_student,
)

# flush cannot run inside the transaction an ordinary test is wrapped in.
pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
PDF_V1 = b"%PDF-1.4\n% first draft\n%%EOF\n"
PDF_V2 = b"%PDF-1.4\n% final version, longer than the first\n%%EOF\n"
NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


def wipe(settings, tmp_path, name: str = "restored-media") -> Path:
    """An empty database and an empty MEDIA_ROOT, as on a new server."""
    call_command("flush", interactive=False, verbosity=0)
    root = tmp_path / name
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    assert not User.objects.exists()
    assert not Course.objects.exists()
    return root


def export(slug: str, path: Path) -> str:
    out = StringIO()
    call_command("export_course", slug, "-o", str(path), stdout=out)
    return out.getvalue()


def import_(path: Path) -> str:
    out = StringIO()
    call_command("import_course", str(path), stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    """Rows of every table in the database, join tables included."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def grades(course: Course) -> list[tuple]:
    book = gradebook(course=Course.objects.get(slug=course.slug), now=NOW)
    return [
        (
            row.student.username,
            row.current.percentage,
            row.current.letter,
            row.projected.percentage,
            row.projected.letter,
            tuple(row.cells),
        )
        for row in book.students
    ]


def course_values(slug: str) -> dict[str, list[dict]]:
    """Every exported row's values, by model: users with the fields an archive
    carries, and without the one outside the course (who loses the password)."""
    course = Course.objects.get(slug=slug)
    values = {}
    for model, queryset in backup.course_rows(course):
        if model is User:
            rows = queryset.exclude(username="root").values(*backup.USER_FIELDS, "id")
        else:
            rows = queryset.values()
        values[model._meta.label_lower] = list(rows.order_by("pk"))
    return values


def download(client: Client, slug: str, submission_id: int, version: int | None = None) -> bytes:
    path = f"/courses/{slug}/submissions/{submission_id}/file"
    response = client.get(f"{path}?version={version}" if version else path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- the demo course, whole -------------------------------------------------------------------


def add_the_rest(course: Course) -> dict:
    """What the demo lacks: uploaded files (two versions of one), a poll answered
    now, a custom letter scale, preferences, a blackout, an assignment run and a
    gradebook import, and a user outside the course that a row points to."""
    instructor = course.memberships.get(role=Membership.Role.INSTRUCTOR).user
    alice, bob = (
        m.user for m in course.memberships.filter(role=Membership.Role.STUDENT).order_by("pk")[:2]
    )
    item = GradeItem.objects.filter(component__course=course, accepts_file=True).first()
    submission_save(item=item, student=alice, file=SimpleUploadedFile("report.pdf", PDF_V1))
    submission_save(item=item, student=alice, file=SimpleUploadedFile("report.pdf", PDF_V2))
    submission_save(item=item, student=bob, file=SimpleUploadedFile("model.ipynb", NOTEBOOK))

    poll = polls.poll_create(
        course=course, question="Which parallelism?", kind=Poll.Kind.MULTIPLE, choices=["DP", "TP"]
    )
    polls.poll_state_set(poll=poll, state=Poll.State.OPEN)
    choice_ids = list(poll.choices.values_list("pk", flat=True))
    polls.poll_answer(poll=poll, student=alice, choice_ids=choice_ids)
    polls.poll_answer(poll=poll, student=bob, choice_ids=choice_ids[:1])
    polls.poll_state_set(poll=poll, state=Poll.State.CLOSED)

    for letter, minimum in (("A", 92), ("B", 82), ("C", 70), ("D", 60), ("F", 0)):
        LetterCutoff.objects.create(course=course, letter=letter, minimum=Decimal(minimum))
    paper = Reading.objects.filter(session__course=course, presentable=True).first()
    PaperPreference.objects.create(course=course, student=alice, reading=paper, rank=1)
    Blackout.objects.create(course=course, student=bob, session=paper.session)
    admin = User.objects.create_superuser("root", "root@example.edu", "an admin password")
    AssignmentRun.objects.create(
        course=course,
        created_by=admin,
        seed=7,
        result={"placements": [[alice.pk, paper.pk, 1]], "adjusted": False},
    )
    GradeImport.objects.create(
        course=course, uploaded_by=instructor, filename="grades.csv", content="a,b\n"
    )
    # A later change to a score, so that a score has two history rows.
    score = Score.objects.filter(item__component__course=course, points__gte=1).first()
    score_set(
        item=score.item,
        student=score.student,
        points=score.points - 1,
        by=instructor,
        reason="Regrade",
    )
    return {"alice": alice, "bob": bob, "item": item}


def test_the_demo_course_comes_back_whole_after_a_wipe(settings, tmp_path, media):
    call_command("seed_demo", stdout=StringIO())
    course = Course.objects.get(slug=COURSE_SLUG)
    made = add_the_rest(course)
    alice_work = Submission.objects.get(item=made["item"], student=made["alice"])
    versions = list(
        alice_work.history.exclude(file="").order_by("history_id").values_list("history_id", "file")
    )
    assert len(versions) == 2
    assert len(files_under(media)) == 3

    counts, values, before = table_counts(), course_values(COURSE_SLUG), grades(course)
    assert any(row[1] is not None for row in before)
    archive = tmp_path / "backup" / "cis6200.zip"
    assert "Exported cis6200-spring-2026" in export(COURSE_SLUG, archive)

    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        manifest = json.loads(zipped.read("manifest.json"))
    stored = {"files/" + name for _, name in versions} | {
        "files/" + Submission.objects.get(student=made["bob"], item=made["item"]).file.name
    }
    assert names == {"manifest.json", "course.json", *stored}
    assert manifest["course"] == COURSE_SLUG
    assert manifest["counts"]["grading.historicalscore"] == Score.history.count()
    assert manifest["counts"]["courses.pollanswer_choices"] > 0

    restored_media = wipe(settings, tmp_path)
    output = import_(archive)
    assert "Imported cis6200-spring-2026" in output
    assert "3 file(s) restored" in output

    assert table_counts() == counts
    assert course_values(COURSE_SLUG) == values  # to the microsecond
    assert grades(course) == before
    assert len(files_under(restored_media)) == 3

    # The people come back able to log in, the instructor with admin access; the
    # administrator outside the course only as a name, without a password or powers.
    instructor = User.objects.get(memberships__role=Membership.Role.INSTRUCTOR)
    assert instructor.is_staff
    assert instructor.groups.filter(name="Instructors").exists()
    assert User.objects.get(pk=made["alice"].pk).check_password("demo")
    root = User.objects.get(username="root")
    assert not root.is_superuser
    assert not root.has_usable_password()

    # The same bytes come back, the earlier version included.
    staff = Client()
    staff.force_login(instructor)
    assert download(staff, COURSE_SLUG, alice_work.pk) == PDF_V2
    assert download(staff, COURSE_SLUG, alice_work.pk, version=versions[0][0]) == PDF_V1
    student = Client()
    student.force_login(User.objects.get(pk=made["alice"].pk))
    assert download(student, COURSE_SLUG, alice_work.pk) == PDF_V2

    # New rows get new ids, after the imported ones.
    restored = Course.objects.get(slug=COURSE_SLUG)
    newest = Announcement.objects.order_by("-pk").first().pk
    assert Announcement.objects.create(course=restored, title="Back online").pk > newest
    score = Score.objects.filter(item__component__course=restored, points__gte=1).first()
    history = Score.history.order_by("-history_id").first().history_id
    score_set(item=score.item, student=score.student, points=score.points - 1, by=instructor)
    assert Score.history.order_by("-history_id").first().history_id > history

    # A second import finds the course there and changes nothing.
    counts = table_counts()
    with pytest.raises(CommandError, match="already exists here"):
        import_(archive)
    assert table_counts() == counts


# --- refusals ---------------------------------------------------------------------------------


def small_course(media: Path) -> Course:
    """A course with a member of each role, a score and an uploaded file."""
    course = CourseFactory(slug="cis5000", code="CIS5000")
    instructor = MembershipFactory(course=course, role=Membership.Role.INSTRUCTOR).user
    alice = new_student(course, "alice")
    component = GradeComponentFactory(course=course, name="Projects", weight=100)
    item = GradeItemFactory(component=component, title="Report", accepts_file=True)
    score_set(item=item, student=alice, points=Decimal("8"), by=instructor)
    submission_save(item=item, student=alice, file=SimpleUploadedFile("report.pdf", PDF_V1))
    assert len(files_under(media)) == 1
    return course


def rewritten(archive: Path, target: Path, **replace: bytes) -> Path:
    """A copy of the archive with some of its members' contents replaced."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            out.writestr(name, replace.get(name, source.read(name)))
    return target


def miscount(data: bytes) -> bytes:
    manifest = json.loads(data)
    manifest["counts"]["grading.score"] += 1
    return json.dumps(manifest).encode()


def drop_a_score(data: bytes) -> bytes:
    rows = json.loads(data)
    return json.dumps([row for row in rows if row["model"] != "grading.score"]).encode()


CORRUPTIONS = {
    "bad-json": ({"course.json": b'[{"model": "courses.course", '}, "not valid JSON"),
    "manifest-count-mismatch": ({"manifest.json": miscount}, "grading.score: 2 expected, 1"),
    "missing-row": ({"course.json": drop_a_score}, "grading.score: 1 expected, 0 loaded"),
    "unknown-model": (
        {"course.json": lambda data: data.replace(b'"grading.score"', b'"grading.nothing"')},
        "cannot read",
    ),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_a_corrupted_archive_changes_nothing(settings, tmp_path, media, corruption):
    small_course(media)
    archive = tmp_path / "cis5000.zip"
    export("cis5000", archive)
    restored_media = wipe(settings, tmp_path)
    empty = table_counts()

    changes, message = CORRUPTIONS[corruption]
    with zipfile.ZipFile(archive) as zipped:
        replace = {
            name: change(zipped.read(name)) if callable(change) else change
            for name, change in changes.items()
        }
    broken = rewritten(archive, tmp_path / "broken.zip", **replace)
    with pytest.raises(CommandError, match=message):
        import_(broken)
    assert table_counts() == empty
    assert files_under(restored_media) == []

    # The intact archive still goes in.
    assert "Imported cis5000" in import_(archive)
    assert Score.objects.get().points == Decimal("8")
    assert len(files_under(restored_media)) == 1


def test_a_damaged_file_or_a_non_archive_is_refused(settings, tmp_path, media):
    small_course(media)
    archive = tmp_path / "cis5000.zip"
    export("cis5000", archive)
    restored_media = wipe(settings, tmp_path)
    with zipfile.ZipFile(archive) as zipped:
        stored = next(name for name in zipped.namelist() if name.startswith("files/"))
    damaged = rewritten(archive, tmp_path / "damaged.zip", **{stored: b"%PDF-1.4 tampered"})
    with pytest.raises(CommandError, match="damaged"):
        import_(damaged)
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("just text")
    with pytest.raises(CommandError, match="not a readable zip file"):
        import_(not_zip)
    assert not User.objects.exists()
    assert files_under(restored_media) == []


def test_a_user_already_here_with_the_same_username_is_refused(settings, tmp_path, media):
    small_course(media)
    archive = tmp_path / "cis5000.zip"
    export("cis5000", archive)
    wipe(settings, tmp_path)
    UserFactory(username="alice")
    with pytest.raises(CommandError, match=r"already exist here \(alice\)"):
        import_(archive)
    assert not Course.objects.exists()
    assert User.objects.count() == 1


def test_export_names_what_it_cannot_do(tmp_path, media):
    with pytest.raises(CommandError, match="No course with the slug “nope”"):
        export("nope", tmp_path / "nope.zip")
    small_course(media)
    for path in files_under(media):
        path.unlink()
    with pytest.raises(CommandError, match="missing from storage"):
        export("cis5000", tmp_path / "cis5000.zip")
    assert not (tmp_path / "cis5000.zip").exists()
    out, err = StringIO(), StringIO()
    call_command(
        "export_course",
        "cis5000",
        "-o",
        str(tmp_path / "cis5000.zip"),
        "--skip-missing-files",
        stdout=out,
        stderr=err,
    )
    assert "Missing from storage" in err.getvalue()
    with zipfile.ZipFile(tmp_path / "cis5000.zip") as zipped:
        assert len(json.loads(zipped.read("manifest.json"))["missing_files"]) == 1


def test_the_archive_is_loaddata_json(tmp_path, media):
    small_course(media)
    archive = tmp_path / "cis5000.zip"
    export("cis5000", archive)
    with zipfile.ZipFile(archive) as zipped:
        rows = json.loads(zipped.read("course.json"))
    models = [row["model"] for row in rows]
    assert models[:3] == ["auth.user", "auth.user", "courses.course"]
    assert all("is_superuser" not in row["fields"] for row in rows if row["model"] == "auth.user")


def test_an_archive_file_nested_past_any_parser_is_refused_with_a_message():
    from coursesite.backup.archive import BackupError, _json

    with pytest.raises(BackupError, match="nested too deeply"):
        _json(b"[" * 200_000 + b"]" * 200_000, "course.json")
