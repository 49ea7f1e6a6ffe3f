"""Counts of annotations per layer, label, origin and document: ``corpus stats``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from ..corpus import Corpus
from ..schema import ANNOTATION_LAYERS, AnnotationFile

__all__ = ("LayerStats", "Stats", "stats")

LAYER_NAMES = ANNOTATION_LAYERS  # the schema names the layers


class LayerStats(BaseModel):
    """Counts of one layer. ``by_label`` keys: entity label, quote kind, number kind, or
    ``target:label`` for stance."""

    total: int = 0
    by_label: dict[str, int] = Field(default_factory=dict)
    by_origin: dict[str, int] = Field(default_factory=dict)


class Stats(BaseModel):
    """Corpus-wide counts; every mapping is sorted by key so the output is deterministic."""

    documents: int
    characters: int
    layers: dict[str, LayerStats]
    per_document: dict[str, dict[str, int]]

    def to_text(self) -> str:
        """Aligned plain-text tables."""
        total = sum(layer.total for layer in self.layers.values())
        lines = [f"{self.documents} document(s), {self.characters} characters, {total} annotation(s)", ""]
        origins = ("manual", "imported", "suggestion")
        lines.append(_row(["layer", "total", *origins], [10, 6, 7, 9, 11]))
        for name, layer in self.layers.items():
            cells = [name, str(layer.total), *(str(layer.by_origin.get(o, 0)) for o in origins)]
            lines.append(_row(cells, [10, 6, 7, 9, 11]))
        lines.append("")
        for name, layer in self.layers.items():
            if layer.by_label:
                labels = ", ".join(f"{label} {n}" for label, n in layer.by_label.items())
                lines.append(f"{name} by {'kind' if name in ('quotes', 'numbers') else 'label'}: {labels}")
        if self.per_document:
            lines.append("")
            width = max(8, *(len(d) for d in self.per_document)) + 2
            lines.append(_row(["document", "chars", *LAYER_NAMES], [width, 7, 9, 7, 8, 7]))
            for doc_id, counts in self.per_document.items():
                cells = [doc_id, str(counts["characters"]), *(str(counts[n]) for n in LAYER_NAMES)]
                lines.append(_row(cells, [width, 7, 9, 7, 8, 7]))
        return "\n".join(lines) + "\n"


def _row(cells: list[str], widths: list[int]) -> str:
    out = cells[0].ljust(widths[0])
    out += "".join(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:]))
    return out.rstrip()


def _label(layer: str, item) -> str:
    if layer == "entities":
        return item.label
    if layer == "stance":
        return f"{item.target}:{item.label}"
    return item.kind


def stats(root: str | Path = ".") -> Stats:
    """Count annotations of every document of the corpus at ``root``.

    Raises CorpusError naming the file when an annotation file is unreadable (run
    ``corpus validate`` for the full list of problems).

    Example:
        >>> stats("tests/data/mini").layers["entities"].by_label  # doctest: +SKIP
        {'ORG': 1, 'PERSON': 1}
    """
    corpus = Corpus.at(root)
    if not corpus.config_path.is_file():
        raise FileNotFoundError(f"{root} is not a corpus (no corpus.json); pass --root")
    by_label = {name: Counter() for name in LAYER_NAMES}
    by_origin = {name: Counter() for name in LAYER_NAMES}
    per_document: dict[str, dict[str, int]] = {}
    characters = 0
    for doc_id in corpus.doc_ids():
        ann: AnnotationFile = corpus.read_annotations(doc_id)
        raw_path = corpus.raw_path(doc_id)
        n_chars = len(corpus.read_raw(doc_id)) if raw_path.is_file() else 0
        characters += n_chars
        counts = {"characters": n_chars}
        for name in LAYER_NAMES:
            items = getattr(ann, name)
            counts[name] = len(items)
            for item in items:
                by_label[name][_label(name, item)] += 1
                by_origin[name][item.origin] += 1
        per_document[doc_id] = counts
    layers = {
        name: LayerStats(
            total=sum(by_label[name].values()),
            by_label=dict(sorted(by_label[name].items())),
            by_origin=dict(sorted(by_origin[name].items())),
        )
        for name in LAYER_NAMES
    }
    return Stats(documents=len(per_document), characters=characters, layers=layers, per_document=per_document)
