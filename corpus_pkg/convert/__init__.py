"""Import annotations from brat, Label Studio, doccano and CoNLL files, and export to them.

``import_corpus(format, path, root)`` adds documents to an existing corpus, all or nothing;
``export_corpus(format, out, root)`` writes the corpus in another tool's format. Each format is a
converter (:class:`~corpus_pkg.convert.interface.Converter`: typed options, ``read``, ``write``)
registered in :data:`FORMATS`. Everything found along the way is an issue of the one catalogue
(:mod:`corpus_pkg.validate.issues`) in the returned :class:`ConvertReport`.

Modules: :mod:`.interface` (the Protocol and option dataclasses), :mod:`.formats` (the registry),
:mod:`.importer` / :mod:`.exporter` (the pipelines), :mod:`._staging` (apply an import atomically),
:mod:`.regions` (the quote convention of Label Studio and doccano), one module or package per format.
"""

from __future__ import annotations

from ._report import ConvertReport, ConvertWarning, ImportRefused
from ._staging import recover_imports
from .exporter import export_corpus
from .formats import FORMATS
from .importer import import_corpus, load_label_map
from .interface import Converter, OptionError

__all__ = (
    "FORMATS",
    "ConvertReport",
    "ConvertWarning",
    "Converter",
    "ImportRefused",
    "OptionError",
    "export_corpus",
    "import_corpus",
    "load_label_map",
    "recover_imports",
)
