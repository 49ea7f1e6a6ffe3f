"""The spans of an annotation file, listed for the span checks, and the index of its annotated segments."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from itertools import accumulate
from operator import attrgetter

from ..schema import ANNOTATED_SEGMENTS, AnnotationFile, Span

__all__ = ("SpanList", "content_index", "iter_spans")

_START, _END = attrgetter("start"), attrgetter("end")


def iter_spans(ann: AnnotationFile) -> Iterator[tuple[str, str | None, Span]]:
    """Every span in the file as (json_path, annotation_id, span)."""
    for i, seg in enumerate(ann.segments):
        yield f"segments[{i}]", None, seg
    for i, ent in enumerate(ann.entities):
        yield f"entities[{i}]", ent.id, ent
    for i, quote in enumerate(ann.quotes):
        for j, frag in enumerate(quote.fragments):
            yield f"quotes[{i}].fragments[{j}]", quote.id, frag
        if quote.cue is not None:
            yield f"quotes[{i}].cue", quote.id, quote.cue
        if quote.speaker.type == "nominal":
            yield f"quotes[{i}].speaker", quote.id, quote.speaker
    for i, num in enumerate(ann.numbers):
        yield f"numbers[{i}]", num.id, num
    for i, st in enumerate(ann.stance):
        if st.holder.type == "nominal":
            yield f"stance[{i}].holder", st.id, st.holder
        if st.evidence.type == "span":
            yield f"stance[{i}].evidence", st.id, st.evidence


class SpanList:
    """Every span of a file, in the order of :func:`iter_spans`; their JSON paths and annotation ids
    are worked out only when an issue names them."""

    def __init__(self, ann: AnnotationFile) -> None:
        self.ann = ann
        spans: list[Span] = list(ann.segments)
        self.n_segments = len(spans)
        spans += ann.entities
        for quote in ann.quotes:
            spans += quote.fragments
            if quote.cue is not None:
                spans.append(quote.cue)
            if quote.speaker.type == "nominal":
                spans.append(quote.speaker)
        spans += ann.numbers
        for st in ann.stance:
            if st.holder.type == "nominal":
                spans.append(st.holder)
            if st.evidence.type == "span":
                spans.append(st.evidence)
        self.spans = spans

    @cached_property
    def starts(self) -> list[int]:
        """``start`` of each span (one C-level pass, shared by the checks)."""
        return list(map(_START, self.spans))

    @cached_property
    def ends(self) -> list[int]:
        """``end`` of each span."""
        return list(map(_END, self.spans))

    @cached_property
    def where(self) -> list[tuple[str, str | None]]:
        """(json_path, annotation_id) of each span."""
        return [(path, ann_id) for path, ann_id, _ in iter_spans(self.ann)]


def content_index(ann: AnnotationFile) -> tuple[list[int], list[int]] | None:
    """For the test "does [start, end) lie inside one annotated (title or body) segment?" in
    O(log segments): the starts of those segments, sorted, and the running maximum of their ends
    (None when the document has no such segment). Among the segments starting at or before
    ``start`` (the first ``k = bisect_right(starts, start)``), one contains the span exactly when
    ``reach[k - 1] >= end``."""
    content = sorted((s.start, s.end) for s in ann.segments if s.kind in ANNOTATED_SEGMENTS)
    if not content:
        return None
    return [start for start, _ in content], list(accumulate((end for _, end in content), max))
