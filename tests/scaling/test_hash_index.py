"""The hash index (corpus_pkg._hashindex): an incremental build reads only what changed, and never
trusts a stat that could hide a change."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from corpus_pkg import _hashindex
from corpus_pkg._hashindex import RACY_NS, HashIndex, stat_key
from corpus_pkg.release.build import build
from corpus_pkg.release.inputs import inputs_digest
from corpus_pkg.validate import cached
from corpus_pkg.validate.corpus_files import DocumentPaths

from .test_build_incremental import plan, shard_of, tree_bytes

OPTIONS = {"row_group_size": 50, "docs_per_shard": 10, "workers": 1}


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds run as if a minute had passed since the corpus was written (its files are then
    old enough for their hashes to be recorded: see RACY_NS)."""
    monkeypatch.setattr(_hashindex, "clock", lambda: time.time_ns() + 60 * 10**9)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Ids of the documents whose files a build (inline: workers=1) reads."""
    seen: list[str] = []
    original = DocumentPaths.read

    def counting(self: DocumentPaths, root: Path):
        seen.append(self.doc_id)
        return original(self, root)

    monkeypatch.setattr(DocumentPaths, "read", counting)
    return seen


def release_digest(out: Path) -> str:
    return json.loads((out / "metadata" / "release.json").read_text(encoding="utf-8"))["inputs_sha256"]


def same_size_edit(path: Path) -> None:
    """Change the file's bytes, keeping its size, and put its mtime back (as `cp -p` or an editor may)."""
    before = path.stat()
    data = path.read_bytes()
    edited = data.replace(b'"published": "2016-', b'"published": "2017-', 1)  # the same length
    assert edited != data and len(edited) == len(data)
    path.write_bytes(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_unchanged_corpus_is_rebuilt_without_reading_a_document(
    synth_corpus: Path, tmp_path: Path, later: None, reads: list[str]
) -> None:
    first = build(synth_corpus, tmp_path / "first", **OPTIONS)
    assert len(reads) == 40 and (synth_corpus / ".corpus_cache" / "hashes").is_file()
    reads.clear()
    again = build(synth_corpus, tmp_path / "again", **OPTIONS)
    assert reads == [] and again.cache.hits == 40
    assert tree_bytes(tmp_path / "again") == tree_bytes(tmp_path / "first")
    assert release_digest(first.out) == inputs_digest(synth_corpus)  # the digest of every file, read afresh


def test_an_edit_reads_only_its_shard_and_matches_a_clean_build(
    synth_corpus: Path, tmp_path: Path, later: None, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(synth_corpus, tmp_path / "first", **OPTIONS)
    checked: list[str] = []
    original = cached.check_document_model
    monkeypatch.setattr(cached, "check_document_model", lambda f, ctx: checked.append(f.doc_id) or original(f, ctx))
    path = synth_corpus / "annotations" / "art000012.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["source"] = "edited"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    reads.clear()
    incremental = build(synth_corpus, tmp_path / "incremental", **OPTIONS)
    edited = shard_of(plan(synth_corpus, 10), "art000012")
    assert sorted(reads) == sorted(d.doc_id for d in edited.docs)
    assert incremental.cache.misses == len(edited.docs)
    assert checked == ["art000012"]  # the shard's other documents' issues came from the validate cache
    clean = build(synth_corpus, tmp_path / "clean", cache=False, **OPTIONS)
    assert tree_bytes(incremental.out) == tree_bytes(clean.out)
    assert release_digest(incremental.out) == inputs_digest(synth_corpus)


def test_a_same_size_edit_with_its_mtime_restored_is_rebuilt(synth_corpus: Path, tmp_path: Path, later: None) -> None:
    first = build(synth_corpus, tmp_path / "first", **OPTIONS)
    same_size_edit(synth_corpus / "annotations" / "art000012.json")
    again = build(synth_corpus, tmp_path / "again", **OPTIONS)
    assert again.cache.misses == len(shard_of(plan(synth_corpus, 10), "art000012").docs)
    clean = build(synth_corpus, tmp_path / "clean", cache=False, **OPTIONS)
    assert tree_bytes(again.out) == tree_bytes(clean.out) != tree_bytes(first.out)


def test_a_touched_but_unchanged_file_does_not_rebuild_its_shard(
    synth_corpus: Path, tmp_path: Path, later: None, reads: list[str]
) -> None:
    build(synth_corpus, tmp_path / "first", **OPTIONS)
    os.utime(synth_corpus / "raw" / "art000012.txt")  # a new mtime, the same bytes
    reads.clear()
    again = build(synth_corpus, tmp_path / "again", **OPTIONS)
    edited = shard_of(plan(synth_corpus, 10), "art000012")
    assert sorted(reads) == sorted(d.doc_id for d in edited.docs)  # read to learn its hash ...
    assert (again.cache.hits, again.cache.misses) == (40, 0)  # ... but not rebuilt
    reads.clear()
    build(synth_corpus, tmp_path / "third", **OPTIONS)
    assert reads == []  # the new stat was recorded
    assert tree_bytes(tmp_path / "third") == tree_bytes(tmp_path / "first")


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_index_is_ignored(
    synth_corpus: Path, tmp_path: Path, later: None, reads: list[str], damage: str
) -> None:
    first = build(synth_corpus, tmp_path / "first", **OPTIONS)
    index = synth_corpus / ".corpus_cache" / "hashes"
    data = index.read_bytes()
    damaged = {
        "truncate": data[: len(data) // 2],
        "flip": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
        "garbage": b"\x00\xff" * 50,
    }[damage]
    index.write_bytes(damaged)
    reads.clear()
    again = build(synth_corpus, tmp_path / "again", **OPTIONS)
    assert len(reads) == 40 and again.cache.hits == 40  # every file hashed again; no shard rebuilt
    assert tree_bytes(again.out) == tree_bytes(first.out)
    assert index.read_bytes() != damaged  # rewritten whole
    reads.clear()
    build(synth_corpus, tmp_path / "third", **OPTIONS)
    assert reads == []


def test_fresh_files_are_not_trusted(tmp_path: Path) -> None:
    """The racily-clean rule: a file whose mtime or ctime is not safely older than the run that
    hashed it may still change within the same timestamp tick, so its hash is not recorded."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    key, sha = stat_key(path.stat()), hashlib.sha256(b"one").hexdigest()
    fresh = HashIndex(tmp_path, since=max(key[1], key[2]) + RACY_NS - 1)
    fresh.record("a.txt", key, sha)
    assert fresh.lookup("a.txt") is None
    fresh.save()
    assert HashIndex.load(tmp_path, since=key[1] + 10 * RACY_NS).lookup("a.txt") is None
    old = HashIndex(tmp_path, since=max(key[1], key[2]) + RACY_NS + 1)
    old.record("a.txt", key, sha)
    old.save()
    trusted = HashIndex.load(tmp_path)
    assert trusted.lookup("a.txt") == sha and trusted.hash_file("a.txt") == sha
    path.write_bytes(b"two")  # same size: the mtime, ctime (or inode) differ from the recorded ones
    assert trusted.lookup("a.txt") is None
    assert trusted.hash_file("a.txt") == hashlib.sha256(b"two").hexdigest()


def test_validate_reads_only_changed_documents_and_sees_a_same_size_edit(
    synth_corpus: Path, tmp_path: Path, later: None, reads: list[str]
) -> None:
    from corpus_pkg._cache import CacheStats
    from corpus_pkg.validate import validate

    expected = validate(synth_corpus, workers=1)
    assert len(reads) == 40
    reads.clear()
    stats = CacheStats()
    assert validate(synth_corpus, workers=1, stats=stats) == expected
    assert reads == [] and (stats.hits, stats.misses) == (40, 0)  # nothing read
    raw = synth_corpus / "raw" / "art000030.txt"
    before = raw.stat()
    raw.write_bytes(raw.read_bytes().replace(b"the", b"teh", 1))  # same size, raw_sha256 no longer matches
    os.utime(raw, ns=(before.st_atime_ns, before.st_mtime_ns))
    reads.clear()
    report = validate(synth_corpus, workers=1)
    assert reads == ["art000030"]
    assert [i.doc_id for i in report.issues if i.code == "raw-hash-mismatch"] == ["art000030"]
    assert report == validate(synth_corpus, workers=1, cache=False)
