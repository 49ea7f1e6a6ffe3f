"""The build's fast path: columns of every config but ``ner`` for a batch of documents, read straight
from the validated models (no row dict per item), and the batch's statistics from the same lists.

:func:`corpus_pkg.tables.rows.document_rows` stays the plain reference: the columns here are what
its rows give column by column (tests/scaling/test_build_reference.py compares the Parquet bytes), and
:meth:`DocumentBatch.count` adds to a :class:`~corpus_pkg.tables.stats.ReleaseStats` exactly what
``ReleaseStats.add`` does for those rows, key order of every counter included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from ..schema import ANNOTATION_LAYERS, AnnotationFile, joined_text
from .features import GOLD_ORIGINS
from .rows import RowContext, _evidence, _reference

__all__ = ("BATCH_CONFIGS", "DocumentBatch", "GoldDocument")

#: Configs built here (``ner`` has a path of its own).
BATCH_CONFIGS: tuple[str, ...] = ("documents", "entities", "quotes", "numbers", "stance", "full")

_GOLD = frozenset(GOLD_ORIGINS)
_START, _END, _TEXT = attrgetter("start"), attrgetter("end"), attrgetter("text")
_ID, _ORIGIN, _SOURCE = attrgetter("id"), attrgetter("origin"), attrgetter("source")
_LABEL, _KIND = attrgetter("label"), attrgetter("kind")


@dataclass
class GoldDocument:
    """One checked document: its text, its whole annotation file (references resolve against every
    item, suggestions included), the gold items of each layer and the mentions NER could not tag."""

    text: str
    ann: AnnotationFile
    gold: dict[str, list[Any]]  # layer -> items of origin manual or imported, in file order
    skipped: list[Any] = field(default_factory=list)  # tokenize.Skipped, sorted by mention id

    @property
    def annotations(self) -> AnnotationFile:
        """The whole annotation file (so code reading a Document's ``text`` and ``annotations`` reads this too)."""
        return self.ann

    @classmethod
    def of(cls, text: str, ann: AnnotationFile) -> GoldDocument:
        gold = {}
        for layer in ANNOTATION_LAYERS:
            items = getattr(ann, layer)
            kept = [item for item in items if item.origin in _GOLD]
            gold[layer] = items if len(kept) == len(items) else kept
        return cls(text, ann, gold)


class DocumentBatch:
    """Documents collected for one conversion: :meth:`columns` per config, :meth:`count` for statistics."""

    def __init__(self, ctx: RowContext) -> None:
        self.ctx = ctx
        self.docs: list[GoldDocument] = []

    def __len__(self) -> int:
        return len(self.docs)

    def add(self, doc: GoldDocument) -> None:
        self.docs.append(doc)

    def clear(self) -> None:
        self.docs = []

    def columns(self) -> dict[str, tuple[dict[str, list[Any]], list[int]]]:
        """Config -> (column name -> one value per row, each document's number of rows), the rows as
        ``document_rows`` would give them (``models=True``: nested values are the models) for these
        documents in order."""
        return {
            "documents": self._documents(),
            "entities": self._entities(),
            "quotes": self._quotes(),
            "numbers": self._numbers(),
            "stance": self._stance(),
            "full": self._full(),
        }

    def _counts(self, layer: str) -> list[int]:
        return [len(d.gold[layer]) for d in self.docs]

    def _doc_ids(self, layer: str) -> list[str]:
        return list(chain.from_iterable(repeat(d.ann.doc_id, len(d.gold[layer])) for d in self.docs))

    def _items(self, layer: str) -> list[Any]:
        return list(chain.from_iterable(d.gold[layer] for d in self.docs))

    def _documents(self) -> tuple[dict[str, list[Any]], list[int]]:
        docs = self.docs
        metas = [d.ann.meta for d in docs]
        columns = {
            "doc_id": [d.ann.doc_id for d in docs],
            "title": [m.title for m in metas],
            "text": [d.text for d in docs],
            "body": ["\n\n".join(s.text for s in d.ann.segments if s.kind == "body") for d in docs],
            "outlet": [m.outlet for m in metas],
            "authors": [m.authors for m in metas],
            "url": [m.url for m in metas],
            "published": [m.published for m in metas],
            "language": [m.language for m in metas],
            "raw_sha256": [d.ann.raw_sha256 for d in docs],
            "segments": [d.ann.segments for d in docs],
            "num_entities": [len(d.gold["entities"]) for d in docs],
            "num_quotes": [len(d.gold["quotes"]) for d in docs],
            "num_numbers": [len(d.gold["numbers"]) for d in docs],
            "num_stance": [len(d.gold["stance"]) for d in docs],
            "ner_skipped": [[{"mention_id": s.mention_id, "reason": s.reason} for s in d.skipped] for d in docs],
        }
        return columns, [1] * len(docs)

    def _entities(self) -> tuple[dict[str, list[Any]], list[int]]:
        items = self._items("entities")
        names = self.ctx.entity_names
        entity_ids = [m.entity_id for m in items]
        columns = {
            "doc_id": self._doc_ids("entities"),
            "mention_id": list(map(_ID, items)),
            "start": list(map(_START, items)),
            "end": list(map(_END, items)),
            "text": list(map(_TEXT, items)),
            "label": list(map(_LABEL, items)),
            "entity_id": entity_ids,
            "entity_name": [names.get(e) if e else None for e in entity_ids],
            "origin": list(map(_ORIGIN, items)),
            "source": list(map(_SOURCE, items)),
        }
        return columns, self._counts("entities")

    def _quotes(self) -> tuple[dict[str, list[Any]], list[int]]:
        items: list[Any] = []
        speakers: list[dict[str, Any]] = []
        for d in self.docs:
            if d.gold["quotes"]:
                mentions = {m.id: m for m in d.ann.entities}
                for q in d.gold["quotes"]:
                    items.append(q)
                    speakers.append(_reference(q.speaker, mentions, self.ctx))
        cues = [q.cue for q in items]
        columns = {
            "doc_id": self._doc_ids("quotes"),
            "quote_id": list(map(_ID, items)),
            "start": [q.fragments[0].start for q in items],
            "end": [q.fragments[-1].end for q in items],
            "text": [joined_text(q.fragments) for q in items],
            "fragments": [q.fragments for q in items],
            "kind": list(map(_KIND, items)),
            "speaker": [s["name"] for s in speakers],
            "speaker_type": [q.speaker.type for q in items],
            "speaker_mention_id": [s["mention_id"] for s in speakers],
            "speaker_entity_id": [s["entity_id"] for s in speakers],
            "cue": [c.text if c else None for c in cues],
            "cue_start": [c.start if c else None for c in cues],
            "cue_end": [c.end if c else None for c in cues],
            "origin": list(map(_ORIGIN, items)),
            "source": list(map(_SOURCE, items)),
        }
        return columns, self._counts("quotes")

    def _numbers(self) -> tuple[dict[str, list[Any]], list[int]]:
        items = self._items("numbers")
        columns = {
            "doc_id": self._doc_ids("numbers"),
            "number_id": list(map(_ID, items)),
            "start": list(map(_START, items)),
            "end": list(map(_END, items)),
            "text": list(map(_TEXT, items)),
            "value": [float(n.value) for n in items],
            "unit": [n.unit for n in items],
            "qualifier": [n.qualifier for n in items],
            "kind": list(map(_KIND, items)),
            "origin": list(map(_ORIGIN, items)),
            "source": list(map(_SOURCE, items)),
        }
        return columns, self._counts("numbers")

    def _stance(self) -> tuple[dict[str, list[Any]], list[int]]:
        items: list[Any] = []
        holders: list[dict[str, Any]] = []
        evidence: list[dict[str, Any]] = []
        for d in self.docs:
            if d.gold["stance"]:
                mentions = {m.id: m for m in d.ann.entities}
                quotes = {q.id: q for q in d.ann.quotes}
                for s in d.gold["stance"]:
                    items.append(s)
                    holders.append(_reference(s.holder, mentions, self.ctx))
                    evidence.append(_evidence(s.evidence, quotes))
        columns = {
            "doc_id": self._doc_ids("stance"),
            "stance_id": list(map(_ID, items)),
            "holder": [h["name"] for h in holders],
            "holder_type": [s.holder.type for s in items],
            "holder_mention_id": [h["mention_id"] for h in holders],
            "holder_entity_id": [h["entity_id"] for h in holders],
            "target": [s.target for s in items],
            "label": list(map(_LABEL, items)),
            "evidence_type": [s.evidence.type for s in items],
            "evidence_quote_id": [getattr(s.evidence, "quote_id", None) for s in items],
            **{key: [e[key] for e in evidence] for key in _EVIDENCE_KEYS},
            "origin": list(map(_ORIGIN, items)),
            "source": list(map(_SOURCE, items)),
        }
        return columns, self._counts("stance")

    def _full(self) -> tuple[dict[str, list[Any]], list[int]]:
        docs = self.docs
        columns = {
            "doc_id": [d.ann.doc_id for d in docs],
            "schema_version": [d.ann.schema_version for d in docs],
            "raw_sha256": [d.ann.raw_sha256 for d in docs],
            "text": [d.text for d in docs],
            "meta": [d.ann.meta for d in docs],
            "segments": [d.ann.segments for d in docs],
            "entities": [d.gold["entities"] for d in docs],
            "quotes": [[_full_quote(q) for q in d.gold["quotes"]] for d in docs],
            "numbers": [d.gold["numbers"] for d in docs],
            "stance": [d.gold["stance"] for d in docs],
        }
        return columns, [1] * len(docs)

    def count(self, stats: Any, split: str, ner_rows: int, tokens: int) -> None:
        """Add the batch to ``stats`` (a ReleaseStats) as ``ReleaseStats.add`` would, one document after
        the other; ``ner_rows`` and ``tokens`` are the batch's ``ner`` rows and tokens."""
        docs = self.docs
        stats.docs_per_split[split] += len(docs)
        rows = stats.rows
        rows["documents"][split] += len(docs)
        rows["full"][split] += len(docs)
        rows["ner"][split] += ner_rows
        for layer in ANNOTATION_LAYERS:
            rows[layer][split] += sum(len(d.gold[layer]) for d in docs)
        metas = [d.ann.meta for d in docs]
        stats.outlets.update(m.outlet for m in metas)
        stats.languages.update(m.language for m in metas)
        dated = [m.published.isoformat() for m in metas if m.published is not None]
        stats.undated += len(docs) - len(dated)
        if dated:
            stats.dates = [min([*dated, *stats.dates[:1]]), max([*dated, *stats.dates[1:]])]
        # one update per layer; layers enter the counters in the order a document-by-document pass meets them
        gold = {layer: [d.gold[layer] for d in docs] for layer in ANNOTATION_LAYERS}
        for layer in _first_met(gold):
            stats.origins[layer].update(map(_ORIGIN, chain.from_iterable(gold[layer])))
        pending = {
            layer: [len(getattr(d.ann, layer)) - len(d.gold[layer]) for d in docs] for layer in ANNOTATION_LAYERS
        }
        for layer in _first_met(pending):
            stats.suggestions[layer] += sum(pending[layer])
        entities = self._items("entities")
        stats.entity_labels.update(map(_LABEL, entities))
        for m in entities:
            if m.entity_id:
                stats.entity_ids[m.label].add(m.entity_id)
        quotes = self._items("quotes")
        stats.quote_kinds.update(map(_KIND, quotes))
        stats.speaker_types.update(q.speaker.type for q in quotes)
        stats.number_kinds.update(map(_KIND, self._items("numbers")))
        stats.stance.update((s.target, s.label) for s in self._items("stance"))
        stats.tokens += tokens
        for d in docs:
            stats.ner_skipped.extend((d.ann.doc_id, s.mention_id, s.reason) for s in d.skipped)


def _first_met(per_doc: dict[str, list[Any]]) -> list[str]:
    """Layers with a non-empty (truthy) value for some document, in the order a pass over the documents,
    then the layers of each, meets the first such value."""
    first = {layer: next((i for i, value in enumerate(values) if value), None) for layer, values in per_doc.items()}
    met = [(i, k, layer) for k, (layer, i) in enumerate(first.items()) if i is not None]
    return [layer for _, _, layer in sorted(met)]


_EVIDENCE_KEYS = ("evidence_start", "evidence_end", "evidence_text", "evidence_fragments")


def _full_quote(q: Any) -> dict[str, Any]:
    """A quote of the ``full`` row: its fields, fragments as three parallel lists."""
    fragments = q.fragments
    return {
        **q.__dict__,
        "fragments": {
            "start": list(map(_START, fragments)),
            "end": list(map(_END, fragments)),
            "text": list(map(_TEXT, fragments)),
        },
    }
