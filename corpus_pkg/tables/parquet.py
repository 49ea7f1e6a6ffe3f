"""The Parquet writer of a shard: rows of one config -> one file of fixed-size row groups, with
every writer setting explicit so that two builds produce the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from ..corpus import ANNOTATION_SUFFIX, CorpusError
from .columns import ColumnBuilder, LabelError, column_builders
from .flat import concat

__all__ = ("PARQUET_OPTIONS", "ConfigWriter", "write_table")

#: Parquet writer settings, all explicit so two builds produce the same bytes.
PARQUET_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": False,  # zstd already shrinks repeated values; dictionaries cost time and bytes here
    "write_statistics": True,
    "data_page_version": "1.0",
    "write_page_index": False,
    "store_schema": True,
}


class ConfigWriter:
    """Rows of one config of one shard -> a Parquet file of row groups of exactly ``row_group_size`` rows.

    Rows arrive as dicts with label names (:meth:`add`), or column by column for several documents
    at once (:meth:`add_columns`, the build's fast path). Every ``BATCH_ROWS`` of them, cut at a
    document boundary, are turned into Arrow column by column (see :mod:`corpus_pkg.tables.columns`;
    labels encoded on the way): far faster than converting row by row, and the rows do not pile up.
    Both ways convert the same pieces, so the Arrow sizes reported (``nbytes``) do not depend on the
    way either. ``transform`` (e.g. taking the text out) is applied to each piece this writer converts
    (not to ready record batches, :meth:`add_batch`). The file
    is created on the first row group, so a config without rows in this shard writes nothing."""

    BATCH_ROWS = 256

    def __init__(
        self,
        path: Path,
        schema: pa.Schema,
        builders: dict[str, ColumnBuilder],
        row_group_size: int,
        transform: Callable[[pa.RecordBatch], pa.RecordBatch] | None = None,
    ) -> None:
        self.path = path
        self.schema = schema
        self.columns = [(name, builders[name]) for name in schema.names]
        self.row_group_size = row_group_size
        self.transform = transform
        self.pending: list[dict[str, Any]] = []  # rows not converted yet
        self.pending_columns: dict[str, list[Any]] = {name: [] for name in schema.names}  # pieces, by column
        self.pending_count = 0  # rows in pending_columns
        self.batches: list[pa.RecordBatch] = []  # converted rows not written yet
        self.buffered = 0
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0
        self.nbytes = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Queue the rows of one document; every full row group is written at once."""
        self.pending.extend(rows)
        if len(self.pending) >= self.BATCH_ROWS:
            self._convert()

    def add_columns(self, columns: dict[str, Sequence[Any]], doc_rows: Sequence[int]) -> None:
        """Queue the rows of consecutive documents given column by column (label names, one value per
        row); ``doc_rows`` is each document's number of rows, in order."""
        assert not self.pending, "rows and columns are not mixed in one writer"
        start = end = 0
        for count in doc_rows:
            end += count
            if self.pending_count + end - start >= self.BATCH_ROWS:
                self._queue(columns, start, end)
                self._convert_columns()
                start = end
        if end > start:
            self._queue(columns, start, end)

    def add_batch(self, batch: pa.RecordBatch) -> None:
        """Queue rows already in Arrow (this writer's schema), after any rows queued before them."""
        if self.pending:
            self._convert()
        if self.pending_count:
            self._convert_columns()
        self._buffer(batch)

    def close(self) -> None:
        """Write what is left as a last, shorter row group, and close the file."""
        try:
            if self.pending:
                self._convert()
            if self.pending_count:
                self._convert_columns()
            if self.buffered:
                self._write_group(self.buffered)
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop rows not written yet and close the file (it is then incomplete: callers delete it)."""
        self.pending, self.batches, self.buffered = [], [], 0
        self.pending_columns, self.pending_count = {name: [] for name in self.schema.names}, 0
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.close()

    def _queue(self, columns: dict[str, Sequence[Any]], start: int, end: int) -> None:
        for name, pieces in self.pending_columns.items():
            pieces.append(columns[name][start:end])
        self.pending_count += end - start

    def _convert(self) -> None:
        rows, self.pending = self.pending, []
        self._encode({name: [row.get(name) for row in rows] for name, _ in self.columns})

    def _convert_columns(self) -> None:
        pieces = self.pending_columns
        self.pending_columns, self.pending_count = {name: [] for name in self.schema.names}, 0
        self._encode({name: concat(values) for name, values in pieces.items()})

    def _encode(self, columns: dict[str, Sequence[Any]]) -> None:
        arrays = []
        for name, build in self.columns:
            try:
                arrays.append(build(columns[name]))
            except LabelError:
                rows = [{"doc_id": doc_id, name: value} for doc_id, value in zip(columns["doc_id"], columns[name])]
                self._raise_label_error(rows, name, build)
        batch = pa.RecordBatch.from_arrays(arrays, schema=self.schema)
        if self.transform is not None:
            batch = self.transform(batch)
        self._buffer(batch)

    def _buffer(self, batch: pa.RecordBatch) -> None:
        self.batches.append(batch)
        self.buffered += batch.num_rows
        while self.buffered >= self.row_group_size:
            self._write_group(self.row_group_size)

    def _raise_label_error(self, rows: list[dict[str, Any]], column: str, build: ColumnBuilder) -> None:
        """Name the document whose row holds a label the release does not declare (validation
        rejects such labels first; this is a safety net)."""
        for row in rows:
            try:
                build([row.get(column)])
            except LabelError as exc:
                where = f"annotations/{row.get('doc_id')}{ANNOTATION_SUFFIX}"
                raise CorpusError(f"{where}: {self.path.parent.name} column {column!r}: {exc}") from None
        raise AssertionError("unreachable: a value failed to encode in bulk but not alone")

    def _write_group(self, n: int) -> None:
        """Write the first ``n`` buffered rows as one row group (one contiguous table, so the bytes do
        not depend on how rows were batched)."""
        table = pa.Table.from_batches(self.batches, schema=self.schema)
        group, rest = table.slice(0, n).combine_chunks(), table.slice(n)
        self.batches = [batch for batch in rest.to_batches() if batch.num_rows]
        self.buffered = rest.num_rows
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema, **PARQUET_OPTIONS)
        self.writer.write_table(group, row_group_size=n)
        self.rows += n
        self.nbytes += group.nbytes


def write_table(path: Path, features: Features, rows: list[dict[str, Any]], row_group_size: int) -> int:
    """Write ``rows`` (label names) as one Parquet file of ``features``, as a shard's files are written;
    returns the Arrow bytes (for the card's ``dataset_size``). For small corpus-level tables (the registry)."""
    schema = features.arrow_schema
    writer = ConfigWriter(path, schema, column_builders(features, schema), row_group_size)
    writer.add(rows)
    writer.close()
    return writer.nbytes
