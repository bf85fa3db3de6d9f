"""URL converters."""


class IdConverter:
    """A database id in a URL: Django's `int`, but at most 18 digits, so an
    absurd number is a 404 rather than an integer the database cannot hold."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
