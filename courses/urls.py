from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.course_home, name="home"),
    path("schedule/", views.schedule, name="schedule"),
    path("resources/", views.resources, name="resources"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
]
