"""Shard planning and cache pruning: the units below incremental builds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus_pkg.cache import ContentCache, cache_key
from corpus_pkg.shards import plan_shards
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


def test_adding_or_removing_a_document_moves_few_shards() -> None:
    ids = [f"d{i:05d}" for i in range(5_000)]
    before = membership(plan_shards({"train": docs(ids)}, 100))
    for changed in (sorted([*ids, "d02500x"]), ids[:1234] + ids[1235:]):
        after = membership(plan_shards({"train": docs(changed)}, 100))
        assert len(after - before) <= 2, len(after - before)  # the shard of the change (rarely the next one too)
        assert len(before - after) <= 2


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
