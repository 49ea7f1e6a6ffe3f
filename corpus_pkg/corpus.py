"""Where a corpus keeps its files, and typed access to them.

A corpus root holds::

    corpus.json            labels, stance targets, splits, version  (CorpusConfig)
    entities.json          the entity registry                      (EntityRegistry)
    raw/<doc_id>.txt       article text, byte-exact as published
    annotations/<doc_id>.json   one AnnotationFile per document (the gold)
    passes/<annotator>/<doc_id>.json   one annotator's independent pass (same schema; never released as gold)
    assignments.json       which annotators are to annotate which documents (optional)
    adjudication/<doc_id>.json   how disagreements between passes were settled (corpus adjudicate)
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ._io import write_json
from ._jsonfile import parse_json
from .schema import SAFE_ID_PATTERN, AnnotationFile, CorpusConfig, Document, EntityRegistry

M = TypeVar("M", bound=BaseModel)

CONFIG_FILE = "corpus.json"
REGISTRY_FILE = "entities.json"
RAW_DIR = "raw"
ANNOTATIONS_DIR = "annotations"
PASSES_DIR = "passes"
ADJUDICATION_DIR = "adjudication"
ASSIGNMENTS_FILE = "assignments.json"
#: ``--annotators gold`` names the gold annotations (annotations/), so no pass may be called that.
GOLD_NAME = "gold"
RAW_SUFFIX = ".txt"
ANNOTATION_SUFFIX = ".json"
#: Documents per shard of a release split (one Parquet file per config); see corpus_pkg.tables.plan.
DOCS_PER_SHARD = 500

_SAFE_ID = re.compile(SAFE_ID_PATTERN)


class CorpusError(Exception):
    """A corpus cannot be used as asked (missing folder, unsafe id, invalid file)."""


def is_safe_id(doc_id: str) -> bool:
    """True when ``doc_id`` can name a file without leaving its folder (no '/', '..', NUL...)."""
    return bool(_SAFE_ID.fullmatch(doc_id))


def check_safe_id(doc_id: str) -> str:
    """Return ``doc_id`` or raise CorpusError explaining the allowed form."""
    if not is_safe_id(doc_id):
        raise CorpusError(
            f"unsafe id {doc_id!r}: ids must match {SAFE_ID_PATTERN} "
            "(letters, digits, '_' and '-', starting with a letter or digit, at most 128 characters)"
        )
    return doc_id


def check_annotator(name: str) -> str:
    """Return the annotator ``name`` or raise CorpusError: it names a folder under passes/."""
    if not is_safe_id(name):
        raise CorpusError(
            f"unsafe annotator name {name!r}: names must match {SAFE_ID_PATTERN} "
            "(letters, digits, '_' and '-', starting with a letter or digit)"
        )
    if name == GOLD_NAME:
        raise CorpusError(f"{GOLD_NAME!r} names the gold annotations (annotations/) and cannot be an annotator")
    return name


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Corpus:
    """A corpus folder on disk. Reading methods raise CorpusError on invalid input;
    use :func:`corpus_pkg.validate` for a full report instead."""

    root: Path

    @classmethod
    def at(cls, root: str | Path = ".") -> Corpus:
        """Open the corpus at ``root`` (default: the current directory)."""
        return cls(Path(root).resolve())

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def registry_path(self) -> Path:
        return self.root / REGISTRY_FILE

    @property
    def raw_dir(self) -> Path:
        return self.root / RAW_DIR

    @property
    def annotations_dir(self) -> Path:
        return self.root / ANNOTATIONS_DIR

    @property
    def passes_dir(self) -> Path:
        return self.root / PASSES_DIR

    @property
    def assignments_path(self) -> Path:
        return self.root / ASSIGNMENTS_FILE

    def pass_dir(self, annotator: str) -> Path:
        """Folder of ``annotator``'s pass: ``passes/<annotator>/`` (a symbolic link there is refused,
        so a pass can never be read from or written to outside the corpus)."""
        folder = self.passes_dir / check_annotator(annotator)
        for path in (self.passes_dir, folder):
            if path.is_symlink():
                raise CorpusError(f"{path}: is a symbolic link; pass folders must be real folders")
        return folder

    def pass_path(self, annotator: str, doc_id: str) -> Path:
        """``passes/<annotator>/<doc_id>.json``."""
        return self.pass_dir(annotator) / f"{check_safe_id(doc_id)}{ANNOTATION_SUFFIX}"

    def annotators(self) -> list[str]:
        """Sorted names of the annotators with a pass folder (folders with unsafe names are skipped)."""
        if not self.passes_dir.is_dir():
            return []
        return sorted(
            p.name
            for p in self.passes_dir.iterdir()
            if p.is_dir() and not p.is_symlink() and is_safe_id(p.name) and p.name != GOLD_NAME
        )

    def pass_doc_ids(self, annotator: str) -> list[str]:
        """Sorted ids of the documents ``annotator`` has a pass file for."""
        return _ids_in_folder(self.pass_dir(annotator))

    def read_pass(self, annotator: str, doc_id: str) -> AnnotationFile:
        """The parsed pass file of ``annotator`` for ``doc_id``."""
        return AnnotationFile.model_validate(_read_json(self.pass_path(annotator, doc_id)))

    def adjudication_path(self, doc_id: str) -> Path:
        """``adjudication/<doc_id>.json``: the decisions that settled the document's disagreements."""
        return self.root / ADJUDICATION_DIR / f"{check_safe_id(doc_id)}{ANNOTATION_SUFFIX}"

    def raw_path(self, doc_id: str) -> Path:
        return self.raw_dir / f"{check_safe_id(doc_id)}{RAW_SUFFIX}"

    def annotation_path(self, doc_id: str) -> Path:
        return self.annotations_dir / f"{check_safe_id(doc_id)}{ANNOTATION_SUFFIX}"

    @cached_property
    def config(self) -> CorpusConfig:
        """The parsed ``corpus.json``."""
        return _read_model(self.config_path, CorpusConfig)

    @cached_property
    def registry(self) -> EntityRegistry:
        """The parsed ``entities.json`` (empty when the file is absent)."""
        if not self.registry_path.exists():
            return EntityRegistry()
        return _read_model(self.registry_path, EntityRegistry)

    def doc_ids(self) -> list[str]:
        """Sorted ids of all documents that have an annotation file."""
        return _ids_in_folder(self.annotations_dir)

    def read_raw(self, doc_id: str) -> str:
        """The raw text of ``doc_id`` decoded as UTF-8 (no newline translation)."""
        data = read_regular_file(self.raw_path(doc_id))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{self.raw_path(doc_id)}: not valid UTF-8 at byte {exc.start}") from None

    def read_annotations(self, doc_id: str) -> AnnotationFile:
        """The parsed annotation file of ``doc_id``."""
        return _read_model(self.annotation_path(doc_id), AnnotationFile)

    def read_document(self, doc_id: str) -> Document:
        """Raw text and annotations of ``doc_id`` together."""
        return Document(text=self.read_raw(doc_id), annotations=self.read_annotations(doc_id))

    def iter_documents(self) -> Iterator[Document]:
        """Every document in id order, one at a time."""
        for doc_id in self.doc_ids():
            yield self.read_document(doc_id)

    def write_annotations(self, annotations: AnnotationFile) -> Path:
        """Atomically (re)write the annotation file of ``annotations.doc_id``."""
        path = self.annotation_path(annotations.doc_id)
        write_json(path, dump_annotation_file(annotations))
        return path


