"""doccano JSONL: one JSON object per line with ``text`` and either the sequence-labeling
``label: [[start, end, "LABEL"], ...]`` or the relation-extraction ``entities: [{id,
start_offset, end_offset, label}]`` + ``relations: [{from_id, to_id, type}]``.

doccano offsets are code points, end exclusive (doccano carries no span text, so they are
only checked to lie inside the text). Spans become entity mentions, except that quotes follow
the same conventions as our Label Studio converter: spans labelled ``DIRECT-QUOTE``,
``INDIRECT-QUOTE`` or ``MIXED-QUOTE`` (any label containing ``QUOTE``; without a prefix the kind
is guessed from quotation marks) are quote content, relations of type ``continues`` chain the
fragments of a discontinuous quote, ``cue`` points at its ``CUE`` span and ``speaker`` at an
entity span (a mention speaker) or a ``SPEAKER`` span (a nominal speaker). Other relations have
no place in the schema and are reported. Exports write the ``entities``/``relations`` style with
entity mentions and quotes; numbers and stance have no doccano form and are reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._io import atomic_write_text
from .._jsonfile import parse_json
from ..corpus import Corpus, CorpusError
from ..schema import Document, EntityMention, Quote, Span
from ._common import (
    ImportBatch,
    ReadContext,
    decode,
    guess_quote_kind,
    make_span,
    new_document,
    safe_ann_id,
    safe_doc_id,
)
from ._report import ConvertReport

EXPORT_FILE = "corpus.jsonl"


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read a doccano JSONL file (one document per non-empty line)."""
    path = Path(path)
    if path.is_dir():
        raise CorpusError(f"{path}: expected a doccano .jsonl file, not a folder")
    text = decode(path.read_bytes(), path, ctx.encoding)
    batch = ImportBatch()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = parse_json(line.encode("utf-8")).value
        except ValueError as exc:
            raise CorpusError(f"{path.name}: line {number}: {exc} (doccano exports one JSON object per line)") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
            raise CorpusError(f"{path.name}: line {number}: expected an object with a non-empty 'text' string")
        for key in ("label", "entities", "relations"):
            if record.get(key) is not None and not isinstance(record[key], list):
                raise CorpusError(
                    f"{path.name}: line {number}: '{key}' must be a list, got {type(record[key]).__name__}"
                )
        batch.documents.append(_record(record, number, path, ctx))
    return batch


def _record(record: dict[str, Any], number: int, path: Path, ctx: ReadContext) -> Document:
    report, raw = ctx.report, record["text"]
    base = record.get("doc_id") or f"{path.stem}-{record.get('id', number)}"
    doc_id = ctx.options.get("id_prefix", "") + safe_doc_id(str(base))
    title = record.get("title") if isinstance(record.get("title"), str) and record["title"].strip() else None
    doc = new_document(doc_id, raw, title=title)
    if isinstance(record.get("url"), str) and record["url"].startswith(("http://", "https://")):
        doc.annotations.meta.url = record["url"]
    spans: list[tuple[Any, Any, Any, Any]] = []
    if isinstance(record.get("label"), list):
        for n, item in enumerate(record["label"]):
            if isinstance(item, list) and len(item) == 3:
                spans.append((f"l{n + 1}", item[0], item[1], item[2]))
            else:
                spans.append((None, None, None, item))
    used: set[str] = set()
    bad: list[str] = []
    for item in record.get("entities") or []:
        if not isinstance(item, dict):
            bad.append(f"{item!r}: not an object")
        elif item.get("id") is not None and not _is_id(item["id"]):  # ids key relations: ints and strings only
            bad.append(f"{item!r}: the id must be a number or a string")
        else:
            spans.append((item.get("id"), item.get("start_offset"), item.get("end_offset"), item.get("label")))
    found: dict[Any, tuple[Span, str]] = {}  # doccano span id -> (span, label), for relations
    mention_ids: dict[Any, str] = {}  # doccano span id -> entity mention id
    for ident, start, end, label in spans:
        span = make_span(raw, start, end)
        if span is None or not isinstance(label, str) or not label:
            bad.append(f"id={ident} [{start}, {end}) label={label!r}")
            continue
        if ident in found:
            bad.append(f"id={ident} [{start}, {end}) label={label!r}: the id is used by an earlier span")
            continue
        if ident is not None:
            found[ident] = (span, label)
        elif _role(label) != "entity":
            bad.append(f"[{start}, {end}) label={label!r}: a {_role(label)} span needs an id for its relations")
            continue
        if _role(label) != "entity":
            continue
        ann_id = safe_ann_id(f"e{ident}" if isinstance(ident, int) else str(ident), used, f"e{len(used) + 1}")
        mention_ids[ident] = ann_id
        doc.annotations.entities.append(
            EntityMention(
                id=ann_id,
                origin="imported",
                source=f"doccano:{record.get('id', number)}/{ident}",
                start=span.start,
                end=span.end,
                text=span.text,
                label=label,
            )
        )
    if bad:
        report.warn(
            "offset-mismatch",
            f"{len(bad)} span(s) skipped: offsets outside the text, no label, or a missing or repeated id",
            file=path.name,
            doc_id=doc_id,
            lines=bad,
        )
    relations = [r for r in record.get("relations") or [] if isinstance(r, dict)]
    lost = [str(r) for r in record.get("relations") or [] if not isinstance(r, dict)]
    lost += _quotes(doc, f"doccano:{record.get('id', number)}", found, mention_ids, relations, used)
    if lost:
        report.warn(
            "not-representable",
            f"{len(lost)} relation(s) or span(s) have no place in the corpus schema",
            file=path.name,
            doc_id=doc_id,
            lines=lost,
        )
    return doc


