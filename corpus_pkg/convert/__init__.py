"""Import annotations from brat, Label Studio, doccano and CoNLL files, and export to them.

``import_corpus(format, path, root)`` adds documents to an existing corpus; ``export_corpus(format,
out, root)`` writes the corpus in another tool's format. Each format is one module with
``read(path, ctx) -> ImportBatch`` and ``write(corpus, docs, out, report)``, registered in
:data:`FORMATS`. Every lossy step is a warning in the returned :class:`ConvertReport`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._io import write_json
from .._jsonfile import parse_json
from ..annotate.articles import add_article
from ..corpus import Corpus, CorpusError, is_safe_id
from ..schema import CorpusConfig, Document, DocumentMeta, UnknownSpeaker
from ..validate import validate
from . import brat, conll, doccano, labelstudio
from ._common import ImportBatch, ReadContext
from ._report import ConvertReport, ConvertWarning

__all__ = ("FORMATS", "ConvertReport", "ConvertWarning", "FormatInfo", "export_corpus", "import_corpus")

_LABEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


@dataclass(frozen=True)
class FormatInfo:
    """One supported format: its reader, its writer and a one-line description."""

    name: str
    description: str
    read: Callable[[Path, ReadContext], ImportBatch]
    write: Callable[[Corpus, list[Document], Path, ConvertReport], None]


#: Format name -> converter. The CLI's FORMAT argument takes these keys.
FORMATS: dict[str, FormatInfo] = {
    "brat": FormatInfo("brat", "brat standoff: .txt + .ann pairs and annotation.conf", brat.read, brat.write),
    "labelstudio": FormatInfo(
        "labelstudio",
        "Label Studio JSON export (tasks with annotations/predictions)",
        labelstudio.read,
        labelstudio.write,
    ),
    "doccano": FormatInfo("doccano", "doccano JSONL (label or entities/relations)", doccano.read, doccano.write),
    "conll": FormatInfo("conll", "CoNLL token-per-line BIO/IOB files", conll.read, conll.write),
}


def _format(name: str) -> FormatInfo:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}") from None


def load_label_map(value: str | Path | dict[str, str | None] | None) -> dict[str, str | None]:
    """A label map from a dict or a JSON file: ``{"source label": "OUR_LABEL" or null to drop}``."""
    if value is None:
        return {}
    if isinstance(value, dict):
        data: Any = value
        where = "label map"
    else:
        path = Path(value)
        where = str(path)
        try:
            data = parse_json(path.read_bytes()).value
        except FileNotFoundError:
            raise CorpusError(f"{path}: label map file not found") from None
        except ValueError as exc:
            raise CorpusError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) or v is None for v in data.values()):
        raise CorpusError(
            f'{where}: expected a JSON object mapping source label -> our label (or null), e.g. {{"PER": "PERSON"}}'
        )
    return data


def import_corpus(
    format: str,
    path: str | Path,
    root: str | Path = ".",
    label_map: str | Path | dict[str, str | None] | None = None,
    encoding: str | None = None,
    id_prefix: str = "",
    language: str | None = None,
    **options: Any,
) -> ConvertReport:
    """Import the annotations at ``path`` (a file or folder in ``format``) into the corpus at ``root``.

    Every document is added with :func:`corpus_pkg.annotate.articles.add_article` (raw text byte-exact when
    the source is UTF-8) and its annotations get origin ``imported`` (``suggestion`` for Label
    Studio predictions) and a ``source`` such as ``brat:T3``. A corpus with no entity labels
    adopts the labels of the source; otherwise every label used must be declared (after
    ``label_map``), or nothing is written. Ids already in the corpus also stop the import.

    Args:
        format: one of :data:`FORMATS` (brat, labelstudio, doccano, conll).
        path: file or folder to import.
        root: corpus folder (made by ``corpus init``).
        label_map: dict or JSON file ``{"source label": "OUR_LABEL"}``; null drops a label.
        encoding: source encoding (default UTF-8); the text is stored as UTF-8.
        id_prefix: prepended to every new document id.
        language: BCP 47 tag stored in each new document's meta (default ``en``).
        options: format options (conll: ``tag_column``, ``scheme``).

    Returns:
        A :class:`ConvertReport` with counts, warnings and whether the corpus validates.

    Example:
        >>> report = import_corpus("brat", "exports/brat", root="news")  # doctest: +SKIP
    """
    info = _format(format)
    corpus = Corpus.at(root)
    if not corpus.config_path.is_file():
        raise CorpusError(f"{corpus.root} is not a corpus (no corpus.json); run `corpus init` first")
    config = corpus.config
    src = Path(path)
    if not src.exists():
        raise FileNotFoundError(f"{src}: no such file or folder")
    if id_prefix and not is_safe_id(id_prefix + "x"):
        raise CorpusError(f"--id-prefix {id_prefix!r} may only use letters, digits, '_' and '-'")
    report = ConvertReport(format=format, direction="import", files=[str(src)])
    ctx = ReadContext(
        report=report, registry=corpus.registry, encoding=encoding, options={"id_prefix": id_prefix, **options}
    )
    batch = info.read(src, ctx)
    mapping = load_label_map(label_map)
    used = _apply_label_map(batch, mapping, report)
    new_config = _check_config(config, batch, used, mapping, report)
    _check_ids(corpus, batch)
    for doc in batch.documents:  # add_article would refuse these only after corpus.json changed
        meta = doc.annotations.meta
        try:
            DocumentMeta.model_validate({**meta.model_dump(), "language": language or meta.language})
        except ValueError as exc:
            raise CorpusError(f"{doc.doc_id}: invalid document metadata: {exc}") from None
    if new_config is not None:
        write_json(corpus.config_path, new_config.model_dump(mode="json"))
    for doc in batch.documents:
        ann = doc.annotations
        created = add_article(
            corpus.root,
            doc.doc_id,
            doc.text.encode("utf-8"),
            title=ann.meta.title,
            url=ann.meta.url,
            language=language or ann.meta.language,
        )
        final = created.model_copy(
            update={"entities": ann.entities, "quotes": ann.quotes, "numbers": ann.numbers, "stance": ann.stance}
        )
        corpus.write_annotations(final)
        report.documents.append(doc.doc_id)
        for layer in ("entities", "quotes", "numbers", "stance"):
            report.count(layer, len(getattr(ann, layer)))
    report.valid = validate(corpus.root).valid
    return report


def _apply_label_map(batch: ImportBatch, mapping: dict[str, str | None], report: ConvertReport) -> list[str]:
    """Rename or drop entity labels in place; return the labels used, in first-seen order."""
    used: list[str] = []
    dropped: list[str] = []
    for doc in batch.documents:
        kept = []
        for e in doc.annotations.entities:
            label = mapping.get(e.label, e.label) if e.label in mapping else e.label
            if label is None:
                dropped.append(f"{doc.doc_id}: {e.id} {e.label} {e.text!r}")
                continue
            e.label = label
            kept.append(e)
            if label not in used:
                used.append(label)
        removed = {e.id for e in doc.annotations.entities} - {e.id for e in kept}
        doc.annotations.entities = kept
        for q in doc.annotations.quotes:
            if q.speaker.type == "mention" and q.speaker.mention_id in removed:
                q.speaker = UnknownSpeaker(type="unknown")
    if dropped:
        report.warn("label-dropped", f"{len(dropped)} mention(s) dropped by the label map (null)", lines=dropped)
    batch.declared_labels = [
        m for m in (mapping.get(x, x) if x in mapping else x for x in batch.declared_labels) if m is not None
    ]
    return used


def _check_config(
    config: CorpusConfig, batch: ImportBatch, used: list[str], mapping: dict, report: ConvertReport
) -> CorpusConfig | None:
    """The corpus.json to write (labels/targets adopted), None if unchanged; raise if labels are missing."""
    bad = [label for label in dict.fromkeys([*batch.declared_labels, *used]) if not _LABEL_NAME.match(label)]
    if bad:
        example = {label: re.sub(r"[^A-Za-z0-9_\-]+", "_", label).strip("_") or "LABEL" for label in bad[:2]}
        raise CorpusError(
            f"label name(s) not allowed in corpus.json (letters, digits, '_' and '-', starting with a letter): "
            f"{', '.join(repr(b) for b in bad)}; rename them with --label-map FILE, a JSON object such as "
            f"{json.dumps(example, ensure_ascii=False)}"
        )
    update: dict[str, Any] = {}
    declared = config.entity_label_names
    if not declared:
        adopted = list(dict.fromkeys([*batch.declared_labels, *used]))
        if adopted:
            update["entity_labels"] = [{"name": label, "description": ""} for label in adopted]
            report.adopted_labels = adopted
    else:
        missing = [label for label in used if label not in declared]
        if missing:
            raise CorpusError(
                f"corpus.json does not declare {len(missing)} label(s) used by the import: {', '.join(missing)}; "
                f"declared: {', '.join(declared)}. Map them with --label-map FILE or declare them; nothing was written"
            )
    targets = list(dict.fromkeys(s.target for d in batch.documents for s in d.annotations.stance))
    known = config.stance_target_ids
    if targets and not known:
        update["stance_targets"] = [
            {"id": t, "description": f"Imported ({report.format}); describe it."} for t in targets
        ]
        report.warn(
            "stance-target-adopted", f"adopted stance target(s): {', '.join(targets)}; describe them in corpus.json"
        )
    elif [t for t in targets if t not in known]:
        missing = [t for t in targets if t not in known]
        raise CorpusError(
            f"corpus.json does not declare stance target(s) {', '.join(missing)}; declared: {', '.join(known)}; "
            "nothing was written"
        )
    if not update:
        return None
    return CorpusConfig.model_validate({**config.model_dump(mode="json"), **update})


def _check_ids(corpus: Corpus, batch: ImportBatch) -> None:
    ids = [d.doc_id for d in batch.documents]
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dupes:
        raise CorpusError(f"the source yields the same document id twice: {', '.join(dupes[:10])}")
    for doc in batch.documents:
        if not doc.text.strip():
            raise CorpusError(
                f"document {doc.doc_id!r} has an empty text; remove it from the source; nothing was written"
            )
    taken = [i for i in ids if corpus.raw_path(i).exists() or corpus.annotation_path(i).exists()]
    if taken:
        more = f" and {len(taken) - 10} more" if len(taken) > 10 else ""
        raise CorpusError(
            f"document id(s) already in the corpus: {', '.join(taken[:10])}{more}; "
            "use --id-prefix or import into another corpus; nothing was written"
        )


def export_corpus(format: str, out: str | Path, root: str | Path = ".", overwrite: bool = False) -> ConvertReport:
    """Write every document of the corpus at ``root`` to the folder ``out`` in ``format``.

    ``out`` must be missing or empty unless ``overwrite`` is set. What the format cannot hold is
    listed in the report's warnings.

    Example:
        >>> export_corpus("brat", "out/brat", root="news")  # doctest: +SKIP
    """
    info = _format(format)
    corpus = Corpus.at(root)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise FileExistsError(f"{out} is not empty; pass --overwrite to replace files in it")
    out.mkdir(parents=True, exist_ok=True)
    report = ConvertReport(format=format, direction="export")
    docs = list(corpus.iter_documents())
    info.write(corpus, docs, out, report)
    for doc in docs:
        report.documents.append(doc.doc_id)
        for layer in ("entities", "quotes", "numbers", "stance"):
            report.count(layer, len(getattr(doc.annotations, layer)))
    return report
