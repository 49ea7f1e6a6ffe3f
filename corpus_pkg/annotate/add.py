"""Add annotations by their text instead of offsets: the API behind ``corpus add ...``.

Each ``add_*`` function finds the text in the raw file (a whole-word, case-sensitive, exact
match), builds the annotation with the next free id of its layer and ``origin="manual"``,
validates the resulting file with the same checks as ``corpus validate`` and writes it
atomically. Nothing is written when anything fails, or with ``dry_run=True``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_write_bytes, dumps_json
from ..corpus import ANNOTATION_SUFFIX, ANNOTATIONS_DIR, RAW_DIR, RAW_SUFFIX, Corpus, CorpusError, dump_annotation_file
from ..schema import AnnotationFile, EntityMention, NumberMention, Quote, Span, Stance
from ..text.numbers import NumberParseError, parse_number
from ..validate import Issue
from ..validate.checks import DocumentFiles, check_document, load_config_issues

__all__ = (
    "ID_PREFIXES",
    "AddResult",
    "AmbiguousTextError",
    "AnnotationError",
    "Occurrence",
    "TextNotFoundError",
    "add_entity",
    "add_number",
    "add_quote",
    "add_stance",
    "find_occurrences",
    "format_value",
    "locate",
    "locate_near",
    "next_id",
    "open_document",
    "save_annotations",
)

#: Id prefix of each layer: entities e1, e2...; quotes q1...; numbers n1...; stance s1...
ID_PREFIXES = {"entities": "e", "quotes": "q", "numbers": "n", "stance": "s"}
#: Characters of context shown on each side of an occurrence in error messages.
CONTEXT_CHARS = 30
#: A cue, nominal speaker or holder found by proximity must lie within this many characters.
NEAR_WINDOW = 200


class AnnotationError(ValueError):
    """An annotation cannot be added as asked (bad label, unknown id, invalid result)."""


class TextNotFoundError(AnnotationError):
    """The text does not occur in the raw file."""


class AmbiguousTextError(AnnotationError):
    """The text occurs more than once and no occurrence was chosen."""

    def __init__(self, message: str, occurrences: list[Occurrence]) -> None:
        super().__init__(message)
        self.occurrences = occurrences


@dataclass(frozen=True)
class Occurrence:
    """One place where a searched text occurs, with context for humans."""

    number: int  # 1-based, in text order
    start: int
    end: int
    before: str
    after: str

    def describe(self, text: str) -> str:
        return f"  {self.number}  [{self.start}:{self.end}]  …{self.before}[{text}]{self.after}…"


@dataclass
class AddResult:
    """What an ``add_*`` call produced."""

    layer: str
    item: Any  # the new annotation (a schema model)
    path: str  # annotation file, as given relative to the corpus root
    written: bool
    warnings: list[Issue] = field(default_factory=list)

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


def format_value(value: float) -> str:
    """A number value as people write it: 90000 rather than 90000.0."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


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


def item_spans(item: Any) -> list[Span]:
    if isinstance(item, Quote):
        return list(item.fragments)
    if isinstance(item, Stance):
        return [item.evidence] if item.evidence.type == "span" else []  # type: ignore[list-item]
    return [item]


# --------------------------------------------------------------------------- finding text


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_occurrences(raw: str, text: str, inside_words: bool = False) -> list[Occurrence]:
    """Every (possibly overlapping) exact occurrence of ``text`` in ``raw``.

    Unless ``inside_words``, an occurrence must not start or end inside a word: "IS" is not
    found in "ISIS", and "Rudd" not in "Rudder".
    """
    if not text:
        raise AnnotationError("the text to find is empty")
    found: list[Occurrence] = []
    pos = raw.find(text)
    while pos != -1:
        end = pos + len(text)
        cut_start = _is_word(text[0]) and pos > 0 and _is_word(raw[pos - 1])
        cut_end = _is_word(text[-1]) and end < len(raw) and _is_word(raw[end])
        if inside_words or not (cut_start or cut_end):
            found.append(
                Occurrence(
                    number=len(found) + 1,
                    start=pos,
                    end=end,
                    before=_show(raw[max(0, pos - CONTEXT_CHARS) : pos]),
                    after=_show(raw[end : end + CONTEXT_CHARS]),
                )
            )
        pos = raw.find(text, pos + 1)
    return found


def _show(context: str) -> str:
    return context.replace("\r", "␍").replace("\n", "⏎").replace("\t", "⇥")


