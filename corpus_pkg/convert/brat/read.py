"""brat import: one builder per layer (quotes, stance, numbers, entities) over a parsed ``.ann``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from ...schema import Document, EntityMention, NumberMention, Quote, Span, Stance
from ...schema.numbers import NumberKind, Qualifier
from ...schema.quotes import QuoteKind
from ...schema.stance import StanceLabel
from .._common import ImportBatch, ReadContext, build, guess_quote_kind, new_document, safe_doc_id
from .._report import ConvertReport, SourceError
from .parse import AnnFile, TextBound, conf_entity_types, parse_ann

#: brat types that carry our other layers; they never become entity labels.
QUOTE_EVENT_TYPES = {"Attribution", "Quote"}
CONTENT_TYPES = {"Content", "Quote"}
NOMINAL_TYPES = {"Source", "Speaker", "Holder"}
NUMBER_TYPE = "Number"
EVIDENCE_TYPE = "StanceEvidence"
RESERVED_TYPES = CONTENT_TYPES | {"Cue"} | NOMINAL_TYPES | {"Attribution", NUMBER_TYPE, EVIDENCE_TYPE}
_NUMBER_NOTE = re.compile(r"^\s*(-?[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*(.*)$")


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read one ``.ann`` file or every ``.ann`` in a folder (each needs its ``.txt`` beside it)."""
    path = Path(path)
    if path.is_dir():
        anns = sorted(path.glob("*.ann"))
        folder = path
        if not anns:
            raise SourceError(f"{path.name}: no .ann files found")
    elif path.suffix in (".ann", ".txt"):
        anns = [path.with_suffix(".ann")]
        folder = path.parent
    else:
        raise SourceError(f"{path.name}: expected a folder, a .ann or a .txt file")
    batch = ImportBatch()
    conf = folder / "annotation.conf"
    if conf.is_file() or conf.is_symlink():
        with ctx.guard(conf.name):
            conf_text = ctx.read_bytes(conf).decode("utf-8", errors="replace")
            batch.declared_labels = [t for t in conf_entity_types(conf_text) if t not in RESERVED_TYPES]
    for ann_path in anns:
        with ctx.guard(ann_path.name):
            doc = _read_pair(ann_path, ctx)
            batch.documents.append(doc)
            batch.files[doc.doc_id] = ann_path.name
    return batch


def _read_pair(ann_path: Path, ctx: ReadContext) -> Document:
    txt_path = ann_path.with_suffix(".txt")
    if not (txt_path.exists() or txt_path.is_symlink()):
        raise SourceError(f"{ann_path.name}: no text file {txt_path.name} beside it")
    if not (ann_path.exists() or ann_path.is_symlink()):
        raise SourceError(f"{ann_path.name}: no annotation file beside {txt_path.name}")
    text = ctx.read_text(txt_path, strip_bom=False)  # offsets count every character
    ann_text = ctx.read_text(ann_path)
    doc = new_document(safe_doc_id(ann_path.stem), text)
    parsed = parse_ann(ann_text, text)
    if parsed.bad:
        ctx.report.add(
            "malformed-item",
            f"{len(parsed.bad)} line(s) could not be read and were skipped",
            file=ann_path.name,
            doc_id=doc.doc_id,
            line=parsed.bad[0][0],
            lines=[line for _n, line in parsed.bad],
        )
    _Mapping(parsed, doc, ann_path.name, ctx).run()
    return doc


