from django.urls import path

from grading.views import gradebook, participation, submissions

app_name = "grading"

urlpatterns = [
    path("grades/", gradebook.my_grades, name="my_grades"),
    path("gradebook/", gradebook.gradebook, name="gradebook"),
    path("gradebook/export.csv", gradebook.gradebook_export, name="gradebook_export"),
    path("gradebook/import/", gradebook.gradebook_import, name="gradebook_import"),
    path(
        "gradebook/import/<id:import_id>/",
        gradebook.gradebook_import_preview,
        name="gradebook_import_preview",
    ),
    path("gradebook/items/<id:item_id>/", gradebook.item_scores, name="item_scores"),
    path("gradebook/items/<id:item_id>/release/", gradebook.item_release, name="item_release"),
    path("gradebook/students/<id:student_id>/", gradebook.student_grades, name="student_grades"),
    path("gradebook/scores/<id:score_id>/history/", gradebook.score_history, name="score_history"),
]

urlpatterns += [
    path("polls/participation/", participation.participation, name="participation"),
    path(
        "polls/participation/score/",
        participation.participation_score,
        name="participation_score",
    ),
    path("work/", submissions.my_work, name="my_work"),
    path("work/<id:item_id>/", submissions.work_submit, name="work_submit"),
    path(
        "submissions/<id:submission_id>/file",
        submissions.submission_file,
        name="submission_file",
    ),
    path(
        "gradebook/items/<id:item_id>/submissions/",
        submissions.item_submissions,
        name="item_submissions",
    ),
    path(
        "gradebook/items/<id:item_id>/submissions/<id:student_id>/",
        submissions.submission_grade,
        name="submission_grade",
    ),
    path(
        "sessions/<id:session_id>/responses/",
        submissions.session_responses,
        name="session_responses",
    ),
]
