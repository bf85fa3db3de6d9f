"""The grading admin, scoped to the instructor's courses (`courses.admin.scope`),
and the grading inlines of the course page (the components and the letter
scale), which the courses admin shows."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from courses.admin.course import CourseAdmin
from courses.admin.scope import CourseScopedAdminMixin
from courses.models import Course, Membership
from grading import services
from grading.models import GradeComponent, GradeImport, GradeItem, LetterCutoff, Score, Submission


class OneParticipationFormSet(BaseInlineFormSet):
    """The database allows one participation component per course; two rows
    ticked in one save would each pass on its own, so the formset checks."""

    def clean(self) -> None:
        super().clean()
        ticked = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_participation") and not form.cleaned_data.get("DELETE")
        ]
        if len(ticked) > 1:
            raise forms.ValidationError("Mark one component as the participation component.")


class GradeComponentInline(admin.TabularInline):
    model = GradeComponent
    extra = 0
    show_change_link = True  # its items are edited on the component's own page
    formset = OneParticipationFormSet
    fields = [
        "order",
        "name",
        "weight",
        "description",
        "drop_lowest",
        "weighting",
        "is_participation",
    ]


class LetterScaleFormSet(BaseInlineFormSet):
    def cutoffs(self) -> list[tuple[str, Decimal]]:
        """The scale as the form leaves it, deleted rows left out."""
        return [
            (form.cleaned_data["letter"], form.cleaned_data["minimum"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        problem = services.letter_scale_problem(self.cutoffs())
        if problem:
            raise forms.ValidationError(problem)


class LetterCutoffInline(admin.TabularInline):
    model = LetterCutoff
    formset = LetterScaleFormSet
    extra = 0
    fields = ["letter", "minimum"]
    verbose_name = "letter grade cut-off"
    verbose_name_plural = (
        "Letter scale (leave empty for the default: A 94, A- 90, B+ 87, B 84, B- 80, "
        "C+ 77, C 74, C- 70, D+ 67, D 64, D- 61, F 0)"
    )


def letter_scale_save(*, course: Course, formset: LetterScaleFormSet) -> None:
    """The course page's letter scale, saved through `services.letter_scale_set`."""
    formset.save(commit=False)  # no write: fills the lists the change message names
    if formset.has_changed():
        services.letter_scale_set(course=course, cutoffs=formset.cutoffs())


class GradeItemInline(admin.TabularInline):
    model = GradeItem
    extra = 0
    show_change_link = True
    fields = ["order", "title", "points_possible", "due_at", "released"]
    readonly_fields = ["released"]  # released through the service, so it is audited


@admin.register(GradeComponent)
class GradeComponentAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "course", "weight", "drop_lowest", "weighting", "order"]
    list_filter = ["course"]
    search_fields = ["name", "description"]
    fieldsets = [
        (None, {"fields": ["course", "name", "weight", "description", "order"]}),
        ("Calculation", {"fields": ["drop_lowest", "weighting", "is_participation"]}),
        (
            "Late work",
            {"fields": ["grace_minutes", "late_percent_per_day", "late_floor_percent"]},
        ),
    ]
    inlines = [GradeItemInline]


class GradeItemAdminForm(forms.ModelForm):
    class Meta:
        model = GradeItem
        fields = [
            "component",
            "title",
            "points_possible",
            "due_at",
            "order",
            "accepts_text",
            "accepts_url",
            "accepts_file",
            "submissions_open",
            "allow_late",
            "session",
        ]

    def clean(self):
        cleaned = super().clean()
        component, session = cleaned.get("component"), cleaned.get("session")
        if component and session and session.course_id != component.course_id:
            self.add_error("session", "Choose a session of the item's course.")
        return cleaned


