"""``diff(old, new)``: what changed between two releases or corpus roots.

Each side is a release folder (read from its ``full`` config) or a corpus root (read from
``raw/`` + ``annotations/``, gold annotations only, like a build). Documents are compared by
their raw text, metadata and segments; annotations by id within their document and layer.
Only digests are kept per document, so memory stays small for large corpora.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, Field

from ..corpus import CONFIG_FILE, Corpus, CorpusError
from ..schema import ANNOTATION_LAYERS, Document
from ..tables.read import iter_release_documents
from ..tables.rows import gold_only

__all__ = ("Changes", "DiffReport", "diff")


class Changes(BaseModel):
    """Ids added, removed and changed (``doc_id`` for documents, ``doc_id/annotation_id`` for layers)."""

    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


class DiffReport(BaseModel):
    """The differences between ``old`` and ``new``."""

    old: str
    new: str
    old_version: str | None = None
    new_version: str | None = None
    documents: Changes = Field(default_factory=Changes)
    layers: dict[str, Changes] = Field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.documents.empty and all(c.empty for c in self.layers.values())

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"documents": {"added": n, ...}, "entities": {...}, ...}``."""
        items = {"documents": self.documents, **self.layers}
        return {
            k: {"added": len(c.added), "removed": len(c.removed), "changed": len(c.changed)} for k, c in items.items()
        }

    def to_text(self, limit: int = 50) -> str:
        """Counts per layer, then up to ``limit`` ids per kind of change."""
        lines = [f"diff {self.old} ({self.old_version or '?'}) -> {self.new} ({self.new_version or '?'})"]
        for name, changes in {"documents": self.documents, **self.layers}.items():
            lines.append(f"{name}: +{len(changes.added)} -{len(changes.removed)} ~{len(changes.changed)}")
            for mark, ids in (("+", changes.added), ("-", changes.removed), ("~", changes.changed)):
                lines += [f"  {mark} {i}" for i in ids[:limit]]
                if len(ids) > limit:
                    lines.append(f"  {mark} ... {len(ids) - limit} more")
        if self.empty:
            lines.append("no differences")
        return "\n".join(lines) + "\n"


def diff(old: str | Path, new: str | Path) -> DiffReport:
    """Compare two release folders or corpus roots (any mix).

    Example:
        >>> diff("releases/0.1.0", "releases/0.2.0").counts()["entities"]  # doctest: +SKIP
        {'added': 12, 'removed': 0, 'changed': 3}
    """
    old_v, old_snap = _snapshot(Path(old))
    new_v, new_snap = _snapshot(Path(new))
    report = DiffReport(old=str(old), new=str(new), old_version=old_v, new_version=new_v)
    report.documents = _compare(
        {k: v["document"] for k, v in old_snap.items()}, {k: v["document"] for k, v in new_snap.items()}
    )
    for layer in ANNOTATION_LAYERS:
        report.layers[layer] = _compare(_flatten(old_snap, layer), _flatten(new_snap, layer))
    return report


def _compare(old: dict[str, str], new: dict[str, str]) -> Changes:
    return Changes(
        added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()),
        changed=sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
    )


def _flatten(snapshot: dict[str, dict], layer: str) -> dict[str, str]:
    return {f"{doc_id}/{ann_id}": digest for doc_id, snap in snapshot.items() for ann_id, digest in snap[layer].items()}


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _document_digests(doc: Document) -> dict:
    data = doc.annotations.model_dump(mode="json")
    out: dict = {"document": _digest([doc.text, data["meta"], data["segments"]])}
    for layer in ANNOTATION_LAYERS:
        out[layer] = {item["id"]: _digest(item) for item in data[layer]}
    return out


def _snapshot(path: Path) -> tuple[str | None, dict[str, dict]]:
    docs, version = _documents(path)
    return version, {doc.doc_id: _document_digests(doc) for doc in docs}


def _documents(path: Path) -> tuple[Iterator[Document], str | None]:
    if (path / CONFIG_FILE).is_file() and (path / "annotations").is_dir():
        corpus = Corpus.at(path)
        return (gold_only(doc) for doc in corpus.iter_documents()), corpus.config.version
    if (path / "data" / "full").is_dir():
        meta = path / "metadata" / "corpus.json"
        version = json.loads(meta.read_text(encoding="utf-8")).get("version") if meta.is_file() else None
        return iter_release_documents(path), version
    raise CorpusError(f"{path} is neither a corpus root (corpus.json + annotations/) nor a release (data/full/)")
