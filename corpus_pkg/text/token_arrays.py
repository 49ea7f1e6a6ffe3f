"""The tokenizer of :mod:`corpus_pkg.text.tokenize` run over many paragraphs at once, as arrays.

The same token rule, executed by RE2 inside pyarrow's compute functions: one regex replacement puts a
separator around every run of tokens joined by single spaces, one split cuts gaps and runs apart, a
plain split on spaces cuts the runs into tokens, and code-point lengths summed with numpy give the
offsets. No Python object is made per token; the token texts stay an Arrow array. :func:`split_lines`
cuts segments into stripped lines (the ``ner`` paragraphs) the same way.

RE2 and Python's ``re`` disagree on ``\\w``, ``\\d`` and ``\\s`` (ASCII there, Unicode here, and
Unicode versions differ). So the RE2 pattern spells every class out as explicit code-point ranges,
read from Python's own ``re`` over :data:`FAST_RANGES`, and only paragraphs made entirely of those
characters take this path; any other paragraph (an emoji, CJK, a NUL, which is the separator) is
tokenized by :func:`~corpus_pkg.text.tokenize.token_spans` itself. tests/text/test_token_arrays.py
runs both engines over every code point of the ranges.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .tokenize import token_spans

__all__ = ("FAST_RANGES", "TokenArrays", "fast_pattern", "tokenize_many")

#: Code points (inclusive ranges) whose paragraphs RE2 tokenizes: Latin, Greek, Cyrillic, Hebrew,
#: Arabic and the other scripts below U+0800, Latin Extended Additional, and General Punctuation with
#: the super/subscripts and currency signs (curly quotes, dashes, ellipsis, euro). U+0000 is the separator.
FAST_RANGES: tuple[tuple[int, int], ...] = ((0x0001, 0x07FF), (0x1E00, 0x1EFF), (0x2000, 0x20CF))

_SEP = "\x00"
_MARK = f"{_SEP}\\0{_SEP}"  # a separator either side of the match


@dataclass(frozen=True)
class TokenArrays:
    """Tokens of a list of paragraphs, flat: paragraph ``i`` owns tokens ``bounds[i]:bounds[i+1]``."""

    bounds: np.ndarray  # int64, one more than there are paragraphs
    starts: np.ndarray  # int64 code-point offsets (each paragraph's offset added)
    ends: np.ndarray
    texts: pa.StringArray  # token texts, no validity buffer (as ``pa.array`` of a list of str makes)


def _ranges(code_points: list[int]) -> str:
    """An RE2 class body for a sorted list of code points: ``\\x{..}-\\x{..}`` ranges."""
    out = []
    i = 0
    while i < len(code_points):
        j = i
        while j + 1 < len(code_points) and code_points[j + 1] == code_points[j] + 1:
            j += 1
        first, last = code_points[i], code_points[j]
        out.append(f"\\x{{{first:X}}}" if first == last else f"\\x{{{first:X}}}-\\x{{{last:X}}}")
        i = j + 1
    return "".join(out)


def _members(pattern: str, chars: str) -> list[int]:
    return [ord(m.group()) for m in re.finditer(pattern, chars)]


@cache
def fast_pattern() -> tuple[str, str]:
    """(token pattern, outside-the-ranges pattern) for RE2, read from Python's ``re`` over the ranges.

    The token pattern is ``TOKEN_PATTERN`` with each class replaced by the code points of the ranges
    that Python's class matches; it is exact for text made only of those code points."""
    chars = "".join(chr(c) for first, last in FAST_RANGES for c in range(first, last + 1))
    digits = _members(r"\d", chars)
    letters = sorted(set(_members(r"[^\W\d_]", chars)) | set(range(0x300, 0x370)))
    digits_under = _members(r"[\d_]", chars)
    other = _members(r"[^\w\s]", chars)
    d = f"[{_ranges(digits)}]"
    token = f"{d}+(?:[.,]{d}+)*|[{_ranges(letters)}]+|[{_ranges(digits_under)}]+|[{_ranges(other)}]"
    inside = [c for first, last in FAST_RANGES for c in range(first, last + 1)]
    return token, f"[^{_ranges(inside)}]"


def tokenize_many(texts: Sequence[str] | pa.StringArray, offsets: Sequence[int] | np.ndarray) -> TokenArrays:
    """Tokens of each text, offsets shifted by that text's offset: for every ``i``, the tokens of
    paragraph ``i`` equal ``token_spans(texts[i], offsets[i])``. Texts are Python strings of the
    raw article (no lone surrogates), or an Arrow string array of them without nulls."""
    offsets = np.asarray(offsets, dtype=np.int64)
    strings = texts if isinstance(texts, pa.StringArray) else pa.array(texts, type=pa.string())
    token, outside = fast_pattern()
    slow = np.flatnonzero(pc.match_substring_regex(strings, pattern=outside).to_numpy(zero_copy_only=False))
    if slow.size == 0:
        return _fast(strings, offsets, token)
    fast = np.ones(len(texts), dtype=bool)
    fast[slow] = False
    parts = [_fast(strings.filter(pa.array(fast)), offsets[fast], token)]
    parts += [_python(strings[int(i)].as_py(), int(offsets[i])) for i in slow]
    # tokens of the fast paragraphs first, then each slow one: put them back in paragraph order
    counts = np.empty(len(texts), dtype=np.int64)
    counts[fast] = np.diff(parts[0].bounds)
    counts[slow] = [len(p.starts) for p in parts[1:]]
    source = np.empty(len(texts), dtype=np.int64)  # where each paragraph's tokens start in the parts
    source[fast] = parts[0].bounds[:-1]
    source[slow] = len(parts[0].starts) + np.cumsum([0] + [len(p.starts) for p in parts[1:-1]])
    bounds = np.concatenate(([0], np.cumsum(counts)))
    order = np.repeat(source - bounds[:-1], counts) + np.arange(bounds[-1])
    texts_ = pa.concat_arrays([p.texts for p in parts]).take(pa.array(order))
    return TokenArrays(
        bounds,
        np.concatenate([p.starts for p in parts])[order],
        np.concatenate([p.ends for p in parts])[order],
        _plain(texts_),
    )


