"""The NER view: paragraphs of title/body text, regex tokens and BIO tags.

Tokenization is deterministic and rule-based (no model): a token is a run of letters, a number
(digits with inner ``,`` or ``.`` groups, as in ``90,000`` or ``1.5``), a run of other word
characters, or any single other non-space character. ``pro-ISIS`` gives ``pro``, ``-``, ``ISIS``;
``U.K.`` gives ``U``, ``.``, ``K``, ``.``. Fine tokens let most mentions align to token boundaries.

A paragraph is a maximal stretch of an annotated segment (``title`` or ``body``, see
``schema.ANNOTATED_SEGMENTS``) without a line
break. A mention is tagged only when it starts and ends exactly on token boundaries inside one
paragraph; otherwise it is *skipped and reported* (never silently widened or cut).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import NamedTuple

from ..schema import ANNOTATED_SEGMENTS, AnnotationFile, EntityMention

#: The token pattern (see the module docstring); offsets are code points into the raw text.
TOKEN_PATTERN = re.compile(r"\d+(?:[.,]\d+)*|(?:[^\W\d_]|[\u0300-\u036f])+|[\d_]+|[^\w\s]")


_LINE = re.compile(r"[^\r\n]+")
# TOKEN_PATTERN spelled for speed, same tokens (tests/text/test_tokenize.py checks it): runs of ASCII
# letters tried first, and the blanks before each token taken in the same match (through a lookahead,
# which never backtracks), so the engine does not try every alternative at every blank.
_FAST_TOKEN = (
    r"[A-Za-z]+(?:(?:[^\W\d_]|[\u0300-\u036f])+)?|(?:[^\W\d_]|[\u0300-\u036f])+"
    r"|\d+(?:[.,]\d+)*|[\d_]+|[^\w\s]"
)
_SPLIT = re.compile(rf"(?=(\s*))\1({_FAST_TOKEN})")


class Token(NamedTuple):
    """One token: code-point offsets into the raw text and its surface text (a tuple: cheap to make)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One line of article text with its tokens (three parallel lists: text, start, end)."""

    segment_kind: str
    start: int
    end: int
    text: str
    tokens: list[str]
    token_starts: list[int]
    token_ends: list[int]


@dataclass(frozen=True)
class Skipped:
    """A mention left out of the BIO tags, and why."""

    mention_id: str
    reason: str


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset`` (the position of ``text`` in the raw file)."""
    texts, starts, ends = token_spans(text, offset)
    # tuple.__new__ builds the NamedTuple in C: about 3x faster than calling Token(...) per token.
    return list(map(tuple.__new__, repeat(Token), zip(starts, ends, texts)))


def token_spans(text: str, offset: int = 0) -> tuple[list[str], list[int], list[int]]:
    """Tokens of ``text`` as three parallel lists: texts, start offsets and end offsets.

    One ``split`` gives gaps, blanks and tokens in turn; running sums of their lengths are the
    offsets. Everything runs in C, several times faster than one match object per token."""
    # Trailing blanks hold no token; cut them, or each of their positions would rescan the rest of the
    # run looking for a token to follow (quadratic on hostile input).
    parts = _SPLIT.split(text[: len(text.rstrip())])  # [gap, blanks, token, gap, blanks, token, ..., gap]
    bounds = list(accumulate(map(len, parts), initial=offset))  # bounds[i]: where parts[i] starts
    return parts[2::3], bounds[2::3], bounds[3::3]


def annotated_text(ann: AnnotationFile) -> list[tuple[str, int, int]]:
    """``(segment kind, start, end)`` of the annotated (title/body) text in text order, each character
    once (segments may overlap: a later one starts where the text covered so far ends)."""
    segments = sorted((s for s in ann.segments if s.kind in ANNOTATED_SEGMENTS), key=lambda s: (s.start, s.end))
    out = []
    covered = 0  # text before this offset was already taken
    for seg in segments:
        seg_start = max(seg.start, covered)
        if seg_start < seg.end:
            out.append((seg.kind, seg_start, seg.end))
            covered = max(covered, seg.end)
    return out


def paragraphs(raw: str, ann: AnnotationFile) -> Iterator[Paragraph]:
    """Paragraphs of the annotated (title/body) segments in text order, surrounding whitespace trimmed.

    Each segment's text is tokenized in one go and its tokens dealt out to its lines: a token never
    holds a blank, and every other character starts one, so the tokens of a line are the same
    whether the line is tokenized alone or with its neighbours."""
    for kind, seg_start, seg_end in annotated_text(ann):
        texts, starts, ends = token_spans(raw[seg_start:seg_end], seg_start)
        first = 0
        for line in _LINE.finditer(raw, seg_start, seg_end):
            text = line.group()
            stripped = text.strip()
            if not stripped:
                continue
            start = line.start() + (len(text) - len(text.lstrip()))
            end = start + len(stripped)
            first = bisect.bisect_left(starts, start, first)
            last = bisect.bisect_left(starts, end, first)
            yield Paragraph(kind, start, end, stripped, texts[first:last], starts[first:last], ends[first:last])
            first = last


def bio_tags(paragraphs_: list[Paragraph], mentions: list[EntityMention]) -> tuple[list[list[str]], list[Skipped]]:
    """BIO tag names per paragraph for ``mentions``, and the mentions that could not be tagged.

    Mentions are placed longest first (then by position); a mention that overlaps one already
    placed, crosses a paragraph or token boundary, or lies outside every paragraph is skipped.
    """
    tags = [["O"] * len(p.tokens) for p in paragraphs_]
    ends = [p.end for p in paragraphs_]
    skipped: list[Skipped] = []
    names: dict[str, tuple[str, str]] = {}  # label -> (B-label, I-label), made once per label
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.id)):
        where = _locate(paragraphs_, ends, mention)
        if isinstance(where, str):
            skipped.append(Skipped(mention.id, where))
            continue
        p_index, first, last = where
        row = tags[p_index]
        if row[first : last + 1].count("O") != last + 1 - first:  # a token is already tagged
            skipped.append(Skipped(mention.id, "overlaps another mention (BIO cannot nest)"))
            continue
        label = mention.label
        begin, inside = names.get(label) or names.setdefault(label, (f"B-{label}", f"I-{label}"))
        row[first] = begin
        row[first + 1 : last + 1] = [inside] * (last - first)
    skipped.sort(key=lambda s: s.mention_id)
    return tags, skipped


def _locate(paragraphs_: list[Paragraph], ends: list[int], mention: EntityMention) -> tuple[int, int, int] | str:
    # paragraphs are in text order and do not overlap: the first one ending after the mention's start
    # is the only one it can lie in
    p_index = bisect.bisect_right(ends, mention.start)
    if p_index == len(paragraphs_) or paragraphs_[p_index].start >= mention.end:
        return "outside the title/body text"
    para = paragraphs_[p_index]
    if mention.start < para.start or mention.end > para.end:
        return "crosses a paragraph boundary"
    # tokens overlapping the mention: the first whose end is past its start, up to the last
    # that starts before its end (token offsets are sorted and do not overlap)
    first = bisect.bisect_right(para.token_ends, mention.start)
    last = bisect.bisect_left(para.token_starts, mention.end) - 1
    if first > last:
        return "covers no token"
    if para.token_starts[first] != mention.start or para.token_ends[last] != mention.end:
        return (
            f"does not align to token boundaries (tokens cover "
            f"[{para.token_starts[first]}, {para.token_ends[last]}), mention is [{mention.start}, {mention.end}))"
        )
    return p_index, first, last
