"""Create corpora and add articles: the API behind ``corpus init`` and ``corpus add-article``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .._io import atomic_write_bytes, write_json
from .._lock import CONFIG, REGISTRY, document_lock_name, write_lock
from ..corpus import (
    ANNOTATIONS_DIR,
    CONFIG_FILE,
    RAW_DIR,
    REGISTRY_FILE,
    Corpus,
    CorpusError,
    check_safe_id,
    sha256_bytes,
)
from ..schema import SCHEMA_VERSION, AnnotationFile, CorpusConfig, DocumentMeta, Segment

#: OntoNotes-style labels a new corpus starts with (edit corpus.json to change them).
DEFAULT_ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART")


def init_corpus(
    root: str | Path,
    name: str | None = None,
    entity_labels: tuple[str, ...] | list[str] | None = DEFAULT_ENTITY_LABELS,
    stance_targets: dict[str, str] | None = None,
) -> Corpus:
    """Create an empty, valid corpus at ``root`` (which must be missing or empty).

    Args:
        root: folder to create.
        name: dataset name (lowercase letters, digits, '-' and '_'); default: derived from the
            folder name.
        entity_labels: declared entity labels; ``None`` or empty to start with none (importers then
            adopt the labels of the files they import).
        stance_targets: stance target id -> description.

    Example:
        >>> corpus = init_corpus(tmp / "news", name="news")  # doctest: +SKIP
    """
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} exists and is not empty; choose a new folder")
    if name is None:
        name = re.sub(r"[^a-z0-9_-]+", "-", root.resolve().name.lower()).strip("-_") or "corpus"
    config = CorpusConfig.model_validate(
        {
            "name": name,
            "pretty_name": name,
            "version": "0.1.0",
            "entity_labels": [{"name": label} for label in (entity_labels or ())],
            "stance_targets": [{"id": k, "description": v} for k, v in (stance_targets or {}).items()],
        }
    )
    root.mkdir(parents=True, exist_ok=True)
    with write_lock(root, CONFIG, REGISTRY):  # two `corpus init` of one folder: the second one is refused
        if (root / CONFIG_FILE).exists() or (root / REGISTRY_FILE).exists():
            raise FileExistsError(f"{root} is already a corpus; choose a new folder")
        (root / RAW_DIR).mkdir(parents=True, exist_ok=True)
        (root / ANNOTATIONS_DIR).mkdir(exist_ok=True)
        write_json(root / REGISTRY_FILE, {"entities": []})
        write_json(root / CONFIG_FILE, config.model_dump(mode="json"))
    return Corpus.at(root)


def add_article(
    root: str | Path,
    doc_id: str,
    data: bytes,
    title: str | None = None,
    outlet: str = "unknown",
    authors: list[str] | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    language: str = "en",
    body_segment: bool = True,
) -> AnnotationFile:
    """Store ``data`` byte-exact as ``raw/<doc_id>.txt`` and create its pinned annotation file.

    Refuses unsafe ids, ids already in use, and bytes that are not UTF-8. The title defaults to
    the first non-empty line. With ``body_segment`` the whole text is marked as one body segment
    (refine the segments later).
    """
    corpus = Corpus.at(root)
    check_safe_id(doc_id)
    if not corpus.config_path.is_file():
        raise CorpusError(f"{corpus.root} is not a corpus (no {CONFIG_FILE}); run `corpus init` first")
    with write_lock(corpus.root, document_lock_name(doc_id)):  # two writers of one id: the second is refused
        return _add_article_locked(corpus, doc_id, data, title, outlet, authors, url, published, language, body_segment)


def _add_article_locked(
    corpus: Corpus,
    doc_id: str,
    data: bytes,
    title: str | None,
    outlet: str,
    authors: list[str] | None,
    url: str | None,
    published: dt.date | str | None,
    language: str,
    body_segment: bool,
) -> AnnotationFile:
    raw_path, ann_path = corpus.raw_path(doc_id), corpus.annotation_path(doc_id)
    for path in (raw_path, ann_path):
        if path.exists() or path.is_symlink():
            raise FileExistsError(f"{path} already exists; document id {doc_id!r} is taken")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"article text is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 first"
        ) from None
    if not text.strip():
        raise CorpusError("article text is empty")
    annotations = new_annotation_file(
        doc_id,
        data,
        title=title,
        outlet=outlet,
        authors=authors,
        url=url,
        published=published,
        language=language,
        body_segment=body_segment,
    )
    atomic_write_bytes(raw_path, data)
    try:
        corpus.write_annotations(annotations)
    except BaseException:
        raw_path.unlink(missing_ok=True)
        raise
    return annotations


def new_annotation_file(
    doc_id: str,
    data: bytes,
    title: str | None = None,
    outlet: str = "unknown",
    authors: list[str] | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    language: str = "en",
    body_segment: bool = True,
) -> AnnotationFile:
    """The annotation file a new document starts with: pinned to ``data``, metadata, no labels.

    ``data`` must be non-empty UTF-8 text (``add_article`` checks it). With ``body_segment`` the
    text without its leading and trailing white space is one body segment."""
    text = data.decode("utf-8")
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), doc_id)
    segments = []
    if body_segment and text.strip():
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        segments.append(Segment(kind="body", start=start, end=end, text=text[start:end]))
    return AnnotationFile(
        schema_version=SCHEMA_VERSION,
        doc_id=doc_id,
        raw_sha256=sha256_bytes(data),
        meta=DocumentMeta.model_validate(
            {
                "title": title or first_line,
                "outlet": outlet,
                "authors": authors or [],
                "url": url,
                "published": str(published) if published is not None else None,
                "language": language,
            }
        ),
        segments=segments,
    )
