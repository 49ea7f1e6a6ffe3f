"""Inter-annotator agreement between two passes of annotation files with the same doc ids.

Usage: python scripts/agreement.py PASS_A_DIR PASS_B_DIR [--doc ID ...] [--per-doc] [--json]

Each folder holds ``<doc_id>.json`` annotation files (or a corpus root with ``annotations/``). Pass A is
the reference: precision = matched / items in B, recall = matched / items in A. Matching is exact on
code-point offsets. Per layer:

- segments: span (start, end); label agreement = same ``kind``.
- entities: span; label agreement = same ``label`` on matched spans; ``label_f1`` = F1 on span+label;
  link agreement = same ``entity_id`` on matched spans.
- quotes: the set of fragment spans; label agreement = same ``kind``; speaker agreement = same speaker
  (mention compared by its span, nominal by its span).
- numbers: span; value agreement on matched spans; label agreement = same ``kind``.
- stance: the pair (holder, target), holder = registry entity id of a linked mention or entity holder,
  else the lower-cased holder text; label agreement = same favor/against/neutral; evidence agreement =
  same evidence (a quote compared by its fragment spans, a span by its offsets).

Metadata (title, outlet, authors, published, url) is not scored; fields that differ are listed.

Example: python scripts/agreement.py annotations docs/agreement/pass2
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from corpus_pkg.schema import AnnotationFile, Quote, Stance

LAYERS = ("segments", "entities", "quotes", "numbers", "stance")


class AgreementError(ValueError):
    """A pass folder or file cannot be compared (missing, unreadable, different raw text)."""


@dataclass
class LayerAgreement:
    """Counts for one layer, summed over documents; the scores are derived from them."""

    layer: str
    n_a: int = 0
    n_b: int = 0
    matched: int = 0
    label_same: int = 0
    extra_same: int = 0
    extra_name: str | None = None

    @property
    def precision(self) -> float:
        return self.matched / self.n_b if self.n_b else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.n_a if self.n_a else 0.0

    @property
    def f1(self) -> float:
        return _f1(self.matched, self.n_a, self.n_b)

    @property
    def label_agreement(self) -> float | None:
        """Share of matched items with the same label; None when nothing matched."""
        return self.label_same / self.matched if self.matched else None

    @property
    def label_f1(self) -> float:
        """F1 where an item counts as matched only if span *and* label agree."""
        return _f1(self.label_same, self.n_a, self.n_b)

    @property
    def extra_agreement(self) -> float | None:
        """Share of matched items that agree on the layer's extra attribute (link, speaker, value)."""
        return self.extra_same / self.matched if self.matched and self.extra_name else None

    def add(self, other: LayerAgreement) -> None:
        self.n_a += other.n_a
        self.n_b += other.n_b
        self.matched += other.matched
        self.label_same += other.label_same
        self.extra_same += other.extra_same

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in ("precision", "recall", "f1", "label_agreement", "label_f1", "extra_agreement"):
            data[name] = getattr(self, name)
        return data


