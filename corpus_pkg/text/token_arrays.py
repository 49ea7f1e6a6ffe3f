"""The tokenizer of :mod:`corpus_pkg.text.tokenize` run over many texts at once, as numpy arrays.

The texts are joined and read as one array of code points; a table gives each code point its class
under ``TOKEN_PATTERN`` (blank, letter, digit, underscore, ``.``/``,``, other), filled by Python's
own ``re`` the first time a code point is met, so every Unicode character and version agrees with
``token_spans``. The pattern's choices then become array comparisons: where a token starts, where it
ends. Lines (the ``ner`` paragraphs: runs without ``\\r``/``\\n``, blanks stripped) come from the
same arrays, and the texts of lines and tokens are cut from the UTF-8 bytes of the joined text. No
Python object is made per token or line. tests/text/test_token_arrays.py runs both tokenizers over
every code point.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

__all__ = (
    "LineArrays",
    "TokenArrays",
    "char_classes",
    "lines_and_tokens",
    "split_lines",
    "tokenize_many",
    "without_validity",
)

# classes of a code point under TOKEN_PATTERN (0: not read yet); a BREAK (``\r``, ``\n``) is a blank too
BREAK, BLANK, LETTER, DIGIT, UNDERSCORE, JOINER, OTHER = 1, 2, 3, 4, 5, 6, 7
_CLASS_TESTS = (
    (BREAK, re.compile(r"[\r\n]")),
    (BLANK, re.compile(r"\s")),
    (JOINER, re.compile(r"[.,]")),  # inside a number (``1.5``, ``90,000``) or a token of its own
    (DIGIT, re.compile(r"\d")),
    (LETTER, re.compile(r"[^\W\d_]|[\u0300-\u036f]")),
    (UNDERSCORE, re.compile(r"_")),  # with the digits, ``[\d_]+``
)
_TABLE = np.zeros(sys.maxunicode + 1, dtype=np.uint8)
_MAX_BYTES = np.iinfo(np.int32).max  # string offsets are int32


def char_classes(code_points: np.ndarray) -> np.ndarray:
    """The class of each code point (``BREAK`` ... ``OTHER``), as Python's ``re`` reads it."""
    classes = np.take(_TABLE, code_points)
    if not classes.all():
        new = np.unique(code_points[classes == 0])
        chars = new.astype("<u4").tobytes().decode("utf-32-le")
        found = np.full(len(new), OTHER, dtype=np.uint8)  # ``[^\w\s]``: none of the classes before
        for cls, test in reversed(_CLASS_TESTS):  # the first test a character passes decides
            found[[m.start() for m in test.finditer(chars)]] = cls
        # each entry is written once, with its final class: a thread reading the table meanwhile sees
        # either 0 (and classes the character itself) or the right class, never a provisional one
        _TABLE[new] = found
        classes = np.take(_TABLE, code_points)
    return classes


@dataclass(frozen=True)
class TokenArrays:
    """Tokens of a list of paragraphs, flat: paragraph ``i`` owns tokens ``bounds[i]:bounds[i+1]``."""

    bounds: np.ndarray  # int64, one more than there are paragraphs
    starts: np.ndarray  # int64 code-point offsets (each paragraph's offset added)
    ends: np.ndarray
    texts: pa.StringArray  # token texts, no validity buffer (as ``pa.array`` of a list of str makes)


@dataclass(frozen=True)
class LineArrays:
    """Non-blank lines of a list of texts, stripped: what ``paragraph_lines`` makes of each segment."""

    source: np.ndarray  # int64: index of the text each line comes from
    starts: np.ndarray  # int64 code-point offsets (each text's offset added)
    ends: np.ndarray
    texts: pa.StringArray  # the stripped lines, no validity buffer


