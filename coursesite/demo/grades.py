"""The CIS6200 demo gradebook: components, items, scores and hand-ins."""

from __future__ import annotations

import datetime as dt

#: (name, weight in percent, description), in the order of the grading table.
GRADE_COMPONENTS: tuple[tuple[str, int, str], ...] = (
    ("Paper Presentations", 25, "Lead discussion of 1-2 assigned papers"),
    ("Class Participation", 15, "Active engagement in discussions and polls"),
    ("Reading Responses", 20, "Weekly written responses to readings"),
    ("Assignments", 15, "2-3 implementation assignments"),
    ("Final Project", 25, "Research project with paper and presentation"),
)

# The gradebook. Components use the points of their items unless listed here.
GRADE_COMPONENT_RULES: dict[str, dict[str, int | str | bool]] = {
    "Class Participation": {"drop_lowest": 0, "weighting": "equal", "is_participation": True},
    "Reading Responses": {"drop_lowest": 2, "weighting": "points", "grace_minutes": 60},
    # Large LMSs' usual policy: 10% of the points per day late, never below half.
    "Assignments": {"grace_minutes": 15, "late_percent_per_day": 10, "late_floor_percent": 50},
}
#: What students hand in on the site, by component.
SUBMISSION_KINDS: dict[str, dict[str, bool]] = {
    "Reading Responses": {"accepts_text": True},
    "Assignments": {"accepts_url": True, "accepts_file": True},
    "Final Project": {"accepts_url": True, "accepts_file": True},
}
#: Demo hand-ins: a response for every graded reading response and a repository
#: link for every graded assignment; these students were late, by this much.
LATE_HAND_INS: dict[tuple[str, str], dt.timedelta] = {
    ("student04", "Reading Response 2"): dt.timedelta(hours=3),
    ("student11", "Reading Response 5"): dt.timedelta(hours=20),
    ("student04", "Assignment 1: Data-parallel training"): dt.timedelta(hours=30),
    ("student09", "Assignment 1: Data-parallel training"): dt.timedelta(hours=5),
    ("student17", "Assignment 2: Mixed precision and memory"): dt.timedelta(days=2, hours=4),
    ("student04", "Assignment 2: Mixed precision and memory"): dt.timedelta(hours=26),
}
RESPONSE_OPENINGS = (
    "The paper's central claim is that",
    "What struck me most is how",
    "I am not yet convinced that",
    "The key trick here is that",
)
RESPONSE_QUESTIONS = (
    "Would the result hold at a tenth of the compute?",
    "How sensitive is this to the choice of batch size?",
    "What would break first on a slower interconnect?",
    "Is the baseline in the main table tuned as carefully?",
)

#: Every item is due at this time on its day, in the course's time zone.
GRADE_ITEM_DUE_TIME = dt.time(23, 59)
# Where the demo stands: the week after spring break. Items up to then are
# graded; most are released, and the latest two are graded but not yet shown.
GRADED = "graded"
RELEASED = "released"
READING_RESPONSE_DUE = (  # Mondays from the second week of classes, none in spring break
    dt.date(2026, 1, 19),
    dt.date(2026, 1, 26),
    dt.date(2026, 2, 2),
    dt.date(2026, 2, 9),
    dt.date(2026, 2, 16),
    dt.date(2026, 2, 23),
    dt.date(2026, 3, 2),
    dt.date(2026, 3, 16),
    dt.date(2026, 3, 23),
    dt.date(2026, 3, 30),
    dt.date(2026, 4, 6),
    dt.date(2026, 4, 13),
)
GradeItemRow = tuple[str, int, dt.date | None, str]

#: (component, its items in order); an item is (title, points possible, due date
#: or None, and GRADED, RELEASED or "" for not graded yet).
GRADE_ITEMS: tuple[tuple[str, tuple[GradeItemRow, ...]], ...] = (
    (
        "Paper Presentations",
        (
            ("Presentation 1", 10, None, RELEASED),
            ("Presentation 2", 10, None, ""),
        ),
    ),
    (
        "Class Participation",
        (
            ("Participation: weeks 1-7", 10, dt.date(2026, 2, 27), RELEASED),
            ("Participation: weeks 8-14", 10, dt.date(2026, 4, 28), ""),
        ),
    ),
    (
        "Reading Responses",
        tuple(
            (f"Reading Response {n}", 5, due, RELEASED if n <= 7 else GRADED if n == 8 else "")
            for n, due in enumerate(READING_RESPONSE_DUE, start=1)
        ),
    ),
    (
        "Assignments",
        (
            ("Assignment 1: Data-parallel training", 20, dt.date(2026, 2, 6), RELEASED),
            ("Assignment 2: Mixed precision and memory", 20, dt.date(2026, 3, 6), GRADED),
            ("Assignment 3: Serving and quantization", 20, dt.date(2026, 4, 10), ""),
        ),
    ),
    (
        "Final Project",
        (
            ("Project proposal", 10, dt.date(2026, 2, 20), RELEASED),
            ("Project report", 60, dt.date(2026, 4, 30), ""),
            ("Project presentation", 30, dt.date(2026, 4, 28), ""),
        ),
    ),
)

#: The TA who grades each component.
GRADERS: dict[str, str] = {
    "Paper Presentations": "ta1",
    "Class Participation": "ta2",
    "Reading Responses": "ta1",
    "Assignments": "ta2",
    "Final Project": "ta2",
}
#: The smallest step of points; half points elsewhere.
SCORE_STEPS: dict[str, str] = {"Class Participation": "1", "Reading Responses": "1"}
#: Scores are drawn from a fixed seed, so every run writes the same numbers.
SCORE_SEED = 6200
#: Only talks given before spring break are graded so far.
PRESENTATIONS_GRADED_BEFORE = dt.date(2026, 3, 9)
#: Cells that break the pattern: "EX" is excused, "" stays empty (never turned in).
SCORE_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("student08", "Reading Response 3"): "EX",
    ("student15", "Reading Response 6"): "EX",
    ("student13", "Reading Response 4"): "",
    ("student19", "Reading Response 7"): "",
}
#: Feedback on assignments: (for 90% of the points or more, for less).
ASSIGNMENT_COMMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Assignment 1: Data-parallel training": (
        (
            "Clean implementation; the scaling plot needs axis labels.",
            "Correct all-reduce and a careful speedup analysis. Nice work.",
            "Solid DDP setup; say why the speedup flattens past four GPUs.",
        ),
        (
            "Gradients are averaged twice in the manual all-reduce; see the rubric.",
            "Runs, but the throughput numbers include the warmup steps.",
            "The report is missing the weak-scaling experiment.",
        ),
    ),
    "Assignment 2: Mixed precision and memory": (
        (
            "Loss scaling is right and the memory breakdown is very clear.",
            "Good use of activation checkpointing; the trade-off table is convincing.",
            "Nice profiling; label which run uses bf16 in the figure.",
        ),
        (
            "The loss scaler never backs off after an overflow; check the update step.",
            "Memory estimates leave out the optimizer state.",
            "The fp16 run diverges and the report does not say why.",
        ),
    ),
}
