"""One document open for editing: read it, change it, validate it, write it atomically under a lock.

Every writer of annotation files (the ``add_*`` API, edit/remove/accept/reject, suggest, reanchor,
the web workbench) goes through :func:`edit_document` or :func:`save_annotations`, so the file that
is written is always the file that was checked, and concurrent writers wait for each other.

With ``annotator=NAME`` the same functions read and write that annotator's independent pass,
``passes/<NAME>/<doc_id>.json``, instead of the gold file ``annotations/<doc_id>.json``. A pass
that does not exist yet starts from the gold file's metadata and segments with empty layers (or,
without a gold file, from the raw text), so annotators never see each other's labels. A pass and
the gold file of one document share the document's write lock.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._io import atomic_write_bytes, dumps_json
from .._lock import document_lock_name, write_lock
from ..corpus import (
    ANNOTATION_SUFFIX,
    ANNOTATIONS_DIR,
    PASSES_DIR,
    RAW_DIR,
    RAW_SUFFIX,
    Corpus,
    CorpusError,
    check_annotator,
    check_safe_id,
    dump_annotation_file,
)
from ..schema import AnnotationFile, Quote, Span, Stance
from ..validate import Issue
from ..validate.checks import DocumentFiles, check_document, load_config_issues
from .articles import new_annotation_file
from .errors import AnnotationError, StaleVersionError

__all__ = (
    "ID_PREFIXES",
    "DocumentSession",
    "annotation_rel",
    "credit",
    "edit_document",
    "empty_pass",
    "file_version",
    "item_spans",
    "next_id",
    "open_document",
    "save_annotations",
)

#: Id prefix of each layer: entities e1, e2...; quotes q1...; numbers n1...; stance s1...
ID_PREFIXES = {"entities": "e", "quotes": "q", "numbers": "n", "stance": "s"}


def annotation_rel(doc_id: str, annotator: str | None = None) -> str:
    """Where a document's annotations are written, relative to the corpus root: the gold file,
    or ``passes/<annotator>/<doc_id>.json`` for an annotator's pass."""
    check_safe_id(doc_id)
    if annotator is None:
        return f"{ANNOTATIONS_DIR}/{doc_id}{ANNOTATION_SUFFIX}"
    return f"{PASSES_DIR}/{check_annotator(annotator)}/{doc_id}{ANNOTATION_SUFFIX}"


def _annotation_path(corpus: Corpus, doc_id: str, annotator: str | None) -> Path:
    """The gold file or the pass file (:meth:`Corpus.pass_path` refuses symbolic links)."""
    return corpus.annotation_path(doc_id) if annotator is None else corpus.pass_path(annotator, doc_id)


def empty_pass(gold: AnnotationFile) -> AnnotationFile:
    """A new pass of ``gold``'s document: same pin, metadata and segments; no entities, quotes,
    numbers or stance."""
    return gold.model_copy(update={"entities": [], "quotes": [], "numbers": [], "stance": []}, deep=True)


def item_spans(item: Any) -> list[Span]:
    if isinstance(item, Quote):
        return list(item.fragments)
    if isinstance(item, Stance):
        return [item.evidence] if item.evidence.type == "span" else []  # type: ignore[list-item]
    return [item]


def next_id(ann: AnnotationFile, layer: str) -> str:
    """The next id of ``layer``: its prefix plus one more than the highest number in use.

    Ids are unique across all layers of a document, so ids of other layers are checked too.
    """
    prefix = ID_PREFIXES[layer]
    used = {item.id for _layer, item in ann.layer_items()}
    pattern = re.compile(rf"{prefix}(\d+)")
    numbers = [int(m.group(1)) for i in used if (m := pattern.fullmatch(i))]
    n = max(numbers, default=0) + 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


@dataclass
class DocumentSession:
    corpus: Corpus
    root: Path
    doc_id: str
    raw_bytes: bytes
    raw: str
    ann: AnnotationFile
    ann_bytes: bytes  # the annotation file as read (b"" for a pass not written yet), to detect concurrent edits
    annotator: str | None = None  # whose pass this is; None for the gold file

    @property
    def ann_rel(self) -> str:
        return annotation_rel(self.doc_id, self.annotator)

    def save(
        self,
        ann: AnnotationFile | None = None,
        dry_run: bool = False,
        tolerate: Callable[[Issue], bool] | None = None,
        on_write: Callable[[bytes], None] | None = None,
    ) -> list[Issue]:
        """Validate and write ``ann`` (default: ``self.ann``) where this session read it from."""
        return save_annotations(
            self.root,
            self.ann if ann is None else ann,
            self.raw_bytes,
            dry_run=dry_run,
            tolerate=tolerate,
            expected=self.ann_bytes,
            annotator=self.annotator,
            on_write=on_write,
        )

    @property
    def raw_rel(self) -> str:
        return f"{RAW_DIR}/{self.doc_id}{RAW_SUFFIX}"

    def display(self, rel: str) -> str:
        return str(self.root / rel)