def _fast(strings: pa.StringArray, offsets: np.ndarray, token: str) -> TokenArrays:
    """RE2 over paragraphs made of FAST_RANGES characters only.

    One match takes a run of tokens joined by single spaces (``T( T)*``: each token of it is the
    one the token pattern alone matches there, as the run can end after any token), which the
    plain split on ``" "`` then cuts: about six times fewer regex matches than one per token."""
    marked = pc.replace_substring_regex(strings, pattern=f"(?:{token})(?: (?:{token}))*", replacement=_MARK)
    pieces = pc.split_pattern(marked, _SEP)  # per paragraph: gap, run, gap, run, ..., gap
    piece_bounds = pieces.offsets.to_numpy().astype(np.int64)
    values = pieces.values
    lengths = pc.utf8_length(values).to_numpy().astype(np.int64)
    n_pieces = np.diff(piece_bounds)
    n_runs = (n_pieces - 1) // 2
    sums = np.concatenate(([0], np.cumsum(lengths)))
    # where each piece starts: its paragraph's offset plus the lengths of the pieces before it there
    positions = sums[:-1] + np.repeat(offsets - sums[piece_bounds[:-1]], n_pieces)
    run_bounds = np.concatenate(([0], np.cumsum(n_runs)))
    local = np.arange(run_bounds[-1]) - np.repeat(run_bounds[:-1], n_runs)
    runs = np.repeat(piece_bounds[:-1], n_runs) + 1 + 2 * local  # the odd pieces are the runs
    words = pc.split_pattern(values.take(pa.array(runs)), " ")
    word_bounds = words.offsets.to_numpy().astype(np.int64)
    texts = words.values
    word_lengths = pc.utf8_length(texts).to_numpy().astype(np.int64)
    n_words = np.diff(word_bounds)
    steps = np.concatenate(([0], np.cumsum(word_lengths + 1)))  # each token and the space after it
    starts = steps[:-1] + np.repeat(positions[runs] - steps[word_bounds[:-1]], n_words)
    bounds = word_bounds[run_bounds]  # a paragraph's tokens are those of its runs
    return TokenArrays(bounds, starts, starts + word_lengths, _plain(texts))


def _python(text: str, offset: int) -> TokenArrays:
    texts, starts, ends = token_spans(text, offset)
    return TokenArrays(
        np.array([0, len(texts)], dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        pa.array(texts, type=pa.string()),
    )


def _plain(strings: pa.Array) -> pa.StringArray:
    """``strings`` (no nulls) without a validity buffer, so its size counts as ``pa.array``'s would."""
    strings = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    if strings.offset:
        strings = pa.concat_arrays([strings])
    buffers = strings.buffers()
    return pa.Array.from_buffers(pa.string(), len(strings), [None, buffers[1], buffers[2]])


@dataclass(frozen=True)
class LineArrays:
    """Non-blank lines of a list of texts, stripped: what ``paragraph_lines`` makes of each segment."""

    source: np.ndarray  # int64: index of the text each line comes from
    starts: np.ndarray  # int64 code-point offsets (each text's offset added)
    ends: np.ndarray
    texts: pa.StringArray  # the stripped lines, no validity buffer


@cache
def _blanks() -> str:
    """Every character ``str.strip`` removes (read from Python, so any Unicode version agrees): ``re``'s
    ``\\s`` is the same test as ``str.isspace``, run in C over every code point but the surrogates."""
    code_points = np.concatenate(
        (np.arange(0xD800, dtype=np.uint32), np.arange(0xE000, sys.maxunicode + 1, dtype=np.uint32))
    )
    return re.sub(r"\S+", "", code_points.tobytes().decode("utf-32-le"))


def split_lines(texts: Sequence[str], offsets: Sequence[int] | np.ndarray) -> LineArrays:
    """For every text, its maximal runs of characters other than ``\\r`` and ``\\n`` with blanks
    stripped (``str.strip``), blank ones left out, offsets shifted by the text's offset."""
    offsets = np.asarray(offsets, dtype=np.int64)
    strings = pc.replace_substring(pa.array(texts, type=pa.string()), "\r", "\n")
    pieces = pc.split_pattern(strings, "\n")  # a run of breaks gives empty pieces, left out below
    piece_bounds = pieces.offsets.to_numpy().astype(np.int64)
    values = pieces.values
    lengths = pc.utf8_length(values).to_numpy().astype(np.int64)
    n_pieces = np.diff(piece_bounds)
    sums = np.concatenate(([0], np.cumsum(lengths + 1)))  # each piece and the break after it
    positions = sums[:-1] + np.repeat(offsets - sums[piece_bounds[:-1]], n_pieces)
    left = pc.utf8_ltrim(values, characters=_blanks())
    stripped = pc.utf8_rtrim(left, characters=_blanks())
    kept_lengths = pc.utf8_length(stripped).to_numpy().astype(np.int64)
    keep = kept_lengths > 0
    starts = (positions + lengths - pc.utf8_length(left).to_numpy())[keep]
    source = np.repeat(np.arange(len(texts), dtype=np.int64), n_pieces)[keep]
    return LineArrays(source, starts, starts + kept_lengths[keep], _plain(stripped.filter(pa.array(keep))))
