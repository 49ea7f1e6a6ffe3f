"""Label Studio import, one builder per layer over the regions, relations and choices of one
annotation or prediction. Quotes follow the shared convention of :mod:`corpus_pkg.convert.regions`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, get_args

from ...schema import Document, EntityMention, NumberMention, Quote, Span, Stance
from ...schema.numbers import NumberKind, Qualifier
from ...schema.stance import StanceLabel
from .._common import ReadContext, build, safe_ann_id, short
from ..regions import Link, Region, assemble_quotes, role


@dataclass
class LsRegion:
    """One labelled region of a result set, its span already in code points."""

    rid: str
    labels: list[str]
    span: Span
    meta: list[str]
    shown: str


@dataclass
class ResultSet:
    """One annotation or prediction of a task."""

    origin: str
    source: str
    prefix: str
    regions: dict[str, LsRegion] = field(default_factory=dict)
    relations: list[dict[str, Any]] = field(default_factory=list)
    choices: list[dict[str, Any]] = field(default_factory=list)


def meta_fields(lines: list[str]) -> dict[str, str]:
    """``key=value`` lines of a region's ``meta.text`` as a dict."""
    out: dict[str, str] = {}
    for line in lines:
        key, sep, val = line.partition("=")
        if sep:
            out[key.strip()] = val.strip()
    return out


def build_layers(s: ResultSet, doc: Document, used: set[str], ctx: ReadContext, file: str) -> None:
    """Add the entities, numbers, quotes and stance of result set ``s`` to ``doc``."""
    _Builder(s, doc, used, ctx, file).run()


