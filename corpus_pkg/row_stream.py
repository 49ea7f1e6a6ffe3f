"""Per-document release rows as Arrow record batches: computed in parallel, cached by content hash.

``build`` streams documents through :func:`iter_document_rows`, which yields, in document order,
each document's rows of every config as an Arrow ``RecordBatch`` (labels already encoded) and its
contribution to the release statistics. Work is split in chunks of documents across worker
processes, with a bounded number of chunks in flight so memory does not grow with the corpus.

Each document's result is cached (see :mod:`corpus_pkg.cache`) under a sha256 of its annotation
and raw bytes, its split, the release schema, the registry names the rows show and the package
source. After one document changes, a rebuild recomputes that document only; every other one is
read back from the cache, so the release is byte-identical to a clean build.
"""

from __future__ import annotations

import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
from datasets import ClassLabel, Features, LargeList, List

from ._jsonfile import parse_json
from .cache import CacheStats, ContentCache, cache_key, code_fingerprint
from .card import ReleaseStats
from .corpus import ANNOTATION_SUFFIX, ANNOTATIONS_DIR, RAW_DIR, RAW_SUFFIX, CorpusError
from .rows import RowContext, document_rows
from .schema import AnnotationFile, Document

__all__ = ("DocumentRows", "compile_encoder", "iter_document_rows", "merge_stats", "stats_to_json")

#: Below this many documents, worker processes cost more than they save.
PARALLEL_MIN_DOCS = 200
MAX_WORKERS = 8
_MAGIC = b"corpus-rows-2\n"

Encoder = Callable[[Any], Any]


@dataclass
class DocumentRows:
    """One document's share of the release."""

    doc_id: str
    split: str
    batches: dict[str, pa.RecordBatch]  # config -> rows (configs without rows are absent)
    stats: dict[str, Any]  # ReleaseStats of this document alone, as JSON (see stats_to_json)


@dataclass(frozen=True)
class _Settings:
    root: str
    features: dict[str, Features]
    row_ctx: RowContext
    cache_dir: str | None
    code: str  # fingerprint of the code computing rows, taken once by the parent process

    @cached_property
    def schemas(self) -> dict[str, pa.Schema]:
        """Arrow schema per config (``Features.arrow_schema`` is rebuilt on every access: cache it)."""
        return {config: feats.arrow_schema for config, feats in self.features.items()}

    def fingerprint(self) -> str:
        """Digest of everything besides the document that shapes its rows."""
        schemas = b"".join(self.schemas[c].serialize().to_pybytes() for c in sorted(self.schemas))
        names = json.dumps(sorted(self.row_ctx.entity_names.items()), ensure_ascii=False)
        return cache_key(self.code, schemas, names)


# --- label encoding ------------------------------------------------------------------------------


def compile_encoder(features: Features) -> Encoder:
    """A fast equivalent of :func:`corpus_pkg.features.encode_row` for one config's features: the
    walk over the feature tree is done once, and leaves without labels are passed through."""
    encoder = _compile(features)
    assert encoder is not None
    return encoder


def _compile(feature: Any) -> Encoder | None:
    """An encoder for values of ``feature``, or None when values pass through unchanged."""
    if isinstance(feature, dict):
        parts = tuple((key, _compile(sub)) for key, sub in feature.items())

        def encode_dict(value: Any) -> Any:
            if value is None:
                return None
            return {key: (value.get(key) if enc is None else enc(value.get(key))) for key, enc in parts}

        return encode_dict
    if isinstance(feature, (List, LargeList)):
        inner = _compile(feature.feature)
        if inner is None:
            return None

        def encode_list(value: Any) -> Any:
            return None if value is None else [inner(item) for item in value]

        return encode_list
    if isinstance(feature, ClassLabel):
        index = {name: i for i, name in enumerate(feature.names)}
        names = feature.names

        def encode_label(value: Any) -> Any:
            if value is None or isinstance(value, int):
                return value
            try:
                return index[value]
            except (KeyError, TypeError):
                raise ValueError(f"{value!r} is not one of the declared labels {names}") from None

        return encode_label
    return None


# --- statistics: one document's ReleaseStats as JSON, merged in document order ----------------


