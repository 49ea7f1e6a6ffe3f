"""brat export: ``<doc_id>.txt`` (a byte copy), ``<doc_id>.ann`` and one ``annotation.conf``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from ..._io import atomic_write_bytes, atomic_write_text
from ...corpus import Corpus, read_regular_file
from ...schema import ANNOTATION_LAYERS, Document, Span
from ...schema.numbers import NumberKind, Qualifier
from ...schema.quotes import QuoteKind
from ...text.numbers import format_value
from .._common import ENTITIES, NUMBERS, QUOTES, STANCE
from .._report import ConvertReport
from .read import EVIDENCE_TYPE, NUMBER_TYPE


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write ``<doc_id>.txt`` (byte-exact copy), ``<doc_id>.ann`` and one ``annotation.conf``."""
    registry = {e.id: e for e in corpus.registry.entities}
    for doc in docs:
        txt = out / f"{doc.doc_id}.txt"
        atomic_write_bytes(txt, read_regular_file(corpus.raw_path(doc.doc_id)))
        ann = out / f"{doc.doc_id}.ann"
        writer = _AnnWriter(registry)
        atomic_write_text(ann, writer.document(doc))
        for layer, n in writer.written.items():
            report.count(layer, n)
        if writer.lost:
            report.add("not-exported", "brat has no place for these", doc_id=doc.doc_id, lines=writer.lost)
        report.files.extend([txt.name, ann.name])
    conf = out / "annotation.conf"
    atomic_write_text(conf, _conf(corpus))
    report.files.append(conf.name)


def _safe_text(text: str) -> str:
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


@dataclass
class _AnnWriter:
    """The lines of one .ann: one writer method per layer, ids numbered per kind."""

    registry: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    counter: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ANNOTATION_LAYERS, 0))
    mention_t: dict[str, str] = field(default_factory=dict)
    quote_t: dict[str, str] = field(default_factory=dict)

    def document(self, doc: Document) -> str:
        ann = doc.annotations
        for e in ann.entities:
            self.entity(e)
        for q in ann.quotes:
            self.quote(q)
        for n in ann.numbers:
            self.number(n)
        for s in ann.stance:
            self.stance(s)
        return "".join(line + "\n" for line in self.lines)

    def next_id(self, kind: str) -> str:
        self.counter[kind] = self.counter.get(kind, 0) + 1
        return f"{kind}{self.counter[kind]}"

    def t_line(self, ttype: str, spans: list[Any]) -> str:
        ident = self.next_id("T")
        offsets = ";".join(f"{s.start} {s.end}" for s in spans)
        self.lines.append(f"{ident}\t{ttype} {offsets}\t{_safe_text(' '.join(s.text for s in spans))}")
        return ident

    def note_line(self, target: str, note: str) -> None:
        self.lines.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{_safe_text(note)}")

    def person(self, who: Any, nominal_type: str) -> str | None:
        if who.type == "mention":
            return self.mention_t.get(who.mention_id)
        if who.type == "nominal":
            return self.t_line(nominal_type, [who])
        return None

    def entity(self, e: Any) -> None:
        t = self.t_line(e.label, [e])
        self.mention_t[e.id] = t
        self.written[ENTITIES] += 1
        if e.note:
            self.note_line(t, e.note)
        if e.entity_id:
            reg = self.registry.get(e.entity_id)
            name = _safe_text(reg.name) if reg else ""
            self.lines.append(f"{self.next_id('N')}\tReference {t} corpus:{e.entity_id}\t{name}")
            if reg and reg.wikidata:
                self.lines.append(f"{self.next_id('N')}\tReference {t} Wikidata:{reg.wikidata}\t{name}")

    def quote(self, q: Any) -> None:
        content = self.t_line("Quote", q.fragments)
        self.quote_t[q.id] = content
        args = []
        if q.cue:
            args.append(f"Cue:{self.t_line('Cue', [q.cue])}")
        speaker = self.person(q.speaker, "Speaker")
        if speaker:
            args.append(f"Speaker:{speaker}")
        event = self.next_id("E")
        self.lines.append(f"{event}\tQuote:{content}{''.join(' ' + a for a in args)}")
        self.lines.append(f"{self.next_id('A')}\tKind {event} {q.kind}")
        if q.note:
            self.note_line(event, q.note)
        self.written[QUOTES] += 1

    def number(self, n: Any) -> None:
        t = self.t_line(NUMBER_TYPE, [n])
        self.note_line(t, f"{format_value(n.value)} {n.unit or ''}".strip())
        self.lines.append(f"{self.next_id('A')}\tNumberKind {t} {n.kind}")
        self.lines.append(f"{self.next_id('A')}\tQualifier {t} {n.qualifier}")
        self.written[NUMBERS] += 1
        if n.note:
            self.lost.append(f"number {n.id}: note {n.note!r} (the Number's AnnotatorNotes hold its value)")

    def stance(self, s: Any) -> None:
        if s.holder.type in ("entity", "unknown"):
            what = f"registry entity {s.holder.entity_id!r}" if s.holder.type == "entity" else "unknown"
            self.lost.append(f"stance {s.id}: not exported: its holder is {what}, which brat cannot point at")
            return
        holder = self.person(s.holder, "Holder")
        if s.evidence.type == "quote":
            evidence = self.quote_t.get(s.evidence.quote_id)
        else:
            evidence = self.t_line(
                EVIDENCE_TYPE, [Span(start=s.evidence.start, end=s.evidence.end, text=s.evidence.text)]
            )
        if holder is None or evidence is None:
            self.lost.append(f"stance {s.id}: not exported: its holder or evidence is not in the export")
            return
        rel = self.next_id("R")
        self.lines.append(f"{rel}\tStance Arg1:{holder} Arg2:{evidence}")
        self.note_line(rel, f"target={s.target} label={s.label}")
        self.written[STANCE] += 1
        if s.note:
            self.lost.append(f"stance {s.id}: note {s.note!r}")


def _conf(corpus: Corpus) -> str:
    labels = "\n".join(corpus.config.entity_label_names)
    return f"""# Written by corpus_pkg (corpus export brat). Entity labels come from corpus.json;
# Quote/Cue/Speaker/Holder/Number/StanceEvidence carry quotes, numbers and stance.

[entities]

{labels}
Quote
Cue
Speaker
Holder
Number
StanceEvidence

[relations]

Stance	Arg1:<ENTITY>, Arg2:<ENTITY>

[events]

Quote	Cue?:Cue, Speaker?:<ENTITY>

[attributes]

Kind	Arg:<EVENT>, Value:{"|".join(get_args(QuoteKind))}
NumberKind	Arg:Number, Value:{"|".join(get_args(NumberKind))}
Qualifier	Arg:Number, Value:{"|".join(get_args(Qualifier))}
"""