@dataclass
class AgreementReport:
    """Agreement of two passes: per layer totals and per document details."""

    doc_ids: list[str]
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)
    layers: dict[str, LayerAgreement] = field(default_factory=dict)
    per_doc: dict[str, dict[str, LayerAgreement]] = field(default_factory=dict)
    meta_diffs: dict[str, dict[str, tuple[object, object]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "doc_ids": self.doc_ids,
            "only_in_a": self.only_in_a,
            "only_in_b": self.only_in_b,
            "layers": {k: v.to_dict() for k, v in self.layers.items()},
            "per_doc": {d: {k: v.to_dict() for k, v in layers.items()} for d, layers in self.per_doc.items()},
            "meta_diffs": {d: {k: list(v) for k, v in diffs.items()} for d, diffs in self.meta_diffs.items()},
        }


def _f1(matched: int, n_a: int, n_b: int) -> float:
    return 2 * matched / (n_a + n_b) if n_a + n_b else 0.0


def _match(
    layer: str,
    a: dict[Hashable, tuple[Hashable, Hashable]],
    b: dict[Hashable, tuple[Hashable, Hashable]],
    extra_name: str | None = None,
) -> LayerAgreement:
    """Compare two keyed item sets: key -> (label, extra attribute)."""
    result = LayerAgreement(layer, n_a=len(a), n_b=len(b), extra_name=extra_name)
    for key in a.keys() & b.keys():
        result.matched += 1
        result.label_same += a[key][0] == b[key][0]
        result.extra_same += a[key][1] == b[key][1]
    return result


def _keyed(items: Iterable[tuple[Hashable, Hashable, Hashable]]) -> dict[Hashable, tuple[Hashable, Hashable]]:
    """key -> (label, extra); a key annotated twice in one pass counts once (the first one)."""
    out: dict[Hashable, tuple[Hashable, Hashable]] = {}
    for key, label, extra in items:
        out.setdefault(key, (label, extra))
    return out


def _speaker_key(ann: AnnotationFile, quote: Quote) -> Hashable:
    speaker = quote.speaker
    if speaker.type == "mention":
        mention = next((e for e in ann.entities if e.id == speaker.mention_id), None)
        return ("span", mention.start, mention.end) if mention else ("missing", speaker.mention_id)
    if speaker.type == "nominal":
        return ("span", speaker.start, speaker.end)
    return ("unknown",)


def _holder_key(ann: AnnotationFile, stance: Stance) -> Hashable:
    holder = stance.holder
    if holder.type == "entity":
        return holder.entity_id
    if holder.type == "mention":
        mention = next((e for e in ann.entities if e.id == holder.mention_id), None)
        if mention is None:
            return ("missing", holder.mention_id)
        return mention.entity_id or mention.text.lower()
    return holder.text.lower()


def _evidence_key(ann: AnnotationFile, stance: Stance) -> Hashable:
    evidence = stance.evidence
    if evidence.type == "span":
        return ("span", evidence.start, evidence.end)
    quote = next((q for q in ann.quotes if q.id == evidence.quote_id), None)
    if quote is None:
        return ("missing", evidence.quote_id)
    return ("quote", frozenset((f.start, f.end) for f in quote.fragments))


def meta_differences(a: AnnotationFile, b: AnnotationFile) -> dict[str, tuple[object, object]]:
    """Metadata fields whose values differ between the passes: field -> (value in A, value in B)."""
    da, db = a.meta.model_dump(mode="json"), b.meta.model_dump(mode="json")
    return {key: (da[key], db[key]) for key in da if da[key] != db[key]}


def compare_annotations(a: AnnotationFile, b: AnnotationFile) -> dict[str, LayerAgreement]:
    """Agreement of two annotation files of the same document, per layer."""
    if a.raw_sha256 != b.raw_sha256:
        raise AgreementError(
            f"{a.doc_id}: the passes were made on different raw texts (raw_sha256 {a.raw_sha256[:12]}... vs "
            f"{b.raw_sha256[:12]}...); offsets cannot be compared"
        )

    def segments(ann: AnnotationFile):
        return _keyed(((s.start, s.end), s.kind, None) for s in ann.segments)

    def entities(ann: AnnotationFile):
        return _keyed(((e.start, e.end), e.label, e.entity_id) for e in ann.entities)

    def quotes(ann: AnnotationFile):
        return _keyed(
            (frozenset((f.start, f.end) for f in q.fragments), q.kind, _speaker_key(ann, q)) for q in ann.quotes
        )

    def numbers(ann: AnnotationFile):
        return _keyed(((n.start, n.end), n.kind, n.value) for n in ann.numbers)

    def stance(ann: AnnotationFile):
        return _keyed(((_holder_key(ann, s), s.target), s.label, _evidence_key(ann, s)) for s in ann.stance)

    return {
        "segments": _match("segments", segments(a), segments(b)),
        "entities": _match("entities", entities(a), entities(b), "entity_id"),
        "quotes": _match("quotes", quotes(a), quotes(b), "speaker"),
        "numbers": _match("numbers", numbers(a), numbers(b), "value"),
        "stance": _match("stance", stance(a), stance(b), "evidence"),
    }


def _annotation_dir(folder: Path) -> Path:
    if not folder.is_dir():
        raise AgreementError(f"{folder}: not a folder (expected a folder of <doc_id>.json annotation files)")
    sub = folder / "annotations"
    return sub if sub.is_dir() else folder


def _load(path: Path) -> AnnotationFile:
    try:
        return AnnotationFile.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AgreementError(f"{path}: not a valid annotation file at {where or '(root)'}: {first['msg']}") from None


def compare_dirs(pass_a: Path, pass_b: Path, doc_ids: list[str] | None = None) -> AgreementReport:
    """Agreement of two folders of annotation files; documents present in both are compared."""
    dir_a, dir_b = _annotation_dir(Path(pass_a)), _annotation_dir(Path(pass_b))
    ids_a = {p.stem for p in dir_a.glob("*.json")}
    ids_b = {p.stem for p in dir_b.glob("*.json")}
    if doc_ids:
        missing = sorted(d for d in doc_ids if d not in ids_a or d not in ids_b)
        if missing:
            raise AgreementError(f"documents not in both passes: {', '.join(missing)}")
        common = sorted(doc_ids)
    else:
        common = sorted(ids_a & ids_b)
    if not common:
        raise AgreementError(f"{dir_a} and {dir_b} have no <doc_id>.json file in common")
    report = AgreementReport(doc_ids=common, only_in_a=sorted(ids_a - ids_b), only_in_b=sorted(ids_b - ids_a))
    report.layers = {layer: LayerAgreement(layer) for layer in LAYERS}
    for doc_id in common:
        ann_a, ann_b = _load(dir_a / f"{doc_id}.json"), _load(dir_b / f"{doc_id}.json")
        per_layer = compare_annotations(ann_a, ann_b)
        report.per_doc[doc_id] = per_layer
        diffs = meta_differences(ann_a, ann_b)
        if diffs:
            report.meta_diffs[doc_id] = diffs
        for layer, counts in per_layer.items():
            report.layers[layer].extra_name = counts.extra_name
            report.layers[layer].add(counts)
    return report


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def markdown_table(layers: dict[str, LayerAgreement]) -> str:
    """One Markdown row per layer."""
    lines = [
        "| layer | A | B | matched | precision | recall | F1 | label agreement | F1 span+label | other agreement |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for la in layers.values():
        other = f"{la.extra_name}: {_fmt(la.extra_agreement)}" if la.extra_name else "–"
        lines.append(
            f"| {la.layer} | {la.n_a} | {la.n_b} | {la.matched} | {_fmt(la.precision)} | {_fmt(la.recall)} | "
            f"{_fmt(la.f1)} | {_fmt(la.label_agreement)} | {_fmt(la.label_f1)} | {other} |"
        )
    return "\n".join(lines)


def render_markdown(report: AgreementReport, per_doc: bool = False) -> str:
    """The report as Markdown: totals table, optional per-document tables."""
    out = [f"Documents compared: {', '.join(report.doc_ids)}", "", markdown_table(report.layers)]
    if report.only_in_a or report.only_in_b:
        out += ["", f"Only in A: {', '.join(report.only_in_a) or '-'}; only in B: {', '.join(report.only_in_b) or '-'}"]
    for doc_id, diffs in report.meta_diffs.items():
        for key, (value_a, value_b) in diffs.items():
            out += ["", f"Metadata differs: {doc_id} {key}: A {value_a!r}, B {value_b!r}"]
    if per_doc:
        for doc_id, layers in report.per_doc.items():
            out += ["", f"### {doc_id}", "", markdown_table(layers)]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pass_a", type=Path, help="reference pass: folder of <doc_id>.json (or a corpus root)")
    parser.add_argument("pass_b", type=Path, help="compared pass: folder of <doc_id>.json (or a corpus root)")
    parser.add_argument("--doc", action="append", dest="docs", help="compare only this doc id (repeatable)")
    parser.add_argument("--per-doc", action="store_true", help="also print one table per document")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = compare_dirs(args.pass_a, args.pass_b, args.docs)
    except AgreementError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, sort_keys=True))
    else:
        print(render_markdown(report, per_doc=args.per_doc), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
