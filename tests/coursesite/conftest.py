"""Fixtures that the test modules of one coursesite feature share; those of every
app are in tests/conftest.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading.services import score_set
from tests.coursesite.demo_helpers import seed

# --- request limits (test_request_limits*.py) -----------------------------------------------------


@pytest.fixture
def scored(item, student, ta):
    """Alice already has a score on the module's `item`, which a refused request must
    leave alone."""
    return score_set(item=item, student=student, points=Decimal("7"), comment="Good start.", by=ta)


# --- the demo course (test_demo_seed*.py) ---------------------------------------------------------


@pytest.fixture
def output(db) -> str:
    """What seed_demo printed."""
    return seed()
