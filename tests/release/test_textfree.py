"""`corpus build --no-text` ships no article text; `corpus rehydrate` restores the full release byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from corpus_pkg.corpus import CorpusError
from corpus_pkg.load import iter_release_documents
from corpus_pkg.release.build import build
from tests.conftest import REPO

CLI = [sys.executable, "-m", "corpus_pkg"]

#: Columns of a text-free release that may hold strings also found in an article: bibliographic
#: metadata and registry names, never article text beyond a title.
METADATA_PATHS = {
    *("title", "meta.title", "authors", "meta.authors"),  # bibliographic metadata
    *("name", "aliases", "entity_name", "description"),  # the registry
    *("unit", "numbers.unit", "note"),  # annotation values that may repeat a word of the article
}


def _parquet_digests(release: Path) -> dict[str, str]:
    return {
        p.relative_to(release).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((release / "data").rglob("*.parquet"))
    }


def _strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, path)]
    return []


@pytest.fixture(scope="module")
def repo_releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("textfree")
    full = build(REPO, base / "full", cache=False).out
    free = build(REPO, base / "free", cache=False, text=False).out
    return full, free


def test_rehydrate_cli_gives_the_full_builds_parquet_files(repo_releases, tmp_path: Path) -> None:
    full, free = repo_releases
    out = tmp_path / "rehydrated"
    result = subprocess.run(
        [*CLI, "rehydrate", str(free), "--raw", str(REPO / "raw"), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    digests = _parquet_digests(out)
    assert len(digests) == 8  # every config, registry included
    assert digests == _parquet_digests(full)
    assert _parquet_digests(free) != digests  # the text-free files really differ


def test_text_free_release_holds_no_article_text(repo_releases) -> None:
    full, free = repo_releases
    assert json.loads((free / "metadata" / "release.json").read_text())["text"] is False
    assert json.loads((full / "metadata" / "release.json").read_text())["text"] is True
    articles = [p.read_text(encoding="utf-8") for p in sorted((REPO / "raw").glob("*.txt"))]
    leaks = []
    for path in sorted((free / "data").rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            for column, value in _strings(row):
                if len(value) >= 12 and column not in METADATA_PATHS and any(value in a for a in articles):
                    leaks.append((path.parent.name, column, value[:40]))
    assert leaks == []
    docs = pq.read_table(next((free / "data" / "documents").glob("*.parquet"))).to_pylist()
    assert all(d["text"] is None and d["body"] is None and len(d["raw_sha256"]) == 64 for d in docs)
    entities = pq.read_table(next((free / "data" / "entities").glob("*.parquet"))).to_pylist()
    assert entities and all(e["text"] is None and e["end"] > e["start"] for e in entities)
    with pytest.raises(CorpusError, match="text-free release"):
        list(iter_release_documents(free))


def test_rehydrate_names_missing_and_changed_articles(repo_releases, tmp_path: Path) -> None:
    _, free = repo_releases
    raw = tmp_path / "my_articles"
    shutil.copytree(REPO / "raw", raw)
    missing, changed = sorted(raw.glob("*.txt"))[:2]
    missing.unlink()
    changed.write_text(changed.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [*CLI, "rehydrate", str(free), "--raw", str(raw), "--out", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert f"{missing.stem}: {missing}: missing" in result.stderr
    assert f"{changed.stem}: {changed}: sha256 differs" in result.stderr
    assert not out.exists()


def test_rehydrate_keeps_splits_and_drops_suggestions_like_the_build(rich_source: Path, tmp_path: Path) -> None:
    from corpus_pkg.release.rehydrate import rehydrate

    full = build(rich_source, tmp_path / "full", cache=False).out
    free = build(rich_source, tmp_path / "free", cache=False, text=False).out
    out = rehydrate(free, rich_source / "raw", tmp_path / "out").out
    assert _parquet_digests(out) == _parquet_digests(full)
    assert any(name.startswith("data/documents/test-") for name in _parquet_digests(out))
    with pytest.raises(CorpusError, match="not a text-free release"):
        rehydrate(full, rich_source / "raw", tmp_path / "again")
