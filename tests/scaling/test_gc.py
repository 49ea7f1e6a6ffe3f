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


def test_fewer_collections_restores_the_threshold_when_threads_leave_in_any_order() -> None:
    import threading

    from corpus_pkg._pool import fewer_collections

    before = gc.get_threshold()
    first_in, first_may_leave = threading.Event(), threading.Event()

    def first() -> None:
        with fewer_collections():
            first_in.set()
            first_may_leave.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    with fewer_collections():  # enters second, and the first block leaves while this one runs
        first_may_leave.set()
        thread.join(10)
        assert gc.get_threshold()[0] == 50_000  # still raised: this block is inside
    assert gc.get_threshold() == before  # restored by the last block to leave


def test_build_and_validate_leave_the_threshold_as_they_found_it(tmp_path: Path) -> None:
    from corpus_pkg.validate import validate

    before = gc.get_threshold()
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    validate(root, cache=False, workers=1)
    build(root, tmp_path / "release", workers=1, cache=False)
    assert gc.get_threshold() == before
