"""Release shards: runs of documents of one split, each validated, converted and written by one worker.

``build`` cuts every split into shards of ``docs_per_shard`` documents, in document order. A worker
takes a whole shard: it reads each document once, checks it (through the same cache as ``corpus
validate``), turns the parsed annotations into rows of every config and writes one Parquet file
per config straight into the release folder being built. Nothing but small summaries travels back
to the parent process, and both cores encode and compress Parquet at once.

A finished shard (its Parquet files and statistics) is cached under a sha256 of its documents'
bytes, their split, the release schema, the registry names, the row-group size and the package
source. After one
document changes, a rebuild recomputes that document's shard and copies the others from the
cache; the release is byte-identical to a clean build.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from .._cache import CacheStats, ContentCache, cache_key, code_fingerprint
from .._jsonfile import parse_json
from ..corpus import ANNOTATION_SUFFIX, CorpusError
from ..release.card import ReleaseStats, stats_to_json
from ..schema import AnnotationFile, Document
from ..validate import DocumentChecker
from ..validate.checks import CorpusContext, DocumentFiles, DocumentPaths
from .features import Encoder, column_encoders
from .rows import RowContext, document_rows
from .textfree import strip_text

__all__ = (
    "PARQUET_OPTIONS",
    "ShardResult",
    "ShardSettings",
    "ShardTask",
    "plan_shards",
    "run_shards",
    "write_table",
)

#: Parquet writer settings, all explicit so two builds produce the same bytes.
PARQUET_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": False,  # zstd already shrinks repeated values; dictionaries cost time and bytes here
    "write_statistics": True,
    "data_page_version": "1.0",
    "write_page_index": False,
    "store_schema": True,
}

#: Below this many documents, worker processes cost more than they save.
PARALLEL_MIN_DOCS = 200
MAX_WORKERS = 8
_MAGIC = b"corpus-shard-1\n"


@dataclass(frozen=True)
class ShardTask:
    """Documents ``docs`` of ``split``: shard number ``index`` of that split."""

    split: str
    index: int
    docs: tuple[DocumentPaths, ...]
    convert: bool = True  # False: only check the documents (the build already failed elsewhere)

    def partial_name(self, config: str) -> str:
        """Release-relative path of this shard's file of ``config`` until ``build`` names it."""
        return f"data/{config}/.{self.split}-{self.index:05d}.partial"


@dataclass
class ShardResult:
    """What a worker reports back for one shard (the Parquet files are already on disk)."""

    task: ShardTask
    issues: list[bytes]  # per document, JSON (see validate.decode_issues)
    written: bool = False  # False when a document has errors: no rows were written
    rows: dict[str, int] = field(default_factory=dict)  # config -> rows (configs with rows only)
    nbytes: dict[str, int] = field(default_factory=dict)  # config -> Arrow bytes
    stats: dict[str, Any] = field(default_factory=dict)  # ReleaseStats of the shard, as JSON
    shard_cache: CacheStats = field(default_factory=CacheStats)  # counted in documents
    cache_key: str = ""  # the shard's cache entry (read or written), when the cache is on

    @property
    def has_errors(self) -> bool:
        """Whether a document of this shard has an error (then nothing of it was written)."""
        return any(map(_has_errors, self.issues))


@dataclass(frozen=True)
class ShardSettings:
    """Everything a worker needs besides its task (pickled once per worker)."""

    root: str
    release: str  # the temporary release folder files are written into
    features: dict[str, Features]
    row_ctx: RowContext
    check_ctx: CorpusContext
    row_group_size: int
    validate_cache: str | None  # folder, or None for no cache
    shard_cache: str | None
    validate_code: str  # fingerprints of the code, taken once by the parent process
    shard_code: str
    with_text: bool = True  # False: a text-free release (see corpus_pkg.build.textfree)

    @cached_property
    def schemas(self) -> dict[str, pa.Schema]:
        """Arrow schema per config (``Features.arrow_schema`` is rebuilt on every access: cache it)."""
        return {config: feats.arrow_schema for config, feats in self.features.items()}

    def fingerprint(self) -> str:
        """Digest of everything besides the documents that shapes a shard's files."""
        schemas = b"".join(self.schemas[c].serialize().to_pybytes() for c in sorted(self.schemas))
        names = json.dumps(sorted(self.row_ctx.entity_names.items()), ensure_ascii=False)
        layout = f"row_group_size={self.row_group_size} with_text={self.with_text}"
        return cache_key(self.shard_code, self.validate_code, self.check_ctx.fingerprint(), schemas, names, layout)


