"""Hostile sizes cost work in proportion to what is reported, not to the file.

Counts steps instead of timing: the number of searches the JSON-path locator makes must not grow
with the length of a string in the file, and a document without issues is never scanned at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpus_pkg._jsonfile as jsonfile
from corpus_pkg import validate
from corpus_pkg._jsonfile import JsonLocator, count_keys, parse_json, validate_json_fast
from corpus_pkg.schema import AnnotationFile

from .helpers import ann_path, load_ann, save_ann


class _CountingPattern:
    """Stands in for one of the locator's patterns (its token scan, the whitespace skips of its direct
    lookups) and counts their uses in ``counts.calls``."""

    def __init__(self, pattern, counts: _CountingPattern | None = None) -> None:
        self.pattern = pattern
        self.counts = counts if counts is not None else self
        self.calls = 0

    def search(self, *args):
        self.counts.calls += 1
        return self.pattern.search(*args)

    def match(self, *args):
        self.counts.calls += 1
        return self.pattern.match(*args)


@pytest.fixture
def scan_steps(monkeypatch: pytest.MonkeyPatch) -> _CountingPattern:
    counter = _CountingPattern(jsonfile._SCAN)
    monkeypatch.setattr(jsonfile, "_SCAN", counter)
    monkeypatch.setattr(jsonfile, "_WHITESPACE", _CountingPattern(jsonfile._WHITESPACE, counter))
    return counter


def _with_long_note_and_warning(root: Path, note_repeats: int) -> str:
    """Give the first entity a long note full of escapes, and add a mention outside the body after it
    (a warning located after the long string). Returns the file text."""
    raw = (root / "raw" / "doc1.txt").read_text(encoding="utf-8")
    data = load_ann(root)
    data["entities"][0]["note"] = 'say "no", \\ ' * note_repeats
    start = raw.index("Subscribe")
    data["entities"].append(
        {"id": "e3", "origin": "manual", "start": start, "end": start + 9, "text": "Subscribe", "label": "ORG"}
    )
    save_ann(root, data)
    return ann_path(root).read_text(encoding="utf-8")


def _located_warning(root: Path):
    report = validate(root, cache=False)
    assert report.valid
    [warning] = report.warnings
    assert warning.code == "span-outside-body" and warning.json_path == "entities[2]"
    return warning


def test_locating_an_issue_after_a_long_string_does_not_depend_on_its_length(
    mini_corpus: Path, tmp_path: Path, scan_steps: _CountingPattern
) -> None:
    steps = []
    for repeats in (10, 200_000):  # 130 bytes, then 2.6 MB of escaped quotes and backslashes
        root = tmp_path / f"copy{repeats}"
        root.mkdir()
        for part in ("corpus.json", "entities.json", "raw", "annotations"):
            src = mini_corpus / part
            (root / part).write_bytes(src.read_bytes()) if src.is_file() else _copy_dir(src, root / part)
        text = _with_long_note_and_warning(root, repeats)
        scan_steps.calls = 0
        warning = _located_warning(root)
        steps.append(scan_steps.calls)
        # the position is right: the line of the third entity's opening brace
        entity_line = text[: text.index('"id": "e3"')].count("\n")  # the brace is on the line before
        assert warning.line == entity_line
    assert steps[0] > 0
    assert steps[0] == steps[1], f"locator steps grew with the string's length: {steps}"


def _copy_dir(src: Path, dest: Path) -> None:
    dest.mkdir()
    for path in src.iterdir():
        (dest / path.name).write_bytes(path.read_bytes())


def test_a_document_without_issues_is_never_scanned_for_positions(
    mini_corpus: Path, scan_steps: _CountingPattern
) -> None:
    report = validate(mini_corpus, cache=False)
    assert report.valid and not report.issues
    assert scan_steps.calls == 0


def test_the_locator_scans_once_for_many_questions(scan_steps: _CountingPattern) -> None:
    text = json.dumps({"a": [{"b": i, "c": "x" * 1000} for i in range(50)], "z": 1}, indent=1)
    locator = JsonLocator(text)
    at = text.index('"b": 49')
    assert locator.locate("a[49].b") == (text[:at].count("\n") + 1, at - text.rindex("\n", 0, at))
    first = scan_steps.calls
    for i in range(50):  # earlier paths: already seen, no more scanning
        assert locator.locate(f"a[{i}].b") is not None
    assert scan_steps.calls == first
    assert locator.locate("a[3].missing") == locator.locate("a[3]")  # nearest parent
    assert locator.locate("z") == (text.count("\n"), 2)


@pytest.mark.parametrize(
    "edit",
    [
        # the same key twice, same value: the models cannot tell, the key count can
        lambda t: t.replace('"label": "PERSON",', '"label": "PERSON",\n "label" :"PERSON",', 1),
        # a duplicate inside a nested object
        lambda t: t.replace('"language": "en",', '"language": "en",\n    "language":"en",', 1),
    ],
)
def test_duplicate_keys_that_validate_are_still_reported(mini_corpus: Path, edit) -> None:
    text = edit(ann_path(mini_corpus).read_text(encoding="utf-8"))
    ann_path(mini_corpus).write_text(text, encoding="utf-8")
    assert validate_json_fast(text.encode(), AnnotationFile) is None
    report = validate(mini_corpus, cache=False)
    assert [i.code for i in report.errors] == ["duplicate-key"]


def test_quote_and_colon_inside_a_string_is_no_duplicate(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["note"] = 'he wrote "label": twice'
    save_ann(mini_corpus, data)
    report = validate(mini_corpus, cache=False)
    assert report.valid and not report.issues


def test_fast_reader_agrees_with_the_strict_reader(mini_corpus: Path) -> None:
    data = ann_path(mini_corpus).read_bytes()
    fast = validate_json_fast(data, AnnotationFile)
    assert fast is not None
    strict = parse_json(data)
    assert not strict.duplicate_keys
    assert fast == AnnotationFile.model_validate(strict.value)
    assert count_keys(fast) == data.translate(None, b" \t\n\r").count(b'":')