@dataclass
class _Builder:
    s: ResultSet
    doc: Document
    used: set[str]
    ctx: ReadContext
    file: str
    ids: dict[str, str] = field(default_factory=dict)  # region id -> our id (first label)
    lost: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    used_links: set[int] = field(default_factory=set)
    quote_ids: dict[str, str] = field(default_factory=dict)

    def run(self) -> None:
        self.roles = {rid: _role(r) for rid, r in self.s.regions.items()}
        self.links = [
            Link(str(rel.get("from_id")), str(rel.get("to_id")), _first_label(rel), short(rel))
            for rel in self.s.relations
        ]
        self.entities()
        self.numbers()
        self.quotes()
        self.stance()
        self.leftovers()

    def warn(self, code: Any, message: str, lines: list[str] | None = None) -> None:
        self.ctx.report.add(code, message, file=self.file, doc_id=self.doc.doc_id, lines=lines)

    def our_id(self, rid: str) -> str:
        if rid not in self.ids:
            self.ids[rid] = safe_ann_id(rid, self.used, f"{self.s.prefix}-{rid}")
        return self.ids[rid]

    def entities(self) -> None:
        registry = {e.id for e in self.ctx.registry.entities}
        for rid, r in self.s.regions.items():
            if self.roles[rid] != "entity":
                continue
            fields = meta_fields(r.meta)
            entity_id = fields.get("entity_id") if fields.get("entity_id") in registry else None
            if fields.get("entity_id") and entity_id is None:
                self.warn(
                    "normalization-kept-in-note",
                    f"region {rid}: entity_id {fields['entity_id']!r} is not in entities.json; kept in the note",
                )
            notes = [m for m in r.meta if not (m.startswith("entity_id=") and entity_id)]
            if len(r.labels) > 1:
                self.warn(
                    "multiple-labels", f"region {rid} has {len(r.labels)} labels; one mention per label", [r.shown]
                )
            for k, label in enumerate(r.labels):
                ident = self.our_id(rid) if k == 0 else safe_ann_id(None, self.used, f"{self.our_id(rid)}-{k + 1}")
                data = {
                    "id": ident,
                    "origin": self.s.origin,
                    "source": f"{self.s.source}/{rid}",
                    "note": "; ".join(notes) or None,
                    **r.span.model_dump(),
                    "label": label,
                    "entity_id": entity_id,
                }
                mention = build(EntityMention, data, self.ctx.report, self.file, self.doc.doc_id, r.shown)
                if mention is not None:
                    self.doc.annotations.entities.append(mention)

    def numbers(self) -> None:
        for rid, r in self.s.regions.items():
            if self.roles[rid] != "number":
                continue
            fields = meta_fields(r.meta)
            try:
                value = float(fields.get("value", ""))
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                self.lost.append(f"{r.shown}    (NUMBER needs meta.text 'value=<finite number>')")
                continue
            data = {
                "id": self.our_id(rid),
                "origin": self.s.origin,
                "source": f"{self.s.source}/{rid}",
                **r.span.model_dump(),
                "value": value,
                "kind": fields.get("kind") if fields.get("kind") in get_args(NumberKind) else "other",
                "unit": fields.get("unit") or None,
                "qualifier": fields.get("qualifier") if fields.get("qualifier") in get_args(Qualifier) else "exact",
            }
            number = build(NumberMention, data, self.ctx.report, self.file, self.doc.doc_id, r.shown)
            if number is not None:
                self.doc.annotations.numbers.append(number)

    def person(self, rid: str) -> dict[str, Any] | None:
        """A speaker or holder from a region: a mention for entity regions, nominal for SPEAKER/HOLDER."""
        if rid not in self.s.regions:
            return None
        r = self.s.regions[rid]
        if self.roles[rid] == "entity":
            return {"type": "mention", "mention_id": self.our_id(rid)}
        if self.roles[rid] in ("speaker", "holder"):
            return {"type": "nominal", **r.span.model_dump()}
        return None

    def quotes(self) -> None:
        regions = {rid: Region(rid, r.span, _main_label(r)) for rid, r in self.s.regions.items()}
        found = assemble_quotes(regions, self.links)
        self.used_links |= found.used
        self.lost.extend(found.lost)
        self.attached = found.attached
        guessed = []
        for draft in found.quotes:
            head = self.s.regions[str(draft.head)]
            speaker = self.person(str(draft.speaker)) if draft.speaker is not None else None
            data = {
                "id": self.our_id(head.rid),
                "origin": self.s.origin,
                "source": f"{self.s.source}/{head.rid}",
                "note": "; ".join(head.meta) or None,
                "kind": draft.kind,
                "fragments": [f.model_dump() for f in draft.fragments],
                "cue": draft.cue.model_dump() if draft.cue else None,
                "speaker": speaker or {"type": "unknown"},
            }
            quote = build(Quote, data, self.ctx.report, self.file, self.doc.doc_id, head.shown)
            if quote is not None:
                self.doc.annotations.quotes.append(quote)
                self.quote_ids[head.rid] = quote.id
                if draft.kind_guessed:
                    guessed.append(f"{head.rid} ({_main_label(head)}) -> {draft.kind}")
        if guessed:
            self.warn(
                "quote-kind-guessed",
                f"{len(guessed)} quote label(s) do not say direct/indirect/mixed; kind guessed from quotation marks",
                guessed,
            )

    def stance(self) -> None:
        """choices ``target:label`` from ``stance`` with ``holder`` and ``evidence`` relations -> stance."""
        for item in self.s.choices:
            value = item.get("value") if isinstance(item.get("value"), dict) else {}
            choices = value.get("choices") if isinstance(value.get("choices"), list) else []
            cid = str(item.get("id") or "")
            parsed = [c.rsplit(":", 1) for c in choices if isinstance(c, str) and ":" in c]
            if item.get("from_name") != "stance" or not parsed or parsed[0][1] not in get_args(StanceLabel):
                self.lost.append(f"{short(item)}    (document-level choices have no place in the schema)")
                continue
            holder = evidence = None
            for n, link in enumerate(self.links):
                if link.source != cid:
                    continue
                label = link.label.lower()
                if label == "holder" and holder is None:
                    holder = self.person(link.target)
                elif label == "evidence" and evidence is None and link.target in self.quote_ids:
                    evidence = {"type": "quote", "quote_id": self.quote_ids[link.target]}
                elif label == "evidence" and evidence is None and link.target in self.s.regions:
                    evidence = {"type": "span", **self.s.regions[link.target].span.model_dump()}
                else:
                    continue
                self.used_links.add(n)
                self.attached.add(link.target)
            meta = meta_fields(item.get("meta", {}).get("text", []) if isinstance(item.get("meta"), dict) else [])
            if holder is None and meta.get("holder_entity"):
                holder = {"type": "entity", "entity_id": meta["holder_entity"]}
            if holder is None or evidence is None:
                self.lost.append(f"{short(item)}    (stance needs 'holder' and 'evidence' relations)")
                continue
            target, label = parsed[0]
            data = {
                "id": safe_ann_id(cid, self.used, f"{self.s.prefix}-stance"),
                "origin": self.s.origin,
                "source": f"{self.s.source}/{cid}",
                "holder": holder,
                "target": target,
                "label": label,
                "evidence": evidence,
            }
            stance = build(Stance, data, self.ctx.report, self.file, self.doc.doc_id, short(item))
            if stance is not None:
                self.doc.annotations.stance.append(stance)

    def leftovers(self) -> None:
        self.lost.extend(link.shown for n, link in enumerate(self.links) if n not in self.used_links)
        self.lost.extend(
            f"{r.shown}    ({self.roles[rid]} region not linked to any quote or stance)"
            for rid, r in self.s.regions.items()
            if self.roles[rid] in ("holder", "evidence") and rid not in self.attached
        )
        if self.lost:
            self.warn(
                "not-representable",
                f"{len(self.lost)} result(s) have no place in the corpus schema and were not imported",
                self.lost,
            )


def _first_label(rel: dict[str, Any]) -> str:
    labels = rel.get("labels")
    return str(labels[0]) if isinstance(labels, list) and labels else ""


def _main_label(r: LsRegion) -> str:
    """The label that decides a region's role: a QUOTE label if any, else the first."""
    return next((lab for lab in r.labels if "QUOTE" in lab.upper()), r.labels[0] if r.labels else "")


def _role(r: LsRegion) -> str:
    if any("QUOTE" in lab.upper() for lab in r.labels):
        return "quote"
    for lab in r.labels:
        if role(lab) != "entity":
            return role(lab)
    return "entity"
