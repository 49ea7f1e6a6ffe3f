"""One shard, start to finish, in whichever process runs it: read its documents, check each
(through the same cache as ``corpus validate``), turn the parsed annotations into rows of every
config and write one Parquet file per config into the release folder being built. Only a small
:class:`ShardResult` goes back to the caller.

A finished shard (its Parquet files and statistics) is cached under a sha256 of its documents'
bytes, their split, the release schema, the registry names, the row-group size and this code
(see :mod:`corpus_pkg.tables.shard_cache`). After one document changes, a rebuild recomputes that
document's shard and copies the others from the cache; the release is byte-identical to a clean
build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
from datasets import Features

from .._cache import CacheStats, ContentCache, cache_key, code_fingerprint
from .._jsonfile import parse_json
from .._pool import collections_paused
from .._storage import is_remote, join, local_path, open_url
from ..corpus import ANNOTATION_SUFFIX, CorpusError
from ..schema import AnnotationFile
from ..validate import DocumentChecker, read_documents
from ..validate.cached import file_hashes
from ..validate.checks import CorpusContext, DocumentFiles
from ..validate.fast_model import FAST_VALIDATOR
from . import shard_cache
from .batch import DocumentBatch, GoldDocument
from .columns import column_builders
from .ner import NerBuilder
from .parquet import ConfigWriter
from .plan import ShardTask
from .rows import RowContext
from .stats import ReleaseStats, stats_to_json
from .textfree import strip_text_batch

__all__ = ("ShardBuilder", "ShardResult", "ShardSettings", "build_shard", "shard_code")


@dataclass
class ShardResult:
    """What a worker reports back for one shard (the Parquet files are already written)."""

    task: ShardTask
    issues: list[bytes]  # per document, JSON (see validate.decode_issues)
    written: bool = False  # False when a document has errors: no rows were written
    rows: dict[str, int] = field(default_factory=dict)  # config -> rows (configs with rows only)
    nbytes: dict[str, int] = field(default_factory=dict)  # config -> Arrow bytes
    stats: dict[str, Any] = field(default_factory=dict)  # ReleaseStats of the shard, as JSON
    shard_cache: CacheStats = field(default_factory=CacheStats)  # counted in documents
    cache_key: str = ""  # the shard's cache entry (read or written), when the cache is on
    files: dict[str, tuple[int, str]] = field(default_factory=dict)  # config -> (bytes, sha256) of its file
    #: (path, stat key, sha256) of each input file this worker read (the build records them, and
    #: needs not read the files again for the release's inputs digest)
    read: list[tuple[str, tuple[int, int, int, int] | None, str]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """Whether a document of this shard has an error (then nothing of it was written)."""
        return any(map(_has_errors, self.issues))


@dataclass(frozen=True)
class ShardSettings:
    """Everything a worker needs besides its task (pickled once per worker)."""

    root: str  # corpus folder or URL documents are read from
    release: str  # the temporary release folder (or URL prefix) files are written into
    features: dict[str, Features]
    row_ctx: RowContext
    check_ctx: CorpusContext
    row_group_size: int
    validate_cache: str | None  # folder, or None for no cache
    shard_cache: str | None
    validate_code: str  # fingerprints of the code, taken once by the parent process
    shard_code: str
    with_text: bool = True  # False: a text-free release (see corpus_pkg.tables.textfree)

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


#: Documents whose ``ner`` rows are made together (one record batch; see corpus_pkg.tables.ner), and
#: fewer when their texts reach NER_CHARS: the tokenizer holds about 30 bytes per code point of a
#: batch (so about 0.5 GB at 16M code points; a typical batch of 128 articles has under 1M).
NER_DOCS = 128
NER_CHARS = 1 << 24


class _ShardFailed(Exception):
    """A document of the shard has errors: nothing of the shard is kept."""


class ShardBuilder:
    """Builds shards for one process: holds the label encoders and the caches."""

    def __init__(self, settings: ShardSettings) -> None:
        self.settings = settings
        self.remote = is_remote(settings.release)
        self.release = local_path(settings.release)  # unused for a remote release
        self.context = settings.fingerprint() if settings.shard_cache else ""

    def build(self, task: ShardTask) -> ShardResult:
        """Check the shard's documents and, unless one has errors, write its Parquet files (copied from
        the cache when the shard was built before) into the release being built. A remote release's
        files are written to a local temporary folder first, then uploaded."""
        if not self.remote:
            return self._build(task, self.release)
        fs, base = open_url(self.settings.release)
        with tempfile.TemporaryDirectory(prefix="corpus-shard-") as tmp:
            result = self._build(task, Path(tmp))
            for config in result.rows:
                fs.put_file(str(Path(tmp) / task.partial_name(config)), join(base, task.partial_name(config)))
        return result

    def _build(self, task: ShardTask, into: Path) -> ShardResult:
        """Documents are converted soon after they are checked (NER_DOCS at a time), so a worker holds
        the shard's file bytes, its pending row groups and at most NER_DOCS parsed documents."""
        settings = self.settings
        # validate cache entries are read here; the build writes them (whole chunks: see
        # corpus_pkg.validate.cached.save_issues) from the issues the shards report
        checker = DocumentChecker(settings.check_ctx, settings.validate_code, settings.validate_cache)
        result = ShardResult(task, issues=[])
        cache = ContentCache(settings.shard_cache) if settings.shard_cache and task.convert else None
        if cache is not None and task.hashes and self._cached(cache, task, task.hashes, result, into):
            return result  # found by the files' known sha256s: nothing was read
        files = read_documents(settings.root, task.docs)
        hashes = tuple(file_hashes(files, result.read))
        checker.chunks = dict(zip((d.annotation_file for d in task.docs), task.chunks))
        checker.shas = dict(zip((d.annotation_file for d in task.docs), hashes))
        if not task.convert:
            result.issues = [checker.check(f)[0] for f in files]
            return result
        key = self._key(task, hashes) if cache is not None else ""
        if key and key != result.cache_key and self._cached(cache, task, hashes, result, into):  # type: ignore[arg-type]
            return result  # e.g. a file touched but not changed
        result.cache_key = key
        self._write(task, files, checker, result, into)
        if not result.written:
            return result
        result.shard_cache.misses = len(files)
        bodies = {config: (into / task.partial_name(config)).read_bytes() for config in result.rows}
        result.files = {config: _facts(body) for config, body in bodies.items()}
        if cache is not None:
            digests = {config: sha for config, (_size, sha) in result.files.items()}
            shard = shard_cache.CachedShard(result.rows, result.nbytes, result.stats, bodies, result.issues, digests)
            cache.put(key, shard_cache.pack(shard))
            result.shard_cache.write_errors = cache.stats.write_errors
        return result

    def _write(
        self, task: ShardTask, files: list[DocumentFiles], checker: DocumentChecker, result: ShardResult, into: Path
    ) -> None:
        """Check each document, and add the rows of every NER_DOCS checked documents (the ``ner`` rows of
        all of them at once, then each other config column by column); after a document with errors,
        only check the rest."""
        stats = ReleaseStats(splits=[task.split])
        text_free = not self.settings.with_text  # every copy of the text taken out of the converted rows
        writers = {
            config: ConfigWriter(
                into / task.partial_name(config),
                self.settings.schemas[config],
                column_builders(features, self.settings.schemas[config]),
                self.settings.row_group_size,
                partial(strip_text_batch, config, features=features) if text_free else None,
            )
            for config, features in self.settings.features.items()
        }
        ner = NerBuilder(self.settings.features["ner"], self.settings.schemas["ner"], self.settings.with_text)
        batch = _Batch(DocumentBatch(self.settings.row_ctx), ner, writers, stats, task.split)
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
                batch.add(GoldDocument.of(doc_files.raw_bytes.decode("utf-8"), ann))
            if not ok:  # the build fails: drop the rows (the temporary release folder is deleted)
                raise _ShardFailed
            batch.flush()
            for ner_batch in ner.finish():
                writers["ner"].add_batch(ner_batch)
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

    def _key(self, task: ShardTask, hashes: tuple[tuple[str | None, str | None], ...]) -> str:
        """The shard's cache key: its documents' ids and files' sha256s, its split, the settings."""
        parts = [x for doc, (ann, raw) in zip(task.docs, hashes) for x in (doc.doc_id, ann, raw)]
        return cache_key("build-shard", self.context, task.split, *parts)

    def _cached(self, cache: ContentCache, task: ShardTask, hashes: tuple, result: ShardResult, into: Path) -> bool:
        """Copy the shard from the cache when it holds it (only shards without errors are cached)."""
        key = result.cache_key = self._key(task, hashes)
        blob = cache.get(key, check=lambda blob: self._blob_ok(blob, len(task.docs)))
        result.shard_cache.corrupt = cache.stats.corrupt
        if blob is None:
            return False
        self._unpack(blob, task, result, into)
        result.shard_cache.hits = len(task.docs)
        return True

    def _blob_ok(self, blob: bytes, n_docs: int) -> bool:
        return shard_cache.is_valid(blob, self.settings.features, n_docs)

    def _unpack(self, blob: bytes, task: ShardTask, result: ShardResult, into: Path) -> None:
        shard = shard_cache.unpack(blob, self.settings.features)
        for config, body in shard.files.items():
            path = into / task.partial_name(config)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        result.rows, result.nbytes, result.stats, result.issues = shard.rows, shard.nbytes, shard.stats, shard.issues
        result.files = {config: (len(body), shard.digests[config]) for config, body in shard.files.items()}
        result.written = True


