from django.contrib import admin
from django.urls import include, path

from courses import views as course_views

urlpatterns = [
    path("", course_views.course_list, name="home"),
    path("healthz", course_views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("courses/<slug:slug>/", include("courses.urls")),
    path("courses/<slug:slug>/", include("grading.urls")),
]
