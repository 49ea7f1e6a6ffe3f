"""The release's agreement figures (card table and Croissant RAI fields) from stored passes."""

from __future__ import annotations

from pathlib import Path

from corpus_pkg.agree import resolve
from corpus_pkg.agree.summary import agreement_study
from corpus_pkg.annotate.assign import assign

from .cases import PASS_A, PASS_B, doc, make_corpus
from .test_adjudicate import FACEBOOK


def test_no_passes_no_summary(tmp_path: Path):
    assert agreement_study(make_corpus(tmp_path / "c", gold=doc(), passes={"a": PASS_A})) is None


def test_figures_come_from_the_passes(tmp_path: Path):
    root = make_corpus(tmp_path / "c", gold=doc(), passes={"a": PASS_A, "b": PASS_B})
    summary = agreement_study(root)
    assert summary.annotators == ["a", "b"] and summary.passes_per_document == {"d1": 2}
    (pair,) = summary.pairs
    # the hand-computed figures of test_compare.py: entities F1 1/3, kappa 1/3, alpha 118/253 = 0.466;
    # quotes F1 2/3; numbers F1 1/2; stance F1 2/5, kappa 1/3, alpha 2/5
    table = summary.markdown()
    assert "| a | b | 1 | entities | 3 | 3 | 1 | 0.333 | 0.333 | 0.466 |" in table
    assert "| a | b | 1 | quotes | 1 | 2 | 1 | 0.667 | – | 1.000 |" in table
    assert "| a | b | 1 | numbers | 2 | 2 | 1 | 0.500 | – | – |" in table
    assert "| a | b | 1 | stance | 2 | 3 | 1 | 0.400 | 0.333 | 0.400 |" in table
    rai = summary.rai()
    assert rai["rai:annotationsPerItem"].startswith("2 independent passes on 1 of 1 documents (annotators: a, b)")
    assert (
        "entities F1 0.333 (same span and label), kappa 0.333, Krippendorff's alpha 0.466"
        in rai["rai:dataAnnotationAnalysis"]
    )
    assert "stance F1 0.400 (same holder, target and label), kappa 0.333" in rai["rai:dataAnnotationAnalysis"]
    assert "1 of 1 documents have two or more passes" in rai["rai:dataAnnotationProtocol"]
    assert "assigned" not in rai["rai:dataAnnotationProtocol"]


def test_protocol_reports_assignments_and_decisions(tmp_path: Path):
    root = make_corpus(tmp_path / "c", gold=doc(), passes={"a": PASS_A, "b": PASS_B})
    assign(root, ["a", "b"], overlap=2)
    resolve(root, "d1", FACEBOOK, ["a", "b"], by="lead", take="a")
    protocol = agreement_study(root).protocol()
    assert "Documents were assigned to 2 annotator(s) each." in protocol
    assert "(1 recorded decision(s) on 1 document(s))" in protocol
