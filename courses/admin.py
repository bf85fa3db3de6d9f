from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from grading.models import GradeComponent, LetterCutoff

from . import polls, signups
from .admin_scope import CourseScopedAdminMixin
from .models import (
    Announcement,
    Course,
    Membership,
    Poll,
    PollChoice,
    PresentationSignup,
    Reading,
    Resource,
    Session,
    Theme,
    Topic,
)


def weights_warning(course: Course) -> str | None:
    total = GradeComponent.objects.filter(course=course).total_weight()
    if total == Decimal("100"):
        return None
    return (
        f"The grade components of {course.code} add up to {total.normalize():f}%, not 100%. "
        "Grades are still computed (weights are scaled to what they add up to), "
        "but the grading table on the home page will look wrong to students."
    )


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    show_change_link = True
    fields = ["order", "title"]


class GradeComponentInline(admin.TabularInline):
    model = GradeComponent
    extra = 0
    show_change_link = True  # its items are edited on the component's own page
    fields = ["order", "name", "weight", "description", "drop_lowest", "weighting"]


class LetterCutoffInline(admin.TabularInline):
    model = LetterCutoff
    extra = 0
    fields = ["letter", "minimum"]
    verbose_name = "letter grade cut-off"
    verbose_name_plural = (
        "Letter scale (leave empty for the default: A 94, A- 90, B+ 87, B 84, B- 80, "
        "C+ 77, C 74, C- 70, D+ 67, D 64, D- 61, F 0)"
    )


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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]


class AnnouncementInline(admin.StackedInline):
    model = Announcement
    extra = 0
    fields = ["title", "body", "published_at"]


@admin.register(Course)
class CourseAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    course_lookup = "id"
    list_display = ["code", "title", "term", "is_published", "grading_weights"]
    list_filter = ["is_published", "term"]
    search_fields = ["code", "title", "term", "slug"]
    prepopulated_fields = {"slug": ["code", "term"]}
    readonly_fields = ["grading_weights", "roster_link"]
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
        ("Grading", {"fields": ["grading_weights", "late_days", "share_response_names"]}),
        ("People", {"fields": ["roster_link"]}),
    ]
    inlines = [
        ThemeInline,
        GradeComponentInline,
        LetterCutoffInline,
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

    @admin.display(description="Grading weights")
    def grading_weights(self, obj: Course | None) -> str:
        if obj is None or obj.pk is None:
            return "Add grade components below; their weights should add up to 100%."
        warning = weights_warning(obj)
        if warning:
            return format_html('<strong class="weights-warning">⚠ {}</strong>', warning)
        return "The weights add up to 100%."

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        warning = weights_warning(form.instance)
        if warning:
            messages.warning(request, warning)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new course has no instructor yet, so only a superuser can create one.
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


class ReadingInline(admin.StackedInline):
    model = Reading
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


@admin.register(Reading)
class ReadingAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    course_lookup = "session__course"
    list_display = ["title", "authors", "year", "session", "kind", "presentable"]
    list_filter = ["session__course", "kind", "presentable"]
    search_fields = ["title", "authors", "venue"]
    list_select_related = ["session"]


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


@admin.register(Membership)
class MembershipAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "course", "role"]
    list_filter = ["course", "role"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "course"]


class PresentationSignupAdminForm(forms.ModelForm):
    """Checks an assignment or a move against the sign-up rules before saving;
    the save itself goes through `courses.signups`, which checks again under
    the course lock."""

    class Meta:
        model = PresentationSignup
        fields = ["reading", "student"]

    def clean(self):
        cleaned = super().clean()
        reading = cleaned.get("reading")
        # On a move the student is read-only, so it comes from the instance.
        student = cleaned.get("student") or (self.instance.student if self.instance.pk else None)
        if not (reading and student):
            return cleaned
        course = reading.session.course
        if not reading.presentable:
            raise forms.ValidationError("This paper is not open for presentations.")
        if not Membership.objects.filter(
            course=course, user=student, role=Membership.Role.STUDENT
        ).exists():
            raise forms.ValidationError(f"{student} is not a student of {course.code}.")
        moving_from = None
        if self.instance.pk:
            original = PresentationSignup.objects.select_related("reading__session").get(
                pk=self.instance.pk
            )
            if original.reading_id == reading.pk:
                return cleaned
            if original.reading.session.course_id != course.pk:
                raise forms.ValidationError(
                    "A presenter can only move to a paper of the same course."
                )
            if original.status == PresentationSignup.Status.CONFIRMED:
                moving_from = original.reading
        problem = signups.confirm_problem(
            course=course,
            reading=reading,
            student=student,
            moving_from=moving_from,
            as_staff=True,
        )
        if problem:
            raise forms.ValidationError(str(problem))
        return cleaned


