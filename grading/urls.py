from django.urls import path

from . import views

app_name = "grading"

urlpatterns = [
    path("grades/", views.my_grades, name="my_grades"),
    path("gradebook/", views.gradebook, name="gradebook"),
    path("gradebook/export.csv", views.gradebook_export, name="gradebook_export"),
    path("gradebook/import/", views.gradebook_import, name="gradebook_import"),
    path(
        "gradebook/import/<int:import_id>/",
        views.gradebook_import_preview,
        name="gradebook_import_preview",
    ),
    path("gradebook/items/<int:item_id>/", views.item_scores, name="item_scores"),
    path("gradebook/items/<int:item_id>/release/", views.item_release, name="item_release"),
    path("gradebook/students/<int:student_id>/", views.student_grades, name="student_grades"),
    path("gradebook/scores/<int:score_id>/history/", views.score_history, name="score_history"),
]