def plan_shards(docs_by_split: dict[str, list[DocumentPaths]], docs_per_shard: int) -> list[ShardTask]:
    """Cut each split's documents (in order) into shards of about ``docs_per_shard`` documents.

    Where a shard ends depends mostly on the documents' ids, not on their positions: once a shard
    holds just over half of ``docs_per_shard`` documents, it ends after any document whose id
    hashes to 0 modulo half of ``docs_per_shard`` (and at twice ``docs_per_shard`` at the latest).
    Adding or removing a document usually changes its own shard only (about one edit in eight
    also moves the next boundary), so the other shards keep their cache entries. Shards average
    ``docs_per_shard`` documents."""
    if docs_per_shard < 1:
        raise ValueError(f"docs_per_shard must be at least 1, got {docs_per_shard}")
    half = (docs_per_shard + 1) // 2
    least = docs_per_shard - half + 1  # with boundaries 1 in ``half`` after it: a mean of docs_per_shard
    tasks = []
    for split, docs in docs_by_split.items():
        runs: list[list[DocumentPaths]] = [[]]
        for doc in docs:
            run = runs[-1]
            run.append(doc)
            natural = len(run) >= least and _id_hash(doc.doc_id) % half == 0
            if natural or len(run) >= 2 * docs_per_shard:
                runs.append([])
        tasks += [ShardTask(split, i, tuple(run)) for i, run in enumerate(r for r in runs if r)]
    return tasks


def _id_hash(doc_id: str) -> int:
    """A stable hash of a document id (never Python's salted ``hash()``)."""
    return int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "big")


def run_shards(
    settings: ShardSettings, tasks: Sequence[ShardTask], workers: int | None = None
) -> Iterator[ShardResult]:
    """Build every shard, in worker processes when it pays; results come back in task order."""
    n_workers = worker_count(workers, sum(len(t.docs) for t in tasks))
    n_workers = min(n_workers, len(tasks)) or 1
    if n_workers == 1:
        with _fewer_collections():
            shard_builder = _ShardBuilder(settings)
            failed = False
            for task in tasks:
                result = shard_builder.build(replace(task, convert=False) if failed else task)
                failed = failed or result.has_errors
                yield result
        return
    with ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker, initargs=(settings,)) as pool:
        try:
            yield from _in_order(pool, tasks, 2 * n_workers)
        except BaseException:  # an error, Ctrl-C or the caller stopping early: queued shards are not started
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _in_order(pool: ProcessPoolExecutor, tasks: Sequence[ShardTask], window: int) -> Iterator[ShardResult]:
    """Results in task order, with at most ``window`` shards submitted and not yet consumed. Once a
    shard reports an error the build cannot succeed: later shards are only checked, not converted."""
    pending: deque[Future] = deque()
    todo = iter(tasks)
    failed = False

    def submit() -> None:
        task = next(todo, None)
        if task is not None:
            pending.append(pool.submit(_build_in_worker, replace(task, convert=False) if failed else task))

    for _ in range(window):
        submit()
    while pending:
        result = pending.popleft().result()
        failed = failed or result.has_errors
        submit()
        yield result


def worker_count(workers: int | None, n_docs: int) -> int:
    """Processes to use: ``workers`` if given, else one per core (at most 8), none for small corpora."""
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        return workers
    if n_docs < PARALLEL_MIN_DOCS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often: building rows allocates millions of short-lived,
    acyclic objects, and the default thresholds spend about a third of the time scanning them."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


_WORKER: _ShardBuilder | None = None


def _init_worker(settings: ShardSettings) -> None:
    global _WORKER
    gc.freeze()  # the imported modules never become garbage: keep them out of every collection
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    _WORKER = _ShardBuilder(settings)


def _build_in_worker(task: ShardTask) -> ShardResult:
    assert _WORKER is not None
    return _WORKER.build(task)


# --- one shard ---------------------------------------------------------------------------------


class _ShardFailed(Exception):
    """A document of the shard has errors: nothing of the shard is kept."""


