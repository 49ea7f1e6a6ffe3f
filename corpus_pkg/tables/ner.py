"""The ``ner`` config of many documents at once, straight to one Arrow record batch.

The rows equal what :func:`corpus_pkg.tables.rows.document_rows` gives for ``ner`` (paragraphs,
tokens, BIO tags) after label encoding, column for column, but no Python object is made per token:
tokens come from :func:`corpus_pkg.text.token_arrays.lines_and_tokens`, tags from
:func:`corpus_pkg.text.bio_arrays.place_mentions`. The build uses it in place of the ``ner`` rows
(the other configs come from :mod:`corpus_pkg.tables.batch`); tests/scaling/test_ner_batch.py
compares both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter

import numpy as np
import pyarrow as pa
from datasets import Features

from ..corpus import ANNOTATION_SUFFIX, CorpusError
from ..schema import GOLD_ORIGINS, Document
from ..text.bio_arrays import MentionArrays, ParagraphArrays, place_mentions
from ..text.token_arrays import lines_and_tokens, without_validity
from ..text.tokenize import Skipped, annotated_text
from .columns import column_builders
from .parquet import ConfigWriter
from .textfree import NULL_COLUMNS

__all__ = ("NerBatch", "NerBuilder")

_TEXT_COLUMNS = NULL_COLUMNS["ner"]  # null in a text-free release
_START, _END, _LABEL = attrgetter("start"), attrgetter("end"), attrgetter("label")


@dataclass(frozen=True)
class NerBatch:
    """The ``ner`` rows of some documents, and per document what else the build needs of them."""

    batch: pa.RecordBatch
    skipped: list[list[Skipped]]  # per document, by mention id (the ``ner_skipped`` column)
    paragraphs: list[int]  # rows per document
    tokens: list[int]  # tokens per document


class NerBuilder:
    """Turns lists of documents into ``ner`` record batches of one release's schema."""

    def __init__(self, features: Features, schema: pa.Schema, with_text: bool = True) -> None:
        self.schema = schema
        self.with_text = with_text
        self.kinds = {name: i for i, name in enumerate(features["segment_kind"].names)}
        tag_names = features["ner_tags"].feature.names
        self.tag_names = tag_names
        index = {name: i for i, name in enumerate(tag_names)}
        self.labels = {
            name[2:]: (code, index.get(f"I-{name[2:]}", -1)) for name, code in index.items() if name.startswith("B-")
        }
        self.label_index = {label: i for i, label in enumerate(self.labels)}  # -1 (last below): undeclared
        self.begin = np.array([codes[0] for codes in self.labels.values()] + [-1], dtype=np.int64)
        self.inside = np.array([codes[1] for codes in self.labels.values()] + [-1], dtype=np.int64)
        self.outside = index.get("O", -1)
        self.nulls = column_builders(features, schema)  # for the columns a text-free release leaves null
        self.pending: list[pa.RecordBatch] = []  # text-free rows not handed out yet (see ``batches``)
        self.pending_rows = 0

    def build(self, docs: list[Document]) -> NerBatch:
        """The ``ner`` rows of ``docs`` (gold mentions only, as in ``document_rows``), in document order."""
        segments = [(d, *segment) for d, doc in enumerate(docs) for segment in annotated_text(doc.annotations)]
        segment_texts = [docs[d].text[start:end] for d, _, start, end in segments]
        lines, tokens = lines_and_tokens(segment_texts, [s[2] for s in segments])
        seg_doc = np.fromiter((s[0] for s in segments), dtype=np.int64, count=len(segments))
        seg_kind = np.fromiter((self.kinds[s[1]] for s in segments), dtype=np.int64, count=len(segments))
        para_doc = seg_doc[lines.source]
        per_doc = np.bincount(para_doc, minlength=len(docs))
        starts, ends, texts, n = lines.starts, lines.ends, lines.texts, len(lines.starts)
        mentions, gold = self._mentions(docs)
        tags, skipped_at = place_mentions(ParagraphArrays(para_doc, starts, ends), tokens, mentions, self.outside)
        if (tags < 0).any():  # a placed mention's label the release does not declare (validation rejects it first)
            self._label_error(docs, tags, tokens.bounds, para_doc)

        skipped: list[list[tuple[tuple, Skipped]]] = [[] for _ in docs]
        for i, reason in skipped_at:
            d = int(mentions.doc[i])
            m = gold[i]
            skipped[d].append(((m.id, -(m.end - m.start), m.start, i), Skipped(m.id, reason)))
        first_para = np.concatenate(([0], np.cumsum(per_doc)))[:-1]
        doc_ids = pa.array([doc.annotations.doc_id for doc in docs], pa.string()).take(pa.array(para_doc))
        columns = {
            "doc_id": without_validity(doc_ids),
            "paragraph": pa.array(np.arange(n, dtype=np.int64) - np.repeat(first_para, per_doc)),
            "segment_kind": pa.array(seg_kind[lines.source]),
            "start": pa.array(starts),
            "end": pa.array(ends),
            "text": texts,
            "tokens": self._lists("tokens", tokens.bounds, tokens.texts),
            "token_starts": self._lists("token_starts", tokens.bounds, pa.array(tokens.starts)),
            "token_ends": self._lists("token_ends", tokens.bounds, pa.array(tokens.ends)),
            "ner_tags": self._lists("ner_tags", tokens.bounds, pa.array(tags)),
        }
        if not self.with_text:
            columns.update({name: self.nulls[name]([None] * n) for name in _TEXT_COLUMNS})
        batch = pa.RecordBatch.from_arrays([columns[name] for name in self.schema.names], schema=self.schema)
        doc_tokens = np.diff(tokens.bounds[np.concatenate((first_para, [n]))]) if docs else []
        return NerBatch(
            batch,
            [[s for _, s in sorted(doc_skipped, key=lambda pair: pair[0])] for doc_skipped in skipped],
            per_doc.tolist(),
            [int(count) for count in doc_tokens],
        )

    def batches(self, chunk: NerBatch) -> list[pa.RecordBatch]:
        """The record batches to hand the ``ner`` writer for ``chunk`` (then :meth:`finish`): the
        batch itself, or for a text-free release the rows cut as the row path cut them.

        A text-free batch has null columns, and a null column's Arrow size depends on how the row
        groups are sliced from the batches (bitmaps are counted in whole bytes). The row path converted
        its rows each time ``ConfigWriter.BATCH_ROWS`` or more were pending, at document ends; the
        same cuts, with null columns made afresh for each piece, give the same sizes."""
        if self.with_text:
            return [chunk.batch]
        out, start, row = [], 0, 0
        for count in chunk.paragraphs:
            row += count
            self.pending_rows += count
            if self.pending_rows >= ConfigWriter.BATCH_ROWS:
                self.pending.append(chunk.batch.slice(start, row - start))
                out.append(self._cut())
                start = row
        if row > start:
            self.pending.append(chunk.batch.slice(start, row - start))
        return out

    def finish(self) -> list[pa.RecordBatch]:
        """The last record batch of a text-free release (see :meth:`batches`)."""
        return [self._cut()] if self.pending_rows else []

    def _cut(self) -> pa.RecordBatch:
        table = pa.Table.from_batches(self.pending, schema=self.schema).combine_chunks()
        n = table.num_rows
        self.pending, self.pending_rows = [], 0
        arrays = [
            self.nulls[name]([None] * n) if name in _TEXT_COLUMNS else table.column(name).chunk(0)
            for name in self.schema.names
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def _lists(self, column: str, bounds: np.ndarray, values: pa.Array) -> pa.ListArray:
        return pa.ListArray.from_arrays(pa.array(bounds.astype(np.int32)), values, type=self.schema.field(column).type)

    def _mentions(self, docs: list[Document]) -> tuple[MentionArrays, list]:
        per_doc = [_gold_entities(doc) for doc in docs]
        mentions = list(chain.from_iterable(per_doc))
        count = len(mentions)
        labels = np.fromiter(map(self.label_index.get, map(_LABEL, mentions), repeat(-1)), np.int64, count)
        arrays = MentionArrays(
            np.repeat(np.arange(len(docs), dtype=np.int64), np.fromiter(map(len, per_doc), np.int64, len(docs))),
            np.fromiter(map(_START, mentions), dtype=np.int64, count=count),
            np.fromiter(map(_END, mentions), dtype=np.int64, count=count),
            _Ids(mentions),
            self.begin[labels],
            self.inside[labels],
        )
        return arrays, mentions

    def _label_error(self, docs: list[Document], tags: np.ndarray, bounds: np.ndarray, para_doc: np.ndarray) -> None:
        """Name the document and tag, as ``ConfigWriter`` does for rows."""
        token = int(np.flatnonzero(tags < 0)[0])
        doc = docs[int(para_doc[int(np.searchsorted(bounds, token, side="right")) - 1])]
        gold = [m.label for m in doc.annotations.entities if m.origin in GOLD_ORIGINS]
        unknown = sorted(label for label in set(gold) if label not in self.labels)
        value = f"B-{unknown[0]}" if unknown else "?"
        where = f"annotations/{doc.annotations.doc_id}{ANNOTATION_SUFFIX}"
        raise CorpusError(
            f"{where}: ner column 'ner_tags': {value!r} is not one of the declared labels {self.tag_names}"
        )


def _gold_entities(doc: Document) -> list:
    """The gold mentions of ``doc``: those the build's document already sorted out, or found here."""
    gold = getattr(doc, "gold", None)  # tables.batch.GoldDocument
    if gold is not None:
        return gold["entities"]
    return [m for m in doc.annotations.entities if m.origin in GOLD_ORIGINS]


class _Ids(Sequence[str]):
    """The ids of mentions, read when asked (placement reads few of them)."""

    def __init__(self, mentions: list) -> None:
        self.mentions = mentions

    def __len__(self) -> int:
        return len(self.mentions)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]  # ints only, no slices
        return self.mentions[i].id
