from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from courses.admin_scope import CourseScopedAdminMixin, taught_course_ids
from courses.models import Membership, Session

from . import services
from .models import GradeComponent, GradeImport, GradeItem, Score, Submission


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
        ("Calculation", {"fields": ["drop_lowest", "weighting"]}),
        (
            "Late work",
            {"fields": ["grace_minutes", "late_percent_per_day", "late_floor_percent"]},
        ),
    ]
    inlines = [GradeItemInline]


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

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "component" and not request.user.is_superuser:
            kwargs["queryset"] = GradeComponent.objects.filter(
                course_id__in=taught_course_ids(request)
            )
        if db_field.name == "session" and not request.user.is_superuser:
            kwargs["queryset"] = Session.objects.filter(course_id__in=taught_course_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        enrolled = Membership.objects.filter(
            course_id=item.component.course_id, user=student, role=Membership.Role.STUDENT
        ).exists()
        if not enrolled:
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

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "item" and not request.user.is_superuser:
            kwargs["queryset"] = GradeItem.objects.filter(
                component__course_id__in=taught_course_ids(request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
