"""The suggester registry: named, versioned functions that propose annotations for one document.

A suggester reads a :class:`SuggestInput` (raw text, the annotations as they are, the entity
registry, the declared labels) and yields :class:`Candidate` items: the fields of a new annotation
without ``id``, ``origin`` and ``source``. :func:`corpus_pkg.annotate.suggest.run.run_suggester`
gives them ids, stores them as ``origin: "suggestion"`` with ``source`` = ``"<name>@<version>"``,
drops every candidate that overlaps an annotation of its layer (gold or suggested) and validates
the file before writing it. Bump a suggester's version whenever its output changes, so reviewers
and the evaluation can tell which rules produced a label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ...schema import ANNOTATED_SEGMENTS, AnnotationFile, EntityRegistry, Span

__all__ = (
    "SUGGESTERS",
    "Candidate",
    "SuggestInput",
    "Suggester",
    "get_suggester",
    "register",
    "suggester_names",
)


@dataclass(frozen=True)
class SuggestInput:
    """What a suggester may look at. It must not change ``ann``."""

    doc_id: str
    raw: str
    ann: AnnotationFile
    registry: EntityRegistry
    labels: tuple[str, ...]  # entity labels declared in corpus.json
    segments: tuple[tuple[int, int], ...]  # where this suggester may propose spans (see Suggester.segments)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Candidate:
    """One proposed annotation: ``fields`` are the model's fields except id, origin and source."""

    fields: dict[str, Any]
    spans: list[Span]  # the spans that must be new and inside the allowed segments

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans)


SuggestFunction = Callable[[SuggestInput], Iterable[Candidate]]


@dataclass(frozen=True)
class Suggester:
    """A named, versioned suggester of one layer."""

    name: str
    layer: str  # "entities", "quotes" or "numbers"
    version: int
    run: SuggestFunction
    description: str
    #: Segment kinds it proposes spans in (documents without segments: everywhere).
    segments: frozenset[str] = frozenset(ANNOTATED_SEGMENTS)

    @property
    def source(self) -> str:
        """What is stored as ``source`` on its suggestions, e.g. ``"registry@1"``."""
        return f"{self.name}@{self.version}"


#: layer -> suggester name -> Suggester. The first registered of a layer is its default.
SUGGESTERS: dict[str, dict[str, Suggester]] = {}


def register(suggester: Suggester) -> Suggester:
    """Add ``suggester`` to :data:`SUGGESTERS` (a name may be registered once per layer)."""
    layer = SUGGESTERS.setdefault(suggester.layer, {})
    if suggester.name in layer:
        raise ValueError(f"a {suggester.layer} suggester named {suggester.name!r} is registered already")
    layer[suggester.name] = suggester
    return suggester


def suggester_names(layer: str) -> list[str]:
    """Names of the suggesters of ``layer``, the default first."""
    return list(SUGGESTERS.get(layer, {}))


def get_suggester(layer: str, name: str | None = None) -> Suggester:
    """The suggester ``name`` of ``layer`` (default: the layer's first registered one)."""
    known = SUGGESTERS.get(layer)
    if not known:
        raise ValueError(f"no suggesters for layer {layer!r}; layers with suggesters: {', '.join(SUGGESTERS)}")
    if name is None:
        return next(iter(known.values()))
    if name not in known:
        raise ValueError(f"unknown {layer} suggester {name!r}; known: {', '.join(known)}")
    return known[name]
