"""Warnings are reported apart from errors and do not make a corpus invalid."""

from __future__ import annotations

from pathlib import Path

from corpus_pkg import validate

from .helpers import load_ann, save_ann


def _raw(root: Path) -> str:
    return (root / "raw" / "doc1.txt").read_text(encoding="utf-8")


def test_overlapping_mentions_warn(mini_corpus: Path) -> None:
    raw = _raw(mini_corpus)
    data = load_ann(mini_corpus)
    start = raw.index("Rudd")
    data["entities"].append(
        {"id": "e3", "origin": "manual", "start": start, "end": start + 4, "text": "Rudd", "label": "PERSON"}
    )
    save_ann(mini_corpus, data)
    report = validate(mini_corpus)
    assert report.valid
    assert [(w.code, w.annotation_id) for w in report.warnings] == [("overlapping-mentions", "e3")]


def test_span_outside_body_warns(mini_corpus: Path) -> None:
    raw = _raw(mini_corpus)
    data = load_ann(mini_corpus)
    start = raw.index("Subscribe")
    data["entities"].append(
        {"id": "e3", "origin": "manual", "start": start, "end": start + 9, "text": "Subscribe", "label": "ORG"}
    )
    save_ann(mini_corpus, data)
    report = validate(mini_corpus)
    assert report.valid and [w.code for w in report.warnings] == ["span-outside-body"]


def test_whitespace_at_span_edge_warns(mini_corpus: Path) -> None:
    raw = _raw(mini_corpus)
    data = load_ann(mini_corpus)
    num = data["numbers"][0]
    num["end"] += 1
    num["text"] = raw[num["start"] : num["end"]]
    save_ann(mini_corpus, data)
    report = validate(mini_corpus)
    assert report.valid and [w.code for w in report.warnings] == ["span-whitespace"]


def test_suggestions_warn_until_reviewed(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["numbers"][0]["origin"] = "suggestion"
    save_ann(mini_corpus, data)
    report = validate(mini_corpus)
    assert report.valid
    (warning,) = report.warnings
    assert warning.code == "unreviewed-suggestion" and "n1" in warning.message