def _ids_in_folder(folder: Path) -> list[str]:
    """Sorted ids of the ``<id>.json`` files of ``folder`` (unsafe names skipped; none if it is missing)."""
    if not folder.is_dir():
        return []
    return sorted(
        p.name[: -len(ANNOTATION_SUFFIX)]
        for p in folder.iterdir()
        if p.name.endswith(ANNOTATION_SUFFIX) and is_safe_id(p.name[: -len(ANNOTATION_SUFFIX)])
    )


def dump_annotation_file(annotations: AnnotationFile) -> dict:
    """JSON-ready dict of an annotation file, in the canonical key order of the schema.

    Whole-number values are written as integers (``90000``, not ``90000.0``) so that rewriting a
    file does not change lines an annotator typed."""
    data = annotations.model_dump(mode="json", exclude_none=True)
    for number in data.get("numbers", []):
        value = number["value"]
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            number["value"] = int(value)
    return data


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``; symbolic links are refused so a corpus file cannot point outside it."""
    if path.is_symlink():
        raise CorpusError(f"{path}: is a symbolic link; corpus files must be regular files")
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, a pipe (which would block), a device
            raise CorpusError(f"{path}: is not a regular file")
        return path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{path}: file not found") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None


def _read_json(path: Path) -> object:
    data = read_regular_file(path)
    try:
        return parse_json(data).value
    except ValueError as exc:
        raise CorpusError(f"{path}: {exc}") from None


def _read_model(path: Path, model: type[M]) -> M:
    """``path`` parsed as ``model``; schema errors become one CorpusError naming the file and each problem."""
    try:
        return model.model_validate(_read_json(path))
    except ValidationError as exc:
        raise CorpusError(f"{path} is invalid: {describe_validation_error(exc)}; run `corpus validate`") from None


def describe_validation_error(exc: ValidationError, limit: int = 5) -> str:
    """A pydantic error as one short line: ``path: message (got value)`` for the first ``limit`` problems."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(part) for part in err["loc"]) or "(root)"
        got = repr(err.get("input"))
        got = got if len(got) <= 80 else got[:77] + "..."
        parts.append(f"{where}: {err['msg']} (got {got})")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
