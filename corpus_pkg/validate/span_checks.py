"""The checks on a file's spans: offsets and texts against the raw text (errors), overlaps, spans
outside the annotated segments and suggestions awaiting review (warnings).

Each check first asks, in a few C-level passes over whole lists (map, attrgetter, compress), whether
any span has the problem; only then are the spans looked at one by one to report each, in file order.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import chain, compress, repeat
from operator import attrgetter, lt, neg
from typing import TYPE_CHECKING, Any, Protocol

from ..schema import ANNOTATION_LAYERS, AnnotationFile
from .spans import SpanList, content_index

if TYPE_CHECKING:
    from .issues import IssueCode

__all__ = ("check_spans", "check_warnings")

_TEXT, _ORIGIN, _START_END = attrgetter("text"), attrgetter("origin"), attrgetter("start", "end")


class _Reporter(Protocol):
    def add(self, code: IssueCode, message: str, json_path: str | None = None, **extra: Any) -> None: ...


def check_spans(checker: _Reporter, span_list: SpanList, raw: str) -> None:
    """Every span lies in the raw text, its ``text`` is ``raw[start:end]`` and has no outer whitespace."""
    length = len(raw)
    spans = span_list.spans
    if not spans:
        return
    starts, ends = span_list.starts, span_list.ends
    texts = list(map(_TEXT, spans))
    if (
        max(ends) <= length
        and texts == list(map(raw.__getitem__, map(slice, starts, ends)))
        and texts == list(map(str.strip, texts))
    ):
        return  # no span has a problem
    suspects = [
        i
        for i, span in enumerate(spans)
        if span.end > length or (text := span.text) != raw[span.start : span.end] or text.strip() != text
    ]
    for i in suspects:
        span = spans[i]
        path, ann_id = span_list.where[i]
        if span.end > length:
            checker.add(
                "offset-out-of-bounds",
                f"{path}: span [{span.start}, {span.end}) ends past the end of the raw text ({length} code points)",
                f"{path}.end",
                annotation_id=ann_id,
                char_start=span.start,
                char_end=span.end,
                value=span.end,
                expected=f"end <= {length}",
            )
            continue
        actual = raw[span.start : span.end]
        if actual != span.text:
            checker.add(
                "span-text-mismatch",
                f"{path}: text is {span.text!r} but raw[{span.start}:{span.end}] is {actual!r}",
                f"{path}.text",
                annotation_id=ann_id,
                char_start=span.start,
                char_end=span.end,
                value=span.text,
                expected=actual,
            )
        elif actual != actual.strip():
            checker.add(
                "span-whitespace",
                f"{path}: span text {actual!r} starts or ends with whitespace",
                f"{path}.text",
                annotation_id=ann_id,
                char_start=span.start,
                char_end=span.end,
                value=actual,
                expected=actual.strip(),
            )


def check_warnings(checker: _Reporter, ann: AnnotationFile, span_list: SpanList) -> None:
    """Overlapping mentions and segments, spans outside every title or body segment, suggestions."""
    _overlapping_mentions(checker, ann, span_list)
    segs = sorted(ann.segments, key=_START_END)
    for first, second in zip(segs, segs[1:]):
        if second.start < first.end:
            checker.add(
                "overlapping-segments",
                f"segment {second.kind} [{second.start}, {second.end}) overlaps {first.kind} "
                f"[{first.start}, {first.end})",
                "segments",
            )
    _outside_body(checker, ann, span_list)
    layers = [getattr(ann, layer) for layer in ANNOTATION_LAYERS]
    if "suggestion" not in map(_ORIGIN, chain.from_iterable(layers)):
        return
    for layer, items in zip(ANNOTATION_LAYERS, layers):
        if "suggestion" not in map(_ORIGIN, items):
            continue
        pending = [item.id for item in items if item.origin == "suggestion"]
        checker.add(
            "unreviewed-suggestion",
            f"{len(pending)} {layer} suggestion(s) await review: {', '.join(pending[:10])}"
            + (" ..." if len(pending) > 10 else ""),
            layer,
            value=len(pending),
        )


def _overlapping_mentions(checker: _Reporter, ann: AnnotationFile, span_list: SpanList) -> None:
    """Each mention that overlaps the one before it in (start, -end) order."""
    entities = ann.entities
    first = span_list.n_segments  # the entities follow the segments in the span list
    starts = span_list.starts[first : first + len(entities)]
    ends = span_list.ends[first : first + len(entities)]
    if all(map(lt, starts, starts[1:])):  # strictly increasing starts: (start, -end) order is file order
        if not any(map(lt, starts[1:], ends)):
            return
        order = list(range(len(entities)))
    else:
        keys = list(zip(starts, map(neg, ends)))
        order = sorted(range(len(entities)), key=keys.__getitem__)
    ordered_ends = list(map(ends.__getitem__, order))
    ordered_starts = list(map(starts.__getitem__, order))
    for j in compress(range(1, len(order)), map(lt, ordered_starts[1:], ordered_ends)):
        a, b = order[j - 1], order[j]
        earlier, later = entities[a], entities[b]
        checker.add(
            "overlapping-mentions",
            f"entities[{b}] ({later.text!r}) overlaps entities[{a}] ({earlier.text!r})",
            f"entities[{b}]",
            annotation_id=later.id,
            char_start=later.start,
            char_end=later.end,
        )


def _outside_body(checker: _Reporter, ann: AnnotationFile, span_list: SpanList) -> None:
    """Each annotation span that no single title or body segment contains: among the segments
    starting at or before the span (the first ``k`` by start), the furthest end must reach its end;
    ``reach[0] = -1`` stands for "no segment starts early enough" (every end is at least 0)."""
    content = content_index(ann)
    if content is None:
        return
    starts, reach = content
    reach = [-1, *reach]
    first = span_list.n_segments
    span_starts, span_ends = span_list.starts[first:], span_list.ends[first:]
    ks = map(bisect_right, repeat(starts), span_starts)
    outside = list(compress(range(first, len(span_list.spans)), map(lt, map(reach.__getitem__, ks), span_ends)))
    for i in outside:
        span = span_list.spans[i]
        path, ann_id = span_list.where[i]
        checker.add(
            "span-outside-body",
            f"{path} ({span.text!r}) is not inside a title or body segment",
            path,
            annotation_id=ann_id,
            char_start=span.start,
            char_end=span.end,
        )

