"""Move spans after the raw text was corrected: ``corpus reanchor DOC``.

The old raw text is gone, but the annotation file still knows much of it: every span stores
its text at its old offsets, and segments usually cover the whole article. From that partial
copy each span gets its old context (up to ``CONTEXT`` characters either side). A span is placed

1. by context: the only occurrence of its text in the new raw text with the same context on
   both sides, or
2. by position: otherwise, the only occurrence within ``WINDOW`` characters of where it should
   be now (its old start shifted like the nearest spans placed by context).

Anything else (text gone or edited, several candidates) is reported, never guessed. Segments
whose text changed are re-bounded by placing their first and last characters the same way.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import sha256_bytes
from ..schema import Segment, Span
from ..validate.checks import iter_spans
from .locate import find_occurrences
from .session import edit_document

__all__ = ("CONTEXT", "WINDOW", "Moved", "ReanchorResult", "Unplaced", "reanchor")

#: Characters of old context compared on each side of a span.
CONTEXT = 24
#: How far (in characters) from its expected position a span may be found by position alone.
WINDOW = 64
#: Fewer known context characters than this (both sides together) is too little to trust.
MIN_CONTEXT = 8
#: Characters at each end of a segment used to re-find its boundaries.
SEGMENT_PROBE = 24


@dataclass(frozen=True)
class Moved:
    """A span placed in the new text (possibly at the same offsets)."""

    path: str
    annotation_id: str | None
    text: str
    old: tuple[int, int]
    new: tuple[int, int]
    method: str  # "context", "position" or "segment bounds"


@dataclass(frozen=True)
class Unplaced:
    """A span that could not be placed with confidence."""

    path: str
    annotation_id: str | None
    text: str
    old: tuple[int, int]
    reason: str


@dataclass
class ReanchorResult:
    """What :func:`reanchor` did (or would do) to one annotation file."""

    doc_id: str
    path: str
    old_sha256: str
    new_sha256: str
    moved: list[Moved] = field(default_factory=list)
    unchanged: int = 0
    unplaced: list[Unplaced] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.unplaced

    def to_text(self) -> str:
        """A line per moved or unplaced span, then a summary."""
        lines = []
        for m in self.moved:
            who = f"{m.annotation_id} " if m.annotation_id else ""
            lines.append(f"moved    {who}{m.path} {_short(m.text)} [{m.old[0]}:{m.old[1]}] -> [{m.new[0]}:{m.new[1]}]")
        for u in self.unplaced:
            who = f"{u.annotation_id} " if u.annotation_id else ""
            lines.append(f"UNPLACED {who}{u.path} {_short(u.text)} was [{u.old[0]}:{u.old[1]}]: {u.reason}")
        counts = f"{len(self.moved)} moved, {self.unchanged} unchanged, {len(self.unplaced)} could not be placed"
        if self.written:
            lines.append(f"updated {self.path} ({counts}; raw_sha256 now {self.new_sha256[:12]}…)")
        elif self.unplaced:
            lines.append(f"{self.path} left unchanged ({counts}); fix these spans by hand or pass --partial")
        elif not self.moved and self.old_sha256 == self.new_sha256:
            lines.append(f"{self.path} is up to date ({counts})")
        else:
            lines.append(f"{self.path} not written (dry run; {counts})")
        return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


@dataclass
class _OldText:
    """The old raw text as far as the spans reveal it."""

    chars: dict[int, str]

    @classmethod
    def from_spans(cls, spans: list[Span]) -> _OldText:
        chars: dict[int, str] = {}
        for span in spans:
            for k, char in enumerate(span.text):
                chars.setdefault(span.start + k, char)
        return cls(chars)

    def before(self, pos: int) -> str:
        out = []
        while len(out) < CONTEXT and (pos - 1 - len(out)) in self.chars:
            out.append(self.chars[pos - 1 - len(out)])
        return "".join(reversed(out))

    def after(self, pos: int) -> str:
        out = []
        while len(out) < CONTEXT and (pos + len(out)) in self.chars:
            out.append(self.chars[pos + len(out)])
        return "".join(out)


@dataclass
class _Probe:
    """A piece of old text to find in the new text."""

    old_start: int
    text: str
    before: str
    after: str
    new_start: int | None = None
    method: str = ""
    reason: str = ""


def _occurrences(raw: str, text: str) -> list[int]:
    """Starts of whole-word occurrences of ``text``: "Amber Rudd" is not re-found inside
    "Amber Ruddock" (such a span is listed as unplaced instead)."""
    return [occurrence.start for occurrence in find_occurrences(raw, text)]


def _place_by_context(probe: _Probe, raw: str) -> None:
    hits = _occurrences(raw, probe.text)
    if not hits:
        probe.reason = "its text no longer occurs in the raw text"
        return
    if len(probe.before) + len(probe.after) < MIN_CONTEXT:
        return
    matching = [
        h
        for h in hits
        if raw[max(0, h - len(probe.before)) : h] == probe.before
        and raw[h + len(probe.text) : h + len(probe.text) + len(probe.after)] == probe.after
    ]
    if len(matching) == 1:
        probe.new_start, probe.method = matching[0], "context"


def _place_by_position(probe: _Probe, raw: str, anchors: list[tuple[int, int]]) -> None:
    """Use the shifts of the nearest context-placed probes before and after this one."""
    hits = _occurrences(raw, probe.text)
    if not hits:
        probe.reason = "its text no longer occurs in the raw text"
        return
    olds = [a[0] for a in anchors]
    i = bisect.bisect_right(olds, probe.old_start)
    shifts = {anchors[j][1] for j in (i - 1, i) if 0 <= j < len(anchors)} or {0}
    near = sorted({h for h in hits for s in shifts if abs(h - (probe.old_start + s)) <= WINDOW})
    if len(near) == 1:
        probe.new_start, probe.method = near[0], "position"
        return
    if not near:
        probe.reason = f"its text occurs {len(hits)} time(s), none within {WINDOW} characters of where it was"
        return
    # Several nearby: accept the one whose surviving context (one side intact) clearly beats the rest.
    scored = sorted(((_context_score(probe, raw, h), h) for h in near), reverse=True)
    (best, hit), (second, _) = scored[0], scored[1]
    if best >= MIN_CONTEXT and best >= second + MIN_CONTEXT:
        probe.new_start, probe.method = hit, "position+context"
        return
    where = ", ".join(str(h) for h in near[:5])
    probe.reason = f"ambiguous: {len(near)} occurrences near where it was (at {where}) and its context changed"


def _context_score(probe: _Probe, raw: str, hit: int) -> int:
    """How many old context characters, read outward from the span, the new text still has."""
    score = 0
    for k in range(1, len(probe.before) + 1):
        if hit - k < 0 or raw[hit - k] != probe.before[-k]:
            break
        score += 1
    end = hit + len(probe.text)
    for k, char in enumerate(probe.after):
        if end + k >= len(raw) or raw[end + k] != char:
            break
        score += 1
    return score


def _segment_bounds(span: Segment, group: list[_Probe], placed: list[_Probe], length: int) -> tuple[int, int] | None:
    """New (start, end) of a segment whose text changed: each boundary comes from its probe (first or
    last characters found), or else from the shift shared by the placed spans on both sides of it."""
    head, tail = group[1], group[2]
    start = head.new_start if head.new_start is not None else _shift_boundary(span.start, placed, length)
    end = tail.new_start + len(tail.text) if tail.new_start is not None else _shift_boundary(span.end, placed, length)
    if start is None or end is None or end <= start:
        return None
    return start, end


def _shift_boundary(pos: int, placed: list[_Probe], length: int) -> int | None:
    """``pos`` moved by the shift of the nearest placed probes before and after it, when they agree.
    At the edges of the text one side is enough."""
    left = [p for p in placed if p.new_start is not None and p.old_start + len(p.text) <= pos]
    right = [p for p in placed if p.new_start is not None and p.old_start >= pos]
    shifts = set()
    if left:
        nearest = max(left, key=lambda p: (p.old_start + len(p.text), p.old_start))
        shifts.add(nearest.new_start - nearest.old_start)  # type: ignore[operator]
    if right:
        nearest = min(right, key=lambda p: (p.old_start, -len(p.text)))
        shifts.add(nearest.new_start - nearest.old_start)  # type: ignore[operator]
    if len(shifts) != 1:
        return None
    moved = pos + shifts.pop()
    return moved if 0 <= moved <= length else None


def reanchor(
    root: str | Path, doc_id: str, partial: bool = False, dry_run: bool = False, annotator: str | None = None
) -> ReanchorResult:
    """Re-find every span of ``doc_id`` in its corrected raw text and update offsets and pin.

    Writes only when every span was placed, or with ``partial`` (unplaced spans then keep their
    old offsets and ``corpus validate`` reports them). ``dry_run`` never writes.

    Example:
        >>> result = reanchor("corpus", "doc1")  # doctest: +SKIP
        >>> [u.text for u in result.unplaced]  # doctest: +SKIP
        []
    """
    with edit_document(root, doc_id, annotator) as doc:
        raw, ann = doc.raw, doc.ann
        spans = list(iter_spans(ann))
        old = _OldText.from_spans([span for _path, _id, span in spans])
        probes: list[tuple[str, str | None, Span, list[_Probe]]] = []
        for path, ann_id, span in spans:
            whole = _Probe(span.start, span.text, old.before(span.start), old.after(span.end))
            group = [whole]
            if isinstance(span, Segment):
                k = min(SEGMENT_PROBE, len(span.text))
                group.append(_Probe(span.start, span.text[:k], old.before(span.start), old.after(span.start + k)))
                tail_start = span.end - k
                group.append(_Probe(tail_start, span.text[-k:], old.before(tail_start), old.after(span.end)))
            probes.append((path, ann_id, span, group))
        every = [p for _path, _id, _span, group in probes for p in group]
        for probe in every:
            _place_by_context(probe, raw)
        anchors = sorted({(p.old_start, p.new_start - p.old_start) for p in every if p.new_start is not None})
        for probe in every:
            if probe.new_start is None and not probe.reason:
                _place_by_position(probe, raw, anchors)
        result = ReanchorResult(
            doc_id=doc_id,
            path=doc.display(doc.ann_rel),
            old_sha256=ann.raw_sha256,
            new_sha256=sha256_bytes(doc.raw_bytes),
        )
        for path, ann_id, span, group in probes:
            old_pos = (span.start, span.end)
            whole = group[0]
            if whole.new_start is not None:
                new_pos = (whole.new_start, whole.new_start + len(span.text))
                method = whole.method
            elif isinstance(span, Segment) and (bounds := _segment_bounds(span, group, every, len(raw))) is not None:
                new_pos, method = bounds, "segment bounds"
            else:
                reason = whole.reason or "no unique match"
                if isinstance(span, Segment):
                    reason = f"segment boundaries not found: {group[1].reason or group[2].reason or reason}"
                result.unplaced.append(Unplaced(path, ann_id, span.text, old_pos, reason))
                continue
            if new_pos == old_pos and raw[new_pos[0] : new_pos[1]] == span.text:
                result.unchanged += 1
                continue
            result.moved.append(Moved(path, ann_id, raw[new_pos[0] : new_pos[1]], old_pos, new_pos, method))
            span.start, span.end = new_pos
            span.text = raw[new_pos[0] : new_pos[1]]
        changed = bool(result.moved) or result.old_sha256 != result.new_sha256
        if (result.unplaced and not partial) or not changed:
            return result
        ann.raw_sha256 = result.new_sha256
        unplaced_paths = {u.path for u in result.unplaced}

        def tolerate(issue) -> bool:
            path = (issue.json_path or "").rsplit(".", 1)[0]
            return issue.code in ("span-text-mismatch", "offset-out-of-bounds") and path in unplaced_paths

        doc.save(ann, dry_run=dry_run, tolerate=tolerate)
        result.written = not dry_run
        return result
