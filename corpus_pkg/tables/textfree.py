"""Text-free rows: every copy of article text taken out, offsets kept (``corpus build --no-text``).

A text-free release has the same configs, columns and types as a full one; only the columns that copy
the article are null: the raw text, every span's ``text``, the ``ner`` tokens, and the display columns
that may quote the article (``quotes.speaker``, ``quotes.cue``, ``stance.holder``). Offsets, labels,
ids, registry names and bibliographic metadata (title, outlet, authors, url, date) stay. Each
article's ``raw_sha256`` pins the exact bytes the offsets point into; lengths of span texts are
``end - start``. :func:`fill_span_texts` puts span texts back from a user's copy of the article
(``corpus rehydrate``).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from datasets import Features, LargeList, List

from .columns import column_builders, compile_builder

#: config -> top-level columns set to null.
NULL_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("text", "body"),
    "entities": ("text",),
    "quotes": ("text", "speaker", "cue"),
    "numbers": ("text",),
    "stance": ("holder", "evidence_text"),
    "ner": ("text", "tokens"),
    "full": ("text",),
}


def strip_text(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Null, in place, every copy of article text in the rows of one document (see the module docstring)."""
    for config, config_rows in rows.items():
        columns = NULL_COLUMNS.get(config, ())
        for row in config_rows:
            for column in columns:
                row[column] = None
            for value in row.values():
                _drop_span_texts(value)


def strip_text_batch(config: str, batch: pa.RecordBatch, features: Features) -> pa.RecordBatch:
    """:func:`strip_text` on rows already converted to Arrow: the same arrays (buffers included) as
    converting the stripped rows, with the nulls made by the same column builders."""
    nulls = NULL_COLUMNS.get(config, ())
    builders = column_builders(features, batch.schema) if nulls else {}
    arrays = [
        builders[name]([None] * batch.num_rows) if name in nulls else _strip_array(features[name], column)
        for name, column in zip(batch.schema.names, batch.columns)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def _strip_array(feature: Any, array: pa.Array) -> pa.Array:
    """``array`` (of ``feature``, built by :mod:`corpus_pkg.tables.columns`) with the ``text`` of every
    nested span struct (one with ``start``, ``end`` and ``text`` fields) null."""
    type_ = array.type
    mask = array.is_null() if array.null_count else None
    if isinstance(feature, dict):
        fields = [type_.field(i) for i in range(type_.num_fields)]
        span = {"start", "end", "text"} <= feature.keys()
        children = [
            compile_builder(feature[f.name], f.type)([None] * len(array))
            if span and f.name == "text"
            else _strip_array(feature[f.name], array.field(i))
            for i, f in enumerate(fields)
        ]
        return pa.StructArray.from_arrays(children, fields=fields, mask=mask)
    if isinstance(feature, (List, LargeList)):
        values = _strip_array(feature.feature, array.values)
        if values is array.values:
            return array
        cls = pa.LargeListArray if pa.types.is_large_list(type_) else pa.ListArray
        return cls.from_arrays(array.offsets, values, type=type_, mask=mask)
    return array


def _drop_span_texts(value: Any) -> None:
    """Null the ``text`` of every nested span (a dict with ``start``, ``end`` and ``text``)."""
    if isinstance(value, dict):
        if {"start", "end", "text"} <= value.keys():
            value["text"] = None
        for inner in value.values():
            _drop_span_texts(inner)
    elif isinstance(value, list):
        for item in value:
            _drop_span_texts(item)


def fill_span_texts(value: Any, raw: str) -> Any:
    """A copy of ``value`` (a decoded ``full`` row or part of it) with the ``text`` of every nested span
    that has offsets set to ``raw[start:end]``."""
    if isinstance(value, dict):
        out = {key: fill_span_texts(inner, raw) for key, inner in value.items()}
        if {"start", "end", "text"} <= out.keys() and out["start"] is not None and out["end"] is not None:
            start, end = out["start"], out["end"]
            if isinstance(start, list):  # parallel lists (quote fragments in ``full``)
                out["text"] = [raw[s:e] for s, e in zip(start, end)]
            else:
                out["text"] = raw[start:end]
        return out
    if isinstance(value, list):
        return [fill_span_texts(item, raw) for item in value]
    return value
