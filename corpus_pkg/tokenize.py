"""The NER view: paragraphs of title/body text, regex tokens and BIO tags.

Tokenization is deterministic and rule-based (no model): a token is a run of letters, a number
(digits with inner ``,`` or ``.`` groups, as in ``90,000`` or ``1.5``), a run of other word
characters, or any single other non-space character. ``pro-ISIS`` gives ``pro``, ``-``, ``ISIS``;
``U.K.`` gives ``U``, ``.``, ``K``, ``.``. Fine tokens let most mentions align to token boundaries.

A paragraph is a maximal stretch of a ``title``, ``subtitle`` or ``body`` segment without a line
break. A mention is tagged only when it starts and ends exactly on token boundaries inside one
paragraph; otherwise it is *skipped and reported* (never silently widened or cut).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import NamedTuple

from .schema import AnnotationFile, EntityMention

#: The token pattern (see the module docstring); offsets are code points into the raw text.
TOKEN_PATTERN = re.compile(r"\d+(?:[.,]\d+)*|(?:[^\W\d_]|[\u0300-\u036f])+|[\d_]+|[^\w\s]")

#: Segment kinds whose text is tokenized.
NER_SEGMENTS = ("title", "subtitle", "body")

_LINE = re.compile(r"[^\r\n]+")


class Token(NamedTuple):
    """One token: code-point offsets into the raw text and its surface text (a tuple: cheap to make)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One line of article text with its tokens."""

    segment_kind: str
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]

    @cached_property
    def token_starts(self) -> list[int]:
        return [t[0] for t in self.tokens]

    @cached_property
    def token_ends(self) -> list[int]:
        return [t[1] for t in self.tokens]


@dataclass(frozen=True)
class Skipped:
    """A mention left out of the BIO tags, and why."""

    mention_id: str
    reason: str


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset`` (the position of ``text`` in the raw file)."""
    matches = list(TOKEN_PATTERN.finditer(text))
    starts = [m.start() + offset for m in matches]
    ends = [m.end() + offset for m in matches]
    texts = [m.group() for m in matches]
    # tuple.__new__ builds the NamedTuple in C: about 3x faster than calling Token(...) per token.
    return list(map(tuple.__new__, repeat(Token), zip(starts, ends, texts)))


def paragraphs(raw: str, ann: AnnotationFile) -> Iterator[Paragraph]:
    """Paragraphs of the title/subtitle/body segments in text order, surrounding whitespace trimmed."""
    segments = sorted((s for s in ann.segments if s.kind in NER_SEGMENTS), key=lambda s: (s.start, s.end))
    covered = 0  # text before this offset was already emitted (segments may overlap)
    for seg in segments:
        seg_start = max(seg.start, covered)
        if seg_start >= seg.end:
            continue
        covered = max(covered, seg.end)
        for line in _LINE.finditer(raw, seg_start, seg.end):
            text = line.group()
            stripped = text.strip()
            if not stripped:
                continue
            start = line.start() + (len(text) - len(text.lstrip()))
            end = start + len(stripped)
            yield Paragraph(seg.kind, start, end, stripped, tuple(tokenize(stripped, start)))


def bio_tags(paragraphs_: list[Paragraph], mentions: list[EntityMention]) -> tuple[list[list[str]], list[Skipped]]:
    """BIO tag names per paragraph for ``mentions``, and the mentions that could not be tagged.

    Mentions are placed longest first (then by position); a mention that overlaps one already
    placed, crosses a paragraph or token boundary, or lies outside every paragraph is skipped.
    """
    tags = [["O"] * len(p.tokens) for p in paragraphs_]
    skipped: list[Skipped] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.id)):
        where = _locate(paragraphs_, mention)
        if isinstance(where, str):
            skipped.append(Skipped(mention.id, where))
            continue
        p_index, first, last = where
        row = tags[p_index]
        if any(tag != "O" for tag in row[first : last + 1]):
            skipped.append(Skipped(mention.id, "overlaps another mention (BIO cannot nest)"))
            continue
        row[first] = f"B-{mention.label}"
        for k in range(first + 1, last + 1):
            row[k] = f"I-{mention.label}"
    skipped.sort(key=lambda s: s.mention_id)
    return tags, skipped


def _locate(paragraphs_: list[Paragraph], mention: EntityMention) -> tuple[int, int, int] | str:
    for p_index, para in enumerate(paragraphs_):
        if mention.end <= para.start or mention.start >= para.end:
            continue
        if mention.start < para.start or mention.end > para.end:
            return "crosses a paragraph boundary"
        # tokens overlapping the mention: the first whose end is past its start, up to the last
        # that starts before its end (token offsets are sorted and do not overlap)
        first = bisect.bisect_right(para.token_ends, mention.start)
        last = bisect.bisect_left(para.token_starts, mention.end) - 1
        if first > last:
            return "covers no token"
        if para.tokens[first].start != mention.start or para.tokens[last].end != mention.end:
            return (
                f"does not align to token boundaries (tokens cover "
                f"[{para.tokens[first].start}, {para.tokens[last].end}), mention is [{mention.start}, {mention.end}))"
            )
        return p_index, first, last
    return "outside the title/body text"
