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


def _edit_a_label(corpus: Path) -> None:
    ann = next(p for p in sorted((corpus / "annotations").glob("*.json")) if '"PERSON"' in p.read_text("utf-8"))
    ann.write_text(ann.read_text(encoding="utf-8").replace('"PERSON"', '"ORG"', 1), encoding="utf-8")


def test_check_fails_when_the_packaged_copy_is_stale_against_the_corpus(rich_source: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(rich_source, corpus)
    packaged = tmp_path / "package" / "release"
    sync_package_data.sync(sync_package_data.build(corpus, tmp_path / "dist", cache=False).out, packaged)
    assert sync_package_data.stale_reasons(corpus, packaged, None, cache=False) == []
    _edit_a_label(corpus)  # the corpus changes; the packaged copy is not rebuilt
    reasons = sync_package_data.stale_reasons(corpus, packaged, tmp_path / "dist", cache=False)
    assert reasons == [f"{packaged} differs from a fresh build of {corpus}"]
    missing = tmp_path / "nothing"
    assert sync_package_data.stale_reasons(corpus, missing, None) == [f"{missing} holds no release"]


def test_check_cli_exits_1_on_a_stale_copy_and_0_on_a_fresh_one(rich_source: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    shutil.copytree(rich_source, corpus)
    packaged = tmp_path / "package" / "release"
    script = [sys.executable, str(REPO / "scripts" / "sync_package_data.py")]
    where = ["--root", str(corpus), "--target", str(packaged), "--release", str(tmp_path / "dist")]
    subprocess.run([*script, "--build", *where], check=True, capture_output=True)
    fresh = subprocess.run([*script, "--check", *where], capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    _edit_a_label(corpus)
    stale = subprocess.run([*script, "--check", *where], capture_output=True, text=True)
    assert stale.returncode == 1
    assert f"stale: {packaged} differs from a fresh build of {corpus}" in stale.stderr
