from django.urls import path

from grading.views import gradebook as views
from grading.views import submissions as submission_views

app_name = "grading"

urlpatterns = [
    path("grades/", views.my_grades, name="my_grades"),
    path("gradebook/", views.gradebook, name="gradebook"),
    path("gradebook/export.csv", views.gradebook_export, name="gradebook_export"),
    path("gradebook/import/", views.gradebook_import, name="gradebook_import"),
    path(
        "gradebook/import/<id:import_id>/",
        views.gradebook_import_preview,
        name="gradebook_import_preview",
    ),
    path("gradebook/items/<id:item_id>/", views.item_scores, name="item_scores"),
    path("gradebook/items/<id:item_id>/release/", views.item_release, name="item_release"),
    path("gradebook/students/<id:student_id>/", views.student_grades, name="student_grades"),
    path("gradebook/scores/<id:score_id>/history/", views.score_history, name="score_history"),
]

urlpatterns += [
    path("work/", submission_views.my_work, name="my_work"),
    path("work/<id:item_id>/", submission_views.work_submit, name="work_submit"),
    path(
        "submissions/<id:submission_id>/file",
        submission_views.submission_file,
        name="submission_file",
    ),
    path(
        "gradebook/items/<id:item_id>/submissions/",
        submission_views.item_submissions,
        name="item_submissions",
    ),
    path(
        "gradebook/items/<id:item_id>/submissions/<id:student_id>/",
        submission_views.submission_grade,
        name="submission_grade",
    ),
    path(
        "sessions/<id:session_id>/responses/",
        submission_views.session_responses,
        name="session_responses",
    ),
]
