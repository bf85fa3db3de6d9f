"""Rosters: who is in a course, from a CSV file or a join code.

`roster_plan` reads a file against the course as it is and says, row by row,
who would be added, updated or left unchanged, and which rows are rejected and
why; it writes nothing. `roster_import` applies a plan with no rejected row, in
one transaction, through `membership_set`; people who get a new account are
sent an invitation (Django's password-reset link, so it expires) once the
transaction has committed. Importing the same file again changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from courses.models import Course, Membership
from courses.services import CourseError
from courses.services.memberships import membership_set
from courses.spreadsheets import (
    LineProblem,
    SpreadsheetError,
    SpreadsheetReader,
    cell,
    spreadsheet_text,
    spreadsheet_upload_text,
)

MAX_ROSTER_BYTES = 1024 * 1024
NAME_HEADERS = ("name", "student", "full name")
EMAIL_HEADERS = ("email", "email address", "sis login id", "login id")
ROLE_HEADERS = ("role",)
ROLE_WORDS = {
    "student": Membership.Role.STUDENT,
    "students": Membership.Role.STUDENT,
    "ta": Membership.Role.TA,
    "tas": Membership.Role.TA,
    "teaching assistant": Membership.Role.TA,
    "instructor": Membership.Role.INSTRUCTOR,
    "teacher": Membership.Role.INSTRUCTOR,
}
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    role: str
    action: str  # "add" (new account), "enrol" (existing account), "update", "unchanged"
    user: AbstractBaseUser | None = None
    was: str = ""  # for "update": what changes

    @property
    def role_label(self) -> str:
        return Membership.Role(self.role).label


@dataclass
class RosterPlan:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def of(self, action: str) -> list[RosterRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def added(self) -> list[RosterRow]:
        return self.of("add")

    @property
    def enrolled(self) -> list[RosterRow]:
        return self.of("enrol")

    @property
    def updated(self) -> list[RosterRow]:
        return self.of("update")

    @property
    def unchanged(self) -> list[RosterRow]:
        return self.of("unchanged")

    @property
    def changes(self) -> list[RosterRow]:
        return [row for row in self.rows if row.action != "unchanged"]

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for row in self.changes:
            digest.update(f"{row.email}:{row.role}:{row.action}:{row.name};".encode())
        return digest.hexdigest()


def roster_text(raw: bytes) -> str:
    """The text of an uploaded roster, or a CourseError saying why it is refused."""
    try:
        return spreadsheet_text(
            raw, max_bytes=MAX_ROSTER_BYTES, too_large="The roster is larger than 1 MB."
        )
    except SpreadsheetError as exc:
        raise CourseError(str(exc)) from exc


def roster_upload_text(upload: UploadedFile) -> str:
    """The text of a roster uploaded on the roster page: a .csv file within the
    size limit, read by the same reader as the gradebook's import."""
    try:
        return spreadsheet_upload_text(
            upload, max_bytes=MAX_ROSTER_BYTES, too_large="The roster is larger than 1 MB."
        )
    except SpreadsheetError as exc:
        raise CourseError(str(exc)) from exc


