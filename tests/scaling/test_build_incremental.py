"""build(): streamed, parallel and incremental, with output byte-identical to a clean build."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from datasets import load_dataset

from corpus_pkg._cache import CacheStats
from corpus_pkg.corpus import Corpus
from corpus_pkg.release.build import build, shard_plan
from corpus_pkg.tables.features import LabelSets, column_encoders, encode_row, release_features
from corpus_pkg.tables.plan import ShardTask
from corpus_pkg.tables.rows import RowContext, document_rows
from corpus_pkg.validate import validate
from corpus_pkg.validate.cached import plan_chunks
from corpus_pkg.validate.checks import pair_paths


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def edit_one_document(root: Path) -> None:
    """A real annotation change: relabel one gold mention's registry link (still valid)."""
    path = root / "annotations" / "art000012.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    mention = next(m for m in data["entities"] if m["origin"] == "manual" and m["label"] == "PERSON")
    mention["entity_id"] = "p000"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def plan(root: Path, docs_per_shard: int) -> list[ShardTask]:
    """The shards a build of ``root`` cuts (the same function build() uses)."""
    return shard_plan(Corpus.at(root).config, pair_paths(root)[0], docs_per_shard)[1]


def shard_of(tasks: list[ShardTask], doc_id: str) -> ShardTask:
    return next(task for task in tasks if doc_id in {d.doc_id for d in task.docs})


def test_incremental_rebuild_recomputes_one_shard_and_matches_a_clean_build(synth_corpus: Path, tmp_path: Path):
    options = {"row_group_size": 50, "docs_per_shard": 10}
    tasks = plan(synth_corpus, 10)
    assert len(tasks) >= 4
    first = build(synth_corpus, tmp_path / "first", workers=2, **options)
    assert (first.cache.hits, first.cache.misses) == (0, 40)
    again = build(synth_corpus, tmp_path / "again", workers=2, **options)
    assert (again.cache.hits, again.cache.misses) == (40, 0)
    assert tree_bytes(tmp_path / "again") == tree_bytes(tmp_path / "first")

    edit_one_document(synth_corpus)  # art000012
    edited = shard_of(tasks, "art000012")
    incremental = build(synth_corpus, tmp_path / "incremental", workers=2, **options)
    assert (incremental.cache.hits, incremental.cache.misses) == (40 - len(edited.docs), len(edited.docs))
    clean = build(synth_corpus, tmp_path / "clean", cache=False, workers=1, **options)
    assert clean.cache.hits == 0
    new, old = tree_bytes(tmp_path / "incremental"), tree_bytes(tmp_path / "first")
    assert new == tree_bytes(tmp_path / "clean")
    changed = sorted(k for k in new if new[k] != old[k] and k.startswith("data/"))
    n_train = len([t for t in tasks if t.split == "train"])
    shard_file = f"data/entities/{edited.split}-{edited.index:05d}-of-{n_train:05d}.parquet"
    assert shard_file in changed  # the edit shows up ...
    assert all(f"{edited.split}-{edited.index:05d}-" in k for k in changed)  # ... and only in its shard
    table = pq.ParquetFile(tmp_path / "incremental" / shard_file)
    assert table.metadata.num_rows > 40 * len(edited.docs)
    assert table.metadata.row_group(0).num_rows == 50


def test_parallel_cached_and_sharded_builds_agree(synth_corpus: Path, tmp_path: Path) -> None:
    options = {"row_group_size": 64, "docs_per_shard": 7}
    build(synth_corpus, tmp_path / "inline", cache=False, workers=1, **options)
    build(synth_corpus, tmp_path / "parallel", cache=False, workers=2, **options)
    build(synth_corpus, tmp_path / "cold", workers=2, **options)
    build(synth_corpus, tmp_path / "warm", workers=1, **options)
    reference = tree_bytes(tmp_path / "inline")
    train_shards = [t for t in plan(synth_corpus, 7) if t.split == "train"]
    assert len(train_shards) > 2
    assert len([k for k in reference if k.startswith("data/entities/train-")]) == len(train_shards)
    for name in ("parallel", "cold", "warm"):
        assert tree_bytes(tmp_path / name) == reference, name
    ds = load_dataset("parquet", data_files=str(tmp_path / "warm" / "data" / "entities" / "train-*.parquet"))
    assert ds["train"].features["label"].names[:3] == ["PERSON", "NORP", "FAC"]
    single = build(synth_corpus, tmp_path / "single", cache=False, workers=1, row_group_size=64)
    single_rows = load_dataset("parquet", data_files=str(tmp_path / "single" / "data" / "entities" / "train-*.parquet"))
    assert single_rows["train"].to_list() == ds["train"].to_list()  # sharding changes files, not rows
    assert single.rows == build(synth_corpus, tmp_path / "again", workers=2, **options).rows


