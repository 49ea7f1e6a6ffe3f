"""The build's fast reader (pydantic straight from the bytes) takes a file only when the strict reader
would give the same value: a repeated key is always caught, whatever the whitespace, and an annotation
file with NaN or Infinity anywhere always fails validation (so the bytes need not be searched)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_pkg._jsonfile import parse_json, validate_json_fast
from corpus_pkg._jsonkeys import count_keys, key_marks
from corpus_pkg.schema import AnnotationFile

SEEDS = sorted((Path(__file__).resolve().parents[2] / "annotations").glob("*.json"))
MINI = Path(__file__).resolve().parents[1] / "data" / "mini" / "annotations" / "doc1.json"
DOCS = [*SEEDS, MINI]
PROPERTY = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
WHITESPACE = " \t\n\r"


def _pairs(value: Any) -> Any:
    """``value`` with each object as a list of (key, value) pairs, so that a key can be repeated."""
    if isinstance(value, dict):
        return [(k, _pairs(v)) for k, v in value.items()]
    if isinstance(value, list):
        return ["list", [_pairs(v) for v in value]]
    return ("scalar", value)


def _objects(node: Any) -> list[list[tuple[str, Any]]]:
    """Every object (pair list) of a :func:`_pairs` tree."""
    if isinstance(node, list) and node and node[0] == "list":
        return [o for item in node[1] for o in _objects(item)]
    if isinstance(node, list):
        return [node, *(o for _, v in node for o in _objects(v))]
    return []


def _dump(node: Any, ws: Any) -> str:
    """JSON text of a :func:`_pairs` tree with ``ws()`` (any JSON whitespace) between all tokens."""
    if isinstance(node, tuple):
        return json.dumps(node[1], ensure_ascii=False)
    if node and node[0] == "list":
        items = [ws() + _dump(v, ws) + ws() for v in node[1]]
        return "[" + (",".join(items) if items else ws()) + "]"
    members = [ws() + json.dumps(k, ensure_ascii=False) + ws() + ":" + ws() + _dump(v, ws) + ws() for k, v in node]
    return "{" + (",".join(members) if members else ws()) + "}"


def _text(rng: random.Random, doc: Path, duplicate: bool) -> str:
    """``doc`` written with random whitespace between its tokens (random: hypothesis draws the seed)."""
    tree = _pairs(json.loads(doc.read_text(encoding="utf-8")))
    if duplicate:  # one key of one object again, with its own value or another object's
        obj = rng.choice([o for o in _objects(tree) if o])
        key, value = rng.choice(obj)
        obj.insert(rng.randrange(len(obj) + 1), (key, rng.choice([value, ("scalar", "x"), ("scalar", 1)])))

    def ws() -> str:
        return "".join(rng.choice(WHITESPACE) for _ in range(rng.choice([0, 0, 0, 1, 2, 4])))

    return ws() + _dump(tree, ws) + ws()


@PROPERTY
@given(st.integers(0, 2**32), st.sampled_from(DOCS))
def test_a_repeated_key_is_caught_whatever_the_whitespace(seed: int, doc: Path) -> None:
    text = _text(random.Random(seed), doc, duplicate=True)
    assert parse_json(text.encode()).duplicate_keys  # the strict reader reports it ...
    assert validate_json_fast(text.encode(), AnnotationFile, rejects_nonfinite=True) is None  # ... so it must read


@PROPERTY
@given(st.integers(0, 2**32), st.sampled_from(DOCS))
def test_without_repeated_keys_the_fast_reader_gives_the_strict_value(seed: int, doc: Path) -> None:
    data = _text(random.Random(seed), doc, duplicate=False).encode()
    fast = validate_json_fast(data, AnnotationFile, rejects_nonfinite=True)
    assert fast is not None  # the seeds hold no quote mark and colon inside a string
    assert fast == AnnotationFile.model_validate(parse_json(data).value)
    assert count_keys(fast) == key_marks(data)


_BYTES = st.binary(max_size=60) | st.lists(st.sampled_from([b'"', b":", b" ", b"\t", b"\n", b"\r", b"\\", b"a"])).map(
    b"".join
)


@PROPERTY
@given(_BYTES)
def test_key_marks_count_quote_colon_pairs_across_whitespace(data: bytes) -> None:
    assert key_marks(data) == data.translate(None, WHITESPACE.encode()).count(b'":')


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem)
def test_count_keys_counts_every_key_of_the_file(doc: Path) -> None:
    keys = 0

    def count(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal keys
        keys += len(pairs)
        return dict(pairs)

    data = doc.read_bytes()
    json.loads(data, object_pairs_hook=count)
    assert count_keys(AnnotationFile.model_validate_json(data)) == keys


def _places(value: Any, path: str = "") -> list[tuple[str, list[Any]]]:
    """(path with list indices left out, [keys and indices from the top]) of every value inside ``value``."""
    found: list[tuple[str, list[Any]]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        where = f"{path}.{key}" if isinstance(key, str) else f"{path}[]"
        found.append((where, [key]))
        found += [(inner_where, [key, *steps]) for inner_where, steps in _places(inner, where)]
    return found


def _kinds_of_place() -> list[tuple[Path, list[Any]]]:
    """One place of each kind (same path but for list indices) found in the documents."""
    seen: dict[str, tuple[Path, list[Any]]] = {}
    for doc in DOCS:
        for where, steps in _places(json.loads(doc.read_text(encoding="utf-8"))):
            seen.setdefault(where, (doc, steps))
    return list(seen.values())


PLACES = _kinds_of_place()


def test_the_documents_hold_every_field() -> None:
    """The places below cover every field of the schema (else the test proves less than it says)."""
    places = (p for doc in DOCS for p in _places(json.loads(doc.read_text(encoding="utf-8"))))
    fields = {where.rsplit(".", 1)[-1] for where, _ in places}
    for model in (AnnotationFile, *_models(AnnotationFile)):
        assert set(model.model_fields) <= fields, model


def _models(cls: type) -> set[type]:
    from pydantic import BaseModel

    from corpus_pkg._jsonkeys import _options

    found: set[type] = set()
    todo = [cls]
    while todo:
        for info in todo.pop().model_fields.values():
            stack = [info.annotation]
            while stack:
                ann = stack.pop()
                for option in _options(ann):
                    if isinstance(option, type) and issubclass(option, BaseModel) and option not in found:
                        found.add(option)
                        todo.append(option)
                    stack += [a for a in getattr(option, "__args__", ()) if a is not type(None)]
    return found


@pytest.mark.parametrize("doc,steps", PLACES, ids=lambda x: x.stem if isinstance(x, Path) else ".".join(map(str, x)))
@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_nonfinite_numbers_fail_validation_wherever_they_stand(doc: Path, steps: list[Any], word: str) -> None:
    """What lets ``check_document_model`` pass ``rejects_nonfinite=True``: every value, a new key in
    every object and a new item in every list of an annotation file fails the schema when it is NaN
    or Infinity."""
    marker = "@@nonfinite@@"
    for how in ("replace", "new key or item"):
        value = json.loads(doc.read_text(encoding="utf-8"))
        AnnotationFile.model_validate(value)  # the file itself is valid
        container = value
        for step in steps[:-1]:
            container = container[step]
        if how == "replace":
            container[steps[-1]] = marker
        elif isinstance(container, dict):
            container["zz_extra"] = marker
        else:
            container.append(marker)
        text = json.dumps(value, ensure_ascii=False).replace(f'"{marker}"', word)
        with pytest.raises(ValueError):
            AnnotationFile.model_validate_json(text)


def test_read_whole_reads_to_the_end_of_a_file_that_grew(tmp_path: Path) -> None:
    from corpus_pkg.validate.corpus_files import read_whole

    path = tmp_path / "f.json"
    path.write_bytes(b"x" * 70_000)
    size = path.stat().st_size
    with path.open("ab") as handle:
        handle.write(b"y" * 100_000)
    assert read_whole(str(path), size) == path.read_bytes()
    assert read_whole(str(path), 10**6) == path.read_bytes()  # it shrank, as far as the stat knew
    (tmp_path / "empty").write_bytes(b"")
    assert read_whole(str(tmp_path / "empty"), 0) == b""



@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem)
def test_direct_lookup_finds_what_the_scan_finds(doc: Path) -> None:
    """A locator of a file with unique keys goes along the path; it must answer as the full scan does,
    for every path in the file, for paths that are not there (their nearest parent) and after its
    direct lookups run out."""
    from corpus_pkg._jsonfile import DIRECT_LOOKUPS, JsonLocator, direct_offset, walk_json

    text = doc.read_text(encoding="utf-8")
    first: dict[str, int] = {}
    for path, offset, _ in walk_json(text):
        first.setdefault(path, offset)
    assert all(direct_offset(text, path) == offset for path, offset in first.items())
    asked = [*first, "entities[9999]", "quotes[0].nope", "meta.title.x", "nope", "segments[0][1]"]
    direct = JsonLocator(doc.read_bytes(), unique_keys=True)
    scan = JsonLocator(doc.read_bytes())
    assert [direct.locate(p) for p in asked] == [scan.locate(p) for p in asked]
    backwards = JsonLocator(doc.read_bytes(), unique_keys=True)
    assert [backwards.locate(p) for p in reversed(asked)] == [scan.locate(p) for p in reversed(asked)]
    assert len(asked) > DIRECT_LOOKUPS
