"""Add annotations by their text instead of offsets: the API behind ``corpus add ...``.

Each ``add_*`` function finds the text in the raw file (a whole-word, case-sensitive, exact
match), builds the annotation with the next free id of its layer and ``origin="manual"``,
validates the resulting file with the same checks as ``corpus validate`` and writes it
atomically, holding the document's write lock from read to write. Nothing is written when
anything fails, or with ``dry_run=True``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import dumps_json
from ..schema import EntityMention, NumberMention, Quote, Span, Stance
from ..text.numbers import NumberParseError, format_value, parse_number
from ..validate import Issue
from .errors import AnnotationError
from .locate import AmbiguousTextError, TextNotFoundError, find_occurrences, locate, locate_near, span_at
from .numbers import guess_number
from .session import DocumentSession, edit_document, file_version, item_spans, next_id

__all__ = (
    "AddResult",
    "AmbiguousTextError",
    "AnnotationError",
    "TextNotFoundError",
    "add_entity",
    "add_number",
    "add_quote",
    "add_stance",
    "find_occurrences",
)


@dataclass
class AddResult:
    """What an ``add_*`` call produced."""

    layer: str
    item: Any  # the new annotation (a schema model)
    path: str  # annotation file, as given relative to the corpus root
    written: bool
    warnings: list[Issue] = field(default_factory=list)
    version: str | None = None  # file_version of the file written (None for a dry run)

    def to_json(self) -> str:
        """The new annotation as canonical JSON (what ``--dry-run`` prints)."""
        return dumps_json(self.item.model_dump(mode="json", exclude_none=True))

    def summary(self) -> str:
        """One line for the terminal: what was (or would be) added where."""
        verb = "Added" if self.written else "Would add"
        item = self.item
        where = [f"[{s.start}:{s.end}] {s.text!r}" for s in item_spans(item)]
        detail = {
            "entities": lambda: f"{item.label}" + (f" -> {item.entity_id}" if item.entity_id else ""),
            "quotes": lambda: f"{item.kind}, speaker {_speaker_text(item)}",
            "numbers": lambda: (
                f"value {format_value(item.value)} {item.kind}"
                + (f" {item.unit}" if item.unit else "")
                + f" ({item.qualifier})"
            ),
            "stance": lambda: (
                f"{_holder_text(item)} is {item.label} {item.target}"
                + (f" (evidence {item.evidence.quote_id})" if item.evidence.type == "quote" else "")
            ),
        }[self.layer]()
        parts = [verb, _SINGULAR[self.layer], item.id, *([", ".join(where)] if where else []), detail, "to", self.path]
        return " ".join(parts)


_SINGULAR = {"entities": "entity", "quotes": "quote", "numbers": "number", "stance": "stance"}


def _speaker_text(quote: Quote) -> str:
    speaker = quote.speaker
    if speaker.type == "mention":
        return speaker.mention_id
    if speaker.type == "nominal":
        return repr(speaker.text)
    return "unknown"


def _holder_text(stance: Stance) -> str:
    holder = stance.holder
    if holder.type == "mention":
        return holder.mention_id
    if holder.type == "entity":
        return holder.entity_id
    return repr(holder.text)


def _finish(doc: DocumentSession, layer: str, item: Any, dry_run: bool) -> AddResult:
    getattr(doc.ann, layer).append(item)
    written: list[bytes] = []
    warnings = doc.save(dry_run=dry_run, on_write=written.append)
    version = file_version(written[0]) if written else None
    path = doc.display(doc.ann_rel)
    return AddResult(layer=layer, item=item, path=path, written=not dry_run, warnings=warnings, version=version)


def _annotation_fields(doc: DocumentSession, layer: str, source: str | None, note: str | None) -> dict[str, Any]:
    if source is None:
        source = doc.annotator  # an annotator's pass records whose work it is
    return {"id": next_id(doc.ann, layer), "origin": "manual", "source": source, "note": note}


# --------------------------------------------------------------------------- the add_* API


def add_entity(
    root: str | Path,
    doc_id: str,
    text: str,
    label: str,
    occurrence: int | None = None,
    entity_id: str | None = None,
    inside_words: bool = False,
    source: str | None = None,
    note: str | None = None,
    dry_run: bool = False,
    at: Sequence[int] | None = None,
    expected_version: str | None = None,
    annotator: str | None = None,
) -> AddResult:
    """Mark ``text`` in document ``doc_id`` as an entity mention with a declared ``label``.

    Args:
        root: corpus folder.
        doc_id: document id.
        text: the exact surface text, e.g. ``"Amber Rudd"``.
        label: an entity label declared in corpus.json.
        occurrence: which occurrence (1-based) when the text occurs more than once.
        entity_id: registry id (entities.json) to link the mention to.
        inside_words: allow matches that start or end inside a word.
        source, note: provenance and comment stored on the annotation.
        dry_run: validate and return the annotation without writing.
        at: ``(start, end)`` code-point offsets of this occurrence of ``text`` (instead of ``occurrence``).
        expected_version: write only if the annotation file is still this
            :func:`~corpus_pkg.annotate.session.file_version` (compare-and-swap), else StaleVersionError.
        annotator: write into this annotator's pass (passes/<annotator>/) instead of the gold file.

    Example:
        >>> add_entity("corpus", "doc1", "Amber Rudd", "PERSON", entity_id="amber_rudd")  # doctest: +SKIP
    """
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        labels = doc.corpus.config.entity_label_names
        if label not in labels:
            raise AnnotationError(
                f"label {label!r} is not declared in corpus.json; declared labels: {', '.join(labels) or '(none)'}"
            )
        if entity_id is not None:
            known = [e.id for e in doc.corpus.registry.entities]
            if entity_id not in known:
                raise AnnotationError(
                    f"entity id {entity_id!r} is not in entities.json; add it to the registry first"
                    + (f" (known ids include: {', '.join(sorted(known)[:15])})" if known else "")
                )
        where = doc.display(doc.raw_rel)
        span = span_at(doc.raw, text, at, where) if at else locate(doc.raw, text, occurrence, inside_words, where=where)
        for existing in doc.ann.entities:
            if (existing.start, existing.end, existing.label) == (span.start, span.end, label):
                raise AnnotationError(
                    f"{existing.id} already marks [{span.start}:{span.end}] {text!r} as {label} ({existing.origin})"
                )
        item = EntityMention(
            **_annotation_fields(doc, "entities", source, note),
            start=span.start,
            end=span.end,
            text=span.text,
            label=label,
            entity_id=entity_id,
        )
        return _finish(doc, "entities", item, dry_run)


def add_quote(
    root: str | Path,
    doc_id: str,
    text: str,
    kind: str = "direct",
    fragments: Sequence[str] = (),
    cue: str | None = None,
    speaker_mention: str | None = None,
    speaker_text: str | None = None,
    speaker_unknown: bool = False,
    occurrence: int | None = None,
    cue_occurrence: int | None = None,
    speaker_occurrence: int | None = None,
    source: str | None = None,
    note: str | None = None,
    dry_run: bool = False,
    at: Sequence[int] | None = None,
    fragments_at: Sequence[Sequence[int]] = (),
    cue_at: Sequence[int] | None = None,
    speaker_at: Sequence[int] | None = None,
    expected_version: str | None = None,
    annotator: str | None = None,
) -> AddResult:
    """Add a quote whose content starts with ``text`` (plus any further ``fragments``).

    Each further fragment is the first occurrence after the previous one. The ``cue`` and a
    nominal ``speaker_text`` are taken at their occurrence nearest to the quote (within
    ``NEAR_WINDOW`` characters) unless their occurrence is given. Exactly one of
    ``speaker_mention`` (an entity mention id of this document), ``speaker_text`` or
    ``speaker_unknown`` names the speaker. The ``*_at`` arguments pin spans by ``(start, end)``
    code-point offsets instead (``fragments_at`` one pair per fragment); ``expected_version`` as in
    :func:`add_entity`.

    Example:
        >>> add_quote("corpus", "doc1", "We will act,", cue="said", speaker_mention="e1")  # doctest: +SKIP
    """
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        chosen = sum([speaker_mention is not None, speaker_text is not None, speaker_unknown])
        if chosen != 1:
            raise AnnotationError(
                "give exactly one speaker: --speaker-mention ID, --speaker-text TEXT or --speaker-unknown"
            )
        where = doc.display(doc.raw_rel)
        spans = [span_at(doc.raw, text, at, where, "quote") if at else locate(doc.raw, text, occurrence, where=where)]
        if fragments_at and len(fragments_at) != len(fragments):
            raise AnnotationError(f"{len(fragments)} fragment(s) but {len(fragments_at)} fragment offset pair(s)")
        for fragment, fragment_at in zip(fragments, fragments_at):
            spans.append(span_at(doc.raw, fragment, fragment_at, where, "fragment"))
        for fragment in fragments if not fragments_at else ():
            after = [o for o in find_occurrences(doc.raw, fragment) if o.start >= spans[-1].end]
            if not after:
                raise TextNotFoundError(
                    f"fragment {fragment!r} does not occur in {where} after the previous fragment "
                    f"(which ends at {spans[-1].end})"
                )
            spans.append(Span(start=after[0].start, end=after[0].end, text=fragment))
        speaker: dict[str, Any]
        if speaker_mention is not None:
            _require_mention(doc, speaker_mention, "--speaker-mention")
            speaker = {"type": "mention", "mention_id": speaker_mention}
        elif speaker_text is not None:
            found = (
                span_at(doc.raw, speaker_text, speaker_at, where, "speaker")
                if speaker_at
                else locate_near(
                    doc.raw, speaker_text, spans, speaker_occurrence, "speaker", "--speaker-occurrence", where
                )
            )
            speaker = {"type": "nominal", **found.model_dump()}
        else:
            speaker = {"type": "unknown"}
        cue_span = None
        if cue is not None and cue_at:
            cue_span = span_at(doc.raw, cue, cue_at, where, "cue")
        elif cue is not None:
            cue_span = locate_near(doc.raw, cue, spans, cue_occurrence, "cue", "--cue-occurrence", where)
        for existing in doc.ann.quotes:
            if [(f.start, f.end) for f in existing.fragments] == [(s.start, s.end) for s in spans]:
                raise AnnotationError(f"{existing.id} already covers this quote text ({existing.origin})")
        item = Quote.model_validate(
            {
                **_annotation_fields(doc, "quotes", source, note),
                "kind": kind,
                "fragments": [s.model_dump() for s in spans],
                "cue": cue_span.model_dump() if cue_span else None,
                "speaker": speaker,
            }
        )
        return _finish(doc, "quotes", item, dry_run)


def _require_mention(doc: DocumentSession, mention_id: str, option: str) -> None:
    mentions = {e.id: e for e in doc.ann.entities}
    if mention_id not in mentions:
        listing = ", ".join(f"{e.id} {e.text!r}" for e in doc.ann.entities[:20]) or "(none yet; add one first)"
        raise AnnotationError(f"{option}: no entity mention {mention_id!r} in {doc.doc_id}; mentions: {listing}")


def add_number(
    root: str | Path,
    doc_id: str,
    text: str,
    value: float | None = None,
    kind: str | None = None,
    unit: str | None = None,
    qualifier: str | None = None,
    occurrence: int | None = None,
    source: str | None = None,
    note: str | None = None,
    dry_run: bool = False,
    at: Sequence[int] | None = None,
    expected_version: str | None = None,
    annotator: str | None = None,
) -> AddResult:
    """Mark ``text`` as a number. The value is read from the text ("fourteen million" ->
    14000000) unless ``value`` is given; kind and qualifier are guessed from the context
    (see :func:`corpus_pkg.annotate.numbers.guess_number`) unless given. ``at`` and
    ``expected_version`` as in :func:`add_entity`.

    Example:
        >>> add_number("corpus", "doc1", "90,000", unit="posts")  # doctest: +SKIP
    """

    with edit_document(root, doc_id, expected_version, annotator) as doc:
        where = doc.display(doc.raw_rel)
        span = span_at(doc.raw, text, at, where) if at else locate(doc.raw, text, occurrence, where=where)
        if value is None:
            try:
                value = parse_number(text)
            except NumberParseError as exc:
                raise AnnotationError(f"{exc} with --value") from None
        for existing in doc.ann.numbers:
            if (existing.start, existing.end) == (span.start, span.end):
                raise AnnotationError(
                    f"{existing.id} already marks [{span.start}:{span.end}] {text!r} ({existing.origin})"
                )
        guess = guess_number(doc.raw, span.start, span.end)
        if kind is None:
            kind = guess.kind
            if unit is None and kind in ("money", "duration", "age"):
                unit = guess.unit
        item = NumberMention.model_validate(
            {
                **_annotation_fields(doc, "numbers", source, note),
                **span.model_dump(),
                "value": float(value),
                "kind": kind,
                "unit": unit,
                "qualifier": qualifier or guess.qualifier,
            }
        )
        return _finish(doc, "numbers", item, dry_run)


def add_stance(
    root: str | Path,
    doc_id: str,
    target: str,
    label: str,
    holder_mention: str | None = None,
    holder_text: str | None = None,
    holder_entity: str | None = None,
    evidence_quote: str | None = None,
    evidence_text: str | None = None,
    evidence_occurrence: int | None = None,
    holder_occurrence: int | None = None,
    source: str | None = None,
    note: str | None = None,
    dry_run: bool = False,
    evidence_at: Sequence[int] | None = None,
    holder_at: Sequence[int] | None = None,
    expected_version: str | None = None,
    annotator: str | None = None,
) -> AddResult:
    """Record that a holder is ``label`` (favor/against/neutral) toward a declared ``target``.

    The holder is one of ``holder_mention`` (mention id), ``holder_text`` (a nominal phrase,
    taken nearest to the evidence) or ``holder_entity`` (registry id); the evidence is one of
    ``evidence_quote`` (quote id) or ``evidence_text`` (a span of the text). ``evidence_at`` and
    ``holder_at`` pin those spans by offsets; ``expected_version`` as in :func:`add_entity`.

    Example:
        >>> add_stance("corpus", "doc1", "platform_action", "favor", holder_mention="e1",
        ...            evidence_quote="q1")  # doctest: +SKIP
    """
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        targets = doc.corpus.config.stance_target_ids
        if target not in targets:
            raise AnnotationError(
                f"stance target {target!r} is not declared in corpus.json; declared targets: "
                f"{', '.join(targets) or '(none; add stance_targets to corpus.json)'}"
            )
        if sum(x is not None for x in (holder_mention, holder_text, holder_entity)) != 1:
            raise AnnotationError(
                "give exactly one holder: --holder-mention ID, --holder-text TEXT or --holder-entity ID"
            )
        if sum(x is not None for x in (evidence_quote, evidence_text)) != 1:
            raise AnnotationError("give exactly one evidence: --evidence-quote QID or --evidence-text TEXT")
        where = doc.display(doc.raw_rel)
        evidence: dict[str, Any]
        if evidence_quote is not None:
            quotes = {q.id: q for q in doc.ann.quotes}
            if evidence_quote not in quotes:
                listing = ", ".join(q.id for q in doc.ann.quotes[:20]) or "(none yet)"
                raise AnnotationError(f"--evidence-quote: no quote {evidence_quote!r} in {doc_id}; quotes: {listing}")
            anchor = list(quotes[evidence_quote].fragments)
            evidence = {"type": "quote", "quote_id": evidence_quote}
        else:
            assert evidence_text is not None
            span = (
                span_at(doc.raw, evidence_text, evidence_at, where, "evidence")
                if evidence_at
                else locate(doc.raw, evidence_text, evidence_occurrence, where=where, option="--evidence-occurrence")
            )
            anchor = [span]
            evidence = {"type": "span", **span.model_dump()}
        holder: dict[str, Any]
        if holder_mention is not None:
            _require_mention(doc, holder_mention, "--holder-mention")
            holder = {"type": "mention", "mention_id": holder_mention}
        elif holder_entity is not None:
            known = [e.id for e in doc.corpus.registry.entities]
            if holder_entity not in known:
                raise AnnotationError(f"--holder-entity: {holder_entity!r} is not in entities.json")
            holder = {"type": "entity", "entity_id": holder_entity}
        else:
            assert holder_text is not None
            found = (
                span_at(doc.raw, holder_text, holder_at, where, "holder")
                if holder_at
                else locate_near(
                    doc.raw, holder_text, anchor, holder_occurrence, "holder", "--holder-occurrence", where
                )
            )
            holder = {"type": "nominal", **found.model_dump()}
        item = Stance.model_validate(
            {
                **_annotation_fields(doc, "stance", source, note),
                "holder": holder,
                "target": target,
                "label": label,
                "evidence": evidence,
            }
        )
        return _finish(doc, "stance", item, dry_run)
