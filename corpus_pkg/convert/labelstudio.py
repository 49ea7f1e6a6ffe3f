"""Label Studio JSON export: a list of tasks, each ``{"data": {"text": ...}, "annotations": [...],
"predictions": [...]}`` whose ``result`` items are regions (``type: "labels"``, ``value.start``,
``value.end``, ``value.text``, ``value.labels``), relations (``from_id``/``to_id``) and ``choices``.

Offsets. Label Studio 1.x stores code points, but versions that took the browser's string length
counted UTF-16 code units, so spans after an emoji drift (label-studio #1347, #1008). Each region
is checked with ``text[start:end] == value.text``; when that fails and the offsets read as UTF-16
units match, they are converted (warning ``utf16-offsets``); otherwise the region is skipped with
an ``offset-mismatch`` warning. Regions without ``value.text`` are taken as code points
(``unverified-offsets``). Exports write code points.

Mapping (labels compared case-insensitively):

* a label containing ``QUOTE`` -> quote (``DIRECT-``/``INDIRECT-``/``MIXED-`` give the kind,
  else it is guessed from quotation marks); a relation from the quote to another region is its
  speaker (``cue`` relations point at its ``CUE`` region, ``continues`` at its next fragment);
  a ``SPEAKER`` region is a nominal speaker, any entity region a mention speaker;
* ``NUMBER`` regions -> numbers, with ``meta.text`` lines ``value=``, ``kind=``, ``unit=``,
  ``qualifier=``;
* ``choices`` from ``stance`` with values ``<target>:<favor|against|neutral>`` -> stance, with
  relations ``holder`` and ``evidence`` from the choices result to regions;
* every other label -> an entity mention (one per label when a region has several).

``annotations`` get origin ``imported``; ``predictions`` get ``suggestion``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_write_text, dumps_json
from .._jsonfile import parse_json
from ..corpus import Corpus, CorpusError
from ..schema import Document, EntityMention, NumberMention, Quote, Span, Stance
from ..text.offsets import UnitConverter
from ._common import ImportBatch, ReadContext, decode, guess_quote_kind, new_document, safe_ann_id, safe_doc_id
from ._report import ConvertReport
from .brat import NUMBER_KINDS, QUALIFIERS

SPECIAL = {"CUE", "SPEAKER", "NUMBER", "STANCE-EVIDENCE", "HOLDER"}
STANCE_LABELS = ("favor", "against", "neutral")
EXPORT_FILE = "tasks.json"


@dataclass
class _Region:
    rid: str
    labels: list[str]
    span: Span
    meta: list[str]
    item: dict


@dataclass
class _Set:
    """One annotation or prediction of a task."""

    origin: str
    source: str
    prefix: str
    regions: dict[str, _Region] = field(default_factory=dict)
    relations: list[dict] = field(default_factory=list)
    choices: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------------------------------- import


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read a Label Studio JSON export (a list of tasks, or one task object)."""
    path = Path(path)
    if path.is_dir():
        raise CorpusError(f"{path}: expected a Label Studio JSON export file, not a folder")
    text = decode(path.read_bytes(), path, ctx.encoding)
    try:
        data = parse_json(text.encode("utf-8")).value
    except ValueError as exc:
        raise CorpusError(f"{path}: {exc}") from None
    tasks = data if isinstance(data, list) else [data]
    batch = ImportBatch()
    for index, task in enumerate(tasks):
        where = f"{path.name}: [{index}]"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise CorpusError(f"{where}: expected a task object with a 'data' object")
        raw = task["data"].get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise CorpusError(f"{where}.data.text: expected the task's text as a non-empty string")
        batch.documents.append(_read_task(task, index, raw, path, ctx))
    return batch


