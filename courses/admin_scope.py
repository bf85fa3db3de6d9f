"""The admin, scoped to courses: an instructor sees and edits only the rows of
the courses they teach, in the courses app's admin and the grading app's."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Course, Membership, Reading, Session, Theme


def taught_course_ids(request: HttpRequest) -> QuerySet:
    return Membership.objects.filter(user=request.user, role=Membership.Role.INSTRUCTOR).values(
        "course_id"
    )


def taught_course_filter(lookup: str) -> type[admin.SimpleListFilter]:
    """A "By course" filter that lists only the courses the user teaches."""

    class TaughtCourseFilter(admin.SimpleListFilter):
        title = "course"
        parameter_name = "course"

        def lookups(self, request, model_admin):
            courses = Course.objects.all()
            if not request.user.is_superuser:
                courses = courses.filter(id__in=taught_course_ids(request))
            return [(course.pk, str(course)) for course in courses]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{f"{lookup}__id": self.value()})
            return queryset

    return TaughtCourseFilter


class CourseScopedAdminMixin:
    """Instructors see and edit only the courses they teach; superusers see all.

    `course_lookup` is the path from the model to its course.
    """

    course_lookup = "course"

    def get_list_filter(self, request: HttpRequest):
        # Django's own related filter would list every course in the database.
        return [
            taught_course_filter(self.course_lookup) if name == self.course_lookup else name
            for name in super().get_list_filter(request)
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.course_lookup}__in": taught_course_ids(request)})

    def _in_scope(self, request: HttpRequest, obj) -> bool:
        """Object-level check, for the pages that load an object without going
        through `get_queryset` (the history pages load old versions directly)."""
        if obj is None or request.user.is_superuser:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if not request.user.is_superuser:
            related = db_field.related_model
            if related is Course:
                kwargs["queryset"] = Course.objects.filter(id__in=taught_course_ids(request))
            elif related in (Session, Theme):
                kwargs["queryset"] = related.objects.filter(
                    course_id__in=taught_course_ids(request)
                )
            elif related is Reading:
                kwargs["queryset"] = Reading.objects.filter(
                    session__course_id__in=taught_course_ids(request)
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
