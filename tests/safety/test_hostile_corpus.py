"""Hostile or careless corpora found in review: each must fail cleanly and touch nothing outside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg import validate
from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.release.build import InvalidCorpusError, build


def _set_splits(root: Path, splits: dict) -> None:
    path = root / "corpus.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["splits"] = splits
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")


def test_split_name_with_path_separators_is_invalid_and_builds_nothing(mini_corpus: Path, tmp_path: Path) -> None:
    escape = "/../../../../../../../../" + str(tmp_path / "pwn").lstrip("/")
    _set_splits(mini_corpus, {escape: ["doc1"]})
    report = validate(mini_corpus)
    (issue,) = report.errors
    assert issue.code == "invalid-config" and issue.file == "corpus.json" and issue.json_path.startswith("splits")
    with pytest.raises(InvalidCorpusError):
        build(mini_corpus, tmp_path / "release")
    assert not list(tmp_path.glob("pwn*")) and not (tmp_path / "release").exists()


@pytest.mark.parametrize("inside", ["annotations", "raw", "annotations/sub"])
def test_out_inside_the_corpus_sources_is_refused(mini_corpus: Path, inside: str) -> None:
    before = sorted(p.name for p in (mini_corpus / "annotations").iterdir())
    with pytest.raises(CorpusError, match="inside the corpus"):
        build(mini_corpus, mini_corpus / inside, overwrite=True, cache=False)
    assert sorted(p.name for p in (mini_corpus / "annotations").iterdir()) == before
    assert validate(mini_corpus).valid


def test_overwrite_replaces_only_a_previous_release(mini_corpus: Path, tmp_path: Path) -> None:
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not a release"):
        build(mini_corpus, precious, overwrite=True, cache=False)
    assert (precious / "chapter1.tex").read_text(encoding="utf-8") == "years of work"
    release = tmp_path / "release"
    build(mini_corpus, release, cache=False)
    assert build(mini_corpus, release, overwrite=True, cache=False).out == release.resolve()


def test_symlinked_raw_file_is_never_read(mini_corpus: Path, tmp_path: Path, cli) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET " * 10, encoding="utf-8")
    raw = mini_corpus / "raw" / "doc1.txt"
    raw.unlink()
    raw.symlink_to(secret)
    report = validate(mini_corpus)
    assert "linked-path" in {i.code for i in report.errors}
    assert "TOP SECRET" not in report.model_dump_json()
    with pytest.raises(CorpusError, match="symbolic link"):
        Corpus.at(mini_corpus).read_raw("doc1")
    shown = cli("show", "doc1", "--root", str(mini_corpus))
    assert shown.returncode == 1 and "TOP SECRET" not in shown.stdout + shown.stderr
    exported = cli("export", "brat", "--out", str(tmp_path / "out"), "--root", str(mini_corpus))
    assert exported.returncode != 0
    assert not any("TOP SECRET" in p.read_text(errors="ignore") for p in (tmp_path / "out").rglob("*") if p.is_file())


def test_validate_missing_root_is_exit_code_2(cli, tmp_path: Path) -> None:
    result = cli("validate", "--root", str(tmp_path / "absent"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: corpus root")