def _read_task(task: dict, index: int, raw: str, path: Path, ctx: ReadContext) -> Document:
    report = ctx.report
    task_id = task.get("id", index + 1)
    wanted = task["data"].get("doc_id")
    base = wanted if isinstance(wanted, str) and wanted else f"{path.stem}-{task_id}"
    doc_id = ctx.options.get("id_prefix", "") + safe_doc_id(str(base))
    title = task["data"].get("title") if isinstance(task["data"].get("title"), str) else None
    doc = new_document(doc_id, raw, title=title)
    conv = UnitConverter(raw)
    sets: list[_Set] = []
    for kind, origin in (("annotations", "imported"), ("predictions", "suggestion")):
        for n, item in enumerate(task.get(kind) or []):
            if not isinstance(item, dict):
                continue
            if item.get("was_cancelled"):
                report.warn(
                    "not-representable",
                    f"task {task_id}: cancelled annotation {item.get('id')} skipped",
                    file=path.name,
                    doc_id=doc_id,
                )
                continue
            ident = item.get("id", n + 1)
            short = "a" if kind == "annotations" else "p"
            s = _Set(origin, f"labelstudio:task{task_id}/{kind[:-1]}{ident}", f"{short}{ident}")
            _collect(s, item.get("result") or [], raw, conv, path.name, doc_id, report)
            sets.append(s)
    if len([s for s in sets if s.origin == "imported"]) > 1:
        report.warn(
            "multiple-annotations",
            f"task {task_id} has several annotations; all were imported "
            "(ids prefixed where they collide), so mentions may be duplicated",
            file=path.name,
            doc_id=doc_id,
        )
    used: set[str] = set()
    for s in sets:
        _map_set(s, doc, used, ctx, path.name)
    return doc


def _collect(
    s: _Set, results: list, raw: str, conv: UnitConverter, file: str, doc_id: str, report: ConvertReport
) -> None:
    mismatched, utf16, unverified, other = [], [], [], []
    for item in results:
        if not isinstance(item, dict):
            continue
        rtype = item.get("type")
        if rtype == "relation":
            s.relations.append(item)
            continue
        if rtype == "choices":
            s.choices.append(item)
            continue
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        labels = value.get("labels")
        if rtype != "labels" or not isinstance(labels, list) or "start" not in value:
            other.append(_short(item))
            continue
        start, end, surface = value.get("start"), value.get("end"), value.get("text")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
            mismatched.append(_short(item))
            continue
        if isinstance(surface, str):
            if end > len(raw) or raw[start:end] != surface:
                try:
                    s16, e16 = conv.utf16_to_cp(start), conv.utf16_to_cp(end)
                except ValueError:
                    s16 = e16 = -1
                if s16 >= 0 and raw[s16:e16] == surface:
                    utf16.append(f"{item.get('id')}: [{start}, {end}) UTF-16 -> [{s16}, {e16}) {surface!r}")
                    start, end = s16, e16
                else:
                    mismatched.append(f"{_short(item)}    (text[{start}:{end}] is {raw[start:end]!r})")
                    continue
        elif end <= len(raw):
            unverified.append(_short(item))
        else:
            mismatched.append(_short(item))
            continue
        meta = item.get("meta", {}).get("text", []) if isinstance(item.get("meta"), dict) else []
        rid = str(item.get("id") or f"r{len(s.regions) + 1}")
        s.regions[rid] = _Region(
            rid,
            [str(x) for x in labels],
            Span(start=start, end=end, text=raw[start:end]),
            [str(m) for m in meta] if isinstance(meta, list) else [str(meta)],
            item,
        )
    if mismatched:
        report.warn(
            "offset-mismatch",
            f"{len(mismatched)} region(s) skipped: offsets do not match their text",
            file=file,
            doc_id=doc_id,
            lines=mismatched,
        )
    if utf16:
        report.warn(
            "utf16-offsets",
            f"{len(utf16)} region(s) had UTF-16 offsets; converted to code points",
            file=file,
            doc_id=doc_id,
            lines=utf16,
        )
    if unverified:
        report.warn(
            "unverified-offsets",
            f"{len(unverified)} region(s) have no value.text; offsets taken as code points unchecked",
            file=file,
            doc_id=doc_id,
            lines=unverified,
        )
    if other:
        report.warn(
            "not-representable",
            f"{len(other)} result(s) of unsupported type skipped",
            file=file,
            doc_id=doc_id,
            lines=other,
        )


def _short(item: dict) -> str:
    return dumps_json(item).replace("\n", " ").replace("  ", "")[:300]


