"""What a release says about agreement, computed from the stored passes at build time.

:func:`agreement_study` compares every pair of annotators in ``passes/`` (the earlier name,
in sorted order, is pass A) over the documents both annotated, with the same code as
``corpus agree``, and counts the passes per document, the assignments and the adjudication
decisions. The dataset card's agreement section and Croissant's ``rai:annotationsPerItem``,
``rai:dataAnnotationAnalysis`` and ``rai:dataAnnotationProtocol`` are written from it, so a
release reports what was measured, never figures typed by hand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from ..annotate.assign import read_assignments
from ..corpus import ADJUDICATION_DIR, Corpus
from ..schema.adjudication import AdjudicationRecord
from .matching import LAYERS
from .passes import annotator_pass
from .render import fmt
from .report import compare_sources

__all__ = ("AgreementStudy", "agreement_study")

_KAPPA = {"entities": "kappa", "quotes": "kind_kappa", "numbers": "kind_kappa", "stance": "kappa"}
#: What each layer's F1 counts as a match (as in corpus_pkg.agree.report).
MATCH = {
    "entities": "same span and label",
    "quotes": "overlapping fragments",
    "numbers": "same span and value",
    "stance": "same holder, target and label",
}


@dataclass(frozen=True)
class PairFigures:
    """One pair of annotators: the documents compared and each layer's figures."""

    a: str
    b: str
    documents: int
    layers: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class AgreementStudy:
    """Passes, pairs and decisions of a corpus (see the module docstring)."""

    annotators: list[str]
    documents: int  # documents of the corpus
    passes_per_document: dict[str, int]  # doc id -> number of passes (documents with at least one)
    pairs: list[PairFigures]
    overlap: int | None  # from assignments.json
    sample: int  # documents given to every annotator (assignments.json)
    adjudicated_documents: int
    decisions: int

    @property
    def multiply_annotated(self) -> int:
        """Documents with at least two independent passes."""
        return sum(1 for n in self.passes_per_document.values() if n >= 2)

    def annotations_per_item(self) -> str:
        """``rai:annotationsPerItem``: how many independent passes the documents have."""
        counts = Counter(self.passes_per_document.values())
        parts = [f"{n} independent passes on {k} of {self.documents} documents" for n, k in sorted(counts.items())]
        return (
            "; ".join(parts)
            + f" (annotators: {', '.join(self.annotators)}); the release ships one gold annotation per "
            "document"
        )

    def analysis(self) -> str:
        """``rai:dataAnnotationAnalysis``: the measured agreement, one sentence per pair."""
        sentences = []
        for pair in self.pairs:
            layers = "; ".join(
                f"{layer} F1 {fmt(f['f1'])} ({MATCH[layer]}), kappa {fmt(f[_KAPPA[layer]])}"
                + (f", Krippendorff's alpha {fmt(f['alpha'])}" if f.get("alpha") is not None else "")
                for layer, f in pair.layers.items()
            )
            sentences.append(
                f"Inter-annotator agreement of {pair.b} against {pair.a} on {pair.documents} documents "
                f"(computed by `corpus agree --annotators {pair.a},{pair.b}`): {layers}."
            )
        return " ".join(sentences)

    def protocol(self) -> str:
        """``rai:dataAnnotationProtocol``: how the passes were made and merged."""
        text = (
            "Annotators label each document alone, following annotations/GUIDELINES.md, in their own pass "
            "(passes/<annotator>/, the schema of the gold files) without seeing other passes."
        )
        if self.overlap is not None:
            text += f" Documents were assigned to {self.overlap} annotator(s) each"
            text += f", and {self.sample} to every annotator." if self.sample else "."
        text += (
            f" {self.multiply_annotated} of {self.documents} documents have two or more passes. Agreement is "
            "computed from the stored passes at build time; disagreements are settled by an adjudicator "
            "(`corpus adjudicate`), who takes, edits or rejects each disputed annotation"
        )
        if self.adjudicated_documents:
            text += f" ({self.decisions} recorded decision(s) on {self.adjudicated_documents} document(s))."
        else:
            text += "."
        return text

    def markdown(self) -> str:
        """The dataset card's agreement figures: one table row per pair and layer."""
        per_item = self.annotations_per_item()
        lines = [
            per_item[:1].upper() + per_item[1:] + ".",
            "",
            "| pass A | pass B | documents | layer | A | B | matched | F1 | kappa | alpha |",
            "|---|---|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for pair in self.pairs:
            for layer, f in pair.layers.items():
                lines.append(
                    f"| {pair.a} | {pair.b} | {pair.documents} | {layer} | {f['n_a']} | {f['n_b']} | "
                    f"{f['matched']} | {fmt(f['f1'])} | {fmt(f[_KAPPA[layer]])} | {fmt(f.get('alpha'))} |"
                )
        lines += ["", "F1 counts as a match: " + "; ".join(f"{k}, {v}" for k, v in MATCH.items()) + "."]
        return "\n".join(lines) + "\n"

    def rai(self) -> dict[str, str]:
        """The three Croissant RAI fields."""
        return {
            "rai:annotationsPerItem": self.annotations_per_item(),
            "rai:dataAnnotationAnalysis": self.analysis(),
            "rai:dataAnnotationProtocol": self.protocol(),
        }


def agreement_study(root: str | Path) -> AgreementStudy | None:
    """The agreement of the stored passes of the corpus at ``root``; None without two annotators
    who share a document."""
    corpus = Corpus.at(root)
    names = corpus.annotators()
    per_doc: Counter[str] = Counter()
    for name in names:
        per_doc.update(corpus.pass_doc_ids(name))
    pairs = []
    for a, b in combinations(names, 2):
        common = set(corpus.pass_doc_ids(a)) & set(corpus.pass_doc_ids(b))
        if not common:
            continue
        report = compare_sources(annotator_pass(root, a), annotator_pass(root, b))
        pairs.append(PairFigures(a, b, len(report.doc_ids), {layer: report.figures(layer) for layer in LAYERS}))
    if not pairs:
        return None
    plan = read_assignments(root)
    records = (
        sorted((corpus.root / ADJUDICATION_DIR).glob("*.json")) if (corpus.root / ADJUDICATION_DIR).is_dir() else []
    )
    decisions = 0
    for path in records:
        decisions += len(AdjudicationRecord.model_validate_json(path.read_bytes()).decisions)
    return AgreementStudy(
        annotators=names,
        documents=len(corpus.doc_ids()),
        passes_per_document=dict(sorted(per_doc.items())),
        pairs=pairs,
        overlap=plan.overlap if plan else None,
        sample=len(plan.sample) if plan else 0,
        adjudicated_documents=len(records),
        decisions=decisions,
    )
