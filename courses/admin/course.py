from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

# Each feature's admin registers its own models when imported.
from courses.admin import polls as admin_polls  # noqa: F401
from courses.admin.people import MembershipInline
from courses.admin.scope import CourseScopedAdminMixin
from courses.models import (
    Announcement,
    Course,
    Membership,
    Reading,
    Resource,
    Session,
    Theme,
    Topic,
)
from courses.services import memberships as services
from courses.services import signups


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    show_change_link = True
    fields = ["order", "title"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    show_change_link = True
    fields = ["date", "start_time", "end_time", "title", "theme", "cancelled"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            course_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Theme.objects.filter(course_id=course_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0
    fields = ["category", "order", "title", "url", "description"]


class AnnouncementInline(admin.StackedInline):
    model = Announcement
    extra = 0
    fields = ["title", "body", "published_at"]


@admin.register(Course)
class CourseAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    course_lookup = "id"
    list_display = ["code", "title", "term", "is_published"]
    list_filter = ["is_published", "term"]
    search_fields = ["code", "title", "term", "slug"]
    prepopulated_fields = {"slug": ["code", "term"]}
    readonly_fields = ["roster_link"]
    fieldsets = [
        (None, {"fields": ["code", "title", "slug", "term", "institution", "is_published"]}),
        ("Text", {"fields": ["overview", "prerequisites"]}),
        ("Logistics", {"fields": ["meeting_times", "location", "office_hours", "timezone"]}),
        (
            "Presentation sign-ups",
            {
                "fields": [
                    "signup_mode",
                    ("signup_opens_at", "signup_closes_at"),
                    ("min_presentations", "max_presentations"),
                    ("rank_min", "rank_max", "min_days_between_presentations"),
                ]
            },
        ),
        ("Grading", {"fields": ["late_days", "share_response_names"]}),
        ("People", {"fields": ["roster_link"]}),
    ]
    inlines = [
        ThemeInline,
        SessionInline,
        ResourceInline,
        AnnouncementInline,
        MembershipInline,
    ]

    @admin.display(description="Roster")
    def roster_link(self, obj: Course | None) -> str:
        if obj is None or obj.pk is None:
            return "Save the course first; then import its roster from the roster page."
        return format_html(
            '<a href="{}">Import a roster, manage the join code</a> (members are also listed '
            "below)",
            reverse("courses:roster", kwargs={"slug": obj.slug}),
        )

    def save_formset(self, request, form, formset, change) -> None:
        # Rows with a rule are written through their service; the lists that
        # `save(commit=False)` fills are what the admin's change message names.
        if formset.model is Membership:
            memberships = formset.save(commit=False)
            for membership in formset.deleted_objects:
                services.membership_remove(course=membership.course, user=membership.user)
            for membership in memberships:
                saved = services.membership_set(
                    course=form.instance, user=membership.user, role=membership.role
                )
                membership.pk = saved.pk
        else:
            super().save_formset(request, form, formset, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new course has no instructor yet, so only a superuser can create one.
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting a course deletes every grade and hand-in in it: a superuser's call.
        return request.user.is_superuser


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ["order", "title"]


@admin.register(Theme)
class ThemeAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "course", "order"]
    list_filter = ["course"]
    search_fields = ["title", "topics__title"]
    inlines = [TopicInline]


class ReadingForm(forms.ModelForm):
    """A paper's seats and openness, checked by the sign-up rules
    (`signups.reading_problems`) so that the form can say which field is wrong."""

    class Meta:
        model = Reading
        fields = [
            "session",
            "order",
            "kind",
            "title",
            "authors",
            "venue",
            "year",
            "url",
            "presentable",
            "presenter_capacity",
        ]

    def clean(self):
        cleaned = super().clean()
        # Checked again under the course lock when saved (`signups.reading_save`).
        problems = signups.reading_problems(
            reading=self.instance,
            presentable=cleaned.get("presentable", True),
            capacity=cleaned.get("presenter_capacity"),
        )
        for field, problem in problems.items():
            self.add_error(field, problem)
        return cleaned


def reading_save(request: HttpRequest, reading: Reading) -> None:
    """Save a paper through the sign-up rules (under the course lock); seats it
    gains go to its waitlist at once."""
    try:
        promoted = signups.reading_save(reading=reading)
    except signups.SignupError as error:
        # Only a sign-up racing this save can get here after the form's checks.
        messages.error(request, f"“{reading}” was not changed: {error}")
        return
    for signup in promoted:
        messages.info(
            request, f"{signup.student} moved up from the waitlist to present “{reading}”."
        )


class ReadingInline(admin.StackedInline):
    model = Reading
    form = ReadingForm
    extra = 0
    fields = [
        ("order", "kind"),
        "title",
        "authors",
        ("venue", "year"),
        "url",
        ("presentable", "presenter_capacity"),
    ]


@admin.register(Session)
class SessionAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "title", "theme", "course", "cancelled"]
    list_filter = ["course", "cancelled"]
    search_fields = ["title", "notes", "readings__title"]
    date_hierarchy = "date"
    inlines = [ReadingInline]

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Reading:
            super().save_formset(request, form, formset, change)
            return
        for reading in formset.save(commit=False):
            reading_save(request, reading)
        for reading in formset.deleted_objects:
            reading.delete()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A session's theme is one of its course's (the model checks it too).
        object_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "theme" and object_id:
            session = self.get_queryset(request).filter(pk=object_id).first()
            if session is not None:
                kwargs["queryset"] = Theme.objects.filter(course_id=session.course_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Reading)
class ReadingAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    course_lookup = "session__course"
    form = ReadingForm
    list_display = ["title", "authors", "year", "session", "kind", "presentable"]
    list_filter = ["session__course", "kind", "presentable"]
    search_fields = ["title", "authors", "venue"]
    list_select_related = ["session"]

    def save_model(self, request, obj, form, change) -> None:
        reading_save(request, obj)


@admin.register(Resource)
class ResourceAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "category", "course"]
    list_filter = ["course", "category"]
    search_fields = ["title", "description", "url"]


@admin.register(Announcement)
class AnnouncementAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "course", "published_at"]
    list_filter = ["course"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
