"""The courses app's writes with rules, one module per feature, all raising
`CourseError` (or a subclass) with a message meant for the person who tried."""


class CourseError(Exception):
    """A course rule was broken; the message is meant for the person who tried."""
