"""brat standoff: ``<doc>.txt`` + ``<doc>.ann`` pairs and ``annotation.conf``.

Import: ``T`` lines of entity types -> entity mentions; attribution events (PolNeAR's
``E Attribution:T Content:T Cue:T Source:T`` and our own ``E Quote:T Cue:T Speaker:T``) -> quotes;
``T Number`` + ``#`` AnnotatorNotes ``"<value> [unit]"`` -> numbers; ``R Stance`` + a
``target=<id> label=<favor|against|neutral>`` note -> stance; ``N`` lines -> registry links when
the reference names a registry id (``corpus:<id>``) or its Wikidata QID, else kept in ``note``.
Everything else (other events and relations, ``*`` equivalences, unused attributes,
discontinuous entities) is reported as a ``not-representable`` warning listing the lines.

brat offsets are code points of the ``.txt`` (end exclusive); discontinuous spans are
``start end;start end`` and their text is the fragments joined by one space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_write_bytes, atomic_write_text
from ..corpus import Corpus, CorpusError
from ..schema import Document, EntityMention, NumberMention, Quote, Span, Stance
from ._common import ImportBatch, ReadContext, decode, format_value, guess_quote_kind, new_document, safe_doc_id
from ._report import ConvertReport

#: brat types that carry our other layers; they never become entity labels.
QUOTE_EVENT_TYPES = {"Attribution", "Quote"}
CONTENT_TYPES = {"Content", "Quote"}
CUE_TYPES = {"Cue"}
NOMINAL_TYPES = {"Source", "Speaker", "Holder"}
NUMBER_TYPE = "Number"
EVIDENCE_TYPE = "StanceEvidence"
RESERVED_TYPES = CONTENT_TYPES | CUE_TYPES | NOMINAL_TYPES | {"Attribution", NUMBER_TYPE, EVIDENCE_TYPE}
NUMBER_KINDS = ("count", "money", "percent", "year", "date", "duration", "age", "ordinal", "rate", "other")
QUALIFIERS = ("exact", "approximate", "lower_bound", "upper_bound")

_FRAGMENT = re.compile(r"^(\d+) (\d+)$")


@dataclass
class _T:
    id: str
    type: str
    fragments: list[Span]
    line: str


@dataclass
class _Ann:
    """Parsed lines of one .ann file, by kind."""

    t: dict[str, _T] = field(default_factory=dict)
    events: list[tuple[str, str, str, list[tuple[str, str]], str]] = field(default_factory=list)
    relations: list[tuple[str, str, dict[str, str], str]] = field(default_factory=list)
    attributes: list[tuple[str, str, str, str | None, str]] = field(default_factory=list)
    norms: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, target, ref, line
    notes: dict[str, list[str]] = field(default_factory=dict)
    note_lines: dict[str, list[str]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------- import


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read one ``.ann`` file or every ``.ann`` in a folder (each needs its ``.txt`` beside it)."""
    path = Path(path)
    if path.is_dir():
        anns = sorted(path.glob("*.ann"))
        folder = path
        if not anns:
            raise CorpusError(f"{path}: no .ann files found")
    elif path.suffix in (".ann", ".txt"):
        anns = [path.with_suffix(".ann")]
        folder = path.parent
    else:
        raise CorpusError(f"{path}: expected a folder, a .ann or a .txt file")
    batch = ImportBatch()
    conf = folder / "annotation.conf"
    if conf.is_file():
        batch.declared_labels = [t for t in read_conf_entities(conf) if t not in RESERVED_TYPES]
    for ann_path in anns:
        batch.documents.append(_read_pair(ann_path, ctx, batch.stance_targets))
    return batch


def read_conf_entities(conf: Path) -> list[str]:
    """Entity type names of an annotation.conf ([entities] section; '!' abstract types skipped)."""
    section, out = None, []
    for raw in conf.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.strip().startswith("[") and line.strip().endswith("]"):
            section = line.strip()[1:-1].strip()
            continue
        if section == "entities":
            name = line.strip().split()[0]
            if not name.startswith("!") and not name.startswith("<") and name not in out:
                out.append(name)
    return out