def locate(
    raw: str,
    text: str,
    occurrence: int | None = None,
    inside_words: bool = False,
    where: str = "the raw text",
    option: str = "--occurrence",
) -> Span:
    """The span of ``text`` in ``raw``: its only occurrence, or occurrence number ``occurrence``.

    Raises:
        TextNotFoundError: ``text`` does not occur (the message suggests near misses).
        AmbiguousTextError: ``text`` occurs several times and ``occurrence`` is None; the
            message lists every occurrence with its offsets and context.
    """
    found = find_occurrences(raw, text, inside_words)
    if not found:
        raise TextNotFoundError(_not_found_message(raw, text, where, inside_words))
    if occurrence is None:
        if len(found) > 1:
            raise AmbiguousTextError(_ambiguous_message(text, found, where, option), found)
        occurrence = 1
    if not 1 <= occurrence <= len(found):
        raise AnnotationError(
            f"{option} {occurrence} is out of range: {text!r} occurs {len(found)} time(s) in {where} "
            f"(use 1 to {len(found)})"
        )
    occ = found[occurrence - 1]
    return Span(start=occ.start, end=occ.end, text=text)


def _not_found_message(raw: str, text: str, where: str, inside_words: bool) -> str:
    message = f"{text!r} does not occur in {where}"
    if not inside_words:
        inner = find_occurrences(raw, text, inside_words=True)
        if inner:
            offsets = ", ".join(f"[{o.start}:{o.end}]" for o in inner[:5])
            return f"{message} as a whole word; it occurs inside longer words at {offsets} (--inside-word allows it)"
    folded = [m.start() for m in re.finditer(re.escape(text), raw, re.IGNORECASE)]
    if folded:
        start = folded[0]
        return f"{message} (case differs: {raw[start : start + len(text)]!r} at [{start}:{start + len(text)}])"
    stripped = " ".join(text.split())
    if stripped != text:
        return f"{message} (check spaces and line breaks; spans must match the raw text exactly)"
    return message + " (check spelling, quotation marks and apostrophes: ’ is not ')"


def _ambiguous_message(text: str, found: list[Occurrence], where: str, option: str) -> str:
    lines = [f"{text!r} occurs {len(found)} times in {where}; choose one with {option} N:"]
    lines.extend(o.describe(text) for o in found[:50])
    if len(found) > 50:
        lines.append(f"  ... and {len(found) - 50} more")
    return "\n".join(lines)


def locate_near(
    raw: str,
    text: str,
    anchor: Sequence[Span],
    occurrence: int | None,
    what: str,
    option: str,
    where: str,
) -> Span:
    """``text`` near the ``anchor`` spans: the closest occurrence not overlapping them (or the
    one chosen with ``occurrence``). Used for cues, nominal speakers and holders."""
    if occurrence is not None:
        return locate(raw, text, occurrence, where=where, option=option)
    found = find_occurrences(raw, text)
    if not found:
        raise TextNotFoundError(_not_found_message(raw, text, where, False))
    lo, hi = min(s.start for s in anchor), max(s.end for s in anchor)

    def overlaps(o: Occurrence) -> bool:
        return any(o.start < s.end and s.start < o.end for s in anchor)

    def distance(o: Occurrence) -> int:
        return lo - o.end if o.end <= lo else max(0, o.start - hi)

    candidates = sorted((distance(o), o.number, o) for o in found if not overlaps(o))
    if not candidates:
        raise AnnotationError(f"{what} {text!r} only occurs inside the annotated text; choose one with {option} N")
    best = candidates[0]
    if len(candidates) > 1 and candidates[1][0] == best[0]:
        tied = [c[2] for c in candidates if c[0] == best[0]]
        raise AmbiguousTextError(
            f"{what} {text!r} is equally close at two places; choose one with {option} N:\n"
            + "\n".join(o.describe(text) for o in tied),
            tied,
        )
    if best[0] > NEAR_WINDOW:
        raise AnnotationError(
            f"the nearest {what} {text!r} is {best[0]} characters away (more than {NEAR_WINDOW}); "
            f"confirm it with {option} N:\n" + "\n".join(o.describe(text) for o in found[:20])
        )
    occ = best[2]
    return Span(start=occ.start, end=occ.end, text=text)


# --------------------------------------------------------------------------- ids and saving


def next_id(ann: AnnotationFile, layer: str) -> str:
    """The next id of ``layer``: its prefix plus one more than the highest number in use.

    Ids are unique across all layers of a document, so ids of other layers are checked too.
    """
    prefix = ID_PREFIXES[layer]
    used = {item.id for _layer, item in ann.layer_items()}
    pattern = re.compile(rf"{prefix}(\d+)")
    numbers = [int(m.group(1)) for i in used if (m := pattern.fullmatch(i))]
    n = max(numbers, default=0) + 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


