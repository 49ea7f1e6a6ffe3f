"""Reading brat files: the lines of one ``.ann`` by kind, and the entity types of ``annotation.conf``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...corpus import is_safe_id
from ...schema import Span

_FRAGMENT = re.compile(r"^(\d+) (\d+)$")


@dataclass
class TextBound:
    """A ``T`` line: id, type, fragments (code points of the .txt) and the line itself."""

    id: str
    type: str
    fragments: list[Span]
    line: str
    number: int


@dataclass
class Event:
    id: str
    type: str
    trigger: str
    roles: list[tuple[str, str]]
    line: str
    number: int


@dataclass
class Relation:
    id: str
    type: str
    args: dict[str, str]
    line: str
    number: int


@dataclass
class Attribute:
    id: str
    name: str
    target: str
    value: str | None
    line: str


@dataclass
class Normalization:
    id: str
    target: str
    ref: str
    line: str


@dataclass
class AnnFile:
    """Parsed lines of one .ann file, by kind; ``bad`` holds unreadable lines with the reason."""

    t: dict[str, TextBound] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    norms: list[Normalization] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    note_lines: dict[str, list[str]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)

    def attrs(self, target: str) -> dict[str, str | None]:
        return {a.name: a.value for a in self.attributes if a.target == target}


def parse_ann(ann_text: str, text: str) -> AnnFile:
    """Every line of an .ann file; unreadable lines go to ``bad`` (never raises)."""
    out = AnnFile()
    for number, raw_line in enumerate(ann_text.split("\n"), start=1):
        line = raw_line.rstrip("\r")
        if not line.strip():
            continue
        parts = line.split("\t", 2)  # the text or note after the second tab may itself hold tabs
        ident = parts[0]
        body = parts[1].strip() if len(parts) > 1 else ""
        try:
            _parse_line(out, ident, body, parts, text, line, number)
        except (ValueError, IndexError) as exc:
            out.bad.append((number, f"{line}    ({exc})" if str(exc) else line))
    return out


def _parse_line(out: AnnFile, ident: str, body: str, parts: list[str], text: str, line: str, number: int) -> None:
    kind = ident[:1]
    if kind == "*":
        out.other.append(line)
        return
    if kind in "TER" and not is_safe_id(ident):
        raise ValueError(f"id {ident!r} is not a brat id (a letter and digits)")
    if kind == "T":
        out.t[ident] = parse_text_bound(ident, body, parts[2] if len(parts) > 2 else "", text, line, number)
    elif kind == "E":
        head, *args = body.split()
        etype, _, trigger = head.partition(":")
        roles = [tuple(a.split(":", 1)) for a in args]
        if any(len(r) != 2 for r in roles):
            raise ValueError("event arguments must be Role:Id")
        out.events.append(Event(ident, etype, trigger, [(r[0], r[1]) for r in roles], line, number))
    elif kind == "R":
        rtype, *args = body.split()
        pairs = [a.split(":", 1) for a in args]
        if any(len(p) != 2 for p in pairs):
            raise ValueError("relation arguments must be Arg:Id")
        out.relations.append(Relation(ident, rtype, {p[0]: p[1] for p in pairs}, line, number))
    elif kind in "AM":
        fields = body.split()
        out.attributes.append(Attribute(ident, fields[0], fields[1], fields[2] if len(fields) > 2 else None, line))
    elif kind == "N":
        _ntype, target, ref = body.split()[:3]
        out.norms.append(Normalization(ident, target, ref, line))
    elif kind == "#":
        _ntype, target = body.split()[:2]
        out.notes.setdefault(target, []).append(parts[2] if len(parts) > 2 else "")
        out.note_lines.setdefault(target, []).append(line)
    else:
        out.other.append(line)


def parse_text_bound(ident: str, body: str, surface: str, text: str, line: str, number: int) -> TextBound:
    ttype, _, offsets = body.partition(" ")
    if not ttype:
        raise ValueError("no type")
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
    return TextBound(ident, ttype, fragments, line, number)


def conf_entity_types(conf_text: str) -> list[str]:
    """Entity type names of an annotation.conf ([entities] section; '!' abstract types skipped)."""
    section, out = None, []
    for raw in conf_text.splitlines():
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
