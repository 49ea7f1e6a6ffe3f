"""build(): streamed, parallel and incremental, with output byte-identical to a clean build."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from datasets import load_dataset

from corpus_pkg.build import build
from corpus_pkg.corpus import Corpus
from corpus_pkg.features import LabelSets, compile_encoder, encode_row, release_features
from corpus_pkg.rows import RowContext, document_rows


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def edit_one_document(root: Path) -> None:
    """A real annotation change: relabel one gold mention's registry link (still valid)."""
    path = root / "annotations" / "art000012.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    mention = next(m for m in data["entities"] if m["origin"] == "manual" and m["label"] == "PERSON")
    mention["entity_id"] = "p000"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_incremental_rebuild_recomputes_one_shard_and_matches_a_clean_build(synth_corpus: Path, tmp_path: Path):
    options = {"row_group_size": 50, "docs_per_shard": 10}  # train: 32 documents -> shards of 10, 10, 10, 2
    first = build(synth_corpus, tmp_path / "first", workers=2, **options)
    assert (first.cache.hits, first.cache.misses) == (0, 40)
    again = build(synth_corpus, tmp_path / "again", workers=2, **options)
    assert (again.cache.hits, again.cache.misses) == (40, 0)
    assert tree_bytes(tmp_path / "again") == tree_bytes(tmp_path / "first")

    edit_one_document(synth_corpus)  # art000012: the 10th train document, so train shard 0
    incremental = build(synth_corpus, tmp_path / "incremental", workers=2, **options)
    assert (incremental.cache.hits, incremental.cache.misses) == (30, 10)
    clean = build(synth_corpus, tmp_path / "clean", cache=False, workers=1, **options)
    assert clean.cache.hits == 0
    new, old = tree_bytes(tmp_path / "incremental"), tree_bytes(tmp_path / "first")
    assert new == tree_bytes(tmp_path / "clean")
    assert new != old  # the edit shows up: entities Parquet (and checksums) changed
    changed = sorted(k for k in new if new[k] != old[k] and k.startswith("data/"))
    assert "data/entities/train-00000-of-00004.parquet" in changed
    assert not [k for k in changed if "train-00000" not in k]  # the other shards are copied unchanged
    shard = tmp_path / "incremental" / "data" / "entities" / "train-00000-of-00004.parquet"
    assert pq.read_table(shard).num_rows > 10 * 40
    assert pq.ParquetFile(shard).metadata.row_group(0).num_rows == 50


def test_parallel_cached_and_sharded_builds_agree(synth_corpus: Path, tmp_path: Path) -> None:
    options = {"row_group_size": 64, "docs_per_shard": 7}
    build(synth_corpus, tmp_path / "inline", cache=False, workers=1, **options)
    build(synth_corpus, tmp_path / "parallel", cache=False, workers=2, **options)
    build(synth_corpus, tmp_path / "cold", workers=2, **options)
    build(synth_corpus, tmp_path / "warm", workers=1, **options)
    reference = tree_bytes(tmp_path / "inline")
    assert len([k for k in reference if k.startswith("data/entities/train-")]) == 5  # 32 documents / 7
    for name in ("parallel", "cold", "warm"):
        assert tree_bytes(tmp_path / name) == reference, name
    ds = load_dataset("parquet", data_files=str(tmp_path / "warm" / "data" / "entities" / "train-*.parquet"))
    assert ds["train"].features["label"].names[:3] == ["PERSON", "NORP", "FAC"]
    single = build(synth_corpus, tmp_path / "single", cache=False, workers=1, row_group_size=64)
    single_rows = load_dataset("parquet", data_files=str(tmp_path / "single" / "data" / "entities" / "train-*.parquet"))
    assert single_rows["train"].to_list() == ds["train"].to_list()  # sharding changes files, not rows
    assert single.rows == build(synth_corpus, tmp_path / "again", workers=2, **options).rows


