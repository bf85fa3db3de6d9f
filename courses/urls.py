from django.urls import path

from courses.views import course as views
from courses.views import polls as poll_views
from courses.views import ranking as ranking_views
from courses.views import rosters as roster_views

app_name = "courses"

urlpatterns = [
    path("", views.course_home, name="home"),
    path("schedule/", views.schedule, name="schedule"),
    path("resources/", views.resources, name="resources"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("papers/", views.paper_board, name="papers"),
    path("papers/<id:reading_id>/signup/", views.paper_signup, name="paper_signup"),
    path("papers/<id:reading_id>/waitlist/", views.paper_waitlist, name="paper_waitlist"),
    path("papers/<id:reading_id>/withdraw/", views.paper_withdraw, name="paper_withdraw"),
    path("papers/assignments/", views.paper_assignments, name="paper_assignments"),
    path("papers/assignments.csv", views.paper_assignments_csv, name="paper_assignments_csv"),
    path("papers/rank/", ranking_views.paper_rank, name="paper_rank"),
    path("papers/assign/", ranking_views.assignment_home, name="assignment"),
    path("papers/assign/<id:run_id>/", ranking_views.assignment_run, name="assignment_run"),
    path("polls/", poll_views.poll_list, name="polls"),
    path("polls/new/", poll_views.poll_create, name="poll_create"),
    path("polls/participation/", poll_views.participation, name="participation"),
    path(
        "polls/participation/score/",
        poll_views.participation_score,
        name="participation_score",
    ),
    path("polls/<id:poll_id>/", poll_views.poll_detail, name="poll"),
    path("polls/<id:poll_id>/answer/", poll_views.poll_answer, name="poll_answer"),
    path("polls/<id:poll_id>/state/", poll_views.poll_state, name="poll_state"),
    path("polls/<id:poll_id>/results.json", poll_views.poll_results_json, name="poll_results"),
    path("polls/<id:poll_id>/answers.csv", poll_views.poll_answers_csv, name="poll_answers_csv"),
    path("roster/", roster_views.roster, name="roster"),
    path("roster/import/", roster_views.roster_import, name="roster_import"),
    path("roster/join-code/", roster_views.join_code, name="join_code"),
]