class _ShardBuilder:
    """Builds shards for one process: holds the label encoders and the caches."""

    def __init__(self, settings: ShardSettings) -> None:
        self.settings = settings
        self.root = Path(settings.root)
        self.release = Path(settings.release)
        self.context = settings.fingerprint() if settings.shard_cache else ""

    def build(self, task: ShardTask) -> ShardResult:
        """Check the shard's documents and, unless one has errors, write its Parquet files (copied from
        the cache when the shard was built before). Documents are converted as soon as they are checked,
        so a worker holds the shard's file bytes and its pending row groups, not its parsed annotations."""
        settings = self.settings
        checker = DocumentChecker(settings.check_ctx, settings.validate_code, settings.validate_cache)
        result = ShardResult(task, issues=[])
        if not task.convert:
            result.issues = [checker.check(paths.read(self.root))[0] for paths in task.docs]
            return result
        files = [paths.read(self.root) for paths in task.docs]
        cache = ContentCache(settings.shard_cache) if settings.shard_cache else None
        key = ""
        if cache is not None:
            parts = [x for f in files for x in (f.doc_id, f.annotation_bytes, f.raw_bytes)]
            key = result.cache_key = cache_key("build-shard", self.context, task.split, *parts)
            blob = cache.get(key, check=self._blob_ok)
            result.shard_cache.corrupt = cache.stats.corrupt
            if blob is not None:
                result.issues = [checker.check(f)[0] for f in files]
                if not result.has_errors:
                    self._unpack(blob, task, result)
                    result.shard_cache.hits = len(files)
                return result
        self._write(task, files, checker, result)
        if not result.written:
            return result
        result.shard_cache.misses = len(files)
        if cache is not None:
            cache.put(key, self._pack(task, result))
            result.shard_cache.write_errors = cache.stats.write_errors
        return result

    def _write(
        self, task: ShardTask, files: list[DocumentFiles], checker: DocumentChecker, result: ShardResult
    ) -> None:
        """Check each document, then add its rows; after a document with errors, only check the rest."""
        stats = ReleaseStats(splits=[task.split])
        writers = {
            config: _ConfigWriter(
                self.release / task.partial_name(config),
                self.settings.schemas[config],
                column_encoders(features),
                self.settings.row_group_size,
            )
            for config, features in self.settings.features.items()
        }
        ok = True
        try:
            for doc_files in files:
                payload, ann = checker.check(doc_files)
                result.issues.append(payload)
                ok = ok and not _has_errors(payload)
                if not ok:
                    continue
                assert doc_files.raw_bytes is not None and doc_files.annotation_bytes is not None
                if ann is None:  # a validate cache hit: parse again, without the strict reader
                    ann = _parse_annotations(doc_files.annotation_bytes, doc_files.doc_id)
                doc = Document(text=doc_files.raw_bytes.decode("utf-8"), annotations=ann)
                rows = document_rows(doc, self.settings.row_ctx)
                stats.add(doc, rows, task.split)
                if not self.settings.with_text:
                    strip_text(rows)
                for config, config_rows in rows.items():
                    writers[config].add(config_rows)
            if not ok:  # the build fails: drop the rows (the temporary release folder is deleted)
                raise _ShardFailed
            for config, writer in writers.items():
                writer.close()
                if writer.rows:
                    result.rows[config] = writer.rows
                    result.nbytes[config] = writer.nbytes
        except _ShardFailed:
            for writer in writers.values():
                writer.abort()
            return
        except BaseException:
            for writer in writers.values():
                with contextlib.suppress(Exception):  # the original error matters, not follow-ups
                    writer.abort()
            raise
        result.stats = stats_to_json(stats)
        result.written = True

    def _pack(self, task: ShardTask, result: ShardResult) -> bytes:
        """The shard's files and summary as one cache value."""
        bodies = [(self.release / task.partial_name(config)).read_bytes() for config in result.rows]
        header = {
            "rows": result.rows,
            "nbytes": result.nbytes,
            "stats": result.stats,
            "sizes": [len(body) for body in bodies],
        }
        head = orjson.dumps(header)
        return b"".join([_MAGIC, len(head).to_bytes(8, "little"), head, *bodies])

    def _blob_ok(self, blob: bytes) -> bool:
        """Structural check of a cached shard (its checksum was already verified by the cache)."""
        try:
            _read_header(blob, self.settings.features)
        except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
            return False
        return True

    def _unpack(self, blob: bytes, task: ShardTask, result: ShardResult) -> None:
        header, start = _read_header(blob, self.settings.features)
        for config, size in zip(header["rows"], header["sizes"]):
            path = self.release / task.partial_name(config)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob[start : start + size])
            start += size
        result.rows, result.nbytes, result.stats = header["rows"], header["nbytes"], header["stats"]
        result.written = True


def _read_header(blob: bytes, configs: Collection[str]) -> tuple[dict[str, Any], int]:
    """Header of a cached shard and the offset of its first file. The header names files that will
    be written into the release, so anything unexpected in it (say, a forged entry) is refused."""
    if not blob.startswith(_MAGIC):
        raise ValueError("not a shard blob")
    pos = len(_MAGIC)
    size = int.from_bytes(blob[pos : pos + 8], "little")
    header = orjson.loads(blob[pos + 8 : pos + 8 + size])
    start = pos + 8 + size
    rows, nbytes, sizes = header["rows"], header["nbytes"], header["sizes"]
    if not (
        isinstance(rows, dict)
        and isinstance(nbytes, dict)
        and isinstance(sizes, list)
        and list(rows) == list(nbytes)
        and set(rows) <= set(configs)
        and len(sizes) == len(rows)
        and all(type(n) is int and n > 0 for n in [*rows.values(), *nbytes.values(), *sizes])
        and isinstance(header["stats"], dict)
    ):
        raise ValueError("shard blob header is malformed")
    if start + sum(sizes) != len(blob):
        raise ValueError("shard blob has the wrong length")
    offset = start
    for length in sizes:  # each body is a whole Parquet file
        first, last = blob[offset : offset + 4], blob[offset + length - 4 : offset + length]
        if length < 8 or first != b"PAR1" or last != b"PAR1":
            raise ValueError("shard blob holds something that is not a Parquet file")
        offset += length
    return header, start


