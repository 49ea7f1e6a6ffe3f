"""Every error reported: one schema error does not hide the others; hostile bytes never abort a report."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from corpus_pkg import validate
from corpus_pkg.validate.checks import MAX_DOCUMENT_ISSUES

from .helpers import ann_path, load_ann, save_ann


def test_one_schema_error_does_not_hide_the_others(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["label"] = "PER"  # undeclared label
    data["entities"][1]["text"] = "IS1S"  # span text differs from the raw text
    data["quotes"][0]["speaker"]["mention_id"] = "e99"  # dangling speaker
    data["numbers"][0]["value"] = "14"  # schema: a number, not a string
    save_ann(mini_corpus, data)
    report = validate(mini_corpus, cache=False)
    found = sorted((i.code, i.json_path) for i in report.errors)
    assert found == [
        ("schema-violation", "numbers[0].value"),
        ("span-text-mismatch", "entities[1].text"),
        ("undeclared-label", "entities[0].label"),
        ("unresolved-reference", "quotes[0].speaker.mention_id"),
    ]
    schema = next(i for i in report.errors if i.code == "schema-violation")
    assert "'14' (string)" in schema.message  # text output shows the value and its type
    assert schema.line is not None


def test_indices_of_later_items_stay_those_of_the_file(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["start"] = "zero"  # entities[0] fails the schema and is set aside
    data["entities"][1]["text"] = "IS1S"
    save_ann(mini_corpus, data)
    report = validate(mini_corpus, cache=False)
    mismatch = next(i for i in report.errors if i.code == "span-text-mismatch")
    assert mismatch.json_path == "entities[1].text" and mismatch.message.startswith("entities[1]")
    # the quote's speaker names e1, which failed the schema: not also reported as dangling
    assert not [i for i in report.errors if i.code == "unresolved-reference"]


@pytest.mark.parametrize("literal", ["NaN", "-Infinity"])
def test_nan_and_infinity_have_line_and_column(mini_corpus: Path, literal: str) -> None:
    text = ann_path(mini_corpus).read_text(encoding="utf-8")
    ann_path(mini_corpus).write_text(text.replace('"value": 90000', f'"value": {literal}'), encoding="utf-8")
    (err,) = validate(mini_corpus, cache=False).errors
    assert err.code == "invalid-json" and literal in err.message
    line = text[: text.index('"value": 90000')].count("\n") + 1
    assert (err.line, err.column) == (line, text.splitlines()[line - 1].index('"value"') + 10)


def test_lone_surrogate_is_reported_with_its_file(mini_corpus: Path, cli) -> None:
    text = ann_path(mini_corpus).read_text(encoding="utf-8")
    ann_path(mini_corpus).write_text(text.replace('"label": "PERSON"', '"label": "P\\ud800"', 1), encoding="utf-8")
    (err,) = validate(mini_corpus, cache=False).errors
    assert err.code == "invalid-json" and "surrogate" in err.message and err.line
    for args in (["validate"], ["build", "--out", str(mini_corpus.parent / "out")], ["show", "doc1"]):
        result = cli(*args, "--root", str(mini_corpus))
        assert result.returncode == 1, (args, result.stderr)
        assert "annotations/doc1.json" in result.stdout + result.stderr, args
        assert "Traceback" not in result.stderr and "codec can't encode" not in result.stderr


def test_huge_integer_is_an_issue_with_a_location(mini_corpus: Path) -> None:
    text = ann_path(mini_corpus).read_text(encoding="utf-8")
    ann_path(mini_corpus).write_text(text.replace('"value": 90000', '"value": ' + "9" * 4301), encoding="utf-8")
    (err,) = validate(mini_corpus, cache=False).errors
    assert err.code == "invalid-json" and "too large" in err.message and err.line


def test_corpus_json_as_a_folder_or_a_fifo(mini_corpus: Path, cli) -> None:
    (mini_corpus / "corpus.json").unlink()
    (mini_corpus / "corpus.json").mkdir()
    report = validate(mini_corpus, cache=False)
    assert any(i.code == "invalid-config" and "folder" in i.message for i in report.errors)
    (mini_corpus / "corpus.json").rmdir()
    os.mkfifo(mini_corpus / "corpus.json")
    result = cli("validate", "--root", str(mini_corpus))  # must not block on the pipe (timeout 300 s)
    assert result.returncode == 1 and "corpus.json is not a regular file" in result.stdout


def test_too_many_issues_in_one_file_are_bounded(mini_corpus: Path, cli) -> None:
    data = load_ann(mini_corpus)
    bad = dict(data["entities"][1], text="wrong")
    data["entities"] = [dict(bad, id=f"x{i}") for i in range(MAX_DOCUMENT_ISSUES + 500)]
    data["quotes"], data["stance"] = [], []
    save_ann(mini_corpus, data)
    report = validate(mini_corpus, cache=False)
    assert len(report.issues) == MAX_DOCUMENT_ISSUES + 1
    assert report.issues[-1].code == "too-many-issues" and report.issues[-1].value >= 500
    result = cli("validate", "--root", str(mini_corpus), "--max-issues", "10", "--format", "json")
    payload = json.loads(result.stdout)
    assert len(payload["issues"]) == 10 and payload["omitted"] == MAX_DOCUMENT_ISSUES + 1 - 10
    assert payload["stats"]["errors"] == MAX_DOCUMENT_ISSUES + 1 and payload["schema_version"] == "1.0"
    text = cli("validate", "--root", str(mini_corpus), "--max-issues", "3", "--no-hints").stdout
    assert f"... and {MAX_DOCUMENT_ISSUES + 1 - 3} more issue(s) not shown" in text


def test_absurd_file_size_is_refused_with_a_clear_message(mini_corpus: Path, monkeypatch) -> None:
    from corpus_pkg.validate import corpus_files

    monkeypatch.setattr(corpus_files, "MAX_FILE_BYTES", 100)
    report = validate(mini_corpus, cache=False)
    err = next(i for i in report.errors if i.code == "file-too-large")
    assert "annotations/doc1.json" in err.message and "bytes" in err.message


def test_symlinked_raw_file_gets_a_link_message(mini_corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.txt"
    shutil.move(mini_corpus / "raw" / "doc1.txt", secret)
    (mini_corpus / "raw" / "doc1.txt").symlink_to(secret)
    report = validate(mini_corpus, cache=False)
    link = next(i for i in report.errors if i.file == "raw/doc1.txt" and i.code != "missing-raw-file")
    assert link.code == "linked-path" and "symbolic link" in link.message and "link" in link.hint
    assert "id characters" not in link.hint and "letters, digits" not in link.hint
