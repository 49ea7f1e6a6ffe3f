"""Hostile annotation files: each must produce a clean issue, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg import validate

from .helpers import ann_path, load_ann, save_ann


def _write(root: Path, data: bytes) -> None:
    ann_path(root).write_bytes(data)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\xff\xfe{\x00}\x00", "not valid UTF-8"),
        (b"\xef\xbb\xbf{}", "byte-order mark"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"schema_version": "1.0", "doc_id": "do', "invalid JSON"),
        (b'{"a": NaN}', "NaN"),
        (b'{"a": -Infinity}', "Infinity"),
        (b"[" * 100_000 + b"]" * 100_000, "nesting"),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, "nesting"),
    ],
    ids=["utf16", "bom", "empty", "blank", "truncated", "nan", "infinity", "deep-array", "deep-object"],
)
def test_unreadable_json_gives_invalid_json(mini_corpus: Path, content: bytes, fragment: str) -> None:
    _write(mini_corpus, content)
    report = validate(mini_corpus)
    assert not report.valid
    (err,) = [i for i in report.issues if i.file == "annotations/doc1.json"]
    assert err.code == "invalid-json"
    assert fragment in err.message


def test_crlf_annotation_file_is_fine(mini_corpus: Path) -> None:
    path = ann_path(mini_corpus)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert validate(mini_corpus).valid


def test_crlf_raw_file_is_diagnosed_as_line_endings(mini_corpus: Path) -> None:
    raw = mini_corpus / "raw" / "doc1.txt"
    raw.write_bytes(raw.read_bytes().replace(b"\n", b"\r\n"))
    report = validate(mini_corpus)
    # one issue that names the cause, not one span error per annotation after the first line break
    (err,) = report.errors
    assert err.code == "raw-hash-mismatch" and "line endings" in err.message and "CRLF" in err.message


def test_bom_in_raw_file_is_diagnosed_as_bom(mini_corpus: Path) -> None:
    raw = mini_corpus / "raw" / "doc1.txt"
    raw.write_bytes(b"\xef\xbb\xbf" + raw.read_bytes())
    (err,) = validate(mini_corpus).errors
    assert err.code == "raw-hash-mismatch" and "BOM" in err.message


def test_crlf_and_other_edits_still_get_span_errors(mini_corpus: Path) -> None:
    raw = mini_corpus / "raw" / "doc1.txt"
    raw.write_bytes(raw.read_bytes().replace(b"\n", b"\r\n").replace(b"Amber", b"Ambre"))
    report = validate(mini_corpus)
    # the pin and the spans after the first line break disagree: reported as such, not crashed
    assert {i.code for i in report.errors} == {"raw-hash-mismatch", "span-text-mismatch"}


def test_raw_file_not_utf8(mini_corpus: Path) -> None:
    (mini_corpus / "raw" / "doc1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    report = validate(mini_corpus)
    (err,) = report.errors
    assert err.code == "raw-not-utf8" and err.file == "raw/doc1.txt" and "0xe9" in err.message


@pytest.mark.parametrize("offset", [10**9, 10**30, -1])
def test_huge_and_negative_offsets(mini_corpus: Path, offset: int) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["end"] = offset
    save_ann(mini_corpus, data)
    report = validate(mini_corpus)
    (err,) = report.errors
    if offset == 10**9:
        assert err.code == "offset-out-of-bounds" and err.value == 10**9
    else:
        assert err.code == "schema-violation" and err.json_path == "entities[0].end"


def test_nan_value_written_by_a_lenient_tool(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["numbers"][0]["value"] = float("nan")
    ann_path(mini_corpus).write_text(json.dumps(data), encoding="utf-8")  # json.dumps writes NaN
    (err,) = validate(mini_corpus).errors
    assert err.code == "invalid-json" and "NaN" in err.message


def test_top_level_array_and_wrong_types(mini_corpus: Path) -> None:
    _write(mini_corpus, b"[1, 2, 3]")
    (err,) = validate(mini_corpus).errors
    assert err.code == "schema-violation" and err.json_path == ""


def test_huge_string_value_is_truncated_in_report(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["label"] = "X" * 100_000
    save_ann(mini_corpus, data)
    (err,) = validate(mini_corpus).errors
    assert err.code == "undeclared-label"
    assert len(err.model_dump_json()) < 2_000
    assert "characters]" in err.value


def test_missing_corpus_root_raises_clean_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        validate(tmp_path / "nope")


def test_moderately_deep_value_is_a_schema_error(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    deep: object = 1
    for _ in range(300):
        deep = {"x": deep}
    data["entities"][0]["note"] = deep
    save_ann(mini_corpus, data)
    (err,) = validate(mini_corpus).errors
    assert err.code == "schema-violation" and err.json_path == "entities[0].note"
    assert len(err.model_dump_json()) < 2_000