def _has_errors(payload: bytes) -> bool:
    return payload != b"[]" and any(issue["severity"] == "error" for issue in json.loads(payload))


def _parse_annotations(data: bytes, doc_id: str) -> AnnotationFile:
    """The annotation file of an already validated document (fast path: orjson)."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:  # e.g. integers beyond 64 bits: use the strict reader
        value = parse_json(data).value
    try:
        return AnnotationFile.model_validate(value)
    except ValueError as exc:
        raise CorpusError(f"annotations/{doc_id}{ANNOTATION_SUFFIX}: {exc}") from None


class _ConfigWriter:
    """Rows of one config of one shard -> a Parquet file of row groups of exactly ``row_group_size`` rows.

    Rows arrive as dicts with label names. Every ``BATCH_ROWS`` of them are turned into Arrow
    column by column (labels encoded on the way): far faster than converting row by row, and
    the dicts do not pile up. The file is created on the first row group, so a config without
    rows in this shard writes nothing."""

    BATCH_ROWS = 256

    def __init__(self, path: Path, schema: pa.Schema, encoders: dict[str, Encoder | None], row_group_size: int) -> None:
        self.path = path
        self.schema = schema
        self.columns = [(name, encoders[name], schema.field(name).type) for name in schema.names]
        self.row_group_size = row_group_size
        self.pending: list[dict[str, Any]] = []  # rows not converted yet
        self.batches: list[pa.RecordBatch] = []  # converted rows not written yet
        self.buffered = 0
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0
        self.nbytes = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Queue rows; every full row group is written at once."""
        self.pending.extend(rows)
        if len(self.pending) >= self.BATCH_ROWS:
            self._convert()

    def close(self) -> None:
        """Write what is left as a last, shorter row group, and close the file."""
        try:
            if self.pending:
                self._convert()
            if self.buffered:
                self._write_group(self.buffered)
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop rows not written yet and close the file (it is then incomplete: callers delete it)."""
        self.pending, self.batches, self.buffered = [], [], 0
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.close()

    def _convert(self) -> None:
        rows, self.pending = self.pending, []
        arrays = []
        for name, encode, type_ in self.columns:
            values = [row.get(name) for row in rows]
            if encode is not None:
                try:
                    values = [encode(value) for value in values]
                except ValueError:
                    self._raise_encoding_error(rows, name, encode)
            arrays.append(pa.array(values, type=type_))
        self.batches.append(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
        self.buffered += len(rows)
        while self.buffered >= self.row_group_size:
            self._write_group(self.row_group_size)

    def _raise_encoding_error(self, rows: list[dict[str, Any]], column: str, encode: Encoder) -> None:
        """Name the document whose row holds a label the release does not declare (validation
        rejects such labels first; this is a safety net)."""
        for row in rows:
            try:
                encode(row.get(column))
            except ValueError as exc:
                where = f"annotations/{row.get('doc_id')}{ANNOTATION_SUFFIX}"
                raise CorpusError(f"{where}: {self.path.parent.name} column {column!r}: {exc}") from None
        raise AssertionError("unreachable: a value failed to encode in bulk but not alone")

    def _write_group(self, n: int) -> None:
        """Write the first ``n`` buffered rows as one row group (one contiguous table, so the bytes do
        not depend on how rows were batched)."""
        table = pa.Table.from_batches(self.batches, schema=self.schema)
        group, rest = table.slice(0, n).combine_chunks(), table.slice(n)
        self.batches = [batch for batch in rest.to_batches() if batch.num_rows]
        self.buffered = rest.num_rows
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema, **PARQUET_OPTIONS)
        self.writer.write_table(group, row_group_size=n)
        self.rows += n
        self.nbytes += group.nbytes


def write_table(path: Path, features: Features, rows: list[dict[str, Any]], row_group_size: int) -> int:
    """Write ``rows`` (label names) as one Parquet file of ``features``, as shards are written; returns
    the Arrow bytes (for the card's ``dataset_size``). For small corpus-level tables (the registry)."""
    schema = features.arrow_schema
    writer = _ConfigWriter(path, schema, column_encoders(features), row_group_size)
    writer.add(rows)
    writer.close()
    return writer.nbytes


def shard_code() -> str:
    """Fingerprint of the code that computes a shard's files."""
    return code_fingerprint(__name__)
