"""Run a suggester on documents: new ids, ``origin: "suggestion"``, no duplicates, validated writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...corpus import Corpus
from ...schema import Annotation, EntityMention, NumberMention, Quote, Span
from ...text.numbers import format_value
from ...validate import Issue
from ..session import edit_document, item_spans, next_id, save_annotations
from .registry import Candidate, SuggestInput, get_suggester

__all__ = ("SuggestResult", "run_suggester", "suggest_corpus")

_MODELS: dict[str, type[Annotation]] = {"entities": EntityMention, "quotes": Quote, "numbers": NumberMention}
_NOUNS = {"entities": "entity", "quotes": "quote", "numbers": "number"}


@dataclass
class SuggestResult:
    """Suggestions one suggester made for one document."""

    doc_id: str
    path: str
    layer: str
    source: str  # "<suggester>@<version>", stored on every suggestion
    suggestions: list[Any] = field(default_factory=list)
    skipped: int = 0  # candidates overlapping an annotation of the layer (gold or suggested)
    outside: int = 0  # candidates outside the segments the suggester works in
    where: str = "title/body"
    written: bool = False
    warnings: list[Issue] = field(default_factory=list)

    def to_text(self) -> str:
        """One line per suggestion plus a summary line."""
        lines = [_describe(item) for item in self.suggestions]
        verb = "wrote" if self.written else "would write (pass --write to save)"
        lines.append(
            f"{len(self.suggestions)} {_NOUNS[self.layer]} suggestion(s) from {self.source} for {self.doc_id} "
            f"({self.skipped} already annotated, {self.outside} outside {self.where} skipped); "
            f"{verb if self.suggestions else 'nothing to write'}"
        )
        return "\n".join(lines) + "\n"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe(item: Any) -> str:
    if isinstance(item, NumberMention):
        extra = f" {item.unit}" if item.unit else ""
        return (
            f"{item.id}  [{item.start}:{item.end}]  {item.text!r} -> {format_value(item.value)} "
            f"{item.kind}{extra} ({item.qualifier})"
        )
    if isinstance(item, EntityMention):
        return f"{item.id}  [{item.start}:{item.end}]  {item.text!r} {item.label} -> {item.entity_id or '(no link)'}"
    quote: Quote = item
    first, last = quote.fragments[0], quote.fragments[-1]
    text = " … ".join(_short(f.text, 40) for f in quote.fragments)
    speaker = quote.speaker
    who = (
        speaker.mention_id
        if speaker.type == "mention"
        else repr(speaker.text)
        if speaker.type == "nominal"
        else "unknown"
    )
    cue = repr(quote.cue.text) if quote.cue else "none"
    return f"{quote.id}  [{first.start}:{last.end}]  {text!r} {quote.kind}, cue {cue}, speaker {who}"


def _inside(span: Span, segments: Sequence[tuple[int, int]]) -> bool:
    return any(start <= span.start and span.end <= end for start, end in segments)


def _overlaps(span: Span, taken: list[tuple[int, int]]) -> bool:
    return any(span.start < end and start < span.end for start, end in taken)


def run_suggester(
    root: str | Path,
    doc_id: str,
    layer: str,
    suggester: str | None = None,
    write: bool = False,
    options: dict[str, Any] | None = None,
) -> SuggestResult:
    """Run the suggester ``suggester`` (default: the layer's default) of ``layer`` on ``doc_id``.

    Candidates that overlap an annotation of the layer (any origin) or fall outside the
    suggester's segments are counted and dropped; the others get the next free ids,
    ``origin="suggestion"`` and ``source="<name>@<version>"``. With ``write`` the file is
    validated and written atomically under the document's lock; otherwise nothing is written.
    """
    chosen = get_suggester(layer, suggester)
    with edit_document(root, doc_id) as doc:
        ann = doc.ann
        allowed = tuple((s.start, s.end) for s in ann.segments if s.kind in chosen.segments)
        if not ann.segments:
            allowed = ((0, len(doc.raw)),)
        labels = tuple(doc.corpus.config.entity_label_names)
        inp = SuggestInput(doc_id, doc.raw, ann, doc.corpus.registry, labels, allowed, dict(options or {}))
        result = SuggestResult(
            doc_id=doc_id,
            path=doc.display(doc.ann_rel),
            layer=layer,
            source=chosen.source,
            where="/".join(k for k in ("title", "subtitle", "body") if k in chosen.segments),
        )
        taken = [(s.start, s.end) for item in getattr(ann, layer) for s in item_spans(item)]
        model = _MODELS[layer]
        for candidate in sorted(chosen.run(inp), key=_order):
            if any(_overlaps(s, taken) for s in candidate.spans):
                result.skipped += 1
                continue
            if not all(_inside(s, allowed) for s in candidate.spans):
                result.outside += 1
                continue
            item = model.model_validate(
                {"id": next_id(ann, layer), "origin": "suggestion", "source": chosen.source, **candidate.fields}
            )
            getattr(ann, layer).append(item)
            result.suggestions.append(item)
            taken.extend((s.start, s.end) for s in candidate.spans)
        if write and result.suggestions:
            result.warnings = save_annotations(doc.root, ann, doc.raw_bytes, expected=doc.ann_bytes)
            result.written = True
        return result


def _order(candidate: Candidate) -> tuple[int, int]:
    return (candidate.start, -max(s.end for s in candidate.spans))


def suggest_corpus(
    root: str | Path,
    layer: str,
    suggester: str | None = None,
    write: bool = False,
    options: dict[str, Any] | None = None,
    doc_ids: Sequence[str] | None = None,
) -> list[SuggestResult]:
    """:func:`run_suggester` on every document (or on ``doc_ids``), one result per document."""
    get_suggester(layer, suggester)  # an unknown name fails before any document is read
    ids = list(doc_ids) if doc_ids is not None else Corpus.at(root).doc_ids()
    return [run_suggester(root, doc_id, layer, suggester, write, options) for doc_id in ids]
