"""Rows of one config -> Arrow columns, fast: nested values are flattened level by level.

``pa.array`` converts a list of nested Python values one value at a time. Here every list column
is flattened into one list of its items (plus offsets) and every struct column is split into one
list per field (read from dicts, or from the attributes of models), down to flat lists of scalars,
which Arrow converts in bulk; ClassLabel names are
encoded on those flat lists with one dict lookup each. The arrays equal ``pa.array`` of the rows
after :func:`corpus_pkg.tables.features.encode_row` (tests/build/test_columns.py checks it), so the
Parquet bytes do not change.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import accumulate, chain
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np
import pyarrow as pa
from datasets import ClassLabel, Features, LargeList, List

__all__ = (
    "ColumnBuilder",
    "FlatList",
    "LabelError",
    "StructItems",
    "column_builders",
    "compile_builder",
    "concat",
    "read_fields",
)

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
        return _label_builder(feature, type_)
    if isinstance(feature, (List, LargeList, list)):
        inner_feature = feature.feature if not isinstance(feature, list) else feature[0]
        return _list_builder(_compile(inner_feature, type_.value_type), type_)
    if isinstance(feature, dict):
        fields = [type_.field(i) for i in range(type_.num_fields)]
        children = [(f.name, _compile(feature[f.name], f.type)) for f in fields]
        return _struct_builder(children, fields)

    if pa.types.is_integer(type_) or pa.types.is_floating(type_):
        return _number_builder(type_)

    def scalars(values: Sequence[Any]) -> pa.Array:
        return pa.array(values, type=type_)

    return scalars


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
        types = set(map(type, values))  # ``None in values`` would call __eq__ of models
        mask = None
        if _NONE in types:
            mask = pa.array([v is None for v in values], type=pa.bool_())
            values = [_EMPTY if v is None else v for v in values]
            types = set(map(type, values))
        if types and types != {dict}:  # models: their fields are their __dict__
            values = [v if type(v) is dict else v.__dict__ for v in values]
        arrays = [build(column) for (_, build), column in zip(children, _split(values, names))]
        return pa.StructArray.from_arrays(arrays, fields=fields, mask=mask)

    return structs


def _split(values: Sequence[dict[str, Any]], names: list[str]) -> list[Sequence[Any]]:
    """One list per name of the values of ``values`` (dicts) at that key (None where missing).
    When every dict has every key (models of one class do), ``itemgetter`` reads each key in C."""
    try:
        return [list(map(itemgetter(name), values)) for name in names]
    except KeyError:
        return [[v.get(name) for v in values] for name in names]


class StructItems:
    """Struct values (none of them null) held as one list per field, e.g. read once from models."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Sequence[Any]]) -> None:
        self.fields = fields

    def __len__(self) -> int:
        return len(next(iter(self.fields.values()), ()))

    def __getitem__(self, where: slice) -> StructItems:
        return StructItems({name: values[where] for name, values in self.fields.items()})

    def __iter__(self) -> Any:
        names = list(self.fields)
        return (dict(zip(names, values)) for values in zip(*self.fields.values()))

    @staticmethod
    def concat(parts: Sequence[StructItems]) -> StructItems:
        return StructItems({name: concat([p.fields[name] for p in parts]) for name in parts[0].fields})


class FlatList:
    """Rows of a list column held flat (none of them null): each row's number of items, and the items
    of all rows in order (a list, or a :class:`StructItems`). Slicing takes whole rows."""

    __slots__ = ("items", "lengths", "_ends")

    def __init__(self, lengths: list[int], items: Any) -> None:
        self.lengths = lengths
        self.items = items
        self._ends: list[int] | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, rows: slice) -> FlatList:
        start, stop, step = rows.indices(len(self.lengths))
        assert step == 1, "rows are taken in order"
        if self._ends is None:
            self._ends = list(accumulate(self.lengths, initial=0))
        return FlatList(self.lengths[start:stop], self.items[self._ends[start] : self._ends[max(start, stop)]])

    def __iter__(self) -> Any:
        items = iter(self.items)
        return ([next(items) for _ in range(n)] for n in self.lengths)

    @staticmethod
    def concat(parts: Sequence[FlatList]) -> FlatList:
        return FlatList(list(chain.from_iterable(p.lengths for p in parts)), concat([p.items for p in parts]))


def concat(parts: Sequence[Any]) -> Any:
    """Consecutive pieces of one column's values as one (lists, :class:`FlatList` or :class:`StructItems`)."""
    if len(parts) == 1:
        return parts[0]
    if isinstance(parts[0], (FlatList, StructItems)):
        return type(parts[0]).concat(parts)
    return list(chain.from_iterable(parts))


def read_fields(items: Sequence[Any], names: Sequence[str]) -> StructItems:
    """The fields ``names`` of ``items`` (models of one class, or dicts) as a :class:`StructItems`."""
    dicts = items if items and type(items[0]) is dict else list(map(_DICT, items))
    return StructItems(dict(zip(names, _split(dicts, list(names)))))


_DICT = attrgetter("__dict__")
_NONE = type(None)
_EMPTY: dict[str, Any] = {}