def stats_to_json(stats: ReleaseStats) -> dict[str, Any]:
    """JSON-safe form of a ReleaseStats (tuples become lists, sets sorted lists)."""
    out: dict[str, Any] = {}
    for f in fields(stats):
        value = getattr(stats, f.name)
        if f.name == "splits":
            continue
        if isinstance(value, Counter):
            out[f.name] = ["counter", [[_key_out(k), n] for k, n in value.items()]]
        elif isinstance(value, dict):
            inner = {k: v for k, v in value.items()}
            if all(isinstance(v, Counter) for v in inner.values()):
                out[f.name] = ["counters", {k: [[_key_out(x), n] for x, n in v.items()] for k, v in inner.items()}]
            elif all(isinstance(v, set) for v in inner.values()):
                out[f.name] = ["sets", {k: sorted(v) for k, v in inner.items()}]
            else:
                raise TypeError(f"ReleaseStats.{f.name}: cannot serialise {value!r}")
        elif isinstance(value, list):
            out[f.name] = ["list", [_key_out(v) for v in value]]
        elif isinstance(value, int):
            out[f.name] = ["int", value]
        else:
            raise TypeError(f"ReleaseStats.{f.name}: cannot serialise {type(value).__name__}")
    return out


def merge_stats(into: ReleaseStats, part: dict[str, Any]) -> None:
    """Add one document's statistics (from :func:`stats_to_json`) to ``into``.

    Merging the documents in order gives exactly what calling ``into.add`` on each would, key
    order of every counter included."""
    for name, (kind, value) in part.items():
        current = getattr(into, name)
        if kind == "counter":
            for key, n in value:
                current[_key_in(key)] += n
        elif kind == "counters":
            for key, pairs in value.items():
                for inner, n in pairs:
                    current[key][_key_in(inner)] += n
        elif kind == "sets":
            for key, items in value.items():
                current[key].update(items)
        elif kind == "list" and name == "dates":
            if value:
                lo, hi = value
                setattr(into, name, [min(lo, current[0]), max(hi, current[1])] if current else [lo, hi])
        elif kind == "list":
            current.extend(_key_in(v) for v in value)
        elif kind == "int":
            setattr(into, name, current + value)
        else:
            raise TypeError(f"unknown statistics entry {name!r} of kind {kind!r}")


def _key_out(key: Any) -> Any:
    return list(key) if isinstance(key, tuple) else key


def _key_in(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


# --- one document -> blob (the cached unit) -------------------------------------------------------


def _document_blob(
    settings: _Settings, encoders: dict[str, Encoder], doc_id: str, split: str, ann: bytes, raw: bytes
) -> bytes:
    """Rows and statistics of one document, serialised (pure function of its arguments)."""
    doc = Document(text=raw.decode("utf-8"), annotations=_parse_annotations(ann, doc_id))
    rows = document_rows(doc, settings.row_ctx)
    part = ReleaseStats(splits=[split])
    part.add(doc, rows, split)
    header: dict[str, Any] = {"stats": stats_to_json(part), "batches": []}
    bodies = []
    for config, config_rows in rows.items():
        if not config_rows:
            continue
        encode = encoders[config]
        try:
            encoded = [encode(row) for row in config_rows]
        except ValueError as exc:
            raise CorpusError(f"document {doc_id!r}, config {config!r}: {exc}") from None
        batch = pa.RecordBatch.from_pylist(encoded, schema=settings.schemas[config])
        body = batch.serialize().to_pybytes()
        header["batches"].append([config, len(body)])
        bodies.append(body)
    head = orjson.dumps(header)
    blob = b"".join([len(head).to_bytes(8, "little"), head, *bodies])
    # lz4: about 3x smaller cache and pipe traffic for ~0.1 ms per document
    return _MAGIC + len(blob).to_bytes(8, "little") + pa.compress(blob, codec="lz4", asbytes=True)


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


def _unpack_blob(blob: bytes) -> tuple[pa.Buffer, dict[str, Any], int]:
    """Decompressed body, header and the offset of the first batch in the body."""
    if not blob.startswith(_MAGIC):
        raise ValueError("not a rows blob")
    pos = len(_MAGIC)
    size = int.from_bytes(blob[pos : pos + 8], "little")
    body = pa.decompress(blob[pos + 8 :], decompressed_size=size, codec="lz4")
    head_size = int.from_bytes(body.slice(0, 8).to_pybytes(), "little")
    header = orjson.loads(body.slice(8, head_size).to_pybytes())
    start = 8 + head_size
    if start + sum(length for _, length in header["batches"]) != size:
        raise ValueError("rows blob has the wrong length")
    return body, header, start


def _read_blob(blob: bytes, schemas: dict[str, pa.Schema]) -> tuple[dict[str, pa.RecordBatch], dict[str, Any]]:
    body, header, pos = _unpack_blob(blob)
    batches = {}
    for config, length in header["batches"]:
        batches[config] = pa.ipc.read_record_batch(body.slice(pos, length), schemas[config])
        pos += length
    return batches, header["stats"]


def _blob_ok(blob: bytes) -> bool:
    """Structural check of a cached blob (its checksum was already verified by the cache)."""
    try:
        _unpack_blob(blob)
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError, pa.ArrowException):
        return False
    return True


