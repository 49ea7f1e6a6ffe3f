"""Property-based: the validator never raises and always reports, whatever bytes or JSON it is given.

Bounded and derandomized (same examples on every run), so CI is stable and fast.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_pkg.validate import Report, make_report
from corpus_pkg.validate.checks import DocumentFiles, check_document, load_config_issues
from tests.conftest import MINI

CTX = load_config_issues(MINI)[0]
RAW = (MINI / "raw" / "doc1.txt").read_bytes()
VALID = json.loads((MINI / "annotations" / "doc1.json").read_text(encoding="utf-8"))
PROPERTY = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
hostile_scalars = (
    json_scalars
    | st.sampled_from(["\ud800", "PER", "", " ", "e1", "q1", "x" * 300, "Amber Rudd", "\u200b"])
    | st.integers(min_value=-(2**70), max_value=2**70)
)


def _check(annotation: bytes, raw: bytes | None = RAW) -> list:
    files = DocumentFiles("doc1", "annotations/doc1.json", "raw/doc1.txt", annotation, raw)
    issues = check_document(files, CTX)
    report = make_report(issues, 1)
    # every rendering works and is printable as UTF-8
    report.to_text().encode("utf-8")
    report.to_github().encode("utf-8")
    Report.model_validate_json(report.model_dump_json())
    for issue in issues:
        assert issue.file and issue.message and issue.hint
    return issues


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode("utf-8")  # ASCII escapes keep lone surrogates writable


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*prefix, i))
    return out


@PROPERTY
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_reported_never_raised(data: bytes) -> None:
    issues = _check(data)
    assert issues, "arbitrary bytes are never a valid annotation file"


@PROPERTY
@given(json_values, st.none() | st.binary(max_size=100))
def test_arbitrary_json_is_reported_never_raised(value: Any, raw: bytes | None) -> None:
    assert _check(_encode(value), raw)


@PROPERTY
@given(st.data())
def test_mutated_valid_files_are_reported_never_raised(data: st.DataObject) -> None:
    doc = copy.deepcopy(VALID)
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(_paths(doc)[1:]))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(hostile_scalars | json_values)
        if not _paths(doc)[1:]:
            break
    _check(_encode(doc))


@PROPERTY
@given(st.binary(max_size=200))
def test_arbitrary_raw_bytes_are_reported_never_raised(raw: bytes) -> None:
    issues = _check(_encode(VALID), raw)
    assert issues, "other raw bytes never match the pin"


def test_span_outside_body_uses_each_segment_on_its_own() -> None:
    """The sorted-segment lookup (no span x segment loop) keeps the rule exact: a span must lie inside
    one title/body segment; lying across two touching ones is not enough."""
    doc = copy.deepcopy(VALID)
    body = doc["segments"][1]  # [11, 68)
    doc["segments"][1:2] = [
        dict(body, end=40, text=RAW.decode()[11:40]),
        dict(body, start=40, text=RAW.decode()[40:68]),
    ]
    doc["segments"].append(dict(body, start=0, end=5, text=RAW.decode()[0:5], kind="body"))  # a long-ago start
    issues = [i for i in _check(_encode(doc)) if i.code == "span-outside-body"]
    # "Amber Rudd" [31, 41) crosses 40 and so is in neither part; everything else is inside one
    assert [i.json_path for i in issues] == ["entities[0]"], [i.message for i in issues]
