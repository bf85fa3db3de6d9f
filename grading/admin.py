from django.contrib import admin

from courses.admin import CourseScopedAdminMixin

from .models import GradeComponent


@admin.register(GradeComponent)
class GradeComponentAdmin(CourseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "course", "weight", "order"]
    list_filter = ["course"]
    search_fields = ["name", "description"]
