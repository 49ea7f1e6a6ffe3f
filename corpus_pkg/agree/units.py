"""Adjudication units: what the passes of one document said about the same thing, per layer.

Items of all passes are grouped into units: entity mentions, numbers and quotes whose spans
overlap (transitively) form one unit; stance rows with the same holder and target form one unit.
A unit is *agreed* when every pass has exactly one item in it and the items have the same content
(everything but id, origin, source and note; a reference to another annotation is compared by
that annotation's span, so passes with different ids can agree).

Unit ids are stable as long as the passes do not change: ``e<start>-<end>`` (entities),
``q...`` (quotes), ``n...`` (numbers) over the unit's extent, ``s-<holder>-<target>`` (stance).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..schema import AnnotationFile, EntityMention, NumberMention, Quote, Stance
from .matching import LAYERS, holder_key

__all__ = ("Unit", "content", "document_units")

_PREFIX = {"entities": "e", "quotes": "q", "numbers": "n", "stance": "s"}


def _mention_span(ann: AnnotationFile, mention_id: str) -> tuple[Any, ...]:
    mention = next((e for e in ann.entities if e.id == mention_id), None)
    return ("mention", mention.start, mention.end) if mention else ("missing-mention", mention_id)


def _quote_fragments(ann: AnnotationFile, quote_id: str) -> tuple[Any, ...]:
    quote = next((q for q in ann.quotes if q.id == quote_id), None)
    if quote is None:
        return ("missing-quote", quote_id)
    return ("quote", *sorted((f.start, f.end) for f in quote.fragments))


def content(ann: AnnotationFile, layer: str, item: Any) -> tuple[Any, ...]:
    """What an item says, without id, origin, source and note; references as spans."""
    if layer == "entities":
        return (item.start, item.end, item.label, item.entity_id)
    if layer == "numbers":
        return (item.start, item.end, item.value, item.kind, item.unit, item.qualifier)
    if layer == "quotes":
        speaker = item.speaker
        who: tuple[Any, ...] = (
            _mention_span(ann, speaker.mention_id)
            if speaker.type == "mention"
            else ("nominal", speaker.start, speaker.end)
            if speaker.type == "nominal"
            else ("unknown",)
        )
        cue = (item.cue.start, item.cue.end) if item.cue else None
        return (tuple(sorted((f.start, f.end) for f in item.fragments)), item.kind, cue, who)
    holder = item.holder
    whose: tuple[Any, ...] = (
        _mention_span(ann, holder.mention_id)
        if holder.type == "mention"
        else ("nominal", holder.start, holder.end)
        if holder.type == "nominal"
        else ("entity", holder.entity_id)
    )
    evidence = item.evidence
    shows = (
        ("span", evidence.start, evidence.end) if evidence.type == "span" else _quote_fragments(ann, evidence.quote_id)
    )
    return (whose, item.target, item.label, shows)


def extents(layer: str, item: Any) -> list[tuple[int, int]]:
    """The character ranges an item covers (for grouping and for showing the text)."""
    if layer == "quotes":
        return [(f.start, f.end) for f in item.fragments]
    if layer == "stance":
        return [(item.evidence.start, item.evidence.end)] if item.evidence.type == "span" else []
    return [(item.start, item.end)]


@dataclass
class Unit:
    """One adjudication unit: each annotator's items (usually 0 or 1) about the same thing."""

    id: str
    layer: str
    start: int | None
    end: int | None
    items: dict[str, list[Any]] = field(default_factory=dict)  # annotator -> items of their pass
    contents: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)  # annotator -> contents

    @property
    def agreed(self) -> bool:
        """Every pass has one item here, all with the same content."""
        firsts = [c[0] for c in self.contents.values() if len(c) == 1]
        return len(firsts) == len(self.contents) and all(c == firsts[0] for c in firsts)

    def fingerprint(self) -> str:
        """Digest of every pass's contents: a decision made on other contents no longer applies."""
        data = json.dumps({name: [list(map(repr, c)) for c in cs] for name, cs in sorted(self.contents.items())})
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def _groups(spans: Sequence[list[tuple[int, int]]]) -> list[list[int]]:
    """Indices grouped by (transitively) overlapping ranges; items without ranges stay alone."""
    parent = list(range(len(spans)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(spans)):
        for j in range(i + 1, len(spans)):
            if any(s1 < e2 and s2 < e1 for s1, e1 in spans[i] for s2, e2 in spans[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(spans)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _slug(value: Hashable) -> str:
    text = value if isinstance(value, str) else "_".join(map(str, value if isinstance(value, tuple) else [value]))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "x"


def document_units(passes: dict[str, AnnotationFile], layers: Sequence[str] = LAYERS) -> list[Unit]:
    """The units of one document's passes (annotator -> pass), in layer then text order."""
    units: list[Unit] = []
    for layer in layers:
        entries = [(name, item) for name, ann in passes.items() for item in getattr(ann, layer)]
        if layer == "stance":
            keyed: dict[tuple[Hashable, str], list[int]] = {}
            for k, (name, item) in enumerate(entries):
                keyed.setdefault((holder_key(passes[name], item), item.target), []).append(k)
            groups = list(keyed.values())
        else:
            groups = _groups([extents(layer, item) for _name, item in entries])
        layer_units = []
        for group in groups:
            spans = [r for k in group for r in extents(layer, entries[k][1])]
            start = min((s for s, _e in spans), default=None)
            end = max((e for _s, e in spans), default=None)
            if layer == "stance":
                name, item = entries[group[0]]
                uid = f"s-{_slug(holder_key(passes[name], item))}-{item.target}"
            else:
                uid = f"{_PREFIX[layer]}{start}-{end}"
            unit = Unit(uid, layer, start, end, {name: [] for name in passes}, {name: [] for name in passes})
            for k in group:
                name, item = entries[k]
                unit.items[name].append(item)
                unit.contents[name].append(content(passes[name], layer, item))
            layer_units.append(unit)
        layer_units.sort(key=lambda u: (u.start if u.start is not None else -1, u.id))
        seen: dict[str, int] = {}
        for unit in layer_units:  # two stance holders can slug alike: number the repeats
            seen[unit.id] = seen.get(unit.id, 0) + 1
            if seen[unit.id] > 1:
                unit.id = f"{unit.id}-{seen[unit.id]}"
        units += layer_units
    return units


#: Item types per layer, for callers that rebuild items.
ITEM_TYPES: dict[str, type] = {"entities": EntityMention, "quotes": Quote, "numbers": NumberMention, "stance": Stance}
