"""``import_corpus``: read another tool's files, check everything, then write all or nothing.

Steps: the format's reader turns the source into documents and issues; the id prefix, language
and label map are applied once here; references to items that were not imported are dropped with
a warning; the new documents are checked by the validator's document checks against the corpus
configuration they will live in; ids must be free. Any error stops the import before anything
is written (:class:`~corpus_pkg.convert._report.ImportRefused` carries the report). Otherwise the
files are staged and moved into place under the corpus write locks (:mod:`._staging`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._io import dumps_json
from .._jsonfile import parse_json
from .._lock import CONFIG, REGISTRY, LockTimeoutError, document_lock_name, write_lock
from ..corpus import (
    ANNOTATION_SUFFIX,
    ANNOTATIONS_DIR,
    CONFIG_FILE,
    RAW_DIR,
    RAW_SUFFIX,
    Corpus,
    CorpusError,
    dump_annotation_file,
    is_safe_id,
    read_regular_file,
    sha256_bytes,
)
from ..schema import ANNOTATION_LAYERS, CorpusConfig, Document, DocumentMeta, UnknownSpeaker
from ..validate import validate
from ..validate.checks import CorpusContext, DocumentFiles, check_document
from ._common import ImportBatch, ReadContext, describe_validation_error
from ._report import ConvertReport, ImportRefused, SourceError
from ._staging import apply_files, recover_locked
from .formats import converter_for
from .interface import parse_options

_LABEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


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

    Every document is added as :func:`corpus_pkg.annotate.articles.add_article` would add it (raw
    text byte-exact when the source is UTF-8) and its annotations get origin ``imported``
    (``suggestion`` for Label Studio predictions) and a ``source`` such as ``brat:T3``. A corpus with
    no entity labels adopts the labels of the source; otherwise every label used must be declared
    (after ``label_map``). The import is all or nothing: any error (unreadable source, undeclared
    label, id already in the corpus, a document that would not validate) raises
    :class:`ImportRefused` (a :class:`~corpus_pkg.corpus.CorpusError`) whose ``report`` lists every
    issue, and nothing is written.

    Args:
        format: one of :data:`FORMATS` (brat, labelstudio, doccano, conll).
        path: file or folder to import.
        root: corpus folder (made by ``corpus init``).
        label_map: dict or JSON file ``{"source label": "OUR_LABEL"}``; null drops a label.
        encoding: source encoding (default UTF-8); the text is stored as UTF-8.
        id_prefix: prepended to every new document id.
        language: BCP 47 tag stored in each new document's meta (default ``en``).
        options: the format's options (conll: ``tag_column``, ``scheme``); any other is a TypeError.

    Returns:
        A :class:`ConvertReport` with counts, warnings and whether the corpus validates.

    Example:
        >>> report = import_corpus("brat", "exports/brat", root="news")  # doctest: +SKIP
    """
    converter = converter_for(format)
    opts = parse_options(format, converter.options, options)
    corpus = Corpus.at(root)
    if not corpus.config_path.is_file():
        raise CorpusError(f"{corpus.root} is not a corpus (no corpus.json); run `corpus init` first")
    src = Path(path)
    if not (src.exists() or src.is_symlink()):
        raise FileNotFoundError(f"{src}: no such file or folder")
    if id_prefix and not is_safe_id(id_prefix + "x"):
        raise CorpusError(f"--id-prefix {id_prefix!r} may only use letters, digits, '_' and '-'")
    if language is not None:
        try:
            DocumentMeta(title="t", outlet="o", language=language)
        except ValidationError:
            raise CorpusError(
                f"--language {language!r} is not valid document metadata: expected a BCP 47 tag such as en or pt-BR"
            ) from None
    mapping = load_label_map(label_map)
    report = ConvertReport(format=format, direction="import", files=[str(src)])
    try:
        # Imports wait for each other, and read corpus.json and entities.json under the lock they write under.
        with write_lock(corpus.root, CONFIG, REGISTRY):
            recover_locked(corpus.root)
            _import_locked(corpus, converter, src, opts, report, mapping, encoding, id_prefix, language)
    except LockTimeoutError as exc:
        raise CorpusError(str(exc)) from None
    report.valid = validate(corpus.root).valid
    return report


