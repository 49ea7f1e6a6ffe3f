"""Suggesters on odd text: thousands of generated sentences never crash and only yield valid annotations."""

from __future__ import annotations

import random

from corpus_pkg.annotate.suggest.registry import SuggestInput, get_suggester
from corpus_pkg.schema import AnnotationFile, EntityMention, EntityRegistry, Quote, RegistryEntity

PIECES = [
    "“", "”", '"', "'", "‘", "’", "«", "»", ",", ".", ":", " ", " ", " ", "\n", "said", "he", "she", "they",
    "Rudd", "Amber Rudd", "the", "a", "spokesman", "president", "will", "tell", "told", "Thus", "in", "IS",
    "ISIS", "pro-", "al-Qaeda", "Al-Qaeda", "it's", "don’t", "—", "?", "!", "", "é", "🎉",
]  # fmt: skip
REGISTRY = EntityRegistry(
    entities=[
        RegistryEntity(id="amber_rudd", name="Amber Rudd", label="PERSON", aliases=["Rudd"]),
        RegistryEntity(id="isis", name="ISIS", label="ORG", aliases=["IS"]),
        RegistryEntity(id="al_qaeda", name="al-Qaeda", label="ORG"),
    ]
)


MARKS = [("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'"), ("«", "»"), ("“", '"'), ("", "”")]
CLAUSES = [",” he said. ", '," said Amber Rudd, ', " Rudd will tell", ", the president said", ": ", ", they said. "]
SPEAKERS = ["Amber Rudd said: ", "A spokesman told: ", "She said, ", "", "Thus said Rudd. "]


def _piece(rng: random.Random) -> str:
    """Noise, or a quotation with a random cue clause around it (marks may be mismatched on purpose)."""
    if rng.random() < 0.4:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
    opening, closing = rng.choice(MARKS)
    words = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
    return rng.choice(SPEAKERS) + opening + words + closing + rng.choice(CLAUSES) + rng.choice(["", " ", ". "])


def _ann() -> AnnotationFile:
    return AnnotationFile.model_validate(
        {
            "schema_version": "1.0",
            "doc_id": "doc",
            "raw_sha256": "0" * 64,
            "meta": {"title": "t", "outlet": "o"},
        }
    )


def test_generated_texts_yield_valid_spans() -> None:
    rng = random.Random(18)
    made = 0
    for _ in range(1500):
        raw = "".join(_piece(rng) for _ in range(rng.randint(1, 12)))
        ann = _ann()
        inp = SuggestInput("doc", raw, ann, REGISTRY, ("PERSON", "ORG"), ((0, len(raw)),))
        mentions = []
        for number, candidate in enumerate(get_suggester("entities", "registry").run(inp)):
            mention = EntityMention.model_validate({"id": f"e{number + 1}", "origin": "suggestion", **candidate.fields})
            assert raw[mention.start : mention.end] == mention.text
            mentions.append(mention)
        ann = ann.model_copy(update={"entities": mentions})
        inp = SuggestInput("doc", raw, ann, REGISTRY, ("PERSON", "ORG"), ((0, len(raw)),))
        for candidate in get_suggester("quotes").run(inp):
            quote = Quote.model_validate({"id": "q1", "origin": "suggestion", **candidate.fields})
            spans = [*quote.fragments, quote.cue] + ([quote.speaker] if quote.speaker.type == "nominal" else [])
            for span in spans:
                assert span is not None and raw[span.start : span.end] == span.text == span.text.strip()
            if quote.speaker.type == "mention":
                assert quote.speaker.mention_id in {m.id for m in mentions}
            made += 1
    assert made > 300  # the generator does reach the quote rules
