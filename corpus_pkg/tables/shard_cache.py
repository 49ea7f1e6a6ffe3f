"""The shard cache's value format: one blob holding a built shard's Parquet files and summary.

Layout: ``MAGIC``, the header length (8 bytes, little-endian), a JSON header (rows and Arrow
bytes per config, the shard's statistics, the size and sha256 of each file, each document's
issues), then the files' bytes one after the other. The blob is stored by
:class:`corpus_pkg._cache.ContentCache` (which checks its sha256); :func:`unpack` also checks its
structure, because the header names files that will be written into a release.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import orjson

__all__ = ("MAGIC", "CachedShard", "is_valid", "pack", "unpack")

MAGIC = b"corpus-shard-3\n"


@dataclass
class CachedShard:
    """A built shard: rows and Arrow bytes per config with rows, its statistics and its files."""

    rows: dict[str, int]
    nbytes: dict[str, int]
    stats: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)  # config -> Parquet file bytes (same keys as rows)
    issues: list[bytes] = field(default_factory=list)  # per document, its issues as JSON (warnings only)
    digests: dict[str, str] = field(default_factory=dict)  # config -> sha256 of its file (same keys as rows)


def pack(shard: CachedShard) -> bytes:
    """The shard as one cache value."""
    bodies = [shard.files[config] for config in shard.rows]
    header = {
        "rows": shard.rows,
        "nbytes": shard.nbytes,
        "stats": shard.stats,
        "sizes": [len(b) for b in bodies],
        "sha256": [shard.digests[config] for config in shard.rows],
        "issues": [payload.decode("utf-8") for payload in shard.issues],
    }
    head = orjson.dumps(header)
    return b"".join([MAGIC, len(head).to_bytes(8, "little"), head, *bodies])


def unpack(blob: bytes, configs: Collection[str]) -> CachedShard:
    """The shard stored in ``blob``; ``ValueError`` if it is not a well-formed shard of ``configs``."""
    try:
        header, start = _read_header(blob, configs)
    except (KeyError, TypeError, orjson.JSONDecodeError) as exc:
        raise ValueError(f"shard blob header is malformed: {exc}") from None
    files = {}
    for config, size in zip(header["rows"], header["sizes"]):
        files[config] = blob[start : start + size]
        start += size
    issues = [payload.encode("utf-8") for payload in header["issues"]]
    digests = dict(zip(header["rows"], header["sha256"]))
    return CachedShard(header["rows"], header["nbytes"], header["stats"], files, issues, digests)


def is_valid(blob: bytes, configs: Collection[str], n_docs: int | None = None) -> bool:
    """Structural check of a cached shard (its checksum was already verified by the cache), holding
    the issues of ``n_docs`` documents when given."""
    try:
        header, _start = _read_header(blob, configs)
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        return False
    return n_docs is None or len(header["issues"]) == n_docs


def _read_header(blob: bytes, configs: Collection[str]) -> tuple[dict[str, Any], int]:
    """Header of a cached shard and the offset of its first file. Anything unexpected in the
    header (say, a forged entry) is refused."""
    if not blob.startswith(MAGIC):
        raise ValueError("not a shard blob")
    pos = len(MAGIC)
    size = int.from_bytes(blob[pos : pos + 8], "little")
    header = orjson.loads(blob[pos + 8 : pos + 8 + size])
    start = pos + 8 + size
    rows, nbytes, sizes, digests = header["rows"], header["nbytes"], header["sizes"], header["sha256"]
    if not (
        isinstance(rows, dict)
        and isinstance(nbytes, dict)
        and isinstance(sizes, list)
        and list(rows) == list(nbytes)
        and set(rows) <= set(configs)
        and len(sizes) == len(rows)
        and isinstance(digests, list)
        and len(digests) == len(rows)
        and all(isinstance(d, str) and len(d) == 64 for d in digests)
        and all(type(n) is int and n > 0 for n in [*rows.values(), *nbytes.values(), *sizes])
        and isinstance(header["stats"], dict)
        and isinstance(header["issues"], list)
        and all(isinstance(payload, str) for payload in header["issues"])
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
