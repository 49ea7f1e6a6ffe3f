"""Which items of two passes of one document are "the same", layer by layer, and what is tallied.

Pass A is the reference. Items are paired one to one:

- entities: strictly on span *and* label; loosely on span alone (the label pairs of span-matched
  mentions give kappa, their registry links the link agreement); tokens give token-level alpha.
- quotes: strictly on overlapping fragments (the pairs with most overlapping characters first);
  loosely on identical fragment sets; kinds and speakers of overlapping pairs are compared.
- numbers: strictly on span *and* value; loosely on span (kinds and values of span-matched pairs).
- stance: strictly on holder, target and label; loosely on holder and target (their labels give
  kappa and alpha, their evidence the evidence agreement).

A holder or speaker is the same when both resolve to the same registry entity or the same span.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from ..schema import AnnotationFile, Quote, Stance
from ..text.tokenize import paragraphs, tokenize

__all__ = ("OUTSIDE", "LAYERS", "Tally", "compare_documents", "exact_pairs", "overlap_pairs", "token_values")

#: Layers that are scored, in report order (segments are copied from gold into every pass, so not scored).
LAYERS: tuple[str, ...] = ("entities", "quotes", "numbers", "stance")
#: Token value outside every annotation (token-level alpha).
OUTSIDE = "O"


@dataclass
class Tally:
    """What one layer's comparison counted; tallies of several documents add up."""

    n_a: int = 0
    n_b: int = 0
    matched: int = 0  # strict matches (the layer's F1)
    loose: int = 0  # loose matches (span only, identical fragments, holder+target)
    label_pairs: list[tuple[Hashable, Hashable]] = field(default_factory=list)  # labels of compared pairs
    attr_same: int = 0  # compared pairs agreeing on the layer's attribute (link, speaker, value, evidence)
    attr_total: int = 0
    tokens_a: list[str] = field(default_factory=list)  # token values for alpha (entities, quotes)
    tokens_b: list[str] = field(default_factory=list)
    labels_a: Counter[str] = field(default_factory=Counter)
    labels_b: Counter[str] = field(default_factory=Counter)
    labels_matched: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.n_a += other.n_a
        self.n_b += other.n_b
        self.matched += other.matched
        self.loose += other.loose
        self.label_pairs += other.label_pairs
        self.attr_same += other.attr_same
        self.attr_total += other.attr_total
        self.tokens_a += other.tokens_a
        self.tokens_b += other.tokens_b
        self.labels_a.update(other.labels_a)
        self.labels_b.update(other.labels_b)
        self.labels_matched.update(other.labels_matched)


# --------------------------------------------------------------------------- pairing


