"""A validator of annotation files without the span check that pydantic runs in Python.

``Span``'s ``end > start`` check is a Python model validator, called from pydantic's Rust core once
per span (about 100 times a document). :data:`FAST_VALIDATOR` is ``AnnotationFile``'s validator
without it: the same models, fields, constraints and errors otherwise. The build's reader then makes
that check over all spans at once (:func:`spans_in_order`); a file where it fails is read again by
the strict reader and the full models, which report it exactly as before.
"""

from __future__ import annotations

from operator import lt
from typing import Any

from pydantic_core import SchemaValidator

from ..schema import AnnotationFile
from ..schema.common import Span
from .spans import SpanList

__all__ = ("FAST_VALIDATOR", "spans_in_order")

_CHECK = Span._end_after_start


def _without_span_check(schema: Any, classes: set[type]) -> Any:
    """``schema`` (a pydantic core schema) without the wrappers that call ``Span._end_after_start``;
    the model classes met are added to ``classes``."""
    if isinstance(schema, list):
        return [_without_span_check(item, classes) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "model":
        classes.add(schema["cls"])
    function = schema.get("function")
    if schema.get("type") == "function-after" and isinstance(function, dict) and function.get("function") is _CHECK:
        inner = _without_span_check(schema["schema"], classes)
        return {**inner, **{k: v for k, v in schema.items() if k in ("ref", "metadata")}}
    return {key: value if key == "cls" else _without_span_check(value, classes) for key, value in schema.items()}


def _build() -> SchemaValidator:
    classes: set[type] = set()
    schema = _without_span_check(AnnotationFile.__pydantic_core_schema__, classes)
    # pydantic-core reuses the validator a complete model class already has (its own, with the check)
    # wherever the schema names the class; marked incomplete for the moment, each is built from ``schema``
    marked = [cls for cls in classes if cls.__dict__.get("__pydantic_complete__")]
    try:
        for cls in marked:
            cls.__pydantic_complete__ = False  # type: ignore[attr-defined]
        return SchemaValidator(schema)
    finally:
        for cls in marked:
            cls.__pydantic_complete__ = True  # type: ignore[attr-defined]


#: ``AnnotationFile``'s validator without ``Span``'s ``end > start`` check (see :func:`spans_in_order`).
FAST_VALIDATOR = _build()


def spans_in_order(spans: SpanList) -> bool:
    """Whether every span of the file ends after it starts: what ``Span._end_after_start`` checks,
    for all spans at once (:class:`SpanList` lists every span of a file)."""
    return all(map(lt, spans.starts, spans.ends))