def test_changing_the_row_group_size_does_not_reuse_cached_shards(synth_corpus: Path, tmp_path: Path) -> None:
    build(synth_corpus, tmp_path / "big", workers=1, row_group_size=1000)
    small = build(synth_corpus, tmp_path / "small", workers=1, row_group_size=7)
    assert small.cache.hits == 0
    clean = build(synth_corpus, tmp_path / "clean", workers=1, row_group_size=7, cache=False)
    assert tree_bytes(clean.out) == tree_bytes(small.out)
    assert pq.ParquetFile(small.out / "data" / "entities" / "train-00000-of-00001.parquet").metadata.num_row_groups > 1


def test_corrupt_shard_cache_entry_is_recomputed(synth_corpus: Path, tmp_path: Path) -> None:
    build(synth_corpus, tmp_path / "first", workers=1, docs_per_shard=10)
    sizes = sorted(len(t.docs) for t in plan(synth_corpus, 10))
    entries = sorted(p for p in (synth_corpus / ".corpus_cache" / "build").rglob("*") if p.is_file())
    assert len(entries) == len(sizes)
    entries[0].write_bytes(entries[0].read_bytes()[:-100])
    second = build(synth_corpus, tmp_path / "second", workers=1, docs_per_shard=10)
    assert second.cache.corrupt == 1
    assert second.cache.misses in sizes and second.cache.hits == 40 - second.cache.misses
    assert tree_bytes(tmp_path / "second") == tree_bytes(tmp_path / "first")
    assert entries[0].read_bytes()[-4:] == b"PAR1"  # rewritten whole