def test_corrupt_shard_cache_entry_is_recomputed(synth_corpus: Path, tmp_path: Path) -> None:
    build(synth_corpus, tmp_path / "first", workers=1, docs_per_shard=10)
    entries = sorted(p for p in (synth_corpus / ".corpus_cache" / "build").rglob("*") if p.is_file())
    assert len(entries) == 6  # train 10+10+10+2, validation 4, test 4
    sizes = sorted(len(entry.read_bytes()) for entry in entries)
    victim = max(entries, key=lambda entry: len(entry.read_bytes()))  # a 10-document shard
    victim.write_bytes(victim.read_bytes()[:-100])
    second = build(synth_corpus, tmp_path / "second", workers=1, docs_per_shard=10)
    assert (second.cache.hits, second.cache.misses, second.cache.corrupt) == (30, 10, 1)
    assert tree_bytes(tmp_path / "second") == tree_bytes(tmp_path / "first")
    assert sorted(len(entry.read_bytes()) for entry in entries) == sizes  # rewritten whole


def test_compiled_encoder_equals_encode_row(synth_corpus: Path) -> None:
    corpus = Corpus.at(synth_corpus)
    features = release_features(LabelSets.from_config(corpus.config))
    ctx = RowContext(entity_names={e.id: e.name for e in corpus.registry.entities})
    encoders = {config: compile_encoder(feats) for config, feats in features.items()}
    for doc in list(corpus.iter_documents())[:5]:
        for config, rows in document_rows(doc, ctx).items():
            for row in rows:
                assert encoders[config](row) == encode_row(features[config], row), config
    with pytest.raises(ValueError, match="is not one of the declared labels"):
        encoders["entities"]({"label": "NOT_A_LABEL"})


def test_cli_build_no_cache(synth_corpus: Path, tmp_path: Path, cli) -> None:
    result = cli("build", "--root", str(synth_corpus), "--out", str(tmp_path / "plain"), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert not (synth_corpus / ".corpus_cache").exists()
    cached = cli("build", "--root", str(synth_corpus), "--out", str(tmp_path / "cached"))
    assert cached.returncode == 0, cached.stderr
    assert len([p for p in (synth_corpus / ".corpus_cache" / "build").rglob("*") if p.is_file()]) == 3  # one per split
    assert tree_bytes(tmp_path / "plain") == tree_bytes(tmp_path / "cached")


def test_invalid_documents_in_several_shards_fail_the_build_with_the_validate_report(
    synth_corpus: Path, tmp_path: Path
) -> None:
    from corpus_pkg.build import InvalidCorpusError
    from corpus_pkg.validate import validate

    for doc_id, field_name in (("art000003", "label"), ("art000037", "text")):  # train shards 0 and 2
        path = synth_corpus / "annotations" / f"{doc_id}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["entities"][1][field_name] = "NOT_DECLARED" if field_name == "label" else "wrong text"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InvalidCorpusError) as info:
        build(synth_corpus, tmp_path / "rel", workers=2, docs_per_shard=10)
    expected = validate(synth_corpus, cache=False)
    assert info.value.report == expected
    assert {i.code for i in expected.errors} == {"undeclared-label", "span-text-mismatch"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synth"]  # no release, no temp folder
    cached = [p for p in (synth_corpus / ".corpus_cache" / "build").rglob("*") if p.is_file()]
    assert len(cached) == 4  # of 6 shards, the 4 valid ones are kept for the next build; failed ones are not


def test_shard_cache_is_pruned_to_this_build_plus_as_much_again(synth_corpus: Path, tmp_path: Path) -> None:
    folder = synth_corpus / ".corpus_cache" / "build"
    build(synth_corpus, tmp_path / "rel", workers=1, docs_per_shard=10)
    assert len([p for p in folder.rglob("*") if p.is_file()]) == 6
    path = synth_corpus / "annotations" / "art000012.json"  # in train shard 0: a quarter of the train rows
    for edit in range(8):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["entities"][0]["source"] = f"edit {edit}"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        build(synth_corpus, tmp_path / "rel", workers=1, docs_per_shard=10, overwrite=True)
    current = build(synth_corpus, tmp_path / "again", workers=1, docs_per_shard=10)
    assert (current.cache.hits, current.cache.misses) == (40, 0)  # the latest build's shards all survived
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.stat().st_mtime_ns)
    in_use, older = files[-6:], files[:-6]  # the build above read (and so touched) its six entries last
    assert 0 < len(older) < 8  # some old versions of shard 0 were kept, not all eight
    assert sum(p.stat().st_size for p in older) <= sum(p.stat().st_size for p in in_use)
