"""Validate a corpus folder: ``validate(root) -> Report``. Raises only on unusable arguments.

Documents are checked one at a time by the pure function :func:`check_document`, so
``validate`` streams (it never holds more than a chunk of documents in memory), checks chunks in
parallel worker processes on large corpora, and caches each document's issues under a hash of
its bytes and the corpus context, one cache entry per chunk of documents (see
:mod:`corpus_pkg.validate.cached`). The report is the same with or
without the cache and whatever the number of workers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._cache import CacheStats, code_fingerprint, default_cache_dir
from .._engines import open_executor
from .._hashindex import HashIndex
from .._pool import Executor, LocalPool, Work, fewer_collections
from .._storage import is_remote, local_path, open_root, read_files
from .cached import DocumentChecker, FileHash, file_hashes, plan_chunks
from .checks import CorpusContext, DocumentFiles, DocumentPaths, check_document
from .issues import CATALOGUE, Issue, IssueCode
from .opened import OpenedCorpus, open_corpus
from .report import Report

__all__ = (
    "CATALOGUE",
    "CacheStats",
    "DocumentChecker",
    "Issue",
    "IssueCode",
    "OpenedCorpus",
    "Report",
    "open_corpus",
    "validate",
    "validate_documents",
    "validate_opened",
)


@fewer_collections()  # the main process makes ~100k small acyclic objects (paths, index entries)
def validate(
    root: str | Path = ".",
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    cache: bool | str | Path = True,
    workers: int | None = None,
    stats: CacheStats | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    documents: Iterable[str] | None = None,
    max_issues: int | None = None,
) -> Report:
    """Check every file of the corpus at ``root`` and report all issues found.

    Args:
        root: corpus folder (holding corpus.json, raw/, annotations/; the annotators' passes in
            passes/<annotator>/ are checked like annotation files).
        select: only keep issues with these codes.
        ignore: drop issues with these codes.
        cache: reuse the issues of documents whose bytes and context did not change since the
            last run. ``True`` keeps the cache in ``<root>/.corpus_cache/validate``; a path puts
            it there instead; ``False`` checks every document afresh.
        workers: processes checking documents; default: one per available core (at most 8),
            and none for corpora under 200 documents. ``1`` checks in this process.
        stats: if given, receives the cache hit and miss counts of this run.
        engine: ``"local"`` (worker processes on this machine) or ``"dask"`` (tasks on a Dask
            cluster: the one at ``scheduler``, e.g. ``tcp://10.0.0.5:8786``, or a LocalCluster of
            ``workers`` processes, default 2). ``root`` may be a URL such as ``s3://bucket/corpus``;
            the default cache is then off.
        documents: check only these document ids (corpus.json and entities.json are always
            checked); ``None`` checks every document.
        max_issues: list at most this many issues (``Report.omitted`` counts the rest; the
            stats and ``valid`` count them all).

    Example:
        >>> report = validate("tests/data/minimal")  # doctest: +SKIP
        >>> report.valid
        True
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if max_issues is not None and max_issues < 0:
        raise ValueError(f"max_issues must be 0 or more, got {max_issues}")
    make_report([], 0, select, ignore)  # unknown codes are refused before any work
    with open_root(root) as (local, source):
        opened = open_corpus(local)
        if documents is not None:
            opened = opened.only(documents)
        return validate_opened(opened, source, select, ignore, cache, workers, stats, engine, scheduler, max_issues)


def validate_opened(
    opened: OpenedCorpus,
    source: str | Path | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    cache: bool | str | Path = True,
    workers: int | None = None,
    stats: CacheStats | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    max_issues: int | None = None,
) -> Report:
    """:func:`validate` on a corpus already opened with :func:`open_corpus` (``source``: the root as the
    user gave it, a URL for a remote corpus; default ``opened.root``). The build uses it, so that a
    corpus is read once."""
    source = opened.root if source is None else source
    make_report([], 0, select, ignore)
    issues = [*opened.issues, *opened.pass_issues]
    cache_dir = None
    if cache is not False and not (cache is True and is_remote(source)):
        cache_dir = default_cache_dir(opened.root, "validate") if cache is True else Path(cache)
    # the default cache also keeps the files' hashes (in the corpus's own .corpus_cache/)
    index = HashIndex.load(opened.root) if cache is True and cache_dir is not None else None
    run_stats = CacheStats()
    with open_executor(engine, workers, scheduler) as executor:
        for doc_issues in check_documents(
            source, [*opened.docs, *opened.passes], opened.ctx, cache_dir, workers, run_stats, executor, index
        ):
            issues.extend(doc_issues)
    if index is not None:
        index.save()
    if stats is not None:
        stats.add(run_stats)
    return make_report(issues, len(opened.docs), select, ignore).limited(max_issues)