def _read_pair(ann_path: Path, ctx: ReadContext, targets: list[str]) -> Document:
    txt_path = ann_path.with_suffix(".txt")
    if not txt_path.is_file():
        raise CorpusError(f"{ann_path}: no text file {txt_path.name} beside it")
    if not ann_path.is_file():
        raise CorpusError(f"{ann_path}: no annotation file beside {txt_path.name}")
    text = decode(txt_path.read_bytes(), txt_path, ctx.encoding, strip_bom=False)  # offsets count every character
    ann_text = decode(ann_path.read_bytes(), ann_path, ctx.encoding)
    if ctx.encoding and ctx.encoding.replace("-", "").replace("_", "").lower() != "utf8":
        ctx.report.warn("reencoded", f"text decoded as {ctx.encoding} and stored as UTF-8", file=txt_path.name)
    doc_id = ctx.options.get("id_prefix", "") + safe_doc_id(ann_path.stem)
    doc = new_document(doc_id, text)
    parsed = _parse(ann_text, text, ann_path.name, doc_id, ctx.report)
    _map(parsed, doc, ann_path.name, ctx, targets)
    return doc


def _parse(ann_text: str, text: str, file: str, doc_id: str, report: ConvertReport) -> _Ann:
    out = _Ann()
    bad: list[str] = []
    for raw_line in ann_text.split("\n"):
        line = raw_line.rstrip("\r")
        if not line.strip():
            continue
        parts = line.split("\t", 2)  # the text or note after the second tab may itself hold tabs
        ident = parts[0]
        body = parts[1].strip() if len(parts) > 1 else ""
        try:
            kind = ident[:1]
            if kind == "T":
                t = _parse_t(ident, body, parts[2] if len(parts) > 2 else "", text, line)
                out.t[ident] = t
            elif kind == "E":
                head, *args = body.split()
                etype, _, trigger = head.partition(":")
                roles = [tuple(a.split(":", 1)) for a in args]
                out.events.append((ident, etype, trigger, [(r, v) for r, v in roles], line))
            elif kind == "R":
                rtype, *args = body.split()
                out.relations.append((ident, rtype, dict(a.split(":", 1) for a in args), line))
            elif kind in "AM":
                fields = body.split()
                out.attributes.append((ident, fields[0], fields[1], fields[2] if len(fields) > 2 else None, line))
            elif kind == "N":
                _ntype, target, ref = body.split()[:3]
                out.norms.append((ident, target, ref, line))
            elif kind == "#":
                _ntype, target = body.split()[:2]
                note = parts[2] if len(parts) > 2 else ""
                out.notes.setdefault(target, []).append(note)
                out.note_lines.setdefault(target, []).append(line)
            else:  # '*' equivalences and anything unknown
                out.other.append(line)
        except (ValueError, IndexError) as exc:
            bad.append(f"{line}    ({exc})" if str(exc) else line)
    if bad:
        report.warn(
            "offset-mismatch",
            f"{len(bad)} line(s) could not be read and were skipped",
            file=file,
            doc_id=doc_id,
            lines=bad,
        )
    return out


def _parse_t(ident: str, body: str, surface: str, text: str, line: str) -> _T:
    ttype, _, offsets = body.partition(" ")
    fragments: list[Span] = []
    for frag in offsets.split(";"):
        m = _FRAGMENT.match(frag.strip())
        if not m:
            raise ValueError(f"bad offsets {frag!r}")
        start, end = int(m.group(1)), int(m.group(2))
        if not 0 <= start < end <= len(text):
            raise ValueError(f"offsets {start} {end} are not a range inside the text ({len(text)} code points)")
        fragments.append(Span(start=start, end=end, text=text[start:end]))
    joined = " ".join(f.text for f in fragments)
    if " ".join(joined.split()) != " ".join(surface.split()):
        raise ValueError(
            f"text[{fragments[0].start}:{fragments[-1].end}] is {joined[:60]!r}, the line says {surface[:60]!r}"
        )
    return _T(ident, ttype, fragments, line)


