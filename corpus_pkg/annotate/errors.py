"""Errors raised when an annotation cannot be made as asked."""

from __future__ import annotations

__all__ = ("AnnotationError",)


class AnnotationError(ValueError):
    """An annotation cannot be added as asked (bad label, unknown id, invalid result)."""
