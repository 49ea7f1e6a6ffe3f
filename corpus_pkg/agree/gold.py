"""Build a gold file from the units of a document's passes and the decisions taken on them.

Agreed units and decided units go to gold, each item with a fresh id (``e1``..., ``q1``..., in
text order) and ``source`` recording where it came from: ``agreed:<a>+<b>`` or
``adjudicated:<adjudicator><-<annotator>``. References are carried over by span: a quote's
speaker mention becomes the gold mention with the same span, a stance's evidence quote the gold
quote with the same fragments. A unit whose reference has no counterpart in gold (its unit is
open or was rejected) is *blocked* and stays out until that is settled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..annotate.errors import AnnotationError
from ..schema import AnnotationFile
from ..schema.adjudication import Decision
from .units import ITEM_TYPES, Unit

__all__ = ("Choice", "GoldBuild", "build_gold")

#: Fields a decision may change on the version it takes (offsets are changed in the passes).
EDITABLE = {
    "entities": ("label", "entity_id", "note"),
    "quotes": ("kind", "note"),
    "numbers": ("value", "kind", "unit", "qualifier", "note"),
    "stance": ("target", "label", "note"),
}


@dataclass
class Choice:
    """What goes to gold for one unit: the item of one pass, and provenance."""

    unit: Unit
    annotator: str
    item: Any
    source: str
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class GoldBuild:
    """The gold file built, and the units that could not go into it and why."""

    ann: AnnotationFile
    blocked: dict[str, str] = field(default_factory=dict)  # unit id -> reason


def choice_for(unit: Unit, annotators: list[str], decision: Decision | None) -> Choice | None:
    """The item a unit contributes: the agreed one, the decided one, or None (open or rejected)."""
    if unit.agreed:
        first = annotators[0]
        return Choice(unit, first, unit.items[first][0], "agreed:" + "+".join(annotators))
    if decision is None or decision.take is None:
        return None
    return Choice(
        unit,
        decision.take,
        unit.items[decision.take][0],
        f"adjudicated:{decision.by}<-{decision.take}",
        decision.changes,
    )


def _edited(choice: Choice, layer: str) -> Any:
    bad = [name for name in choice.changes if name not in EDITABLE[layer]]
    if bad:
        raise AnnotationError(
            f"unit {choice.unit.id}: cannot change {', '.join(bad)} of {layer}; editable: {', '.join(EDITABLE[layer])}"
        )
    try:
        return type(choice.item).model_validate({**choice.item.model_dump(), **choice.changes})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise AnnotationError(f"unit {choice.unit.id}: the edited version would not be valid: {problems}") from None


def build_gold(base: AnnotationFile, passes: dict[str, AnnotationFile], choices: list[Choice]) -> GoldBuild:
    """Gold = ``base``'s pin, metadata and segments plus the chosen items (see the module docstring)."""
    by_layer: dict[str, list[Choice]] = {layer: [] for layer in ITEM_TYPES}
    for choice in choices:
        by_layer[choice.unit.layer].append(choice)
    blocked: dict[str, str] = {}
    layers: dict[str, list[Any]] = {}

    def finish(layer: str, prefix: str, items: list[tuple[Any, Any]]) -> list[Any]:
        """Number ``(sort key, item)`` pairs in order: e1, e2..."""
        items.sort(key=lambda pair: pair[0])
        out = []
        for n, (_key, item) in enumerate(items, start=1):
            item.id = f"{prefix}{n}"
            out.append(item)
        return out

    def fresh(choice: Choice, layer: str) -> Any:
        item = _edited(choice, layer).model_copy(deep=True)
        item.origin, item.source = "manual", choice.source
        return item

    entities = [(fresh(c, "entities"), c) for c in by_layer["entities"]]
    layers["entities"] = finish("entities", "e", [((e.start, e.end, e.label), e) for e, _c in entities])
    mention_at = {(e.start, e.end): e.id for e in layers["entities"]}
    numbers = [fresh(c, "numbers") for c in by_layer["numbers"]]
    layers["numbers"] = finish("numbers", "n", [((n.start, n.end), n) for n in numbers])

    def gold_mention(choice: Choice, mention_id: str) -> str | None:
        source_pass = passes[choice.annotator]
        mention = next((e for e in source_pass.entities if e.id == mention_id), None)
        gold_id = mention_at.get((mention.start, mention.end)) if mention else None
        if gold_id is None:
            where = f"[{mention.start}:{mention.end}] {mention.text!r}" if mention else repr(mention_id)
            blocked[choice.unit.id] = f"mention {where} is not in gold (its entity unit is open or was rejected)"
        return gold_id

    quotes = []
    for choice in by_layer["quotes"]:
        quote = fresh(choice, "quotes")
        if quote.speaker.type == "mention":
            gold_id = gold_mention(choice, quote.speaker.mention_id)
            if gold_id is None:
                continue
            quote.speaker.mention_id = gold_id
        quotes.append(((min(f.start for f in quote.fragments), quote.fragments[0].end), quote))
    layers["quotes"] = finish("quotes", "q", quotes)
    quote_at = {tuple(sorted((f.start, f.end) for f in q.fragments)): q.id for q in layers["quotes"]}
    quote_start = {q.id: min(f.start for f in q.fragments) for q in layers["quotes"]}

    rows = []
    for choice in by_layer["stance"]:
        row = fresh(choice, "stance")
        if row.holder.type == "mention":
            gold_id = gold_mention(choice, row.holder.mention_id)
            if gold_id is None:
                continue
            row.holder.mention_id = gold_id
        if row.evidence.type == "quote":
            source_pass = passes[choice.annotator]
            quote = next((q for q in source_pass.quotes if q.id == row.evidence.quote_id), None)
            frags = tuple(sorted((f.start, f.end) for f in quote.fragments)) if quote else ()
            if frags not in quote_at:
                blocked[choice.unit.id] = (
                    f"evidence quote {row.evidence.quote_id} of {choice.annotator} is not in gold "
                    "(its quote unit is open, blocked or was rejected)"
                )
                continue
            row.evidence.quote_id = quote_at[frags]
            start = quote_start[row.evidence.quote_id]
        else:
            start = row.evidence.start
        rows.append(((start, row.target, row.label), row))
    layers["stance"] = finish("stance", "s", rows)
    ann = base.model_copy(update=layers, deep=True)
    return GoldBuild(ann, blocked)