def _map(a: _Ann, doc: Document, file: str, ctx: ReadContext, targets: list[str]) -> None:
    report, doc_id = ctx.report, doc.doc_id
    ann = doc.annotations
    consumed: set[str] = set()  # T ids turned into something other than an entity
    unrepresented: list[str] = []
    used_attrs: set[str] = set()
    used_notes: set[str] = set()
    attrs: dict[str, dict[str, str | None]] = {}
    for _ident, name, target, value, _line in a.attributes:
        attrs.setdefault(target, {})[name] = value
    attr_ids = {(target, name): ident for ident, name, target, _v, _l in a.attributes}

    def note_of(target: str) -> str | None:
        if target in a.notes:
            used_notes.add(target)
            return "; ".join(a.notes[target])
        return None

    def speaker_for(t_id: str | None) -> dict:
        if t_id and t_id not in a.t:
            unrepresented.append(f"(speaker/holder {t_id} is not a text-bound annotation; set to unknown)")
        if not t_id or t_id not in a.t:
            return {"type": "unknown"}
        t = a.t[t_id]
        if t.type in NOMINAL_TYPES:
            consumed.add(t_id)
            f = _cover(t, doc.text, unrepresented)
            return {"type": "nominal", "start": f.start, "end": f.end, "text": f.text}
        return {"type": "mention", "mention_id": t_id}

    # Quotes: attribution events.
    quote_by_content: dict[str, str] = {}
    guessed: list[str] = []
    for ident, etype, trigger, args, line in a.events:
        if etype not in QUOTE_EVENT_TYPES:
            unrepresented.append(line)
            if trigger in a.t:
                consumed.add(trigger)
                unrepresented.append(a.t[trigger].line)
            continue
        roles = dict(args)
        content_id = roles.get("Content") or (trigger if a.t.get(trigger) and a.t[trigger].type == "Quote" else None)
        if not content_id or content_id not in a.t:
            unrepresented.append(line)
            continue
        content = a.t[content_id]
        cue_t = a.t.get(roles.get("Cue", ""))
        consumed.update({trigger, content_id} | ({cue_t.id} if cue_t else set()))
        kind = (attrs.get(ident, {}).get("Kind") or attrs.get(content_id, {}).get("Kind") or "").lower()
        for key in ((ident, "Kind"), (content_id, "Kind")):
            if key in attr_ids:
                used_attrs.add(attr_ids[key])
        if kind not in ("direct", "indirect", "mixed"):
            kind = guess_quote_kind(" ".join(f.text for f in content.fragments))
            guessed.append(f"{line}    -> {kind}")
        extra = [f"{r}:{v}" for r, v in args if r not in ("Content", "Cue", "Source", "Speaker")]
        if extra:
            unrepresented.append(f"{line}    (roles {' '.join(extra)} not kept)")
        note = note_of(ident) or note_of(content_id)
        quote = Quote(
            id=ident,
            origin="imported",
            source=f"brat:{ident}",
            note=note,
            kind=kind,
            fragments=content.fragments,
            cue=_cover(cue_t, doc.text, unrepresented) if cue_t else None,
            speaker=speaker_for(roles.get("Source") or roles.get("Speaker")),
        )
        ann.quotes.append(quote)
        quote_by_content[content_id] = ident

    # Stance: R Stance Arg1:holder Arg2:evidence with a "target=... label=..." note.
    for ident, rtype, args, line in a.relations:
        if rtype != "Stance":
            unrepresented.append(line)
            continue
        fields = dict(re.findall(r"(\w+)=(\S+)", note_of(ident) or ""))
        holder_t, ev_t = a.t.get(args.get("Arg1", "")), a.t.get(args.get("Arg2", ""))
        if (
            holder_t is None
            or ev_t is None
            or "target" not in fields
            or fields.get("label")
            not in (
                "favor",
                "against",
                "neutral",
            )
        ):
            unrepresented.append(f"{line}    (needs Arg1, Arg2 and a 'target=<id> label=<favor|against|neutral>' note)")
            continue
        if ev_t.id in quote_by_content:
            evidence: dict = {"type": "quote", "quote_id": quote_by_content[ev_t.id]}
        else:
            consumed.add(ev_t.id)
            f = _cover(ev_t, doc.text, unrepresented)
            evidence = {"type": "span", "start": f.start, "end": f.end, "text": f.text}
        holder = speaker_for(holder_t.id)
        ann.stance.append(
            Stance(
                id=ident,
                origin="imported",
                source=f"brat:{ident}",
                holder=holder,
                target=fields["target"],
                label=fields["label"],
                evidence=evidence,
            )
        )
        targets.append(fields["target"])

    # Numbers.
    for t in a.t.values():
        if t.type != NUMBER_TYPE or t.id in consumed:
            continue
        consumed.add(t.id)
        note = note_of(t.id) or ""
        m = re.match(r"^\s*(-?[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*(.*)$", note)
        span = _cover(t, doc.text, unrepresented)
        if not m:
            unrepresented.append(f"{t.line}    (a Number needs an AnnotatorNotes '<value> [unit]' note)")
            continue
        kind = (attrs.get(t.id, {}).get("NumberKind") or "other").lower()
        qualifier = (attrs.get(t.id, {}).get("Qualifier") or "exact").lower()
        for key in ((t.id, "NumberKind"), (t.id, "Qualifier")):
            if key in attr_ids:
                used_attrs.add(attr_ids[key])
        ann.numbers.append(
            NumberMention(
                id=t.id,
                origin="imported",
                source=f"brat:{t.id}",
                start=span.start,
                end=span.end,
                text=span.text,
                value=float(m.group(1)),
                kind=kind if kind in NUMBER_KINDS else "other",
                unit=m.group(2).strip() or None,
                qualifier=qualifier if qualifier in QUALIFIERS else "exact",
            )
        )

    # Entities: every remaining text-bound annotation.
    links = _resolve_norms(a, ctx)
    for t in a.t.values():
        if t.id in consumed:
            continue
        if t.type in RESERVED_TYPES:
            unrepresented.append(f"{t.line}    ({t.type} not used by any event or relation)")
            continue
        if len(t.fragments) > 1:
            unrepresented.append(f"{t.line}    (discontinuous entity mentions are not supported)")
            continue
        f = t.fragments[0]
        entity_id, norm_note = links.get(t.id, (None, None))
        notes = [n for n in (note_of(t.id), norm_note) if n]
        ann.entities.append(
            EntityMention(
                id=t.id,
                origin="imported",
                source=f"brat:{t.id}",
                note="; ".join(notes) or None,
                start=f.start,
                end=f.end,
                text=f.text,
                label=t.type,
                entity_id=entity_id,
            )
        )
    unrepresented.extend(line for ident, _n, _t, _v, line in a.attributes if ident not in used_attrs)
    for target, lines in a.note_lines.items():
        if target not in used_notes:
            unrepresented.extend(lines)
    unrepresented.extend(a.other)
    if unrepresented:
        report.warn(
            "not-representable",
            f"{len(unrepresented)} line(s) have no place in the corpus schema and were not imported",
            file=file,
            doc_id=doc_id,
            lines=unrepresented,
        )
    if guessed:
        report.warn(
            "quote-kind-guessed",
            f"{len(guessed)} quote(s) have no Kind attribute; kind guessed from quotation marks",
            file=file,
            doc_id=doc_id,
            lines=guessed,
        )
    kept = [line for _i, _t, ref, line in a.norms if links_kept_in_note(line, links)]
    if kept:
        report.warn(
            "normalization-kept-in-note",
            f"{len(kept)} normalization(s) name no registry entity; kept in the mention's note",
            file=file,
            doc_id=doc_id,
            lines=kept,
        )


