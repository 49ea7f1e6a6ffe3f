"""The RE2 tokenizer over many paragraphs gives exactly the tokens of ``token_spans``.

The proof of exactness has two parts: every code point of ``FAST_RANGES`` is run through both
engines in several contexts (so each RE2 class agrees with Python's on every character the fast
path accepts), and hypothesis compares whole texts, from the fast alphabet and from anywhere
(which the guard must route to the Python tokenizer).
"""

from __future__ import annotations

import re
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_pkg.corpus import Corpus
from corpus_pkg.text.token_arrays import FAST_RANGES, _blanks, fast_pattern, split_lines, tokenize_many
from corpus_pkg.text.tokenize import annotated_text, paragraphs, token_spans
from tests.conftest import REPO

FAST_CODE_POINTS = [c for first, last in FAST_RANGES for c in range(first, last + 1)]

# characters the token rule treats differently: digits and separators of numbers, letters, combining
# marks, the underscore, blanks of every kind, punctuation (ASCII and General Punctuation)
_EDGES = "0123456789.,_aZé\u0301\u0300 \t\u00a0\u2009\u2028\u1680-’“—…€²\x1c\x85"


def spans_by_paragraph(texts: list[str], offsets: list[int]) -> list[tuple[list[str], list[int], list[int]]]:
    found = tokenize_many(texts, offsets)
    out = []
    for i in range(len(texts)):
        lo, hi = int(found.bounds[i]), int(found.bounds[i + 1])
        out.append((found.texts[lo:hi].to_pylist(), found.starts[lo:hi].tolist(), found.ends[lo:hi].tolist()))
    return out


def expected(texts: list[str], offsets: list[int]) -> list[tuple[list[str], list[int], list[int]]]:
    return [token_spans(text, offset) for text, offset in zip(texts, offsets)]


def test_every_code_point_of_the_fast_ranges_tokenizes_as_in_python() -> None:
    contexts = ("{c}", "a{c}b", "1{c}2", "1.{c}", "_{c}_", "{c}{c} {c}", "é{c}1", "x {c}\u0301", "{c}1,5")
    texts = [ctx.format(c=chr(c)) for c in FAST_CODE_POINTS for ctx in contexts]
    offsets = list(range(len(texts)))
    fast = ~np.asarray(pc.match_substring_regex(pa.array(texts), pattern=fast_pattern()[1]))
    assert fast.all()  # every one of them takes the RE2 path
    assert spans_by_paragraph(texts, offsets) == expected(texts, offsets)


def test_runs_of_tokens_joined_by_single_spaces() -> None:
    """One regex match takes tokens joined by single spaces; the split on spaces gives the tokens."""
    texts = ["1 ,5 a_1 _1.5 U.K. and 90,000", "a  b\u00a0c \td", "", " ", "x", "é\u0301 \u0301é 2²"]
    offsets = [5, 0, 0, 9, 1, 100]
    assert spans_by_paragraph(texts, offsets) == expected(texts, offsets)
    assert spans_by_paragraph(texts, offsets)[0][0] == [
        "1", ",", "5", "a", "_1", "_1", ".", "5", "U", ".", "K", ".", "and", "90,000",
    ]  # fmt: skip


def test_the_guard_sends_every_other_character_to_python() -> None:
    outside = fast_pattern()[1]
    samples = ["\x00", "\u0800", "\u1dff", "\u1f00", "\u20d0", "\u3000", "\U0001f4f0", "\uffff", "中文"]
    assert pc.match_substring_regex(pa.array(samples), pattern=outside).to_pylist() == [True] * len(samples)
    texts = [f"Le {s} 12,5 ok" for s in samples] + ["plain text"]
    offsets = [3] * len(texts)
    assert spans_by_paragraph(texts, offsets) == expected(texts, offsets)


