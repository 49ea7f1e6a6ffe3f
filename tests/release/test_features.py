"""features.py is the one type source; rows.py fills every column it declares."""

from __future__ import annotations

import pytest
from datasets import ClassLabel

from corpus_pkg.corpus import Corpus
from corpus_pkg.tables.features import DOCUMENT_CONFIGS, LabelSets, decode_row, encode_row, release_features
from corpus_pkg.tables.rows import RowContext, document_from_full, document_rows, full_row, gold_only, registry_rows


def test_every_feature_has_a_column_and_back(rich_source) -> None:
    corpus = Corpus.at(rich_source)
    features = release_features(LabelSets.from_config(corpus.config))
    rows = document_rows(corpus.read_document("doc2"), RowContext({"facebook": "Facebook"}))
    assert list(rows) == list(DOCUMENT_CONFIGS)
    rows["registry"] = registry_rows(corpus.registry)
    assert list(rows) == list(features)
    for config, config_rows in rows.items():
        assert config_rows, config
        for row in config_rows:
            assert list(row) == list(features[config]), config


def test_type_columns_are_class_labels_from_the_schema() -> None:
    feats = release_features(LabelSets(("PER",), ("t",)))
    assert feats["quotes"]["speaker_type"].names == ["mention", "nominal", "unknown"]
    assert feats["stance"]["holder_type"].names == ["mention", "nominal", "entity"]
    assert feats["stance"]["evidence_type"].names == ["span", "quote"]
    assert feats["ner"]["paragraph"].dtype == "int64"
    assert feats["registry"]["label"].names == ["PER"]


def test_ner_tags_follow_declared_label_order() -> None:
    labels = LabelSets(("PER", "ORG"), ())
    assert labels.ner_tags == ("O", "B-PER", "I-PER", "B-ORG", "I-ORG")
    tags = release_features(labels)["ner"]["ner_tags"].feature
    assert isinstance(tags, ClassLabel) and tags.names == list(labels.ner_tags)


def test_encode_decode_round_trip_and_unknown_label() -> None:
    feats = release_features(LabelSets(("PER", "ORG"), ("t",)))["entities"]
    row = {"doc_id": "d", "mention_id": "m", "start": 0, "end": 1, "text": "x", "label": "ORG",
           "entity_id": None, "entity_name": None, "origin": "imported", "source": None}  # fmt: skip
    encoded = encode_row(feats, row)
    assert (encoded["label"], encoded["origin"]) == (1, 1)
    assert decode_row(feats, encoded) == row
    with pytest.raises(ValueError, match="'LOC' is not one of the declared labels"):
        encode_row(feats, {**row, "label": "LOC"})


def test_suggestions_are_dropped_and_full_row_is_lossless(rich_source) -> None:
    doc = Corpus.at(rich_source).read_document("doc2")
    gold = gold_only(doc)
    assert [e.id for e in gold.annotations.entities] == ["m1", "m2", "m3"]
    assert [q.id for q in gold.annotations.quotes] == ["q1"]
    assert document_from_full(full_row(gold)) == gold
    features = release_features(LabelSets.from_config(Corpus.at(rich_source).config))["full"]
    assert document_from_full(decode_row(features, encode_row(features, full_row(gold)))) == gold
