"""Label Studio export: one ``tasks.json`` (importable into Label Studio, and by ``corpus import
labelstudio``), offsets in code points with ``value.text`` on every region."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..._io import atomic_write_text, dumps_json
from ...corpus import Corpus
from ...schema import Document, Span
from .._common import ENTITIES, NUMBERS, QUOTES, STANCE
from .._report import ConvertReport
from ..regions import quote_parts
from .read import EXPORT_FILE


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write one ``tasks.json`` (a Label Studio import/export list); offsets in code points."""
    tasks = [_task(n + 1, doc, report) for n, doc in enumerate(docs)]
    atomic_write_text(out / EXPORT_FILE, dumps_json(tasks))
    report.files.append(EXPORT_FILE)


def _region(rid: str, span: Any, label: str, meta: list[str] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": rid,
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [label]},
    }
    if meta:
        item["meta"] = {"text": meta}
    return item


def _relation(src: str, dst: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": src, "to_id": dst, "labels": [label], "direction": "right"}


class _TaskWriter:
    """The results of one task, split into the annotation (gold) and the prediction (suggestions)."""

    def __init__(self, report: ConvertReport) -> None:
        self.results: dict[str, list[dict[str, Any]]] = {"imported": [], "suggestion": []}
        self.where: dict[str, str] = {}  # our id -> result set
        self.lost: list[str] = []
        self.report = report

    @staticmethod
    def set_of(origin: str) -> str:
        return "suggestion" if origin == "suggestion" else "imported"

    def put(self, origin: str, item: dict[str, Any]) -> None:
        self.results[self.set_of(origin)].append(item)

    def entity(self, e: Any) -> None:
        meta = [f"entity_id={e.entity_id}"] if e.entity_id else []
        meta += [e.note] if e.note else []
        self.put(e.origin, _region(e.id, e, e.label, meta))
        self.where[e.id] = self.set_of(e.origin)
        self.report.count(ENTITIES)

    def quote(self, q: Any) -> None:
        fragments = iter(range(1, len(q.fragments) + 1))

        def region(span: Span, label: str) -> str:
            if label in ("CUE", "SPEAKER"):
                rid = f"{q.id}-{label.lower()}"
            else:
                k = next(fragments)
                rid = q.id if k == 1 else f"{q.id}-f{k}"
            meta = [q.note] if q.note and rid == q.id else None
            self.put(q.origin, _region(rid, span, label, meta))
            return rid

        def mention(mention_id: str) -> str | None:
            if self.where.get(mention_id) != self.set_of(q.origin):
                self.lost.append(f"quote {q.id}: speaker {mention_id} is in another result set; not linked")
                return None
            return mention_id

        quote_parts(q, region, lambda a, b, label: self.put(q.origin, _relation(a, b, label)), mention)
        self.where[q.id] = self.set_of(q.origin)
        self.report.count(QUOTES)

    def number(self, n: Any) -> None:
        meta = [f"value={n.value!r}", f"kind={n.kind}", f"qualifier={n.qualifier}"]
        meta += [f"unit={n.unit}"] if n.unit else []
        self.put(n.origin, _region(n.id, n, "NUMBER", meta))
        self.report.count(NUMBERS)
        if n.note:
            self.lost.append(f"number {n.id}: note {n.note!r}")

    def stance(self, s: Any) -> None:
        item: dict[str, Any] = {
            "id": s.id,
            "type": "choices",
            "from_name": "stance",
            "to_name": "text",
            "value": {"choices": [f"{s.target}:{s.label}"]},
        }
        if s.holder.type == "entity":
            item["meta"] = {"text": [f"holder_entity={s.holder.entity_id}"]}
        elif s.holder.type == "unknown":
            self.lost.append(f"stance {s.id}: holder unknown, which Label Studio cannot hold; not exported")
            return
        here = self.set_of(s.origin)
        if s.holder.type == "mention" and self.where.get(s.holder.mention_id) != here:
            self.lost.append(f"stance {s.id}: holder {s.holder.mention_id} is in another result set; not exported")
            return
        if s.evidence.type == "quote" and self.where.get(s.evidence.quote_id) != here:
            self.lost.append(f"stance {s.id}: evidence {s.evidence.quote_id} is in another result set; not exported")
            return
        self.put(s.origin, item)
        if s.holder.type == "mention":
            self.put(s.origin, _relation(s.id, s.holder.mention_id, "holder"))
        elif s.holder.type == "nominal":
            self.put(s.origin, _region(f"{s.id}-holder", s.holder, "HOLDER"))
            self.put(s.origin, _relation(s.id, f"{s.id}-holder", "holder"))
        if s.evidence.type == "quote":
            self.put(s.origin, _relation(s.id, s.evidence.quote_id, "evidence"))
        else:
            self.put(s.origin, _region(f"{s.id}-evidence", s.evidence, "STANCE-EVIDENCE"))
            self.put(s.origin, _relation(s.id, f"{s.id}-evidence", "evidence"))
        self.report.count(STANCE)


def _task(number: int, doc: Document, report: ConvertReport) -> dict[str, Any]:
    ann = doc.annotations
    w = _TaskWriter(report)
    for e in ann.entities:
        w.entity(e)
    for q in ann.quotes:
        w.quote(q)
    for n in ann.numbers:
        w.number(n)
    for s in ann.stance:
        w.stance(s)
    if w.lost:
        report.add("not-exported", "Label Studio export could not hold these", doc_id=doc.doc_id, lines=w.lost)
    task: dict[str, Any] = {"id": number, "data": {"text": doc.text, "doc_id": doc.doc_id, "title": ann.meta.title}}
    task["annotations"] = [{"id": number, "result": w.results["imported"]}] if w.results["imported"] else []
    task["predictions"] = (
        [{"id": number, "model_version": "corpus_pkg", "result": w.results["suggestion"]}]
        if w.results["suggestion"]
        else []
    )
    return task
