"""The numpy tokenizer over many texts gives exactly the tokens and lines of ``token_spans`` and
``paragraphs``.

The proof of exactness has two parts: every code point is run through both tokenizers in several
contexts (so the class table agrees with Python's ``re`` on every character, next to each kind of
neighbour), and hypothesis compares whole texts, from the characters the rule treats differently
and from anywhere.
"""

from __future__ import annotations

import re
import sys
from itertools import chain

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_pkg.corpus import Corpus
from corpus_pkg.text import token_arrays
from corpus_pkg.text.token_arrays import BLANK, BREAK, char_classes, lines_and_tokens, split_lines, tokenize_many
from corpus_pkg.text.tokenize import annotated_text, paragraphs, token_spans
from tests.conftest import REPO

CODE_POINTS = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]

# characters the token rule treats differently: digits and separators of numbers, letters, combining
# marks, the underscore, blanks of every kind, punctuation (ASCII and General Punctuation)
_EDGES = "0123456789.,_aZé\u0301\u0300 \t\u00a0\u2009\u2028\u1680-’“—…€²\x1c\x85\x00🚫中"


def spans_by_paragraph(texts: list[str], offsets: list[int]) -> list[tuple[list[str], list[int], list[int]]]:
    found = tokenize_many(texts, offsets)
    out = []
    for i in range(len(texts)):
        lo, hi = int(found.bounds[i]), int(found.bounds[i + 1])
        out.append((found.texts[lo:hi].to_pylist(), found.starts[lo:hi].tolist(), found.ends[lo:hi].tolist()))
    return out


def expected(texts: list[str], offsets: list[int]) -> list[tuple[list[str], list[int], list[int]]]:
    return [token_spans(text, offset) for text, offset in zip(texts, offsets)]


def test_every_code_point_tokenizes_as_in_python() -> None:
    """Each code point next to each kind of character, many to a text (contexts apart by spaces)."""
    every = "a{c}b 1{c}2 _{c}{c}"  # tells every class apart: letter, digit, ``.``/``,``, ``_``, blank, other
    texts = [" ".join(every.format(c=chr(c)) for c in CODE_POINTS[i : i + 50]) for i in range(0, len(CODE_POINTS), 50)]
    offsets = list(range(len(texts)))
    found = tokenize_many(texts, offsets)
    want = expected(texts, offsets)
    assert np.array_equal(found.bounds, np.cumsum([0] + [len(w[0]) for w in want]))
    assert np.array_equal(found.starts, np.fromiter(chain.from_iterable(w[1] for w in want), dtype=np.int64))
    assert np.array_equal(found.ends, np.fromiter(chain.from_iterable(w[2] for w in want), dtype=np.int64))
    # with the same starts and ends (so lengths), the same characters in a row are the same token texts
    assert found.texts.buffers()[2].to_pybytes().decode() == "".join(chain.from_iterable(w[0] for w in want))


def test_the_cases_of_the_token_rule() -> None:
    """Numbers with inner separators, underscores taking the digits after them, marks, any script."""
    texts = ["1 ,5 a_1 _1.5 U.K. and 90,000", "a  b\u00a0c \td", "", " ", "x", "é\u0301 \u0301é 2²"]
    texts += ["1_2.5 1.2_3.4 _12.5 1..2 1.a 12abc 1,2.3_", "Le 🚫 12,5 中文\x00ok \U0001f4f0\u3000x"]
    offsets = [5, 0, 0, 9, 1, 100, 7, 3]
    assert spans_by_paragraph(texts, offsets) == expected(texts, offsets)
    assert spans_by_paragraph(texts, offsets)[0][0] == [
        "1", ",", "5", "a", "_1", "_1", ".", "5", "U", ".", "K", ".", "and", "90,000",
    ]  # fmt: skip
    assert spans_by_paragraph(texts, offsets)[6][0][:7] == ["1", "_2", ".", "5", "1.2", "_3", "."]


