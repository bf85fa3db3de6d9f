"""The courses app's admin, one module per feature; importing the package
registers them all."""

from courses.admin import course, people, polls, signups  # noqa: F401