def _import_locked(
    corpus: Corpus,
    converter: Any,
    src: Path,
    opts: Any,
    report: ConvertReport,
    mapping: dict[str, str | None],
    encoding: str | None,
    id_prefix: str,
    language: str | None,
) -> None:
    """Read, check, stage and apply (the caller holds the config and registry locks)."""
    config_bytes = read_regular_file(corpus.config_path)
    config = corpus.config
    batch = _read(converter, src, ReadContext(report=report, registry=corpus.registry, encoding=encoding, options=opts))
    _prefix_and_language(batch, id_prefix, language)
    used = _apply_label_map(batch, mapping, report)
    registry_ids = {e.id for e in corpus.registry.entities}
    for doc in batch.documents:
        _repair_references(doc, registry_ids, report, batch.files.get(doc.doc_id))
    new_config = _check_config(config, batch, used, report)
    _check_ids(corpus, batch, report)
    files = _stage(batch, new_config or config, registry_ids, report)
    if new_config is not None:
        files[CONFIG_FILE] = dumps_json(new_config.model_dump(mode="json")).encode("utf-8")
    if report.errors:
        raise ImportRefused(report)

    def precheck() -> None:
        if read_regular_file(corpus.config_path) != config_bytes:  # a writer that does not take the lock
            raise CorpusError("corpus.json changed while the import ran; nothing was written; run it again")
        taken = [d.doc_id for d in batch.documents if _taken(corpus, d.doc_id)]
        if taken:
            raise CorpusError(
                f"document id(s) added while the import ran: {', '.join(taken[:10])}; nothing was written"
            )

    apply_files(corpus.root, files, [document_lock_name(d.doc_id) for d in batch.documents], precheck)
    report.applied = True
    for doc in batch.documents:
        report.documents.append(doc.doc_id)
        for layer in ANNOTATION_LAYERS:
            report.count(layer, len(getattr(doc.annotations, layer)))


def _read(converter: Any, src: Path, ctx: ReadContext) -> ImportBatch:
    """The reader's batch; a problem that stops the whole reader becomes one error issue."""
    try:
        return converter.read(src, ctx)
    except SourceError as exc:
        ctx.report.add(exc.code, str(exc), file=src.name, **exc.location)
    except ValidationError as exc:
        ctx.report.add("unreadable-source", describe_validation_error(exc), file=src.name)
    except CorpusError as exc:
        ctx.report.add("unreadable-source", str(exc), file=src.name)
    return ImportBatch()


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
            data = parse_json(read_regular_file(path)).value
        except ValueError as exc:
            raise CorpusError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) or v is None for v in data.values()):
        raise CorpusError(
            f'{where}: expected a JSON object mapping source label -> our label (or null), e.g. {{"PER": "PERSON"}}'
        )
    return data


def _prefix_and_language(batch: ImportBatch, id_prefix: str, language: str | None) -> None:
    """Apply ``--id-prefix`` and ``--language`` once, to every document of every format."""
    for k, doc in enumerate(batch.documents):
        ann = doc.annotations
        update: dict[str, Any] = {}
        if id_prefix:
            update["doc_id"] = id_prefix + ann.doc_id
        if language:
            update["meta"] = ann.meta.model_copy(update={"language": language})
        if update:
            file = batch.files.pop(ann.doc_id, None)
            batch.documents[k] = Document(text=doc.text, annotations=ann.model_copy(update=update))
            if file is not None:
                batch.files[batch.documents[k].doc_id] = file


def _apply_label_map(batch: ImportBatch, mapping: dict[str, str | None], report: ConvertReport) -> list[str]:
    """Rename or drop entity labels in place; return the labels used, in first-seen order."""
    used: list[str] = []
    dropped: list[str] = []
    for doc in batch.documents:
        kept = []
        for e in doc.annotations.entities:
            label = mapping.get(e.label, e.label)
            if label is None:
                dropped.append(f"{doc.doc_id}: {e.id} {e.label} {e.text!r}")
                continue
            e.label = label
            kept.append(e)
            if label not in used:
                used.append(label)
        doc.annotations.entities = kept
    if dropped:
        report.add("label-dropped", f"{len(dropped)} mention(s) dropped by the label map (null)", lines=dropped)
    batch.declared_labels = [m for m in (mapping.get(x, x) for x in batch.declared_labels) if m is not None]
    return used


def _check_config(
    config: CorpusConfig, batch: ImportBatch, used: list[str], report: ConvertReport
) -> CorpusConfig | None:
    """The corpus.json to write (labels/targets adopted), None if unchanged; errors become issues."""
    bad = [label for label in dict.fromkeys([*batch.declared_labels, *used]) if not _LABEL_NAME.match(label)]
    if bad:
        example = {label: re.sub(r"[^A-Za-z0-9_\-]+", "_", label).strip("_") or "LABEL" for label in bad[:2]}
        report.add(
            "invalid-label-name",
            f"label name(s) not allowed in corpus.json (letters, digits, '_' and '-', starting with a letter): "
            f"{', '.join(repr(b) for b in bad)}; rename them with --label-map FILE, a JSON object such as "
            f"{json.dumps(example, ensure_ascii=False)}",
        )
        return None
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
            report.add(
                "undeclared-label",
                f"corpus.json does not declare {len(missing)} label(s) used by the import: {', '.join(missing)}; "
                f"declared: {', '.join(declared)}. Map them with --label-map FILE or declare them",
            )
    targets = list(dict.fromkeys(s.target for d in batch.documents for s in d.annotations.stance))
    known = config.stance_target_ids
    if targets and not known:
        update["stance_targets"] = [
            {"id": t, "description": f"Imported ({report.format}); describe it."} for t in targets
        ]
        report.add(
            "stance-target-adopted", f"adopted stance target(s): {', '.join(targets)}; describe them in corpus.json"
        )
    elif [t for t in targets if t not in known]:
        missing = [t for t in targets if t not in known]
        report.add(
            "undeclared-stance-target",
            f"corpus.json does not declare stance target(s) {', '.join(missing)}; declared: {', '.join(known)}",
        )
    if not update:
        return None
    try:
        return CorpusConfig.model_validate({**config.model_dump(mode="json"), **update})
    except ValidationError as exc:
        report.add(
            "invalid-config", f"the adopted labels or targets do not fit corpus.json: {describe_validation_error(exc)}"
        )
        return None


