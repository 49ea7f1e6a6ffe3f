"""Errors raised when an annotation cannot be made as asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .locate import Occurrence

__all__ = ("AmbiguousTextError", "AnnotationError", "TextNotFoundError")


class AnnotationError(ValueError):
    """An annotation cannot be added as asked (bad label, unknown id, invalid result)."""


class TextNotFoundError(AnnotationError):
    """The text does not occur in the raw file."""


class AmbiguousTextError(AnnotationError):
    """The text occurs more than once and no occurrence was chosen."""

    def __init__(self, message: str, occurrences: list[Occurrence]) -> None:
        super().__init__(message)
        self.occurrences = occurrences