# --- chunks of documents, inline or in worker processes ------------------------------------------

_WORKER: tuple[_Settings, dict[str, Encoder], str] | None = None


def _prepare(settings: _Settings) -> tuple[_Settings, dict[str, Encoder], str]:
    encoders = {config: compile_encoder(feats) for config, feats in settings.features.items()}
    return settings, encoders, settings.fingerprint() if settings.cache_dir else ""


def _init_worker(settings: _Settings) -> None:
    global _WORKER
    _WORKER = _prepare(settings)


def _chunk_in_worker(docs: list[tuple[str, str]]) -> tuple[list[bytes], CacheStats]:
    assert _WORKER is not None
    return _rows_chunk(*_WORKER, docs)


def _rows_chunk(
    settings: _Settings, encoders: dict[str, Encoder], context: str, docs: list[tuple[str, str]]
) -> tuple[list[bytes], CacheStats]:
    """Blobs of ``docs`` ((doc_id, split) pairs), from the cache where possible."""
    root = Path(settings.root)
    cache = ContentCache(settings.cache_dir) if settings.cache_dir else None
    out = []
    for doc_id, split in docs:
        ann = (root / ANNOTATIONS_DIR / f"{doc_id}{ANNOTATION_SUFFIX}").read_bytes()
        raw = (root / RAW_DIR / f"{doc_id}{RAW_SUFFIX}").read_bytes()
        if cache is not None:
            key = cache_key("build-rows", context, doc_id, split, ann, raw)
            blob = cache.get(key, check=_blob_ok)
            if blob is None:
                blob = _document_blob(settings, encoders, doc_id, split, ann, raw)
                cache.put(key, blob)
        else:
            blob = _document_blob(settings, encoders, doc_id, split, ann, raw)
        out.append(blob)
    return out, cache.stats if cache is not None else CacheStats(misses=len(docs))


def iter_document_rows(
    root: str | Path,
    docs: Sequence[tuple[str, str]],
    features: dict[str, Features],
    row_ctx: RowContext,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    stats: CacheStats | None = None,
) -> Iterator[DocumentRows]:
    """Rows of each ``(doc_id, split)`` in ``docs``, in that order.

    Args:
        root: corpus folder (documents must have passed validation).
        docs: documents and the split each goes to.
        features: release features per config (they fix the Arrow schemas and label codes).
        row_ctx: registry names shown in rows.
        cache_dir: folder of the rows cache, or None to compute every document.
        workers: processes computing rows (default: one per core, none under 200 documents).
        stats: if given, receives the cache hit and miss counts.
    """
    code = code_fingerprint(__name__) if cache_dir else ""
    settings = _Settings(str(root), features, row_ctx, str(cache_dir) if cache_dir else None, code)
    schemas = settings.schemas
    n_workers = _worker_count(workers, len(docs))
    chunk = max(8, min(64, len(docs) // (n_workers * 8) or 1))
    chunks = [list(docs[i : i + chunk]) for i in range(0, len(docs), chunk)]
    if n_workers == 1:
        prepared = _prepare(settings)
        results: Iterator[tuple[list[bytes], CacheStats]] = (_rows_chunk(*prepared, c) for c in chunks)
        yield from _unpack(chunks, results, schemas, stats)
        return
    with ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from _unpack(chunks, _bounded_map(pool, chunks, 2 * n_workers), schemas, stats)


def _bounded_map(
    pool: ProcessPoolExecutor, chunks: list[list[tuple[str, str]]], window: int
) -> Iterator[tuple[list[bytes], CacheStats]]:
    """Like ``pool.map`` in order, but with at most ``window`` chunks submitted and not yet consumed,
    so finished results never pile up faster than the caller writes them."""
    pending: deque[Future] = deque()
    todo = iter(chunks)
    for chunk in todo:
        pending.append(pool.submit(_chunk_in_worker, chunk))
        if len(pending) >= window:
            break
    while pending:
        result = pending.popleft().result()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(pool.submit(_chunk_in_worker, nxt))
        yield result


def _unpack(
    chunks: list[list[tuple[str, str]]],
    results: Iterator[tuple[list[bytes], CacheStats]],
    schemas: dict[str, pa.Schema],
    stats: CacheStats | None,
) -> Iterator[DocumentRows]:
    for chunk, (blobs, chunk_stats) in zip(chunks, results):
        if stats is not None:
            stats.add(chunk_stats)
        for (doc_id, split), blob in zip(chunk, blobs):
            batches, doc_stats = _read_blob(blob, schemas)
            yield DocumentRows(doc_id, split, batches, doc_stats)


def _worker_count(workers: int | None, n_docs: int) -> int:
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        return workers
    if n_docs < PARALLEL_MIN_DOCS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))
