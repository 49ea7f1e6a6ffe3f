"""Releases are checked against SHA256SUMS: `corpus verify`, the loaders, the load cache, stale temporaries."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_pkg import verify_release
from corpus_pkg.load import CACHE_DIR, content_hash, load, load_documents
from corpus_pkg.release.build import build
from corpus_pkg.release.verify import ReleaseIntegrityError
from corpus_pkg.release.versions import release

PARQUET = "data/entities/train-00000-of-00001.parquet"


def _flip_byte(path: Path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_verify_names_every_bad_missing_and_extra_file(rich_release: Path, tmp_path: Path, cli) -> None:
    ok = cli("verify", str(rich_release))
    assert ok.returncode == 0 and "OK" in ok.stdout, ok.stderr
    copy = tmp_path / "rel"
    shutil.copytree(rich_release, copy)
    _flip_byte(copy / PARQUET)
    (copy / "croissant.json").unlink()
    (copy / "data" / "extra.parquet").write_bytes(b"x")
    result = cli("verify", str(copy))
    assert result.returncode == 1
    assert f"{copy}/{PARQUET}: checksum mismatch" in result.stdout
    assert f"{copy}/croissant.json: missing" in result.stdout
    assert f"{copy}/data/extra.parquet: not listed" in result.stdout
    assert result.stderr.startswith(f"Error: {copy} does not match its SHA256SUMS (3 problem(s))")
    api = verify_release(copy)
    assert (api.bad, api.missing, api.extra) == ([PARQUET], ["croissant.json"], ["data/extra.parquet"])
    (copy / "SHA256SUMS").unlink()
    assert not verify_release(copy).ok and cli("verify", str(copy)).returncode == 1


def test_a_linked_file_inside_a_release_does_not_verify(rich_release: Path, tmp_path: Path) -> None:
    copy = tmp_path / "rel"
    shutil.copytree(rich_release, copy)
    secret = tmp_path / "secret.md"
    shutil.copyfile(copy / "README.md", secret)  # same bytes: only the link gives it away
    (copy / "README.md").unlink()
    (copy / "README.md").symlink_to(secret)
    assert verify_release(copy).missing == ["README.md (a symbolic link)"]


def test_tampered_frozen_release_is_refused_by_the_loaders(rich_corpus: Path, hf_cache: Path) -> None:
    frozen = release(rich_corpus).out
    parquet = frozen / "data" / "full" / "train-00000-of-00001.parquet"
    parquet.chmod(stat.S_IRUSR | stat.S_IWUSR)
    _flip_byte(parquet, parquet.stat().st_size // 2)
    with pytest.raises(ReleaseIntegrityError, match=r"data/full/train-00000-of-00001.parquet: checksum mismatch"):
        load_documents(version="0.1.0", root=rich_corpus)
    with pytest.raises(ReleaseIntegrityError, match="does not match its SHA256SUMS"):
        load("entities", version="0.1.0", root=rich_corpus, cache_dir=str(hf_cache))


def test_damaged_cache_is_rebuilt_not_served(rich_corpus: Path) -> None:
    expected = load_documents(root=rich_corpus)
    entry = rich_corpus / CACHE_DIR / "releases" / content_hash(rich_corpus)[:20]
    full = entry / "data" / "full" / "train-00000-of-00001.parquet"
    full.unlink()  # a deleted cached file: rebuilt, not FileNotFoundError forever
    assert load_documents(root=rich_corpus) == expected
    assert full.is_file()
    _flip_byte(full, full.stat().st_size // 2)  # a changed cached file: rebuilt, not served
    assert load_documents(root=rich_corpus) == expected
    assert verify_release(entry).ok


def test_stale_temporaries_of_killed_builds_are_removed(mini_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = tmp_path / f".release.tmp-{dead.pid}-abc123"
        running = tmp_path / f".release.tmp-{alive.pid}-def456"
        unrelated = tmp_path / ".other.tmp-1-x"
        for folder in (stale, running, unrelated):
            (folder / "data").mkdir(parents=True)
        build(mini_corpus, out, cache=False)
        assert not stale.exists(), "a folder of a process that is gone is removed"
        assert running.exists(), "a folder of a build still running is kept"
        assert unrelated.exists()
    finally:
        alive.kill()
        alive.wait()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".release")) == [running.name]


@pytest.mark.parametrize("rel", ["annotations/GUIDELINES.md", "docs/agreement.md"])
def test_linked_guidelines_never_reach_the_release(mini_corpus: Path, tmp_path: Path, rel: str, cli) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Guidelines\n\nAPI_KEY=hunter2\n", encoding="utf-8")
    (mini_corpus / rel).parent.mkdir(exist_ok=True)
    (mini_corpus / rel).symlink_to(secret)
    result = cli("validate", "--root", str(mini_corpus))
    assert result.returncode == 1 and f"{rel}: error[linked-path]" in result.stdout
    out = tmp_path / "out"
    built = cli("build", "--root", str(mini_corpus), "--out", str(out))
    assert built.returncode == 1 and not out.exists()
    assert "hunter2" not in built.stdout + built.stderr


@pytest.mark.parametrize("rel", ["raw", "annotations", "corpus.json"])
def test_linked_corpus_folders_and_config_are_refused(mini_corpus: Path, tmp_path: Path, rel: str, cli) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(mini_corpus / rel, elsewhere)
    os.symlink(elsewhere, mini_corpus / rel)
    result = cli("validate", "--root", str(mini_corpus))
    assert result.returncode == 1
    assert f"{rel}: error[linked-path] {rel} is a symbolic link" in result.stdout
    built = cli("build", "--root", str(mini_corpus), "--out", str(tmp_path / "out"))
    assert built.returncode == 1 and not (tmp_path / "out").exists()
