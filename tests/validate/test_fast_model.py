"""The build's validator without pydantic's per-span Python check: same models as AnnotationFile's own,
and a span that does not end after it starts, wherever it is, is still reported as before."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from corpus_pkg.schema import AnnotationFile
from corpus_pkg.schema.common import Span
from corpus_pkg.validate import validate
from corpus_pkg.validate.fast_model import FAST_VALIDATOR, spans_in_order
from corpus_pkg.validate.spans import SpanList, iter_spans

from .helpers import ann_path, load_ann, save_ann

SEEDS = sorted((Path(__file__).resolve().parents[2] / "annotations").glob("*.json"))


def _models_in(value: Any) -> list[BaseModel]:
    found: list[BaseModel] = []
    if isinstance(value, BaseModel):
        found.append(value)
        value = list(value.__dict__.values())
    if isinstance(value, list):
        for item in value:
            found += _models_in(item)
    return found


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_fast_validator_builds_the_same_models_and_skips_the_python_check(path: Path) -> None:
    data = path.read_bytes()
    calls = 0

    def count(frame: Any, event: str, _arg: Any) -> None:
        nonlocal calls
        calls += event == "call" and frame.f_code.co_name == "_end_after_start"

    sys.setprofile(count)
    try:
        fast = FAST_VALIDATOR.validate_json(data)
    finally:
        sys.setprofile(None)
    full = AnnotationFile.model_validate_json(data)
    assert calls == 0
    assert fast == full
    pairs = list(zip(_models_in(fast), _models_in(full), strict=True))
    assert all(type(a) is type(b) and a.__pydantic_fields_set__ == b.__pydantic_fields_set__ for a, b in pairs)
    assert all(cls.__pydantic_complete__ for cls in {type(m) for m in _models_in(full)})  # left as they were


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_the_span_list_holds_every_span_the_check_covers(path: Path) -> None:
    ann = AnnotationFile.model_validate_json(path.read_bytes())
    spans = {id(m) for m in _models_in(ann) if isinstance(m, Span)}
    assert {id(s) for s in SpanList(ann).spans} == spans
    assert spans_in_order(SpanList(ann))


def _span_places(doc: dict[str, Any]) -> list[str]:
    ann = AnnotationFile.model_validate(doc)
    return [where for where, _, _ in iter_spans(ann)]


def _at(doc: dict[str, Any], where: str) -> dict[str, Any]:
    node: Any = doc
    for part in where.replace("]", "").replace("[", ".").split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    return node


@pytest.mark.parametrize("end_offset", [0, -1])
def test_a_span_not_ending_after_its_start_is_reported_wherever_it_is(mini_corpus: Path, end_offset: int) -> None:
    doc = load_ann(mini_corpus)
    title = {k: doc["segments"][0][k] for k in ("start", "end", "text")}
    doc["quotes"].append({**doc["quotes"][0], "id": "q9", "speaker": {"type": "nominal", **title}})
    doc["stance"].append(
        {**doc["stance"][0], "id": "s9", "holder": {"type": "nominal", **title}, "evidence": {"type": "span", **title}}
    )
    save_ann(mini_corpus, doc)
    assert validate(mini_corpus, cache=False).valid  # every kind of span, all fine
    for where in _span_places(doc):
        broken = json.loads(json.dumps(doc))
        span = _at(broken, where)
        span["start"] = max(span["start"], -end_offset)  # the end stays a valid offset (>= 0)
        span["end"] = span["start"] + end_offset
        save_ann(mini_corpus, broken)
        data = ann_path(mini_corpus).read_bytes()
        assert FAST_VALIDATOR.validate_json(data) is not None  # the fast validator lets it through ...
        errors = [i for i in validate(mini_corpus, cache=False).issues if i.severity == "error"]
        assert [i.code for i in errors] == ["schema-violation"], where  # ... the check reports it
        assert errors[0].json_path == where
        assert f"must be greater than start ({span['start']})" in errors[0].message
