"""Inter-process write locks: every writer of a corpus file holds one around read-check-write.

Locks are files under ``<root>/.corpus_cache/locks/`` (never inside ``raw/`` or ``annotations/``),
taken with :mod:`filelock`, so two processes (CLI, API, web server, importer) that change the same
document wait for each other instead of losing an update. Several names are always taken in sorted
order, so two writers that need the same set cannot deadlock. A thread that already holds a lock
may take it again (the web server checks a page's version and then calls the API, both under the
document's lock).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .corpus import CorpusError

LOCK_DIR = Path(".corpus_cache") / "locks"
#: Seconds a writer waits for another before giving up with a clear error.
DEFAULT_TIMEOUT = 120.0

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class LockTimeoutError(CorpusError):
    """Another writer held the lock for longer than the timeout."""


def document_lock_name(doc_id: str) -> str:
    """The lock name of one document's files (annotations and raw text)."""
    return f"doc-{doc_id}"


REGISTRY = "registry"
CONFIG = "config"


def lock_path(root: str | Path, name: str) -> Path:
    """Where the lock file for ``name`` lives (the name is made file-safe)."""
    return Path(root) / LOCK_DIR / f"{_SAFE.sub('_', name)}.lock"


_HELD = threading.local()  # lock files this thread holds, so taking one again does not block


def _held() -> set[Path]:
    if not hasattr(_HELD, "paths"):
        _HELD.paths = set()
    return _HELD.paths


@contextmanager
def write_lock(root: str | Path, *names: str, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the write locks ``names`` (e.g. ``document_lock_name("a")``, ``REGISTRY``) of the corpus at ``root``.

    Re-entrant within a thread: a lock this thread already holds is not taken twice.
    """
    folder = Path(root).resolve() / LOCK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    held = _held()
    with ExitStack() as stack:
        for name in sorted(set(names)):
            path = lock_path(Path(root).resolve(), name)
            if path in held:
                continue
            lock = FileLock(path, timeout=timeout, thread_local=False, is_singleton=False)
            try:
                stack.enter_context(lock)
            except Timeout as exc:
                raise LockTimeoutError(
                    f"another writer has held {name!r} in {root} for more than {timeout:.0f} s; "
                    f"nothing was written (lock file {path})"
                ) from exc
            held.add(path)
            stack.callback(held.discard, path)
        yield
