"""What the grade calculation's worked examples and properties share: a component
with the fields a test cares about."""

from __future__ import annotations

from decimal import Decimal

from grading.domain.calculation import Component, Weighting


def component(
    component_id: int = 1,
    weight: str = "100",
    drop: int = 0,
    weighting: Weighting = Weighting.POINTS,
) -> Component:
    return Component(
        id=component_id,
        name=f"C{component_id}",
        weight=Decimal(weight),
        drop_lowest=drop,
        weighting=weighting,
    )
