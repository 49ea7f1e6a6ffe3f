"""The checks behind ``corpus validate``: each returns issues, none raises on bad input."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

from pydantic import ValidationError

from .._jsonfile import JsonFileError, JsonLocator, ParsedJson, parse_json, validate_json_fast
from ..corpus import ANNOTATION_SUFFIX
from ..schema import AnnotationFile
from . import corpus_files
from .context import CorpusContext, DocumentFiles
from .corpus_files import (
    LINK_CHECKED,
    MAX_FILE_BYTES,
    DocumentPaths,
    link_issues,
    load_config_issues,
    pair_paths,
    read_corpus_file,
)
from .fast_model import FAST_VALIDATOR, spans_in_order
from .issues import Issue, IssueCode
from .salvage import original_indices, salvage
from .span_checks import check_spans, check_warnings
from .spans import SpanList, iter_spans
from .values import jsonable, loc_to_path, shown

__all__ = (
    "LINK_CHECKED",
    "MAX_DOCUMENT_ISSUES",
    "MAX_FILE_BYTES",
    "CorpusContext",
    "DocumentFiles",
    "DocumentPaths",
    "check_document",
    "check_document_model",
    "iter_spans",
    "link_issues",
    "load_config_issues",
    "loc_to_path",
    "pair_paths",
    "read_corpus_file",
)

_ID, _LABEL, _ENTITY_ID = attrgetter("id"), attrgetter("label"), attrgetter("entity_id")

#: Issues listed per document; the rest are counted in one too-many-issues issue.
MAX_DOCUMENT_ISSUES = 1000


@dataclass
class _DocChecker:
    files: DocumentFiles
    ctx: CorpusContext
    parsed: ParsedJson | JsonLocator | None = None  # where issues are located in the file
    issues: list[Issue] = field(default_factory=list)
    locate: bool = True  # find the line and column of each issue (a walk of the JSON text up to it)
    #: layer -> original index of each item that parsed (set when a file only partly fits the schema)
    index_map: dict[str, list[int]] | None = None

    def add(self, code: IssueCode, message: str, json_path: str | None = None, **extra: Any) -> None:
        if self.index_map is not None:  # paths and messages name the items' places in the file
            json_path = original_indices(self.index_map, json_path) if json_path else json_path
            message = original_indices(self.index_map, message)
        line = column = None
        if json_path is not None and self.parsed is not None and self.locate:
            pos = self.parsed.locate(json_path)
            if pos:
                line, column = pos
        extra.setdefault("file", self.files.annotation_file)
        self.issues.append(
            Issue.make(code, message, doc_id=self.files.doc_id, json_path=json_path, line=line, column=column, **extra)
        )


def check_document(files: DocumentFiles, ctx: CorpusContext, locate: bool = True) -> list[Issue]:
    """All checks of one document. Pure: depends only on the bytes and the context.

    ``locate=False`` leaves out line and column (writers that report messages only skip that cost)."""
    return check_document_model(files, ctx, locate)[0]


def check_document_model(
    files: DocumentFiles, ctx: CorpusContext, locate: bool = True
) -> tuple[list[Issue], AnnotationFile | None]:
    """Like :func:`check_document`, plus the parsed annotations (None when they fail the schema),
    so that a caller building rows from a valid document parses it only once."""
    checker = _DocChecker(files=files, ctx=ctx, locate=locate)
    assert files.annotation_bytes is not None
    if files.oversized:
        for what in files.oversized:
            checker.add("file-too-large", f"{what} exceeds {corpus_files.MAX_FILE_BYTES} bytes; it was not checked")
        return checker.issues, None
    issues, ann = _check_document_model(checker)
    if len(issues) > MAX_DOCUMENT_ISSUES:
        more = len(issues) - MAX_DOCUMENT_ISSUES
        checker.issues = issues[:MAX_DOCUMENT_ISSUES]
        checker.index_map = None
        checker.add("too-many-issues", f"{more} more issue(s) in this file are not listed", value=more)
    return checker.issues, ann


def _check_document_model(checker: _DocChecker) -> tuple[list[Issue], AnnotationFile | None]:
    files = checker.files
    assert files.annotation_bytes is not None
    # every value of an annotation file fails validation when NaN or Infinity (tests/validate/test_fast_reader.py);
    # the spans' end > start is checked on the span list (see fast_model), not by pydantic
    ann = validate_json_fast(files.annotation_bytes, AnnotationFile, rejects_nonfinite=True, validator=FAST_VALIDATOR)
    spans = SpanList(ann) if ann is not None else None
    if ann is not None and spans is not None and spans_in_order(spans):
        # positions looked up only for issues reported (keys checked unique: directly along the path)
        checker.parsed = JsonLocator(files.annotation_bytes, unique_keys=True)
    else:
        ann = _strict_annotations(checker, files.annotation_bytes)
        if ann is None:
            return checker.issues, None
        spans = SpanList(ann)
    if ann.doc_id != files.doc_id:
        checker.add(
            "doc-id-mismatch",
            f"doc_id is {ann.doc_id!r} but the file is named {files.doc_id}{ANNOTATION_SUFFIX}",
            "doc_id",
            value=ann.doc_id,
            expected=files.doc_id,
        )
    raw = _check_raw_presence(checker)
    if raw is not None and not _raw_changed_on_disk(checker, ann):
        digest = files.raw_sha256
        if digest != ann.raw_sha256:
            checker.add(
                "raw-hash-mismatch",
                f"raw_sha256 does not match {files.raw_file} (sha256 {digest})",
                "raw_sha256",
                value=ann.raw_sha256,
                expected=digest,
            )
        check_spans(checker, spans, raw)
    _check_ids_and_refs(checker, ann)
    check_warnings(checker, ann, spans)
    return checker.issues, ann


def _strict_annotations(checker: _DocChecker, data: bytes) -> AnnotationFile | None:
    """The strict reader and ``model_validate``: every JSON and schema problem reported with its place."""
    files = checker.files
    try:
        parsed = parse_json(data)
    except JsonFileError as exc:
        checker.issues.append(
            Issue.make(
                "invalid-json",
                exc.message,
                file=files.annotation_file,
                doc_id=files.doc_id,
                line=exc.line,
                column=exc.column,
            )
        )
        return None
    checker.parsed = parsed
    for path in parsed.duplicate_keys:
        checker.add("duplicate-key", f"key {path.rpartition('.')[2]!r} appears more than once", path)
    try:
        return AnnotationFile.model_validate(parsed.value)
    except ValidationError as exc:
        for err in exc.errors():
            path = loc_to_path(err["loc"], parsed.value)
            value = jsonable(err.get("input"))
            checker.add(
                "schema-violation",
                f"{path or '(root)'}: {err['msg']} (got {shown(value)})",
                path,
                value=value,
                expected=err["msg"],
            )
        raw = _check_raw_presence(checker)
        partial = salvage(parsed.value, exc)
        if partial is not None:  # every item that did parse still gets its span, reference and label checks
            ann, checker.index_map, unparsed_ids = partial
            if raw is not None and not _raw_changed_on_disk(checker, ann):
                check_spans(checker, SpanList(ann), raw)
            _check_ids_and_refs(checker, ann, unparsed_ids)
        return None


def _raw_changed_on_disk(checker: _DocChecker, ann: AnnotationFile) -> bool:
    """Report a raw file that only gained a byte-order mark or CRLF line endings (an editor or a
    Windows checkout did it) as one issue, instead of one span error per annotation. True if so."""
    data = checker.files.raw_bytes or b""
    pinned = ann.raw_sha256 if isinstance(ann.raw_sha256, str) else None
    # a one-byte search first: it runs at memory speed, a two-byte one does not
    if pinned is None or not (data.startswith(_BOM) or (b"\r" in data and b"\r\n" in data)):
        return False
    if hashlib.sha256(data).hexdigest() == pinned:
        return False
    what, fixed = [], data
    if fixed.startswith(_BOM):
        what.append("a UTF-8 byte-order mark (BOM) at the start")
        fixed = fixed[len(_BOM) :]
    if b"\r\n" in fixed:
        what.append("Windows (CRLF) line endings")
        fixed = fixed.replace(b"\r\n", b"\n")
    if hashlib.sha256(fixed).hexdigest() != pinned:
        return False
    checker.add(
        "raw-hash-mismatch",
        f"{checker.files.raw_file} gained {' and '.join(what)} after it was pinned; the text is otherwise "
        "unchanged. Restore the original bytes (remove the BOM, convert the line endings back to LF; "
        "`.gitattributes` marks raw/** as -text so git keeps them); spans were not checked",
        "raw_sha256",
        value=ann.raw_sha256,
        expected="the pinned bytes (" + " and ".join(what) + " removed)",
    )
    return True


_BOM = b"\xef\xbb\xbf"


def _check_raw_presence(checker: _DocChecker) -> str | None:
    files = checker.files
    if files.raw_bytes is None:
        checker.add(
            "missing-raw-file",
            f"{files.annotation_file} has no raw text {files.raw_file}",
            expected=files.raw_file,
        )
        return None
    try:
        return files.raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        checker.add(
            "raw-not-utf8",
            f"{files.raw_file} is not valid UTF-8 (byte 0x{files.raw_bytes[exc.start]:02x} at offset {exc.start})",
            file=files.raw_file,
            expected="UTF-8 text",
        )
        return None


def _check_ids_and_refs(
    checker: _DocChecker, ann: AnnotationFile, unparsed: frozenset[str] | set[str] = frozenset()
) -> None:
    ctx = checker.ctx
    seen: dict[str, tuple[str, int]] = {}
    layers = ("entities", "quotes", "numbers", "stance")
    ids = list(map(_ID, chain(ann.entities, ann.quotes, ann.numbers, ann.stance)))
    for layer in layers if len(set(ids)) != len(ids) else ():  # walk item by item only to report duplicates
        for i, item in enumerate(getattr(ann, layer)):
            if item.id in seen:
                first_layer, first = seen[item.id]
                checker.add(
                    "duplicate-id",
                    f"id {item.id!r} is already used by {first_layer}[{first}]",
                    f"{layer}[{i}].id",
                    annotation_id=item.id,
                    value=item.id,
                    expected="an id not used elsewhere in this document",
                )
            else:
                seen[item.id] = (layer, i)
    n_entities, n_quotes = len(ann.entities), len(ann.quotes)  # ``ids`` starts with theirs
    mention_ids = set(ids[:n_entities]) | unparsed  # an item that failed the schema is reported already
    quote_ids = set(ids[n_entities : n_entities + n_quotes]) | unparsed

    def unresolved(kind: str, value: str, path: str, ann_id: str) -> None:
        checker.add(
            "unresolved-reference",
            f"{path}: {kind} {value!r} does not exist",
            path,
            annotation_id=ann_id,
            value=value,
            expected=f"an existing {kind}",
        )

    def undeclared(code: IssueCode, what: str, value: str, allowed: frozenset[str], path: str, ann_id: str) -> None:
        checker.add(
            code,
            f"{path}: {value!r} is not a declared {what}",
            path,
            annotation_id=ann_id,
            value=value,
            expected="one of " + ", ".join(sorted(allowed)),
        )

    # each reference is looked up where it is; a path is written only for one that fails
    labels, registry, targets = ctx.labels, ctx.registry_ids, ctx.targets
    if (labels is not None and not labels.issuperset(map(_LABEL, ann.entities))) or (
        registry is not None and not registry.issuperset(filter(None, map(_ENTITY_ID, ann.entities)))  # ids: never ''
    ):  # only then walk the mentions one by one, to report each problem in file order
        for i, ent in enumerate(ann.entities):
            if labels is not None and ent.label not in labels:
                undeclared("undeclared-label", "entity label", ent.label, labels, f"entities[{i}].label", ent.id)
            if ent.entity_id is not None and registry is not None and ent.entity_id not in registry:
                unresolved("registry entity", ent.entity_id, f"entities[{i}].entity_id", ent.id)
    for i, quote in enumerate(ann.quotes):
        speaker = quote.speaker
        if speaker.type == "mention" and speaker.mention_id not in mention_ids:
            unresolved("entity mention", speaker.mention_id, f"quotes[{i}].speaker.mention_id", quote.id)
    for i, st in enumerate(ann.stance):
        holder, evidence = st.holder, st.evidence
        if holder.type == "mention":
            if holder.mention_id not in mention_ids:
                unresolved("entity mention", holder.mention_id, f"stance[{i}].holder.mention_id", st.id)
        elif holder.type == "entity" and registry is not None and holder.entity_id not in registry:
            unresolved("registry entity", holder.entity_id, f"stance[{i}].holder.entity_id", st.id)
        if evidence.type == "quote" and evidence.quote_id not in quote_ids:
            unresolved("quote", evidence.quote_id, f"stance[{i}].evidence.quote_id", st.id)
        if targets is not None and st.target not in targets:
            undeclared("undeclared-stance-target", "stance target", st.target, targets, f"stance[{i}].target", st.id)
