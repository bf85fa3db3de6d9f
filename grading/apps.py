from django.apps import AppConfig


class GradingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grading"

    def ready(self) -> None:
        from courses.navigation import NavLink, nav_link_add

        nav_link_add(
            NavLink(60, "Work", "grading:my_work", also_active_on=("grading:work_submit",))
        )
        nav_link_add(NavLink(70, "Grades", "grading:my_grades"))
        nav_link_add(NavLink(90, "Gradebook", "grading:gradebook"))
