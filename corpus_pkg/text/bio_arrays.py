"""BIO tags of many documents at once, as integer arrays: :func:`~corpus_pkg.text.tokenize.bio_tags`
over the flat token arrays of :mod:`corpus_pkg.text.token_arrays`.

The rule is the same: mentions are placed longest first (then by start, then by id); a mention that
lies outside every paragraph, crosses a paragraph boundary, covers no token, does not align to token
boundaries or overlaps a mention placed before it is skipped, with the same reason. Locating runs as
numpy searches over all mentions together; only mentions whose tokens overlap another located
mention's go through the ordered, one-by-one placement.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .token_arrays import TokenArrays

__all__ = ("MentionArrays", "ParagraphArrays", "place_mentions")

OUTSIDE = "outside the title/body text"
CROSSES = "crosses a paragraph boundary"
NO_TOKEN = "covers no token"
OVERLAPS = "overlaps another mention (BIO cannot nest)"


@dataclass(frozen=True)
class ParagraphArrays:
    """Paragraphs of several documents, in document order and text order within each."""

    doc: np.ndarray  # int64: index of the paragraph's document
    start: np.ndarray  # int64 code-point offsets into the document's raw text
    end: np.ndarray


@dataclass(frozen=True)
class MentionArrays:
    """Mentions of the same documents (any order); ``begin``/``inside`` are their B and I tag codes."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    ids: Sequence[str]
    begin: np.ndarray
    inside: np.ndarray


def place_mentions(
    paras: ParagraphArrays, tokens: TokenArrays, mentions: MentionArrays, outside_code: int = 0
) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Tag codes of every token (``outside_code`` where no mention is placed) and the skipped
    mentions as ``(mention index, reason)`` in no particular order."""
    n_tokens = len(tokens.starts)
    tags = np.full(n_tokens, outside_code, dtype=np.int64)
    m = len(mentions.start)
    if m == 0:
        return tags, []
    m_doc, m_start, m_end = mentions.doc, mentions.start, mentions.end
    # one sorted key space for all documents: document index, then offset
    scale = int(max(paras.end.max(initial=0), m_end.max(), m_start.max(), tokens.ends.max(initial=0))) + 1
    para_key_end = paras.doc * scale + paras.end
    token_doc = np.repeat(paras.doc, np.diff(tokens.bounds))
    key_start, key_end = m_doc * scale + m_start, m_doc * scale + m_end

    # the first paragraph of the document ending after the mention's start is the only one it can lie in
    p = np.searchsorted(para_key_end, key_start, side="right")
    found = p < len(paras.doc)
    pc = np.minimum(p, max(len(paras.doc) - 1, 0))
    if len(paras.doc):
        found &= (paras.doc[pc] == m_doc) & (paras.start[pc] < m_end)
    inside_para = found & (m_start >= paras.start[pc]) & (m_end <= paras.end[pc]) if len(paras.doc) else found
    # tokens overlapping the mention: the first ending after its start, up to the last starting before its end
    first = np.searchsorted(token_doc * scale + tokens.ends, key_start, side="right")
    last = np.searchsorted(token_doc * scale + tokens.starts, key_end, side="left") - 1
    covers = inside_para & (first <= last)
    fc, lc = np.minimum(first, max(n_tokens - 1, 0)), np.maximum(last, 0)
    aligned = covers & (tokens.starts[fc] == m_start) & (tokens.ends[lc] == m_end) if n_tokens else covers

    skipped: list[tuple[int, str]] = [(int(i), OUTSIDE) for i in np.flatnonzero(~found)]
    skipped += [(int(i), CROSSES) for i in np.flatnonzero(found & ~inside_para)]
    skipped += [(int(i), NO_TOKEN) for i in np.flatnonzero(inside_para & ~covers)]
    skipped += [
        (
            int(i),
            f"does not align to token boundaries (tokens cover [{tokens.starts[first[i]]}, {tokens.ends[last[i]]}), "
            f"mention is [{m_start[i]}, {m_end[i]}))",
        )
        for i in np.flatnonzero(covers & ~aligned)
    ]

    located = np.flatnonzero(aligned)
    placed = _without_overlaps(located, first, last, mentions, skipped)
    lengths = last[placed] - first[placed]
    tags[first[placed]] = mentions.begin[placed]
    inner = np.repeat(first[placed] + 1 - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    tags[inner] = np.repeat(mentions.inside[placed], lengths)
    return tags, skipped


def _without_overlaps(
    located: np.ndarray, first: np.ndarray, last: np.ndarray, mentions: MentionArrays, skipped: list[tuple[int, str]]
) -> np.ndarray:
    """The located mentions that get tags. Mentions whose token ranges overlap no other located one's
    are all placed; the others are placed one by one in the rule's order, skipping any that hits a
    token already taken (token ranges of different documents never overlap)."""
    if located.size < 2:
        return located
    order = located[np.argsort(first[located], kind="stable")]
    reach = np.maximum.accumulate(last[order])
    starts_group = np.concatenate(([True], first[order][1:] > reach[:-1]))
    group = np.cumsum(starts_group)
    sizes = np.bincount(group)
    alone = sizes[group] == 1
    if alone.all():
        return located
    contested = sorted(
        order[~alone].tolist(),
        key=lambda i: (mentions.doc[i], -(mentions.end[i] - mentions.start[i]), mentions.start[i], mentions.ids[i], i),
    )
    # token ranges placed so far, disjoint and sorted: the last one starting at or before a mention's
    # last token is the only one that can reach its first (O(log n) a mention, however long they are)
    placed_first: list[int] = []
    placed_last: list[int] = []
    kept = []
    for i in contested:
        lo, hi = int(first[i]), int(last[i])
        k = bisect.bisect_right(placed_first, hi)
        if k and placed_last[k - 1] >= lo:
            skipped.append((i, OVERLAPS))
        else:
            placed_first.insert(k, lo)
            placed_last.insert(k, hi)
            kept.append(i)
    return np.sort(np.concatenate((order[alone], np.array(kept, dtype=np.int64))))