def _split_name(name: str) -> tuple[str, str]:
    """ "Ross, Bob" (registrar order) or "Bob Ross" to (first, last)."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return first, last
    first, _, last = name.partition(" ")
    return first.strip(), last.strip()


def roster_plan(*, course: Course, text: str) -> RosterPlan:
    plan = RosterPlan()
    reader = SpreadsheetReader(text)
    if reader.header is None:
        plan.problems.extend(reader.problems)
        return plan
    name_at = reader.column(NAME_HEADERS)
    email_at = reader.column(EMAIL_HEADERS)
    role_at = reader.column(ROLE_HEADERS)
    if email_at is None:
        plan.problems.append(
            LineProblem(1, "The file has no email column (Email or SIS Login ID).")
        )
        return plan

    User = get_user_model()
    members = {
        m.user_id: m for m in Membership.objects.filter(course=course).select_related("user")
    }
    seen: dict[str, int] = {}
    rows = []
    for line, row in reader.rows():
        name = cell(row, name_at)
        email = cell(row, email_at).lower()
        role_text = cell(row, role_at).casefold() or "student"
        if name.casefold() in {"points possible", "student, test", "test student"}:
            continue
        if not email:
            plan.problems.append(LineProblem(line, "No email address on this row."))
            continue
        try:
            validate_email(email)
        except ValidationError:
            plan.problems.append(LineProblem(line, f"“{email}” is not an email address."))
            continue
        role = ROLE_WORDS.get(role_text)
        if role is None:
            plan.problems.append(
                LineProblem(
                    line, f"Unknown role “{cell(row, role_at)}”; use student, ta or instructor."
                )
            )
            continue
        if email in seen:
            plan.problems.append(LineProblem(line, f"{email} is already on line {seen[email]}."))
            continue
        if len(name) > 150:
            plan.problems.append(LineProblem(line, "The name is longer than 150 characters."))
            continue
        seen[email] = line
        rows.append((line, name, email, role))
    if reader.problems:  # a line that cannot be read: nothing after it is planned
        plan.problems.extend(reader.problems)
        return plan

    users: dict[str, list] = {}
    wanted = [email for _, _, email, _ in rows]
    # Addresses compare in any letter case (Dana@example.edu is dana@example.edu).
    by_email = User._default_manager.annotate(address=Lower("email")).filter(address__in=wanted)
    for user in by_email:
        users.setdefault(user.email.lower(), []).append(user)
    by_username = User._default_manager.annotate(name=Lower("username")).filter(name__in=wanted)
    for user in by_username:
        users.setdefault(user.username.lower(), [user])
    for line, name, email, role in rows:
        found = users.get(email, [])
        if len(found) > 1:
            plan.problems.append(
                LineProblem(line, f"Two accounts use {email}; add this person by hand.")
            )
            continue
        user = found[0] if found else None
        if user is None:
            plan.rows.append(RosterRow(line, name, email, role, "add"))
            continue
        membership = members.get(user.pk)
        if membership is None:
            plan.rows.append(RosterRow(line, name, email, role, "enrol", user))
        elif membership.role != role:
            plan.rows.append(
                RosterRow(
                    line, name, email, role, "update", user, was=membership.get_role_display()
                )
            )
        else:
            plan.rows.append(RosterRow(line, name, email, role, "unchanged", user))
    return plan


def _new_username(email: str) -> str:
    """The address's local part when it is free, else the whole address; either
    kept to the characters Django allows in usernames (letters, digits, @.+-_)."""
    User = get_user_model()
    local = re.sub(r"[^\w.@+-]", "", email.split("@", 1)[0])[:150]
    if local and not User._default_manager.filter(username__iexact=local).exists():
        return local
    return re.sub(r"[^\w.@+-]", "", email)[:150]


def invitation_send(*, user: AbstractBaseUser, course: Course, base_url: str) -> None:
    """Email a one-time link to set a password (Django's reset token: it expires
    after PASSWORD_RESET_TIMEOUT and stops working once the password is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    days = settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)
    send_mail(
        subject=f"You are invited to {course.code}: {course.title}",
        message=(
            f"Hello {user.first_name or user.get_username()},\n\n"
            f"You have been added to {course.code}: {course.title} ({course.term}).\n"
            f"Choose a password here (the link works once, for {days} days):\n\n"
            f"{base_url.rstrip('/')}{path}\n\n"
            f"Your username is {user.get_username()}; you can also log in with this "
            "email address.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def roster_import(
    *, course: Course, text: str, base_url: str, fingerprint: str | None = None
) -> RosterPlan:
    """Apply a roster, all or nothing: refused if any row is rejected or (with a
    ``fingerprint``) if the course changed since the preview. New accounts get
    no usable password and an invitation, sent once the import has committed."""
    Course.objects.select_for_update().get(pk=course.pk)  # one roster import at a time
    plan = roster_plan(course=course, text=text)
    if not plan.ok:
        raise CourseError("The roster has problems; fix them and upload it again. Nothing changed.")
    if fingerprint is not None and plan.fingerprint != fingerprint:
        raise CourseError("The course changed since this preview. Check the new preview.")
    User = get_user_model()
    invited = []
    try:
        for row in plan.changes:
            user = row.user
            if user is None:
                first, last = _split_name(row.name)
                user = User(
                    username=_new_username(row.email),
                    email=row.email,
                    first_name=first[:150],
                    last_name=last[:150],
                )
                user.set_unusable_password()
                user.save()
                invited.append(user)
            membership_set(course=course, user=user, role=row.role)
    except IntegrityError as exc:
        raise CourseError(
            "Someone changed these accounts at the same moment. Nothing changed; try again."
        ) from exc
    for user in invited:
        transaction.on_commit(
            lambda user=user: invitation_send(user=user, course=course, base_url=base_url)
        )
    return plan


@transaction.atomic
def join_code_rotate(*, course: Course, enabled: bool = True) -> str:
    """Give the course a fresh join code (the old one stops working), or none."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    code = ""
    if enabled:
        while True:
            raw = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
            if not Course.objects.filter(join_code=code).exists():
                break
    course.join_code = code
    course.save(update_fields=["join_code", "updated_at"])
    return code


@transaction.atomic
def course_join(*, code: str, user: AbstractBaseUser) -> tuple[Course, bool]:
    """Make ``user`` a student of the course whose join code this is. Returns the
    course and whether they joined now (False: they were already a member, in
    whatever role, which is left alone)."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 8:
        raise CourseError("That is not a join code: it has eight letters and digits.")
    course = Course.objects.filter(join_code=f"{cleaned[:4]}-{cleaned[4:]}").first()
    if course is None:
        raise CourseError("No course has this join code. Check it with your instructor.")
    if Membership.objects.filter(course=course, user=user).exists():
        return course, False
    membership_set(course=course, user=user, role=Membership.Role.STUDENT)
    return course, True
