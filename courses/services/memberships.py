"""Writes with rules for courses and their members.

Admin access follows the instructor role: someone who is an instructor of a
course gets `is_staff` and the "Instructors" group, and someone who is no
longer an instructor anywhere loses them again (a superuser keeps `is_staff`).
Every path that changes a role (the roster, joining by code, the admin's
membership forms, the demo, a restored backup) goes through
`membership_set`, `membership_remove` or `instructor_access_sync`, which lock
the person's row so that two role changes for one person take turns.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction

from courses.models import Course, Membership
from courses.services import CourseError

INSTRUCTORS_GROUP = "Instructors"
# The apps whose models instructors edit in the admin; other apps add theirs
# from their app config (grading does), so this module names only its own.
INSTRUCTOR_APPS = ["courses"]


def instructor_apps_add(label: str) -> None:
    """Give instructors the admin permissions of another app's models too."""
    if label not in INSTRUCTOR_APPS:
        INSTRUCTOR_APPS.append(label)


@transaction.atomic
def instructors_group_ensure() -> Group:
    """The "Instructors" group holds every permission on the course apps'
    models, plus viewing users (to pick them in membership forms); instructors
    reach the admin through it, and the admin narrows them to their own courses."""
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=INSTRUCTOR_APPS) | (
        Permission.objects.filter(content_type__app_label="auth", codename="view_user")
    )
    missing = wanted.exclude(id__in=group.permissions.values("id"))
    if missing.exists():
        group.permissions.add(*missing)
    return group


def _locked(user: AbstractUser) -> AbstractUser:
    """The person's row, locked until the end of the transaction; `user` gets its
    current flags too, so a caller holding it sees what was saved."""
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.is_staff, user.is_superuser = locked.is_staff, locked.is_superuser
    return user


@transaction.atomic
def instructor_access_sync(*, user: AbstractUser) -> None:
    """Give an instructor of any course admin access (staff flag and the
    "Instructors" group); take it from someone who is an instructor nowhere.
    A superuser keeps the staff flag, and so does a staff member who never had
    the group (their access was given by hand, not by this rule)."""
    user = _locked(user)
    if Membership.objects.filter(user=user, role=Membership.Role.INSTRUCTOR).exists():
        if not user.is_staff:
            _staff_flag_set(user, True)
        user.groups.add(instructors_group_ensure())
        return
    group = Group.objects.filter(name=INSTRUCTORS_GROUP).first()
    if group is not None and user.groups.filter(pk=group.pk).exists():
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            _staff_flag_set(user, False)


def _staff_flag_set(user: AbstractUser, value: bool) -> None:
    # An UPDATE of the one column, not a save: the flag shows on no page, and
    # a restored course keeps its timestamps.
    get_user_model().objects.filter(pk=user.pk).update(is_staff=value)
    user.is_staff = value


@transaction.atomic
def membership_set(*, course: Course, user: AbstractUser, role: str) -> Membership:
    """Give a user one role in a course; instructors also get admin access, and
    someone who stops being an instructor anywhere loses it."""
    if role not in Membership.Role.values:
        raise CourseError(f"“{role}” is not a role; use one of: {', '.join(Membership.Role)}.")
    _locked(user)
    membership, created = Membership.objects.get_or_create(
        course=course, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    instructor_access_sync(user=user)
    return membership


@transaction.atomic
def membership_remove(*, course: Course, user: AbstractUser) -> bool:
    """Take a user out of a course (whatever their role); someone who is then an
    instructor nowhere loses admin access, as with `membership_set`. Returns
    whether there was a membership to remove."""
    _locked(user)
    removed, _ = Membership.objects.filter(course=course, user=user).delete()
    instructor_access_sync(user=user)
    return bool(removed)
