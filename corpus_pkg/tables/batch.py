"""The build's fast path: columns of every config but ``ner`` for a batch of documents, read straight
from the validated models (no row dict per item), and the batch's statistics from the same lists.

:func:`corpus_pkg.tables.rows.document_rows` stays the plain reference: the columns here are what
its rows give column by column (tests/scaling/test_build_reference.py compares the Parquet bytes), and
:meth:`DocumentBatch.count` adds to a :class:`~corpus_pkg.tables.stats.ReleaseStats` exactly what
``ReleaseStats.add`` does for those rows, key order of every counter included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import attrgetter
from typing import Any, get_args

from ..schema import ANNOTATION_LAYERS, AnnotationFile, EntityMention, NumberMention, Quote, Stance, joined_text
from ..schema.document import Segment
from .features import GOLD_ORIGINS
from .flat import BatchColumn, FlatList, StructItems, read_fields
from .rows import RowContext, _evidence, _reference

__all__ = ("BATCH_CONFIGS", "DocumentBatch", "GoldDocument")

#: Configs built here (``ner`` has a path of its own).
BATCH_CONFIGS: tuple[str, ...] = ("documents", "entities", "quotes", "numbers", "stance", "full")

_GOLD = frozenset(GOLD_ORIGINS)
_ID = attrgetter("id")
#: The model of each layer's items (and of segments): its fields are read once per batch.
_MODELS: dict[str, Any] = {
    "segments": Segment,
    "entities": EntityMention,
    "quotes": Quote,
    "numbers": NumberMention,
    "stance": Stance,
}
_FIELDS = {layer: tuple(model.model_fields) for layer, model in _MODELS.items()}
#: Fields that may be None (``X | None``): converted to Arrow piece by piece, not once per batch.
_NULLABLE = {
    layer: frozenset(name for name, f in model.model_fields.items() if type(None) in get_args(f.annotation))
    for layer, model in _MODELS.items()
}


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
    """Documents collected for one conversion: :meth:`columns` per config, :meth:`count` for statistics.

    Each layer's gold items are read once per batch, field by field (:meth:`_table`), for every config
    and the statistics; every column is a :class:`~corpus_pkg.tables.flat.BatchColumn` (converted to
    Arrow once per batch where it can be) or, for list columns of models, a ``FlatList`` of such columns."""

    def __init__(self, ctx: RowContext) -> None:
        self.ctx = ctx
        self.docs: list[GoldDocument] = []
        self._cache: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def add(self, doc: GoldDocument) -> None:
        self.docs.append(doc)
        self._cache = {}

    def clear(self) -> None:
        self.docs = []
        self._cache = {}

    def columns(self) -> dict[str, tuple[dict[str, Sequence[Any]], list[int]]]:
        """Config -> (column name -> one value per row, each document's number of rows), the rows as
        ``document_rows`` would give them (``models=True``: nested values are the models) for these
        documents in order."""
        built = {
            "documents": self._documents(),
            "entities": self._entities(),
            "quotes": self._quotes(),
            "numbers": self._numbers(),
            "stance": self._stance(),
            "full": self._full(),
        }
        return {
            config: ({name: BatchColumn(v) if type(v) is list else v for name, v in columns.items()}, doc_rows)
            for config, (columns, doc_rows) in built.items()
        }

    def _counts(self, layer: str) -> list[int]:
        return [len(d.gold[layer]) for d in self.docs]

    def _doc_ids(self, layer: str) -> list[str]:
        return list(chain.from_iterable(repeat(d.ann.doc_id, len(d.gold[layer])) for d in self.docs))

    def _table(self, layer: str) -> StructItems:
        """The fields of the batch's gold items of ``layer`` (segments: all segments), read once."""
        table = self._cache.get(layer)
        if table is None:
            if layer == "segments":
                items = list(chain.from_iterable(d.ann.segments for d in self.docs))
            else:
                items = list(chain.from_iterable(d.gold[layer] for d in self.docs))
            table = self._cache[layer] = read_fields(items, _FIELDS[layer], _NULLABLE[layer])
        return table

    def _shared(self, name: str) -> Any:
        """Columns the ``documents`` and ``full`` configs share, made once per batch."""
        column = self._cache.get(name)
        if column is None:
            docs = self.docs
            if name == "segments":
                column = FlatList([len(d.ann.segments) for d in docs], self._table("segments"))
            elif name == "text":
                column = BatchColumn([d.text for d in docs])
            else:  # doc_id, raw_sha256
                column = BatchColumn([getattr(d.ann, name) for d in docs])
            self._cache[name] = column
        return column

    def _fragments(self) -> tuple[list[int], StructItems]:
        """Each gold quote's number of fragments, and the fields of all fragments (read once per batch)."""
        found = self._cache.get("fragments")
        if found is None:
            fragments = self._table("quotes").fields["fragments"].values
            spans = read_fields(list(chain.from_iterable(fragments)), ("start", "end", "text"))
            found = self._cache["fragments"] = (list(map(len, fragments)), spans)
        return found

    def _documents(self) -> tuple[dict[str, Sequence[Any]], list[int]]:
        docs = self.docs
        metas = [d.ann.meta for d in docs]
        columns = {
            "doc_id": self._shared("doc_id"),
            "title": [m.title for m in metas],
            "text": self._shared("text"),
            "body": ["\n\n".join(s.text for s in d.ann.segments if s.kind == "body") for d in docs],
            "outlet": [m.outlet for m in metas],
            "authors": [m.authors for m in metas],
            "url": [m.url for m in metas],
            "published": [m.published for m in metas],
            "language": [m.language for m in metas],
            "raw_sha256": self._shared("raw_sha256"),
            "segments": self._shared("segments"),
            "num_entities": self._counts("entities"),
            "num_quotes": self._counts("quotes"),
            "num_numbers": self._counts("numbers"),
            "num_stance": self._counts("stance"),
            "ner_skipped": [[{"mention_id": s.mention_id, "reason": s.reason} for s in d.skipped] for d in docs],
        }
        return columns, [1] * len(docs)

    def _entities(self) -> tuple[dict[str, Sequence[Any]], list[int]]:
        fields = self._table("entities").fields
        names = self.ctx.entity_names
        entity_ids = fields["entity_id"].values
        if "" in names:  # an empty id has no name
            entity_names = [names.get(e) if e else None for e in entity_ids]
        else:
            entity_names = list(map(names.get, entity_ids))
        columns = {
            "doc_id": self._doc_ids("entities"),
            "mention_id": fields["id"],
            "start": fields["start"],
            "end": fields["end"],
            "text": fields["text"],
            "label": fields["label"],
            "entity_id": fields["entity_id"],
            "entity_name": BatchColumn(entity_names, whole=False),
            "origin": fields["origin"],
            "source": fields["source"],
        }
        return columns, self._counts("entities")

    def _references(self, layer: str, refs: list[Any]) -> list[dict[str, Any]]:
        """Display name, mention id and entity id of each speaker or holder (``refs``, the layer's items in order)."""
        out: list[dict[str, Any]] = []
        at = 0
        mentions: dict[int, dict[str, Any]] = self._cache.setdefault("mentions", {})  # document -> its mentions
        for i, d in enumerate(self.docs):
            n = len(d.gold[layer])
            if n:
                by_id, ctx = mentions.get(i) or mentions.setdefault(i, _by_id(d.ann.entities)), self.ctx
                out.extend(_reference(ref, by_id, ctx) for ref in refs[at : at + n])
                at += n
        return out

    def _quotes(self) -> tuple[dict[str, Sequence[Any]], list[int]]:
        fields = self._table("quotes").fields
        fragments = fields["fragments"].values
        speakers = self._references("quotes", fields["speaker"].values)
        cues = fields["cue"].values
        columns = {
            "doc_id": self._doc_ids("quotes"),
            "quote_id": fields["id"],
            "start": [f[0].start for f in fragments],
            "end": [f[-1].end for f in fragments],
            "text": [f[0].text if len(f) == 1 else joined_text(f) for f in fragments],
            "fragments": FlatList(*self._fragments()),
            "kind": fields["kind"],
            "speaker": [s["name"] for s in speakers],
            "speaker_type": [s.type for s in fields["speaker"].values],
            "speaker_mention_id": [s["mention_id"] for s in speakers],
            "speaker_entity_id": [s["entity_id"] for s in speakers],
            "cue": [c.text if c else None for c in cues],
            "cue_start": [c.start if c else None for c in cues],
            "cue_end": [c.end if c else None for c in cues],
            "origin": fields["origin"],
            "source": fields["source"],
        }
        return columns, self._counts("quotes")

    def _numbers(self) -> tuple[dict[str, Sequence[Any]], list[int]]:
        fields = self._table("numbers").fields
        columns = {
            "doc_id": self._doc_ids("numbers"),
            "number_id": fields["id"],
            "start": fields["start"],
            "end": fields["end"],
            "text": fields["text"],
            "value": list(map(float, fields["value"].values)),
            "unit": fields["unit"],
            "qualifier": fields["qualifier"],
            "kind": fields["kind"],
            "origin": fields["origin"],
            "source": fields["source"],
        }
        return columns, self._counts("numbers")

    def _stance(self) -> tuple[dict[str, Sequence[Any]], list[int]]:
        fields = self._table("stance").fields
        holder_models, evidence_models = fields["holder"].values, fields["evidence"].values
        holders = self._references("stance", holder_models)
        evidence: list[dict[str, Any]] = []
        at = 0
        for d in self.docs:
            n = len(d.gold["stance"])
            if n:
                quotes = _by_id(d.ann.quotes)
                evidence.extend(_evidence(e, quotes) for e in evidence_models[at : at + n])
                at += n
        columns = {
            "doc_id": self._doc_ids("stance"),
            "stance_id": fields["id"],
            "holder": [h["name"] for h in holders],
            "holder_type": [h.type for h in holder_models],
            "holder_mention_id": [h["mention_id"] for h in holders],
            "holder_entity_id": [h["entity_id"] for h in holders],
            "target": fields["target"],
            "label": fields["label"],
            "evidence_type": [e.type for e in evidence_models],
            "evidence_quote_id": [e.__dict__.get("quote_id") for e in evidence_models],
            **{key: [e[key] for e in evidence] for key in _EVIDENCE_KEYS},
            "origin": fields["origin"],
            "source": fields["source"],
        }
        return columns, self._counts("stance")

    def _full(self) -> tuple[dict[str, Sequence[Any]], list[int]]:
        docs = self.docs
        quotes = self._table("quotes")
        counts, spans = self._fragments()
        full_quotes = StructItems(
            {**quotes.fields, "fragments": StructItems({k: FlatList(counts, v) for k, v in spans.fields.items()})}
        )
        columns = {
            "doc_id": self._shared("doc_id"),
            "schema_version": [d.ann.schema_version for d in docs],
            "raw_sha256": self._shared("raw_sha256"),
            "text": self._shared("text"),
            "meta": [d.ann.meta for d in docs],
            "segments": self._shared("segments"),
            "entities": FlatList(self._counts("entities"), self._table("entities")),
            "quotes": FlatList(self._counts("quotes"), full_quotes),
            "numbers": FlatList(self._counts("numbers"), self._table("numbers")),
            "stance": FlatList(self._counts("stance"), self._table("stance")),
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
        stats.outlets.update([m.outlet for m in metas])
        stats.languages.update([m.language for m in metas])
        dated = [m.published.isoformat() for m in metas if m.published is not None]
        stats.undated += len(docs) - len(dated)
        if dated:
            stats.dates = [min([*dated, *stats.dates[:1]]), max([*dated, *stats.dates[1:]])]
        # one update per layer; layers enter the counters in the order a document-by-document pass meets them
        gold = {layer: [d.gold[layer] for d in docs] for layer in ANNOTATION_LAYERS}
        for layer in _first_met(gold):
            stats.origins[layer].update(self._table(layer).fields["origin"].values)
        pending = {
            layer: [len(getattr(d.ann, layer)) - len(d.gold[layer]) for d in docs] for layer in ANNOTATION_LAYERS
        }
        for layer in _first_met(pending):
            stats.suggestions[layer] += sum(pending[layer])
        entities = self._table("entities").fields
        labels = entities["label"].values
        stats.entity_labels.update(labels)
        for label, entity_id in dict.fromkeys(zip(labels, entities["entity_id"].values)):
            if entity_id:
                stats.entity_ids[label].add(entity_id)
        quotes = self._table("quotes").fields
        stats.quote_kinds.update(quotes["kind"].values)
        stats.speaker_types.update([q.type for q in quotes["speaker"].values])
        stats.number_kinds.update(self._table("numbers").fields["kind"].values)
        stance = self._table("stance").fields
        stats.stance.update(zip(stance["target"].values, stance["label"].values))
        stats.tokens += tokens
        for d in docs:
            stats.ner_skipped.extend((d.ann.doc_id, s.mention_id, s.reason) for s in d.skipped)


def _by_id(items: list[Any]) -> dict[str, Any]:
    """Items (all of a layer, suggestions included: references resolve against them too) by id."""
    return dict(zip(map(_ID, items), items))


def _first_met(per_doc: dict[str, list[Any]]) -> list[str]:
    """Layers with a non-empty (truthy) value for some document, in the order a pass over the documents,
    then the layers of each, meets the first such value."""
    first = {layer: next((i for i, value in enumerate(values) if value), None) for layer, values in per_doc.items()}
    met = [(i, k, layer) for k, (layer, i) in enumerate(first.items()) if i is not None]
    return [layer for _, _, layer in sorted(met)]


_EVIDENCE_KEYS = ("evidence_start", "evidence_end", "evidence_text", "evidence_fragments")
