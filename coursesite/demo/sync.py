"""Writing the demo rows so that running ``seed_demo`` again changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def row_sync(model: type[ModelT], lookup: Mapping[str, Any], values: Mapping[str, Any]) -> ModelT:
    """Find the row by ``lookup`` (creating it if missing) and make ``values`` current.

    ``update_or_create`` saves even when nothing changed, which would bump
    ``auto_now`` fields and add history rows on every run; this saves only when a
    value actually differs.
    """
    obj, created = model.objects.get_or_create(**lookup, defaults=dict(values))
    if created:
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj
