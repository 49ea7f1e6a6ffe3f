"""Merge annotators' passes into gold: what all passes agree on goes in at once; every
disagreement is listed and settled one by one (take one annotator's version, edit it, or reject).

Decisions are kept in ``adjudication/<doc_id>.json`` with who took them, and the gold file is
rebuilt from the passes and the decisions on every call, so it is always what the passes and the
decisions say. Gold is written through :func:`corpus_pkg.annotate.session.save_annotations`: it
is validated before it is written, under the document's write lock. A gold file holding annotations
that did not come from adjudication is not replaced without ``overwrite``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._io import write_json
from .._jsonfile import parse_json
from .._lock import document_lock_name, write_lock
from ..annotate.errors import AnnotationError
from ..annotate.session import save_annotations
from ..corpus import ANNOTATIONS_DIR, Corpus, CorpusError, check_annotator, read_regular_file, sha256_bytes
from ..schema import AnnotationFile
from ..schema.adjudication import AdjudicationRecord, Decision
from .gold import build_gold, choice_for
from .units import Unit, document_units

__all__ = (
    "AdjudicationResult",
    "Disagreement",
    "adjudicate",
    "adjudicate_all",
    "disagreements",
    "resolve",
    "settle",
)

#: ``source`` prefixes of gold items made by adjudication (anything else is hand-made gold).
ADJUDICATED_SOURCES = ("agreed:", "adjudicated:")


@dataclass
class Disagreement:
    """A unit the passes disagree on: each annotator's version and where it stands."""

    unit: str
    layer: str
    text: str  # the text the unit covers (stance: holder and target)
    versions: dict[str, list[dict[str, Any]]]  # annotator -> their items as JSON (empty: they have none)
    status: str  # open | decided | rejected | stale (passes changed since the decision) | blocked
    decision: Decision | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "layer": self.layer,
            "text": self.text,
            "status": self.status,
            "versions": self.versions,
            "decision": self.decision.model_dump(mode="json") if self.decision else None,
            "reason": self.reason,
        }


@dataclass
class AdjudicationResult:
    """One document adjudicated: counts, every disagreement, and whether gold was written."""

    doc_id: str
    path: str
    annotators: list[str]
    units: int = 0
    agreed: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    written: bool = False

    @property
    def open(self) -> list[Disagreement]:
        """Disagreements still to settle (open, stale or blocked)."""
        return [d for d in self.disagreements if d.status in ("open", "stale", "blocked")]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "annotators": self.annotators,
            "units": self.units,
            "agreed": self.agreed,
            "open": len(self.open),
            "written": self.written,
            "disagreements": [d.to_dict() for d in self.disagreements],
        }

    def to_text(self) -> str:
        settled = len(self.disagreements) - len(self.open)
        verb = "wrote" if self.written else "would write"
        lines = [
            f"{self.doc_id}: {self.units} units, {self.agreed} agreed, {settled} settled, {len(self.open)} open; "
            f"{verb} {self.path}"
        ]
        for d in self.disagreements:
            by = (
                f" by {d.decision.by}: {'take ' + d.decision.take if d.decision.take else 'reject'}"
                if d.decision
                else ""
            )
            lines.append(f"  {d.status:8} {d.unit} {d.layer} {d.text!r}{by}" + (f" ({d.reason})" if d.reason else ""))
            for name, items in d.versions.items():
                lines.append(f"           {name}: " + ("; ".join(_describe(d.layer, i) for i in items) or "-"))
        return "\n".join(lines) + "\n"


def _describe(layer: str, item: dict[str, Any]) -> str:
    if layer == "entities":
        return item["label"] + (f" -> {item['entity_id']}" if item.get("entity_id") else "")
    if layer == "numbers":
        return (
            f"{item['value']:g} {item['kind']}"
            + (f" {item['unit']}" if item.get("unit") else "")
            + f" ({item['qualifier']})"
        )
    if layer == "quotes":
        frags = " + ".join(f"[{f['start']}:{f['end']}]" for f in item["fragments"])
        speaker = item["speaker"]
        who = speaker.get("mention_id") or speaker.get("text") or "unknown"
        return f"{item['kind']} {frags} speaker {who}"
    evidence = item["evidence"]
    shows = evidence.get("quote_id") or f"[{evidence['start']}:{evidence['end']}]"
    return f"{item['label']} {item['target']} evidence {shows}"


def _text(raw: str, unit: Unit) -> str:
    if unit.layer == "stance":
        return unit.id.removeprefix("s-")
    text = raw[unit.start : unit.end] if unit.start is not None else ""
    return text if len(text) <= 80 else text[:77] + "..."