def test_a_forged_shard_cache_entry_cannot_write_outside_the_release(synth_corpus: Path, tmp_path: Path) -> None:
    """The cache's checksum sits in the same file, so anyone who can write .corpus_cache/ can forge an
    entry: its header must not be able to name files outside the release, nor drop a config."""
    import hashlib

    from corpus_pkg.tables.shard_cache import MAGIC as _MAGIC

    first = build(synth_corpus, tmp_path / "first", workers=1)
    entries = sorted(p for p in (synth_corpus / ".corpus_cache" / "build").rglob("*") if p.is_file())
    escape = tmp_path / "escaped"
    for entry in entries:
        data = entry.read_bytes()
        header_line, payload = data.split(b"\n", 1)
        size = int.from_bytes(payload[len(_MAGIC) : len(_MAGIC) + 8], "little")
        head = json.loads(payload[len(_MAGIC) + 8 : len(_MAGIC) + 8 + size])
        target = "../../../../../../../../" + str(escape).lstrip("/")
        head["rows"] = {(target if k == "entities" else k): v for k, v in head["rows"].items()}
        head["nbytes"] = {(target if k == "entities" else k): v for k, v in head["nbytes"].items()}
        new_head = json.dumps(head).encode()
        rest = payload[len(_MAGIC) + 8 + size :]
        forged = _MAGIC + len(new_head).to_bytes(8, "little") + new_head + rest
        prefix = header_line[:-64]
        entry.write_bytes(prefix + hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
    second = build(synth_corpus, tmp_path / "second", workers=1)
    assert second.cache.corrupt == len(entries) and second.cache.hits == 0
    assert not escape.exists()
    assert tree_bytes(second.out) == tree_bytes(first.out)


def test_column_encoders_equal_encode_row(synth_corpus: Path) -> None:
    corpus = Corpus.at(synth_corpus)
    features = release_features(LabelSets.from_config(corpus.config))
    ctx = RowContext(entity_names={e.id: e.name for e in corpus.registry.entities})
    encoders = {config: column_encoders(feats) for config, feats in features.items()}

    def encode(config: str, row: dict) -> dict:
        return {name: enc(row.get(name)) if enc else row.get(name) for name, enc in encoders[config].items()}

    for doc in list(corpus.iter_documents())[:5]:
        for config, rows in document_rows(doc, ctx).items():
            for row in rows:
                assert encode(config, row) == encode_row(features[config], row), config
    with pytest.raises(ValueError, match="is not one of the declared labels"):
        encoders["entities"]["label"]("NOT_A_LABEL")
    assert encoders["entities"]["text"] is None  # columns without labels pass through untouched


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
    from corpus_pkg.release.build import InvalidCorpusError
    from corpus_pkg.validate import validate

    tasks = plan(synth_corpus, 10)
    first, last = shard_of(tasks, "art000003"), shard_of(tasks, "art000037")
    assert first != last
    for doc_id, field_name in (("art000003", "label"), ("art000037", "text")):
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


def test_after_a_failed_shard_later_shards_are_checked_not_converted(synth_corpus: Path, tmp_path: Path) -> None:
    from corpus_pkg.release.build import InvalidCorpusError

    tasks = plan(synth_corpus, 10)
    first = max(tasks, key=lambda task: len(task.docs))  # shards are submitted largest first
    path = synth_corpus / "annotations" / f"{first.docs[0].doc_id}.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"label": "PERSON"', '"label": "PER"', 1))
    with pytest.raises(InvalidCorpusError) as info:
        build(synth_corpus, tmp_path / "rel", workers=1, docs_per_shard=10)
    assert info.value.report.stats["documents"] == 40  # every document was still checked ...
    assert not (synth_corpus / ".corpus_cache" / "build").exists()  # ... but no shard was converted
    chunks = len(plan_chunks(pair_paths(synth_corpus)[0]))  # the shards' validate entries, by chunk:
    assert len([p for p in (synth_corpus / ".corpus_cache" / "validate").rglob("*") if p.is_file()]) == chunks
    stats = CacheStats()
    validate(synth_corpus, stats=stats)
    assert (stats.hits, stats.misses) == (40, 0)  # every document's issues were kept


def test_a_build_after_validate_reuses_its_checks(synth_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from corpus_pkg.validate import cached

    validate(synth_corpus)
    checked: list[str] = []
    original = cached.check_document_model

    def counting(files, ctx):
        checked.append(files.doc_id)
        return original(files, ctx)

    monkeypatch.setattr(cached, "check_document_model", counting)
    result = build(synth_corpus, tmp_path / "rel", workers=1, docs_per_shard=10)
    assert checked == [] and result.cache.misses == 40  # every shard converted, no document checked again
    clean = build(synth_corpus, tmp_path / "clean", workers=1, docs_per_shard=10, cache=False)
    assert tree_bytes(result.out) == tree_bytes(clean.out) and result.warnings == clean.warnings
    assert len(checked) == 40


def test_shard_cache_stays_within_twice_what_one_build_uses(synth_corpus: Path, tmp_path: Path) -> None:
    folder = synth_corpus / ".corpus_cache" / "build"
    n_shards = len(plan(synth_corpus, 10))
    path = synth_corpus / "annotations" / "art000012.json"
    for edit in range(12):  # each edit leaves one more version of a shard behind
        data = json.loads(path.read_text(encoding="utf-8"))
        data["entities"][0]["source"] = f"edit {edit}"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        build(synth_corpus, tmp_path / "rel", workers=1, docs_per_shard=10, overwrite=True)
    current = build(synth_corpus, tmp_path / "again", workers=1, docs_per_shard=10)
    assert (current.cache.hits, current.cache.misses) == (40, 0)  # the latest build's shards all survived
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.stat().st_mtime_ns)
    in_use, older = files[-n_shards:], files[:-n_shards]  # the build above read (and so touched) its entries last
    assert len(older) >= 1  # old versions are kept, for switching back ...
    assert sum(p.stat().st_size for p in older) <= sum(p.stat().st_size for p in in_use)  # ... within bounds
