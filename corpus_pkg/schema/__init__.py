"""Pydantic v2 models of every file a corpus is made of."""

from .common import GOLD_ORIGINS, SAFE_ID_PATTERN, Annotation, Origin, Span, SpanAnnotation, joined_text
from .config import CorpusConfig, LabelDef, StanceTarget
from .document import ANNOTATION_LAYERS, SCHEMA_VERSION, AnnotationFile, Document, DocumentMeta, Segment
from .entities import EntityMention, EntityRegistry, RegistryEntity
from .numbers import NumberMention
from .quotes import MentionSpeaker, NominalSpeaker, Quote, UnknownSpeaker
from .stance import EntityHolder, QuoteEvidence, SpanEvidence, Stance

__all__ = (
    "GOLD_ORIGINS",
    "ANNOTATION_LAYERS",
    "SAFE_ID_PATTERN",
    "SCHEMA_VERSION",
    "Annotation",
    "AnnotationFile",
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
    "Segment",
    "Span",
    "SpanAnnotation",
    "SpanEvidence",
    "Stance",
    "StanceTarget",
    "UnknownSpeaker",
    "joined_text",
)
