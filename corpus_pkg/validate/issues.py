"""Issues as values: one closed set of codes and one catalogue of titles and hints, shared by
``corpus validate`` and the converters (``corpus import`` / ``corpus export``)."""

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
    "linked-path",
    "file-too-large",
    "too-many-issues",
    # converters (corpus import / corpus export)
    "unreadable-source",
    "unsafe-source",
    "malformed-item",
    "invalid-text",
    "invalid-label-name",
    "document-exists",
    "not-representable",
    "reference-dropped",
    "offset-mismatch",
    "utf16-offsets",
    "unverified-offsets",
    "reencoded",
    "label-dropped",
    "stance-target-adopted",
    "normalization-kept-in-note",
    "multiple-labels",
    "multiple-annotations",
    "quote-kind-guessed",
    "overlap-dropped",
    "token-boundary",
    "iob-repair",
    "not-exported",
]


class CatalogueEntry(BaseModel):
    """What a code means in general; each Issue adds the specifics."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    title: str
    hint: str
    scope: Literal["validate", "convert"] = "validate"


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
    "linked-path": CatalogueEntry(
        severity="error",
        title="Corpus file or folder is a symbolic link",
        hint="Nothing is read through a link (it could point outside the corpus and leak a file into a "
        "release). Replace the link with the real file or folder.",
    ),
    "file-too-large": CatalogueEntry(
        severity="error",
        title="File is too large to check",
        hint="Annotation and raw files are read whole; split the article or remove generated bulk. "
        "The limit protects validation and builds from absurd inputs.",
    ),
    "too-many-issues": CatalogueEntry(
        severity="error",
        title="Too many issues in one file",
        hint="Only the first issues of this file are listed; fix them (often one cause, such as a "
        "converted raw file) and validate again.",
    ),
}


def _convert(severity: Severity, title: str, hint: str) -> CatalogueEntry:
    return CatalogueEntry(severity=severity, title=title, hint=hint, scope="convert")


#: Codes of ``corpus import`` and ``corpus export``. An import with any error writes nothing.
CATALOGUE.update(
    {
        "unreadable-source": _convert(
            "error",
            "Source file cannot be read",
            "The file is not valid in its format (JSON syntax, encoding, structure, columns or tags); the message "
            "names the place. Fix the file, or pass --encoding when it is not UTF-8.",
        ),
        "unsafe-source": _convert(
            "error",
            "Source file is a symbolic link or not a regular file",
            "Imports never read through links, so nothing outside the source folder is read; copy the file in.",
        ),
        "malformed-item": _convert(
            "warning",
            "Item of the source is malformed and was skipped",
            "A span, line or result has offsets, a label or an id of the wrong type or shape, or repeats an id; "
            "the item is listed verbatim. Fix it in the source to import it.",
        ),
        "invalid-text": _convert(
            "error",
            "Text cannot be stored as UTF-8",
            "A document text or a value holds a lone surrogate (an escaped \\ud800..\\udfff without its pair) "
            "or another character UTF-8 cannot store; fix the source.",
        ),
        "invalid-label-name": _convert(
            "error",
            "Label name not allowed in corpus.json",
            "Labels use letters, digits, '_' and '-' and start with a letter; rename them with --label-map FILE.",
        ),
        "document-exists": _convert(
            "error",
            "Document id already in the corpus",
            "Use --id-prefix, or import into another corpus. Nothing was written.",
        ),
        "not-representable": _convert(
            "warning",
            "Source content has no place in the corpus schema",
            "Other events and relations, brat equivalences, unused attributes, document-level choices and the "
            "like are listed verbatim and not imported.",
        ),
        "reference-dropped": _convert(
            "warning",
            "Reference to something that is not imported was dropped",
            "A speaker, holder or evidence points at an item that is not imported (a discontinuous entity, an "
            "entity missing from entities.json); the speaker becomes unknown or the stance is left out.",
        ),
        "offset-mismatch": _convert(
            "warning",
            "Span offsets do not match its text",
            "The offsets lie outside the text or select other characters than the span's text; the span was skipped.",
        ),
        "utf16-offsets": _convert(
            "warning",
            "Offsets were UTF-16 code units",
            "The offsets matched the span's text only as UTF-16 units (older Label Studio); they were converted "
            "to code points.",
        ),
        "unverified-offsets": _convert(
            "warning",
            "Offsets could not be checked",
            "The region has no text to compare with; its offsets were taken as code points.",
        ),
        "reencoded": _convert(
            "warning",
            "Text was re-encoded",
            "The source was decoded with --encoding and is stored as UTF-8.",
        ),
        "label-dropped": _convert(
            "warning",
            "Mentions dropped by the label map",
            "The label map maps these labels to null.",
        ),
        "stance-target-adopted": _convert(
            "warning",
            "Stance targets written into corpus.json",
            "Describe the adopted targets in corpus.json.",
        ),
        "normalization-kept-in-note": _convert(
            "warning",
            "Entity link names no registry entity",
            "The reference is kept in the mention's note; add the entity to entities.json and link it.",
        ),
        "multiple-labels": _convert(
            "warning",
            "Region with several labels",
            "One mention is made per label.",
        ),
        "multiple-annotations": _convert(
            "warning",
            "Several annotations of one task",
            "All were imported, so mentions may repeat; review or delete the duplicates.",
        ),
        "quote-kind-guessed": _convert(
            "warning",
            "Quote kind guessed",
            "The source does not say direct, indirect or mixed; the kind was guessed from quotation marks.",
        ),
        "overlap-dropped": _convert(
            "warning",
            "Overlapping mentions dropped from the export",
            "CoNLL tags cannot nest; the longer (then earlier) mention is kept.",
        ),
        "token-boundary": _convert(
            "warning",
            "Mention does not fit the tokens",
            "The mention crosses a paragraph, does not align to token boundaries or lies outside the title/body "
            "text, so it has no BIO tags (as in the `ner` release config).",
        ),
        "iob-repair": _convert(
            "warning",
            "Mention starts with I- in an IOB2 file",
            "Read as B-; pass --scheme iob1 if the file is IOB1.",
        ),
        "not-exported": _convert(
            "warning",
            "Content the target format cannot hold",
            "Layers, links, fields or metadata the format has no place for are listed; they are not in the "
            "exported files.",
        ),
    }
)


def clip(text: str, limit: int = 200) -> str:
    """Shorten hostile, huge values so reports stay readable: keep both ends. Lone surrogates
    (which cannot be printed or written as UTF-8) are shown as ``\\udXXX`` escapes."""
    if len(text) > limit:
        half = limit // 2
        text = f"{text[:half]}...[{len(text) - 2 * half} characters]...{text[-half:]}"
    return printable(text)


def printable(text: str) -> str:
    """``text`` with lone surrogates escaped, so it can be printed and encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


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
    lines: list[str] | None = None  # source lines or items concerned, verbatim (converters)

    @classmethod
    def make(cls, code: IssueCode, message: str, **location: Any) -> Issue:
        """Build an issue whose severity and hint come from the catalogue."""
        entry = CATALOGUE[code]
        for key, value in location.items():
            if isinstance(value, str):
                location[key] = clip(value) if key in ("value", "expected") else printable(value)
        return cls(code=code, severity=entry.severity, hint=entry.hint, message=clip(message, 500), **location)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def issues_markdown() -> str:
    """docs/issues.md: every issue code with its severity, title and hint (generated)."""
    lines = [
        "# Issue codes",
        "",
        "<!-- Generated by scripts/sync_generated.py from corpus_pkg/validate/issues.py; do not edit. -->",
        "",
        "One catalogue serves `corpus validate` and the converters (`corpus import`, `corpus export`).",
        "",
        "## Validation",
        "",
        "`corpus validate` reports each problem with one of these codes. Errors make the corpus invalid",
        "(exit 1); warnings do not. Filter with `--select CODE` / `--ignore CODE`.",
        "",
    ]
    for scope in ("validate", "convert"):
        if scope == "convert":
            lines += [
                "## Import and export",
                "",
                "`corpus import` and `corpus export` report with these codes (and an import also with the",
                "validation codes above, for the documents it would write). An import with any error writes",
                "nothing and exits 1.",
                "",
            ]
        for code, entry in CATALOGUE.items():
            if entry.scope == scope:
                lines += [f"### `{code}`", "", f"**{entry.severity}**: {entry.title}.", "", entry.hint, ""]
    return "\n".join(lines)
