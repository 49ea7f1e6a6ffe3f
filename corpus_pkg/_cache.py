"""A small content-addressed cache on disk, shared by ``validate`` and ``build``.

Values are keyed by a sha256 of everything that determines them (input bytes, corpus context,
the package's own source code), so an entry can never be stale: when anything it depends on
changes, the key changes and the old entry is simply not asked for again.

Each entry is one file ``<folder>/<key[:2]>/<key>`` holding a header line with the sha256 of the
payload, then the payload. Writes go through a temp file and an atomic rename; there is no fsync
(a cache entry lost in a crash costs one recomputation), and a torn or corrupt entry fails the
checksum on read, counts as a miss and is overwritten.

Keys include :func:`code_fingerprint` of the code computing the values, taken once per run by
the calling process. The default location is ``<corpus root>/.corpus_cache/<namespace>/``; delete the folder at any
time to reclaim space. ``build`` prunes its own namespace after each build (see :meth:`ContentCache.prune`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

CACHE_DIR = ".corpus_cache"
_MAGIC = b"corpus-cache-1 "
_HEX = frozenset("0123456789abcdef")


def framed(magic: bytes, payload: bytes) -> bytes:
    """``payload`` behind a header line: ``magic``, the hex sha256 of the payload, a newline."""
    return magic + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unframed(magic: bytes, data: bytes) -> bytes | None:
    """The payload of :func:`framed` bytes; None when the header is not ``magic``'s or the payload
    does not match its checksum (a torn, damaged or foreign file)."""
    size = len(magic) + 64 + 1
    header, payload = data[:size], data[size:]
    if not header.startswith(magic) or header[-1:] != b"\n":
        return None
    return payload if header[len(magic) : -1] == hashlib.sha256(payload).hexdigest().encode() else None


@dataclass
class CacheStats:
    """Counters of one run: ``hits`` were served from the cache, ``misses`` were computed."""

    hits: int = 0
    misses: int = 0
    corrupt: int = 0  # entries found but unreadable (also counted as misses)
    write_errors: int = 0

    def add(self, other: CacheStats) -> None:
        """Add the counters of ``other`` (e.g. from a worker process) to these."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def cache_key(*parts: bytes | str | None) -> str:
    """sha256 over ``parts``, each length-prefixed so that no two different part lists collide
    (one ``sha256`` call over the joined parts: the same digest as feeding them one by one)."""
    chunks: list[bytes] = []
    for part in parts:
        if part is None:
            chunks.append(b"N")
            continue
        data = part.encode("utf-8") if isinstance(part, str) else part
        chunks += (b"S" if isinstance(part, str) else b"B", len(data).to_bytes(8, "little"), data)
    return hashlib.sha256(b"".join(chunks)).hexdigest()


@cache
def code_fingerprint(module: str) -> str:
    """Digest of the source of ``module`` (e.g. ``"corpus_pkg.validate"``) and of every module of this
    package it imports, directly or not, plus the versions of Python, pydantic and pyarrow (their
    error messages and encodings show in cached values). Editing any of that code invalidates the
    cache entries it produced; editing unrelated modules does not."""
    import pyarrow
    import pydantic

    digest = hashlib.sha256(f"{sys.version_info[:2]} {pydantic.VERSION} {pyarrow.__version__}".encode())
    for name, path in sorted(_import_closure(module).items()):
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def _module_file(name: str) -> Path | None:
    """Source file of a module of this package, or None when ``name`` is not one of ours."""
    package = _package_dir()
    parts = name.split(".")
    if parts[0] != package.name:
        return None
    base = package.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _import_closure(module: str) -> dict[str, Path]:
    """Modules of this package that ``module`` imports, transitively (found by reading the source).

    Enclosing packages' ``__init__`` modules are not followed unless imported by name: they run on
    import but only re-export names (``corpus_pkg/__init__.py`` imports everything, which would tie
    every cache entry to every module)."""
    found: dict[str, Path] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if name in found or path is None:
            continue
        found[name] = path
        todo.extend(_imported_names(name, path))
    return found


#: ``from X import Y`` / ``import X`` statements at the start of a line (a parenthesised name list may
#: span lines). Reading them with a regular expression is ~20x faster than compiling the module, and
#: tests check it finds what the syntax tree does for every module of the package.
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]*))", re.M
)


