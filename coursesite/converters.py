"""URL converters, and the test of whether a posted value can be a database key."""

from django.core.exceptions import ValidationError
from django.db import models


class IdConverter:
    """A database id in a URL: Django's `int`, but at most 18 digits, so an
    absurd number is a 404 rather than an integer the database cannot hold."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


ID_LIMIT = 2**63  # one past the largest id a database integer column holds


def id_or_none(value) -> int | None:
    """A form value that can be a database id (a whole number from 0 up to what
    the database holds), or None: anything else matches no row."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < ID_LIMIT else None


def fits_field(field: models.Field, value) -> bool:
    """Whether ``value`` can be a value of ``field`` (an id, usually), following
    a relation to the field it points to: a database integer for integer
    fields, else whatever the field's own conversion accepts."""
    while isinstance(field, models.ForeignKey):  # OneToOneField too
        field = field.target_field
    if isinstance(field, models.IntegerField):  # AutoField and BigAutoField too
        return id_or_none(value) is not None
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True
