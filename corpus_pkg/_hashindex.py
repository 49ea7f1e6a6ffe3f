"""Known sha256s of corpus files, trusted while the file's stat is unchanged (like git's index).

A build needs the sha256 of every input file (for the shard cache keys and the release's
``inputs_sha256``), but reading 40,000 files to learn that 39,998 did not change costs more than
the rebuild. :class:`HashIndex` remembers, for each file hashed before, its size, mtime, ctime and
inode together with its sha256; while a fresh ``stat`` shows the same four values, the recorded
sha256 is used without reading the file.

The "racily clean" rule: a file's timestamps have a coarse granularity, so a file changed again
within the same tick as the read it was hashed from keeps its stat. An entry is therefore
recorded only when the file's mtime and ctime are older than the start of the run that read it by
:data:`RACY_NS` or more; a file changed since then has newer timestamps than the recorded ones.
Files too fresh for that are simply hashed again next time.

The index lives in one file, ``<root>/.corpus_cache/hashes``: a header line with the sha256 of
the payload, then JSON. It is replaced atomically (temp file and rename); a damaged or foreign
file is ignored (every file is hashed again), and concurrent builds at worst overwrite each
other's entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

import orjson

from ._cache import CACHE_DIR, framed, mark_cache_root, unframed
from ._io import atomic_write_bytes

__all__ = ("RACY_NS", "HashIndex", "StatKey", "clock", "stat_key")

INDEX_FILE = "hashes"
_MAGIC = b"corpus-hashes-1 "
#: How much older than the run's start a file's mtime and ctime must be for its hash to be recorded
#: (covers file systems with coarse timestamps and a file-system clock slightly behind ours).
RACY_NS = 2_000_000_000

#: ``(size, mtime_ns, ctime_ns, inode)`` of a file.
StatKey = tuple[int, int, int, int]


def clock() -> int:
    """Now, in the nanoseconds of file timestamps (a seam for tests that simulate time passing)."""
    return time.time_ns()


def stat_key(info: os.stat_result) -> StatKey:
    """What a file's stat must still show for a recorded hash to be trusted."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class HashIndex:
    """sha256 by corpus-relative path, valid while the file's :func:`stat_key` is unchanged.

    ``since`` is when the run began (:func:`clock`, taken before any file was stat-ed or read):
    :meth:`record` keeps only entries whose timestamps are safely older than that."""

    def __init__(self, root: str | Path, since: int, entries: dict[str, list] | None = None) -> None:
        self.root = str(root)
        self.since = since
        self._old = entries or {}
        self._new: dict[str, list] = {}  # entries trusted or recorded in this run
        self._stale: set[str] = set()  # entries whose file changed (or is gone) since

    @classmethod
    def load(cls, root: str | Path, since: int | None = None) -> HashIndex:
        """The index stored under ``root`` (empty when missing, damaged or of another format)."""
        since = clock() if since is None else since
        return cls(root, since, _read(Path(root) / CACHE_DIR / INDEX_FILE))

    def lookup(self, rel: str) -> str | None:
        """The sha256 of ``root/rel`` when its stat matches the recorded one, else None (also for a
        missing file). A trusted entry is carried into the next index."""
        entry = self._old.get(rel)
        if entry is None:
            return None
        try:
            info = os.stat(f"{self.root}/{rel}")
        except OSError:
            info = None
        # the fields of stat_key, compared one by one (this runs for every file of a corpus)
        if (
            info is not None
            and type(entry) is list
            and len(entry) == 5
            and entry[0] == info.st_size
            and entry[1] == info.st_mtime_ns
            and entry[2] == info.st_ctime_ns
            and entry[3] == info.st_ino
            and _is_sha256(entry[4])
        ):
            self._new[rel] = entry
            return entry[4]
        self._stale.add(rel)
        return None

    def record(self, rel: str, key: StatKey | None, sha256: str) -> None:
        """Remember that ``rel`` had ``sha256`` when its stat was ``key`` (taken before the read).
        Ignored when the file is too recent to be trusted (see :data:`RACY_NS`) or ``key`` is None."""
        if key is None or max(key[1], key[2]) >= self.since - RACY_NS:
            return
        self._new[rel] = [*key, sha256]

    def hash_file(self, rel: str) -> str | None:
        """The sha256 of ``root/rel``: from the index when its stat is unchanged, else read (and
        recorded); None when the file cannot be read."""
        known = self.lookup(rel)
        if known is not None:
            return known
        path = f"{self.root}/{rel}"
        try:
            with open(path, "rb") as handle:
                key = stat_key(os.fstat(handle.fileno()))
                sha = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None
        self.record(rel, key, sha)
        return sha

    def save(self) -> None:
        """Write the index: the entries trusted or recorded in this run, and the old entries this run
        did not look at (``validate`` reads annotators' passes, a build does not). Nothing is written
        when that is what the index holds already. Failures are ignored: the index is an optimisation."""
        entries = {rel: e for rel, e in self._old.items() if rel not in self._stale and rel not in self._new}
        entries.update(self._new)
        if entries == self._old:
            return
        data = framed(_MAGIC, orjson.dumps({"files": entries}))
        folder = Path(self.root) / CACHE_DIR
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            mark_cache_root(folder)
            atomic_write_bytes(folder / INDEX_FILE, data)

    def known(self, rels: Iterable[str]) -> dict[str, str]:
        """The trusted sha256s of those of ``rels`` whose stat is unchanged."""
        out = {}
        for rel in rels:
            sha = self.lookup(rel)
            if sha is not None:
                out[rel] = sha
        return out


def _read(path: Path) -> dict[str, list]:
    """The entries of the index file at ``path``; {} when it is missing, torn or malformed."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    payload = unframed(_MAGIC, data)
    if payload is None:
        return {}
    try:
        files = orjson.loads(payload)["files"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return {}
    return files if isinstance(files, dict) else {}  # entries are checked when looked up


def _is_sha256(value: object) -> bool:
    """The last item of an entry whose stat matched: a sha256 as 64 hex digits."""
    return type(value) is str and len(value) == 64
