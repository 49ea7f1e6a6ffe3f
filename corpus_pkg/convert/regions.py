"""The region convention Label Studio and doccano share for quotes, written once.

A source labels spans ("regions") and joins them with relations:

* a label containing ``QUOTE`` is quote content; ``DIRECT-``, ``INDIRECT-`` or ``MIXED-`` in it
  gives the kind (otherwise it is guessed from quotation marks);
* from a quote region, a relation ``continues`` leads to the next fragment of the same quote,
  ``cue`` to its ``CUE`` region, and any other relation (``speaker``, or a tool's own name such as
  ``quotee``) to an entity region (a mention speaker) or a ``SPEAKER`` region (a nominal speaker);
* the cue or speaker may hang off any fragment; the first found counts, others are reported.

Exports write exactly that: ``<KIND>-QUOTE`` regions, ``CUE`` and ``SPEAKER`` regions and the
relations ``continues``, ``cue`` and ``speaker``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, get_args

from ..schema import Quote, Span
from ..schema.quotes import QuoteKind
from ._common import guess_quote_kind

QUOTE_KINDS: tuple[str, ...] = get_args(QuoteKind)
#: Labels of regions that are parts of quotes or stance rather than entity mentions.
ROLE_LABELS = {
    "CUE": "cue",
    "SPEAKER": "speaker",
    "HOLDER": "holder",
    "NUMBER": "number",
    "STANCE-EVIDENCE": "evidence",
}
CONTINUES, CUE, SPEAKER = "continues", "cue", "speaker"


def role(label: str) -> str:
    """What a region label stands for: quote, cue, speaker, holder, number, evidence or entity."""
    upper = label.upper()
    if "QUOTE" in upper:
        return "quote"
    return ROLE_LABELS.get(upper, "entity")


def kind_from_label(label: str) -> str | None:
    """The quote kind a label names (``INDIRECT-QUOTE`` -> indirect), or None."""
    upper = label.upper()
    # longest first, so that INDIRECT is not read as DIRECT
    return next((k for k in sorted(QUOTE_KINDS, key=len, reverse=True) if k.upper() in upper), None)


def quote_label(kind: str) -> str:
    return f"{kind.upper()}-QUOTE"


@dataclass
class Region:
    """A labelled span of the source, by its source id."""

    id: Hashable
    span: Span
    label: str


@dataclass
class Link:
    """A relation of the source: ``source`` -> ``target`` with a label; ``shown`` is the item verbatim."""

    source: Any
    target: Any
    label: str
    shown: str


@dataclass
class QuoteDraft:
    """A quote assembled from regions: the speaker is still a region id (or None)."""

    head: Hashable
    fragments: list[Span]
    kind: str
    kind_guessed: bool
    cue: Span | None
    speaker: Hashable | None
    members: list[Hashable] = field(default_factory=list)


@dataclass
class Assembly:
    """Quotes found, the links they used, and what fits no quote (one verbatim line each)."""

    quotes: list[QuoteDraft] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # indexes into the links given
    attached: set[Hashable] = field(default_factory=set)  # regions that belong to some quote
    lost: list[str] = field(default_factory=list)


def assemble_quotes(regions: dict[Hashable, Region], links: list[Link]) -> Assembly:
    """Chain quote regions by ``continues`` and attach cues and speakers (see the module docstring).

    Links that do not start at a quote region are left alone (unused) for the caller."""
    roles = {rid: role(r.label) for rid, r in regions.items()}
    out = Assembly()
    nxt: dict[Hashable, Hashable] = {}
    claimed: set[Hashable] = set()
    cues: dict[Hashable, list[tuple[int, Hashable]]] = {}
    speakers: dict[Hashable, list[tuple[int, Hashable]]] = {}
    for n, link in enumerate(links):
        src, dst = link.source, link.target
        if not _hashable(src) or not _hashable(dst) or roles.get(src) != "quote" or dst not in regions:
            continue
        label = link.label.lower()
        if label == CONTINUES:
            if roles[dst] == "quote" and dst != src and dst not in claimed and src not in nxt:
                nxt[src] = dst
                claimed.add(dst)
                out.used.add(n)
            else:
                out.used.add(n)
                out.lost.append(f"{link.shown}    (continues: needs an unclaimed quote region)")
        elif label == CUE:
            out.used.add(n)
            if roles[dst] == "cue":
                cues.setdefault(src, []).append((n, dst))
            else:
                out.lost.append(f"{link.shown}    (cue: must point at a CUE region)")
        elif roles[dst] in ("entity", "speaker"):
            out.used.add(n)
            speakers.setdefault(src, []).append((n, dst))
    heads = sorted((rid for rid in regions if roles[rid] == "quote" and rid not in claimed), key=_order(regions))
    for head in heads:
        chain, current = [], head
        while current is not None and current not in out.attached:  # a cycle back into the chain ends it
            chain.append(current)
            out.attached.add(current)
            current = nxt.get(current)
        found_cues = [c for member in chain for c in cues.get(member, [])]
        found_speakers = [s for member in chain for s in speakers.get(member, [])]
        for what, found in (("cue", found_cues), ("speaker", found_speakers)):
            out.lost.extend(f"{links[n].shown}    (the quote already has a {what})" for n, _ in found[1:])
        cue = found_cues[0][1] if found_cues else None
        speaker = found_speakers[0][1] if found_speakers else None
        out.attached.update(x for x in (cue, speaker) if x is not None)
        fragments = sorted((regions[m].span for m in chain), key=lambda f: f.start)
        kind = kind_from_label(regions[head].label)
        out.quotes.append(
            QuoteDraft(
                head=head,
                fragments=fragments,
                kind=kind or guess_quote_kind(" ".join(f.text for f in fragments)),
                kind_guessed=kind is None,
                cue=regions[cue].span if cue is not None else None,
                speaker=speaker,
                members=chain,
            )
        )
    for rid, r in regions.items():
        if roles[rid] in ("quote", "cue", "speaker") and rid not in out.attached:
            out.lost.append(f"{r.label} span id={rid} [{r.span.start}, {r.span.end}) is attached to no quote")
    return out


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _order(regions: dict[Hashable, Region]) -> Callable[[Hashable], tuple[int, int]]:
    return lambda rid: (regions[rid].span.start, regions[rid].span.end)


def quote_parts(
    quote: Quote,
    region: Callable[[Span, str], Any],
    relation: Callable[[Any, Any, str], None],
    mention_region: Callable[[str], Any | None],
) -> Any:
    """Write one quote in the convention through the caller's ``region(span, label) -> id`` and
    ``relation(src, dst, label)``; ``mention_region`` gives the region id of an entity mention (or
    None when it is not written). Returns the head region's id."""
    label = quote_label(quote.kind)
    head = previous = region(quote.fragments[0], label)
    for fragment in quote.fragments[1:]:
        current = region(fragment, label)
        relation(previous, current, CONTINUES)
        previous = current
    if quote.cue is not None:
        relation(head, region(quote.cue, "CUE"), CUE)
    speaker = quote.speaker
    if speaker.type == "mention":
        target = mention_region(speaker.mention_id)
        if target is not None:
            relation(head, target, SPEAKER)
    elif speaker.type == "nominal":
        relation(head, region(Span(start=speaker.start, end=speaker.end, text=speaker.text), "SPEAKER"), SPEAKER)
    return head
