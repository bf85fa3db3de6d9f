from django.urls import path

from courses.views import course, polls, ranking, rosters, signups

app_name = "courses"

urlpatterns = [
    path("", course.course_home, name="home"),
    path("schedule/", course.schedule, name="schedule"),
    path("resources/", course.resources, name="resources"),
    path("calendar.ics", course.calendar_feed, name="calendar"),
    path("papers/", signups.paper_board, name="papers"),
    path("papers/<id:reading_id>/signup/", signups.paper_signup, name="paper_signup"),
    path("papers/<id:reading_id>/waitlist/", signups.paper_waitlist, name="paper_waitlist"),
    path("papers/<id:reading_id>/withdraw/", signups.paper_withdraw, name="paper_withdraw"),
    path("papers/assignments/", signups.paper_assignments, name="paper_assignments"),
    path("papers/assignments.csv", signups.paper_assignments_csv, name="paper_assignments_csv"),
    path("papers/rank/", ranking.paper_rank, name="paper_rank"),
    path("papers/assign/", ranking.assignment_home, name="assignment"),
    path("papers/assign/<id:run_id>/", ranking.assignment_run, name="assignment_run"),
    path("polls/", polls.poll_list, name="polls"),
    path("polls/new/", polls.poll_create, name="poll_create"),
    path("polls/<id:poll_id>/", polls.poll_detail, name="poll"),
    path("polls/<id:poll_id>/answer/", polls.poll_answer, name="poll_answer"),
    path("polls/<id:poll_id>/state/", polls.poll_state, name="poll_state"),
    path("polls/<id:poll_id>/results.json", polls.poll_results_json, name="poll_results"),
    path("polls/<id:poll_id>/answers.csv", polls.poll_answers_csv, name="poll_answers_csv"),
    path("roster/", rosters.roster, name="roster"),
    path("roster/import/", rosters.roster_import, name="roster_import"),
    path("roster/join-code/", rosters.join_code, name="join_code"),
]
