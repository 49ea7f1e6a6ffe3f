"""doccano JSONL: one JSON object per line with ``text`` and either the sequence-labeling
``label: [[start, end, "LABEL"], ...]`` or the relation-extraction ``entities: [{id,
start_offset, end_offset, label}]`` + ``relations: [{from_id, to_id, type}]``.

doccano offsets are code points, end exclusive (doccano carries no span text, so they are
only checked to lie inside the text). Spans become entity mentions, except that quotes follow
the region convention of :mod:`corpus_pkg.convert.regions` (shared with Label Studio). Exports
write the ``entities``/``relations`` style with entity mentions and quotes; numbers, stance,
registry links, document metadata and origins have no doccano form and are reported.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._io import atomic_write_text
from .._jsonfile import parse_json
from ..corpus import Corpus
from ..schema import Document, EntityMention, Quote, Span
from ._common import (
    ENTITIES,
    NUMBERS,
    QUOTES,
    STANCE,
    ImportBatch,
    ReadContext,
    build,
    is_int,
    json_error,
    make_span,
    new_document,
    safe_ann_id,
    safe_doc_id,
    short,
)
from ._report import ConvertReport, SourceError
from .interface import NoOptions
from .regions import Link, Region, assemble_quotes, quote_parts, role

EXPORT_FILE = "corpus.jsonl"


# ---------------------------------------------------------------------------------------- import


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read a doccano JSONL file (one document per non-empty line)."""
    path = Path(path)
    batch = ImportBatch()
    if path.is_dir():
        raise SourceError(f"{path.name}: expected a doccano .jsonl file, not a folder")
    text = ctx.read_text(path)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        with ctx.guard(path.name, line=number):
            doc = _record(_parse_line(line, number, path), number, path, ctx)
            batch.documents.append(doc)
            batch.files[doc.doc_id] = path.name
    return batch


def _parse_line(line: str, number: int, path: Path) -> dict[str, Any]:
    try:
        record = parse_json(line.encode("utf-8", "surrogatepass")).value
    except ValueError as exc:
        raise json_error(exc, suffix=" (doccano exports one JSON object per line)", line=number) from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise SourceError("expected an object with a non-empty 'text' string", line=number)
    for key in ("label", "entities", "relations"):
        if record.get(key) is not None and not isinstance(record[key], list):
            raise SourceError(f"'{key}' must be a list, got {type(record[key]).__name__}", line=number, json_path=key)
    return record


@dataclass
class _Span:
    id: Any
    start: Any
    end: Any
    label: Any
    shown: str


def _spans(record: dict[str, Any]) -> list[_Span]:
    """Every span of the record, in either style, as found (checked later)."""
    out = []
    for n, item in enumerate(record.get("label") or []):
        if isinstance(item, list) and len(item) == 3:
            out.append(_Span(f"l{n + 1}", item[0], item[1], item[2], short(item)))
        else:
            out.append(_Span(f"l{n + 1}", None, None, None, short(item)))
    for item in record.get("entities") or []:
        if isinstance(item, dict):
            out.append(
                _Span(item.get("id"), item.get("start_offset"), item.get("end_offset"), item.get("label"), short(item))
            )
        else:
            out.append(_Span(None, None, None, None, short(item)))
    return out


def _record(record: dict[str, Any], number: int, path: Path, ctx: ReadContext) -> Document:
    report, raw = ctx.report, record["text"]
    record_id = record.get("id", number)
    base = record.get("doc_id") or f"{path.stem}-{record_id}"
    doc_id = safe_doc_id(str(base))
    title = record.get("title") if isinstance(record.get("title"), str) and record["title"].strip() else None
    doc = new_document(doc_id, raw, title=title)
    if isinstance(record.get("url"), str) and record["url"].startswith(("http://", "https://")):
        doc.annotations.meta.url = record["url"]
    source = f"doccano:{record_id if _is_id(record_id) else number}"
    regions, malformed = _regions(_spans(record), raw)
    if malformed:
        report.add(
            "malformed-item",
            f"{len(malformed)} span(s) skipped: offsets not inside the text, no label, or a missing or repeated id",
            file=path.name,
            doc_id=doc_id,
            line=number,
            lines=malformed,
        )
    used: set[str] = set()
    mention_ids = _entities(doc, regions, used, source, path.name, report)
    links, lost = _links(record.get("relations") or [])
    lost += _quotes(doc, regions, links, mention_ids, used, source, path.name, report)
    if lost:
        report.add(
            "not-representable",
            f"{len(lost)} relation(s) or span(s) have no place in the corpus schema",
            file=path.name,
            doc_id=doc_id,
            line=number,
            lines=lost,
        )
    return doc


