from django.apps import AppConfig


class GradingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grading"

    def ready(self) -> None:
        from courses.navigation import NavLink, nav_link_add
        from courses.services.memberships import instructor_apps_add

        instructor_apps_add(self.label)
        students = frozenset({"student"})
        nav_link_add(
            NavLink(
                60,
                "Work",
                "grading:my_work",
                also_active_on=("grading:work_submit",),
                own_for=students,
            )
        )
        nav_link_add(NavLink(70, "Grades", "grading:my_grades", own_for=students))
        nav_link_add(NavLink(90, "Gradebook", "grading:gradebook"))
