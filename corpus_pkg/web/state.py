"""What the workbench page is sent: a document's text, tokens, segments, annotations and issues.

Offsets: the annotation files count Python code points; the browser counts UTF-16 code units.
The page never converts: every position it receives or sends is in UTF-16 units (``s``/``e``),
and this module and :mod:`corpus_pkg.web.api` convert with :class:`corpus_pkg.text.offsets.UnitConverter`,
the project's one place for unit conversions. Code-point offsets (``start``/``end``) are sent
alongside, for display only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import orjson

from .._io import dumps_json
from ..annotate.session import annotation_rel, empty_pass, file_version
from ..corpus import RAW_DIR, RAW_SUFFIX, Corpus, dump_annotation_file, read_regular_file
from ..schema import ANNOTATION_LAYERS, AnnotationFile
from ..text.offsets import UnitConverter
from ..text.tokenize import token_spans
from ..validate import Issue
from ..validate.checks import DocumentFiles, check_document_model, load_config_issues

__all__ = ("DocumentState", "read_state", "summary_row")


@dataclass
class DocumentState:
    """One read of a document's files: the bytes, their version, the parsed file and its issues."""

    corpus: Corpus
    doc_id: str
    raw: str
    raw_bytes: bytes
    ann_bytes: bytes
    ann: AnnotationFile | None  # None when the file fails the schema or was not parsed
    issues: list[Issue]
    valid: bool = False  # the file passed the schema (checked here, or by the writer that wrote it)
    annotator: str | None = None  # whose pass this is (passes/<annotator>/); None for the gold file
    started: bool = True  # False for a pass not written yet (shown as an empty pass; its version is that of b"")

    @cached_property
    def data(self) -> dict[str, Any]:
        """The annotation file as JSON (only for a valid file)."""
        return orjson.loads(self.ann_bytes)

    def checked_by_writer(self, warnings: list[Issue]) -> DocumentState:
        """This read, with the issues the annotate API found when it wrote exactly these bytes."""
        return DocumentState(
            self.corpus, self.doc_id, self.raw, self.raw_bytes, self.ann_bytes, None, warnings, True,
            self.annotator, self.started,
        )  # fmt: skip

    @property
    def version(self) -> str:
        """What the annotate API compares ``expected_version`` with: the sha256 of the file's bytes
        (of no bytes for a pass not written yet, as :func:`~corpus_pkg.annotate.session.open_document` reads it)."""
        return file_version(self.ann_bytes if self.started else b"")

    @cached_property
    def units(self) -> UnitConverter:
        return UnitConverter(self.raw)

    def to_utf16(self, start: int, end: int) -> tuple[int, int]:
        if self.units.is_bmp_only:
            return start, end
        return self.units.cp_to_utf16(start), self.units.cp_to_utf16(end)

    def to_cp(self, s: int, e: int) -> tuple[int, int]:
        """UTF-16 offsets from the page -> code points (ValueError for offsets inside a character)."""
        if self.units.is_bmp_only:
            if not 0 <= s <= e <= len(self.raw):
                raise ValueError(f"offsets [{s}:{e}] are outside the text (0..{len(self.raw)} UTF-16 units)")
            return s, e
        return self.units.utf16_to_cp(s), self.units.utf16_to_cp(e)

    def span_json(self, span: dict[str, Any], role: str, convert: Callable[[int], int]) -> dict[str, Any]:
        start, end = span["start"], span["end"]
        return {"role": role, "s": convert(start), "e": convert(end), "start": start, "end": end, "text": span["text"]}

    def payload(self, with_text: bool = True) -> dict[str, Any]:
        """The JSON the page draws from (``with_text=False`` leaves out the text and tokens it already has)."""
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "version": self.version,
            "annotator": self.annotator,
            "started": self.started,
            "file": annotation_rel(self.doc_id, self.annotator),
            "raw_sha256": self.data["raw_sha256"] if self.valid else None,
            "title": self.data["meta"]["title"] if self.valid else self.doc_id,
            "segments": [],
            "annotations": [],
            "issues": [self._issue_json(i) for i in self.issues],
        }
        if with_text:
            out["text"] = self.raw
            out["tokens"] = self._tokens()
        if not self.valid:
            return out
        # the file's own JSON (valid: it passed the checks) is the items' JSON; no model dumps needed
        data = self.data
        convert = self._converter()
        out["segments"] = [{**self.span_json(seg, "segment", convert), "kind": seg["kind"]} for seg in data["segments"]]
        out["annotations"] = [
            {"layer": layer, "item": item, "spans": self._spans(layer, item, convert)}
            for layer in ANNOTATION_LAYERS
            for item in data.get(layer, [])
        ]
        return out

    def _converter(self) -> Callable[[int], int]:
        return int if self.units.is_bmp_only else self.units.cp_to_utf16

    def _spans(self, layer: str, item: dict[str, Any], convert: Callable[[int], int]) -> list[dict[str, Any]]:
        if layer in ("entities", "numbers"):
            return [self.span_json(item, "span", convert)]
        if layer == "quotes":
            spans = [self.span_json(f, "fragment", convert) for f in item["fragments"]]
            if item.get("cue"):
                spans.append(self.span_json(item["cue"], "cue", convert))
            if item["speaker"]["type"] == "nominal":
                spans.append(self.span_json(item["speaker"], "speaker", convert))
            return spans
        spans = [self.span_json(item["evidence"], "span", convert)] if item["evidence"]["type"] == "span" else []
        if item["holder"]["type"] == "nominal":
            spans.append(self.span_json(item["holder"], "holder", convert))
        return spans

    def _tokens(self) -> list[int]:
        """Token boundaries of the whole text (the project's tokenizer) as flat UTF-16 pairs."""
        _texts, starts, ends = token_spans(self.raw)
        flat = [x for pair in zip(starts, ends) for x in pair]
        return flat if self.units.is_bmp_only else self.units.cp_to_utf16_many(flat)

    def _issue_json(self, issue: Issue) -> dict[str, Any]:
        out = {k: v for k, v in issue.model_dump(mode="json").items() if v is not None and k != "value"}
        if issue.char_start is not None and issue.char_end is not None:
            with contextlib.suppress(ValueError):  # an offset outside the text: listed, not drawn
                out["s"], out["e"] = self.to_utf16(issue.char_start, issue.char_end)
        return out


