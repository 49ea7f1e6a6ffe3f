"""Where the passes to compare are, and reading them with clear errors.

A pass is named by a folder: a corpus root (its ``annotations/``), a folder of
``<doc_id>.json`` annotation files (``annotations/``, ``passes/<annotator>/`` or any other), or,
inside a corpus, an annotator's name (``gold`` names ``annotations/``). The raw texts, needed for
token-level alpha and to check each pass's pin, are those of the corpus the folder belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .._jsonfile import parse_json
from ..corpus import (
    ANNOTATION_SUFFIX,
    ANNOTATIONS_DIR,
    CONFIG_FILE,
    GOLD_NAME,
    RAW_DIR,
    RAW_SUFFIX,
    Corpus,
    CorpusError,
    is_safe_id,
    read_regular_file,
    sha256_bytes,
)
from ..schema import AnnotationFile

__all__ = ("AgreementError", "PassSource", "annotator_pass", "folder_pass")


class AgreementError(ValueError):
    """Passes that cannot be compared: missing, unreadable, invalid, or made on other raw texts."""


@dataclass(frozen=True)
class PassSource:
    """One pass: its display name, its folder of ``<doc_id>.json`` files, the raw texts' folder."""

    name: str
    folder: Path
    raw_dir: Path | None

    def doc_ids(self) -> list[str]:
        return sorted(
            p.name[: -len(ANNOTATION_SUFFIX)]
            for p in self.folder.iterdir()
            if p.name.endswith(ANNOTATION_SUFFIX) and is_safe_id(p.name[: -len(ANNOTATION_SUFFIX)])
        )

    def read(self, doc_id: str) -> AnnotationFile:
        """The pass's annotations of ``doc_id``; AgreementError names the file and JSON path."""
        path = self.folder / f"{doc_id}{ANNOTATION_SUFFIX}"
        try:
            value = parse_json(read_regular_file(path)).value
            return AnnotationFile.model_validate(value)
        except (CorpusError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                problems = "; ".join(
                    f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:5]
                )
                raise AgreementError(f"{path}: not a valid annotation file: {problems}") from None
            raise AgreementError(f"{path}: {exc}") from None

    def raw(self, ann: AnnotationFile) -> str | None:
        """The raw text ``ann`` was made on, or None when this pass has no corpus raw text for it."""
        if self.raw_dir is None:
            return None
        path = self.raw_dir / f"{ann.doc_id}{RAW_SUFFIX}"
        if not path.is_file():
            return None
        data = read_regular_file(path)
        if sha256_bytes(data) != ann.raw_sha256:
            raise AgreementError(
                f"{self.folder / (ann.doc_id + ANNOTATION_SUFFIX)}: raw_sha256 does not match {path}; "
                f"run `corpus reanchor {ann.doc_id}` (with --annotator for a pass) first"
            )
        return data.decode("utf-8")


def _corpus_root_of(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    return None


def folder_pass(path: str | Path) -> PassSource:
    """The pass in ``path``: a corpus root (its annotations/) or a folder of annotation files."""
    folder = Path(path)
    if not folder.is_dir():
        raise AgreementError(f"{folder}: not a folder (expected a corpus root or a folder of <doc_id>.json files)")
    if (folder / CONFIG_FILE).is_file():
        root: Path | None = folder
        folder = folder / ANNOTATIONS_DIR
    else:
        root = _corpus_root_of(folder.resolve())
    raw_dir = root / RAW_DIR if root is not None and (root / RAW_DIR).is_dir() else None
    return PassSource(str(path), folder, raw_dir)


def annotator_pass(root: str | Path, name: str) -> PassSource:
    """The pass of annotator ``name`` in the corpus at ``root`` (``gold``: the gold annotations)."""
    corpus = Corpus.at(root)
    if name == GOLD_NAME:
        return PassSource(GOLD_NAME, corpus.annotations_dir, corpus.raw_dir)
    folder = corpus.pass_dir(name)
    if not folder.is_dir():
        known = ", ".join([GOLD_NAME, *corpus.annotators()])
        raise AgreementError(f"annotator {name!r} has no pass in {corpus.passes_dir}; known passes: {known}")
    return PassSource(name, folder, corpus.raw_dir)
