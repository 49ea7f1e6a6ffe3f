"""corpus_pkg: an annotated news corpus kept as raw text + JSON, validated, and shipped as Parquet.

The public API mirrors the ``corpus`` command line: each command calls the function of the same
name. Build, release, diff and publish live in their modules (``corpus_pkg.release.build.build`` ...) so
that importing the package does not import ``datasets``.
"""

from __future__ import annotations

from .agree import adjudicate, compare_annotators, compare_passes, disagreements, resolve, settle
from .annotate.add import add_entity, add_number, add_quote, add_stance
from .annotate.articles import add_article, init_corpus
from .annotate.assign import assign, queue
from .annotate.reanchor import reanchor
from .annotate.render import render_html, show
from .annotate.review import accept_suggestions, edit_annotation, reject_suggestions, remove_annotations
from .annotate.stats import stats
from .annotate.suggest import suggest_entities, suggest_numbers, suggest_quotes
from .convert import FORMATS, ConvertReport, ConvertWarning, export_corpus, import_corpus
from .corpus import Corpus, CorpusError
from .load import load, load_documents
from .release.verify import verify_release
from .text.numbers import parse_number, scan_numbers
from .validate import Report, validate
from .web.serve import serve

__version__ = "0.1.0"

__all__ = (
    "FORMATS",
    "ConvertReport",
    "ConvertWarning",
    "Corpus",
    "CorpusError",
    "Report",
    "__version__",
    "accept_suggestions",
    "add_article",
    "add_entity",
    "add_number",
    "add_quote",
    "add_stance",
    "adjudicate",
    "assign",
    "compare_annotators",
    "compare_passes",
    "disagreements",
    "edit_annotation",
    "export_corpus",
    "import_corpus",
    "init_corpus",
    "load",
    "load_documents",
    "parse_number",
    "queue",
    "reanchor",
    "reject_suggestions",
    "remove_annotations",
    "render_html",
    "resolve",
    "scan_numbers",
    "serve",
    "settle",
    "show",
    "stats",
    "suggest_entities",
    "suggest_numbers",
    "suggest_quotes",
    "validate",
    "verify_release",
)
