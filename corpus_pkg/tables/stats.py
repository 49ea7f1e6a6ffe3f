"""``ReleaseStats``: the counts a build gathers while documents stream through it (rows, bytes,
labels, outlets, dates...), and their JSON form, so a worker can count its shard and the parent
can merge the shards' counts in plan order into exactly what one pass over all documents gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from ..schema import Document
from .features import CONFIG_NAMES, GOLD_ORIGINS

__all__ = ("ReleaseStats", "merge_stats", "stats_to_json")


@dataclass
class ReleaseStats:
    """Counts gathered while documents stream through the build."""

    splits: list[str]
    rows: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    nbytes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    docs_per_split: Counter = field(default_factory=Counter)
    outlets: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    dates: list[str] = field(default_factory=list)  # [min, max] ISO dates
    undated: int = 0  # articles without a publication date
    entity_labels: Counter = field(default_factory=Counter)
    entity_ids: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    quote_kinds: Counter = field(default_factory=Counter)
    speaker_types: Counter = field(default_factory=Counter)
    number_kinds: Counter = field(default_factory=Counter)
    stance: Counter = field(default_factory=Counter)  # (target, label)
    origins: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    suggestions: Counter = field(default_factory=Counter)
    tokens: int = 0
    ner_skipped: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for config in CONFIG_NAMES:
            for split in self.splits:
                self.rows[config][split] += 0

    def add(self, doc: Document, rows: dict[str, list[dict[str, Any]]], split: str) -> None:
        """Count one document (``rows`` as returned by ``document_rows``)."""
        ann = doc.annotations
        self.docs_per_split[split] += 1
        for config, config_rows in rows.items():
            self.rows[config][split] += len(config_rows)
        self.outlets[ann.meta.outlet] += 1
        self.languages[ann.meta.language] += 1
        if ann.meta.published is not None:
            iso = ann.meta.published.isoformat()
            self.dates = [min([iso, *self.dates[:1]]), max([iso, *self.dates[1:]])]
        else:
            self.undated += 1
        for layer, item in ann.layer_items():
            if item.origin in GOLD_ORIGINS:
                self.origins[layer][item.origin] += 1
            else:
                self.suggestions[layer] += 1
        for row in rows["entities"]:
            self.entity_labels[row["label"]] += 1
            if row["entity_id"]:
                self.entity_ids[row["label"]].add(row["entity_id"])
        for row in rows["quotes"]:
            self.quote_kinds[row["kind"]] += 1
            self.speaker_types[row["speaker_type"]] += 1
        for row in rows["numbers"]:
            self.number_kinds[row["kind"]] += 1
        for row in rows["stance"]:
            self.stance[row["target"], row["label"]] += 1
        self.tokens += sum(len(row["tokens"]) for row in rows["ner"])
        for skipped in rows["documents"][0]["ner_skipped"]:
            self.ner_skipped.append((ann.doc_id, skipped["mention_id"], skipped["reason"]))


def stats_to_json(stats: ReleaseStats) -> dict[str, Any]:
    """JSON-safe form of a ReleaseStats (tuples become lists, sets sorted lists)."""
    out: dict[str, Any] = {}
    for f in fields(stats):
        value = getattr(stats, f.name)
        if f.name == "splits":
            continue
        if isinstance(value, Counter):
            out[f.name] = ["counter", [[_key_out(k), n] for k, n in value.items()]]
        elif isinstance(value, dict):
            inner = {k: v for k, v in value.items()}
            if all(isinstance(v, Counter) for v in inner.values()):
                out[f.name] = ["counters", {k: [[_key_out(x), n] for x, n in v.items()] for k, v in inner.items()}]
            elif all(isinstance(v, set) for v in inner.values()):
                out[f.name] = ["sets", {k: sorted(v) for k, v in inner.items()}]
            else:
                raise TypeError(f"ReleaseStats.{f.name}: cannot serialise {value!r}")
        elif isinstance(value, list):
            out[f.name] = ["list", [_key_out(v) for v in value]]
        elif isinstance(value, int):
            out[f.name] = ["int", value]
        else:
            raise TypeError(f"ReleaseStats.{f.name}: cannot serialise {type(value).__name__}")
    return out


def merge_stats(into: ReleaseStats, part: dict[str, Any]) -> None:
    """Add one document's statistics (from :func:`stats_to_json`) to ``into``.

    Merging the documents in order gives exactly what calling ``into.add`` on each would, key
    order of every counter included."""
    for name, (kind, value) in part.items():
        current = getattr(into, name)
        if kind == "counter":
            for key, n in value:
                current[_key_in(key)] += n
        elif kind == "counters":
            for key, pairs in value.items():
                for inner, n in pairs:
                    current[key][_key_in(inner)] += n
        elif kind == "sets":
            for key, items in value.items():
                current[key].update(items)
        elif kind == "list" and name == "dates":
            if value:
                lo, hi = value
                setattr(into, name, [min(lo, current[0]), max(hi, current[1])] if current else [lo, hi])
        elif kind == "list":
            current.extend(_key_in(v) for v in value)
        elif kind == "int":
            setattr(into, name, current + value)
        else:
            raise TypeError(f"unknown statistics entry {name!r} of kind {kind!r}")


def _key_out(key: Any) -> Any:
    return list(key) if isinstance(key, tuple) else key


def _key_in(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key