@dataclass
class _Doc:
    corpus: Corpus
    root: Path
    doc_id: str
    raw_bytes: bytes
    raw: str
    ann: AnnotationFile
    ann_bytes: bytes  # the annotation file as read, to detect concurrent edits

    @property
    def ann_rel(self) -> str:
        return f"{ANNOTATIONS_DIR}/{self.doc_id}{ANNOTATION_SUFFIX}"

    @property
    def raw_rel(self) -> str:
        return f"{RAW_DIR}/{self.doc_id}{RAW_SUFFIX}"

    def display(self, rel: str) -> str:
        return str(self.root / rel)


def open_document(root: str | Path, doc_id: str) -> _Doc:
    """Read one document's raw bytes and annotations, with clear errors for missing files."""
    corpus = Corpus.at(root)
    ann_path, raw_path = corpus.annotation_path(doc_id), corpus.raw_path(doc_id)
    if not corpus.config_path.is_file():
        raise CorpusError(f"{root} is not a corpus (no corpus.json); pass --root or run `corpus init`")
    if not ann_path.is_file():
        known = corpus.doc_ids()
        hint = f"; known documents: {', '.join(known[:20])}" + (" ..." if len(known) > 20 else "") if known else ""
        raise CorpusError(f"no document {doc_id!r}: {Path(root) / ANNOTATIONS_DIR / ann_path.name} not found{hint}")
    if not raw_path.is_file():
        raise CorpusError(f"document {doc_id!r} has no raw text: {Path(root) / RAW_DIR / raw_path.name} not found")
    ann_bytes = ann_path.read_bytes()
    raw_bytes = raw_path.read_bytes()
    raw = corpus.read_raw(doc_id)
    ann = corpus.read_annotations(doc_id)
    if ann.doc_id != doc_id:  # saving would write annotations/<ann.doc_id>.json: another document
        raise CorpusError(
            f"{Path(root) / ANNOTATIONS_DIR / ann_path.name}: doc_id is {ann.doc_id!r} but the file is named "
            f"{doc_id!r}; fix the file first (`corpus validate` reports it as doc-id-mismatch)"
        )
    return _Doc(corpus, Path(root), doc_id, raw_bytes, raw, ann, ann_bytes)


def save_annotations(
    root: str | Path,
    ann: AnnotationFile,
    raw_bytes: bytes,
    dry_run: bool = False,
    tolerate: Callable[[Issue], bool] | None = None,
    expected: bytes | None = None,
) -> list[Issue]:
    """Validate ``ann`` against ``raw_bytes`` and the corpus config, then write it atomically.

    The bytes that are checked are the bytes written. Errors (except those ``tolerate``
    accepts) raise AnnotationError and nothing is written. With ``expected`` (the file's bytes
    when it was read), a file changed meanwhile by someone else is not overwritten.
    Returns the warnings.
    """
    corpus = Corpus.at(root)
    data = dumps_json(dump_annotation_file(ann)).encode("utf-8")
    ann_rel = f"{ANNOTATIONS_DIR}/{ann.doc_id}{ANNOTATION_SUFFIX}"
    files = DocumentFiles(
        doc_id=ann.doc_id,
        annotation_file=ann_rel,
        raw_file=f"{RAW_DIR}/{ann.doc_id}{RAW_SUFFIX}",
        annotation_bytes=data,
        raw_bytes=raw_bytes,
    )
    ctx = load_config_issues(corpus.root)[0]
    issues = check_document(files, ctx)
    errors = [i for i in issues if i.is_error and not (tolerate and tolerate(i))]
    if errors:
        lines = [f"{Path(root) / ann_rel} would not be valid, nothing was written:"]
        for issue in errors[:20]:
            lines.append(f"  {issue.severity}[{issue.code}] {issue.message}")
        if len(errors) > 20:
            lines.append(f"  ... and {len(errors) - 20} more")
        if any(i.code == "raw-hash-mismatch" for i in errors):
            lines.append(f"  hint: the raw text changed; run `corpus reanchor {ann.doc_id}` first")
        raise AnnotationError("\n".join(lines))
    if not dry_run:
        path = corpus.annotation_path(ann.doc_id)
        if expected is not None and path.read_bytes() != expected:
            raise AnnotationError(f"{Path(root) / ann_rel} changed while this command ran; nothing was written, retry")
        atomic_write_bytes(path, data)
    return [i for i in issues if not i.is_error]