def _is_id(value: Any) -> bool:
    return is_int(value) or isinstance(value, str)


def _regions(spans: list[_Span], raw: str) -> tuple[dict[Hashable, Region], list[str]]:
    regions: dict[Hashable, Region] = {}
    malformed: list[str] = []
    anonymous = 0
    for s in spans:
        span = make_span(raw, s.start, s.end)
        if s.id is not None and not _is_id(s.id):
            malformed.append(f"{s.shown}    (the id must be a number or a string)")
        elif span is None or not isinstance(s.label, str) or not s.label:
            malformed.append(f"{s.shown}    (needs start < end inside the text and a label)")
        elif s.id in regions:
            malformed.append(f"{s.shown}    (the id is used by an earlier span)")
        elif s.id is None and role(s.label) != "entity":
            malformed.append(f"{s.shown}    (a {role(s.label)} span needs an id for its relations)")
        else:
            if s.id is None:
                anonymous += 1
            key = s.id if s.id is not None else ("anonymous", anonymous)
            regions[key] = Region(key, span, s.label)
    return regions, malformed


def _entities(
    doc: Document, regions: dict[Hashable, Region], used: set[str], source: str, file: str, report: ConvertReport
) -> dict[Hashable, str]:
    """Entity mentions from every region whose label is no quote part; doccano id -> mention id."""
    mention_ids: dict[Hashable, str] = {}
    for rid, r in regions.items():
        if role(r.label) != "entity":
            continue
        shown = rid if _is_id(rid) else ""
        ann_id = safe_ann_id(f"e{rid}" if is_int(rid) else str(shown), used, f"e{len(used) + 1}")
        mention = build(
            EntityMention,
            {
                "id": ann_id,
                "origin": "imported",
                "source": f"{source}/{shown}".rstrip("/"),
                **r.span.model_dump(),
                "label": r.label,
            },
            report,
            file,
            doc.doc_id,
            f"span {shown} {r.label!r}",
        )
        if mention is not None:
            mention_ids[rid] = ann_id
            doc.annotations.entities.append(mention)
    return mention_ids


def _links(relations: list[Any]) -> tuple[list[Link], list[str]]:
    links, lost = [], []
    for rel in relations:
        if isinstance(rel, dict) and _is_id(rel.get("from_id")) and _is_id(rel.get("to_id")):
            links.append(Link(rel["from_id"], rel["to_id"], str(rel.get("type", "")), short(rel)))
        else:
            lost.append(short(rel))
    return links, lost


def _quotes(
    doc: Document,
    regions: dict[Hashable, Region],
    links: list[Link],
    mention_ids: dict[Hashable, str],
    used: set[str],
    source: str,
    file: str,
    report: ConvertReport,
) -> list[str]:
    """Quotes by the region convention; return what could not be used, one line each."""
    found = assemble_quotes(regions, links)
    lost = list(found.lost) + [link.shown for n, link in enumerate(links) if n not in found.used]
    guessed = []
    for draft in found.quotes:
        speaker: dict[str, Any] = {"type": "unknown"}
        if draft.speaker in mention_ids:
            speaker = {"type": "mention", "mention_id": mention_ids[draft.speaker]}
        elif draft.speaker is not None and role(regions[draft.speaker].label) == "speaker":
            speaker = {"type": "nominal", **regions[draft.speaker].span.model_dump()}
        elif draft.speaker is not None:
            lost.append(f"speaker region {draft.speaker}: not imported; the speaker is unknown")
        head = draft.head
        quote = build(
            Quote,
            {
                "id": safe_ann_id(f"q{head}" if is_int(head) else str(head), used, f"q{len(used) + 1}"),
                "origin": "imported",
                "source": f"{source}/{head}",
                "kind": draft.kind,
                "fragments": [f.model_dump() for f in draft.fragments],
                "cue": draft.cue.model_dump() if draft.cue is not None else None,
                "speaker": speaker,
            },
            report,
            file,
            doc.doc_id,
            f"quote span {head}",
        )
        if quote is not None:
            doc.annotations.quotes.append(quote)
            if draft.kind_guessed:
                guessed.append(f"{head} ({regions[head].label}) -> {draft.kind}")
    if guessed:
        report.add(
            "quote-kind-guessed",
            f"{len(guessed)} quote label(s) do not say direct/indirect/mixed; kind guessed from quotation marks",
            file=file,
            doc_id=doc.doc_id,
            lines=guessed,
        )
    return lost


