"""corpus_pkg: an annotated news corpus kept as raw text + JSON, validated, and shipped as Parquet."""

from __future__ import annotations

from .corpus import Corpus, CorpusError
from .validate import Report, validate

__version__ = "0.1.0"

__all__ = ("Corpus", "CorpusError", "Report", "__version__", "validate")
