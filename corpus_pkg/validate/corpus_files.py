"""Corpus-level checks: corpus.json and entities.json, links, file types and sizes, and the pairing
of raw/<id>.txt with annotations/<id>.json (nothing is read through a link or from a pipe)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .._hashindex import stat_key
from .._jsonfile import JsonFileError, parse_json
from ..corpus import (
    ANNOTATION_SUFFIX,
    ANNOTATIONS_DIR,
    CONFIG_FILE,
    RAW_DIR,
    RAW_SUFFIX,
    REGISTRY_FILE,
    is_safe_id,
)
from ..schema import CorpusConfig, EntityRegistry
from .context import CorpusContext, DocumentFiles
from .issues import Issue
from .values import jsonable, loc_to_path, shown


def load_config_issues(root: Path) -> tuple[CorpusContext, list[Issue], CorpusConfig | None]:
    """Check corpus.json and entities.json; return the context for document checks."""
    ctx, issues, config, _registry = read_corpus_files(root)
    return ctx, issues, config


def read_corpus_files(root: Path) -> tuple[CorpusContext, list[Issue], CorpusConfig | None, EntityRegistry | None]:
    """Read and check corpus.json and entities.json once: the context for document checks, the
    issues found, and the parsed config and registry (None when unreadable or invalid)."""
    issues: list[Issue] = link_issues(root)
    ctx = CorpusContext()
    config = load_model(root / CONFIG_FILE, CorpusConfig, issues, required=True)
    registry = load_model(root / REGISTRY_FILE, EntityRegistry, issues, required=False)
    if config is not None:
        ctx.labels = frozenset(config.entity_label_names)
        ctx.targets = frozenset(config.stance_target_ids)
        for split, ids in config.splits.items():
            for i, doc_id in enumerate(ids):
                if not (root / ANNOTATIONS_DIR / f"{doc_id}{ANNOTATION_SUFFIX}").is_file():
                    issues.append(
                        Issue.make(
                            "unresolved-reference",
                            f"split {split!r} lists document {doc_id!r}, which has no annotation file",
                            file=CONFIG_FILE,
                            json_path=f"splits.{split}[{i}]",
                            value=doc_id,
                            expected="an existing document id",
                        )
                    )
    if registry is not None:
        seen: set[str] = set()
        for i, entity in enumerate(registry.entities):
            if entity.id in seen:
                issues.append(
                    Issue.make(
                        "duplicate-id",
                        f"registry id {entity.id!r} is used more than once",
                        file=REGISTRY_FILE,
                        json_path=f"entities[{i}].id",
                        value=entity.id,
                    )
                )
            seen.add(entity.id)
            if ctx.labels is not None and entity.label not in ctx.labels:
                issues.append(
                    Issue.make(
                        "undeclared-label",
                        f"registry entity {entity.id!r} has undeclared label {entity.label!r}",
                        file=REGISTRY_FILE,
                        json_path=f"entities[{i}].label",
                        value=entity.label,
                        expected="one of " + ", ".join(sorted(ctx.labels)),
                    )
                )
        ctx.registry_ids = frozenset(seen)
    elif not (root / REGISTRY_FILE).exists():
        ctx.registry_ids = frozenset()
    return ctx, issues, config, registry


#: Corpus paths that are read by validate or build and must never be links (they could point
#: outside the corpus, and a release or an upload would carry the target).
LINK_CHECKED = (
    CONFIG_FILE,
    REGISTRY_FILE,
    RAW_DIR,
    ANNOTATIONS_DIR,
    "annotations/GUIDELINES.md",
    "docs",
    "docs/agreement.md",
)
#: Files above this size are not read (a clear issue instead of exhausting memory).
MAX_FILE_BYTES = 64 * 1024 * 1024


def link_issues(root: Path) -> list[Issue]:
    """A linked-path issue for each corpus file or folder in :data:`LINK_CHECKED` that is a symbolic link."""
    issues = []
    for rel in LINK_CHECKED:
        if (root / rel).is_symlink():
            issues.append(
                Issue.make(
                    "linked-path",
                    f"{rel} is a symbolic link; it was not read",
                    file=rel,
                    expected="a regular file or folder inside the corpus",
                )
            )
    return issues


def read_corpus_file(path: Path, name: str) -> tuple[bytes | None, str | None]:
    """The bytes of a corpus file, or None and the reason it cannot be read (checked before opening:
    a folder, a pipe that would block, a link, an absurd size)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None, "not found"
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "is a symbolic link; it was not read"
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, socket or device)"
        return None, f"is {kind}; expected a JSON file"
    if info.st_size > MAX_FILE_BYTES:
        return None, f"is {info.st_size} bytes; files over {MAX_FILE_BYTES} bytes are not read"
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"


def load_model(path: Path, model: type[BaseModel], issues: list[Issue], required: bool) -> Any:
    name = path.name
    if not path.exists() and not path.is_symlink():
        if required:
            issues.append(
                Issue.make("invalid-config", f"{name} not found in the corpus root", file=name, expected=name)
            )
        return None
    data, problem = read_corpus_file(path, name)
    if data is None:
        if "symbolic link" not in (problem or ""):  # link_issues reported it
            issues.append(Issue.make("invalid-config", f"{name} {problem}", file=name, expected="a JSON file"))
        return None
    try:
        parsed = parse_json(data)
    except JsonFileError as exc:
        issues.append(Issue.make("invalid-json", exc.message, file=name, line=exc.line, column=exc.column))
        return None
    try:
        return model.model_validate(parsed.value)
    except ValidationError as exc:
        for err in exc.errors():
            json_path = loc_to_path(err["loc"], parsed.value)
            pos = parsed.locate(json_path)
            value = jsonable(err.get("input"))
            issues.append(
                Issue.make(
                    "invalid-config",
                    f"{json_path or '(root)'}: {err['msg']} (got {shown(value)})",
                    file=name,
                    json_path=json_path,
                    line=pos[0] if pos else None,
                    column=pos[1] if pos else None,
                    value=value,
                    expected=err["msg"],
                )
            )
        return None


