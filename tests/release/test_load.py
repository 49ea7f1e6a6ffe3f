"""corpus_pkg.load / load_documents: build on demand, cache by content, packaged release, round trip."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Features

from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.load import CACHE_DIR, content_hash, iter_release_documents, load, load_documents
from corpus_pkg.release.build import PARQUET_OPTIONS, build
from corpus_pkg.tables.features import encode_row
from corpus_pkg.tables.rows import full_row, gold_only

# the module, even if corpus_pkg exports a function named ``load``
load_module = importlib.import_module("corpus_pkg.load")


def test_load_builds_into_the_cache_and_matches_load_dataset(rich_corpus: Path, hf_cache: Path, load_release) -> None:
    ds = load("entities", split="train", root=rich_corpus, cache_dir=str(hf_cache))
    entries = list((rich_corpus / CACHE_DIR / "releases").iterdir())
    assert [e.name for e in entries] == [content_hash(rich_corpus)[:20]]
    plain = load_release(entries[0], "entities", split="train")
    assert ds.features == plain.features and ds.to_list() == plain.to_list()
    assert ds.features["label"].names[0] == "PERSON"

    stamp = (entries[0] / "SHA256SUMS").stat().st_mtime_ns
    load("quotes", root=rich_corpus, cache_dir=str(hf_cache))
    assert (entries[0] / "SHA256SUMS").stat().st_mtime_ns == stamp  # reused, not rebuilt

    registry = rich_corpus / "entities.json"
    registry.write_text(registry.read_text(encoding="utf-8").replace('"Facebook"', '"Meta"'), encoding="utf-8")
    ds = load("entities", split="train", root=rich_corpus, cache_dir=str(hf_cache))
    assert "Meta" in ds["entity_name"]
    assert [e.name for e in (rich_corpus / CACHE_DIR / "releases").iterdir()] == [content_hash(rich_corpus)[:20]]


def test_load_rejects_unknown_config(rich_corpus: Path) -> None:
    with pytest.raises(ValueError, match="unknown config 'people'"):
        load("people", root=rich_corpus)


def test_load_documents_returns_gold_pydantic_documents(rich_corpus: Path) -> None:
    docs = load_documents(root=rich_corpus)
    corpus = Corpus.at(rich_corpus)
    assert [d.doc_id for d in docs] == ["doc1", "doc2", "doc3"]
    assert docs == [gold_only(d) for d in corpus.iter_documents()]
    assert [d.doc_id for d in load_documents(split="test", root=rich_corpus)] == ["doc3"]


def test_full_config_round_trip_parquet_pydantic_parquet(rich_release: Path, tmp_path: Path) -> None:
    for original in sorted((rich_release / "data" / "full").glob("*.parquet")):
        split = original.name.split("-")[0]
        schema = pq.read_schema(original)
        features = Features.from_arrow_schema(schema)
        rows = [encode_row(features, full_row(doc)) for doc in iter_release_documents(rich_release, split)]
        copy = tmp_path / original.name
        with pq.ParquetWriter(copy, features.arrow_schema, **PARQUET_OPTIONS) as writer:
            writer.write_table(pa.Table.from_pylist(rows, schema=features.arrow_schema))
        assert pq.read_table(copy).equals(pq.read_table(original))
        assert copy.read_bytes() == original.read_bytes()


def test_version_reads_a_frozen_release(rich_corpus: Path, hf_cache: Path) -> None:
    build(rich_corpus, rich_corpus / "releases" / "0.1.0")
    ds = load("documents", split="train", version="0.1.0", root=rich_corpus, cache_dir=str(hf_cache))
    assert ds["doc_id"] == ["doc1", "doc2"]
    assert not (rich_corpus / CACHE_DIR / "releases").exists()  # a frozen release needs no build
    with pytest.raises(CorpusError, match=r"no release 9.9.9 .* available: 0.1.0"):
        load("documents", version="9.9.9", root=rich_corpus)


def test_installed_package_reads_packaged_release(
    rich_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hf_cache: Path
) -> None:
    packaged = tmp_path / "site-packages" / "corpus_pkg" / "data" / "release"
    monkeypatch.setattr(load_module, "source_root", lambda: None)
    monkeypatch.setattr(load_module, "PACKAGE_RELEASE", packaged)
    with pytest.raises(CorpusError, match="no packaged release"):
        load("entities")
    shutil.copytree(rich_release, packaged)
    assert load("entities", split="train", cache_dir=str(hf_cache)).num_rows == 5
    assert [d.doc_id for d in load_documents()] == ["doc1", "doc2", "doc3"]
    with pytest.raises(CorpusError, match="ships version 0.1.0"):
        load("entities", version="2.0.0")