def links_kept_in_note(line: str, links: dict[str, tuple[str | None, str | None]]) -> bool:
    target = line.split("\t")[1].split()[1]
    entity_id, note = links.get(target, (None, None))
    return entity_id is None and note is not None


def _resolve_norms(a: _Ann, ctx: ReadContext) -> dict[str, tuple[str | None, str | None]]:
    """T id -> (registry entity id or None, note text for references that resolve to nothing)."""
    by_id = {e.id: e.id for e in ctx.registry.entities}
    by_qid = {e.wikidata: e.id for e in ctx.registry.entities if e.wikidata}
    out: dict[str, tuple[str | None, str | None]] = {}
    pending: dict[str, list[str]] = {}
    for _ident, target, ref, line in a.norms:
        db, _, key = ref.partition(":")
        found = by_id.get(key) if db == "corpus" else by_qid.get(key) if db.lower() == "wikidata" else None
        if found:
            out[target] = (found, None)
        else:
            name = line.split("\t")[2] if line.count("\t") >= 2 else ""
            pending.setdefault(target, []).append(f"{ref} {name}".strip())
    for target, refs in pending.items():
        if target not in out:
            out[target] = (None, "normalization: " + "; ".join(refs))
    return out


def _cover(t: Any, text: str, notes: list[str]) -> Span:
    """The one span covering all fragments of text-bound annotation ``t`` (for slots that take a
    single span). Covering a gap widens the span, so that case is reported in ``notes``."""
    fragments = t.fragments
    start, end = fragments[0].start, fragments[-1].end
    if len(fragments) > 1:
        notes.append(f"{t.line}    (discontinuous; widened to the single span [{start}, {end}) it needs)")
    return Span(start=start, end=end, text=text[start:end])


