"""BIO placement over flat arrays of many documents equals ``bio_tags`` document by document:
the same tags, and the same skipped mentions with the same reasons."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_pkg.schema import EntityMention
from corpus_pkg.text.bio_arrays import MentionArrays, ParagraphArrays, place_mentions
from corpus_pkg.text.token_arrays import tokenize_many
from corpus_pkg.text.tokenize import Paragraph, bio_tags, token_spans

NAMES = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG")
CODES = {"PER": (1, 2), "ORG": (3, 4)}


def lines_of(raw: str) -> list[Paragraph]:
    """Paragraphs of ``raw``: its non-blank lines, stripped (as ``paragraphs`` makes them)."""
    out, pos = [], 0
    for line in raw.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            out.append(Paragraph("body", start, start + len(stripped), stripped, *token_spans(stripped, start)))
        pos += len(line) + 1
    return out


def placed_in_bulk(raws: list[str], mentions: list[list[EntityMention]]) -> tuple[list, list]:
    """Tag names per paragraph per document, and (mention id, reason) per document, from place_mentions."""
    paras = [lines_of(raw) for raw in raws]
    flat = [p for doc_paras in paras for p in doc_paras]
    doc_of = np.repeat(np.arange(len(raws)), [len(p) for p in paras])
    tokens = tokenize_many([p.text for p in flat], [p.start for p in flat])
    doc_index = [d for d, ms in enumerate(mentions) for _ in ms]
    every = [m for ms in mentions for m in ms]
    arrays = MentionArrays(
        np.array(doc_index, dtype=np.int64),
        np.array([m.start for m in every], dtype=np.int64),
        np.array([m.end for m in every], dtype=np.int64),
        [m.id for m in every],
        np.array([CODES[m.label][0] for m in every], dtype=np.int64),
        np.array([CODES[m.label][1] for m in every], dtype=np.int64),
    )
    para_arrays = ParagraphArrays(
        doc_of.astype(np.int64),
        np.array([p.start for p in flat], dtype=np.int64),
        np.array([p.end for p in flat], dtype=np.int64),
    )
    tags, skipped = place_mentions(para_arrays, tokens, arrays)
    names = [NAMES[t] for t in tags.tolist()]
    per_para = [names[tokens.bounds[i] : tokens.bounds[i + 1]] for i in range(len(flat))]
    tags_by_doc, at = [], 0
    for doc_paras in paras:
        tags_by_doc.append(per_para[at : at + len(doc_paras)])
        at += len(doc_paras)
    skipped_by_doc: list[list] = [[] for _ in raws]
    for i, reason in skipped:
        m = every[i]
        skipped_by_doc[doc_index[i]].append(((m.id, -(m.end - m.start), m.start, i), (m.id, reason)))
    return tags_by_doc, [[pair for _, pair in sorted(items)] for items in skipped_by_doc]


def one_by_one(raws: list[str], mentions: list[list[EntityMention]]) -> tuple[list, list]:
    tags, skipped = [], []
    for raw, ms in zip(raws, mentions):
        doc_tags, doc_skipped = bio_tags(lines_of(raw), ms)
        tags.append(doc_tags)
        skipped.append([(s.mention_id, s.reason) for s in doc_skipped])
    return tags, skipped


_WORDS = st.sampled_from(["Jane", "Doe", "U.K.", "90,000", "pro-ISIS", "Café", "’s", "—", "a_1", "x"])
_RAW = st.lists(st.one_of(_WORDS, st.sampled_from([" ", "  ", "\n", " \n "])), max_size=25).map("".join)


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[str], list[list[EntityMention]]]:
    raws = draw(st.lists(_RAW, min_size=1, max_size=4))
    mentions = []
    for raw in raws:
        spans = []
        _, starts, ends = token_spans(raw)
        cuts = sorted({0, len(raw), *starts, *ends})
        for _ in range(draw(st.integers(0, 8))):
            if draw(st.booleans()) and len(cuts) > 1:  # on token boundaries: placed, or overlapping
                start = draw(st.sampled_from(cuts[:-1]))
                end = draw(st.sampled_from([c for c in cuts if c > start]))
            else:
                start = draw(st.integers(0, len(raw) + 2))
                end = draw(st.integers(start + 1, len(raw) + 4))
            mention_id = draw(st.sampled_from(["m1", "m2", "m3", "m10", "e"]))
            label = draw(st.sampled_from(sorted(CODES)))
            spans.append(EntityMention(id=mention_id, origin="manual", start=start, end=end, text="x", label=label))
        mentions.append(spans)
    return raws, mentions


@settings(max_examples=400, deadline=None)
@given(documents())
def test_bulk_placement_equals_bio_tags(docs: tuple[list[str], list[list[EntityMention]]]) -> None:
    raws, mentions = docs
    assert placed_in_bulk(raws, mentions) == one_by_one(raws, mentions)


def test_every_reason_and_nesting() -> None:
    raw = "Amber Rudd met Islamic State critics.\nJane Doe\n\n"
    m = [
        EntityMention(id="m1", origin="manual", start=0, end=10, text="x", label="PER"),  # Amber Rudd
        EntityMention(id="m2", origin="manual", start=6, end=10, text="x", label="PER"),  # nested: overlaps
        EntityMention(id="m3", origin="manual", start=1, end=5, text="x", label="PER"),  # part of a token
        EntityMention(id="m4", origin="manual", start=30, end=41, text="x", label="ORG"),  # two paragraphs
        EntityMention(id="m5", origin="manual", start=48, end=49, text="x", label="ORG"),  # after the text
        EntityMention(id="m6", origin="manual", start=15, end=28, text="x", label="ORG"),  # Islamic State
    ]
    tags, skipped = placed_in_bulk([raw, "x"], [m, []])
    assert (tags, skipped) == one_by_one([raw, "x"], [m, []])
    assert tags[0][0] == ["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O", "O"]
    reasons = dict(skipped[0])
    assert reasons["m2"] == "overlaps another mention (BIO cannot nest)"
    assert reasons["m3"].startswith("does not align to token boundaries (tokens cover [0, 5)")
    assert reasons["m4"] == "crosses a paragraph boundary"
    assert reasons["m5"] == "outside the title/body text"


def test_many_long_nested_mentions_are_placed_once() -> None:
    """20,000 mentions over the same 20,000 tokens (hostile input): one placed, the rest reported as
    overlapping; the check per mention looks up the placed ranges, not each token."""
    raw = " ".join(["w"] * 20_000)
    n = 20_000
    tokens = tokenize_many([raw], [0])
    paras = ParagraphArrays(np.zeros(1, np.int64), np.zeros(1, np.int64), np.array([len(raw)], np.int64))
    mentions = MentionArrays(
        np.zeros(n, np.int64),
        np.zeros(n, np.int64),
        np.full(n, len(raw), np.int64),
        [f"m{i:05d}" for i in range(n)],
        np.ones(n, np.int64),
        np.full(n, 2, np.int64),
    )
    tags, skipped = place_mentions(paras, tokens, mentions)
    assert tags[0] == 1 and (tags[1:] == 2).all()
    assert sorted(skipped) == [(i, "overlaps another mention (BIO cannot nest)") for i in range(1, n)]