@dataclass(frozen=True)
class DocumentPaths:
    """Where one document's files are, relative to the corpus root (read only when checked)."""

    doc_id: str
    annotation_file: str
    raw_file: str

    def read(self, root: Path) -> DocumentFiles:
        """The bytes of both files (``raw_bytes`` is None when the raw file is missing). Files over
        :data:`MAX_FILE_BYTES` are not read; they are named in ``oversized``."""
        base = os.fspath(root)
        raw_path, ann_path = os.path.join(base, self.raw_file), os.path.join(base, self.annotation_file)
        try:
            raw_info = os.lstat(raw_path)
            raw_regular = stat.S_ISREG(raw_info.st_mode)
        except (FileNotFoundError, NotADirectoryError):
            raw_regular = False
        ann_info = os.stat(ann_path)
        sizes = [(self.annotation_file, ann_info.st_size)]
        if raw_regular:
            sizes.append((self.raw_file, raw_info.st_size))
        oversized = tuple(f"{rel} ({size} bytes)" for rel, size in sizes if size > MAX_FILE_BYTES)
        if oversized:
            return DocumentFiles(self.doc_id, self.annotation_file, self.raw_file, b"", None, oversized)
        return DocumentFiles(
            doc_id=self.doc_id,
            annotation_file=self.annotation_file,
            raw_file=self.raw_file,
            annotation_bytes=read_whole(ann_path, ann_info.st_size),
            # a symlinked raw file was reported as unsafe-id and is never read
            raw_bytes=read_whole(raw_path, raw_info.st_size) if raw_regular else None,
            annotation_stat=stat_key(ann_info),
            raw_stat=stat_key(raw_info) if raw_regular else None,
        )


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def read_whole(path: str, size: int) -> bytes:
    """All bytes of the file at ``path``, ``size`` long when stat-ed: what ``Path.read_bytes`` gives,
    read with one ``os.read`` of ``size + 1`` bytes and one more that finds the end (no file object,
    no buffer); a file that grew since is read on to its end."""
    fd = os.open(path, _READ_FLAGS)
    try:
        chunks = [os.read(fd, size + 1)]
        while chunk := os.read(fd, max(size, 1 << 16)):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def pair_paths(root: Path) -> tuple[list[DocumentPaths], list[Issue]]:
    """Match raw/<id>.txt with annotations/<id>.json without reading them; report unsafe names
    and raw files that have no annotation file."""
    issues: list[Issue] = []
    raw_ids = ids_in(root / RAW_DIR, RAW_SUFFIX, issues)
    ann_ids = ids_in(root / ANNOTATIONS_DIR, ANNOTATION_SUFFIX, issues)
    for doc_id in sorted(raw_ids - ann_ids):
        issues.append(
            Issue.make(
                "missing-annotation-file",
                f"raw/{doc_id}{RAW_SUFFIX} has no annotations/{doc_id}{ANNOTATION_SUFFIX}",
                file=f"{RAW_DIR}/{doc_id}{RAW_SUFFIX}",
                doc_id=doc_id,
                expected=f"{ANNOTATIONS_DIR}/{doc_id}{ANNOTATION_SUFFIX}",
            )
        )
    docs = [
        DocumentPaths(doc_id, f"{ANNOTATIONS_DIR}/{doc_id}{ANNOTATION_SUFFIX}", f"{RAW_DIR}/{doc_id}{RAW_SUFFIX}")
        for doc_id in sorted(ann_ids)
    ]
    return docs, issues


def ids_in(folder: Path, suffix: str, issues: list[Issue], prefix: str = "") -> set[str]:
    """Document ids of the ``*suffix`` files of ``folder``; links and odd names become issues
    (paths in them start with ``prefix``)."""
    ids: set[str] = set()
    if not folder.is_dir() or folder.is_symlink():  # a linked raw/ or annotations/ is reported by link_issues
        return ids
    with os.scandir(folder) as entries:  # file types come with the listing: no stat per file
        found = [(entry.name, entry.is_symlink(), not entry.is_file()) for entry in entries]
    for name, linked, not_regular in found:
        if not name.endswith(suffix):
            continue
        stem = name[: -len(suffix)]
        rel = f"{prefix}{folder.name}/{name}"
        if linked:
            issues.append(
                Issue.make(
                    "linked-path",
                    f"{rel} is a symbolic link; it was not read",
                    file=rel,
                    doc_id=stem if is_safe_id(stem) else None,
                    expected="a regular file inside the corpus",
                )
            )
            continue
        if not is_safe_id(stem) or not_regular:
            issues.append(
                Issue.make(
                    "unsafe-id",
                    f"{rel!r} is not a safe document file name (or is a folder or pipe); it was not read",
                    file=rel,
                    value=stem,
                    expected="a regular file named <id>" + suffix,
                )
            )
            continue
        ids.add(stem)
    return ids