@dataclass
class _Mapping:
    """State of mapping one .ann onto one document: what was used, what has no place."""

    a: AnnFile
    doc: Document
    file: str
    ctx: ReadContext
    consumed: set[str] = field(default_factory=set)  # T ids turned into something other than an entity
    unrepresented: list[str] = field(default_factory=list)
    used_attrs: set[str] = field(default_factory=set)
    used_notes: set[str] = field(default_factory=set)
    quote_by_content: dict[str, str] = field(default_factory=dict)

    @property
    def report(self) -> ConvertReport:
        return self.ctx.report

    def run(self) -> None:
        self.quotes()
        self.stance()
        self.numbers()
        self.entities()
        self.leftovers()

    def warn(self, code: Any, message: str, lines: list[str]) -> None:
        if lines:
            self.report.add(code, message, file=self.file, doc_id=self.doc.doc_id, lines=lines)

    def note_of(self, target: str) -> str | None:
        if target in self.a.notes:
            self.used_notes.add(target)
            return "; ".join(self.a.notes[target])
        return None

    def attr(self, target: str, name: str) -> str:
        for a in self.a.attributes:
            if a.target == target and a.name == name:
                self.used_attrs.add(a.id)
                return (a.value or "").lower()
        return ""

    def becomes_entity(self, t: TextBound) -> bool:
        return t.type not in RESERVED_TYPES and len(t.fragments) == 1 and t.id not in self.consumed

    def cover(self, t: TextBound) -> Span:
        """One span covering all fragments of ``t`` (for slots that take a single span); covering a gap
        widens the span, so that case is reported."""
        start, end = t.fragments[0].start, t.fragments[-1].end
        if len(t.fragments) > 1:
            self.unrepresented.append(f"{t.line}    (discontinuous; widened to the single span [{start}, {end}))")
        return Span(start=start, end=end, text=self.doc.text[start:end])

    def person(self, t_id: str | None, what: str) -> dict[str, Any]:
        """A speaker or holder: nominal for Source/Speaker/Holder spans, a mention for entities."""
        t = self.a.t.get(t_id or "")
        if t is None:
            if t_id:
                self.unrepresented.append(f"({what} {t_id} is not a text-bound annotation; set to unknown)")
            return {"type": "unknown"}
        if t.type in NOMINAL_TYPES:
            self.consumed.add(t.id)
            return {"type": "nominal", **self.cover(t).model_dump()}
        if not self.becomes_entity(t):
            self.report.add(
                "reference-dropped",
                f"{what} {t.id} is not imported as an entity mention ({t.type}, "
                f"{len(t.fragments)} fragment(s)); the {what} is unknown",
                file=self.file,
                doc_id=self.doc.doc_id,
                line=t.number,
                lines=[t.line],
            )
            return {"type": "unknown"}
        return {"type": "mention", "mention_id": t.id}

    def quotes(self) -> None:
        """Attribution events (PolNeAR ``Attribution`` and our ``Quote``) -> quotes."""
        guessed: list[str] = []
        for ev in self.a.events:
            if ev.type not in QUOTE_EVENT_TYPES:
                self.unrepresented.append(ev.line)
                if ev.trigger in self.a.t:
                    self.consumed.add(ev.trigger)
                    self.unrepresented.append(self.a.t[ev.trigger].line)
                continue
            roles = dict(ev.roles)
            trigger = self.a.t.get(ev.trigger)
            content_id = roles.get("Content") or (ev.trigger if trigger and trigger.type == "Quote" else None)
            content = self.a.t.get(content_id or "")
            if content is None:
                self.unrepresented.append(ev.line)
                continue
            cue_t = self.a.t.get(roles.get("Cue", ""))
            self.consumed.update({ev.trigger, content.id} | ({cue_t.id} if cue_t else set()))
            kind = self.attr(ev.id, "Kind") or self.attr(content.id, "Kind")
            if kind not in get_args(QuoteKind):
                kind = guess_quote_kind(" ".join(f.text for f in content.fragments))
                guessed.append(f"{ev.line}    -> {kind}")
            extra = [f"{r}:{v}" for r, v in ev.roles if r not in ("Content", "Cue", "Source", "Speaker")]
            if extra:
                self.unrepresented.append(f"{ev.line}    (roles {' '.join(extra)} not kept)")
            data = {
                "id": ev.id,
                "origin": "imported",
                "source": f"brat:{ev.id}",
                "note": self.note_of(ev.id) or self.note_of(content.id),
                "kind": kind,
                "fragments": [f.model_dump() for f in content.fragments],
                "cue": self.cover(cue_t).model_dump() if cue_t else None,
                "speaker": self.person(roles.get("Source") or roles.get("Speaker"), "speaker"),
            }
            quote = build(Quote, data, self.report, self.file, self.doc.doc_id, ev.line)
            if quote is not None:
                self.doc.annotations.quotes.append(quote)
                self.quote_by_content[content.id] = ev.id
        self.warn(
            "quote-kind-guessed",
            f"{len(guessed)} quote(s) have no Kind attribute; kind guessed from quotation marks",
            guessed,
        )

    def stance(self) -> None:
        """``R Stance Arg1:holder Arg2:evidence`` with a ``target=... label=...`` note -> stance."""
        for rel in self.a.relations:
            if rel.type != "Stance":
                self.unrepresented.append(rel.line)
                continue
            fields = dict(re.findall(r"(\w+)=(\S+)", self.note_of(rel.id) or ""))
            holder_t, ev_t = self.a.t.get(rel.args.get("Arg1", "")), self.a.t.get(rel.args.get("Arg2", ""))
            if (
                holder_t is None
                or ev_t is None
                or "target" not in fields
                or fields.get("label") not in get_args(StanceLabel)
            ):
                self.unrepresented.append(
                    f"{rel.line}    (needs Arg1, Arg2 and a 'target=<id> label=<favor|against|neutral>' note)"
                )
                continue
            if ev_t.id in self.quote_by_content:
                evidence: dict[str, Any] = {"type": "quote", "quote_id": self.quote_by_content[ev_t.id]}
            else:
                self.consumed.add(ev_t.id)
                evidence = {"type": "span", **self.cover(ev_t).model_dump()}
            holder = self.person(holder_t.id, "holder")
            data = {
                "id": rel.id,
                "origin": "imported",
                "source": f"brat:{rel.id}",
                "holder": holder,
                "target": fields["target"],
                "label": fields["label"],
                "evidence": evidence,
            }
            stance = build(Stance, data, self.report, self.file, self.doc.doc_id, rel.line)
            if stance is not None:
                self.doc.annotations.stance.append(stance)

    def numbers(self) -> None:
        """``T Number`` + ``#`` note ``<value> [unit]`` + NumberKind/Qualifier attributes -> numbers."""
        for t in self.a.t.values():
            if t.type != NUMBER_TYPE or t.id in self.consumed:
                continue
            self.consumed.add(t.id)
            m = _NUMBER_NOTE.match(self.note_of(t.id) or "")
            span = self.cover(t)
            if not m:
                self.unrepresented.append(f"{t.line}    (a Number needs an AnnotatorNotes '<value> [unit]' note)")
                continue
            kind, qualifier = self.attr(t.id, "NumberKind") or "other", self.attr(t.id, "Qualifier") or "exact"
            data = {
                "id": t.id,
                "origin": "imported",
                "source": f"brat:{t.id}",
                **span.model_dump(),
                "value": float(m.group(1)),
                "kind": kind if kind in get_args(NumberKind) else "other",
                "unit": m.group(2).strip() or None,
                "qualifier": qualifier if qualifier in get_args(Qualifier) else "exact",
            }
            number = build(NumberMention, data, self.report, self.file, self.doc.doc_id, t.line)
            if number is not None:
                self.doc.annotations.numbers.append(number)

    def entities(self) -> None:
        """Every remaining text-bound annotation -> an entity mention (N lines -> registry links)."""
        links = _resolve_norms(self.a, self.ctx)
        for t in self.a.t.values():
            if t.id in self.consumed:
                continue
            if t.type in RESERVED_TYPES:
                self.unrepresented.append(f"{t.line}    ({t.type} not used by any event or relation)")
                continue
            if len(t.fragments) > 1:
                self.unrepresented.append(f"{t.line}    (discontinuous entity mentions are not supported)")
                continue
            entity_id, norm_note = links.get(t.id, (None, None))
            notes = [n for n in (self.note_of(t.id), norm_note) if n]
            data = {
                "id": t.id,
                "origin": "imported",
                "source": f"brat:{t.id}",
                "note": "; ".join(notes) or None,
                **t.fragments[0].model_dump(),
                "label": t.type,
                "entity_id": entity_id,
            }
            mention = build(EntityMention, data, self.report, self.file, self.doc.doc_id, t.line)
            if mention is not None:
                self.doc.annotations.entities.append(mention)
        kept = [n.line for n in self.a.norms if links.get(n.target, (None, None))[0] is None and n.target in links]
        self.warn(
            "normalization-kept-in-note",
            f"{len(kept)} normalization(s) name no registry entity; kept in the mention's note",
            kept,
        )

    def leftovers(self) -> None:
        self.unrepresented.extend(a.line for a in self.a.attributes if a.id not in self.used_attrs)
        for target, lines in self.a.note_lines.items():
            if target not in self.used_notes:
                self.unrepresented.extend(lines)
        self.unrepresented.extend(self.a.other)
        self.warn(
            "not-representable",
            f"{len(self.unrepresented)} line(s) have no place in the corpus schema and were not imported",
            self.unrepresented,
        )


def _resolve_norms(a: AnnFile, ctx: ReadContext) -> dict[str, tuple[str | None, str | None]]:
    """T id -> (registry entity id or None, note text for references that resolve to nothing)."""
    by_id = {e.id: e.id for e in ctx.registry.entities}
    by_qid = {e.wikidata: e.id for e in ctx.registry.entities if e.wikidata}
    out: dict[str, tuple[str | None, str | None]] = {}
    pending: dict[str, list[str]] = {}
    for n in a.norms:
        db, _, key = n.ref.partition(":")
        found = by_id.get(key) if db == "corpus" else by_qid.get(key) if db.lower() == "wikidata" else None
        if found:
            out[n.target] = (found, None)
        else:
            name = n.line.split("\t")[2] if n.line.count("\t") >= 2 else ""
            pending.setdefault(n.target, []).append(f"{n.ref} {name}".strip())
    for target, refs in pending.items():
        if target not in out:
            out[target] = (None, "normalization: " + "; ".join(refs))
    return out
