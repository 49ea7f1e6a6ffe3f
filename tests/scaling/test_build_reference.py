"""The fast build writes the same Parquet bytes as the plain path, and its cache keeps every issue.

The plain path is the obvious code: each document's rows from ``document_rows``, labels encoded by
``encode_row``, the whole config made into one table with ``pa.Table.from_pylist`` and written with
``pq.write_table`` in row groups of ``row_group_size``, with the same ``PARQUET_OPTIONS``.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_pkg import validate
from corpus_pkg.corpus import Corpus
from corpus_pkg.release.build import build, shard_plan
from corpus_pkg.schema import AnnotationFile, Document
from corpus_pkg.tables import shard
from corpus_pkg.tables.features import LabelSets, encode_row, release_features
from corpus_pkg.tables.parquet import PARQUET_OPTIONS
from corpus_pkg.tables.rows import RowContext, document_rows, registry_rows
from corpus_pkg.tables.textfree import strip_text
from corpus_pkg.validate.checks import pair_paths
from tests.conftest import MINI
from tests.release.helpers import make_rich_corpus


def plain_parquet(root: Path, row_group_size: int = 1000, text: bool = True) -> dict[str, bytes]:
    """Release-relative path -> the bytes the plain path writes (one shard per split); ``text=False``:
    a text-free release, each document's rows stripped by ``strip_text``."""
    corpus = Corpus.at(root)
    features = release_features(LabelSets.from_config(corpus.config))
    ctx = RowContext({e.id: e.name for e in corpus.registry.entities})
    splits, tasks = shard_plan(corpus.config, pair_paths(root)[0])
    assert [t.split for t in tasks] == splits, "the reference covers one shard per split"
    out = {}
    for task in tasks:
        rows: dict[str, list[dict]] = {config: [] for config in features if config != "registry"}
        for paths in task.docs:
            ann = AnnotationFile.model_validate(json.loads((root / paths.annotation_file).read_bytes()))
            doc = Document(text=(root / paths.raw_file).read_text(encoding="utf-8"), annotations=ann)
            doc_rows = document_rows(doc, ctx)
            if not text:
                strip_text(doc_rows)
            for config, config_rows in doc_rows.items():
                rows[config] += [encode_row(features[config], row) for row in config_rows]
        for config, config_rows in rows.items():
            if not config_rows:
                continue
            table = pa.Table.from_pylist(config_rows, schema=features[config].arrow_schema)
            sink = io.BytesIO()
            pq.write_table(table, sink, row_group_size=row_group_size, **PARQUET_OPTIONS)
            out[f"data/{config}/{task.split}-00000-of-00001.parquet"] = sink.getvalue()
    registry = [encode_row(features["registry"], row) for row in registry_rows(corpus.registry)]
    if registry:  # the corpus-level registry config: one file, split train
        table = pa.Table.from_pylist(registry, schema=features["registry"].arrow_schema)
        sink = io.BytesIO()
        pq.write_table(table, sink, row_group_size=row_group_size, **PARQUET_OPTIONS)
        out["data/registry/train-00000-of-00001.parquet"] = sink.getvalue()
    return out


def built_parquet(release: Path) -> dict[str, bytes]:
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in sorted((release / "data").rglob("*.parquet"))}


@pytest.mark.parametrize("source", ["mini", "rich", "synthetic"])
@pytest.mark.parametrize("workers", [1, 2])
def test_build_bytes_equal_the_plain_path(source: str, workers: int, tmp_path: Path, synth_corpus: Path) -> None:
    if source == "mini":
        root = tmp_path / "mini"
        shutil.copytree(MINI, root)
    elif source == "rich":
        root = make_rich_corpus(tmp_path / "rich")
    else:
        root = synth_corpus
    row_group_size = 7 if source == "synthetic" else 1000  # several row groups, some cut inside a document
    reference = plain_parquet(root, row_group_size)
    assert reference
    result = build(root, tmp_path / "release", workers=workers, row_group_size=row_group_size)
    assert built_parquet(result.out) == reference


@pytest.mark.parametrize("source", ["rich", "synthetic"])
def test_text_free_build_bytes_equal_the_stripped_plain_path(source: str, tmp_path: Path, synth_corpus: Path) -> None:
    root = make_rich_corpus(tmp_path / "rich") if source == "rich" else synth_corpus
    row_group_size = 7 if source == "synthetic" else 1000
    reference = plain_parquet(root, row_group_size, text=False)
    result = build(root, tmp_path / "release", workers=1, row_group_size=row_group_size, text=False, cache=False)
    assert built_parquet(result.out) == reference


def test_a_cached_build_reports_the_same_warnings_and_leaves_its_checks_to_validate(
    synth_corpus: Path, tmp_path: Path
) -> None:
    from corpus_pkg._cache import CacheStats

    report = validate(synth_corpus, cache=False)
    assert report.valid and report.warnings  # the synthetic corpus has warnings (suggestions to review)
    first = build(synth_corpus, tmp_path / "a", workers=1, docs_per_shard=10)
    stats = CacheStats()
    assert validate(synth_corpus, stats=stats) == report  # the build's checks, kept in the validate cache
    assert (stats.hits, stats.misses) == (40, 0)
    second = build(synth_corpus, tmp_path / "b", workers=1, docs_per_shard=10)
    assert second.cache.hits == 40 and second.cache.misses == 0
    assert first.warnings == second.warnings == len(report.warnings)


@pytest.mark.parametrize("ner_docs", [1, 3])
def test_ner_batches_of_a_few_documents_write_the_same_bytes(
    ner_docs: int, tmp_path: Path, synth_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shard's ner rows are made a batch of documents at a time (tables/shard.NER_DOCS): any batch
    size writes the plain path's bytes, and a text-free release the same files as with one batch."""
    reference = plain_parquet(synth_corpus, 7)
    whole = build(synth_corpus, tmp_path / "whole-notext", workers=1, row_group_size=7, text=False, cache=False)
    monkeypatch.setattr(shard, "NER_DOCS", ner_docs)
    result = build(synth_corpus, tmp_path / "release", workers=1, row_group_size=7, cache=False)
    assert built_parquet(result.out) == reference
    text_free = build(synth_corpus, tmp_path / "notext", workers=1, row_group_size=7, text=False, cache=False)
    assert {p.relative_to(text_free.out): p.read_bytes() for p in text_free.out.rglob("*") if p.is_file()} == {
        p.relative_to(whole.out): p.read_bytes() for p in whole.out.rglob("*") if p.is_file()
    }
