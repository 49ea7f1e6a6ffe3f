"""Pieces every converter shares: reading options, the batch a reader returns, safe ids, decoding."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import Corpus, CorpusError, is_safe_id, sha256_bytes
from ..schema import (
    SCHEMA_VERSION,
    AnnotationFile,
    Document,
    DocumentMeta,
    EntityRegistry,
    Quote,
    Segment,
    Span,
)
from ._report import ConvertReport

#: Label names our exports use for layers other than entities (brat types, Label Studio labels).
QUOTE_MARKS = "\"'“”‘’«»„‚‹›"


@dataclass
class ReadContext:
    """Options and shared state of one import."""

    report: ConvertReport
    registry: EntityRegistry = field(default_factory=EntityRegistry)
    encoding: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportBatch:
    """What a reader found: documents (labels not yet mapped) and the labels its source declares."""

    documents: list[Document] = field(default_factory=list)
    declared_labels: list[str] = field(default_factory=list)
    stance_targets: list[str] = field(default_factory=list)


def safe_doc_id(name: str) -> str:
    """Turn a file stem or task name into a safe id: other characters become '-'."""
    cleaned = re.sub(r"[^A-Za-z0-9_\-]", "-", name).strip("-_") or "doc"
    if not cleaned[0].isalnum():
        cleaned = "d" + cleaned
    return cleaned[:128]


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
    """A document with no annotations yet, shaped like :func:`corpus_pkg.annotate.articles.add_article` makes it."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CorpusError(
            f"document {doc_id!r}: character {exc.start} is a lone surrogate (U+{ord(text[exc.start]):04X}), "
            "which UTF-8 cannot store; fix the source text"
        ) from None
    first = next((line.strip() for line in text.splitlines() if line.strip()), doc_id)
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    segments = [Segment(kind="body", start=start, end=end, text=text[start:end])] if end > start else []
    ann = AnnotationFile(
        schema_version=SCHEMA_VERSION,
        doc_id=doc_id,
        raw_sha256=sha256_bytes(data),
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
        raise CorpusError(
            f"{path}: not valid {enc} (byte 0x{data[exc.start]:02x} at byte offset {exc.start}, line {line}); "
            "pass --encoding with the file's encoding, e.g. --encoding latin-1"
        ) from None
    if strip_bom and text.startswith("\ufeff"):
        text = text[1:]
    return text


def make_span(text: str, start: int, end: int) -> Span | None:
    """A Span over ``text`` or None when the offsets are not a non-empty range inside it."""
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(text):
        return None
    return Span(start=start, end=end, text=text[start:end])


def guess_quote_kind(text: str) -> str:
    """direct when the content is enclosed in quotation marks, mixed when it contains some, else indirect."""
    # apostrophes inside words (doesn’t, Clinton’s) are not quotation marks
    stripped = re.sub(r"(?<=\w)['’](?=\w)", "", text.strip().rstrip(".,;:"))
    if stripped and stripped[0] in QUOTE_MARKS and stripped[-1] in QUOTE_MARKS:
        return "direct"
    if any(mark in stripped for mark in QUOTE_MARKS):
        return "mixed"
    return "indirect"


def quote_text(quote: Quote) -> str:
    return " ".join(f.text for f in quote.fragments)


def relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def format_value(value: float) -> str:
    """20000.0 -> '20000', 2.5 -> '2.5' (how numbers are written into notes)."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(float(value))


def iter_docs(corpus: Corpus) -> Iterable[Document]:
    return corpus.iter_documents()
