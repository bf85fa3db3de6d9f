"""Writes with rules for courses and their members."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction

from .models import Course, Membership

INSTRUCTORS_GROUP = "Instructors"
INSTRUCTOR_APPS = ("courses", "grading")


class CourseError(Exception):
    """A course rule was broken; the message is meant for the person who tried."""


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


@transaction.atomic
def membership_set(*, course: Course, user: AbstractUser, role: str) -> Membership:
    """Give a user one role in a course; instructors also get admin access."""
    if role not in Membership.Role.values:
        raise CourseError(f"“{role}” is not a role; use one of: {', '.join(Membership.Role)}.")
    membership, created = Membership.objects.get_or_create(
        course=course, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    if role == Membership.Role.INSTRUCTOR:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(instructors_group_ensure())
    elif not Membership.objects.filter(user=user, role=Membership.Role.INSTRUCTOR).exists():
        # No longer an instructor anywhere: no more admin through this role.
        group = Group.objects.filter(name=INSTRUCTORS_GROUP).first()
        if group is not None and user.groups.filter(pk=group.pk).exists():
            user.groups.remove(group)
            if user.is_staff and not user.is_superuser:
                user.is_staff = False
                user.save(update_fields=["is_staff"])
    return membership