_EDGE_TEXT = st.text(alphabet=st.one_of(st.just(" "), st.sampled_from(_EDGES)), max_size=40)
_ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_EDGE_TEXT, st.integers(0, 10**6)), max_size=8))
def test_texts_of_the_edge_characters_equal_token_spans(items: list[tuple[str, int]]) -> None:
    texts, offsets = [t for t, _ in items], [o for _, o in items]
    assert spans_by_paragraph(texts, offsets) == expected(texts, offsets)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(_EDGE_TEXT, _ANY_TEXT), st.integers(0, 10**6)), max_size=8))
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

_NO_SURROGATES = _LINES_TEXT.filter(lambda t: not any(0xD800 <= ord(c) < 0xE000 for c in t))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_NO_SURROGATES, st.integers(0, 99))))
def test_lines_split_and_stripped_as_in_python(items: list[tuple[str, int]]) -> None:
    texts, offsets = [t for t, _ in items], [o for _, o in items]
    assert arrow_lines(texts, offsets) == python_lines(texts, offsets)


def test_every_blank_is_stripped_as_python_strips_it() -> None:
    blanks = [chr(c) for c in CODE_POINTS if chr(c).isspace()]
    classes = char_classes(np.array(CODE_POINTS, dtype=np.uint32))
    assert [chr(c) for c, cls in zip(CODE_POINTS, classes.tolist()) if cls in (BREAK, BLANK)] == blanks
    texts = [f"{b}x{b}" for b in blanks] + [f"\r\n{b}\n" for b in blanks]
    assert arrow_lines(texts, [0] * len(texts)) == python_lines(texts, [0] * len(texts))


def test_the_seed_articles_keep_their_paragraphs_and_tokens() -> None:
    corpus = Corpus.at(REPO)
    docs = list(corpus.iter_documents())
    assert docs
    segments = [(doc.text[start:end], start) for doc in docs for _, start, end in annotated_text(doc.annotations)]
    lines, tokens = lines_and_tokens([text for text, _ in segments], [start for _, start in segments])
    texts = lines.texts.to_pylist()
    assert any(ch in text for text in texts for ch in "’“—")  # curly quotes and dashes are there
    want = [p for doc in docs for p in paragraphs(doc.text, doc.annotations)]
    assert list(zip(lines.starts.tolist(), lines.ends.tolist(), texts)) == [(p.start, p.end, p.text) for p in want]
    got = [
        (tokens.texts[lo:hi].to_pylist(), tokens.starts[lo:hi].tolist(), tokens.ends[lo:hi].tolist())
        for lo, hi in zip(tokens.bounds[:-1].tolist(), tokens.bounds[1:].tolist())
    ]
    assert got == [(p.tokens, p.token_starts, p.token_ends) for p in want]
    assert tokens.texts.buffers()[0] is None and lines.texts.buffers()[0] is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NO_SURROGATES, st.integers(0, 99))))
def test_lines_and_tokens_equal_split_lines_then_tokenize_many(items: list[tuple[str, int]]) -> None:
    texts, offsets = [t for t, _ in items], [o for _, o in items]
    lines, tokens = lines_and_tokens(texts, offsets)
    assert arrow_lines(texts, offsets) == list(
        zip(lines.source.tolist(), lines.starts.tolist(), lines.ends.tolist(), lines.texts.to_pylist())
    )
    want = tokenize_many(lines.texts.to_pylist(), lines.starts)
    assert tokens.bounds.tolist() == want.bounds.tolist()
    assert tokens.starts.tolist() == want.starts.tolist() and tokens.ends.tolist() == want.ends.tolist()
    assert tokens.texts.equals(want.texts)


def test_texts_beyond_what_arrow_strings_hold_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """String offsets are int32: a batch of more UTF-8 bytes is an error, not wrapped offsets."""
    monkeypatch.setattr(token_arrays, "_MAX_BYTES", 5)
    assert tokenize_many(["ab", "é"], [0, 0]).texts.to_pylist() == ["ab", "é"]  # 4 bytes
    with pytest.raises(ValueError, match="6 UTF-8 bytes"):
        lines_and_tokens(["ab", "éé"], [0, 0])
