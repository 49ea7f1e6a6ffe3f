"""The one source of column types: Hugging Face ``Features`` of every release config.

``build`` writes Parquet with ``features.arrow_schema`` (so the features JSON travels in the
``huggingface`` schema metadata key and ClassLabel names survive), the dataset card lists the
same features, and ``load`` reads them back. Closed label sets (entity labels, stance labels,
kinds, qualifiers, origins, BIO tags) are ``ClassLabel``; rows hold label *names* until
:func:`encode_row` turns them into the integers Parquet stores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from datasets import ClassLabel, Features, LargeList, List, Value

from ..schema import GOLD_ORIGINS, CorpusConfig
from ..schema.document import SegmentKind
from ..schema.numbers import NumberKind, Qualifier
from ..schema.quotes import QuoteKind, Speaker
from ..schema.stance import Evidence, Holder, StanceLabel

#: Configs with rows per document (built shard by shard), in the order the card lists them.
DOCUMENT_CONFIGS: tuple[str, ...] = ("documents", "entities", "quotes", "numbers", "stance", "ner", "full")
#: Every release config: the per-document ones and the corpus-level entity ``registry``.
CONFIG_NAMES: tuple[str, ...] = (*DOCUMENT_CONFIGS, "registry")

#: Origins that count as gold; ``suggestion`` never enters a release config.

SEGMENT_KINDS: tuple[str, ...] = get_args(SegmentKind)
QUOTE_KINDS: tuple[str, ...] = get_args(QuoteKind)
NUMBER_KINDS: tuple[str, ...] = get_args(NumberKind)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)
STANCE_LABELS: tuple[str, ...] = get_args(StanceLabel)


def union_tags(union: Any) -> tuple[str, ...]:
    """The ``type`` tags of a discriminated union of pydantic models, in declaration order."""
    members = get_args(get_args(union)[0])  # Annotated[A | B | C, Field(...)] -> (A, B, C)
    return tuple(tag for model in members for tag in get_args(model.model_fields["type"].annotation))


SPEAKER_TYPES: tuple[str, ...] = union_tags(Speaker)
HOLDER_TYPES: tuple[str, ...] = union_tags(Holder)
EVIDENCE_TYPES: tuple[str, ...] = union_tags(Evidence)

_STR = Value("string")
_INT = Value("int64")


@dataclass(frozen=True)
class LabelSets:
    """The corpus-specific label names that become ClassLabel columns."""

    entity_labels: tuple[str, ...]
    stance_targets: tuple[str, ...]

    @classmethod
    def from_config(cls, config: CorpusConfig) -> LabelSets:
        return cls(tuple(config.entity_label_names), tuple(config.stance_target_ids))

    @property
    def ner_tags(self) -> tuple[str, ...]:
        """BIO tag names: ``O``, then ``B-X`` and ``I-X`` for each entity label in declared order."""
        tags = ["O"]
        for label in self.entity_labels:
            tags += [f"B-{label}", f"I-{label}"]
        return tuple(tags)


def _labels(names: tuple[str, ...]) -> ClassLabel:
    return ClassLabel(names=list(names))


def _span() -> dict[str, Any]:
    return {"start": _INT, "end": _INT, "text": _STR}


def _provenance() -> dict[str, Any]:
    return {"origin": _labels(GOLD_ORIGINS), "source": _STR}


def release_features(labels: LabelSets) -> dict[str, Features]:
    """Features of every release config, keyed by config name (see docs/build.md for the meaning of columns)."""
    entity_label, stance_target = _labels(labels.entity_labels), _labels(labels.stance_targets)
    segment = {"kind": _labels(SEGMENT_KINDS), **_span()}
    documents = Features(
        {
            "doc_id": _STR,
            "title": _STR,
            "text": _STR,
            "body": _STR,
            "outlet": _STR,
            "authors": List(_STR),
            "url": _STR,
            "published": Value("date32"),
            "language": _STR,
            "raw_sha256": _STR,
            "segments": List(segment),
            "num_entities": _INT,
            "num_quotes": _INT,
            "num_numbers": _INT,
            "num_stance": _INT,
            "ner_skipped": List({"mention_id": _STR, "reason": _STR}),
        }
    )
    entities = Features(
        {
            "doc_id": _STR,
            "mention_id": _STR,
            **_span(),
            "label": entity_label,
            "entity_id": _STR,
            "entity_name": _STR,
            **_provenance(),
        }
    )
    quotes = Features(
        {
            "doc_id": _STR,
            "quote_id": _STR,
            **_span(),
            "fragments": List(_span()),
            "kind": _labels(QUOTE_KINDS),
            "speaker": _STR,
            "speaker_type": _labels(SPEAKER_TYPES),
            "speaker_mention_id": _STR,
            "speaker_entity_id": _STR,
            "cue": _STR,
            "cue_start": _INT,
            "cue_end": _INT,
            **_provenance(),
        }
    )
    numbers = Features(
        {
            "doc_id": _STR,
            "number_id": _STR,
            **_span(),
            "value": Value("float64"),
            "unit": _STR,
            "qualifier": _labels(QUALIFIERS),
            "kind": _labels(NUMBER_KINDS),
            **_provenance(),
        }
    )
    stance = Features(
        {
            "doc_id": _STR,
            "stance_id": _STR,
            "holder": _STR,
            "holder_type": _labels(HOLDER_TYPES),
            "holder_mention_id": _STR,
            "holder_entity_id": _STR,
            "target": stance_target,
            "label": _labels(STANCE_LABELS),
            "evidence_type": _labels(EVIDENCE_TYPES),
            "evidence_quote_id": _STR,
            "evidence_start": _INT,
            "evidence_end": _INT,
            "evidence_text": _STR,
            "evidence_fragments": List(_span()),
            **_provenance(),
        }
    )
    ner = Features(
        {
            "doc_id": _STR,
            "paragraph": _INT,
            "segment_kind": _labels(SEGMENT_KINDS),
            **_span(),
            "tokens": List(_STR),
            "token_starts": List(_INT),
            "token_ends": List(_INT),
            "ner_tags": List(_labels(labels.ner_tags)),
        }
    )
    annotation = {"id": _STR, **_provenance(), "note": _STR}
    reference = {"type": _STR, "mention_id": _STR, "entity_id": _STR, "quote_id": _STR, **_span()}
    full = Features(
        {
            "doc_id": _STR,
            "schema_version": _STR,
            "raw_sha256": _STR,
            "text": _STR,
            "meta": {
                "title": _STR,
                "outlet": _STR,
                "authors": List(_STR),
                "url": _STR,
                "published": Value("date32"),
                "language": _STR,
            },
            "segments": List(segment),
            "entities": List({**annotation, **_span(), "label": entity_label, "entity_id": _STR}),
            "quotes": List(
                {
                    **annotation,
                    "kind": _labels(QUOTE_KINDS),
                    # columns of lists, not a list of spans: one level of lists per column keeps the
                    # nesting within what Croissant readers (mlcroissant) can walk
                    "fragments": {"start": List(_INT), "end": List(_INT), "text": List(_STR)},
                    "cue": _span(),
                    "speaker": reference,
                }
            ),
            "numbers": List(
                {
                    **annotation,
                    **_span(),
                    "value": Value("float64"),
                    "kind": _labels(NUMBER_KINDS),
                    "unit": _STR,
                    "qualifier": _labels(QUALIFIERS),
                }
            ),
            "stance": List(
                {
                    **annotation,
                    "holder": reference,
                    "target": stance_target,
                    "label": _labels(STANCE_LABELS),
                    "evidence": reference,
                }
            ),
        }
    )
    registry = Features(
        {
            "entity_id": _STR,
            "name": _STR,
            "label": entity_label,
            "aliases": List(_STR),
            "wikidata": _STR,
            "description": _STR,
        }
    )
    out = {
        "documents": documents,
        "entities": entities,
        "quotes": quotes,
        "numbers": numbers,
        "stance": stance,
        "ner": ner,
        "full": full,
        "registry": registry,
    }
    assert tuple(out) == CONFIG_NAMES
    return out


def encode_row(features: Features, row: dict[str, Any]) -> dict[str, Any]:
    """Turn label names into ClassLabel integers, recursively; raises ValueError on an unknown name."""
    return _walk(features, row, _encode)


def decode_row(features: Features, row: dict[str, Any]) -> dict[str, Any]:
    """Turn ClassLabel integers back into label names, recursively."""
    return _walk(features, row, _decode)


def _encode(feature: ClassLabel, value: Any) -> Any:
    if value is None or isinstance(value, int):
        return value
    try:
        return feature.names.index(value)
    except ValueError:
        raise ValueError(f"{value!r} is not one of the declared labels {feature.names}") from None


def _decode(feature: ClassLabel, value: Any) -> Any:
    return feature.names[value] if isinstance(value, int) and value >= 0 else value


def _walk(feature: Any, value: Any, on_label: Any) -> Any:
    if value is None:
        return None
    if isinstance(feature, dict):
        return {key: _walk(sub, value.get(key), on_label) for key, sub in feature.items()}
    if isinstance(feature, (List, LargeList)):
        return [_walk(feature.feature, item, on_label) for item in value]
    if isinstance(feature, ClassLabel):
        return on_label(feature, value)
    return value


Encoder = Callable[[Any], Any]


def column_encoders(features: Features) -> dict[str, Encoder | None]:
    """Per column of a config, an encoder of one value of that column (None: values pass through).
    Encoding column by column touches only the columns that hold labels."""
    return {name: _compile(feature) for name, feature in features.items()}


def _compile(feature: Any) -> Encoder | None:
    """An encoder for values of ``feature``, or None when values pass through unchanged.

    Only what holds labels is rebuilt: a dict is copied with its label-holding keys replaced, a list
    of labels is encoded with one dict lookup per item."""
    if isinstance(feature, dict):
        parts = tuple((key, enc) for key, sub in feature.items() if (enc := _compile(sub)) is not None)
        if not parts:
            return None

        def encode_dict(value: Any) -> Any:
            if value is None:
                return None
            out = dict(value)
            for key, enc in parts:
                out[key] = enc(value.get(key))
            return out

        return encode_dict
    if isinstance(feature, (List, LargeList)):
        inner = _compile(feature.feature)
        if inner is None:
            return None
        if isinstance(feature.feature, ClassLabel):
            index = _label_index(feature.feature)

            def encode_labels(value: Any) -> Any:
                if value is None:
                    return None
                try:
                    return [index[item] for item in value]
                except (KeyError, TypeError):  # ints, None or an unknown name: item by item
                    return [inner(item) for item in value]

            return encode_labels

        def encode_list(value: Any) -> Any:
            return None if value is None else [inner(item) for item in value]

        return encode_list
    if isinstance(feature, ClassLabel):
        index = _label_index(feature)
        names = feature.names

        def encode_label(value: Any) -> Any:
            if value is None or isinstance(value, int):
                return value
            try:
                return index[value]
            except (KeyError, TypeError):
                raise ValueError(f"{value!r} is not one of the declared labels {names}") from None

        return encode_label
    return None


def _label_index(feature: ClassLabel) -> dict[str, int]:
    return {name: i for i, name in enumerate(feature.names)}