def open_document(root: str | Path, doc_id: str, annotator: str | None = None) -> DocumentSession:
    """Read one document's raw bytes and annotations (gold, or ``annotator``'s pass), with clear
    errors for missing files. A pass not written yet is :func:`empty_pass` of the gold file."""
    corpus = Corpus.at(root)
    ann_rel = annotation_rel(doc_id, annotator)
    ann_path, raw_path = _annotation_path(corpus, doc_id, annotator), corpus.raw_path(doc_id)
    gold_path = corpus.annotation_path(doc_id)
    if not corpus.config_path.is_file():
        raise CorpusError(f"{root} is not a corpus (no corpus.json); pass --root or run `corpus init`")
    if not ann_path.is_file() and (annotator is None or not (gold_path.is_file() or raw_path.is_file())):
        known = corpus.doc_ids()
        hint = f"; known documents: {', '.join(known[:20])}" + (" ..." if len(known) > 20 else "") if known else ""
        raise CorpusError(f"no document {doc_id!r}: {Path(root) / ANNOTATIONS_DIR / gold_path.name} not found{hint}")
    if not raw_path.is_file():
        raise CorpusError(f"document {doc_id!r} has no raw text: {Path(root) / RAW_DIR / raw_path.name} not found")
    raw_bytes = raw_path.read_bytes()
    raw = corpus.read_raw(doc_id)
    if ann_path.is_file():
        ann_bytes = ann_path.read_bytes()
        ann = corpus.read_annotations(doc_id) if annotator is None else corpus.read_pass(annotator, doc_id)
    else:  # a new pass
        ann_bytes = b""
        if gold_path.is_file():
            ann = empty_pass(corpus.read_annotations(doc_id))
        else:
            ann = new_annotation_file(doc_id, raw_bytes)
    if ann.doc_id != doc_id:  # saving would write <folder>/<ann.doc_id>.json: another document
        raise CorpusError(
            f"{Path(root) / ann_rel}: doc_id is {ann.doc_id!r} but the file is named "
            f"{doc_id!r}; fix the file first (`corpus validate` reports it as doc-id-mismatch)"
        )
    return DocumentSession(corpus, Path(root), doc_id, raw_bytes, raw, ann, ann_bytes, annotator)


def save_annotations(
    root: str | Path,
    ann: AnnotationFile,
    raw_bytes: bytes,
    dry_run: bool = False,
    tolerate: Callable[[Issue], bool] | None = None,
    expected: bytes | None = None,
    annotator: str | None = None,
    on_write: Callable[[bytes], None] | None = None,
) -> list[Issue]:
    """Validate ``ann`` against ``raw_bytes`` and the corpus config, then write it atomically
    (to the gold file, or to ``annotator``'s pass).

    The bytes that are checked are the bytes written. Errors (except those ``tolerate``
    accepts) raise AnnotationError and nothing is written. With ``expected`` (the file's bytes
    when it was read; ``b""`` for a file that did not exist), a file changed meanwhile by someone
    else is not overwritten. ``on_write`` is called with the bytes written. Returns the warnings.
    """
    corpus = Corpus.at(root)
    data = dumps_json(dump_annotation_file(ann)).encode("utf-8")
    ann_rel = annotation_rel(ann.doc_id, annotator)
    files = DocumentFiles(
        doc_id=ann.doc_id,
        annotation_file=ann_rel,
        raw_file=f"{RAW_DIR}/{ann.doc_id}{RAW_SUFFIX}",
        annotation_bytes=data,
        raw_bytes=raw_bytes,
    )
    ctx = load_config_issues(corpus.root)[0]
    issues = check_document(files, ctx, locate=False)  # messages are reported, not lines
    errors = [i for i in issues if i.is_error and not (tolerate and tolerate(i))]
    if errors:
        lines = [f"{Path(root) / ann_rel} would not be valid, nothing was written:"]
        for issue in errors[:20]:
            lines.append(f"  {issue.severity}[{issue.code}] {issue.message}")
        if len(errors) > 20:
            lines.append(f"  ... and {len(errors) - 20} more")
        if any(i.code == "raw-hash-mismatch" for i in errors):
            lines.append(f"  hint: the raw text changed; run `corpus reanchor {ann.doc_id}` first")
        raise AnnotationError("\n".join(lines))
    if not dry_run:
        path = _annotation_path(corpus, ann.doc_id, annotator)
        current = path.read_bytes() if path.is_file() else b""
        if expected is not None and current != expected:
            raise AnnotationError(f"{Path(root) / ann_rel} changed while this command ran; nothing was written, retry")
        atomic_write_bytes(path, data)
        if on_write is not None:
            on_write(data)
    return [i for i in issues if not i.is_error]


def file_version(data: bytes) -> str:
    """The version of an annotation file: the sha256 of its bytes (passed back as ``expected_version``)."""
    return hashlib.sha256(data).hexdigest()


def credit(source: str | None, annotator: str | None, verb: str) -> str | None:
    """``source`` after ``annotator`` changed an annotation: the annotator's name, keeping earlier provenance."""
    if not annotator or source == annotator or (source or "").startswith(f"{annotator} ("):
        return source
    return f"{annotator} ({verb} {source})" if source else annotator


@contextmanager
def edit_document(
    root: str | Path, doc_id: str, expected_version: str | None = None, annotator: str | None = None
) -> Iterator[DocumentSession]:
    """Open ``doc_id`` (gold, or ``annotator``'s pass) holding its write lock until the block ends:
    read, change, save, release.

    Another process editing the same document waits for the lock, then reads the saved result,
    so no update is lost. With ``expected_version`` (a :func:`file_version` the caller saw), the
    file must still be that version once the lock is held: a compare-and-swap; otherwise
    :class:`StaleVersionError` is raised and nothing is written.
    """
    with write_lock(root, document_lock_name(doc_id)):
        doc = open_document(root, doc_id, annotator)
        if expected_version is not None and file_version(doc.ann_bytes) != expected_version:
            raise StaleVersionError(
                f"{doc.display(doc.ann_rel)} changed since version {expected_version[:12]}… was read "
                "(another tab, a CLI command or an editor wrote it); nothing was written: reload and retry",
                file_version(doc.ann_bytes),
            )
        yield doc
