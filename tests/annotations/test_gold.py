"""Properties of the gold annotations of the seed articles (annotations/*.json, entities.json)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from corpus_pkg.corpus import Corpus
from corpus_pkg.validate import validate

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
DOC_IDS = (
    "000_1587c7c1efc67f70",
    "001_28aa80f870fd1738",
    "002_8df17c5a5f7d4ee7",
    "003_f6e5eba5a8642ff2",
    "004_76390df7f1edcf54",
)
#: Outlets whose names include "The" (GUIDELINES.md section 2).
THE_NAMES = {"The Associated Press", "The Times", "The Intercept"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.at(REPO)


@pytest.fixture(scope="module")
def docs(corpus: Corpus) -> dict:
    return {doc_id: corpus.read_document(doc_id) for doc_id in DOC_IDS}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_raw_is_byte_identical_to_seed(doc_id: str):
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} not found (clone shared/ beside the repo to compare raw files)")
    raw = (REPO / "raw" / f"{doc_id}.txt").read_bytes()
    seed = (SEEDS / f"{doc_id}.txt").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == hashlib.sha256(seed).hexdigest()


def test_corpus_validates_without_errors_or_warnings():
    report = validate(REPO, cache=False)
    assert report.valid
    assert [i.code for i in report.errors] == []
    assert [(i.code, i.doc_id, i.message) for i in report.warnings] == []
    assert sorted(Corpus.at(REPO).doc_ids()) == list(DOC_IDS)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_layer_is_annotated_by_hand(docs, doc_id: str):
    ann = docs[doc_id].annotations
    for layer in ("segments", "entities", "quotes", "numbers", "stance"):
        assert getattr(ann, layer), f"{doc_id}: no {layer}"
    for layer in ("entities", "quotes", "numbers", "stance"):
        for item in getattr(ann, layer):
            assert (item.origin, item.source) == ("manual", "gold-v1"), f"{doc_id} {item.id}"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_segments_cover_every_visible_character(docs, doc_id: str):
    doc = docs[doc_id]
    covered = set()
    for seg in doc.annotations.segments:
        covered.update(range(seg.start, seg.end))
    uncovered = [i for i, ch in enumerate(doc.text) if not ch.isspace() and i not in covered]
    assert uncovered == []


def test_registry_aliases_occur_in_linked_mentions(corpus: Corpus, docs):
    linked: dict[str, set[str]] = {}
    for doc in docs.values():
        for ent in doc.annotations.entities:
            if ent.entity_id:
                linked.setdefault(ent.entity_id, set()).add(ent.text)
    for entity in corpus.registry.entities:
        assert entity.id in linked, f"registry entity {entity.id} is never linked"
        missing = set(entity.aliases) - linked[entity.id]
        assert not missing, f"{entity.id}: aliases {missing} occur in no linked mention"
        unknown = linked[entity.id] - set(entity.aliases) - {entity.name}
        assert not unknown, f"{entity.id}: mentions {unknown} are neither name nor alias"


def test_name_variants_link_to_one_entity(docs):
    by_text: dict[str, set[str | None]] = {}
    for doc in docs.values():
        for ent in doc.annotations.entities:
            by_text.setdefault(ent.text, set()).add(ent.entity_id)
    isis_names = ["ISIS", "Islamic State", "Islamic State in Iraq and Syria", "ISIL", "IS", "Daesh"]
    assert {eid for name in isis_names for eid in by_text[name]} == {"isis"}
    assert by_text["Obama"] | by_text["Barack Obama"] == {"barack_obama"}
    assert by_text["US"] | by_text["U.S."] == {"united_states"}
    assert by_text["San Bernadino"] | by_text["San Bernardino"] == {"san_bernardino"}
    # Twitter is ORG when the company acts and PRODUCT when the platform is used: one registry entity.
    twitter = [e for d in docs.values() for e in d.annotations.entities if e.text == "Twitter"]
    assert {e.label for e in twitter} == {"ORG", "PRODUCT"}
    assert {e.entity_id for e in twitter} == {"twitter"}


def test_entity_spans_follow_the_span_rules(docs):
    for doc in docs.values():
        for ent in doc.annotations.entities:
            assert not re.search(r"(['’]s?|’)$", ent.text), f"possessive ending kept: {ent.text!r}"
            if ent.text.lower().startswith("the "):
                assert ent.text in THE_NAMES, f"leading article kept: {ent.text!r}"
            assert not re.match(r"(President|Professor|Home Secretary) ", ent.text), ent.text


def _doc(docs, prefix: str):
    return next(d for doc_id, d in docs.items() if doc_id.startswith(prefix))


def test_hard_number_cases(docs):
    numbers = {(n.text, n.kind): n for d in docs.values() for n in d.annotations.numbers}
    assert numbers["fourteen million", "count"].value == 14_000_000
    assert numbers["fifty", "count"].value == 50
    assert numbers["20,000", "count"].qualifier == "approximate"
    assert numbers["90,000", "rate"].qualifier == "lower_bound"
    assert numbers["46,000", "count"].qualifier == "lower_bound"
    assert numbers["2,000", "rate"].qualifier == "upper_bound"
    low, high = numbers["eighteen", "age"], numbers["twenty-nine", "age"]
    assert (low.value, low.qualifier, high.value, high.qualifier) == (18, "lower_bound", 29, "upper_bound")
    assert {n.value for n in _doc(docs, "000").annotations.numbers} == {14, 2}  # not "3 min read", not "one of"


def test_hard_quote_cases(docs):
    d000 = _doc(docs, "000").annotations
    ents = {e.id: e for e in d000.entities}
    obama = next(q for q in d000.quotes if q.fragments[0].text.startswith("I will urge"))
    # "the US president said" resolves to the nearest preceding mention, "Barack Obama".
    assert ents[obama.speaker.mention_id].text == "Barack Obama"
    official = [q for q in d000.quotes if q.speaker.type == "nominal" and "White House official" in q.speaker.text]
    assert [q.kind for q in official] == ["mixed", "mixed"]
    d001 = _doc(docs, "001").annotations
    whetstone = next(q for q in d001.quotes if q.fragments[0].text.startswith("Over the last three years"))
    assert len(whetstone.fragments) == 2
    assert whetstone.fragments[1].text.endswith("who don’t.")
    d003 = _doc(docs, "003").annotations
    split = [q for q in d003.quotes if len(q.fragments) == 2]
    assert len(split) == 3  # Rudd, Neumann, Berger: each split by "she/he said|wrote"


def test_stance_evidence_quotes_support_their_holder(docs):
    """A quote used as evidence is either by the holder or names the holder inside its content."""
    for doc in docs.values():
        ann = doc.annotations
        ents = {e.id: e for e in ann.entities}
        quotes = {q.id: q for q in ann.quotes}
        for st in ann.stance:
            if st.evidence.type != "quote" or st.holder.type != "mention":
                continue
            quote = quotes[st.evidence.quote_id]
            holder = ents[st.holder.mention_id]
            same_speaker = quote.speaker.type == "mention" and ents[quote.speaker.mention_id].entity_id == (
                holder.entity_id
            )
            inside = any(f.start <= holder.start and holder.end <= f.end for f in quote.fragments)
            assert same_speaker or inside, f"{ann.doc_id} {st.id}: {holder.text!r} vs {quote.id}"


def test_outlets_and_authors(docs):
    meta = {doc_id[:3]: d.annotations.meta for doc_id, d in docs.items()}
    assert [meta[k].outlet for k in ("000", "001", "003", "004")] == ["CNET", "iHLS", "CNET", "Daily Sabah"]
    assert meta["002"].outlet == "Gizmodo" and meta["002"].authors == ["Darren Orf"]
    assert meta["000"].authors == ["Katie Collins"]
    # dates pinned down by dated events the texts report, or by the page address (GUIDELINES.md section 6)
    published = {k: m.published.isoformat() if m.published else None for k, m in meta.items()}
    assert published == {"000": "2015-12-07", "001": None, "002": None, "003": "2017-08-01", "004": "2016-01-11"}
    guidelines = (REPO / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    for key, date in published.items():
        assert f"| `{key}` | {date or 'null'} |" in guidelines, key
