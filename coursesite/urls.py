from django.contrib import admin
from django.urls import include, path, register_converter

from courses.admin import scope as admin_scope
from courses.views import polls as poll_views
from courses.views import rosters as roster_views
from coursesite import accounts
from coursesite import views as site_views
from coursesite.converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    path("", site_views.course_list, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("join/", roster_views.join, name="join"),
    path("my-courses/", roster_views.my_courses, name="my_courses"),
    path("p/<id:poll_id>", poll_views.poll_short, name="poll_short"),
    # Before the admin's own: "View on site" only for objects the person may view there.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_scope.view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("courses/<slug:slug>/", include("courses.urls")),
    path("courses/<slug:slug>/", include("grading.urls")),
]

handler500 = "coursesite.views.server_error"
