from django.urls import path

from . import roster_views, views

app_name = "courses"

urlpatterns = [
    path("", views.course_home, name="home"),
    path("schedule/", views.schedule, name="schedule"),
    path("resources/", views.resources, name="resources"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("papers/", views.paper_board, name="papers"),
    path("papers/<int:reading_id>/signup/", views.paper_signup, name="paper_signup"),
    path("papers/<int:reading_id>/waitlist/", views.paper_waitlist, name="paper_waitlist"),
    path("papers/<int:reading_id>/withdraw/", views.paper_withdraw, name="paper_withdraw"),
    path("papers/assignments/", views.paper_assignments, name="paper_assignments"),
    path("papers/assignments.csv", views.paper_assignments_csv, name="paper_assignments_csv"),
    path("roster/", roster_views.roster, name="roster"),
    path("roster/import/", roster_views.roster_import, name="roster_import"),
    path("roster/join-code/", roster_views.join_code, name="join_code"),
]
