from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"

    def ready(self) -> None:
        # Editing what the public course pages show refreshes their cache.
        from courses import caching

        caching.connect()
