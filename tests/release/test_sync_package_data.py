"""scripts/sync_package_data.py copies a verified release into the package data folder."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location("sync_package_data", REPO / "scripts" / "sync_package_data.py")
sync_package_data = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sync_package_data)


def test_sync_copies_and_replaces(rich_release: Path, tmp_path: Path) -> None:
    target = tmp_path / "corpus_pkg" / "data" / "release"
    target.mkdir(parents=True)
    (target / "stale.txt").write_text("old", encoding="utf-8")
    sync_package_data.sync(rich_release, target)
    assert sync_package_data.same_tree(rich_release, target)
    assert not (target / "stale.txt").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["release"]


def test_sync_refuses_a_damaged_release(rich_release: Path, tmp_path: Path) -> None:
    copy = tmp_path / "rel"
    shutil.copytree(rich_release, copy)
    (copy / "croissant.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SystemExit, match="does not match its SHA256SUMS"):
        sync_package_data.sync(copy, tmp_path / "target")
    assert not (tmp_path / "target").exists()


def test_pyproject_ships_the_package_data() -> None:
    assert '"data/**/*"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
