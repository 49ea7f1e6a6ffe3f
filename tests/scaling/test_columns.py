"""build/columns.py: the bulk Arrow conversion equals pa.array of the encoded rows, column by column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from datasets import Value

from corpus_pkg.corpus import Corpus
from corpus_pkg.schema import AnnotationFile, Document
from corpus_pkg.tables.columns import LabelError, column_builders, compile_builder
from corpus_pkg.tables.features import LabelSets, encode_row, release_features
from corpus_pkg.tables.flat import BatchColumn, FlatList, concat, read_fields
from corpus_pkg.tables.rows import RowContext, document_rows
from tests.release.helpers import make_rich_corpus


def _rows(root: Path, models: bool = False) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    corpus = Corpus.at(root)
    features = release_features(LabelSets.from_config(corpus.config))
    ctx = RowContext({e.id: e.name for e in corpus.registry.entities})
    rows: dict[str, list[dict[str, Any]]] = {config: [] for config in features}
    for path in sorted((root / "annotations").glob("*.json")):
        ann = AnnotationFile.model_validate_json(path.read_bytes())
        doc = Document(text=(root / "raw" / f"{path.stem}.txt").read_text(encoding="utf-8"), annotations=ann)
        for config, config_rows in document_rows(doc, ctx, models=models).items():
            rows[config] += config_rows
    return features, rows


def _assert_same_arrays(
    features: dict[str, Any], rows: dict[str, list[dict[str, Any]]], built_from: dict | None = None
) -> None:
    """Builders over ``built_from`` (default: ``rows``) equal pa.array of ``rows`` encoded."""
    built_from = built_from or rows
    for config, feats in features.items():
        schema = feats.arrow_schema
        builders = column_builders(feats, schema)
        encoded = [encode_row(feats, row) for row in rows[config]]
        assert len(built_from[config]) == len(encoded)
        for name in schema.names:
            expected = pa.array([row.get(name) for row in encoded], type=schema.field(name).type)
            actual = builders[name]([row.get(name) for row in built_from[config]])
            assert actual.type == expected.type
            assert actual.equals(expected), (config, name)


def test_columns_equal_the_plain_conversion_on_a_synthetic_corpus(synth_corpus: Path) -> None:
    _assert_same_arrays(*_rows(synth_corpus))


def test_columns_equal_the_plain_conversion_on_the_rich_corpus(tmp_path: Path) -> None:
    features, rows = _rows(make_rich_corpus(tmp_path / "rich"))
    assert any(row["entity_id"] is None for row in rows["entities"])  # nulls are covered
    _assert_same_arrays(features, rows)


def test_nulls_empty_lists_and_encoded_labels(synth_corpus: Path) -> None:
    features, rows = _rows(synth_corpus)
    feats = features["full"]
    full = rows["full"][0]
    odd = [
        {**full, "entities": None, "meta": None},  # a null list and a null struct
        {**full, "entities": [], "quotes": [{**full["quotes"][0], "cue": None}] if full["quotes"] else []},
        {**full, "entities": [{**e, "label": 0} for e in full["entities"]]},  # labels already encoded
    ]
    _assert_same_arrays({"full": feats}, {"full": odd})


def test_an_undeclared_label_is_refused(synth_corpus: Path) -> None:
    features, rows = _rows(synth_corpus)
    feats = features["entities"]
    builders = column_builders(feats, feats.arrow_schema)
    with pytest.raises(LabelError, match="NOT_A_LABEL"):
        builders["label"]([rows["entities"][0]["label"], "NOT_A_LABEL"])


@pytest.mark.parametrize("source", ["synthetic", "rich"])
def test_rows_holding_models_give_the_same_columns(source: str, synth_corpus: Path, tmp_path: Path) -> None:
    root = synth_corpus if source == "synthetic" else make_rich_corpus(tmp_path / "rich")
    features, rows = _rows(root)
    _, model_rows = _rows(root, models=True)
    assert not isinstance(model_rows["full"][0]["entities"][0], dict)  # the models themselves
    _assert_same_arrays(features, rows, built_from=model_rows)


@pytest.mark.parametrize(
    "values",
    [
        ["a", "bé", "c", "", "dd", "e", "f"],  # no null: converted once, pieces are slices
        ["a", None, "c", "", None, "e", "f"],  # nulls: each piece converted alone
        [3, 1, 4, 1, 5, 9, 2],
    ],
)
def test_pieces_of_batch_columns_equal_pieces_converted_alone(values: list[Any]) -> None:
    """A batch column's pieces (within one batch, or across two) give the arrays of their values
    converted alone: same values, same Arrow size (the card's ``num_bytes``), same validity bitmap."""
    type_ = pa.int64() if isinstance(values[0], int) else pa.string()
    build = compile_builder(Value("int64") if type_ == pa.int64() else Value("string"), type_)
    first, second = BatchColumn(values), BatchColumn(values[::-1])
    pieces = [first[0:3], first[3:7], first[2:2], concat([first[5:7], second[0:2]]), concat([first[6:7], second[:]])]
    pieces.append(concat([first[0:3], first[3:7], second[0:4]])[2:9])  # a slice of joined pieces
    assert list(pieces[-1]) == values[2:7] + values[::-1][0:2]
    for piece in pieces:
        alone = pa.array(list(piece), type=type_)
        got = build(piece)
        assert got.equals(alone)
        assert got.nbytes == alone.nbytes
        assert (got.buffers()[0] is None) == (alone.buffers()[0] is None)
    assert (first.arrays[("value" if type_ == pa.string() else "number", type_)] is None) == (None in values)
    piecewise = BatchColumn(values, whole=False)  # values that may be null: never converted whole
    got = build(concat([piecewise[1:4], piecewise[4:]]))
    assert got.equals(pa.array(values[1:], type=type_)) and got.nbytes == pa.array(values[1:], type=type_).nbytes
    assert not piecewise.arrays


def test_flat_lists_of_struct_items_equal_the_nested_values(synth_corpus: Path) -> None:
    """A FlatList of StructItems (the build's list<struct> columns) converts to the array of the nested
    dicts, whole, sliced by rows and joined again."""
    features, rows = _rows(synth_corpus)
    feats = features["full"]
    build = column_builders(feats, feats.arrow_schema)["entities"]
    nested = [row["entities"] for row in rows["full"]]
    items = [e for doc in nested for e in doc]
    flat = FlatList([len(doc) for doc in nested], read_fields(items, list(items[0])))
    expected = build(nested)
    assert build(flat).equals(expected) and build(flat).nbytes == expected.nbytes
    joined = concat([flat[0:2], flat[2:5], flat[5:]])
    assert build(joined).equals(expected) and build(joined).nbytes == expected.nbytes
