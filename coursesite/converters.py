"""URL converters."""


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
