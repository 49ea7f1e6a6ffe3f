"""Rows of one config -> Arrow columns, fast: nested values are flattened level by level.

``pa.array`` converts a list of nested Python values one value at a time. Here every list column
is flattened into one list of its items (plus offsets) and every struct column is split into one
list per field (read from dicts, or from the attributes of models), down to flat lists of scalars,
which Arrow converts in bulk; ClassLabel names are encoded on those flat lists with one dict lookup
each. The build hands columns over already flat (:mod:`corpus_pkg.tables.flat`): a column without
nulls is then converted once per batch of documents and each piece written is a slice of it. The
arrays equal ``pa.array`` of the rows after :func:`corpus_pkg.tables.features.encode_row`
(tests/scaling/test_columns.py checks it, Arrow sizes included), so the Parquet bytes do not change.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np
import pyarrow as pa
from datasets import ClassLabel, Features, LargeList, List

from .flat import BatchColumn, FlatList, Pieces, StructItems, plain, split_fields

__all__ = ("ColumnBuilder", "LabelError", "column_builders", "compile_builder")

#: Converts the values of one column (one Python value per row) to an Arrow array.
ColumnBuilder = Callable[[Sequence[Any]], pa.Array]


class LabelError(ValueError):
    """A value of a ClassLabel column is not one of its names."""


def column_builders(features: Features, schema: pa.Schema) -> dict[str, ColumnBuilder]:
    """One builder per column of a config (``schema`` is ``features.arrow_schema``)."""
    return {name: _compile(features[name], schema.field(name).type) for name in schema.names}


def compile_builder(feature: Any, type_: pa.DataType) -> ColumnBuilder:
    """The builder of values of ``feature`` (a column's, or one nested inside it) of Arrow type ``type_``."""
    return _compile(feature, type_)


def _compile(feature: Any, type_: pa.DataType) -> ColumnBuilder:
    if isinstance(feature, ClassLabel):
        return _leaf(_label_builder(feature, type_), ("label", tuple(feature.names), type_))
    if isinstance(feature, (List, LargeList, list)):
        inner_feature = feature.feature if not isinstance(feature, list) else feature[0]
        return _list_builder(_compile(inner_feature, type_.value_type), type_)
    if isinstance(feature, dict):
        fields = [type_.field(i) for i in range(type_.num_fields)]
        children = [(f.name, _compile(feature[f.name], f.type)) for f in fields]
        return _struct_builder(children, fields)

    if pa.types.is_integer(type_) or pa.types.is_floating(type_):
        return _leaf(_number_builder(type_), ("number", type_))

    def scalars(values: Sequence[Any]) -> pa.Array:
        return pa.array(values, type=type_)

    return _leaf(scalars, ("value", type_))


def _leaf(build: ColumnBuilder, key: Any) -> ColumnBuilder:
    """``build`` (of a column of scalars), which also takes batch columns and pieces of them: a batch column
    without nulls is converted once (per ``key``) and its pieces are slices of that array, which have the
    Parquet values and the Arrow size (``nbytes``) of the piece converted alone. With a null, or a value
    ``build`` refuses, each piece is converted alone (a slice would keep the whole validity bitmap)."""

    def leaf(values: Sequence[Any]) -> pa.Array:
        if isinstance(values, BatchColumn):
            values = values[:]
        if not isinstance(values, Pieces):
            return build(values)
        if not all(column.whole for column, _, _ in values.parts):
            return build(list(values))
        arrays = []
        for column, start, stop in values.parts:
            whole = column.arrays.get(key, _UNSEEN)
            if whole is _UNSEEN:
                whole = column.arrays[key] = _whole(build, column.values)
            if whole is None:
                return build(list(values))
            arrays.append(whole.slice(start, stop - start))
        return arrays[0] if len(arrays) == 1 else pa.concat_arrays(arrays)

    return leaf


def _whole(build: ColumnBuilder, values: list[Any]) -> pa.Array | None:
    try:
        array = build(values)
    except LabelError:
        return None
    return array if array.null_count == 0 and array.buffers()[0] is None else None


def _number_builder(type_: pa.DataType) -> ColumnBuilder:
    """Numbers go through a typed ``array.array`` (C doubles or 64-bit integers), far faster than Arrow's
    or numpy's conversion of a list of Python numbers. Lists it refuses (nulls, floats in an integer
    column, anything else) take Arrow's own conversion, as does a value out of range."""
    code = "q" if pa.types.is_integer(type_) else "d"
    dtype = np.int64 if code == "q" else np.float64

    def numbers(values: Sequence[Any]) -> pa.Array:
        if values:
            try:
                return pa.array(np.frombuffer(array(code, values), dtype=dtype), type=type_)
            except (OverflowError, TypeError, ValueError, pa.ArrowInvalid):
                pass
        return pa.array(values, type=type_)

    return numbers


def _label_builder(feature: ClassLabel, type_: pa.DataType) -> ColumnBuilder:
    index = {name: i for i, name in enumerate(feature.names)}
    names = feature.names

    as_array = _number_builder(type_)

    def labels(values: Sequence[Any]) -> pa.Array:
        try:
            return pa.array(np.fromiter(map(index.__getitem__, values), np.int64, len(values)), type=type_)
        except (KeyError, TypeError):  # None, integers already encoded, or an unknown name
            return as_array([_one_label(v, index, names) for v in values])

    return labels


def _one_label(value: Any, index: dict[str, int], names: list[str]) -> Any:
    if value is None or isinstance(value, int):
        return value
    try:
        return index[value]
    except (KeyError, TypeError):
        raise LabelError(f"{value!r} is not one of the declared labels {names}") from None


def _list_builder(inner: ColumnBuilder, type_: pa.DataType) -> ColumnBuilder:
    offset_type = pa.int64() if pa.types.is_large_list(type_) else pa.int32()
    cls = pa.LargeListArray if offset_type == pa.int64() else pa.ListArray

    def lists(values: Sequence[Any]) -> pa.Array:
        if isinstance(values, FlatList):
            return cls.from_arrays(_offsets(values.lengths, offset_type), inner(values.items), type=type_)
        values = plain(values)
        mask = None
        if _NONE in set(map(type, values)):
            mask = pa.array([v is None for v in values], type=pa.bool_())
            values = [() if v is None else v for v in values]
        items = inner(list(chain.from_iterable(values)))
        return cls.from_arrays(_offsets(list(map(len, values)), offset_type), items, type=type_, mask=mask)

    return lists


def _offsets(lengths: list[int], offset_type: pa.DataType) -> pa.Array:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return pa.array(offsets, type=offset_type)


def _struct_builder(children: list[tuple[str, ColumnBuilder]], fields: list[pa.Field]) -> ColumnBuilder:
    """Struct values are dicts (a missing key is null) or objects such as pydantic models, read
    through their ``__dict__`` (a missing field is null), or a :class:`StructItems` (items as field lists)."""

    names = [name for name, _ in children]

    def structs(values: Sequence[Any]) -> pa.Array:
        if isinstance(values, StructItems):
            none = [None] * len(values)
            columns: list[Sequence[Any]] = [values.fields.get(name, none) for name in names]
            return pa.StructArray.from_arrays([build(c) for (_, build), c in zip(children, columns)], fields=fields)
        values = plain(values)
        types = set(map(type, values))  # ``None in values`` would call __eq__ of models
        mask = None
        if _NONE in types:
            mask = pa.array([v is None for v in values], type=pa.bool_())
            values = [_EMPTY if v is None else v for v in values]
            types = set(map(type, values))
        if types and types != {dict}:  # models: their fields are their __dict__
            values = [v if type(v) is dict else v.__dict__ for v in values]
        arrays = [build(column) for (_, build), column in zip(children, split_fields(values, names))]
        return pa.StructArray.from_arrays(arrays, fields=fields, mask=mask)

    return structs


_EMPTY: dict[str, Any] = {}
_UNSEEN = object()
_NONE = type(None)
