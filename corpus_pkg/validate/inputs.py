"""What the document checks read: the corpus context (from corpus.json and entities.json, which
are checked here), each document's files, and the pairing of raw and annotation files."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

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
from .issues import Issue

__all__ = (
    "CorpusContext",
    "DocumentFiles",
    "DocumentPaths",
    "jsonable",
    "load_config_issues",
    "loc_to_path",
    "pair_paths",
)


@dataclass
class CorpusContext:
    """What document checks need to know about the corpus as a whole."""

    labels: frozenset[str] | None = None  # None: config invalid, skip label checks
    targets: frozenset[str] | None = None
    registry_ids: frozenset[str] | None = None

    def fingerprint(self) -> str:
        """Stable digest of this context, for cache keys."""
        parts = [sorted(x) if x is not None else None for x in (self.labels, self.targets, self.registry_ids)]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass
class DocumentFiles:
    """The bytes of one document's files (None when the file is missing)."""

    doc_id: str
    annotation_file: str  # relative path used in reports
    raw_file: str
    annotation_bytes: bytes | None
    raw_bytes: bytes | None


def load_config_issues(root: Path) -> tuple[CorpusContext, list[Issue], CorpusConfig | None]:
    """Check corpus.json and entities.json; return the context for document checks."""
    issues: list[Issue] = []
    ctx = CorpusContext()
    config = _load_model(root / CONFIG_FILE, CorpusConfig, issues, required=True)
    registry = _load_model(root / REGISTRY_FILE, EntityRegistry, issues, required=False)
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
    return ctx, issues, config


def _load_model(path: Path, model: type[BaseModel], issues: list[Issue], required: bool) -> Any:
    name = path.name
    if not path.exists():
        if required:
            issues.append(
                Issue.make("invalid-config", f"{name} not found in the corpus root", file=name, expected=name)
            )
        return None
    try:
        parsed = parse_json(path.read_bytes())
    except JsonFileError as exc:
        issues.append(Issue.make("invalid-json", exc.message, file=name, line=exc.line, column=exc.column))
        return None
    try:
        return model.model_validate(parsed.value)
    except ValidationError as exc:
        for err in exc.errors():
            json_path = loc_to_path(err["loc"], parsed.value)
            pos = parsed.locate(json_path)
            issues.append(
                Issue.make(
                    "invalid-config",
                    f"{json_path or '(root)'}: {err['msg']}",
                    file=name,
                    json_path=json_path,
                    line=pos[0] if pos else None,
                    column=pos[1] if pos else None,
                    value=jsonable(err.get("input")),
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
        """The bytes of both files (``raw_bytes`` is None when the raw file is missing)."""
        raw_path = root / self.raw_file
        try:
            raw_regular = stat.S_ISREG(os.lstat(raw_path).st_mode)
        except (FileNotFoundError, NotADirectoryError):
            raw_regular = False
        return DocumentFiles(
            doc_id=self.doc_id,
            annotation_file=self.annotation_file,
            raw_file=self.raw_file,
            annotation_bytes=(root / self.annotation_file).read_bytes(),
            # a symlinked raw file was reported as unsafe-id and is never read
            raw_bytes=raw_path.read_bytes() if raw_regular else None,
        )


def pair_paths(root: Path) -> tuple[list[DocumentPaths], list[Issue]]:
    """Match raw/<id>.txt with annotations/<id>.json without reading them; report unsafe names
    and raw files that have no annotation file."""
    issues: list[Issue] = []
    raw_ids = _ids_in(root / RAW_DIR, RAW_SUFFIX, issues)
    ann_ids = _ids_in(root / ANNOTATIONS_DIR, ANNOTATION_SUFFIX, issues)
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


def _ids_in(folder: Path, suffix: str, issues: list[Issue]) -> set[str]:
    ids: set[str] = set()
    if not folder.is_dir():
        return ids
    with os.scandir(folder) as entries:  # file types come with the listing: no stat per file
        found = [(entry.name, entry.is_symlink() or not entry.is_file()) for entry in entries]
    for name, not_regular in found:
        if not name.endswith(suffix):
            continue
        stem = name[: -len(suffix)]
        rel = f"{folder.name}/{name}"
        if not is_safe_id(stem) or not_regular:
            issues.append(
                Issue.make(
                    "unsafe-id",
                    f"{rel!r} is not a safe document file name (or is a link or folder); it was not read",
                    file=rel,
                    value=stem,
                    expected="a regular file named <id>" + suffix,
                )
            )
            continue
        ids.add(stem)
    return ids


def loc_to_path(loc: tuple[int | str, ...], data: Any) -> str:
    """Turn a pydantic error location into a JSON path over ``data``, dropping union tags
    (``('quotes', 3, 'speaker', 'mention', 'mention_id')`` -> ``quotes[3].speaker.mention_id``)."""
    path = ""
    current = data
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            current = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
        elif isinstance(current, dict) and part not in current and current.get("type") == part:
            continue  # discriminated-union tag
        elif "[" in str(part):
            continue  # validator name such as function-after[...]
        elif isinstance(current, dict) and part in current:
            path = f"{path}.{part}" if path else part
            current = current[part]
        elif isinstance(current, dict) or current is None:
            path = f"{path}.{part}" if path else part
            current = None
        else:
            continue
    return path


def jsonable(value: Any) -> Any:
    """Error input values as JSON-safe, size-bounded data for reports."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and len(value) > 200:
            return value[:200] + "..."
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