def check_documents(
    root: str | Path,
    docs: Sequence[DocumentPaths],
    ctx: CorpusContext,
    cache_dir: Path | None = None,
    workers: int | None = None,
    stats: CacheStats | None = None,
    executor: Executor | None = None,
    index: HashIndex | None = None,
) -> Iterator[list[Issue]]:
    """Yield the issues of each document of ``docs``, in order, checking chunks in parallel
    (on ``executor``, by default a :class:`~corpus_pkg._pool.LocalPool` of ``workers`` processes).
    With an ``index`` of known file hashes (see :mod:`corpus_pkg._hashindex`), a cached document
    whose files' stat did not change is not even read; the index learns the hashes of the files read."""
    executor = executor or LocalPool(workers)
    if cache_dir:  # a chunk of the validate cache is one work item (see corpus_pkg.validate.cached)
        chunks = plan_chunks(docs)
    else:
        n_workers = executor.parallelism(len(docs))
        chunk = max(16, min(256, len(docs) // (n_workers * 8) or 1))
        chunks = [tuple(docs[i : i + chunk]) for i in range(0, len(docs), chunk)]
    tasks = [ChunkTask(chunk, _known(index, chunk) if index and cache_dir else ()) for chunk in chunks]
    code = validation_code() if cache_dir else ""  # once, so every worker agrees
    settings = ChunkSettings(str(root), str(cache_dir) if cache_dir else None, code, ctx)
    for payloads, chunk_stats, read in executor.map_in_order(Work(check_chunk, settings), tasks, len(docs)):
        if stats is not None:
            stats.add(chunk_stats)
        if index is not None:
            for rel, key, sha in read:
                index.record(rel, key, sha)
        for payload in payloads:
            yield decode_issues(payload)


def _known(index: HashIndex, docs: tuple[DocumentPaths, ...]) -> tuple[tuple[str | None, str | None], ...]:
    return tuple((index.lookup(doc.annotation_file), index.lookup(doc.raw_file)) for doc in docs)


@dataclass(frozen=True)
class ChunkTask:
    """One work item of validation: a chunk of documents, and their files' sha256s when known."""

    docs: tuple[DocumentPaths, ...]
    shas: tuple[tuple[str | None, str | None], ...] = ()


@dataclass(frozen=True)
class ChunkSettings:
    """What a validation worker needs besides its documents."""

    root: str
    cache_dir: str | None
    code: str  # validation_code(), taken once by the caller so every worker agrees on cache keys
    ctx: CorpusContext


def check_chunk(settings: ChunkSettings, task: ChunkTask) -> tuple[list[bytes], CacheStats, list[FileHash]]:
    """``Work.run`` of validation: the issues of each document as JSON bytes, the cache counts and
    the hashes of the files read (documents found in the cache by their known hashes are not read)."""
    checker = DocumentChecker(settings.ctx, settings.code, settings.cache_dir)
    docs = task.docs
    chunk = docs[0].annotation_file if docs else ""  # the chunk's name (see plan_chunks)
    found = [checker.lookup(doc, shas, chunk) if all(shas) else None for doc, shas in zip(docs, task.shas)]
    found += [None] * (len(docs) - len(found))
    files = iter(read_documents(settings.root, [doc for doc, hit in zip(docs, found) if hit is None]))
    read: list[FileHash] = []
    out = []
    for hit in found:
        if hit is None:
            doc_files = next(files)
            shas = file_hashes([doc_files], read)[0] if settings.cache_dir else None  # the cache's keys
            hit = checker.check(doc_files, chunk, shas)[0]
        out.append(hit)
    checker.flush()
    return out, checker.stats, read


def read_documents(root: str, docs: Sequence[DocumentPaths]) -> list[DocumentFiles]:
    """The bytes of each document's files, from a local folder or from a URL (see :mod:`corpus_pkg._storage`)."""
    if not is_remote(root):
        base = local_path(root)
        return [doc.read(base) for doc in docs]
    found = read_files(root, [rel for doc in docs for rel in (doc.annotation_file, doc.raw_file)])
    missing = [doc.annotation_file for doc in docs if doc.annotation_file not in found]
    if missing:
        raise FileNotFoundError(f"{root}: cannot read {', '.join(missing)}")
    return [
        DocumentFiles(
            doc.doc_id, doc.annotation_file, doc.raw_file, found[doc.annotation_file], found.get(doc.raw_file)
        )
        for doc in docs
    ]


def validation_code() -> str:
    """Fingerprint of the validation code, part of every validate cache key."""
    return code_fingerprint(__name__)


def decode_issues(payload: bytes) -> list[Issue]:
    """Issues from the JSON bytes :meth:`DocumentChecker.check` returns."""
    return [] if payload == b"[]" else [Issue.model_validate(item) for item in json.loads(payload)]


def validate_documents(docs: Iterable[DocumentFiles], ctx: CorpusContext) -> list[Issue]:
    """Run the per-document checks on already-read files."""
    out: list[Issue] = []
    for files in docs:
        out.extend(check_document(files, ctx))
    return out


def make_report(
    issues: list[Issue], n_documents: int, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> Report:
    """Filter issues by code and compute validity and counts."""
    unknown = sorted({*(select or ()), *(ignore or ())} - set(CATALOGUE))
    if unknown:
        raise ValueError(f"unknown issue code(s): {', '.join(unknown)}; known: {', '.join(CATALOGUE)}")
    if select:
        keep = set(select)
        issues = [i for i in issues if i.code in keep]
    if ignore:
        drop = set(ignore)
        issues = [i for i in issues if i.code not in drop]
    errors = sum(1 for i in issues if i.severity == "error")
    stats = {"documents": n_documents, "errors": errors, "warnings": len(issues) - errors}
    return Report(valid=errors == 0, stats=stats, issues=issues)
