"""Every write to the gradebook goes through these functions (see scores.py)."""

from grading.services.csv_import import gradebook_import, import_plan
from grading.services.csv_plan import ImportPlan
from grading.services.letter_scale import letter_scale_problem, letter_scale_set
from grading.services.scores import (
    GradingError,
    ScoreChange,
    ScoreConflict,
    item_release,
    score_parse,
    score_problem,
    score_set,
    scores_set,
)

__all__ = [
    "GradingError",
    "ImportPlan",
    "ScoreChange",
    "ScoreConflict",
    "gradebook_import",
    "import_plan",
    "item_release",
    "letter_scale_problem",
    "letter_scale_set",
    "score_parse",
    "score_problem",
    "score_set",
    "scores_set",
]
