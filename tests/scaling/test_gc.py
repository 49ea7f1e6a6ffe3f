"""A shard is built without cyclic garbage collection, and the collector's state is restored after."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from corpus_pkg._pool import collections_paused
from corpus_pkg.release.build import build
from corpus_pkg.tables import shard
from tests.conftest import MINI


def test_collections_paused_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with collections_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collections_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_a_shard_is_built_with_the_collector_off_and_it_is_back_on_after(tmp_path: Path, monkeypatch) -> None:
    seen: list[bool] = []
    original = shard.ShardBuilder.build

    def spy(self: shard.ShardBuilder, task: object) -> object:
        seen.append(gc.isenabled())
        return original(self, task)  # type: ignore[arg-type]

    monkeypatch.setattr(shard.ShardBuilder, "build", spy)
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    build(root, tmp_path / "release", workers=1, cache=False)
    assert seen and not any(seen)
    assert gc.isenabled()
