"""Agreement of two passes (``compare_passes``) or of several annotators pairwise
(``compare_annotators``), as JSON-ready dicts and text tables.

Pass A is the reference: precision is over B's items, recall over A's. The figures of each layer
(see :mod:`corpus_pkg.agree.matching` for what matches):

- entities: ``f1`` (span and label), ``span_f1``, ``kappa`` and ``label_agreement`` (labels of
  span-matched mentions), ``link_agreement`` (same registry id, or both unlinked, on span-matched
  mentions), ``alpha`` (Krippendorff, nominal, over the tokens of the title/body: each token's
  value is the label of the mention covering it, or O).
- quotes: ``f1`` (overlapping fragments), ``exact_f1`` (identical fragment sets),
  ``kind_agreement``/``kind_kappa`` and ``speaker_agreement`` on overlapping pairs, ``alpha``
  over tokens (the kind of the quote covering the token, or O).
- numbers: ``f1`` (span and value), ``span_f1``, ``value_agreement``, ``kind_agreement`` and
  ``kind_kappa`` on span-matched numbers.
- stance: ``f1`` (holder, target and label), ``pair_f1`` (holder and target), ``kappa``,
  ``alpha`` and ``label_agreement`` on the labels of pair-matched rows, ``evidence_agreement``.

Every layer also has ``per_label``: per label (entity label, quote kind, number kind, stance
label) the items of A and B with it and the strict matches where both have it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from ..schema import AnnotationFile
from .matching import LAYERS, Tally, compare_documents, holder_key, token_bounds, token_values
from .metrics import cohen_kappa, f1, krippendorff_alpha, precision, recall, share
from .passes import AgreementError, PassSource, annotator_pass, folder_pass

__all__ = ("AgreementReport", "MatrixReport", "compare_annotators", "compare_passes", "layer_figures")


def _alpha_of_pairs(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    return krippendorff_alpha([[a for a, _b in pairs], [b for _a, b in pairs]])


def _counts(t: Tally, matched: int) -> dict[str, Any]:
    return {
        "n_a": t.n_a,
        "n_b": t.n_b,
        "matched": matched,
        "precision": precision(matched, t.n_b),
        "recall": recall(matched, t.n_a),
        "f1": f1(matched, t.n_a, t.n_b),
    }


def _per_label(t: Tally) -> dict[str, dict[str, Any]]:
    out = {}
    for label in sorted(set(t.labels_a) | set(t.labels_b)):
        n_a, n_b, matched = t.labels_a[label], t.labels_b[label], t.labels_matched[label]
        out[label] = {
            "n_a": n_a,
            "n_b": n_b,
            "matched": matched,
            "precision": precision(matched, n_b),
            "recall": recall(matched, n_a),
            "f1": f1(matched, n_a, n_b),
        }
    return out


def layer_figures(layer: str, t: Tally) -> dict[str, Any]:
    """The figures of one layer from its tally (see the module docstring)."""
    out = _counts(t, t.matched)
    agree = share(sum(a == b for a, b in t.label_pairs), len(t.label_pairs))
    kappa = cohen_kappa(t.label_pairs)
    token_alpha = krippendorff_alpha([t.tokens_a, t.tokens_b]) if t.tokens_a else None
    if layer == "entities":
        out.update(
            span_matched=t.loose,
            span_f1=f1(t.loose, t.n_a, t.n_b),
            label_agreement=agree,
            kappa=kappa,
            link_agreement=share(t.attr_same, t.attr_total),
            alpha=token_alpha,
            alpha_tokens=len(t.tokens_a),
        )
    elif layer == "quotes":
        out.update(
            exact_matched=t.loose,
            exact_f1=f1(t.loose, t.n_a, t.n_b),
            kind_agreement=agree,
            kind_kappa=kappa,
            speaker_agreement=share(t.attr_same, t.attr_total),
            alpha=token_alpha,
            alpha_tokens=len(t.tokens_a),
        )
    elif layer == "numbers":
        out.update(
            span_matched=t.loose,
            span_f1=f1(t.loose, t.n_a, t.n_b),
            value_agreement=share(t.attr_same, t.attr_total),
            kind_agreement=agree,
            kind_kappa=kappa,
        )
    else:
        out.update(
            pair_matched=t.loose,
            pair_f1=f1(t.loose, t.n_a, t.n_b),
            label_agreement=agree,
            kappa=kappa,
            alpha=_alpha_of_pairs(t.label_pairs),
            evidence_agreement=share(t.attr_same, t.attr_total),
        )
    out["per_label"] = _per_label(t)
    return out


@dataclass
class AgreementReport:
    """Two passes compared: totals per layer and the tallies of each document."""

    pass_a: str
    pass_b: str
    doc_ids: list[str]
    layers: tuple[str, ...] = LAYERS
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)
    totals: dict[str, Tally] = field(default_factory=dict)
    per_doc: dict[str, dict[str, Tally]] = field(default_factory=dict)
    meta_diffs: dict[str, dict[str, list[Any]]] = field(default_factory=dict)

    def figures(self, layer: str) -> dict[str, Any]:
        """The figures of ``layer`` over all documents."""
        return layer_figures(layer, self.totals[layer])

    def to_dict(self, per_doc: bool = False) -> dict[str, Any]:
        """JSON-ready report: one object per layer under its name; ``documents`` with ``per_doc``."""
        out: dict[str, Any] = {
            "pass_a": self.pass_a,
            "pass_b": self.pass_b,
            "doc_ids": self.doc_ids,
            "only_in_a": self.only_in_a,
            "only_in_b": self.only_in_b,
            "meta_differences": self.meta_diffs,
        }
        for layer in self.layers:
            out[layer] = self.figures(layer)
        if per_doc:
            out["documents"] = {
                doc_id: {layer: layer_figures(layer, tallies[layer]) for layer in self.layers}
                for doc_id, tallies in self.per_doc.items()
            }
        return out


def _meta_differences(a: AnnotationFile, b: AnnotationFile) -> dict[str, list[Any]]:
    da, db = a.meta.model_dump(mode="json"), b.meta.model_dump(mode="json")
    return {key: [da[key], db[key]] for key in da if da[key] != db[key]}


def _check_layers(layers: Sequence[str] | None) -> tuple[str, ...]:
    if not layers:
        return LAYERS
    unknown = [layer for layer in layers if layer not in LAYERS]
    if unknown:
        raise AgreementError(f"unknown layer(s) {', '.join(unknown)}; layers: {', '.join(LAYERS)}")
    return tuple(layer for layer in LAYERS if layer in layers)


def compare_sources(
    a: PassSource, b: PassSource, layers: Sequence[str] | None = None, doc_ids: Sequence[str] | None = None
) -> AgreementReport:
    """Agreement of pass ``b`` with the reference pass ``a`` over their common documents."""
    chosen = _check_layers(layers)
    ids_a, ids_b = set(a.doc_ids()), set(b.doc_ids())
    if doc_ids:
        missing = sorted(d for d in doc_ids if d not in ids_a or d not in ids_b)
        if missing:
            raise AgreementError(f"documents not in both passes: {', '.join(missing)}")
        common = sorted(set(doc_ids))
    else:
        common = sorted(ids_a & ids_b)
    if not common:
        raise AgreementError(f"{a.folder} and {b.folder} have no <doc_id>.json file in common")
    report = AgreementReport(
        a.name, b.name, common, chosen, only_in_a=sorted(ids_a - ids_b), only_in_b=sorted(ids_b - ids_a)
    )
    report.totals = {layer: Tally() for layer in chosen}
    errors: list[str] = []
    for doc_id in common:
        try:
            ann_a, ann_b = a.read(doc_id), b.read(doc_id)
            if ann_a.raw_sha256 != ann_b.raw_sha256:
                raise AgreementError(
                    f"{doc_id}: the passes were made on different raw texts (raw_sha256 {ann_a.raw_sha256[:12]}... "
                    f"vs {ann_b.raw_sha256[:12]}...); offsets cannot be compared"
                )
            raw = a.raw(ann_a)
        except AgreementError as exc:
            errors.append(str(exc))
            continue
        tallies = compare_documents(ann_a, ann_b, raw)
        report.per_doc[doc_id] = {layer: tallies[layer] for layer in chosen}
        for layer in chosen:
            report.totals[layer].add(tallies[layer])
        if diffs := _meta_differences(ann_a, ann_b):
            report.meta_diffs[doc_id] = diffs
    if errors:
        raise AgreementError("\n".join(errors))
    return report


def compare_passes(
    pass_a: str | Path,
    pass_b: str | Path,
    layers: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
) -> AgreementReport:
    """Agreement of two passes, each a corpus root or a folder of ``<doc_id>.json`` files.

    Example:
        >>> compare_passes("annotations", "passes/annotator-b").figures("entities")["f1"]  # doctest: +SKIP
        1.0
    """
    return compare_sources(folder_pass(pass_a), folder_pass(pass_b), layers, doc_ids)


@dataclass
class MatrixReport:
    """Several annotators compared pairwise (each pair once, the earlier-named as reference), and
    Krippendorff's alpha of all of them at once (``alpha``: entities and quotes over tokens,
    stance over the labels of each holder and target; a missing pass or row is a missing value)."""

    annotators: list[str]
    layers: tuple[str, ...]
    pairs: list[AgreementReport]
    alpha: dict[str, float | None] = field(default_factory=dict)

    def matrix(self, figure: str = "f1") -> dict[str, dict[str, dict[str, float | None]]]:
        """``{layer: {a: {b: figure}}}``, symmetric for F1 (None on the diagonal)."""
        out: dict[str, dict[str, dict[str, float | None]]] = {}
        for layer in self.layers:
            table: dict[str, dict[str, float | None]] = {a: dict.fromkeys(self.annotators) for a in self.annotators}
            for report in self.pairs:
                value = report.figures(layer)[figure]
                table[report.pass_a][report.pass_b] = value
                table[report.pass_b][report.pass_a] = value
            out[layer] = table
        return out

    def to_dict(self, per_doc: bool = False) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "alpha": self.alpha,
            "matrix": self.matrix(),
            "pairs": [report.to_dict(per_doc) for report in self.pairs],
        }


def compare_annotators(
    root: str | Path,
    annotators: Sequence[str],
    layers: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
) -> MatrixReport:
    """Pairwise agreement of the stored passes of ``annotators`` (``gold`` names annotations/)."""
    names = list(dict.fromkeys(annotators))
    if len(names) < 2:
        raise AgreementError(f"name at least two annotators (got {', '.join(names) or 'none'})")
    sources = [annotator_pass(root, name) for name in names]
    pairs = [compare_sources(a, b, layers, doc_ids) for a, b in combinations(sources, 2)]
    chosen = _check_layers(layers)
    return MatrixReport(names, chosen, pairs, multi_alpha(sources, chosen, doc_ids))


def multi_alpha(
    sources: Sequence[PassSource], layers: Sequence[str], doc_ids: Sequence[str] | None = None
) -> dict[str, float | None]:
    """Krippendorff's alpha of all passes at once, per layer where it applies (see MatrixReport)."""
    rows: dict[str, list[list[Any]]] = {layer: [[] for _ in sources] for layer in ("entities", "quotes", "stance")}
    present = [set(s.doc_ids()) for s in sources]
    for doc_id in sorted(set(doc_ids) if doc_ids else set().union(*present)):
        anns = [s.read(doc_id) if doc_id in ids else None for s, ids in zip(sources, present)]
        first = next((i for i, ann in enumerate(anns) if ann is not None), None)
        if first is None:
            continue
        keys: dict[Any, list[Any]] = {}
        for k, ann in enumerate(anns):
            for row in ann.stance if ann is not None else []:
                keys.setdefault((holder_key(ann, row), row.target), [None] * len(anns))[k] = row.label
        for k, labels in enumerate(zip(*keys.values())):
            rows["stance"][k] += list(labels)
        raw = sources[first].raw(anns[first])
        if raw is None:
            continue
        bounds = token_bounds(raw, anns[first])
        for k, ann in enumerate(anns):
            if ann is None:
                rows["entities"][k] += [None] * len(bounds[0])
                rows["quotes"][k] += [None] * len(bounds[0])
                continue
            rows["entities"][k] += token_values(bounds, [([(e.start, e.end)], e.label) for e in ann.entities])
            rows["quotes"][k] += token_values(
                bounds, [([(f.start, f.end) for f in q.fragments], q.kind) for q in ann.quotes]
            )
    return {layer: krippendorff_alpha(rows[layer]) for layer in layers if layer in rows}