# ---------------------------------------------------------------------------------------- export


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write ``corpus.jsonl`` in the entities/relations style (entity mentions and quotes)."""
    lines = []
    for n, doc in enumerate(docs, start=1):
        entities, relations = _spans_and_relations(doc)
        record = {"id": n, "doc_id": doc.doc_id, "text": doc.text, "entities": entities, "relations": relations}
        if doc.annotations.meta.title:
            record["title"] = doc.annotations.meta.title
        if doc.annotations.meta.url:
            record["url"] = doc.annotations.meta.url
        lines.append(json.dumps(record, ensure_ascii=False))
        report.count(ENTITIES, len(doc.annotations.entities))
        report.count(QUOTES, len(doc.annotations.quotes))
        _report_losses(doc, report)
    atomic_write_text(out / EXPORT_FILE, "".join(line + "\n" for line in lines))
    report.files.append(EXPORT_FILE)


def _report_losses(doc: Document, report: ConvertReport) -> None:
    ann = doc.annotations
    clashing = sorted({e.label for e in ann.entities if role(e.label) != "entity"})
    if clashing:
        report.add(
            "not-exported",
            f"entity label(s) {', '.join(clashing)} read back as quote, cue or speaker spans on import",
            doc_id=doc.doc_id,
        )
    pending = [
        item.id for layer, item in ann.layer_items() if layer in (ENTITIES, QUOTES) and item.origin == "suggestion"
    ]
    if pending:
        report.add(
            "not-exported",
            f"{len(pending)} suggestion(s) exported as plain spans (doccano keeps no origin; they come back "
            f"as imported): {', '.join(pending)}",
            doc_id=doc.doc_id,
        )
    lost = [f"{len(getattr(ann, layer))} {layer}" for layer in (NUMBERS, STANCE) if getattr(ann, layer)]
    if lost:
        report.add(
            "not-exported",
            "doccano has no form for numbers and stance; not exported: " + ", ".join(lost),
            doc_id=doc.doc_id,
        )
    linked = [f"{e.id} -> {e.entity_id}" for e in ann.entities if e.entity_id]
    if linked:
        report.add(
            "not-exported",
            f"{len(linked)} registry link(s) of entity mentions (doccano spans carry no links)",
            doc_id=doc.doc_id,
            lines=linked,
        )
    notes = [f"{item.id}: {item.note}" for _layer, item in ann.layer_items() if getattr(item, "note", None)]
    if notes:
        report.add("not-exported", f"{len(notes)} annotation note(s)", doc_id=doc.doc_id, lines=notes)


def _spans_and_relations(doc: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []

    def region(item: Span, label: str) -> int:
        entities.append({"id": len(entities) + 1, "start_offset": item.start, "end_offset": item.end, "label": label})
        return len(entities)

    def relation(source: int, target: int, kind: str) -> None:
        relations.append({"id": len(relations) + 1, "from_id": source, "to_id": target, "type": kind})

    ann = doc.annotations
    mention_ids = {e.id: region(e, e.label) for e in ann.entities}
    for quote in ann.quotes:
        quote_parts(quote, region, relation, mention_ids.get)
    return entities, relations


#: The doccano converter.
class DoccanoConverter:
    name = "doccano"
    description = "doccano JSONL (label or entities/relations)"
    options = NoOptions
    read = staticmethod(read)
    write = staticmethod(write)
