"""The grading app's models, one module per feature: the scheme of components,
items and letters (`components`), scores and imports (`scores`) and hand-ins
(`submissions`)."""

from grading.models.components import (
    SCORE_CAP_FACTOR,
    SCORE_POINTS_LIMIT,
    GradeComponent,
    GradeComponentQuerySet,
    GradeItem,
    GradeItemQuerySet,
    LetterCutoff,
    letter_scale,
)
from grading.models.scores import GradeImport, Score
from grading.models.submissions import Submission, submission_upload_to

__all__ = [
    "SCORE_CAP_FACTOR",
    "SCORE_POINTS_LIMIT",
    "GradeComponent",
    "GradeComponentQuerySet",
    "GradeImport",
    "GradeItem",
    "GradeItemQuerySet",
    "LetterCutoff",
    "Score",
    "Submission",
    "letter_scale",
    "submission_upload_to",
]
