from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from grading.admin import GradeComponentInline, LetterCutoffInline, letter_scale_save
from grading.models import GradeComponent, LetterCutoff

from . import polls, services, signups
from .admin_scope import (
    AdminSearchLengthMixin,
    CourseScopedAdminMixin,
    SafeIdsAdminMixin,
    course_people,
    taught_course_filter,
)
from .models import (
    Announcement,
    Course,
    Membership,
    Poll,
    PollAnswer,
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
    """Saved through `courses.services` (see `CourseAdmin.save_formset`), so an
    instructor added, demoted or removed here gains or loses admin access."""

    model = Membership
    form = MembershipForm
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
        elif formset.model is LetterCutoff:
            letter_scale_save(course=form.instance, formset=formset)
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
    """A paper's seats never drop below the students presenting it (the board
    would show it oversold); move or withdraw presenters first."""

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
        capacity = cleaned.get("presenter_capacity")
        if self.instance.pk and cleaned.get("presentable") is False:
            signed_up = PresentationSignup.objects.filter(reading=self.instance).count()
            if signed_up:
                self.add_error(
                    "presentable",
                    f"{signed_up} student{'s are' if signed_up != 1 else ' is'} signed up for "
                    "this paper (presenting or waiting); move or withdraw them before "
                    "closing it to presentations.",
                )
        if self.instance.pk and capacity is not None:
            presenting = PresentationSignup.objects.filter(reading=self.instance).confirmed()
            count = presenting.count()
            if capacity < count:
                self.add_error(
                    "presenter_capacity",
                    f"{count} students present this paper; move or withdraw presenters "
                    "before taking seats away.",
                )
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


@admin.register(Membership)
class MembershipAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    """Roles are given, changed and taken through `courses.services`, as on the
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


class PollAdminForm(forms.ModelForm):
    """The poll's own fields, checked by the poll rules (`courses.polls`); its
    choices are checked by `PollChoiceFormSet`, and both are saved in one call
    to the poll services."""

    class Meta:
        model = Poll
        fields = ["course", "session", "question", "kind", "anonymous", "results"]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        course = cleaned.get("course") or (instance.course if instance.course_id else None)
        before = Poll.objects.filter(pk=instance.pk).first() if instance.pk else None
        problems = polls.poll_problems(
            before=before,
            answered=bool(before) and PollAnswer.objects.filter(poll=before).exists(),
            course=course,
            question=cleaned.get("question", instance.question),
            kind=cleaned.get("kind", instance.kind),
            session=cleaned.get("session"),
            anonymous=cleaned.get("anonymous", instance.anonymous),
            results=cleaned.get("results", instance.results),
        )
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class PollChoiceFormSet(BaseInlineFormSet):
    def edits(self) -> list[polls.ChoiceEdit]:
        """The choices as the form leaves them, deleted ones left out."""
        return [
            polls.ChoiceEdit(
                text=form.cleaned_data["text"],
                order=form.cleaned_data.get("order") or 0,
                id=form.instance.pk,
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        poll = self.instance  # with the kind just chosen on the poll's form
        before = Poll.objects.filter(pk=poll.pk).first() if poll.pk else None
        problem = polls.poll_choices_problem(
            before=before,
            answered=bool(before) and PollAnswer.objects.filter(poll=before).exists(),
            kind=poll.kind,
            choices=self.edits(),
        )
        if problem:
            raise forms.ValidationError(problem)


class PollChoiceInline(admin.TabularInline):
    model = PollChoice
    formset = PollChoiceFormSet
    extra = 3
    fields = ["order", "text"]


@admin.register(Poll)
class PollAdmin(CourseScopedAdminMixin, SimpleHistoryAdmin):
    """Polls are written through `courses.polls` (`poll_create`, `poll_update`),
    so the admin keeps the same promises as the poll pages: once a poll has
    answers it stays anonymous, shows its results no more widely, and keeps
    its question, kind and choices. Opening and closing go through
    `poll_state_set`, like the buttons on the poll page. The history page shows
    who changed what."""

    form = PollAdminForm
    list_display = ["question", "course", "session", "kind", "state", "anonymous"]
    list_filter = ["course", "state", "kind"]
    search_fields = ["question"]
    fields = ["course", "session", "question", "kind", "anonymous", "results", "state"]
    readonly_fields = ["state"]
    inlines = [PollChoiceInline]
    actions = ["open_polls", "close_polls"]
    history_list_display = ["question", "kind", "anonymous", "results", "state"]

    def save_model(self, request, obj: Poll, form, change: bool) -> None:
        # Nothing yet: the poll is written with its choices in `save_related`.
        pass

    def save_related(self, request, form, formsets, change: bool) -> None:
        choices = next(fs for fs in formsets if fs.model is PollChoice)
        edits = choices.edits()
        choices.save(commit=False)  # no write: fills the lists the change message names
        data, obj = form.cleaned_data, form.instance
        if not change:
            poll = polls.poll_create(
                course=obj.course,
                question=data["question"],
                kind=data["kind"],
                choices=[edit.text for edit in sorted(edits, key=lambda e: e.order)],
                session=data.get("session"),
                anonymous=data.get("anonymous", False),
                results=data["results"],
            )
            obj.pk = poll.pk
            return
        try:
            polls.poll_update(
                poll=obj,
                question=data.get("question", obj.question),
                kind=data.get("kind", obj.kind),
                session=data.get("session"),
                anonymous=data.get("anonymous", False),
                results=data.get("results", obj.results),
                choices=edits,
            )
        except polls.PollError as error:
            # Only an answer that arrived after the form was checked gets here.
            self.message_user(request, f"Nothing was changed: {error}", messages.ERROR)

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
