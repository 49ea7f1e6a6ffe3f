"""Column values of a batch of documents, held flat for :mod:`corpus_pkg.tables.columns`.

The build reads each field of a layer's items once per batch (:func:`read_fields`) into a
:class:`BatchColumn`; list columns are a :class:`FlatList` (each row's number of items, then the items),
struct values a :class:`StructItems` (one column per field). A writer takes rows in pieces: slicing
any of these takes whole rows, :func:`concat` joins consecutive pieces. A slice of a ``BatchColumn`` is
a :class:`Pieces` (row ranges of batch columns), so a column can be converted to Arrow once per batch
and its pieces be slices of that array (see ``columns._leaf``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from itertools import accumulate, chain
from operator import attrgetter, itemgetter
from typing import Any

import pyarrow as pa

__all__ = ("BatchColumn", "FlatList", "Pieces", "StructItems", "concat", "plain", "read_fields", "split_fields")


class BatchColumn:
    """One column's (or struct field's) values for a batch of documents, and the Arrow arrays made of
    them (builder key -> array, or None when each piece is converted alone). ``whole=False`` (values
    that may be null) skips converting the whole batch: only pieces are converted."""

    __slots__ = ("arrays", "values", "whole")

    def __init__(self, values: list[Any], whole: bool = True) -> None:
        self.values = values
        self.whole = whole
        self.arrays: dict[Any, pa.Array | None] = {}

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.values)

    def __getitem__(self, rows: slice) -> Pieces:
        start, stop, step = rows.indices(len(self.values))
        assert step == 1, "rows are taken in order"
        return Pieces([(self, start, max(start, stop))])


class Pieces:
    """Consecutive row ranges ``(column, start, stop)`` of batch columns: the values of one conversion."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[tuple[BatchColumn, int, int]]) -> None:
        self.parts = parts

    def __len__(self) -> int:
        return sum(stop - start for _, start, stop in self.parts)

    def __iter__(self) -> Iterator[Any]:
        return chain.from_iterable(column.values[start:stop] for column, start, stop in self.parts)

    def __getitem__(self, rows: slice) -> Pieces:
        first, last, step = rows.indices(len(self))
        assert step == 1, "rows are taken in order"
        parts, at = [], 0
        for column, start, stop in self.parts:
            lo, hi = max(first - at, 0), min(last - at, stop - start)
            if lo < hi:
                parts.append((column, start + lo, start + hi))
            at += stop - start
        return Pieces(parts)

    @staticmethod
    def concat(parts: Sequence[Pieces]) -> Pieces:
        return Pieces(list(chain.from_iterable(p.parts for p in parts)))


class StructItems:
    """Struct values (none of them null) held as one column per field."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields

    def __len__(self) -> int:
        return len(next(iter(self.fields.values()), ()))

    def __getitem__(self, where: slice) -> StructItems:
        return StructItems({name: values[where] for name, values in self.fields.items()})

    def __iter__(self) -> Iterator[dict[str, Any]]:
        names = list(self.fields)
        return (dict(zip(names, values)) for values in zip(*map(plain, self.fields.values())))

    @staticmethod
    def concat(parts: Sequence[StructItems]) -> StructItems:
        return StructItems({name: concat([p.fields[name] for p in parts]) for name in parts[0].fields})


class FlatList:
    """Rows of a list column (none of them null) held flat: each row's number of items, and the items of
    all rows in order (a list, a :class:`BatchColumn` or a :class:`StructItems`)."""

    __slots__ = ("_ends", "items", "lengths")

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

    def __iter__(self) -> Iterator[list[Any]]:
        items = iter(self.items)
        return ([next(items) for _ in range(n)] for n in self.lengths)

    @staticmethod
    def concat(parts: Sequence[FlatList]) -> FlatList:
        return FlatList(list(chain.from_iterable(p.lengths for p in parts)), concat([p.items for p in parts]))


def concat(parts: Sequence[Any]) -> Any:
    """Consecutive pieces of one column's values as one."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if isinstance(first, BatchColumn):
        return concat([p[:] if isinstance(p, BatchColumn) else p for p in parts])
    if isinstance(first, (FlatList, StructItems, Pieces)):
        return type(first).concat(parts)
    return list(chain.from_iterable(parts))


def plain(values: Any) -> Sequence[Any]:
    """``values`` as a sequence of Python values (batch columns and pieces become lists)."""
    return list(values) if isinstance(values, (BatchColumn, Pieces)) else values


def read_fields(items: Sequence[Any], names: Sequence[str], nullable: Collection[str] = ()) -> StructItems:
    """The fields ``names`` of ``items`` (models of one class, or dicts), one :class:`BatchColumn` each
    (``nullable``: fields that may be None, converted piece by piece)."""
    dicts = items if items and type(items[0]) is dict else list(map(_DICT, items))
    values = split_fields(dicts, list(names))
    return StructItems({name: BatchColumn(v, name not in nullable) for name, v in zip(names, values)})


def split_fields(values: Sequence[dict[str, Any]], names: list[str]) -> list[list[Any]]:
    """One list per name of the values of ``values`` (dicts) at that key (None where missing).
    When every dict has every key (models of one class do), ``itemgetter`` reads each key in C."""
    try:
        return [list(map(itemgetter(name), values)) for name in names]
    except KeyError:
        return [[v.get(name) for v in values] for name in names]


_DICT = attrgetter("__dict__")
