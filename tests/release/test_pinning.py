"""Pinning a version, as docs/loading.md describes it, for what works offline: a frozen release stays
what it was while the corpus moves on, by version and by folder; the Hub tag name is v<version>."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import datasets

from corpus_pkg.load import load
from corpus_pkg.release.verify import verify_release
from corpus_pkg.release.versions import release
from tests.conftest import REPO


def test_a_pinned_version_does_not_move_when_the_corpus_does(rich_corpus: Path, hf_cache: Path) -> None:
    release(rich_corpus)  # freezes releases/0.1.0
    ann = next(p for p in sorted((rich_corpus / "annotations").glob("*.json")) if '"PERSON"' in p.read_text("utf-8"))
    ann.write_text(ann.read_text(encoding="utf-8").replace('"PERSON"', '"ORG"', 1), encoding="utf-8")
    release(rich_corpus, bump="minor", message="relabel one mention")  # releases/0.2.0

    def labels(version: str | None) -> list[str]:
        ds = load("entities", split="train", version=version, root=rich_corpus, cache_dir=str(hf_cache))
        return ds.features["label"].int2str(ds["label"])

    assert labels("0.1.0") != labels("0.2.0")
    assert labels("0.2.0") == labels(None)  # the checkout builds what 0.2.0 froze
    frozen = rich_corpus / "releases" / "0.1.0"
    by_folder = datasets.load_dataset(str(frozen), "entities", split="train", cache_dir=str(hf_cache))
    assert by_folder.features["label"].int2str(by_folder["label"]) == labels("0.1.0")
    assert verify_release(frozen).ok
    sums = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=frozen, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout + sums.stderr


def test_docs_name_the_tag_publish_creates() -> None:
    publish_source = (REPO / "corpus_pkg" / "release" / "publish.py").read_text(encoding="utf-8")
    assert 'tag=f"v{version}"' in publish_source
    loading = (REPO / "docs" / "loading.md").read_text(encoding="utf-8")
    assert re.search(r'revision="v\d+\.\d+\.\d+"', loading)
