"""What the document checks get to know: the corpus context and the bytes of one document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property


@dataclass
class CorpusContext:
    """What document checks need to know about the corpus as a whole."""

    labels: frozenset[str] | None = None  # None: config invalid, skip label checks
    targets: frozenset[str] | None = None
    registry_ids: frozenset[str] | None = None

    def fingerprint(self) -> str:
        """Stable digest of this context, for cache keys."""
        parts = [sorted(x) if x is not None else None for x in (self.labels, self.targets, self.registry_ids)]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass
class DocumentFiles:
    """The bytes of one document's files (None when the file is missing)."""

    doc_id: str
    annotation_file: str  # relative path used in reports
    raw_file: str
    annotation_bytes: bytes | None
    raw_bytes: bytes | None
    oversized: tuple[str, ...] = ()  # files not read because they exceed MAX_FILE_BYTES
    # (size, mtime_ns, ctime_ns, inode) of each file, taken just before it was read (local files
    # only): lets the build remember the files' sha256s (see corpus_pkg._hashindex)
    annotation_stat: tuple[int, int, int, int] | None = None
    raw_stat: tuple[int, int, int, int] | None = None

    @cached_property
    def raw_sha256(self) -> str | None:
        """sha256 of the raw file's bytes (None when it was not read), worked out once: the
        ``raw_sha256`` check and the build's record of the files it read both need it."""
        return None if self.raw_bytes is None else hashlib.sha256(self.raw_bytes).hexdigest()
