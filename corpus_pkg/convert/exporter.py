"""``export_corpus``: write every document of a corpus in another tool's format, reporting losses."""

from __future__ import annotations

from pathlib import Path

from ..corpus import Corpus
from ..schema import Document
from ._report import ConvertReport
from .formats import KEPT_META, converter_for

#: Document metadata fields, in the order losses are reported.
_META_FIELDS = ("title", "outlet", "authors", "url", "published", "language")


def export_corpus(format: str, out: str | Path, root: str | Path = ".", overwrite: bool = False) -> ConvertReport:
    """Write every document of the corpus at ``root`` to the folder ``out`` in ``format``.

    ``out`` must be missing or empty unless ``overwrite`` is set. The report counts what was
    written; what the format cannot hold (layers, links, notes, document metadata) is listed in
    its warnings.

    Example:
        >>> export_corpus("brat", "out/brat", root="news")  # doctest: +SKIP
    """
    converter = converter_for(format)
    corpus = Corpus.at(root)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise FileExistsError(f"{out} is not empty; pass --overwrite to replace files in it")
    out.mkdir(parents=True, exist_ok=True)
    report = ConvertReport(format=format, direction="export")
    docs = list(corpus.iter_documents())
    converter.write(corpus, docs, out, report)
    report.documents.extend(doc.doc_id for doc in docs)
    _report_metadata(docs, KEPT_META[format], report)
    return report


def _report_metadata(docs: list[Document], kept: frozenset[str], report: ConvertReport) -> None:
    """One warning listing the document metadata the format dropped (segments always included)."""
    lost: list[str] = []
    for doc in docs:
        meta = doc.annotations.meta
        fields = [f for f in _META_FIELDS if f not in kept and getattr(meta, f) not in (None, [], "unknown")]
        if fields:
            lost.append(f"{doc.doc_id}: {', '.join(fields)}")
    if lost:
        report.add(
            "not-exported",
            f"{report.format} keeps no document metadata beyond {', '.join(sorted(kept)) or 'the text'}; "
            f"not exported for {len(lost)} document(s)",
            lines=lost,
        )
