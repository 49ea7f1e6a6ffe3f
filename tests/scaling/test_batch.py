"""tables/batch.py: the build's columns and statistics for a batch of documents equal what the plain
rows give (document_rows, then ReleaseStats.add), for any batch size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.schema import AnnotationFile, Document
from corpus_pkg.tables.batch import BATCH_CONFIGS, DocumentBatch, GoldDocument
from corpus_pkg.tables.columns import column_builders
from corpus_pkg.tables.features import LabelSets, encode_row, release_features
from corpus_pkg.tables.parquet import ConfigWriter
from corpus_pkg.tables.rows import RowContext, document_rows
from corpus_pkg.tables.stats import ReleaseStats, stats_to_json
from corpus_pkg.text.tokenize import Skipped
from tests.release.helpers import make_rich_corpus


def _documents(root: Path) -> tuple[Corpus, RowContext, list[Document]]:
    corpus = Corpus.at(root)
    ctx = RowContext({e.id: e.name for e in corpus.registry.entities})
    docs = []
    for path in sorted((root / "annotations").glob("*.json")):
        ann = AnnotationFile.model_validate_json(path.read_bytes())
        docs.append(Document(text=(root / "raw" / f"{path.stem}.txt").read_text(encoding="utf-8"), annotations=ann))
    return corpus, ctx, docs


def _batches(docs: list[Document], ctx: RowContext, size: int) -> list[tuple[DocumentBatch, int, int]]:
    """The documents in batches of ``size``, each with its ner rows and tokens (from the plain rows,
    as are the mentions NER skips)."""
    out = []
    for first in range(0, len(docs), size):
        batch, ner_rows, tokens = DocumentBatch(ctx), 0, 0
        for doc in docs[first : first + size]:
            rows = document_rows(doc, ctx)
            ner_rows += len(rows["ner"])
            tokens += sum(len(row["tokens"]) for row in rows["ner"])
            gold = GoldDocument.of(doc.text, doc.annotations)
            gold.skipped = [Skipped(s["mention_id"], s["reason"]) for s in rows["documents"][0]["ner_skipped"]]
            batch.add(gold)
        out.append((batch, ner_rows, tokens))
    return out


@pytest.fixture(params=["rich", "synthetic"])
def documents(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Corpus, RowContext, list[Document]]:
    root = make_rich_corpus(tmp_path / "rich") if request.param == "rich" else request.getfixturevalue("synth_corpus")
    return _documents(root)


@pytest.mark.parametrize("size", [1, 2, 1000])
def test_columns_equal_the_plain_rows(documents: Any, size: int) -> None:
    corpus, ctx, docs = documents
    features = release_features(LabelSets.from_config(corpus.config))
    plain: dict[str, list[dict[str, Any]]] = {config: [] for config in BATCH_CONFIGS}
    for doc in docs:
        for config, rows in document_rows(doc, ctx).items():
            if config in plain:
                plain[config] += [encode_row(features[config], row) for row in rows]
    built: dict[str, list[pa.RecordBatch]] = {config: [] for config in BATCH_CONFIGS}
    for batch, _, _ in _batches(docs, ctx, size):
        for config, (columns, doc_rows) in batch.columns().items():
            schema = features[config].arrow_schema
            assert list(columns) == schema.names
            assert all(len(values) == sum(doc_rows) for values in columns.values())
            builders = column_builders(features[config], schema)
            arrays = [builders[name](columns[name]) for name in schema.names]
            built[config].append(pa.RecordBatch.from_arrays(arrays, schema=schema))
    for config in BATCH_CONFIGS:
        schema = features[config].arrow_schema
        expected = pa.Table.from_pylist(plain[config], schema=schema)
        assert pa.Table.from_batches(built[config], schema=schema).equals(expected), config


@pytest.mark.parametrize("size", [1, 3, 1000])
def test_statistics_equal_release_stats_add_key_order_included(documents: Any, size: int) -> None:
    _, ctx, docs = documents
    plain = ReleaseStats(splits=["train"])
    for doc in docs:
        plain.add(doc, document_rows(doc, ctx), "train")
    batched = ReleaseStats(splits=["train"])
    for batch, ner_rows, tokens in _batches(docs, ctx, size):
        batch.count(batched, "train", ner_rows, tokens)
    assert plain.suggestions or plain.entity_ids  # the corpora exercise both
    # JSON text, not dicts: the order of every counter's keys must match too
    assert repr(stats_to_json(batched)) == repr(stats_to_json(plain))


def test_suggestions_are_left_out_and_references_still_resolve(tmp_path: Path) -> None:
    _, ctx, docs = _documents(make_rich_corpus(tmp_path / "rich"))
    doc = next(d for d in docs if any(e.origin == "suggestion" for e in d.annotations.entities))
    gold = GoldDocument.of(doc.text, doc.annotations)
    assert all(e.origin != "suggestion" for e in gold.gold["entities"])
    assert len(gold.gold["entities"]) < len(doc.annotations.entities)
    batch = DocumentBatch(ctx)
    batch.add(gold)
    columns, doc_rows = batch.columns()["entities"]
    assert doc_rows == [len(gold.gold["entities"])] == [len(columns["mention_id"])]


@pytest.mark.parametrize(("config", "column"), [("entities", "label"), ("full", "entities")])
def test_an_undeclared_label_names_the_document(config: str, column: str, tmp_path: Path) -> None:
    corpus, ctx, docs = _documents(make_rich_corpus(tmp_path / "rich"))
    features = release_features(LabelSets.from_config(corpus.config))
    doc = next(d for d in docs if d.annotations.entities)
    ann = doc.annotations.model_copy(deep=True)
    ann.entities[0].label = "NOT_A_LABEL"
    batch = DocumentBatch(ctx)
    for other in docs[:3]:  # documents with declared labels first: the batch's column holds both
        if other.annotations.doc_id != ann.doc_id:
            batch.add(GoldDocument.of(other.text, other.annotations))
    batch.add(GoldDocument.of(doc.text, ann))
    schema = features[config].arrow_schema
    writer = ConfigWriter(tmp_path / config / "x.partial", schema, column_builders(features[config], schema), 10)
    with pytest.raises(CorpusError, match=rf"annotations/{ann.doc_id}\.json: {config} column '{column}'.*NOT_A_LABEL"):
        writer.add_columns(*batch.columns()[config])
        writer.close()  # fewer rows than a conversion batch: converted on close


@pytest.mark.parametrize("size", [1, 3, 1000])
def test_columns_and_rows_write_the_same_file_and_arrow_sizes(synth_corpus: Path, tmp_path: Path, size: int) -> None:
    """The card's ``num_bytes`` come from the Arrow sizes of the converted pieces: the fast path must
    convert the same pieces as rows added document by document."""
    corpus, ctx, docs = _documents(synth_corpus)
    features = release_features(LabelSets.from_config(corpus.config))
    batches = _batches(docs, ctx, size)
    for config in BATCH_CONFIGS:
        schema = features[config].arrow_schema
        by_rows, by_columns = (
            ConfigWriter(tmp_path / way / config, schema, column_builders(features[config], schema), 7)
            for way in ("rows", "columns")
        )
        for doc in docs:
            by_rows.add(document_rows(doc, ctx, models=True)[config])
        for batch, _, _ in batches:
            by_columns.add_columns(*batch.columns()[config])
        by_rows.close()
        by_columns.close()
        assert (by_columns.rows, by_columns.nbytes) == (by_rows.rows, by_rows.nbytes), config
        assert (tmp_path / "columns" / config).read_bytes() == (tmp_path / "rows" / config).read_bytes()


def test_counters_meet_layers_in_document_order_within_a_batch(tmp_path: Path) -> None:
    """A batch counts layer by layer; the counters' keys must still come in the order a document-by-document
    pass meets them (the first document has gold quotes only, the second gold entities too)."""
    _, ctx, docs = _documents(make_rich_corpus(tmp_path / "rich"))
    doc = next(d for d in docs if d.annotations.entities and d.annotations.quotes and d.annotations.numbers)
    first = doc.annotations.model_copy(deep=True)
    for entity in first.entities:
        entity.origin = "suggestion"  # no gold entities, so its quotes are met before any entity
    for number in first.numbers:
        number.origin = "suggestion"
    docs = [Document(text=doc.text, annotations=first), doc]
    plain = ReleaseStats(splits=["train"])
    for d in docs:
        plain.add(d, document_rows(d, ctx), "train")
    assert list(plain.origins)[0] == "quotes" and list(plain.suggestions)[0] == "entities"
    batched = ReleaseStats(splits=["train"])
    for batch, ner_rows, tokens in _batches(docs, ctx, 2):
        batch.count(batched, "train", ner_rows, tokens)
    assert repr(stats_to_json(batched)) == repr(stats_to_json(plain))
