"""Pydantic v2 models of every file a corpus is made of."""

from .assignments import Assignments
from .common import GOLD_ORIGINS, SAFE_ID_PATTERN, Annotation, Origin, Span, SpanAnnotation, joined_text
from .config import Agent, CorpusConfig, LabelDef, ResponsibleAI, Rights, StanceTarget
from .document import (
    ANNOTATED_SEGMENTS,
    ANNOTATION_LAYERS,
    SCHEMA_VERSION,
    AnnotationFile,
    Document,
    DocumentMeta,
    Segment,
)
from .entities import EntityMention, EntityRegistry, RegistryEntity
from .numbers import NumberMention
from .quotes import MentionSpeaker, NominalSpeaker, Quote, UnknownSpeaker
from .stance import EntityHolder, QuoteEvidence, SpanEvidence, Stance

__all__ = (
    "ANNOTATED_SEGMENTS",
    "GOLD_ORIGINS",
    "ANNOTATION_LAYERS",
    "SAFE_ID_PATTERN",
    "Agent",
    "SCHEMA_VERSION",
    "Annotation",
    "AnnotationFile",
    "Assignments",
    "CorpusConfig",
    "Document",
    "DocumentMeta",
    "EntityHolder",
    "EntityMention",
    "EntityRegistry",
    "LabelDef",
    "MentionSpeaker",
    "NominalSpeaker",
    "NumberMention",
    "Origin",
    "Quote",
    "QuoteEvidence",
    "RegistryEntity",
    "ResponsibleAI",
    "Rights",
    "Segment",
    "Span",
    "SpanAnnotation",
    "SpanEvidence",
    "Stance",
    "StanceTarget",
    "UnknownSpeaker",
    "joined_text",
)
