"""Validation issues as values: one closed set of codes, one catalogue of titles and hints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]

IssueCode = Literal[
    "invalid-json",
    "duplicate-key",
    "schema-violation",
    "doc-id-mismatch",
    "unsafe-id",
    "missing-raw-file",
    "missing-annotation-file",
    "raw-not-utf8",
    "raw-hash-mismatch",
    "offset-out-of-bounds",
    "span-text-mismatch",
    "duplicate-id",
    "unresolved-reference",
    "undeclared-label",
    "undeclared-stance-target",
    "invalid-config",
    "overlapping-mentions",
    "span-outside-body",
    "span-whitespace",
    "overlapping-segments",
    "unreviewed-suggestion",
]


class CatalogueEntry(BaseModel):
    """What a code means in general; each Issue adds the specifics."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    title: str
    hint: str


CATALOGUE: dict[str, CatalogueEntry] = {
    "invalid-json": CatalogueEntry(
        severity="error",
        title="File is not valid JSON",
        hint="Fix the syntax at the given line and column. Files must be UTF-8 without a byte-order mark, "
        "with finite numbers (no NaN/Infinity) and no runaway nesting.",
    ),
    "duplicate-key": CatalogueEntry(
        severity="error",
        title="Key appears twice in one object",
        hint="JSON readers silently keep only the last value; remove or rename the repeated key.",
    ),
    "schema-violation": CatalogueEntry(
        severity="error",
        title="Value does not match the annotation schema",
        hint="Compare the value with the field's type in annotation.schema.json (`corpus schema`).",
    ),
    "doc-id-mismatch": CatalogueEntry(
        severity="error",
        title="doc_id differs from the file name",
        hint='annotations/<doc_id>.json must contain "doc_id": "<doc_id>"; rename the file or fix the field.',
    ),
    "unsafe-id": CatalogueEntry(
        severity="error",
        title="File or id could escape its folder",
        hint="Ids may only use letters, digits, '_' and '-', start with a letter or digit, and be at most "
        "128 characters long.",
    ),
    "missing-raw-file": CatalogueEntry(
        severity="error",
        title="Annotation file has no raw text",
        hint="Add raw/<doc_id>.txt (corpus add-article) or delete the orphaned annotation file.",
    ),
    "missing-annotation-file": CatalogueEntry(
        severity="error",
        title="Raw text has no annotation file",
        hint="Create it with `corpus add-article`, or remove the raw file if it was added by mistake.",
    ),
    "raw-not-utf8": CatalogueEntry(
        severity="error",
        title="Raw text is not UTF-8",
        hint="Re-encode the raw file as UTF-8; offsets are code points of the UTF-8-decoded text.",
    ),
    "raw-hash-mismatch": CatalogueEntry(
        severity="error",
        title="Raw text changed since it was annotated",
        hint="The sha256 pin no longer matches raw/<doc_id>.txt. If the edit was intended, run "
        "`corpus reanchor <doc_id>` to move the spans and update the pin.",
    ),
    "offset-out-of-bounds": CatalogueEntry(
        severity="error",
        title="Span offsets lie outside the raw text",
        hint="Offsets are code points into the raw text (0 <= start < end <= length), end exclusive.",
    ),
    "span-text-mismatch": CatalogueEntry(
        severity="error",
        title="Span text differs from raw[start:end]",
        hint="Offsets are Python code points, not bytes or UTF-16 units, and end is exclusive. "
        "Fix the offsets or the text so that raw[start:end] == text.",
    ),
    "duplicate-id": CatalogueEntry(
        severity="error",
        title="Id used twice",
        hint="Annotation ids must be unique within a document across all layers; registry ids across the corpus.",
    ),
    "unresolved-reference": CatalogueEntry(
        severity="error",
        title="Reference points at nothing",
        hint="A mention_id must name an entry of `entities`, a quote_id an entry of `quotes`, and an "
        "entity_id an entry of entities.json.",
    ),
    "undeclared-label": CatalogueEntry(
        severity="error",
        title="Label is not declared",
        hint="Use a label listed under entity_labels in corpus.json, or declare the new label there.",
    ),
    "undeclared-stance-target": CatalogueEntry(
        severity="error",
        title="Stance target is not declared",
        hint="Use a target id listed under stance_targets in corpus.json, or declare it there.",
    ),
    "invalid-config": CatalogueEntry(
        severity="error",
        title="corpus.json or entities.json is invalid",
        hint="Fix the configuration file; documents cannot be checked against labels until it is valid.",
    ),
    "overlapping-mentions": CatalogueEntry(
        severity="warning",
        title="Entity mentions overlap",
        hint="Nested or crossing mentions cannot be expressed in the BIO view; keep the outermost "
        "unless both are intended.",
    ),
    "span-outside-body": CatalogueEntry(
        severity="warning",
        title="Annotation lies outside the title and body segments",
        hint="Subtitles, bylines, captions and boilerplate are not annotated (see GUIDELINES.md); "
        "check the span or the segments.",
    ),
    "span-whitespace": CatalogueEntry(
        severity="warning",
        title="Span starts or ends with whitespace",
        hint="Trim the span so that it starts and ends on a visible character.",
    ),
    "overlapping-segments": CatalogueEntry(
        severity="warning",
        title="Segments overlap",
        hint="Each character should belong to at most one segment.",
    ),
    "unreviewed-suggestion": CatalogueEntry(
        severity="warning",
        title="Machine suggestion not yet reviewed",
        hint="Review the suggestion and set its origin to manual, or delete it. Suggestions never enter "
        "gold release configs.",
    ),
}


def clip(text: str, limit: int = 200) -> str:
    """Shorten hostile, huge values so reports stay readable: keep both ends."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}...[{len(text) - 2 * half} characters]...{text[-half:]}"


class Issue(BaseModel):
    """One problem found in a corpus, with enough location to jump to it."""

    model_config = ConfigDict(extra="forbid")

    code: IssueCode
    severity: Severity
    message: str
    hint: str
    file: str | None = None
    doc_id: str | None = None
    annotation_id: str | None = None
    json_path: str | None = None
    line: int | None = None
    column: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    value: Any = None
    expected: str | None = None

    @classmethod
    def make(cls, code: IssueCode, message: str, **location: Any) -> Issue:
        """Build an issue whose severity and hint come from the catalogue."""
        entry = CATALOGUE[code]
        for key in ("value", "expected"):
            if isinstance(location.get(key), str):
                location[key] = clip(location[key])
        return cls(code=code, severity=entry.severity, hint=entry.hint, message=clip(message, 500), **location)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def issues_markdown() -> str:
    """docs/issues.md: every issue code with its severity, title and hint (generated)."""
    lines = [
        "# Validation issue codes",
        "",
        "<!-- Generated by scripts/sync_generated.py from corpus_pkg/validate/issues.py; do not edit. -->",
        "",
        "`corpus validate` reports each problem with one of these codes. Errors make the corpus invalid",
        "(exit 1); warnings do not. Filter with `--select CODE` / `--ignore CODE`.",
        "",
    ]
    for code, entry in CATALOGUE.items():
        lines += [f"## `{code}`", "", f"**{entry.severity}**: {entry.title}.", "", entry.hint, ""]
    return "\n".join(lines)