_FAST_TEXT = st.text(
    alphabet=st.one_of(st.just(" "), st.sampled_from(_EDGES), st.sampled_from([chr(c) for c in FAST_CODE_POINTS])),
    max_size=40,
)
_ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_FAST_TEXT, st.integers(0, 10**6)), max_size=8))
def test_fast_alphabet_texts_equal_token_spans(items: list[tuple[str, int]]) -> None:
    texts, offsets = [t for t, _ in items], [o for _, o in items]
    assert spans_by_paragraph(texts, offsets) == expected(texts, offsets)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(_FAST_TEXT, _ANY_TEXT), st.integers(0, 10**6)), max_size=8))
def test_any_texts_equal_token_spans(items: list[tuple[str, int]]) -> None:
    texts, offsets = [t for t, _ in items], [o for _, o in items]
    assert spans_by_paragraph(texts, offsets) == expected(texts, offsets)


def test_token_texts_have_no_validity_buffer() -> None:
    found = tokenize_many(["a b", "é\U0001f4f0 c"], [0, 10])
    assert found.texts.buffers()[0] is None
    assert found.texts.nbytes == pa.array(["a", "b", "é", "\U0001f4f0", "c"]).nbytes
    empty = tokenize_many([], [])
    assert empty.bounds.tolist() == [0] and len(empty.texts) == 0


def python_lines(texts: list[str], offsets: list[int]) -> list[tuple[int, int, int, str]]:
    """The lines rule of ``paragraphs`` in plain Python: (text index, start, end, stripped text)."""
    out = []
    for i, (text, offset) in enumerate(zip(texts, offsets)):
        for line in re.finditer(r"[^\r\n]+", text):
            stripped = line.group().strip()
            if stripped:
                start = offset + line.start() + len(line.group()) - len(line.group().lstrip())
                out.append((i, start, start + len(stripped), stripped))
    return out


def arrow_lines(texts: list[str], offsets: list[int]) -> list[tuple[int, int, int, str]]:
    found = split_lines(texts, offsets)
    assert found.texts.buffers()[0] is None
    return list(zip(found.source.tolist(), found.starts.tolist(), found.ends.tolist(), found.texts.to_pylist()))


_LINES_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(_EDGES + "\r\n\v\f\u3000\u2029ab"), st.characters()), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_LINES_TEXT.filter(lambda t: not any(0xD800 <= ord(c) < 0xE000 for c in t)), st.integers(0, 99)))
)
def test_lines_split_and_stripped_as_in_python(items: list[tuple[str, int]]) -> None:
    texts, offsets = [t for t, _ in items], [o for _, o in items]
    assert arrow_lines(texts, offsets) == python_lines(texts, offsets)


def test_every_blank_is_stripped_as_python_strips_it() -> None:
    blanks = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert _blanks() == "".join(blanks)
    texts = [f"{b}x{b}" for b in blanks] + [f"\r\n{b}\n" for b in blanks]
    assert arrow_lines(texts, [0] * len(texts)) == python_lines(texts, [0] * len(texts))


def test_the_seed_articles_take_the_fast_path_and_keep_their_paragraphs_and_tokens() -> None:
    corpus = Corpus.at(REPO)
    docs = list(corpus.iter_documents())
    assert docs
    segments = [(doc.text[start:end], start) for doc in docs for _, start, end in annotated_text(doc.annotations)]
    lines = split_lines([text for text, _ in segments], [start for _, start in segments])
    texts = lines.texts.to_pylist()
    assert any(ch in text for text in texts for ch in "’“—")  # curly quotes and dashes are there
    outside = pc.match_substring_regex(lines.texts, pattern=fast_pattern()[1])
    assert not any(outside.to_pylist())
    want = [p for doc in docs for p in paragraphs(doc.text, doc.annotations)]
    assert list(zip(lines.starts.tolist(), lines.ends.tolist(), texts)) == [(p.start, p.end, p.text) for p in want]
    got = spans_by_paragraph(texts, lines.starts.tolist())
    assert got == [(p.tokens, p.token_starts, p.token_ends) for p in want]
