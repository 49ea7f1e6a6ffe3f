"""release(): immutable versioned releases, version bumps, CHANGELOG; diff() between versions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpus_pkg.corpus import Corpus
from corpus_pkg.release.build import InvalidCorpusError
from corpus_pkg.release.diff import diff
from corpus_pkg.release.versions import bump_version, release, releases


def edit_doc(root: Path, doc_id: str, change) -> None:
    path = root / "annotations" / f"{doc_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def test_bump_version() -> None:
    assert [bump_version("1.2.3", p) for p in ("patch", "minor", "major")] == ["1.2.4", "1.3.0", "2.0.0"]
    with pytest.raises(ValueError, match="unknown bump"):
        bump_version("1.2.3", "huge")  # type: ignore[arg-type]


def test_release_freezes_and_refuses_to_overwrite(rich_corpus: Path) -> None:
    result = release(rich_corpus, message="First release")
    frozen = rich_corpus / "releases" / "0.1.0"
    assert result.out == frozen and (frozen / "data" / "full" / "train-00000-of-00001.parquet").is_file()
    assert not os.access(frozen / "README.md", os.W_OK) or os.geteuid() == 0
    assert oct((frozen / "README.md").stat().st_mode & 0o777) == oct(0o444)
    changelog = (rich_corpus / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n\n## 0.1.0 (") and "First release" in changelog
    with pytest.raises(FileExistsError, match="releases are immutable"):
        release(rich_corpus)
    assert releases(rich_corpus) == ["0.1.0"]


def test_bumped_release_updates_corpus_json_changelog_and_diff(rich_corpus: Path) -> None:
    release(rich_corpus, message="First")
    edit_doc(rich_corpus, "doc2", lambda d: d["entities"][0].update(label="GPE"))
    edit_doc(rich_corpus, "doc2", lambda d: d["entities"].pop(2))
    edit_doc(rich_corpus, "doc1", lambda d: d["numbers"][0].update(id="n9"))
    before = (rich_corpus / "corpus.json").read_text(encoding="utf-8")
    release(rich_corpus, bump="minor", message="Relabel Facebook")
    after = (rich_corpus / "corpus.json").read_text(encoding="utf-8")
    assert after == before.replace('"version": "0.1.0"', '"version": "0.2.0"')  # layout kept
    assert Corpus.at(rich_corpus).config.version == "0.2.0"
    assert releases(rich_corpus) == ["0.1.0", "0.2.0"]
    changelog = (rich_corpus / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 0.2.0") < changelog.index("## 0.1.0")
    assert "Changes since 0.1.0:" in changelog and "- entities: +0 -1 ~1" in changelog

    report = diff(rich_corpus / "releases" / "0.1.0", rich_corpus / "releases" / "0.2.0")
    assert (report.old_version, report.new_version) == ("0.1.0", "0.2.0")
    assert report.layers["entities"].changed == ["doc2/m1"]
    assert report.layers["entities"].removed == ["doc2/m3"]
    assert (report.layers["numbers"].added, report.layers["numbers"].removed) == (["doc1/n9"], ["doc1/n1"])
    assert report.documents.empty and report.layers["quotes"].empty
    text = report.to_text()
    assert "entities: +0 -1 ~1\n  - doc2/m3\n  ~ doc2/m1\n" in text


def test_diff_between_corpus_root_and_release(rich_corpus: Path, tmp_path: Path) -> None:
    release(rich_corpus)
    (rich_corpus / "raw" / "doc3.txt").unlink()
    (rich_corpus / "annotations" / "doc3.json").unlink()
    report = diff(rich_corpus / "releases" / "0.1.0", rich_corpus)
    assert report.documents.removed == ["doc3"] and not report.documents.added
    assert diff(rich_corpus, rich_corpus).empty
    assert "no differences" in diff(rich_corpus, rich_corpus).to_text()
    with pytest.raises(Exception, match="neither a corpus root"):
        diff(tmp_path, rich_corpus)


def test_invalid_corpus_releases_nothing(rich_corpus: Path) -> None:
    edit_doc(rich_corpus, "doc1", lambda d: d["entities"][0].update(start=0))
    with pytest.raises(InvalidCorpusError):
        release(rich_corpus, bump="major")
    assert not (rich_corpus / "releases").exists() or releases(rich_corpus) == []
    assert Corpus.at(rich_corpus).config.version == "0.1.0"
    assert not (rich_corpus / "CHANGELOG.md").exists()