@cache
def _imported_names(name: str, path: Path) -> tuple[str, ...]:
    """The modules (and names that may be submodules) the source of module ``name`` imports."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: list[str] = []
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        module, names, plain = match.groups()
        if plain is not None:
            out.extend(_names(plain))
            continue
        base = module.lstrip(".")
        level = len(module) - len(base)
        if level:
            anchor = package.rsplit(".", level - 1)[0] if level > 1 else package
            base = f"{anchor}.{base}" if base else anchor
        out.append(base)
        listed = re.sub(r"#[^\n]*", "", names).strip("()")
        out.extend(f"{base}.{alias}" for alias in _names(listed))  # submodules imported by name
    return tuple(out)


def _names(listed: str) -> list[str]:
    """``a.b as c, d`` -> ``["a.b", "d"]``."""
    return [part.split()[0] for part in listed.replace("\n", " ").split(",") if part.strip()]


def default_cache_dir(root: str | Path, namespace: str) -> Path:
    """``<root>/.corpus_cache/<namespace>``."""
    return Path(root) / CACHE_DIR / namespace


class ContentCache:
    """Bytes stored under content-hash keys in ``folder``; counts hits and misses in ``stats``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.stats = CacheStats()
        self._writable = True
        self._marked = False

    def _path(self, key: str) -> Path:
        if len(key) != 64 or not _HEX.issuperset(key):
            raise ValueError(f"cache key must be 64 lowercase hex digits, got {key!r}")
        return self.folder / key[:2] / key

    def get(self, key: str, check: Callable[[bytes], bool] | None = None) -> bytes | None:
        """The value stored under ``key``, or None (a miss) when absent or corrupt. ``check``
        can reject a value whose checksum is fine but whose content is not what the caller expects."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        payload = unframed(_MAGIC, data)
        if payload is None or (check is not None and not check(payload)):
            self.stats.corrupt += 1
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        with contextlib.suppress(OSError):  # mark it recently used, for prune(); a read-only cache is fine
            os.utime(self._path(key))
        return payload

    def put(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key`` atomically. Failures (read-only corpus, full disk) are
        counted in ``stats.write_errors`` and otherwise ignored: the cache is an optimisation."""
        if not self._writable:
            return
        path = self._path(key)
        data = framed(_MAGIC, value)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:8]}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            self.stats.write_errors += 1
            self._writable = False
            return
        self._mark_folder()

    def prune(self, keep: set[str], ratio: float = 1.0) -> int:
        """Delete entries not in ``keep``, least recently used (written or read) first, until they
        take at most ``ratio`` times the bytes of the kept entries. Returns how many were deleted."""
        kept = 0
        others = []
        stale = time.time() - 3600
        for path in self.folder.glob("??/*"):
            with contextlib.suppress(OSError):
                info = path.stat()
                if path.name.endswith(".tmp"):  # left by a process killed while writing; an hour is plenty
                    if info.st_mtime < stale:
                        path.unlink()
                    continue
                if path.name in keep:
                    kept += info.st_size
                else:
                    others.append((info.st_mtime_ns, path.name, info.st_size, path))
        others.sort(reverse=True)  # most recently used first
        total = deleted = 0
        for _mtime, _name, size, path in others:
            total += size
            if total > ratio * kept:
                with contextlib.suppress(OSError):
                    path.unlink()
                    deleted += 1
        return deleted

    def _mark_folder(self) -> None:
        """Keep the cache out of git and backups (once per cache folder tree)."""
        if self._marked:
            return
        self._marked = True
        mark_cache_root(self.folder.parent if self.folder.parent.name == CACHE_DIR else self.folder)


def mark_cache_root(top: Path) -> None:
    """Put a ``.gitignore`` and a ``CACHEDIR.TAG`` into the cache folder ``top`` (when missing)."""
    marker = top / ".gitignore"
    if not marker.exists():
        try:
            marker.write_text("# Created by corpus_pkg: a disposable cache.\n*\n", encoding="utf-8")
            (top / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# corpus_pkg cache; safe to delete.\n",
                encoding="utf-8",
            )
        except OSError:
            pass