@dataclass
class _Batch:
    """Checked documents waiting to be converted: every ``NER_DOCS`` of them (fewer when their texts
    reach ``NER_CHARS``) become the rows of each config, ``ner`` first (it finds the mentions NER skips,
    which the ``documents`` rows list)."""

    docs: DocumentBatch
    ner: NerBuilder
    writers: dict[str, ConfigWriter]
    stats: ReleaseStats
    split: str
    chars: int = 0

    def add(self, doc: GoldDocument) -> None:
        self.docs.add(doc)
        self.chars += len(doc.text)
        if len(self.docs) >= NER_DOCS or self.chars >= NER_CHARS:
            self.flush()

    def flush(self) -> None:
        if not len(self.docs):
            return
        chunk = self.ner.build(self.docs.docs)  # type: ignore[arg-type]  # GoldDocument reads as a Document
        for doc, skipped in zip(self.docs.docs, chunk.skipped):
            doc.skipped = skipped
        for batch in self.ner.batches(chunk):
            self.writers["ner"].add_batch(batch)
        for config, (columns, doc_rows) in self.docs.columns().items():
            self.writers[config].add_columns(columns, doc_rows)
        self.docs.count(self.stats, self.split, sum(chunk.paragraphs), sum(chunk.tokens))
        self.docs.clear()
        self.chars = 0


