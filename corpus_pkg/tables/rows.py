"""One document -> the rows it contributes to each release config (a pure function).

:func:`document_rows` reads nothing and writes nothing: given a document and a
:class:`RowContext` it returns ``{config: [row, ...]}`` with label *names* (see
:func:`corpus_pkg.tables.features.encode_row`). That makes it the unit to cache and to parallelise.

Only gold annotations (origin ``manual`` or ``imported``) produce rows; ``suggestion`` items are
dropped everywhere, including the nested ``full`` config. References from a gold item to a
dropped suggestion (e.g. a quote whose speaker mention is a suggestion) still resolve for the
display columns (``speaker``, ``holder``, ``evidence_text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..schema import ANNOTATION_LAYERS, AnnotationFile, Document, EntityRegistry, Quote, Span, joined_text
from ..text.tokenize import bio_tags, paragraphs
from .features import GOLD_ORIGINS


@dataclass(frozen=True)
class RowContext:
    """Corpus-wide facts rows need: registry display names (entity id -> name)."""

    entity_names: dict[str, str] = field(default_factory=dict)


def gold_only(doc: Document) -> Document:
    """A copy of ``doc`` without ``suggestion`` annotations."""
    ann = doc.annotations
    gold = ann.model_copy(
        update={
            layer: [item for item in getattr(ann, layer) if item.origin in GOLD_ORIGINS]
            for layer in ("entities", "quotes", "numbers", "stance")
        }
    )
    return Document(text=doc.text, annotations=gold)


def document_rows(doc: Document, ctx: RowContext, models: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Rows of every config for one document, in a fixed order (annotation order of the file).

    With ``models``, nested values of the ``full`` row and the ``segments`` of the ``documents`` row
    are the validated models themselves rather than dicts of them (no copy): what
    :mod:`corpus_pkg.tables.columns` reads, attribute by attribute, into the same columns."""
    full_ann = doc.annotations
    gold = gold_only(doc)
    ann = gold.annotations
    doc_id = ann.doc_id
    mentions = {m.id: m for m in full_ann.entities}
    quotes_by_id = {q.id: q for q in full_ann.quotes}

    paras = list(paragraphs(doc.text, ann))
    tags, skipped = bio_tags(paras, ann.entities)
    ner = [
        {
            "doc_id": doc_id,
            "paragraph": i,
            "segment_kind": p.segment_kind,
            "start": p.start,
            "end": p.end,
            "text": p.text,
            "tokens": p.tokens,
            "token_starts": p.token_starts,
            "token_ends": p.token_ends,
            "ner_tags": tag_row,
        }
        for i, (p, tag_row) in enumerate(zip(paras, tags))
    ]

    meta = ann.meta
    documents = [
        {
            "doc_id": doc_id,
            "title": meta.title,
            "text": doc.text,
            "body": "\n\n".join(s.text for s in ann.segments if s.kind == "body"),
            "outlet": meta.outlet,
            "authors": list(meta.authors),
            "url": meta.url,
            "published": meta.published,
            "language": meta.language,
            "raw_sha256": ann.raw_sha256,
            "segments": ann.segments if models else [_span_dict(s, kind=s.kind) for s in ann.segments],
            "num_entities": len(ann.entities),
            "num_quotes": len(ann.quotes),
            "num_numbers": len(ann.numbers),
            "num_stance": len(ann.stance),
            "ner_skipped": [{"mention_id": s.mention_id, "reason": s.reason} for s in skipped],
        }
    ]

    entities = [
        {
            "doc_id": doc_id,
            "mention_id": m.id,
            **_span_dict(m),
            "label": m.label,
            "entity_id": m.entity_id,
            "entity_name": ctx.entity_names.get(m.entity_id) if m.entity_id else None,
            "origin": m.origin,
            "source": m.source,
        }
        for m in ann.entities
    ]

    quotes = []
    for q in ann.quotes:
        speaker = _reference(q.speaker, mentions, ctx)
        quotes.append(
            {
                "doc_id": doc_id,
                "quote_id": q.id,
                "start": q.fragments[0].start,
                "end": q.fragments[-1].end,
                "text": joined_text(q.fragments),
                "fragments": [_span_dict(f) for f in q.fragments],
                "kind": q.kind,
                "speaker": speaker["name"],
                "speaker_type": q.speaker.type,
                "speaker_mention_id": speaker["mention_id"],
                "speaker_entity_id": speaker["entity_id"],
                "cue": q.cue.text if q.cue else None,
                "cue_start": q.cue.start if q.cue else None,
                "cue_end": q.cue.end if q.cue else None,
                "origin": q.origin,
                "source": q.source,
            }
        )

    numbers = [
        {
            "doc_id": doc_id,
            "number_id": n.id,
            **_span_dict(n),
            "value": float(n.value),
            "unit": n.unit,
            "qualifier": n.qualifier,
            "kind": n.kind,
            "origin": n.origin,
            "source": n.source,
        }
        for n in ann.numbers
    ]

    stance = []
    for s in ann.stance:
        holder = _reference(s.holder, mentions, ctx)
        evidence = _evidence(s.evidence, quotes_by_id)
        stance.append(
            {
                "doc_id": doc_id,
                "stance_id": s.id,
                "holder": holder["name"],
                "holder_type": s.holder.type,
                "holder_mention_id": holder["mention_id"],
                "holder_entity_id": holder["entity_id"],
                "target": s.target,
                "label": s.label,
                "evidence_type": s.evidence.type,
                "evidence_quote_id": getattr(s.evidence, "quote_id", None),
                **evidence,
                "origin": s.origin,
                "source": s.source,
            }
        )

    return {
        "documents": documents,
        "entities": entities,
        "quotes": quotes,
        "numbers": numbers,
        "stance": stance,
        "ner": ner,
        "full": [_full_row_of_models(gold) if models else full_row(gold)],
    }


