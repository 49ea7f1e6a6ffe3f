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


def test_dry_run_warns_when_the_release_is_stale(rich_corpus: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from corpus_pkg.release.build import build

    release = build(rich_corpus, rich_corpus / "dist" / "release", cache=False).out
    assert publish(release, "my-org/x", dry_run=True, root=rich_corpus).warnings == []
    ann = next(p for p in sorted((rich_corpus / "annotations").glob("*.json")) if '"manual"' in p.read_text("utf-8"))
    ann.write_text(ann.read_text(encoding="utf-8").replace('"manual"', '"imported"', 1), encoding="utf-8")
    plan = publish(release, "my-org/x", dry_run=True, root=rich_corpus)
    assert len(plan.warnings) == 1 and "is stale" in plan.warnings[0]
    assert plan.to_text().startswith("warning: ")
    cli = [sys.executable, "-m", "corpus_pkg", "publish", "--repo-id", "my-org/x", "--dry-run"]
    result = subprocess.run([*cli, "--root", str(rich_corpus)], cwd=rich_corpus, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "is stale" in result.stderr and "corpus build --overwrite" in result.stderr
    assert result.stdout.startswith("would upload release")
