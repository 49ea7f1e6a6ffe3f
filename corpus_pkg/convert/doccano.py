"""doccano JSONL: one JSON object per line with ``text`` and either the sequence-labeling
``label: [[start, end, "LABEL"], ...]`` or the relation-extraction ``entities: [{id,
start_offset, end_offset, label}]`` + ``relations: [{from_id, to_id, type}]``.

doccano offsets are code points, end exclusive (doccano carries no span text, so they are
only checked to lie inside the text). Spans become entity mentions; relations have no place in
the schema and are reported. Exports write the ``entities``/``relations`` style with entity
mentions only (quotes, numbers and stance are reported as not exported).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._io import atomic_write_text
from .._jsonfile import parse_json
from ..corpus import Corpus, CorpusError
from ..schema import Document, EntityMention
from ._common import ImportBatch, ReadContext, decode, new_document, safe_ann_id, safe_doc_id
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
    for item in record.get("entities") or []:
        if isinstance(item, dict):
            spans.append((item.get("id"), item.get("start_offset"), item.get("end_offset"), item.get("label")))
    used: set[str] = set()
    bad: list[str] = []
    for ident, start, end, label in spans:
        ok = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(raw)
        if not ok or not isinstance(label, str) or not label:
            bad.append(f"id={ident} [{start}, {end}) label={label!r}")
            continue
        ann_id = safe_ann_id(f"e{ident}" if isinstance(ident, int) else str(ident), used, f"e{len(used) + 1}")
        doc.annotations.entities.append(
            EntityMention(
                id=ann_id,
                origin="imported",
                source=f"doccano:{record.get('id', number)}/{ident}",
                start=start,
                end=end,
                text=raw[start:end],
                label=label,
            )
        )
    if bad:
        report.warn(
            "offset-mismatch",
            f"{len(bad)} span(s) skipped: offsets outside the text or no label",
            file=path.name,
            doc_id=doc_id,
            lines=bad,
        )
    relations = record.get("relations") or []
    if relations:
        report.warn(
            "not-representable",
            f"{len(relations)} relation(s) have no place in the corpus schema",
            file=path.name,
            doc_id=doc_id,
            lines=[str(r) for r in relations],
        )
    return doc


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write ``corpus.jsonl`` in the entities/relations style (entity mentions only)."""
    lines = []
    for n, doc in enumerate(docs, start=1):
        ann = doc.annotations
        entities = [
            {"id": k, "start_offset": e.start, "end_offset": e.end, "label": e.label}
            for k, e in enumerate(ann.entities, start=1)
        ]
        record = {"id": n, "doc_id": doc.doc_id, "text": doc.text, "entities": entities, "relations": []}
        lines.append(json.dumps(record, ensure_ascii=False))
        lost = [
            f"{len(getattr(ann, layer))} {layer}" for layer in ("quotes", "numbers", "stance") if getattr(ann, layer)
        ]
        if lost:
            report.warn(
                "not-exported",
                "doccano export holds entity mentions only; not exported: " + ", ".join(lost),
                doc_id=doc.doc_id,
            )
    atomic_write_text(out / EXPORT_FILE, "".join(line + "\n" for line in lines))
    report.files.append(EXPORT_FILE)
