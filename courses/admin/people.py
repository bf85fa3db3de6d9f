"""The admin of a course's people: memberships (through `courses.services.memberships`, so admin
access comes and goes with the instructor role), and Django's user and group
admins narrowed to the people of the instructor's courses."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from courses.admin.scope import (
    AdminSearchLengthMixin,
    CourseScopedAdminMixin,
    SafeIdsAdminMixin,
    course_people,
    taught_course_filter,
)
from courses.models import Membership
from courses.services import memberships as services


class MembershipForm(forms.ModelForm):
    """A membership is a person's role in a course: the role may change, the
    person and the course never (delete it and add another instead)."""

    class Meta:
        model = Membership
        fields = ["course", "user", "role"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "user" in self.changed_data:
            self.add_error(
                "user",
                "A membership stays with its person: delete it and add one for the other "
                "person instead.",
            )
        return cleaned


class MembershipInline(SafeIdsAdminMixin, admin.TabularInline):
    """Saved through `courses.services.memberships` (see `CourseAdmin.save_formset`), so an
    instructor added, demoted or removed here gains or loses admin access."""

    model = Membership
    form = MembershipForm
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    """Roles are given, changed and taken through `courses.services.memberships`, as on the
    roster page: an instructor gets admin access, and loses it once they are an
    instructor nowhere."""

    form = MembershipForm
    list_display = ["user", "course", "role"]
    list_filter = ["course", "role"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "course"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "user"] if obj is not None else fields

    def save_model(self, request, obj: Membership, form, change: bool) -> None:
        saved = services.membership_set(course=obj.course, user=obj.user, role=obj.role)
        obj.pk = saved.pk

    def delete_model(self, request, obj: Membership) -> None:
        services.membership_remove(course=obj.course, user=obj.user)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset.select_related("course", "user"):
            self.delete_model(request, membership)


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class SafeIdsGroupAdmin(SafeIdsAdminMixin, AdminSearchLengthMixin, GroupAdmin):
    """Django's group admin (superusers only), refusing ids that cannot be ids."""


@admin.register(User)
class CoursePeopleUserAdmin(SafeIdsAdminMixin, AdminSearchLengthMixin, UserAdmin):
    """Django's user admin, for instructors narrowed to the people of the courses
    they teach (any role), in the list, its search and filters and the user
    pages. One exception, so that a new member can be added: the person box of a
    membership form also finds anyone by their exact username or email address
    (never by a part of it, so the user table cannot be browsed)."""

    list_filter = ["is_staff", "is_superuser", "is_active"]

    def get_list_filter(self, request: HttpRequest):
        return [taught_course_filter("memberships__course"), *super().get_list_filter(request)]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=course_people(request).values("pk"))

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term and not request.user.is_superuser and _picking_a_new_member(request):
            found = User.objects.filter(
                Q(pk__in=found.values("pk")) | Q(username__iexact=term) | Q(email__iexact=term)
            ).order_by("username")
            may_have_duplicates = False
        return found, may_have_duplicates

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        if obj is None or request.user.is_superuser:
            return allowed
        return allowed and self.get_queryset(request).filter(pk=obj.pk).exists()


def _picking_a_new_member(request: HttpRequest) -> bool:
    """Is this the autocomplete of a membership's person box?"""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("app_label") == Membership._meta.app_label
        and request.GET.get("model_name") == Membership._meta.model_name
        and request.GET.get("field_name") == "user"
    )