def _meta_fields(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        key, sep, val = line.partition("=")
        if sep:
            out[key.strip()] = val.strip()
    return out


def _map_set(s: _Set, doc: Document, used: set[str], ctx: ReadContext, file: str) -> None:
    ann, report = doc.annotations, ctx.report
    ids: dict[str, str] = {}  # region id -> our id (first label)
    lost: list[str] = []

    def our_id(rid: str) -> str:
        if rid not in ids:
            ids[rid] = safe_ann_id(rid, used, f"{s.prefix}-{rid}")
        return ids[rid]

    def kind_of(region: _Region) -> str:
        upper = [lab.upper() for lab in region.labels]
        if any("QUOTE" in u for u in upper):
            return "quote"
        for special in SPECIAL:
            if special in upper:
                return special
        return "entity"

    kinds = {rid: kind_of(r) for rid, r in s.regions.items()}
    registry = {e.id for e in ctx.registry.entities}
    for rid, r in s.regions.items():
        if kinds[rid] != "entity":
            continue
        fields = _meta_fields(r.meta)
        entity_id = fields.get("entity_id") if fields.get("entity_id") in registry else None
        if fields.get("entity_id") and entity_id is None:
            report.warn(
                "normalization-kept-in-note",
                f"region {rid}: entity_id {fields['entity_id']!r} is not in entities.json; kept in the note",
                file=file,
                doc_id=doc.doc_id,
            )
        notes = [m for m in r.meta if not (m.startswith("entity_id=") and entity_id)]
        if len(r.labels) > 1:
            report.warn(
                "multiple-labels",
                f"region {rid} has {len(r.labels)} labels; one mention per label",
                file=file,
                doc_id=doc.doc_id,
                lines=[_short(r.item)],
            )
        for k, label in enumerate(r.labels):
            ident = our_id(rid) if k == 0 else safe_ann_id(None, used, f"{our_id(rid)}-{k + 1}")
            ann.entities.append(
                EntityMention(
                    id=ident,
                    origin=s.origin,
                    source=f"{s.source}/{rid}",
                    note="; ".join(notes) or None,
                    start=r.span.start,
                    end=r.span.end,
                    text=r.span.text,
                    label=label,
                    entity_id=entity_id,
                )
            )
    for rid, r in s.regions.items():
        if kinds[rid] != "NUMBER":
            continue
        fields = _meta_fields(r.meta)
        try:
            value = float(fields.get("value", ""))
        except ValueError:
            lost.append(f"{_short(r.item)}    (NUMBER needs meta.text 'value=<number>')")
            continue
        ann.numbers.append(
            NumberMention(
                id=our_id(rid),
                origin=s.origin,
                source=f"{s.source}/{rid}",
                start=r.span.start,
                end=r.span.end,
                text=r.span.text,
                value=value,
                kind=fields.get("kind") if fields.get("kind") in NUMBER_KINDS else "other",
                unit=fields.get("unit") or None,
                qualifier=fields.get("qualifier") if fields.get("qualifier") in QUALIFIERS else "exact",
            )
        )

    def target_of(rid: str) -> dict | None:
        if rid not in s.regions:
            return None
        r = s.regions[rid]
        if kinds[rid] == "entity":
            return {"type": "mention", "mention_id": our_id(rid)}
        if kinds[rid] in ("SPEAKER", "HOLDER"):
            return {"type": "nominal", "start": r.span.start, "end": r.span.end, "text": r.span.text}
        return None

    # Relations out of quotes.
    out_rel: dict[str, list[tuple[str, str, dict]]] = {}
    consumed_rel: set[int] = set()
    for n, rel in enumerate(s.relations):
        labels = [str(x).lower() for x in rel.get("labels") or []]
        out_rel.setdefault(str(rel.get("from_id")), []).append(
            (labels[0] if labels else "", str(rel.get("to_id")), rel)
        )
        rel["_n"] = n
    continued = {to for rid, rels in out_rel.items() for lab, to, _ in rels if lab == "continues"}
    quote_ids: dict[str, str] = {}
    guessed: list[str] = []
    for rid, r in s.regions.items():
        if kinds[rid] != "quote" or rid in continued:
            continue
        chain, cur, speaker, cue = [r], rid, None, None
        seen = {rid}
        while True:
            nxt = [(to, rel) for lab, to, rel in out_rel.get(cur, []) if lab == "continues" and to in s.regions]
            if not nxt or nxt[0][0] in seen:
                break
            consumed_rel.add(nxt[0][1]["_n"])
            cur = nxt[0][0]
            seen.add(cur)
            chain.append(s.regions[cur])
        for member in seen:
            for lab, to, rel in out_rel.get(member, []):
                if lab == "continues":
                    continue
                if lab == "cue" and to in s.regions and cue is None:
                    cue = s.regions[to].span
                    consumed_rel.add(rel["_n"])
                elif lab != "cue" and speaker is None and target_of(to) is not None:
                    speaker = target_of(to)
                    consumed_rel.add(rel["_n"])
        label = next(lab for lab in r.labels if "QUOTE" in lab.upper()).upper()
        kind = (
            "indirect"
            if "INDIRECT" in label
            else "mixed"
            if "MIXED" in label
            else "direct"
            if "DIRECT" in label
            else ""
        )
        fragments = sorted((c.span for c in chain), key=lambda sp: sp.start)
        if not kind:
            kind = guess_quote_kind(" ".join(f.text for f in fragments))
            guessed.append(f"{rid} ({label}) -> {kind}")
        quote_ids[rid] = our_id(rid)
        ann.quotes.append(
            Quote(
                id=our_id(rid),
                origin=s.origin,
                source=f"{s.source}/{rid}",
                note="; ".join(r.meta) or None,
                kind=kind,
                fragments=fragments,
                cue=cue,
                speaker=speaker or {"type": "unknown"},
            )
        )
    # Stance: choices "target:label" with holder/evidence relations.
    for item in s.choices:
        choices = (item.get("value") or {}).get("choices") or []
        cid = str(item.get("id") or "")
        parsed = [c.rsplit(":", 1) for c in choices if isinstance(c, str) and ":" in c]
        if item.get("from_name") != "stance" or not parsed or parsed[0][1] not in STANCE_LABELS:
            lost.append(f"{_short(item)}    (document-level choices have no place in the schema)")
            continue
        holder = evidence = None
        for lab, to, rel in out_rel.get(cid, []):
            if lab == "holder":
                holder = target_of(to)
                consumed_rel.add(rel["_n"])
            elif lab == "evidence" and to in quote_ids:
                evidence = {"type": "quote", "quote_id": quote_ids[to]}
                consumed_rel.add(rel["_n"])
            elif lab == "evidence" and to in s.regions:
                sp = s.regions[to].span
                evidence = {"type": "span", "start": sp.start, "end": sp.end, "text": sp.text}
                consumed_rel.add(rel["_n"])
        meta = _meta_fields(item.get("meta", {}).get("text", []) if isinstance(item.get("meta"), dict) else [])
        if holder is None and meta.get("holder_entity"):
            holder = {"type": "entity", "entity_id": meta["holder_entity"]}
        if holder is None or evidence is None:
            lost.append(f"{_short(item)}    (stance needs 'holder' and 'evidence' relations)")
            continue
        target, label = parsed[0]
        ann.stance.append(
            Stance(
                id=safe_ann_id(cid, used, f"{s.prefix}-stance"),
                origin=s.origin,
                source=f"{s.source}/{cid}",
                holder=holder,
                target=target,
                label=label,
                evidence=evidence,
            )
        )
    lost.extend(
        _short({k: v for k, v in rel.items() if k != "_n"}) for rel in s.relations if rel["_n"] not in consumed_rel
    )
    linked = {to for rels in out_rel.values() for _l, to, _r in rels} | {rid for rid, rels in out_rel.items() if rels}
    lost.extend(
        f"{_short(r.item)}    ({kinds[rid]} region not linked to any quote or stance)"
        for rid, r in s.regions.items()
        if kinds[rid] in ("CUE", "SPEAKER", "HOLDER", "STANCE-EVIDENCE") and rid not in linked
    )
    if guessed:
        report.warn(
            "quote-kind-guessed",
            f"{len(guessed)} quote label(s) do not say direct/indirect/mixed; kind guessed from quotation marks",
            file=file,
            doc_id=doc.doc_id,
            lines=guessed,
        )
    if lost:
        report.warn(
            "not-representable",
            f"{len(lost)} result(s) have no place in the corpus schema and were not imported",
            file=file,
            doc_id=doc.doc_id,
            lines=lost,
        )


# ---------------------------------------------------------------------------------------- export


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write one ``tasks.json`` (a Label Studio import/export list); offsets in code points."""
    tasks = [_task(n + 1, doc, report) for n, doc in enumerate(docs)]
    atomic_write_text(out / EXPORT_FILE, dumps_json(tasks))
    report.files.append(EXPORT_FILE)


def _region(rid: str, span: Span, label: str, meta: list[str] | None = None) -> dict:
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


def _relation(src: str, dst: str, label: str) -> dict:
    return {"type": "relation", "from_id": src, "to_id": dst, "labels": [label], "direction": "right"}


def _task(number: int, doc: Document, report: ConvertReport) -> dict:
    ann = doc.annotations
    results: dict[str, list[dict]] = {"imported": [], "suggestion": []}
    where: dict[str, str] = {}  # our id -> result set
    lost: list[str] = []

    def put(origin: str, item: dict) -> None:
        results["suggestion" if origin == "suggestion" else "imported"].append(item)

    def set_of(origin: str) -> str:
        return "suggestion" if origin == "suggestion" else "imported"

    for e in ann.entities:
        meta = [f"entity_id={e.entity_id}"] if e.entity_id else []
        meta += [e.note] if e.note else []
        put(e.origin, _region(e.id, e, e.label, meta))
        where[e.id] = set_of(e.origin)

    def link_target(owner: str, origin: str, who, nominal_label: str, rel_label: str) -> None:
        if who.type == "mention":
            if where.get(who.mention_id) != set_of(origin):
                lost.append(f"{owner}: {rel_label} {who.mention_id} is in another result set")
                return
            put(origin, _relation(owner, who.mention_id, rel_label))
        elif who.type == "nominal":
            put(origin, _region(f"{owner}-{rel_label}", who, nominal_label))
            put(origin, _relation(owner, f"{owner}-{rel_label}", rel_label))

    for q in ann.quotes:
        label = f"{q.kind.upper()}-QUOTE"
        put(q.origin, _region(q.id, q.fragments[0], label, [q.note] if q.note else None))
        where[q.id] = set_of(q.origin)
        prev = q.id
        for k, frag in enumerate(q.fragments[1:], start=2):
            rid = f"{q.id}-f{k}"
            put(q.origin, _region(rid, frag, label))
            put(q.origin, _relation(prev, rid, "continues"))
            prev = rid
        if q.cue:
            put(q.origin, _region(f"{q.id}-cue", q.cue, "CUE"))
            put(q.origin, _relation(q.id, f"{q.id}-cue", "cue"))
        link_target(q.id, q.origin, q.speaker, "SPEAKER", "speaker")
    for n in ann.numbers:
        meta = [f"value={n.value!r}", f"kind={n.kind}", f"qualifier={n.qualifier}"]
        meta += [f"unit={n.unit}"] if n.unit else []
        put(n.origin, _region(n.id, n, "NUMBER", meta))
        if n.note:
            lost.append(f"number {n.id}: note {n.note!r}")
    for s in ann.stance:
        item: dict[str, Any] = {
            "id": s.id,
            "type": "choices",
            "from_name": "stance",
            "to_name": "text",
            "value": {"choices": [f"{s.target}:{s.label}"]},
        }
        if s.holder.type == "entity":
            item["meta"] = {"text": [f"holder_entity={s.holder.entity_id}"]}
        put(s.origin, item)
        if s.holder.type != "entity":
            link_target(s.id, s.origin, s.holder, "HOLDER", "holder")
        if s.evidence.type == "quote":
            put(s.origin, _relation(s.id, s.evidence.quote_id, "evidence"))
        else:
            put(s.origin, _region(f"{s.id}-evidence", s.evidence, "STANCE-EVIDENCE"))
            put(s.origin, _relation(s.id, f"{s.id}-evidence", "evidence"))
    if lost:
        report.warn("not-exported", "Label Studio export could not hold these", doc_id=doc.doc_id, lines=lost)
    task: dict[str, Any] = {"id": number, "data": {"text": doc.text, "doc_id": doc.doc_id, "title": ann.meta.title}}
    task["annotations"] = [{"id": number, "result": results["imported"]}] if results["imported"] else []
    task["predictions"] = (
        [{"id": number, "model_version": "corpus_pkg", "result": results["suggestion"]}]
        if results["suggestion"]
        else []
    )
    return task
