"""Atomic file writes and the canonical JSON layout of files we write."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import orjson


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and an atomic rename,
    so readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp creates 0600; give the mode a plain open() would
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask. Reading it means setting it, so threads take turns (a thread reading in
    between would see 0 and make its file world-writable)."""
    with _UMASK_LOCK:
        current = os.umask(0)
        os.umask(current)
    return current


_UMASK_LOCK = threading.Lock()


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes` (no newline translation)."""
    atomic_write_bytes(path, text.encode("utf-8"))


#: Floats that both encoders write the same way (Python's repr switches to an exponent outside it).
_PLAIN_FLOATS = (1e-4, 1e16)


def _orjson_safe(value: Any) -> bool:
    """True when orjson writes ``value`` exactly as the standard library does: only dicts, lists,
    str, int, bool and None (exact types: subclasses keep the standard library's behaviour), and
    floats that are 0 or between 1e-4 and 1e16 in size (NaN and infinities are not)."""
    low, high = _PLAIN_FLOATS
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float:
            if not (item == 0.0 or low <= abs(item) < high):
                return False
        elif not (kind is str or kind is int or kind is bool or item is None):
            return False
    return True


_ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def dumps_json(value: Any) -> str:
    """Canonical JSON for files we write: 2-space indent, UTF-8 kept as is, trailing newline.

    The text is exactly ``json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)``; orjson
    (in C, ~50x faster than the standard library's indenting encoder) makes it whenever its output
    is known to be the same, and the standard library otherwise (tests/test_io.py compares both)."""
    if _orjson_safe(value):
        try:
            return orjson.dumps(value, option=_ORJSON_OPTIONS).decode("utf-8") + "\n"
        except TypeError:  # left to the standard library: ints beyond 64 bits, keys that are not str
            pass
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(path: Path, value: Any) -> None:
    """Atomically write ``value`` as canonical JSON."""
    atomic_write_text(path, dumps_json(value))


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` may still be running (its temporary files must then be kept): true for
    this process, another user's process, or a number that cannot be checked."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True