# ---------------------------------------------------------------------------------------- export


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write ``<doc_id>.txt`` (byte-exact copy), ``<doc_id>.ann`` and one ``annotation.conf``."""
    for doc in docs:
        txt = out / f"{doc.doc_id}.txt"
        atomic_write_bytes(txt, corpus.raw_path(doc.doc_id).read_bytes())
        ann = out / f"{doc.doc_id}.ann"
        atomic_write_text(ann, _ann_lines(doc, corpus, report))
        report.files.extend([txt.name, ann.name])
    conf = out / "annotation.conf"
    atomic_write_text(conf, _conf(corpus))
    report.files.append(conf.name)


def _safe_text(text: str) -> str:
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _ann_lines(doc: Document, corpus: Corpus, report: ConvertReport) -> str:
    ann = doc.annotations
    lines: list[str] = []
    counter = {"T": 0, "E": 0, "R": 0, "A": 0, "N": 0, "#": 0}
    lost: list[str] = []

    def next_id(kind: str) -> str:
        counter[kind] += 1
        return f"{kind}{counter[kind]}"

    def t_line(ttype: str, spans: list[Span]) -> str:
        ident = next_id("T")
        offsets = ";".join(f"{s.start} {s.end}" for s in spans)
        lines.append(f"{ident}\t{ttype} {offsets}\t{_safe_text(' '.join(s.text for s in spans))}")
        return ident

    def note_line(target: str, note: str) -> None:
        lines.append(f"{next_id('#')}\tAnnotatorNotes {target}\t{_safe_text(note)}")

    registry = {e.id: e for e in corpus.registry.entities}
    mention_t: dict[str, str] = {}
    for e in ann.entities:
        t = t_line(e.label, [e])
        mention_t[e.id] = t
        if e.note:
            note_line(t, e.note)
        if e.entity_id:
            reg = registry.get(e.entity_id)
            name = _safe_text(reg.name) if reg else ""
            lines.append(f"{next_id('N')}\tReference {t} corpus:{e.entity_id}\t{name}")
            if reg and reg.wikidata:
                lines.append(f"{next_id('N')}\tReference {t} Wikidata:{reg.wikidata}\t{name}")

    def speaker_t(speaker, nominal_type: str) -> str | None:
        if speaker.type == "mention":
            return mention_t.get(speaker.mention_id)
        if speaker.type == "nominal":
            return t_line(nominal_type, [speaker])
        return None

    quote_t: dict[str, str] = {}
    for q in ann.quotes:
        content = t_line("Quote", q.fragments)
        quote_t[q.id] = content
        args = []
        if q.cue:
            args.append(f"Cue:{t_line('Cue', [q.cue])}")
        spk = speaker_t(q.speaker, "Speaker")
        if spk:
            args.append(f"Speaker:{spk}")
        event = next_id("E")
        lines.append(f"{event}\tQuote:{content}{''.join(' ' + a for a in args)}")
        lines.append(f"{next_id('A')}\tKind {event} {q.kind}")
        if q.note:
            note_line(event, q.note)
    for n in ann.numbers:
        t = t_line(NUMBER_TYPE, [n])
        note_line(t, f"{format_value(n.value)} {n.unit or ''}".strip())
        lines.append(f"{next_id('A')}\tNumberKind {t} {n.kind}")
        lines.append(f"{next_id('A')}\tQualifier {t} {n.qualifier}")
        if n.note:
            lost.append(f"number {n.id}: note {n.note!r} (the Number's AnnotatorNotes hold its value)")
    for s in ann.stance:
        if s.holder.type == "entity":
            lost.append(f"stance {s.id}: holder is registry entity {s.holder.entity_id!r}, which brat cannot point at")
            continue
        holder = speaker_t(s.holder, "Holder")
        if s.evidence.type == "quote":
            evidence = quote_t.get(s.evidence.quote_id)
        else:
            evidence = t_line(EVIDENCE_TYPE, [s.evidence])
        rel = next_id("R")
        lines.append(f"{rel}\tStance Arg1:{holder} Arg2:{evidence}")
        note_line(rel, f"target={s.target} label={s.label}")
        if s.note:
            lost.append(f"stance {s.id}: note {s.note!r}")
    if lost:
        report.warn("not-exported", "brat has no place for these", doc_id=doc.doc_id, lines=lost)
    return "".join(line + "\n" for line in lines)


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

Kind	Arg:<EVENT>, Value:direct|indirect|mixed
NumberKind	Arg:Number, Value:{"|".join(NUMBER_KINDS)}
Qualifier	Arg:Number, Value:{"|".join(QUALIFIERS)}
"""
