"""Errors raised when an annotation cannot be made as asked."""

from __future__ import annotations

__all__ = ("AnnotationError", "StaleVersionError")


class AnnotationError(ValueError):
    """An annotation cannot be added as asked (bad label, unknown id, invalid result)."""


class StaleVersionError(AnnotationError):
    """The annotation file is not the version the caller expected (someone else changed it)."""

    def __init__(self, message: str, current: str) -> None:
        super().__init__(message)
        self.current = current  # the version the file has now
