"""Finding text in a raw file: every occurrence, one chosen occurrence, or the one nearest a span.

Matches are exact and case-sensitive; by default a match may not start or end inside a word.
Errors say what was found instead (near misses, other cases, every occurrence with context).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Span
from .errors import AnnotationError

__all__ = (
    "CONTEXT_CHARS",
    "NEAR_WINDOW",
    "AmbiguousTextError",
    "Occurrence",
    "TextNotFoundError",
    "find_occurrences",
    "locate",
    "locate_near",
    "span_at",
)

#: Characters of context shown on each side of an occurrence in error messages.
CONTEXT_CHARS = 30
#: A cue, nominal speaker or holder found by proximity must lie within this many characters.
NEAR_WINDOW = 200


@dataclass(frozen=True)
class Occurrence:
    """One place where a searched text occurs, with context for humans."""

    number: int  # 1-based, in text order
    start: int
    end: int
    before: str
    after: str

    def describe(self, text: str) -> str:
        return f"  {self.number}  [{self.start}:{self.end}]  …{self.before}[{text}]{self.after}…"


class TextNotFoundError(AnnotationError):
    """The text does not occur in the raw file."""


class AmbiguousTextError(AnnotationError):
    """The text occurs more than once and no occurrence was chosen."""

    def __init__(self, message: str, occurrences: list[Occurrence]) -> None:
        super().__init__(message)
        self.occurrences = occurrences


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_occurrences(raw: str, text: str, inside_words: bool = False) -> list[Occurrence]:
    """Every (possibly overlapping) exact occurrence of ``text`` in ``raw``.

    Unless ``inside_words``, an occurrence must not start or end inside a word: "IS" is not
    found in "ISIS", and "Rudd" not in "Rudder".
    """
    if not text:
        raise AnnotationError("the text to find is empty")
    found: list[Occurrence] = []
    pos = raw.find(text)
    while pos != -1:
        end = pos + len(text)
        cut_start = _is_word(text[0]) and pos > 0 and _is_word(raw[pos - 1])
        cut_end = _is_word(text[-1]) and end < len(raw) and _is_word(raw[end])
        if inside_words or not (cut_start or cut_end):
            found.append(
                Occurrence(
                    number=len(found) + 1,
                    start=pos,
                    end=end,
                    before=_show(raw[max(0, pos - CONTEXT_CHARS) : pos]),
                    after=_show(raw[end : end + CONTEXT_CHARS]),
                )
            )
        pos = raw.find(text, pos + 1)
    return found


def _show(context: str) -> str:
    return context.replace("\r", "␍").replace("\n", "⏎").replace("\t", "⇥")


def locate(
    raw: str,
    text: str,
    occurrence: int | None = None,
    inside_words: bool = False,
    where: str = "the raw text",
    option: str = "--occurrence",
) -> Span:
    """The span of ``text`` in ``raw``: its only occurrence, or occurrence number ``occurrence``.

    Raises:
        TextNotFoundError: ``text`` does not occur (the message suggests near misses).
        AmbiguousTextError: ``text`` occurs several times and ``occurrence`` is None; the
            message lists every occurrence with its offsets and context.
    """
    found = find_occurrences(raw, text, inside_words)
    if not found:
        raise TextNotFoundError(_not_found_message(raw, text, where, inside_words))
    if occurrence is None:
        if len(found) > 1:
            raise AmbiguousTextError(_ambiguous_message(text, found, where, option), found)
        occurrence = 1
    if not 1 <= occurrence <= len(found):
        raise AnnotationError(
            f"{option} {occurrence} is out of range: {text!r} occurs {len(found)} time(s) in {where} "
            f"(use 1 to {len(found)})"
        )
    occ = found[occurrence - 1]
    return Span(start=occ.start, end=occ.end, text=text)


def _not_found_message(raw: str, text: str, where: str, inside_words: bool) -> str:
    message = f"{text!r} does not occur in {where}"
    if not inside_words:
        inner = find_occurrences(raw, text, inside_words=True)
        if inner:
            offsets = ", ".join(f"[{o.start}:{o.end}]" for o in inner[:5])
            return f"{message} as a whole word; it occurs inside longer words at {offsets} (--inside-word allows it)"
    folded = [m.start() for m in re.finditer(re.escape(text), raw, re.IGNORECASE)]
    if folded:
        start = folded[0]
        return f"{message} (case differs: {raw[start : start + len(text)]!r} at [{start}:{start + len(text)}])"
    stripped = " ".join(text.split())
    if stripped != text:
        return f"{message} (check spaces and line breaks; spans must match the raw text exactly)"
    return message + " (check spelling, quotation marks and apostrophes: ’ is not ')"


def _ambiguous_message(text: str, found: list[Occurrence], where: str, option: str) -> str:
    lines = [f"{text!r} occurs {len(found)} times in {where}; choose one with {option} N:"]
    lines.extend(o.describe(text) for o in found[:50])
    if len(found) > 50:
        lines.append(f"  ... and {len(found) - 50} more")
    return "\n".join(lines)


def locate_near(
    raw: str,
    text: str,
    anchor: Sequence[Span],
    occurrence: int | None,
    what: str,
    option: str,
    where: str,
) -> Span:
    """``text`` near the ``anchor`` spans: the closest occurrence not overlapping them (or the
    one chosen with ``occurrence``). Used for cues, nominal speakers and holders."""
    if occurrence is not None:
        return locate(raw, text, occurrence, where=where, option=option)
    found = find_occurrences(raw, text)
    if not found:
        raise TextNotFoundError(_not_found_message(raw, text, where, False))
    lo, hi = min(s.start for s in anchor), max(s.end for s in anchor)

    def overlaps(o: Occurrence) -> bool:
        return any(o.start < s.end and s.start < o.end for s in anchor)

    def distance(o: Occurrence) -> int:
        return lo - o.end if o.end <= lo else max(0, o.start - hi)

    candidates = sorted((distance(o), o.number, o) for o in found if not overlaps(o))
    if not candidates:
        raise AnnotationError(f"{what} {text!r} only occurs inside the annotated text; choose one with {option} N")
    best = candidates[0]
    if len(candidates) > 1 and candidates[1][0] == best[0]:
        tied = [c[2] for c in candidates if c[0] == best[0]]
        raise AmbiguousTextError(
            f"{what} {text!r} is equally close at two places; choose one with {option} N:\n"
            + "\n".join(o.describe(text) for o in tied),
            tied,
        )
    if best[0] > NEAR_WINDOW:
        raise AnnotationError(
            f"the nearest {what} {text!r} is {best[0]} characters away (more than {NEAR_WINDOW}); "
            f"confirm it with {option} N:\n" + "\n".join(o.describe(text) for o in found[:20])
        )
    occ = best[2]
    return Span(start=occ.start, end=occ.end, text=text)


def span_at(raw: str, text: str, at: Sequence[int], where: str = "the raw text", what: str = "text") -> Span:
    """The span ``[start, end)`` of ``raw`` given by ``at = (start, end)`` (code points), which must hold ``text``.

    This is how callers that know offsets (the web workbench, converters) pin an occurrence
    instead of searching for it; the offsets are checked, never trusted.
    """
    if len(at) != 2 or not all(type(x) is int for x in at):
        raise AnnotationError(f"{what} offsets must be two integers [start, end], got {list(at)!r}")
    start, end = at
    if not 0 <= start < end <= len(raw):
        raise AnnotationError(f"{what} offsets [{start}:{end}] are not a non-empty span of {where} (0..{len(raw)})")
    if raw[start:end] != text:
        raise AnnotationError(f"{where}[{start}:{end}] is {raw[start:end]!r}, not the {what} {text!r}")
    return Span(start=start, end=end, text=text)