def build_shard(builder: ShardBuilder, task: ShardTask) -> ShardResult:
    """``Work.run`` of a build: one shard with a worker's builder (no cyclic garbage collection meanwhile)."""
    with collections_paused():
        return builder.build(task)


def _facts(body: bytes) -> tuple[int, str]:
    return len(body), hashlib.sha256(body).hexdigest()


def _has_errors(payload: bytes) -> bool:
    return payload != b"[]" and any(issue["severity"] == "error" for issue in json.loads(payload))


def _parse_annotations(data: bytes, doc_id: str) -> AnnotationFile:
    """The annotation file of a document whose bytes were validated before (a validate cache hit):
    pydantic's JSON parser without the per-span Python check (those spans passed it), or, for what
    that parser refuses (e.g. integers beyond 64 bits), orjson or the strict reader and the models."""
    with contextlib.suppress(ValueError):
        return FAST_VALIDATOR.validate_json(data)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:  # e.g. integers beyond 64 bits: use the strict reader
        value = parse_json(data).value
    try:
        return AnnotationFile.model_validate(value)
    except ValueError as exc:
        raise CorpusError(f"annotations/{doc_id}{ANNOTATION_SUFFIX}: {exc}") from None


def shard_code() -> str:
    """Fingerprint of the code that computes a shard's files."""
    return code_fingerprint(__name__)