@admin.register(PresentationSignup)
class PresentationSignupAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    """Assign (add), move (change the paper) and withdraw (delete) presenters,
    all through the sign-up services and their rules."""

    course_lookup = "reading__session__course"
    form = PresentationSignupAdminForm
    list_display = ["student", "reading", "session_date", "status", "created_at"]
    list_filter = ["reading__session__course", "status"]
    search_fields = ["student__username", "student__first_name", "student__last_name"]
    search_help_text = "Search by the student's name or username."
    list_select_related = ["student", "reading__session"]
    autocomplete_fields = ["student"]

    @admin.display(description="Date", ordering="reading__session__date")
    def session_date(self, obj: PresentationSignup):
        return obj.reading.session.date

    def get_readonly_fields(self, request, obj=None):
        return ["student", "status"] if obj else ["status"]

    def save_model(self, request, obj, form, change) -> None:
        try:
            if not change:
                saved = signups.signup_assign(reading=obj.reading, student=obj.student)
            elif "reading" in form.changed_data:
                original = PresentationSignup.objects.get(pk=obj.pk)
                saved, result = signups.signup_move(signup=original, to_reading=obj.reading)
                self._report_promotion(request, result)
            else:
                return
            # The admin's message and log entry describe `obj`: make it what was saved.
            obj.pk, obj.status, obj.created_at = saved.pk, saved.status, saved.created_at
        except signups.SignupError as error:
            # Only a request racing this one can get here after the form's checks.
            messages.error(request, f"Nothing was changed: {error}")

    def delete_model(self, request, obj) -> None:
        result = signups.signup_withdraw(reading=obj.reading, student=obj.student, by_staff=True)
        self._report_promotion(request, result)

    def delete_queryset(self, request, queryset) -> None:
        for signup in queryset.select_related("reading", "student"):
            self.delete_model(request, signup)

    def _report_promotion(self, request, result: signups.WithdrawResult) -> None:
        if result.promoted:
            promoted = result.promoted
            messages.info(
                request,
                f"{promoted.student} moved up from the waitlist to present “{promoted.reading}”.",
            )


class PollChoiceInline(admin.TabularInline):
    model = PollChoice
    extra = 3
    fields = ["order", "text"]


@admin.register(Poll)
class PollAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    """Polls can be written here too; opening and closing go through
    `courses.polls.poll_state_set`, like the buttons on the poll page."""

    list_display = ["question", "course", "session", "kind", "state", "anonymous"]
    list_filter = ["course", "state", "kind"]
    search_fields = ["question"]
    fields = ["course", "session", "question", "kind", "anonymous", "results", "state"]
    readonly_fields = ["state"]
    inlines = [PollChoiceInline]
    actions = ["open_polls", "close_polls"]

    def _set_state(self, request: HttpRequest, queryset: QuerySet, state: str) -> None:
        done = 0
        for poll in queryset:
            try:
                polls.poll_state_set(poll=poll, state=state)
                done += 1
            except polls.PollError as error:
                self.message_user(request, f"{poll}: {error}", messages.WARNING)
        self.message_user(request, f"{done} poll(s) {state}.", messages.SUCCESS)

    @admin.action(description="Open the selected polls")
    def open_polls(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, Poll.State.OPEN)

    @admin.action(description="Close the selected polls")
    def close_polls(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, Poll.State.CLOSED)
