"""Pieces every converter shares: the read context, the batch a reader returns, safe ids, decoding,
reading source files without following links, and turning bad items into issues."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..corpus import CorpusError, is_safe_id, sha256_bytes
from ..schema import (
    ANNOTATION_LAYERS,
    SCHEMA_VERSION,
    AnnotationFile,
    Document,
    DocumentMeta,
    EntityRegistry,
    Segment,
    Span,
)
from ._report import ConvertReport, SourceError

#: The layer names, from the schema (used as report count keys).
ENTITIES, QUOTES, NUMBERS, STANCE = ANNOTATION_LAYERS
QUOTE_MARKS = "\"'“”‘’«»„‚‹›"

M = TypeVar("M", bound=BaseModel)


@dataclass
class ReadContext:
    """Options and shared state of one import. ``options`` is the format's options dataclass."""

    report: ConvertReport
    registry: EntityRegistry = field(default_factory=EntityRegistry)
    encoding: str | None = None
    options: Any = None

    def read_bytes(self, path: Path) -> bytes:
        """The bytes of a source file; links and non-regular files are refused (``unsafe-source``)."""
        if path.is_symlink():
            raise SourceError(
                f"{path.name}: is a symbolic link; imports never read through links", code="unsafe-source"
            )
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise SourceError(f"{path.name}: cannot be read ({exc.strerror})") from None
        if not stat.S_ISREG(mode):
            raise SourceError(f"{path.name}: is not a regular file", code="unsafe-source")
        try:
            return path.read_bytes()
        except OSError as exc:
            raise SourceError(f"{path.name}: cannot be read ({exc.strerror})") from None

    def read_text(self, path: Path, strip_bom: bool = True) -> str:
        """A source file decoded with ``--encoding`` (UTF-8 by default); reports re-encoding once per file."""
        text = decode(self.read_bytes(path), path, self.encoding, strip_bom=strip_bom)
        if self.encoding and self.encoding.replace("-", "").replace("_", "").lower() != "utf8":
            self.report.add("reencoded", f"decoded as {self.encoding}; stored as UTF-8", file=path.name)
        return text

    @contextmanager
    def guard(self, file: str, **location: Any) -> Iterator[None]:
        """Turn a reader's complaint about ``file`` into an error issue and carry on with the next file."""
        try:
            yield
        except SourceError as exc:
            self.report.add(exc.code, str(exc), file=file, **{**location, **exc.location})
        except CorpusError as exc:
            self.report.add("unreadable-source", str(exc), file=file, **location)
        except ValidationError as exc:
            self.report.add("unreadable-source", describe_validation_error(exc), file=file, **location)


@dataclass
class ImportBatch:
    """What a reader found: documents (labels not yet mapped) and the labels its source declares."""

    documents: list[Document] = field(default_factory=list)
    declared_labels: list[str] = field(default_factory=list)
    #: file each document came from (doc_id -> file name), for issue locations
    files: dict[str, str] = field(default_factory=dict)


def json_error(exc: ValueError, prefix: str = "", suffix: str = "", line: int | None = None) -> SourceError:
    """A strict-JSON parse error as a :class:`SourceError`: ``invalid-text`` for a lone surrogate
    (UTF-8 cannot store it), ``unreadable-source`` otherwise; the line and column when known (``line``,
    when given, is the line of the file the parsed text starts on)."""
    code = "invalid-text" if "lone surrogate" in str(exc) else "unreadable-source"
    location = {"line": line or getattr(exc, "line", None), "column": getattr(exc, "column", None)}
    return SourceError(f"{prefix}{exc}{suffix}", code=code, **{k: v for k, v in location.items() if v is not None})


def describe_validation_error(exc: ValidationError, limit: int = 3) -> str:
    """pydantic's errors as one short line: ``field: message (got value)``; never a raw dump."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(x) for x in err.get("loc", ())) or "value"
        got = repr(err.get("input"))
        parts.append(f"{where}: {err.get('msg', 'invalid')} (got {got[:60]})")
    more = f" and {exc.error_count() - limit} more" if exc.error_count() > limit else ""
    return "; ".join(parts) + more


def build(model: type[M], data: dict[str, Any], report: ConvertReport, file: str, doc_id: str, what: str) -> M | None:
    """``model(**data)``, or None with a ``malformed-item`` warning naming ``what`` when it does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        report.add(
            "malformed-item",
            f"{what}: skipped: {describe_validation_error(exc)}",
            file=file,
            doc_id=doc_id,
            lines=[what],
        )
        return None


