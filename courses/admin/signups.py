"""The admin of presentation sign-ups: assign, move and withdraw presenters
through `courses.services.signups` and its rules."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from courses.admin.scope import CourseScopedAdminMixin
from courses.models import Membership, PresentationSignup
from courses.services import signups


class PresentationSignupAdminForm(forms.ModelForm):
    """Checks an assignment or a move against the sign-up rules before saving;
    the save itself goes through `courses.services.signups`, which checks again under
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
        if not Membership.objects.is_student(course, student):
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
