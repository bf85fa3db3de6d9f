"""The admin, scoped to courses: an instructor sees and edits only the rows of
the courses they teach, in the courses app's admin and the grading app's.

Every way the admin reads or picks a row goes through a scoped queryset: the
lists, their search and filters, the add and change forms (an object's page
loads it through `get_queryset`; the history pages check the object), every
foreign-key menu (a menu of a course model lists what that model's own admin
would list), and the autocomplete boxes (which search the *target* model's
admin). On a change form an object stays in its course: a field leading to
the course is read-only, or may only point to something of the same course.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from courses.models import Course, Membership
from coursesite.converters import fits_field, id_or_none


def taught_course_ids(request: HttpRequest) -> QuerySet:
    return Membership.objects.filter(user=request.user, role=Membership.Role.INSTRUCTOR).values(
        "course_id"
    )


def course_people(request: HttpRequest) -> QuerySet:
    """The people the user may see in the admin: everyone for a superuser, else
    the members (any role) of the courses they teach."""
    users = get_user_model().objects.all()
    if request.user.is_superuser:
        return users
    members = Membership.objects.filter(course_id__in=taught_course_ids(request))
    return users.filter(pk__in=members.values("user_id"))


def taught_course_filter(lookup: str) -> type[admin.SimpleListFilter]:
    """A "By course" filter that lists only the courses the user teaches."""

    class TaughtCourseFilter(admin.SimpleListFilter):
        title = "course"
        parameter_name = "course"

        def lookups(self, request, model_admin):
            return [(course.pk, str(course)) for course in self._courses(request)]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            # A course typed into the address that the user does not teach
            # selects nothing (not who else is in it).
            if not self._courses(request).filter(pk=id_or_none(self.value())).exists():
                return queryset.none()
            return queryset.filter(**{f"{lookup}__id": self.value()})

        @staticmethod
        def _courses(request) -> QuerySet:
            courses = Course.objects.all()
            if not request.user.is_superuser:
                courses = courses.filter(id__in=taught_course_ids(request))
            return courses

    return TaughtCourseFilter


def course_of(obj: Model, lookup: str) -> Course | None:
    """The course an object belongs to, following `lookup` ("session__course")."""
    for name in lookup.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box; redisplaying a form whose posted value cannot be
    an id of the target model leaves that value out instead of querying the
    database with it (which fails with a server error)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        kept = [v for v in value if v in (None, "") or fits_field(target, v)]
        return super().optgroups(name, kept, attr)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A many-to-many menu that refuses a value that cannot be an id with the
    field's own message, before the database sees it (SQLite cannot hold an
    integer past 2**63 and fails on it)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        target = (
            self.queryset.model._meta.pk
            if key == "pk"
            else (self.queryset.model._meta.get_field(key))
        )
        for pk in value:
            if not fits_field(target, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class SafeIdsAdminMixin:
    """Admin forms (and inlines) whose relation boxes take any posted value
    without a server error: a form error, or a value left out on redisplay."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


SEARCH_MAX_LENGTH = 200


class AdminSearchLengthMixin:
    """A search box or autocomplete term longer than anything worth looking for
    finds nothing, with a message, instead of a query the database refuses to
    run (SQLite: "LIKE pattern too complex")."""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        if len(search_term) > SEARCH_MAX_LENGTH:
            messages.warning(
                request, f"Search for at most {SEARCH_MAX_LENGTH} characters; nothing was found."
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class CourseScopedAdminMixin(SafeIdsAdminMixin, AdminSearchLengthMixin):
    """Instructors see and edit only the courses they teach; superusers see all.

    `course_lookup` is the path from the model to its course.
    """

    course_lookup = "course"

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        """An earlier version (django-simple-history) is for reading: posting it
        back would write the row without its service's checks and audit."""
        if request.method != "GET":
            raise PermissionDenied("Earlier versions can be read, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_list_filter(self, request: HttpRequest):
        # Django's own related filters would list every row of the database
        # (every course, every item): list only what the scoped rows point to.
        scoped = []
        for entry in super().get_list_filter(request):
            if entry == self.course_lookup:
                entry = taught_course_filter(self.course_lookup)
            elif isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped

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
        # A menu of courses, sessions, items...: what that model's admin lists.
        related = db_field.related_model
        if "queryset" not in kwargs and self.admin_site.is_registered(related):
            related_admin = self.admin_site.get_model_admin(related)
            if isinstance(related_admin, CourseScopedAdminMixin):
                kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # An object never moves to another course (its answers, scores or
        # sign-ups would go with it).
        if obj is not None and self.course_lookup == "course" and "course" not in fields:
            fields.append("course")
        return fields

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        head, _, rest = self.course_lookup.partition("__")
        if obj is None or not rest:
            return form
        course = course_of(obj, self.course_lookup)
        label = self.model._meta.verbose_name

        class StaysInItsCourse(form):
            """An object reached from its course through another one (a paper
            through its session) may move to another of the same course only."""

            def clean(self):
                cleaned = super().clean()
                target = cleaned.get(head)
                if target is not None and course_of(target, rest) != course:
                    target_label = target._meta.verbose_name
                    self.add_error(
                        head,
                        forms.ValidationError(
                            f"This {label} belongs to {course.code}; choose a {target_label} "
                            f"of {course.code}.",
                            code="other_course",
                        ),
                    )
                return cleaned

        StaysInItsCourse.__name__ = form.__name__
        return StaysInItsCourse


def view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
    """The admin's "View on site" redirect (``/admin/r/<type>/<id>/``), for an
    object the person may view in the admin; anything else is a 404 as if it did
    not exist, so the redirect cannot reveal another course's address."""
    if not request.user.is_superuser:
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError, OverflowError) as exc:
            raise Http404("No such object.") from exc
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            raise Http404("No such object.")
        try:
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, TypeError, ValidationError, OverflowError) as exc:
            raise Http404("No such object.") from exc
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404("No such object.")
    return contenttype_views.shortcut(request, content_type_id, object_id)