def _read_record(corpus: Corpus, doc_id: str, annotators: list[str]) -> tuple[AdjudicationRecord, bool]:
    path = corpus.adjudication_path(doc_id)
    if not path.exists():
        return AdjudicationRecord(doc_id=doc_id, annotators=annotators), False
    try:
        return AdjudicationRecord.model_validate(parse_json(read_regular_file(path)).value), True
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:5])
        raise CorpusError(f"{path}: not a valid adjudication record: {problems}") from None
    except ValueError as exc:
        raise CorpusError(f"{path}: {exc}") from None


def _read_passes(corpus: Corpus, doc_id: str, annotators: list[str], raw_sha: str) -> dict[str, AnnotationFile]:
    passes: dict[str, AnnotationFile] = {}
    errors = []
    for name in annotators:
        path = corpus.pass_path(name, doc_id)
        if not path.is_file():
            errors.append(f"{name} has no pass of {doc_id} ({path} not found)")
            continue
        ann = corpus.read_pass(name, doc_id)
        if ann.raw_sha256 != raw_sha:
            errors.append(f"{path}: made on another raw text; run `corpus reanchor {doc_id} --annotator {name}`")
        passes[name] = ann
    if errors:
        raise CorpusError("; ".join(errors))
    return passes


def _names(annotators: Sequence[str]) -> list[str]:
    names = [check_annotator(n) for n in dict.fromkeys(annotators)]
    if len(names) < 2:
        raise CorpusError(f"adjudication needs at least two annotators' passes (got {', '.join(names) or 'none'})")
    return names


def _decide(unit: Unit, take: str | None, changes: dict[str, Any], by: str) -> Decision:
    """A decision on ``unit``, checked against it and stamped with its fingerprint."""
    if unit.agreed:
        raise AnnotationError(f"unit {unit.id} is agreed by every pass; there is nothing to settle")
    if take is not None:
        if take not in unit.items:
            raise AnnotationError(f"unit {unit.id}: {take!r} is not one of {', '.join(unit.items)}")
        n = len(unit.items[take])
        if n != 1:
            what = "no version (reject the unit instead)" if n == 0 else f"{n} items here (edit the pass first)"
            raise AnnotationError(f"unit {unit.id}: {take} has {what}")
    elif changes:
        raise AnnotationError(f"unit {unit.id}: a rejected unit has no version to change")
    return Decision(take=take, changes=changes, by=by, fingerprint=unit.fingerprint())


def _run(
    root: str | Path,
    doc_id: str,
    annotators: Sequence[str],
    new: dict[str, tuple[str | None, dict[str, Any]]] | None = None,
    by: str | None = None,
    overwrite: bool = False,
    dry_run: bool = False,
) -> AdjudicationResult:
    corpus = Corpus.at(root)
    names = _names(annotators)
    if new and by is None:
        raise AnnotationError("name the adjudicator (by=...) to settle disagreements")
    with write_lock(corpus.root, document_lock_name(doc_id)):
        raw_bytes = read_regular_file(corpus.raw_path(doc_id))
        raw = raw_bytes.decode("utf-8")
        passes = _read_passes(corpus, doc_id, names, sha256_bytes(raw_bytes))
        gold_path = corpus.annotation_path(doc_id)
        gold_bytes = gold_path.read_bytes() if gold_path.is_file() else b""
        base = corpus.read_annotations(doc_id) if gold_bytes else passes[names[0]]
        record, _exists = _read_record(corpus, doc_id, names)
        units = document_units(passes)
        by_id = {u.id: u for u in units}
        for unit_id, (take, changes) in (new or {}).items():
            if unit_id not in by_id:
                open_ids = ", ".join(u.id for u in units if not u.agreed) or "none"
                raise AnnotationError(f"{doc_id}: no unit {unit_id!r}; units in disagreement: {open_ids}")
            record.decisions[unit_id] = _decide(by_id[unit_id], take, changes, by or "")
        record.annotators = names
        hand_made = [i.id for _l, i in base.layer_items() if not (i.source or "").startswith(ADJUDICATED_SOURCES)]
        if gold_bytes and hand_made and not overwrite and not dry_run:
            raise AnnotationError(
                f"{gold_path} holds annotations not made by adjudication ({', '.join(hand_made[:8])}"
                f"{' ...' if len(hand_made) > 8 else ''}); pass overwrite=True (--overwrite) to replace them"
            )
        choices, result = [], AdjudicationResult(doc_id, str(Path(root) / ANNOTATIONS_DIR / gold_path.name), names)
        result.units = len(units)
        for unit in units:
            decision = record.decisions.get(unit.id)
            stale = decision is not None and decision.fingerprint != unit.fingerprint()
            decision_ok = None if stale else decision
            choice = choice_for(unit, names, decision_ok)
            if choice is not None:
                choices.append(choice)
            if unit.agreed:
                result.agreed += 1
                continue
            status = "open" if decision is None else "stale" if decision_ok is None else "decided"
            if status == "decided" and decision_ok is not None and decision_ok.take is None:
                status = "rejected"
            versions = {
                n: [i.model_dump(mode="json", exclude_none=True) for i in items] for n, items in unit.items.items()
            }
            result.disagreements.append(Disagreement(unit.id, unit.layer, _text(raw, unit), versions, status, decision))
        build = build_gold(base, passes, choices)
        for d in result.disagreements:
            if d.unit in build.blocked:
                d.status, d.reason = "blocked", build.blocked[d.unit]
        result.agreed -= sum(1 for u in units if u.agreed and u.id in build.blocked)
        for unit in units:  # an agreed unit can be blocked too (its speaker mention is disputed)
            if unit.agreed and unit.id in build.blocked:
                result.disagreements.append(
                    Disagreement(unit.id, unit.layer, _text(raw, unit), {}, "blocked", None, build.blocked[unit.id])
                )
        save_annotations(corpus.root, build.ann, raw_bytes, dry_run=dry_run, expected=gold_bytes)
        if not dry_run:
            if record.decisions or corpus.adjudication_path(doc_id).exists():
                write_json(corpus.adjudication_path(doc_id), record.model_dump(mode="json"))
            result.written = True
    return result