def _finish(doc: _Doc, layer: str, item: Any, dry_run: bool) -> AddResult:
    getattr(doc.ann, layer).append(item)
    warnings = save_annotations(doc.root, doc.ann, doc.raw_bytes, dry_run=dry_run, expected=doc.ann_bytes)
    return AddResult(layer=layer, item=item, path=doc.display(doc.ann_rel), written=not dry_run, warnings=warnings)


def _annotation_fields(doc: _Doc, layer: str, source: str | None, note: str | None) -> dict[str, Any]:
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

    Example:
        >>> add_entity("corpus", "doc1", "Amber Rudd", "PERSON", entity_id="amber_rudd")  # doctest: +SKIP
    """
    doc = open_document(root, doc_id)
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
    span = locate(doc.raw, text, occurrence, inside_words, where=doc.display(doc.raw_rel))
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
) -> AddResult:
    """Add a quote whose content starts with ``text`` (plus any further ``fragments``).

    Each further fragment is the first occurrence after the previous one. The ``cue`` and a
    nominal ``speaker_text`` are taken at their occurrence nearest to the quote (within
    ``NEAR_WINDOW`` characters) unless their occurrence is given. Exactly one of
    ``speaker_mention`` (an entity mention id of this document), ``speaker_text`` or
    ``speaker_unknown`` names the speaker.

    Example:
        >>> add_quote("corpus", "doc1", "We will act,", cue="said", speaker_mention="e1")  # doctest: +SKIP
    """
    doc = open_document(root, doc_id)
    chosen = sum([speaker_mention is not None, speaker_text is not None, speaker_unknown])
    if chosen != 1:
        raise AnnotationError(
            "give exactly one speaker: --speaker-mention ID, --speaker-text TEXT or --speaker-unknown"
        )
    where = doc.display(doc.raw_rel)
    spans = [locate(doc.raw, text, occurrence, where=where)]
    for fragment in fragments:
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
        found = locate_near(doc.raw, speaker_text, spans, speaker_occurrence, "speaker", "--speaker-occurrence", where)
        speaker = {"type": "nominal", **found.model_dump()}
    else:
        speaker = {"type": "unknown"}
    cue_span = None
    if cue is not None:
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


def _require_mention(doc: _Doc, mention_id: str, option: str) -> None:
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
) -> AddResult:
    """Mark ``text`` as a number. The value is read from the text ("fourteen million" ->
    14000000) unless ``value`` is given; kind and qualifier are guessed from the context
    (see :func:`corpus_pkg.annotate.suggest.guess_number`) unless given.

    Example:
        >>> add_number("corpus", "doc1", "90,000", unit="posts")  # doctest: +SKIP
    """
    from .suggest import guess_number  # suggest imports this module's helpers

    doc = open_document(root, doc_id)
    span = locate(doc.raw, text, occurrence, where=doc.display(doc.raw_rel))
    if value is None:
        try:
            value = parse_number(text)
        except NumberParseError as exc:
            raise AnnotationError(f"{exc} with --value") from None
    for existing in doc.ann.numbers:
        if (existing.start, existing.end) == (span.start, span.end):
            raise AnnotationError(f"{existing.id} already marks [{span.start}:{span.end}] {text!r} ({existing.origin})")
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
) -> AddResult:
    """Record that a holder is ``label`` (favor/against/neutral) toward a declared ``target``.

    The holder is one of ``holder_mention`` (mention id), ``holder_text`` (a nominal phrase,
    taken nearest to the evidence) or ``holder_entity`` (registry id); the evidence is one of
    ``evidence_quote`` (quote id) or ``evidence_text`` (a span of the text).

    Example:
        >>> add_stance("corpus", "doc1", "platform_action", "favor", holder_mention="e1",
        ...            evidence_quote="q1")  # doctest: +SKIP
    """
    doc = open_document(root, doc_id)
    targets = doc.corpus.config.stance_target_ids
    if target not in targets:
        raise AnnotationError(
            f"stance target {target!r} is not declared in corpus.json; declared targets: "
            f"{', '.join(targets) or '(none; add stance_targets to corpus.json)'}"
        )
    if sum(x is not None for x in (holder_mention, holder_text, holder_entity)) != 1:
        raise AnnotationError("give exactly one holder: --holder-mention ID, --holder-text TEXT or --holder-entity ID")
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
        span = locate(doc.raw, evidence_text, evidence_occurrence, where=where, option="--evidence-occurrence")
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
        found = locate_near(doc.raw, holder_text, anchor, holder_occurrence, "holder", "--holder-occurrence", where)
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
