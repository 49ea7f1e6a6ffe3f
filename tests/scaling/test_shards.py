"""Shard planning and cache pruning: the units below incremental builds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus_pkg._cache import ContentCache, cache_key
from corpus_pkg.tables.plan import plan_shards
from corpus_pkg.validate.checks import DocumentPaths


def docs(ids: list[str]) -> list[DocumentPaths]:
    return [DocumentPaths(i, f"annotations/{i}.json", f"raw/{i}.txt") for i in ids]


def membership(tasks) -> set[tuple[str, ...]]:
    return {tuple(d.doc_id for d in task.docs) for task in tasks}


def test_shards_keep_order_average_the_target_and_are_bounded() -> None:
    ids = [f"d{i:05d}" for i in range(20_000)]
    tasks = plan_shards({"train": docs(ids), "test": docs(["t1", "t2"])}, 100)
    train = [t for t in tasks if t.split == "train"]
    assert [d.doc_id for t in train for d in t.docs] == ids  # every document once, in order
    assert [t.index for t in train] == list(range(len(train)))
    sizes = [len(t.docs) for t in train]
    assert max(sizes) <= 200 and min(sizes[:-1]) >= 50
    assert 80 <= sum(sizes) / len(sizes) <= 120
    assert [(t.split, t.index, len(t.docs)) for t in tasks if t.split == "test"] == [("test", 0, 2)]
    assert [len(t.docs) for t in plan_shards({"train": docs(ids[:5])}, 1)] == [1, 1, 1, 1, 1]


def test_adding_or_removing_a_document_usually_moves_one_shard() -> None:
    ids = [f"d{i:04d}" for i in range(600)]
    before = membership(plan_shards({"train": docs(ids)}, 20))
    changed = []
    for i in range(len(ids)):  # every single removal, and an insertion next to each document
        for edited in (ids[:i] + ids[i + 1 :], [*ids[: i + 1], f"{ids[i]}x", *ids[i + 1 :]]):
            changed.append(len(membership(plan_shards({"train": docs(edited)}, 20)) - before))
    assert min(changed) == 1  # the shard holding the change always changes ...
    assert sum(c == 1 for c in changed) / len(changed) > 0.8  # ... and usually alone
    assert sum(changed) / len(changed) < 1.3


@pytest.mark.parametrize("target", [1, 2, 3, 5, 40])
def test_small_targets_average_the_target(target: int) -> None:
    sizes = [len(t.docs) for t in plan_shards({"train": docs([f"x{i}" for i in range(4000)])}, target)]
    assert abs(sum(sizes[:-1]) / len(sizes[:-1]) - target) <= 0.15 * target
    assert max(sizes) <= 2 * target


def test_a_label_the_release_does_not_declare_names_its_document(tmp_path: Path) -> None:
    from corpus_pkg.corpus import CorpusError
    from corpus_pkg.tables.columns import column_builders
    from corpus_pkg.tables.features import LabelSets, release_features
    from corpus_pkg.tables.parquet import ConfigWriter

    features = release_features(LabelSets(entity_labels=("PERSON",), stance_targets=("t",)))["entities"]
    schema = features.arrow_schema
    writer = ConfigWriter(tmp_path / "entities" / "x.partial", schema, column_builders(features, schema), 10)
    row = {"doc_id": "d1", "mention_id": "e1", "start": 0, "end": 1, "text": "A", "origin": "manual"}
    writer.add([{**row, "label": "PERSON"}, {**row, "doc_id": "d2", "label": "ORG"}])
    with pytest.raises(CorpusError, match=r"annotations/d2\.json: entities column 'label': 'ORG' is not one of"):
        writer.close()
    assert writer.writer is None  # closed all the same


def test_docs_per_shard_must_be_positive() -> None:
    with pytest.raises(ValueError, match="docs_per_shard must be at least 1"):
        plan_shards({"train": docs(["a"])}, 0)


def test_prune_keeps_the_given_entries_and_the_most_recent_others_within_budget(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "c")
    keys = [cache_key(str(i)) for i in range(6)]
    for i, key in enumerate(keys):
        cache.put(key, b"x" * 100)
        path = tmp_path / "c" / key[:2] / key
        os.utime(path, ns=(i * 10**9, i * 10**9))  # older first
    stale_tmp = tmp_path / "c" / keys[0][:2] / ".dead.tmp"
    stale_tmp.write_bytes(b"half")
    os.utime(stale_tmp, (0, 0))
    fresh_tmp = tmp_path / "c" / keys[0][:2] / ".live.tmp"
    fresh_tmp.write_bytes(b"writing")
    deleted = cache.prune({keys[0], keys[1]})  # 200 bytes kept: others may use 200 bytes
    assert deleted == 2
    remaining = {p.name for p in (tmp_path / "c").glob("??/*")}
    assert remaining == {keys[0], keys[1], keys[4], keys[5], ".live.tmp"}  # newest others kept; stale temp gone
    assert cache.get(keys[4]) == b"x" * 100
