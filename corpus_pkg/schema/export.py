"""JSON Schema of the annotation file format, generated from the pydantic models."""

from __future__ import annotations

from .._io import dumps_json
from . import AnnotationFile

SCHEMA_ID = "https://corpus-pkg.invalid/schema/annotation-1.0.json"


def annotation_json_schema() -> dict:
    """The JSON Schema (draft 2020-12) that every ``annotations/<doc_id>.json`` must satisfy."""
    schema = AnnotationFile.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def annotation_json_schema_text() -> str:
    """:func:`annotation_json_schema` as canonical JSON text (what ``corpus schema`` prints)."""
    return dumps_json(annotation_json_schema())