def _is_id(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, str)


def _role(label: str) -> str:
    """What a doccano span label stands for: quote content, a cue, a nominal speaker or an entity."""
    upper = label.upper()
    if "QUOTE" in upper:
        return "quote"
    return {"CUE": "cue", "SPEAKER": "speaker"}.get(upper, "entity")


#: Relation types of the quote convention and the roles of the spans they may join.
_QUOTE_RELATIONS = {"continues": ("quote",), "cue": ("cue",), "speaker": ("entity", "speaker")}


def _quotes(
    doc: Document,
    source: str,
    spans: dict[Any, tuple[Span, str]],
    mention_ids: dict[Any, str],
    relations: list[dict[str, Any]],
    used: set[str],
) -> list[str]:
    """Add a quote for every chain of quote spans; return what could not be used, one line each
    (relations outside the convention, quote/cue/speaker spans attached to no quote)."""
    role = {ident: _role(label) for ident, (_, label) in spans.items()}
    links: dict[str, dict[Any, Any]] = {kind: {} for kind in _QUOTE_RELATIONS}
    claimed: set[Any] = set()  # fragments some ``continues`` already leads to
    lost = []
    for rel in relations:
        kind = str(rel.get("type", "")).lower()
        origin, target = rel.get("from_id"), rel.get("to_id")
        fits = (
            _is_id(origin)
            and _is_id(target)
            and kind in links
            and role.get(origin) == "quote"
            and role.get(target) in _QUOTE_RELATIONS[kind]
            and origin not in links[kind]
            and not (kind == "continues" and (target in claimed or target == origin))
        )
        if not fits:
            lost.append(str(rel))
            continue
        links[kind][origin] = target
        if kind == "continues":
            claimed.add(target)
    attached: set[Any] = set()
    heads = sorted((i for i in spans if role[i] == "quote" and i not in claimed), key=lambda i: spans[i][0].start)
    for head in heads:
        chain, current = [], head
        while current is not None and current not in attached:  # a cycle back into the chain ends it
            chain.append(current)
            attached.add(current)
            current = links["continues"].get(current)
        # a cue or speaker may hang off any fragment of the quote; the first one found counts
        cue = next((links["cue"][i] for i in chain if i in links["cue"]), None)
        speaker_id = next((links["speaker"][i] for i in chain if i in links["speaker"]), None)
        for kind, chosen in (("cue", cue), ("speaker", speaker_id)):
            lost.extend(
                f"{kind} relation from span id={i} to id={links[kind][i]}: the quote already has one"
                for i in chain
                if i in links[kind] and links[kind][i] != chosen
            )
        attached.update(x for x in (cue, speaker_id) if x is not None)
        speaker: dict[str, Any] = {"type": "unknown"}
        if speaker_id in mention_ids:
            speaker = {"type": "mention", "mention_id": mention_ids[speaker_id]}
        elif speaker_id is not None:
            speaker = {"type": "nominal", **spans[speaker_id][0].model_dump()}
        fragments = sorted((spans[i][0] for i in chain), key=lambda f: f.start)
        label = spans[head][1].upper()
        kind = next((k for k in ("direct", "indirect", "mixed") if label.startswith(f"{k.upper()}-")), None)
        doc.annotations.quotes.append(
            Quote.model_validate(
                {
                    "id": safe_ann_id(f"q{head}" if isinstance(head, int) else str(head), used, f"q{len(used) + 1}"),
                    "origin": "imported",
                    "source": f"{source}/{head}",
                    "kind": kind or guess_quote_kind(" ".join(f.text for f in fragments)),
                    "fragments": [f.model_dump() for f in fragments],
                    "cue": spans[cue][0].model_dump() if cue is not None else None,
                    "speaker": speaker,
                }
            )
        )
    for ident, (span, label) in spans.items():
        if role[ident] != "entity" and ident not in attached:
            lost.append(f"{label} span id={ident} [{span.start}, {span.end}) is attached to no quote")
    return lost


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write ``corpus.jsonl`` in the entities/relations style (entity mentions and quotes)."""
    lines = []
    for n, doc in enumerate(docs, start=1):
        entities, relations = _spans_and_relations(doc)
        record = {"id": n, "doc_id": doc.doc_id, "text": doc.text, "entities": entities, "relations": relations}
        lines.append(json.dumps(record, ensure_ascii=False))
        ann = doc.annotations
        clashing = sorted({e.label for e in ann.entities if _role(e.label) != "entity"})
        if clashing:
            report.warn(
                "not-exported",
                f"entity label(s) {', '.join(clashing)} read back as quote, cue or speaker spans on import",
                doc_id=doc.doc_id,
            )
        pending = [
            item.id for layer in ("entities", "quotes") for item in getattr(ann, layer) if item.origin == "suggestion"
        ]
        if pending:
            report.warn(
                "not-exported",
                f"{len(pending)} suggestion(s) exported as plain spans (doccano keeps no origin; they come back "
                f"as imported): {', '.join(pending)}",
                doc_id=doc.doc_id,
            )
        lost = [f"{len(getattr(ann, layer))} {layer}" for layer in ("numbers", "stance") if getattr(ann, layer)]
        if lost:
            report.warn(
                "not-exported",
                "doccano has no form for numbers and stance; not exported: " + ", ".join(lost),
                doc_id=doc.doc_id,
            )
    atomic_write_text(out / EXPORT_FILE, "".join(line + "\n" for line in lines))
    report.files.append(EXPORT_FILE)


def _spans_and_relations(doc: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []

    def span(item: Span, label: str) -> int:
        entities.append({"id": len(entities) + 1, "start_offset": item.start, "end_offset": item.end, "label": label})
        return len(entities)

    def relation(source: int, target: int, kind: str) -> None:
        relations.append({"id": len(relations) + 1, "from_id": source, "to_id": target, "type": kind})

    ann = doc.annotations
    mention_ids = {e.id: span(e, e.label) for e in ann.entities}
    for quote in ann.quotes:
        label = f"{quote.kind.upper()}-QUOTE"
        head = previous = span(quote.fragments[0], label)
        for fragment in quote.fragments[1:]:
            current = span(fragment, label)
            relation(previous, current, "continues")
            previous = current
        if quote.cue is not None:
            relation(head, span(quote.cue, "CUE"), "cue")
        if quote.speaker.type == "mention" and quote.speaker.mention_id in mention_ids:
            relation(head, mention_ids[quote.speaker.mention_id], "speaker")
        elif quote.speaker.type == "nominal":
            relation(head, span(quote.speaker, "SPEAKER"), "speaker")
    return entities, relations
