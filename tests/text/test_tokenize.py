"""The regex tokenizer and BIO tagging: deterministic tokens, mentions never widened."""

from __future__ import annotations

from corpus_pkg.schema import AnnotationFile, EntityMention
from corpus_pkg.text.tokenize import Paragraph, bio_tags, paragraphs, token_spans, tokenize


def mention(raw: str, text: str, label: str = "PERSON", mention_id: str = "m1", nth: int = 0) -> EntityMention:
    start = -1
    for _ in range(nth + 1):
        start = raw.index(text, start + 1)
    return EntityMention(id=mention_id, origin="manual", start=start, end=start + len(text), text=text, label=label)


def para(raw: str) -> Paragraph:
    return Paragraph("body", 0, len(raw), raw, *token_spans(raw))


def test_tokens_and_offsets() -> None:
    raw = "Pro-ISIS posts rose 90,000 (1.5%) in the U.K.; Café’s 🚫 20th"
    tokens = tokenize(raw)
    assert [t.text for t in tokens] == [
        "Pro", "-", "ISIS", "posts", "rose", "90,000", "(", "1.5", "%", ")", "in", "the",
        "U", ".", "K", ".", ";", "Café", "’", "s", "🚫", "20", "th",
    ]  # fmt: skip
    assert all(raw[t.start : t.end] == t.text for t in tokens)
    assert [(t.start, t.end) for t in tokenize("ab cd", offset=10)] == [(10, 12), (13, 15)]


def test_partial_token_mention_is_skipped_not_widened() -> None:
    raw = "Jane Doe spoke."
    tags, skipped = bio_tags([para(raw)], [mention(raw, "ane")])
    assert tags == [["O", "O", "O", "O"]]
    assert skipped[0].mention_id == "m1" and "does not align to token boundaries" in skipped[0].reason


def test_aligned_mentions_get_bio_and_nested_ones_are_reported() -> None:
    raw = "Amber Rudd met Islamic State critics."
    outer = mention(raw, "Amber Rudd", "PERSON", "m1")
    inner = mention(raw, "Rudd", "PERSON", "m2")
    org = mention(raw, "Islamic State", "ORG", "m3")
    tags, skipped = bio_tags([para(raw)], [inner, org, outer])
    assert tags == [["B-PERSON", "I-PERSON", "O", "B-ORG", "I-ORG", "O", "O"]]
    assert [(s.mention_id, s.reason) for s in skipped] == [("m2", "overlaps another mention (BIO cannot nest)")]


def test_paragraphs_only_cover_title_and_body_lines() -> None:
    raw = "Title here\n\n  First line.\nSecond line.\n\nFooter\n"
    ann = AnnotationFile.model_validate(
        {
            "schema_version": "1.0",
            "doc_id": "d",
            "raw_sha256": "0" * 64,
            "meta": {"title": "Title here", "outlet": "X"},
            "segments": [
                {"start": 0, "end": 10, "text": "Title here", "kind": "title"},
                {"start": 12, "end": 38, "text": raw[12:38], "kind": "body"},
                {"start": 40, "end": 46, "text": "Footer", "kind": "boilerplate"},
            ],
        }
    )
    paras = list(paragraphs(raw, ann))
    assert [(p.segment_kind, p.text, p.start) for p in paras] == [
        ("title", "Title here", 0),
        ("body", "First line.", 14),
        ("body", "Second line.", 26),
    ]
    crossing = EntityMention(id="x", origin="manual", start=20, end=32, text=raw[20:32], label="ORG")
    _, skipped = bio_tags(paras, [crossing])
    assert skipped[0].reason == "crosses a paragraph boundary"
    footer = EntityMention(id="f", origin="manual", start=40, end=46, text="Footer", label="ORG")
    assert bio_tags(paras, [footer])[1][0].reason == "outside the title/body text"


def test_token_spans_equal_one_regex_match_per_token() -> None:
    """The split-based tokenizer gives exactly what matching the pattern token by token gives."""
    from corpus_pkg.text.tokenize import TOKEN_PATTERN
    from tests.conftest import REPO

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "raw").glob("*.txt"))]
    texts += ["", "   \n", "x", "é̃ 1,2,3. _a_ ２０ ½ ٣", "Ωmega\u00a0\u2009word\u200bjoin", "  lead and trail  "]
    texts += ["ab\u0301c \u0301x _9 9_ 1.2.3 1..2 a1b AbcÉdef ÉAbc x\u0300\u0301y", "a\tb\r\nc\x0bd\x1ce"]
    assert len(texts) > 5
    for text in texts:
        expected = [(m.group(), m.start() + 7, m.end() + 7) for m in TOKEN_PATTERN.finditer(text)]
        got = token_spans(text, 7)
        assert list(zip(*got)) == expected
        assert len(got[0]) == len(got[1]) == len(got[2])


def test_a_segment_tokenized_at_once_gives_each_line_its_own_tokens() -> None:
    """paragraphs() tokenizes a whole segment and deals tokens out to lines: the result must equal
    tokenizing each line alone, also around odd blanks, marks, overlapping and cut segments."""
    raw = (
        "A\u2028B x\x1cy\u00a0z\n e\u0301t\u0903\u0300 90,000.\r\n\r\n_1_ a.b,c\t\v\f\n"
        "  U.K. \u3000 \u0660\u0661,\u0662 \u00bd\u00b2 done\n\nlast"
    )
    bounds = [(0, len(raw)), (3, 20), (15, 40), (41, len(raw) - 2)]
    ann = AnnotationFile.model_validate(
        {
            "schema_version": "1.0",
            "doc_id": "d",
            "raw_sha256": "0" * 64,
            "meta": {"title": "t", "outlet": "X"},
            "segments": [
                {"start": s, "end": e, "text": raw[s:e], "kind": kind}
                for (s, e), kind in zip(bounds, ["body", "title", "subtitle", "body"])
            ],
        }
    )
    paras = list(paragraphs(raw, ann))
    assert len(paras) > 4
    for p in paras:
        assert (p.tokens, p.token_starts, p.token_ends) == tuple(token_spans(p.text, p.start))
        assert raw[p.start : p.end] == p.text and "\n" not in p.text