def adjudicate(
    root: str | Path, doc_id: str, annotators: Sequence[str], overwrite: bool = False, dry_run: bool = False
) -> AdjudicationResult:
    """Write to gold what the passes of ``annotators`` agree on plus what was decided, and list
    every disagreement.

    Example:
        >>> adjudicate("corpus", "doc1", ["ann", "bob"]).open  # doctest: +SKIP
    """
    return _run(root, doc_id, annotators, overwrite=overwrite, dry_run=dry_run)


def disagreements(root: str | Path, doc_id: str, annotators: Sequence[str]) -> list[Disagreement]:
    """The disagreements of ``doc_id``'s passes and where each stands; nothing is written."""
    return _run(root, doc_id, annotators, overwrite=True, dry_run=True).disagreements


def settle(
    root: str | Path,
    doc_id: str,
    annotators: Sequence[str],
    by: str,
    decisions: dict[str, tuple[str | None, dict[str, Any]]],
    overwrite: bool = False,
) -> AdjudicationResult:
    """Settle several disagreements at once (all or none): unit id -> (annotator to take, or None
    to reject; changes to the taken version). ``by`` names the adjudicator. Gold is rebuilt."""
    check_annotator(by)
    return _run(root, doc_id, annotators, decisions, by=by, overwrite=overwrite)


def resolve(
    root: str | Path,
    doc_id: str,
    unit: str,
    annotators: Sequence[str],
    by: str,
    take: str | None,
    changes: dict[str, Any] | None = None,
    overwrite: bool = False,
) -> AdjudicationResult:
    """Settle one disagreement: ``take`` an annotator's version (with ``changes`` to its editable
    fields) or, with ``take=None``, reject the unit; ``by`` names the adjudicator. Gold is rebuilt.

    Example:
        >>> resolve("corpus", "doc1", "e12-20", ["ann", "bob"], by="lead", take="bob")  # doctest: +SKIP
    """
    return settle(root, doc_id, annotators, by, {unit: (take, changes or {})}, overwrite=overwrite)


def adjudicate_all(
    root: str | Path, annotators: Sequence[str], overwrite: bool = False, dry_run: bool = False
) -> list[AdjudicationResult]:
    """:func:`adjudicate` every document that each of ``annotators`` has a pass of."""
    corpus = Corpus.at(root)
    names = _names(annotators)
    common = set(corpus.pass_doc_ids(names[0]))
    for name in names[1:]:
        common &= set(corpus.pass_doc_ids(name))
    if not common:
        raise CorpusError(f"no document has a pass by each of {', '.join(names)}")
    return [adjudicate(root, doc_id, names, overwrite=overwrite, dry_run=dry_run) for doc_id in sorted(common)]
