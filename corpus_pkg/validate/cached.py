"""The validate cache: each document's issues, kept in one cache entry per chunk of documents.

A document's issues are stored under a key over its id, its files' paths and sha256s, the corpus
context and the validation code (:meth:`DocumentChecker.doc_key`), so an entry is never stale.
Entries are grouped by chunk (:func:`plan_chunks`: runs of about :data:`CHUNK_DOCS` documents of one
folder whose ends depend on the document ids), and each chunk is one
:class:`~corpus_pkg._cache.ContentCache` value named after its first document: one small file
costs about as much to write as checking a document, so 64 documents share one. After one document
changed, its chunk is read, that document alone is checked again and the chunk is rewritten.

The chunk value is one line per document, ``<key> <annotation file> <issues as JSON>``; a newer
entry of a document replaces its older one. A damaged chunk fails the
cache's checksum and is ignored (its documents are checked again and it is rewritten); two
processes writing the same chunk at once each write a whole, correct chunk (the last one stays).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from .._cache import CacheStats, ContentCache, cache_key
from .._runs import cut_runs
from ..schema import AnnotationFile
from .checks import DocumentFiles, DocumentPaths, check_document_model
from .context import CorpusContext

__all__ = ("CHUNK_DOCS", "DocumentChecker", "FileHash", "chunk_names", "file_hashes", "plan_chunks", "save_issues")

#: Documents per chunk of the validate cache, on average.
CHUNK_DOCS = 64
#: A document's entry in a chunk: its cache key and its issues as JSON.
_Entry = tuple[str, bytes]


def plan_chunks(docs: Sequence[DocumentPaths], size: int | None = None) -> list[tuple[DocumentPaths, ...]]:
    """Cut ``docs`` (in order) into chunks of about ``size`` (default :data:`CHUNK_DOCS`) documents;
    a chunk never mixes folders (gold annotations and each annotator's pass are cut separately)."""
    size = size or CHUNK_DOCS
    chunks: list[tuple[DocumentPaths, ...]] = []
    start = 0
    for end in range(1, len(docs) + 1):
        if end == len(docs) or _folder(docs[end]) != _folder(docs[start]):
            group = docs[start:end]
            chunks += [tuple(group[run.start : run.stop]) for run in cut_runs([d.doc_id for d in group], size)]
            start = end
    return chunks


def chunk_names(docs: Sequence[DocumentPaths]) -> dict[str, str]:
    """The chunk of each document of ``docs``: annotation file -> the name of its chunk (the
    annotation file of the chunk's first document)."""
    return {doc.annotation_file: chunk[0].annotation_file for chunk in plan_chunks(docs) for doc in chunk}


def _folder(doc: DocumentPaths) -> str:
    return doc.annotation_file.rpartition("/")[0]


class DocumentChecker:
    """Checks documents one at a time, through the validate cache when ``cache_dir`` is given.

    ``code`` is the validation code's fingerprint, taken once by the parent process (so that every
    worker agrees on cache keys). ``validate`` checks a chunk per work item and :meth:`flush` writes
    it. A build's workers use the same checker to read what ``validate`` cached; the build then
    writes the chunks holding the documents it checked (:func:`save_issues`)."""

    def __init__(self, ctx: CorpusContext, code: str, cache_dir: str | Path | None) -> None:
        self.ctx = ctx
        self.cache = ContentCache(cache_dir) if cache_dir else None
        self.context = cache_key(code, ctx.fingerprint()) if self.cache else ""
        # chunk -> annotation file -> (key, issues): the entries as read, and those of documents seen now
        self._stored: dict[str, dict[str, _Entry]] = {}
        self._seen: dict[str, dict[str, _Entry]] = {}
        self._changed: set[str] = set()  # chunks with a document checked afresh
        self.hits = self.misses = 0
        #: where :meth:`check` finds a document's chunk and files' sha256s when not given (by annotation file)
        self.chunks: dict[str, str] = {}
        self.shas: dict[str, tuple[str | None, str | None]] = {}

    @property
    def stats(self) -> CacheStats:
        """Documents served from the cache and checked afresh; damaged chunks; failed writes."""
        cache = self.cache.stats if self.cache is not None else CacheStats()
        return CacheStats(self.hits, self.misses, cache.corrupt, cache.write_errors)

    def doc_key(
        self, files: DocumentFiles | DocumentPaths, shas: tuple[str | None, str | None] | None = None
    ) -> str:
        """The cache key of a document's issues (``shas``: its files' sha256s; required for paths)."""
        if shas is None:
            assert isinstance(files, DocumentFiles)
            shas = (_sha(files.annotation_bytes), _sha(files.raw_bytes))
        return cache_key("validate", self.context, files.doc_id, files.annotation_file, files.raw_file, *shas)

    def check(
        self, files: DocumentFiles, chunk: str | None = None, shas: tuple[str | None, str | None] | None = None
    ) -> tuple[bytes, AnnotationFile | None]:
        """The document's issues as JSON bytes, and its parsed annotations when they were parsed now
        (None on a cache hit or when the file fails the schema). ``chunk`` names the document's
        chunk (:func:`chunk_names`; default: from :attr:`chunks`); without one, or for a file too big
        to read, no cache is used. ``shas``: the files' sha256s when known (default: from :attr:`shas`)."""
        if chunk is None:
            chunk = self.chunks.get(files.annotation_file, "")
        shas = shas or self.shas.get(files.annotation_file)
        cached = self.cache is not None and chunk and not files.oversized
        key = self.doc_key(files, shas) if cached else ""
        if cached:
            payload = self._hit(chunk, files.annotation_file, key)
            if payload is not None:
                return payload, None
        self.misses += 1
        issues, ann = check_document_model(files, self.ctx)
        # stdlib json, not orjson: issue values may be integers beyond 64 bits (hostile offsets)
        payload = (
            json.dumps(
                [issue.model_dump(mode="json") for issue in issues], ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
            if issues
            else b"[]"  # what json.dumps gives for no issues
        )
        if cached:
            self.remember(chunk, files.annotation_file, key, payload)
        return payload, ann

    def lookup(self, doc: DocumentPaths, shas: tuple[str | None, str | None], chunk: str) -> bytes | None:
        """The cached issues of a document whose files' sha256s are known (nothing is read), or None."""
        if self.cache is None or not chunk:
            return None
        return self._hit(chunk, doc.annotation_file, self.doc_key(doc, shas))

    def _hit(self, chunk: str, annotation_file: str, key: str) -> bytes | None:
        entry = self._entries(chunk).get(annotation_file)
        if entry is None or entry[0] != key or not _is_issue_list(entry[1]):
            return None
        self.hits += 1
        self._seen.setdefault(chunk, {})[annotation_file] = entry
        return entry[1]

    def remember(self, chunk: str, annotation_file: str, key: str, payload: bytes) -> None:
        """Add a document's issues to ``chunk`` (written by :meth:`flush`)."""
        self._seen.setdefault(chunk, {})[annotation_file] = (key, payload)
        self._changed.add(chunk)

    def flush(self, whole: bool = False) -> None:
        """Write the chunks that changed: one entry per document, the newest. ``whole``: the chunks
        hold exactly the documents seen (entries of documents since removed are dropped); otherwise
        the entries seen replace those of the same documents (a run over some documents only, e.g.
        ``corpus validate --documents``, keeps the others)."""
        if self.cache is None:
            return
        for chunk, seen in self._seen.items():
            entries = seen if whole else {**self._stored.get(chunk, {}), **seen}
            if chunk in self._changed or entries != self._stored.get(chunk, {}):
                self.cache.put(self._chunk_key(chunk), _pack(entries))
        self._stored, self._seen, self._changed = {}, {}, set()

    def _chunk_key(self, chunk: str) -> str:
        return cache_key("validate-chunk", self.context, chunk)

    def _entries(self, chunk: str) -> dict[str, _Entry]:
        """The stored entries of ``chunk`` (read once; empty when absent or damaged)."""
        if chunk not in self._stored:
            assert self.cache is not None
            blob = self.cache.get(self._chunk_key(chunk), check=_well_formed)
            self._stored[chunk] = _unpack(blob) if blob is not None else {}
        return self._stored[chunk]


#: (path, stat key, sha256) of a file read: what corpus_pkg._hashindex.HashIndex.record takes.
FileHash = tuple[str, tuple[int, int, int, int] | None, str]


def file_hashes(files: list[DocumentFiles], read: list[FileHash]) -> list[tuple[str | None, str | None]]:
    """(annotation, raw) sha256 of each document (None for a file not read), noted in ``read``."""
    out = []
    for f in files:
        ann = None if f.oversized else _sha(f.annotation_bytes)
        raw = None if f.oversized else f.raw_sha256
        for rel, key, sha in ((f.annotation_file, f.annotation_stat, ann), (f.raw_file, f.raw_stat, raw)):
            if sha is not None:
                read.append((rel, key, sha))
        out.append((ann, raw))
    return out


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _pack(entries: dict[str, _Entry]) -> bytes:
    """One line per document: key, annotation file (a safe path: no space), issues. Compact JSON
    holds no raw newline (json.dumps escapes control characters in strings)."""
    lines = [f"{key} {rel} ".encode() + payload + b"\n" for rel, (key, payload) in sorted(entries.items())]
    return b"".join(lines)


def _unpack(blob: bytes) -> dict[str, _Entry]:
    out = {}
    for line in blob.split(b"\n")[:-1]:
        rel, _, payload = line[65:].partition(b" ")
        out[rel.decode()] = (line[:64].decode(), payload)
    return out


def _well_formed(blob: bytes) -> bool:
    """A chunk value: lines of a 64-digit hex key, a space, a path, a space and a JSON list."""
    lines = blob.split(b"\n")
    if lines.pop() != b"":
        return False
    hexdigits = set(b"0123456789abcdef")
    for line in lines:
        rel, space, payload = line[65:].partition(b" ")
        if not (line[64:65] == b" " and set(line[:64]) <= hexdigits and len(line) > 64 and rel and space):
            return False
        if not (payload.startswith(b"[") and payload.endswith(b"]")):
            return False
        try:
            rel.decode()
        except UnicodeDecodeError:
            return False
    return True


def _is_issue_list(payload: bytes) -> bool:
    """A cached payload must decode to a JSON list; anything else is treated as corrupt."""
    if payload == b"[]":
        return True
    try:
        return isinstance(json.loads(payload), list)
    except ValueError:
        return False


def save_issues(
    checker: DocumentChecker,
    docs: Sequence[DocumentPaths],
    issues: Mapping[str, bytes],
    shas: Mapping[str, str],
    rechecked: set[str],
    chunks: Mapping[str, str],
) -> None:
    """Store the issues of documents checked outside ``validate`` (by a build's shards, which report
    them and their files' sha256s): each chunk holding a document of ``rechecked`` (doc ids) is
    written whole, from ``issues`` (doc id -> JSON), ``shas`` (relative path -> sha256) and
    ``chunks`` (:func:`chunk_names` of ``docs``)."""
    wanted = {chunks[doc.annotation_file] for doc in docs if doc.doc_id in rechecked}
    for doc in docs:
        chunk = chunks[doc.annotation_file]
        ann = shas.get(doc.annotation_file)
        if chunk in wanted and ann is not None and doc.doc_id in issues:
            key = checker.doc_key(doc, (ann, shas.get(doc.raw_file)))
            checker.remember(chunk, doc.annotation_file, key, issues[doc.doc_id])
    checker.flush(whole=True)
