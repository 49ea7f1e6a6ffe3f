"""Helpers shared by the converter tests: fresh corpora and a format-neutral view of annotations."""

from __future__ import annotations

from pathlib import Path

from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.corpus import Corpus
from corpus_pkg.schema import EntityMention, NumberMention, Quote, Span, Stance

#: Non-ASCII before every span: é (2 UTF-8 bytes), curly quotes (3), emoji (4 bytes, 2 UTF-16 units), Hebrew.
NON_ASCII_TEXT = (
    "Café “Zoë” 😀 שלום עולם.\n"
    "“We will act,” said Amber Rudd, “and we will not wait.” A spokesman said 20,000 posts 😀 were removed.\n"
)


def fresh_corpus(tmp_path: Path, name: str = "c", labels: list[str] | None = None, targets: dict | None = None) -> Path:
    """An empty corpus; with no labels it adopts the labels of what it imports."""
    root = tmp_path / name
    init_corpus(root, name="test", entity_labels=labels or [], stance_targets=targets)
    return root


def span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start=start, end=start + len(needle), text=needle)


def non_ascii_corpus(tmp_path: Path) -> Path:
    """A corpus of one document with every layer placed after astral and RTL characters."""
    root = fresh_corpus(tmp_path, "src", labels=["PERSON"], targets={"platform_action": "Platforms should act."})
    text = NON_ASCII_TEXT
    created = add_article(root, "emoji", text.encode("utf-8"), outlet="Test")
    rudd = span(text, "Amber Rudd")
    ann = created.model_copy(
        update={
            "entities": [EntityMention(id="e1", origin="manual", label="PERSON", **rudd.model_dump())],
            "quotes": [
                Quote(
                    id="q1",
                    origin="manual",
                    kind="direct",
                    fragments=[span(text, "We will act,"), span(text, "and we will not wait.")],
                    cue=span(text, "said"),
                    speaker={"type": "mention", "mention_id": "e1"},
                )
            ],
            "numbers": [
                NumberMention(
                    id="n1",
                    origin="manual",
                    value=20000,
                    kind="count",
                    unit="posts",
                    **span(text, "20,000").model_dump(),
                )
            ],
            "stance": [
                Stance(
                    id="s1",
                    origin="manual",
                    holder={"type": "nominal", **span(text, "A spokesman").model_dump()},
                    target="platform_action",
                    label="favor",
                    evidence={"type": "span", **span(text, "20,000 posts 😀 were removed").model_dump()},
                ),
                Stance(
                    id="s2",
                    origin="manual",
                    holder={"type": "mention", "mention_id": "e1"},
                    target="platform_action",
                    label="against",
                    evidence={"type": "quote", "quote_id": "q1"},
                ),
            ],
        }
    )
    Corpus.at(root).write_annotations(ann)
    return root


def signature(root: Path) -> dict[str, object]:
    """Spans, labels and links of every document, independent of annotation ids."""
    corpus = Corpus.at(root)
    out: dict[str, object] = {}
    for doc in corpus.iter_documents():
        ann = doc.annotations
        mention = {e.id: (e.start, e.end, e.label) for e in ann.entities}

        def who(x, mention=mention):
            if x.type == "mention":
                return ("mention", mention[x.mention_id])
            if x.type == "nominal":
                return ("nominal", x.start, x.end, x.text)
            return (x.type, getattr(x, "entity_id", None))

        quotes = {q.id: tuple((f.start, f.end) for f in q.fragments) for q in ann.quotes}
        out[doc.doc_id] = {
            "text": doc.text,
            "entities": sorted(mention.values()),
            "quotes": sorted(
                (quotes[q.id], q.kind, (q.cue.start, q.cue.end) if q.cue else None, who(q.speaker)) for q in ann.quotes
            ),
            "numbers": sorted((n.start, n.end, n.value, n.kind, n.unit, n.qualifier) for n in ann.numbers),
            "stance": sorted(
                (
                    who(s.holder),
                    s.target,
                    s.label,
                    quotes[s.evidence.quote_id] if s.evidence.type == "quote" else (s.evidence.start, s.evidence.end),
                )
                for s in ann.stance
            ),
        }
    return out