def _repair_references(doc: Document, registry_ids: set[str], report: ConvertReport, file: str | None) -> None:
    """Speakers, holders and evidence that point at items not imported: speaker unknown, stance dropped."""
    ann = doc.annotations
    mentions = {e.id for e in ann.entities}
    quotes = {q.id for q in ann.quotes}
    lost: list[str] = []
    for q in ann.quotes:
        if q.speaker.type == "mention" and q.speaker.mention_id not in mentions:
            lost.append(
                f"quote {q.id}: speaker {q.speaker.mention_id} is not an imported entity mention; set to unknown"
            )
            q.speaker = UnknownSpeaker(type="unknown")
    kept = []
    for s in ann.stance:
        holder, evidence = s.holder, s.evidence
        if holder.type == "mention" and holder.mention_id not in mentions:
            lost.append(f"stance {s.id}: holder {holder.mention_id} is not an imported entity mention; stance dropped")
        elif holder.type == "entity" and holder.entity_id not in registry_ids:
            lost.append(f"stance {s.id}: holder entity {holder.entity_id!r} is not in entities.json; stance dropped")
        elif evidence.type == "quote" and evidence.quote_id not in quotes:
            lost.append(f"stance {s.id}: evidence quote {evidence.quote_id} is not imported; stance dropped")
        else:
            kept.append(s)
    ann.stance = kept
    if lost:
        report.add(
            "reference-dropped",
            f"{len(lost)} reference(s) to items not imported",
            file=file,
            doc_id=doc.doc_id,
            lines=lost,
        )


def _taken(corpus: Corpus, doc_id: str) -> bool:
    return any(p.exists() or p.is_symlink() for p in (corpus.raw_path(doc_id), corpus.annotation_path(doc_id)))


def _check_ids(corpus: Corpus, batch: ImportBatch, report: ConvertReport) -> None:
    ids = [d.doc_id for d in batch.documents]
    for doc_id in sorted(i for i, n in Counter(ids).items() if n > 1):
        report.add("duplicate-id", f"the source yields document id {doc_id!r} more than once", doc_id=doc_id)
    for doc in batch.documents:
        if not is_safe_id(doc.doc_id):
            report.add("unsafe-id", f"document id {doc.doc_id!r} is not a safe id (too long?)", doc_id=doc.doc_id)
        elif not doc.text.strip():
            report.add("unreadable-source", f"document {doc.doc_id!r} has an empty text", doc_id=doc.doc_id)
        elif _taken(corpus, doc.doc_id):
            report.add(
                "document-exists",
                f"document id {doc.doc_id!r} is already in the corpus",
                file=batch.files.get(doc.doc_id),
                doc_id=doc.doc_id,
            )


def _stage(batch: ImportBatch, config: CorpusConfig, registry_ids: set[str], report: ConvertReport) -> dict[str, bytes]:
    """The bytes of every new file, after the validator's document checks (errors become issues)."""
    ctx = CorpusContext(
        labels=frozenset(config.entity_label_names),
        targets=frozenset(config.stance_target_ids),
        registry_ids=frozenset(registry_ids),
    )
    files: dict[str, bytes] = {}
    for doc in batch.documents:
        if not is_safe_id(doc.doc_id):
            continue
        try:
            raw = doc.text.encode("utf-8")
            ann = doc.annotations.model_copy(update={"raw_sha256": sha256_bytes(raw)})
            data = dumps_json(dump_annotation_file(ann)).encode("utf-8")
        except UnicodeEncodeError as exc:
            report.add(
                "invalid-text",
                f"a text, label or note holds a lone surrogate ({exc.object[exc.start : exc.end]!r}), which UTF-8 "
                "cannot store",
                file=batch.files.get(doc.doc_id),
                doc_id=doc.doc_id,
            )
            continue
        raw_rel = f"{RAW_DIR}/{doc.doc_id}{RAW_SUFFIX}"
        ann_rel = f"{ANNOTATIONS_DIR}/{doc.doc_id}{ANNOTATION_SUFFIX}"
        for issue in check_document(DocumentFiles(doc.doc_id, ann_rel, raw_rel, data, raw), ctx):
            if issue.is_error:
                report.issues.append(issue.model_copy(update={"message": f"would not validate: {issue.message}"}))
        files[raw_rel] = raw
        files[ann_rel] = data
    return files
