"""Apply an import all at once or not at all.

The files of an import are first written into a staging folder inside the corpus
(``.corpus_import-<pid>-<random>/``, same file system, so moving them is a rename). Under the
corpus write locks a journal listing every move is written, the files are renamed into place and
the folder is removed. A process killed half-way leaves the journal behind: the next import (or
:func:`recover_imports`) rolls those moves back, so a killed import leaves nothing behind once
recovered and can simply be run again. Staging folders of dead processes without a journal are
deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .._io import atomic_write_bytes, process_alive
from .._lock import CONFIG, write_lock
from ..corpus import sha256_bytes

STAGING_PREFIX = ".corpus_import-"
JOURNAL = "journal.json"
_ORIGINALS = "originals"


def apply_files(
    root: Path, files: dict[str, bytes], locks: Iterable[str], precheck: Callable[[], None] | None = None
) -> None:
    """Write ``files`` (path relative to ``root`` -> bytes) all at once under ``locks``.

    The caller must hold the corpus ``config`` lock (every import does, so no other import is
    moving files meanwhile). ``precheck`` runs under the locks before anything moves; if it
    raises, nothing is written."""
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=root))
    try:
        for rel, data in files.items():
            _write_synced(stage / "files" / rel, data)
        with write_lock(root, *locks):
            if precheck is not None:
                precheck()
            journal = []
            for rel, data in files.items():
                dest = root / rel
                original = None
                if dest.exists():
                    original = f"{_ORIGINALS}/{len(journal)}"
                    _write_synced(stage / original, dest.read_bytes())
                journal.append({"path": rel, "sha256": sha256_bytes(data), "original": original})
            _write_synced(stage / JOURNAL, json.dumps(journal).encode("utf-8"))
            try:
                for rel in files:
                    dest = root / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(stage / "files" / rel, dest)
                for folder in {(root / rel).parent for rel in files}:
                    _fsync_dir(folder)
            except BaseException:  # an error or an interrupt half-way: undo the moves made so far
                _roll_back(root, stage, journal)
                raise
            (stage / JOURNAL).unlink()
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def recover_imports(root: str | Path) -> list[str]:
    """Roll back imports that were killed while moving files into place; delete dead staging folders.

    Takes the corpus ``config`` write lock (the one every import holds). Returns the paths restored."""
    with write_lock(root, CONFIG):
        return recover_locked(Path(root))


def recover_locked(root: Path) -> list[str]:
    """:func:`recover_imports` for a caller that already holds the ``config`` write lock."""
    restored: list[str] = []
    for stage in sorted(root.glob(f"{STAGING_PREFIX}*")):
        if not stage.is_dir() or stage.is_symlink():
            continue
        journal = stage / JOURNAL
        if journal.is_file():
            restored += _roll_back(root, stage, json.loads(journal.read_text(encoding="utf-8")))
        elif _owner_alive(stage.name):
            continue  # still staging its files; it will take the locks later
        shutil.rmtree(stage, ignore_errors=True)
    return restored


def _roll_back(root: Path, stage: Path, journal: list[dict]) -> list[str]:
    restored = []
    for entry in journal:
        dest = root / entry["path"]
        if not dest.is_file() or sha256_bytes(dest.read_bytes()) != entry["sha256"]:
            continue  # never moved, or changed since by someone else: leave it
        if entry["original"]:
            atomic_write_bytes(dest, (stage / entry["original"]).read_bytes())
        else:
            dest.unlink()
        restored.append(entry["path"])
    return restored


def _owner_alive(name: str) -> bool:
    pid_text = name[len(STAGING_PREFIX) :].split("-", 1)[0]
    if not pid_text.isdigit():
        return False
    return process_alive(int(pid_text))


def _write_synced(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
