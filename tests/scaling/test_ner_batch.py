"""The build's ``ner`` record batches equal the ``ner`` rows of ``document_rows`` converted by the
column builders: same arrays, same Arrow sizes (the card's ``dataset_size``), same skipped mentions,
whatever the batching, with and without text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.schema import Document
from corpus_pkg.tables.columns import column_builders
from corpus_pkg.tables.features import LabelSets, release_features
from corpus_pkg.tables.ner import NerBuilder
from corpus_pkg.tables.parquet import ConfigWriter
from corpus_pkg.tables.rows import RowContext, document_rows
from corpus_pkg.tables.textfree import strip_text
from corpus_pkg.text.tokenize import Skipped
from tests.conftest import MINI
from tests.release.helpers import make_rich_corpus


def reference(docs: list[Document], features, with_text: bool) -> tuple[pa.Table, list[list[Skipped]]]:
    schema = features.arrow_schema
    builders = column_builders(features, schema)
    rows, skipped = [], []
    for doc in docs:
        doc_rows = document_rows(doc, RowContext())
        skipped.append([Skipped(s["mention_id"], s["reason"]) for s in doc_rows["documents"][0]["ner_skipped"]])
        if not with_text:
            strip_text(doc_rows)
        rows += doc_rows["ner"]
    arrays = [builders[name]([row[name] for row in rows]) for name in schema.names]
    return pa.Table.from_batches([pa.RecordBatch.from_arrays(arrays, schema=schema)]), skipped


@pytest.mark.parametrize("with_text", [True, False])
@pytest.mark.parametrize("source", ["rich", "synthetic"])
@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_ner_batches_equal_the_rows_path(source: str, chunk: int, with_text: bool, tmp_path: Path, synth_corpus: Path):
    root = make_rich_corpus(tmp_path / "rich") if source == "rich" else synth_corpus
    corpus = Corpus.at(root)
    docs = list(corpus.iter_documents())
    features = release_features(LabelSets.from_config(corpus.config))["ner"]
    want, want_skipped = reference(docs, features, with_text)
    builder = NerBuilder(features, features.arrow_schema, with_text=with_text)
    batches = [builder.build(docs[i : i + chunk]) for i in range(0, len(docs), chunk)]
    got = pa.Table.from_batches([b.batch for b in batches], schema=features.arrow_schema).combine_chunks()
    assert got.equals(want)
    assert got.nbytes == want.nbytes
    assert [s for b in batches for s in b.skipped] == want_skipped
    assert [n for b in batches for n in b.paragraphs] == [len(document_rows(d, RowContext())["ner"]) for d in docs]
    assert sum(n for b in batches for n in b.tokens) == sum(len(t) for t in want.column("token_starts").to_pylist())
    if source == "rich":
        assert any(want_skipped)  # doc2 has a mention inside a token
        # its title holds an emoji (a code point beyond the Basic Multilingual Plane)
        assert not with_text or any("🚫" in text for text in want.column("text").to_pylist())


def test_no_documents_make_an_empty_batch() -> None:
    corpus = Corpus.at(MINI)
    features = release_features(LabelSets.from_config(corpus.config))["ner"]
    out = NerBuilder(features, features.arrow_schema).build([])
    assert out.batch.num_rows == 0 and out.skipped == [] and out.tokens == []


def test_an_undeclared_label_names_the_document(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    corpus = Corpus.at(root)
    docs = list(corpus.iter_documents())
    labels = LabelSets.from_config(corpus.config)
    tagged = [(d, tag) for d in docs for row in document_rows(d, RowContext())["ner"] for tag in row["ner_tags"]]
    doc, tag = next((d, tag) for d, tag in tagged if tag != "O")  # the first document with a placed mention
    fewer = LabelSets(tuple(x for x in labels.entity_labels if x != tag[2:]), labels.stance_targets)
    features = release_features(fewer)["ner"]
    with pytest.raises(CorpusError, match=rf"annotations/{doc.annotations.doc_id}\.json: ner .*'B-{tag[2:]}'"):
        NerBuilder(features, features.arrow_schema).build(docs)


@pytest.mark.parametrize("with_text", [True, False])
@pytest.mark.parametrize("row_group_size", [7, 300])
def test_the_writer_gets_the_same_bytes_and_sizes_as_from_rows(
    with_text: bool, row_group_size: int, tmp_path: Path, synth_corpus: Path
) -> None:
    """Parquet bytes and Arrow sizes (``writer.nbytes``) of the ner file: rows document by document, as
    the build did before, against batches of 5 documents (a text-free release's null columns are
    sized by how row groups slice the batches)."""
    corpus = Corpus.at(synth_corpus)
    docs = list(corpus.iter_documents())
    features = release_features(LabelSets.from_config(corpus.config))["ner"]
    schema = features.arrow_schema
    by_rows = ConfigWriter(tmp_path / "rows.parquet", schema, column_builders(features, schema), row_group_size)
    for doc in docs:
        rows = document_rows(doc, RowContext())
        if not with_text:
            strip_text(rows)
        by_rows.add(rows["ner"])
    by_rows.close()
    assert by_rows.rows > 2 * ConfigWriter.BATCH_ROWS  # the row path cut several batches
    builder = NerBuilder(features, schema, with_text=with_text)
    by_batch = ConfigWriter(tmp_path / "batch.parquet", schema, column_builders(features, schema), row_group_size)
    for i in range(0, len(docs), 5):
        for batch in builder.batches(builder.build(docs[i : i + 5])):
            by_batch.add_batch(batch)
    for batch in builder.finish():
        by_batch.add_batch(batch)
    by_batch.close()
    assert (by_batch.rows, by_batch.nbytes) == (by_rows.rows, by_rows.nbytes)
    assert (tmp_path / "batch.parquet").read_bytes() == (tmp_path / "rows.parquet").read_bytes()
