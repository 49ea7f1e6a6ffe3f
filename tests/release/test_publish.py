"""publish(): dry run lists the files; damaged releases and bad repo ids are refused (no network)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus_pkg.corpus import CorpusError
from corpus_pkg.release.publish import publish
from corpus_pkg.release.verify import verify_release


def test_dry_run_lists_every_file(rich_release: Path) -> None:
    plan = publish(rich_release, "my-org/terror-news", dry_run=True)
    names = [name for name, _ in plan.files]
    assert "README.md" in names and "data/entities/train-00000-of-00001.parquet" in names
    assert names == sorted(p.relative_to(rich_release).as_posix() for p in rich_release.rglob("*") if p.is_file())
    assert plan.version == "0.1.0" and plan.url == "https://huggingface.co/datasets/my-org/terror-news"
    text = plan.to_text()
    assert text.startswith("would upload release 0.1.0") and "  croissant.json  (" in text


def test_bad_repo_id_and_damaged_release_are_refused(rich_release: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ORG/NAME"):
        publish(rich_release, "no-slash", dry_run=True)
    copy = tmp_path / "rel"
    shutil.copytree(rich_release, copy)
    (copy / "README.md").write_text("edited by hand\n", encoding="utf-8")
    (copy / "stray.txt").write_text("x", encoding="utf-8")
    result = verify_release(copy)
    assert (result.ok, result.bad, result.extra, result.missing) == (False, ["README.md"], ["stray.txt"], [])
    with pytest.raises(CorpusError, match="does not match its SHA256SUMS"):
        publish(copy, "my-org/x", dry_run=True)
    with pytest.raises(CorpusError, match="not a release folder"):
        publish(tmp_path, "my-org/x", dry_run=True)
