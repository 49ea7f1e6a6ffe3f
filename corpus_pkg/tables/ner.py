"""The ``ner`` config of many documents at once, straight to one Arrow record batch.

The rows equal what :func:`corpus_pkg.tables.rows.document_rows` gives for ``ner`` (paragraphs,
tokens, BIO tags) after label encoding, column for column, but no Python object is made per token:
tokens come from :func:`corpus_pkg.text.token_arrays.tokenize_many`, tags from
:func:`corpus_pkg.text.bio_arrays.place_mentions`. The build uses it in place of the ``ner`` rows
(``document_rows(..., ner_skipped=...)``); tests/scaling/test_ner_batch.py compares both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from datasets import Features

from ..corpus import ANNOTATION_SUFFIX, CorpusError
from ..schema import GOLD_ORIGINS, Document
from ..text.bio_arrays import MentionArrays, ParagraphArrays, place_mentions
from ..text.token_arrays import tokenize_many
from ..text.tokenize import Skipped, paragraph_lines
from .columns import column_builders

__all__ = ("NerBatch", "NerBuilder")


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
        self.outside = index.get("O", -1)
        self.nulls = column_builders(features, schema)  # for the columns a text-free release leaves null

    def build(self, docs: list[Document]) -> NerBatch:
        """The ``ner`` rows of ``docs`` (gold mentions only, as in ``document_rows``), in document order."""
        lines = [paragraph_lines(doc.text, doc.annotations) for doc in docs]
        per_doc = [len(doc_lines) for doc_lines in lines]
        flat = [line for doc_lines in lines for line in doc_lines]
        texts = [line.text for line in flat]
        starts = np.array([line.start for line in flat], dtype=np.int64)
        ends = np.array([line.end for line in flat], dtype=np.int64)
        para_doc = np.repeat(np.arange(len(docs), dtype=np.int64), per_doc)
        tokens = tokenize_many(texts, starts)
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
        n = len(flat)
        doc_ids = [doc.annotations.doc_id for doc, count in zip(docs, per_doc) for _ in range(count)]
        columns = {
            "doc_id": pa.array(doc_ids, pa.string()),
            "paragraph": pa.array(np.arange(n, dtype=np.int64) - np.repeat(first_para, per_doc)),
            "segment_kind": pa.array(np.array([self.kinds[line.segment_kind] for line in flat], dtype=np.int64)),
            "start": pa.array(starts),
            "end": pa.array(ends),
            "text": pa.array(texts, pa.string()) if self.with_text else self.nulls["text"]([None] * n),
            "tokens": self._lists("tokens", tokens.bounds, tokens.texts),
            "token_starts": self._lists("token_starts", tokens.bounds, pa.array(tokens.starts)),
            "token_ends": self._lists("token_ends", tokens.bounds, pa.array(tokens.ends)),
            "ner_tags": self._lists("ner_tags", tokens.bounds, pa.array(tags)),
        }
        if not self.with_text:
            columns["tokens"] = self.nulls["tokens"]([None] * n)
        batch = pa.RecordBatch.from_arrays([columns[name] for name in self.schema.names], schema=self.schema)
        doc_tokens = np.diff(tokens.bounds[np.concatenate((first_para, [n]))]) if docs else []
        return NerBatch(
            batch,
            [[s for _, s in sorted(doc_skipped, key=lambda pair: pair[0])] for doc_skipped in skipped],
            per_doc,
            [int(count) for count in doc_tokens],
        )

    def _lists(self, column: str, bounds: np.ndarray, values: pa.Array) -> pa.ListArray:
        return pa.ListArray.from_arrays(pa.array(bounds.astype(np.int32)), values, type=self.schema.field(column).type)

    def _mentions(self, docs: list[Document]) -> tuple[MentionArrays, list]:
        gold = []
        doc_index = []
        for d, doc in enumerate(docs):
            for m in doc.annotations.entities:
                if m.origin in GOLD_ORIGINS:
                    gold.append(m)
                    doc_index.append(d)
        missing = (-1, -1)
        codes = [self.labels.get(m.label, missing) for m in gold]
        arrays = MentionArrays(
            np.array(doc_index, dtype=np.int64),
            np.array([m.start for m in gold], dtype=np.int64),
            np.array([m.end for m in gold], dtype=np.int64),
            [m.id for m in gold],
            np.array([c[0] for c in codes], dtype=np.int64),
            np.array([c[1] for c in codes], dtype=np.int64),
        )
        return arrays, gold

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