def exact_pairs(keys_a: Sequence[Hashable], keys_b: Sequence[Hashable]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(i, j)`` with ``keys_a[i] == keys_b[j]``; a key given twice pairs twice at most."""
    free: dict[Hashable, list[int]] = {}
    for j, key in enumerate(keys_b):
        free.setdefault(key, []).append(j)
    pairs = []
    for i, key in enumerate(keys_a):
        if free.get(key):
            pairs.append((i, free[key].pop(0)))
    return pairs


def overlap_pairs(
    spans_a: Sequence[Sequence[tuple[int, int]]], spans_b: Sequence[Sequence[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """One-to-one pairs of items whose spans overlap: the pair sharing most characters first
    (ties: A's then B's item order), each item used once."""

    def shared(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
        return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)

    candidates = sorted(
        (-n, i, j) for i, a in enumerate(spans_a) for j, b in enumerate(spans_b) if (n := shared(a, b)) > 0
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _n, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return sorted(pairs)


# --------------------------------------------------------------------------- identities


def _mention_identity(ann: AnnotationFile, mention_id: str) -> set[Hashable]:
    mention = next((e for e in ann.entities if e.id == mention_id), None)
    if mention is None:
        return {("missing", mention_id)}
    ids: set[Hashable] = {("span", mention.start, mention.end)}
    if mention.entity_id:
        ids.add(("entity", mention.entity_id))
    return ids


def speaker_identity(ann: AnnotationFile, quote: Quote) -> set[Hashable]:
    """Who speaks: the speaker mention's span and registry entity, a nominal span, or 'unknown'."""
    speaker = quote.speaker
    if speaker.type == "mention":
        return _mention_identity(ann, speaker.mention_id)
    if speaker.type == "nominal":
        return {("span", speaker.start, speaker.end)}
    return {("unknown",)}


def holder_key(ann: AnnotationFile, stance: Stance) -> Hashable:
    """The stance holder as one key: the registry id of a linked mention or entity holder, else
    the lower-cased holder text (so "Facebook" and "facebook" are one holder)."""
    holder = stance.holder
    if holder.type == "entity":
        return holder.entity_id
    if holder.type == "mention":
        mention = next((e for e in ann.entities if e.id == holder.mention_id), None)
        if mention is None:
            return ("missing", holder.mention_id)
        return mention.entity_id or mention.text.lower()
    return holder.text.lower()


def evidence_key(ann: AnnotationFile, stance: Stance) -> Hashable:
    """The evidence: a span by its offsets, a quote by its set of fragment spans."""
    evidence = stance.evidence
    if evidence.type == "span":
        return ("span", evidence.start, evidence.end)
    quote = next((q for q in ann.quotes if q.id == evidence.quote_id), None)
    if quote is None:
        return ("missing", evidence.quote_id)
    return ("quote", frozenset((f.start, f.end) for f in quote.fragments))


# --------------------------------------------------------------------------- tokens


def token_bounds(raw: str, ann: AnnotationFile) -> tuple[list[int], list[int]]:
    """Start and end offsets of the tokens scored by token-level alpha: those of the title,
    subtitle and body segments of ``ann`` (the whole text when it has none)."""
    starts: list[int] = []
    ends: list[int] = []
    paras = list(paragraphs(raw, ann))
    if paras:
        for para in paras:
            starts += para.token_starts
            ends += para.token_ends
    else:
        for token in tokenize(raw):
            starts.append(token.start)
            ends.append(token.end)
    return starts, ends


def token_values(
    bounds: tuple[list[int], list[int]], spans: Sequence[tuple[Sequence[tuple[int, int]], str]]
) -> list[str]:
    """The value of each token: the label of the first annotation (by start) with a span that
    overlaps it, else :data:`OUTSIDE`."""
    starts, ends = bounds
    values = [OUTSIDE] * len(starts)
    for fragments, label in sorted(spans, key=lambda item: (min(s for s, _e in item[0]), item[1]), reverse=True):
        for start, end in fragments:
            first = bisect.bisect_right(ends, start)  # first token ending after the span starts
            last = bisect.bisect_left(starts, end)  # first token starting at or after the span ends
            for k in range(first, last):
                values[k] = label
    return values


# --------------------------------------------------------------------------- layers


def _tally(
    items_a: Sequence, items_b: Sequence, strict: list[tuple[int, int]], label: Callable[[object], str]
) -> Tally:
    t = Tally(n_a=len(items_a), n_b=len(items_b), matched=len(strict))
    t.labels_a.update(label(x) for x in items_a)
    t.labels_b.update(label(x) for x in items_b)
    t.labels_matched.update(label(items_a[i]) for i, j in strict if label(items_a[i]) == label(items_b[j]))
    return t


def _entities(a: AnnotationFile, b: AnnotationFile, bounds: tuple[list[int], list[int]] | None) -> Tally:
    ea, eb = a.entities, b.entities
    strict = exact_pairs([(e.start, e.end, e.label) for e in ea], [(e.start, e.end, e.label) for e in eb])
    loose = exact_pairs([(e.start, e.end) for e in ea], [(e.start, e.end) for e in eb])
    t = _tally(ea, eb, strict, lambda e: e.label)
    t.loose = len(loose)
    t.label_pairs = [(ea[i].label, eb[j].label) for i, j in loose]
    t.attr_same = sum(ea[i].entity_id == eb[j].entity_id for i, j in loose)
    t.attr_total = len(loose)
    if bounds is not None:
        t.tokens_a = token_values(bounds, [([(e.start, e.end)], e.label) for e in ea])
        t.tokens_b = token_values(bounds, [([(e.start, e.end)], e.label) for e in eb])
    return t


def _quotes(a: AnnotationFile, b: AnnotationFile, bounds: tuple[list[int], list[int]] | None) -> Tally:
    qa, qb = a.quotes, b.quotes
    frags_a = [[(f.start, f.end) for f in q.fragments] for q in qa]
    frags_b = [[(f.start, f.end) for f in q.fragments] for q in qb]
    strict = overlap_pairs(frags_a, frags_b)
    loose = exact_pairs([frozenset(f) for f in frags_a], [frozenset(f) for f in frags_b])
    t = _tally(qa, qb, strict, lambda q: q.kind)
    t.loose = len(loose)
    t.label_pairs = [(qa[i].kind, qb[j].kind) for i, j in strict]
    t.attr_same = sum(bool(speaker_identity(a, qa[i]) & speaker_identity(b, qb[j])) for i, j in strict)
    t.attr_total = len(strict)
    if bounds is not None:
        t.tokens_a = token_values(bounds, [(f, q.kind) for f, q in zip(frags_a, qa)])
        t.tokens_b = token_values(bounds, [(f, q.kind) for f, q in zip(frags_b, qb)])
    return t


def _numbers(a: AnnotationFile, b: AnnotationFile) -> Tally:
    na, nb = a.numbers, b.numbers
    strict = exact_pairs([(n.start, n.end, n.value) for n in na], [(n.start, n.end, n.value) for n in nb])
    loose = exact_pairs([(n.start, n.end) for n in na], [(n.start, n.end) for n in nb])
    t = _tally(na, nb, strict, lambda n: n.kind)
    t.loose = len(loose)
    t.label_pairs = [(na[i].kind, nb[j].kind) for i, j in loose]
    t.attr_same = sum(na[i].value == nb[j].value for i, j in loose)
    t.attr_total = len(loose)
    return t


def _stance(a: AnnotationFile, b: AnnotationFile) -> Tally:
    sa, sb = a.stance, b.stance
    ha, hb = [holder_key(a, s) for s in sa], [holder_key(b, s) for s in sb]
    strict = exact_pairs(
        [(h, s.target, s.label) for h, s in zip(ha, sa)], [(h, s.target, s.label) for h, s in zip(hb, sb)]
    )
    loose = exact_pairs([(h, s.target) for h, s in zip(ha, sa)], [(h, s.target) for h, s in zip(hb, sb)])
    t = _tally(sa, sb, strict, lambda s: s.label)
    t.loose = len(loose)
    t.label_pairs = [(sa[i].label, sb[j].label) for i, j in loose]
    t.attr_same = sum(evidence_key(a, sa[i]) == evidence_key(b, sb[j]) for i, j in loose)
    t.attr_total = len(loose)
    return t


def compare_documents(a: AnnotationFile, b: AnnotationFile, raw: str | None = None) -> dict[str, Tally]:
    """Tallies of every scored layer for two passes of one document (``raw`` enables token alpha)."""
    bounds = token_bounds(raw, a) if raw is not None else None
    return {
        "entities": _entities(a, b, bounds),
        "quotes": _quotes(a, b, bounds),
        "numbers": _numbers(a, b),
        "stance": _stance(a, b),
    }