def safe_doc_id(name: str) -> str:
    """Turn a file stem or task name into a safe id: other characters become '-'."""
    cleaned = re.sub(r"[^A-Za-z0-9_\-]", "-", name).strip("-_") or "doc"
    if not cleaned[0].isalnum():
        cleaned = "d" + cleaned
    return cleaned[:120]


def safe_ann_id(candidate: str | None, used: set[str], fallback: str) -> str:
    """``candidate`` if it is a safe, unused id, else ``fallback`` (numbered until unused)."""
    if candidate and is_safe_id(candidate) and candidate not in used:
        used.add(candidate)
        return candidate
    base = fallback if is_safe_id(fallback) else "a"
    out, n = base, 1
    while out in used:
        n += 1
        out = f"{base}-{n}"
    used.add(out)
    return out


def new_document(doc_id: str, text: str, title: str | None = None, language: str = "en") -> Document:
    """A document with no annotations yet, shaped like :func:`corpus_pkg.annotate.articles.add_article`
    makes it. A text UTF-8 cannot store (a lone surrogate) is an ``invalid-text`` error."""
    for value, what in ((text, "text"), (title or "", "title")):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise SourceError(
                f"document {doc_id!r}: {what} character {exc.start} is a lone surrogate "
                f"(U+{ord(value[exc.start]):04X}), which UTF-8 cannot store; fix the source text",
                code="invalid-text",
            ) from None
    first = next((line.strip() for line in text.splitlines() if line.strip()), doc_id)
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    segments = [Segment(kind="body", start=start, end=end, text=text[start:end])] if end > start else []
    ann = AnnotationFile(
        schema_version=SCHEMA_VERSION,
        doc_id=doc_id,
        raw_sha256=sha256_bytes(text.encode("utf-8")),
        meta=DocumentMeta(title=(title or first)[:500], outlet="unknown", language=language),
        segments=segments,
    )
    return Document(text=text, annotations=ann)


def decode(data: bytes, path: Path, encoding: str | None, strip_bom: bool = True) -> str:
    """Decode a source file; a wrong encoding is a clear error telling the user to pass --encoding.

    ``strip_bom=False`` keeps a leading U+FEFF, for texts that offsets point into."""
    enc = encoding or "utf-8"
    try:
        text = data.decode(enc)
    except LookupError:
        raise CorpusError(f"unknown encoding {enc!r}; use a Python codec name such as utf-8 or latin-1") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"{path.name}: not valid {enc} (byte 0x{data[exc.start]:02x} at byte offset {exc.start}, line {line}); "
            "pass --encoding with the file's encoding, e.g. --encoding latin-1",
            line=line,
        ) from None
    if strip_bom and text.startswith("\ufeff"):
        text = text[1:]
    return text


def make_span(text: str, start: Any, end: Any) -> Span | None:
    """A Span over ``text`` or None when the offsets are not a non-empty range of ints inside it."""
    if not (is_int(start) and is_int(end)) or not 0 <= start < end <= len(text):
        return None
    return Span(start=start, end=end, text=text[start:end])


def is_int(value: Any) -> bool:
    """A JSON integer (``true`` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def guess_quote_kind(text: str) -> str:
    """direct when the content is enclosed in quotation marks, mixed when it contains some, else indirect."""
    # apostrophes inside words (doesn’t, Clinton’s) are not quotation marks
    stripped = re.sub(r"(?<=\w)['’](?=\w)", "", text.strip().rstrip(".,;:"))
    if stripped and stripped[0] in QUOTE_MARKS and stripped[-1] in QUOTE_MARKS:
        return "direct"
    if any(mark in stripped for mark in QUOTE_MARKS):
        return "mixed"
    return "indirect"


def short(item: Any, limit: int = 300) -> str:
    """One line showing a source item verbatim (JSON for dicts and lists), clipped."""
    import json

    try:
        text = json.dumps(item, ensure_ascii=False, default=str)
    except ValueError:
        text = repr(item)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:limit]
