"""The span checks' fast list of spans (SpanList) walks the file in the same order as iter_spans, so
an issue found at a position of the list is reported at the right JSON path."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_pkg.schema import AnnotationFile
from corpus_pkg.validate.spans import SpanList, iter_spans

SEEDS = sorted((Path(__file__).resolve().parents[2] / "annotations").glob("*.json"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_span_list_matches_iter_spans(path: Path) -> None:
    ann = AnnotationFile.model_validate_json(path.read_bytes())
    walked = list(iter_spans(ann))
    spans = SpanList(ann)
    assert len(spans.spans) == len(walked)
    assert all(a is b for a, (_, _, b) in zip(spans.spans, walked, strict=True))
    assert spans.where == [(where, ann_id) for where, ann_id, _ in walked]
    assert spans.n_segments == sum(where.startswith("segments[") for where, _, _ in walked)


def test_seeds_hold_every_kind_of_span() -> None:
    """The comparison above covers every place a span can live (else it proves less than it says)."""
    kinds = set()
    for path in SEEDS:
        for where, _, _ in iter_spans(AnnotationFile.model_validate_json(path.read_bytes())):
            kinds.add(where.split("[", 1)[0] + "".join(part.split("[")[0] for part in where.split("]")[1:]))
    assert {"segments", "entities", "quotes.fragments", "quotes.cue", "quotes.speaker", "numbers"} <= kinds
    assert {"stance.holder", "stance.evidence"} <= kinds