def _pass_bytes(corpus: Corpus, doc_id: str, annotator: str) -> tuple[bytes, bool]:
    """The bytes of ``annotator``'s pass and whether it exists; a pass not written yet is shown
    as the empty pass the annotate API would start from (the gold file's pin, metadata, segments)."""
    path = corpus.pass_path(annotator, doc_id)
    if path.is_file():
        return read_regular_file(path), True
    empty = empty_pass(corpus.read_annotations(doc_id))
    return dumps_json(dump_annotation_file(empty)).encode("utf-8"), False


def read_state(corpus: Corpus, doc_id: str, check: bool = True, annotator: str | None = None) -> DocumentState:
    """Read and check one document (raises CorpusError/OSError/UnicodeDecodeError when its files cannot be read):
    the gold file, or with ``annotator`` that annotator's pass (passes/<annotator>/<doc_id>.json).

    ``check=False`` only reads the files (no parsing, no issues): enough to convert offsets."""
    if annotator is None:
        ann_bytes, started = read_regular_file(corpus.annotation_path(doc_id)), True
    else:
        ann_bytes, started = _pass_bytes(corpus, doc_id, annotator)
    raw_bytes = read_regular_file(corpus.raw_path(doc_id))
    raw = raw_bytes.decode("utf-8")
    files = DocumentFiles(
        doc_id=doc_id,
        annotation_file=annotation_rel(doc_id, annotator),
        raw_file=f"{RAW_DIR}/{doc_id}{RAW_SUFFIX}",
        annotation_bytes=ann_bytes,
        raw_bytes=raw_bytes,
    )
    if not check:
        return DocumentState(corpus, doc_id, raw, raw_bytes, ann_bytes, None, [], False, annotator, started)
    ctx = load_config_issues(corpus.root)[0]
    issues, ann = check_document_model(files, ctx, locate=False)  # issues are drawn by offsets, not lines
    return DocumentState(corpus, doc_id, raw, raw_bytes, ann_bytes, ann, issues, ann is not None, annotator, started)


def summary_row(state: DocumentState) -> dict[str, Any]:
    """One row of the index: counts per layer, suggestions to review, validation state."""
    ann = state.ann
    counts = {layer: len(getattr(ann, layer)) if ann else 0 for layer in ANNOTATION_LAYERS}
    pending = sum(1 for _l, item in ann.layer_items() if item.origin == "suggestion") if ann else 0
    return {
        "doc_id": state.doc_id,
        "title": ann.meta.title if ann else "(annotation file is invalid)",
        "outlet": ann.meta.outlet if ann else "",
        "counts": counts,
        "suggestions": pending,
        "errors": sum(1 for i in state.issues if i.is_error),
        "warnings": sum(1 for i in state.issues if not i.is_error),
        "chars": len(state.raw),
    }