def _span_dict(span: Span, **extra: Any) -> dict[str, Any]:
    return {**extra, "start": span.start, "end": span.end, "text": span.text}


def _reference(ref: Any, mentions: dict, ctx: RowContext) -> dict[str, Any]:
    """Display name, mention id and entity id of a speaker or holder."""
    if ref.type == "mention":
        mention = mentions.get(ref.mention_id)
        entity_id = mention.entity_id if mention else None
        name = ctx.entity_names.get(entity_id) if entity_id else None
        return {
            "name": name or (mention.text if mention else None),
            "mention_id": ref.mention_id,
            "entity_id": entity_id,
        }
    if ref.type == "nominal":
        return {"name": ref.text, "mention_id": None, "entity_id": None}
    if ref.type == "entity":
        return {
            "name": ctx.entity_names.get(ref.entity_id, ref.entity_id),
            "mention_id": None,
            "entity_id": ref.entity_id,
        }
    return {"name": None, "mention_id": None, "entity_id": None}


def _evidence(evidence: Any, quotes: dict[str, Quote]) -> dict[str, Any]:
    """Evidence columns: ``evidence_fragments`` always (one span, or the quote's fragments); the flat
    ``evidence_start``/``evidence_end``/``evidence_text`` only for contiguous evidence, so wherever they
    are set ``raw[evidence_start:evidence_end] == evidence_text`` (null for a split quote)."""
    if evidence.type == "span":
        fragments: list[Span] = [evidence]
    else:
        quote = quotes.get(evidence.quote_id)
        fragments = quote.fragments if quote is not None else []
    flat = fragments[0] if len(fragments) == 1 else None
    return {
        "evidence_start": flat.start if flat else None,
        "evidence_end": flat.end if flat else None,
        "evidence_text": flat.text if flat else None,
        "evidence_fragments": [_span_dict(f) for f in fragments],
    }


def registry_rows(registry: EntityRegistry) -> list[dict[str, Any]]:
    """Rows of the ``registry`` config: one per registry entity, in file order."""
    return [
        {
            "entity_id": e.id,
            "name": e.name,
            "label": e.label,
            "aliases": list(e.aliases),
            "wikidata": e.wikidata,
            "description": e.description,
        }
        for e in registry.entities
    ]


# --- the nested ``full`` config: lossless for gold annotations ---------------------------------

_REFERENCE_KEYS = ("type", "mention_id", "entity_id", "quote_id", "start", "end", "text")


def full_row(doc: Document) -> dict[str, Any]:
    """The ``full`` row of a document: every field of the annotation file plus the raw text. A quote's
    ``fragments`` become three parallel lists (``{"start": [...], "end": [...], "text": [...]}``)."""
    data = doc.annotations.model_dump(mode="python")
    for quote in data["quotes"]:
        quote["speaker"] = {key: quote["speaker"].get(key) for key in _REFERENCE_KEYS}
        quote["fragments"] = {key: [f[key] for f in quote["fragments"]] for key in ("start", "end", "text")}
    for item in data["stance"]:
        item["holder"] = {key: item["holder"].get(key) for key in _REFERENCE_KEYS}
        item["evidence"] = {key: item["evidence"].get(key) for key in _REFERENCE_KEYS}
    return {
        "doc_id": data.pop("doc_id"),
        "schema_version": data.pop("schema_version"),
        "raw_sha256": data.pop("raw_sha256"),
        "text": doc.text,
        **data,
    }


def _full_row_of_models(doc: Document) -> dict[str, Any]:
    """:func:`full_row` with the models in place of their dicts (a missing attribute reads as None,
    as the padded reference keys do)."""
    ann = doc.annotations
    quotes = [
        {**q.__dict__, "fragments": {key: [getattr(f, key) for f in q.fragments] for key in ("start", "end", "text")}}
        for q in ann.quotes
    ]
    return {
        "doc_id": ann.doc_id,
        "schema_version": ann.schema_version,
        "raw_sha256": ann.raw_sha256,
        "text": doc.text,
        **{name: getattr(ann, name) for name in ("meta", "segments", *ANNOTATION_LAYERS)},
        "quotes": quotes,
    }


def document_from_full(row: dict[str, Any]) -> Document:
    """Inverse of :func:`full_row` (label names expected, see ``features.decode_row``)."""
    row = dict(row)
    text = row.pop("text")
    for quote in row["quotes"]:
        quote["speaker"] = _drop_none(quote["speaker"])
        columns = quote["fragments"]
        quote["fragments"] = [
            {"start": start, "end": end, "text": text}
            for start, end, text in zip(columns["start"], columns["end"], columns["text"])
        ]
        if quote.get("cue") is not None and all(v is None for v in quote["cue"].values()):
            quote["cue"] = None
    for item in row["stance"]:
        item["holder"] = _drop_none(item["holder"])
        item["evidence"] = _drop_none(item["evidence"])
    return Document(text=text, annotations=AnnotationFile.model_validate(row))


def _drop_none(ref: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ref.items() if v is not None}