class _Joined:
    """Texts joined into one: code points, their classes, UTF-8 bytes and where each text starts."""

    def __init__(self, texts: Sequence[str]) -> None:
        joined = "".join(texts)
        self.points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        self.n = n = len(self.points)
        self.classes = char_classes(self.points)
        self.blank = self.classes <= BLANK
        self.utf8 = pa.py_buffer(joined.encode("utf-8"))
        if self.utf8.size > _MAX_BYTES:
            raise ValueError(f"texts of {self.utf8.size} UTF-8 bytes together: Arrow strings hold {_MAX_BYTES} at most")
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        self.text_starts = np.concatenate(([0], np.cumsum(lengths)))
        self.first = np.zeros(n + 1, dtype=bool)  # a text starts here (and the end of the last one)
        self.first[self.text_starts] = True
        self.within = ~self.first[:n]  # the code point before is of the same text
        self.wide: np.ndarray | None = None  # where the code points of more than one UTF-8 byte are (None: ASCII)
        if self.utf8.size != n:
            self.wide = np.flatnonzero(self.points >= 0x80)
            points = self.points[self.wide]
            extra = 1 + (points >= 0x800).astype(np.int64) + (points >= 0x10000)
            self.wide_extra = np.concatenate(([0], np.cumsum(extra)))  # bytes beyond one, before each wide one

    def bytes_at(self, cuts: np.ndarray) -> np.ndarray:
        """Byte offsets of the code point offsets ``cuts`` (sorted) in the UTF-8 text."""
        if self.wide is None:
            return cuts
        # the wide code points before each cut: counted from where each wide one falls among the cuts
        counts = np.bincount(np.searchsorted(cuts, self.wide, side="right"), minlength=len(cuts) + 1)
        return cuts + self.wide_extra[np.cumsum(counts[: len(cuts)])]

    def after(self, mask: np.ndarray) -> np.ndarray:
        """``mask`` of the code point before, in the same text (False at a text's start)."""
        out = np.zeros(self.n, dtype=bool)
        out[1:] = mask[:-1]
        out &= self.within
        return out

    def strings(self, starts: np.ndarray, ends: np.ndarray) -> pa.StringArray:
        """Strings ``[starts[i], ends[i])`` (code points; sorted, disjoint), cut from the UTF-8 bytes."""
        cuts = np.empty(2 * len(starts) + 2, dtype=np.int64)  # gap, string, gap, ..., string, gap
        cuts[0], cuts[-1] = 0, len(self.utf8)
        cuts[1:-1:2], cuts[2:-1:2] = starts, ends
        cuts[1:-1] = self.bytes_at(cuts[1:-1])
        pieces = pa.StringArray.from_buffers(len(cuts) - 1, pa.py_buffer(cuts.astype(np.int32)), self.utf8)
        return without_validity(pieces.take(pa.array(np.arange(1, len(cuts) - 1, 2))))

    def tokens(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end (code points into the joined text) of every token, in order."""
        cls = self.classes
        digit, underscore, letter, joiner = cls == DIGIT, cls == UNDERSCORE, cls == LETTER, cls == JOINER
        word = digit | underscore  # a run of these is a number, then ``[\d_]+`` from its first underscore on
        in_underscores = underscore
        at = np.flatnonzero(underscore)
        if at.size:  # from each underscore to the end of its run
            word_next = np.zeros(self.n, dtype=bool)
            word_next[:-1] = word[1:] & self.within[1:]
            run_ends = np.flatnonzero(word & ~word_next) + 1
            ends = run_ends[np.searchsorted(run_ends, at, side="right")]
            marks = np.bincount(at, minlength=self.n + 1) - np.bincount(ends, minlength=self.n + 1)
            in_underscores = np.cumsum(marks[: self.n]) > 0
        number = digit & ~in_underscores
        digit_next = np.zeros(self.n, dtype=bool)
        digit_next[:-1] = digit[1:] & self.within[1:]
        inner_joiner = joiner & self.after(number) & digit_next  # the ``.`` of ``1.5``
        starts = (
            (cls == OTHER)
            | (joiner & ~inner_joiner)
            | (letter & ~self.after(letter))
            | (underscore & ~self.after(in_underscores))
            | (digit & ~self.after(word) & ~self.after(inner_joiner))
        )
        next_starts = np.ones(self.n, dtype=bool)
        next_starts[:-1] = starts[1:] | self.blank[1:] | ~self.within[1:]
        return np.flatnonzero(starts), np.flatnonzero(~self.blank & next_starts) + 1

    def token_arrays(self, spans: tuple[np.ndarray, np.ndarray], bounds: np.ndarray, shift: np.ndarray) -> TokenArrays:
        """The tokens ``spans`` (of :meth:`tokens`); ``bounds`` cut them into paragraphs, ``shift[i]``
        turns paragraph ``i``'s positions in the joined text into offsets."""
        starts, ends = spans
        moved = np.repeat(shift, np.diff(bounds))
        return TokenArrays(bounds, starts + moved, ends + moved, self.strings(starts, ends))

    def lines(self, spans: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Start and end (code points into the joined text) of every stripped non-blank line, and
        the index of its first token: a line runs from its first token to its last (``spans``)."""
        pieces = np.flatnonzero((self.classes == BREAK) | ~self.within)  # runs without breaks
        first = np.searchsorted(spans[0], pieces)
        count = np.diff(np.append(first, len(spans[0])))
        kept = first[count > 0]
        return spans[0][kept], spans[1][kept + count[count > 0] - 1], kept


def without_validity(strings: pa.StringArray) -> pa.StringArray:
    """``strings`` (no nulls, offset 0) without a validity buffer, so its size counts as ``pa.array``'s would."""
    buffers = strings.buffers()
    return pa.Array.from_buffers(pa.string(), len(strings), [None, buffers[1], buffers[2]])


def _line_arrays(
    joined: _Joined, offsets: np.ndarray, spans: tuple[np.ndarray, np.ndarray]
) -> tuple[LineArrays, np.ndarray, np.ndarray]:
    """The lines, the token bounds of each, and what turns a line's joined positions into offsets."""
    starts, ends, first_token = joined.lines(spans)
    source = np.searchsorted(joined.text_starts, starts, side="right") - 1
    shift = offsets[source] - joined.text_starts[source]
    lines = LineArrays(source, starts + shift, ends + shift, joined.strings(starts, ends))
    return lines, np.append(first_token, len(spans[0])), shift


def lines_and_tokens(texts: Sequence[str], offsets: Sequence[int] | np.ndarray) -> tuple[LineArrays, TokenArrays]:
    """:func:`split_lines` of ``texts`` and the tokens of each of those lines (one pass over the texts)."""
    joined = _Joined(texts)
    spans = joined.tokens()
    lines, bounds, shift = _line_arrays(joined, np.asarray(offsets, dtype=np.int64), spans)
    return lines, joined.token_arrays(spans, bounds, shift)


def split_lines(texts: Sequence[str], offsets: Sequence[int] | np.ndarray) -> LineArrays:
    """For every text, its maximal runs of characters other than ``\\r`` and ``\\n`` with blanks
    stripped (``str.strip``), blank ones left out, offsets shifted by the text's offset."""
    joined = _Joined(texts)
    return _line_arrays(joined, np.asarray(offsets, dtype=np.int64), joined.tokens())[0]


def tokenize_many(texts: Sequence[str], offsets: Sequence[int] | np.ndarray) -> TokenArrays:
    """Tokens of each text, offsets shifted by that text's offset: for every ``i``, the tokens of
    text ``i`` equal ``token_spans(texts[i], offsets[i])``. Texts hold no lone surrogates."""
    joined = _Joined(texts)
    spans = joined.tokens()
    bounds = np.searchsorted(spans[0], joined.text_starts)
    return joined.token_arrays(spans, bounds, np.asarray(offsets, dtype=np.int64) - joined.text_starts[:-1])
