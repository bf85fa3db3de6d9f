"""The people of the CIS6200 demo course, their roles, and the papers students signed up for.

People are invented.
"""

from __future__ import annotations

import datetime as dt

#: (username, first name, last name, membership role). Emails are <username>@example.edu.
PEOPLE: tuple[tuple[str, str, str, str], ...] = (
    ("instructor", "Lyle", "Ungar", "instructor"),
    ("ta1", "Priya", "Raman", "ta"),
    ("ta2", "Mateo", "Alvarez", "ta"),
    ("student01", "Aisha", "Okafor", "student"),
    ("student02", "Benjamin", "Hartley", "student"),
    ("student03", "Wei", "Chen", "student"),
    ("student04", "Daniela", "Souza", "student"),
    ("student05", "Ethan", "Brooks", "student"),
    ("student06", "Fatima", "Al-Sayed", "student"),
    ("student07", "Gabriel", "Moreau", "student"),
    ("student08", "Hana", "Kobayashi", "student"),
    ("student09", "Ibrahim", "Diallo", "student"),
    ("student10", "Julia", "Novak", "student"),
    ("student11", "Kwame", "Mensah", "student"),
    ("student12", "Leila", "Haddad", "student"),
    ("student13", "Marcus", "Johnson", "student"),
    ("student14", "Nadia", "Petrova", "student"),
    ("student15", "Oscar", "Lindqvist", "student"),
    ("student16", "Parisa", "Tehrani", "student"),
    ("student17", "Rahul", "Mehta", "student"),
    ("student18", "Sofia", "Rossi", "student"),
    ("student19", "Tomás", "Herrera", "student"),
    ("student20", "Yuna", "Park", "student"),
)
EMAIL_DOMAIN = "example.edu"

# Presentation sign-ups opened on the first day of class and stay open in the
# demo, so a visitor logged in as a student can try them.
SIGNUP_OPENS_AT = dt.datetime(2026, 1, 15, 17, 0)  # in the course's time zone
#: Presenters of the first presentable papers, in schedule order; a second
#: tuple is the waitlist of a full paper.
SIGNUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("student01", "student02"), ()),  # Kaplan et al., two seats
    (("student03",), ("student04", "student05")),  # Chinchilla: full, with a waitlist
    (("student06",), ()),
    (("student07",), ()),
    (("student08",), ()),
    (("student09", "student10"), ()),  # Megatron-LM, two seats
    (("student11",), ()),
    (("student01",), ()),  # student01's second presentation
)
