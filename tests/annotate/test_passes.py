"""Independent passes: ``annotator=`` / ``--annotator`` route every writer into passes/<annotator>/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg import add_entity, add_quote, edit_annotation, remove_annotations, validate
from corpus_pkg.annotate.articles import add_article
from corpus_pkg.annotate.errors import AnnotationError
from corpus_pkg.annotate.session import edit_document, open_document
from corpus_pkg.corpus import Corpus, CorpusError

from ..conftest import run_cli
from .conftest import load, make_corpus


def pass_file(root: Path, annotator: str, doc_id: str = "rudd") -> dict:
    return json.loads((root / "passes" / annotator / f"{doc_id}.json").read_text(encoding="utf-8"))


def test_first_write_copies_gold_meta_and_segments_not_labels(news: Path):
    add_entity(news, "rudd", "Amber Rudd", "PERSON", occurrence=1)  # gold has an entity the pass must not see
    gold_before = (news / "annotations" / "rudd.json").read_bytes()
    result = add_entity(news, "rudd", "ISIS", "ORG", annotator="ann-b")
    assert result.path == str(news / "passes" / "ann-b" / "rudd.json")
    data = pass_file(news, "ann-b")
    gold = load(news)
    assert data["meta"] == gold["meta"] and data["segments"] == gold["segments"]
    assert data["raw_sha256"] == gold["raw_sha256"]
    assert [(e["text"], e["label"], e["source"]) for e in data["entities"]] == [("ISIS", "ORG", "ann-b")]
    assert (news / "annotations" / "rudd.json").read_bytes() == gold_before  # gold untouched


def test_pass_without_gold_starts_from_raw_text(tmp_path: Path):
    root = make_corpus(tmp_path)
    (root / "annotations" / "rudd.json").unlink()
    add_entity(root, "rudd", "ISIS", "ORG", annotator="a")
    data = pass_file(root, "a")
    assert data["meta"]["title"] == "Rudd presses platforms"
    assert [s["kind"] for s in data["segments"]] == ["body"]


def test_edit_and_remove_work_in_the_pass(news: Path):
    add_entity(news, "rudd", "Amber Rudd", "PERSON", occurrence=1, annotator="a")
    add_quote(news, "rudd", "We will act,", cue="said", speaker_mention="e1", annotator="a")
    edit_annotation(news, "rudd", "e1", {"label": "ORG"}, annotator="a")
    assert pass_file(news, "a")["entities"][0]["label"] == "ORG"
    with pytest.raises(AnnotationError, match="passes/a/rudd.json"):
        remove_annotations(news, "rudd", ["e1"], annotator="a")  # q1 refers to it
    remove_annotations(news, "rudd", ["e1"], cascade=True, annotator="a")
    data = pass_file(news, "a")
    assert data["entities"] == [] and data["quotes"] == []
    assert load(news)["entities"] == []  # gold never touched
    # the gold id e1 does not exist
    with pytest.raises(AnnotationError, match="e1"):
        edit_annotation(news, "rudd", "e1", {"label": "ORG"})


def test_session_api_exposes_pass_location(news: Path):
    with edit_document(news, "rudd", annotator="b") as doc:
        assert doc.ann_rel == "passes/b/rudd.json" and doc.ann_bytes == b""
        doc.ann.entities.clear()
        doc.save()
    assert open_document(news, "rudd", annotator="b").ann_bytes == (news / "passes" / "b" / "rudd.json").read_bytes()
    assert Corpus.at(news).annotators() == ["b"]
    assert Corpus.at(news).pass_doc_ids("b") == ["rudd"]


@pytest.mark.parametrize("name", ["../x", "gold", ".hidden", "a/b"])
def test_unsafe_annotator_names_are_refused(news: Path, name: str):
    with pytest.raises(CorpusError, match="annotator"):
        add_entity(news, "rudd", "ISIS", "ORG", annotator=name)
    assert not (news / "passes").exists()


def test_pass_for_unknown_document_is_refused(news: Path):
    with pytest.raises(CorpusError, match="no document 'nope'"):
        add_entity(news, "nope", "ISIS", "ORG", annotator="a")


def test_validate_checks_passes_like_gold(news: Path):
    add_entity(news, "rudd", "ISIS", "ORG", annotator="a")
    assert validate(news, cache=False).valid
    path = news / "passes" / "a" / "rudd.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["end"] += 1
    data["entities"][0]["label"] = "NOPE"
    path.write_text(json.dumps(data), encoding="utf-8")
    (news / "passes" / "gold").mkdir()
    report = validate(news, cache=False)
    found = {(i.code, i.file) for i in report.issues}
    assert ("span-text-mismatch", "passes/a/rudd.json") in found
    assert ("undeclared-label", "passes/a/rudd.json") in found
    assert ("unsafe-id", "passes/gold") in found
    assert report.stats["documents"] == 1  # passes are not documents of the corpus


def test_pass_of_a_document_without_raw_text_is_an_error(news: Path):
    add_article(news, "other", b"Other text here.")
    add_entity(news, "other", "Other", "ORG", annotator="a")
    (news / "raw" / "other.txt").unlink()
    (news / "annotations" / "other.json").unlink()
    report = validate(news, cache=False)
    assert ("missing-raw-file", "passes/a/other.json") in {(i.code, i.file) for i in report.issues}


def test_cli_annotator_option_and_environment(news: Path, monkeypatch: pytest.MonkeyPatch):
    proc = run_cli("add", "entity", "rudd", "ISIS", "--label", "ORG", "--annotator", "cli-a", "--root", str(news))
    assert proc.returncode == 0, proc.stderr
    assert "passes/cli-a/rudd.json" in proc.stdout
    monkeypatch.setenv("CORPUS_ANNOTATOR", "env-b")  # run_cli passes the environment on
    proc = run_cli("add", "entity", "rudd", "ISIS", "--label", "ORG", "--root", str(news))
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("edit", "rudd", "e1", "--set", "label=NORP", "--root", str(news))
    assert proc.returncode == 0, proc.stderr
    monkeypatch.delenv("CORPUS_ANNOTATOR")
    assert [e["label"] for e in pass_file(news, "env-b")["entities"]] == ["NORP"]
    assert [e["label"] for e in pass_file(news, "cli-a")["entities"]] == ["ORG"]
    assert load(news)["entities"] == []
    proc = run_cli("remove", "rudd", "e1", "--annotator", "cli-a", "--root", str(news))
    assert proc.returncode == 0, proc.stderr
    assert pass_file(news, "cli-a")["entities"] == []
    proc = run_cli("add", "entity", "rudd", "ISIS", "--label", "ORG", "--annotator", "../up", "--root", str(news))
    assert proc.returncode == 1 and "unsafe annotator name" in proc.stderr


def test_symlinked_pass_folder_is_refused(news: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (news / "passes").mkdir()
    (news / "passes" / "evil").symlink_to(outside, target_is_directory=True)
    with pytest.raises(CorpusError, match="symbolic link"):
        add_entity(news, "rudd", "ISIS", "ORG", annotator="evil")
    assert list(outside.iterdir()) == []
    assert ("unsafe-id", "passes/evil") in {(i.code, i.file) for i in validate(news, cache=False).issues}