@admin.register(GradeItem)
class GradeItemAdmin(CourseScopedAdminMixin, SimpleHistoryAdmin):
    course_lookup = "component__course"
    list_display = ["title", "component", "points_possible", "due_at", "released"]
    list_filter = ["component__course", "released"]
    search_fields = ["title"]
    fieldsets = [
        (
            None,
            {"fields": ["component", "title", "points_possible", "due_at", "order", "released"]},
        ),
        (
            "Submissions",
            {
                "fields": [
                    ("accepts_text", "accepts_url", "accepts_file"),
                    ("submissions_open", "allow_late"),
                    "session",
                ]
            },
        ),
    ]
    readonly_fields = ["released"]
    actions = ["release", "unrelease"]
    form = GradeItemAdminForm

    def _release(self, request: HttpRequest, queryset: QuerySet, released: bool) -> None:
        changed = sum(
            services.item_release(item=item, released=released, by=request.user)
            for item in queryset
        )
        verb = "released" if released else "hidden from students"
        self.message_user(request, f"{changed} item(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Release the selected items to students")
    def release(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._release(request, queryset, True)

    @admin.action(description="Hide the selected items from students")
    def unrelease(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._release(request, queryset, False)


class ScoreAdminForm(forms.ModelForm):
    class Meta:
        model = Score
        fields = ["item", "student", "points", "excused", "comment"]

    def clean(self):
        data = super().clean()
        item = data.get("item") or self.instance_item()
        student = data.get("student") or self.instance_student()
        if item is None or student is None:
            return data
        if not Membership.objects.is_student(item.component.course_id, student):
            raise forms.ValidationError(f"{student} is not a student in {item.component.course}.")
        problem = services.score_problem(
            item, data.get("points"), data.get("excused", False), data.get("comment")
        )
        if problem:
            raise forms.ValidationError(problem)
        return data

    def instance_item(self):
        return self.instance.item if self.instance.item_id else None

    def instance_student(self):
        return self.instance.student if self.instance.student_id else None


@admin.register(Score)
class ScoreAdmin(CourseScopedAdminMixin, SimpleHistoryAdmin):
    """Scores are saved through `grading.services.score_set`, like every other
    path, so the same rules apply and the history names who changed what."""

    course_lookup = "item__component__course"
    list_display = ["student", "item", "points", "excused", "graded_by", "updated_at"]
    list_filter = [
        "item__component__course",
        ("item__component", admin.RelatedOnlyFieldListFilter),
        "excused",
    ]
    search_fields = ["student__username", "student__email", "item__title"]
    list_select_related = ["student", "item", "graded_by"]
    fields = ["item", "student", "points", "excused", "comment", "graded_by", "updated_at"]
    readonly_fields = ["graded_by", "updated_at"]
    autocomplete_fields = ["student"]
    form = ScoreAdminForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["item", "student"]  # a score never moves to another item or student
        return fields

    def save_model(self, request: HttpRequest, obj: Score, form, change: bool) -> None:
        try:
            services.score_set(
                item=obj.item,
                student=obj.student,
                points=obj.points,
                excused=obj.excused,
                comment=obj.comment,
                by=request.user,
                reason="Changed in the admin",
            )
        except services.GradingError as error:
            # The form is already valid, so the only way back is a message; the
            # score is left exactly as it was.
            self.message_user(request, f"Not saved: {error}", messages.ERROR)
            return
        saved = Score.objects.filter(item=obj.item, student=obj.student).first()
        if saved is not None:
            obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A grade is cleared (empty points), never deleted: its history stays whole.
        return False


@admin.register(GradeImport)
class GradeImportAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "course", "uploaded_by", "created_at", "applied_at"]
    list_filter = ["course"]
    fields = ["course", "filename", "uploaded_by", "created_at", "applied_at", "changed_cells"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(CourseScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only: students hand work in on the site (`submission_save`), and the
    history keeps every version."""

    course_lookup = "item__component__course"
    list_display = ["student", "item", "submitted_at"]
    list_filter = ["item__component__course", "item"]
    search_fields = ["student__username", "student__email", "item__title"]
    list_select_related = ["student", "item"]
    fields = ["item", "student", "text", "url", "file", "submitted_at", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def weights_warning(course: Course) -> str | None:
    total = GradeComponent.objects.filter(course=course).total_weight()
    if total == Decimal("100"):
        return None
    return (
        f"The grade components of {course.code} add up to {total.normalize():f}%, not 100%. "
        "Grades are still computed (weights are scaled to what they add up to), "
        "but the grading table on the home page will look wrong to students."
    )


class GradedCourseAdmin(CourseAdmin):
    """The course's admin page with its grading scheme: the components and the
    letter scale edited beside the course, and a warning while the weights do
    not add up to 100%. Registered in place of the courses app's own, so that
    courses knows nothing of grading."""

    list_display = [*CourseAdmin.list_display, "grading_weights"]
    readonly_fields = ["grading_weights", *CourseAdmin.readonly_fields]
    fieldsets = [
        (name, {**options, "fields": ["grading_weights", *options["fields"]]})
        if name == "Grading"
        else (name, options)
        for name, options in CourseAdmin.fieldsets
    ]
    inlines = [
        *CourseAdmin.inlines[:1],
        GradeComponentInline,
        LetterCutoffInline,
        *CourseAdmin.inlines[1:],
    ]

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
        if formset.model is LetterCutoff:
            letter_scale_save(course=form.instance, formset=formset)
        else:
            super().save_formset(request, form, formset, change)


admin.site.unregister(Course)
admin.site.register(Course, GradedCourseAdmin)
