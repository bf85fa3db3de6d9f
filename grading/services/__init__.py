"""Every write to the gradebook goes through these functions (see scores.py)."""

from .csv_import import ImportPlan, gradebook_import, import_plan
from .scores import (
    GradingError,
    ScoreChange,
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
    "gradebook_import",
    "import_plan",
    "item_release",
    "score_parse",
    "score_problem",
    "score_set",
    "scores_set",
]
