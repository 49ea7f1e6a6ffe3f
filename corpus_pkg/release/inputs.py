"""The files a release is built from, and one digest over them (to tell a stale release from a fresh one)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from .._hashindex import HashIndex
from .._storage import is_remote, read_files
from ..corpus import (
    ADJUDICATION_DIR,
    ANNOTATIONS_DIR,
    ASSIGNMENTS_FILE,
    CONFIG_FILE,
    PASSES_DIR,
    RAW_DIR,
    REGISTRY_FILE,
)

#: The agreement study the card quotes (optional).
AGREEMENT = Path("docs") / "agreement.md"


def input_files(root: str | Path) -> list[Path]:
    """Every file of the corpus at ``root`` that a build reads: corpus.json, entities.json,
    assignments.json, docs/agreement.md, and the files of raw/, annotations/ (guidelines included),
    adjudication/ and each annotator's pass (they feed the card's agreement figures), in a fixed order.
    Links are never read, so never listed."""
    return [Path(root) / rel for rel in input_paths(root)]


def input_paths(root: str | Path) -> list[str]:
    """:func:`input_files`, as paths relative to ``root`` (with ``/``)."""
    root = Path(root)
    files = [str(rel) for rel in (CONFIG_FILE, REGISTRY_FILE, ASSIGNMENTS_FILE, AGREEMENT.as_posix())]
    files = [rel for rel in files if _regular(root / rel)]
    folders = [RAW_DIR, ANNOTATIONS_DIR, ADJUDICATION_DIR]
    folders += [f"{PASSES_DIR}/{name}" for name in sorted(_entries(root / PASSES_DIR, folders=True))]
    for folder in folders:
        files += [f"{folder}/{name}" for name in sorted(_entries(root / folder, folders=False))]
    return files


def _regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _entries(folder: Path, folders: bool) -> list[str]:
    """Names of the regular files (or the folders) in ``folder``, links excluded; none when ``folder``
    is missing or itself a link. The listing gives each entry's type: no stat per file."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        if folders:
            return [e.name for e in entries if e.is_dir(follow_symlinks=False)]
        return [e.name for e in entries if e.is_file(follow_symlinks=False)]


def inputs_digest(
    root: str | Path,
    salt: str = "",
    source: str | None = None,
    known: Mapping[str, str] | None = None,
    index: HashIndex | None = None,
) -> str:
    """sha256 over the relative path and the sha256 of every input file (``salt`` first, when given).

    ``source``: where the documents are read from when ``root`` is only the local mirror of a corpus
    at a URL (see :func:`corpus_pkg._storage.open_root`); the bytes then come from there, in batches.
    ``known``: sha256s already computed (by the build's workers), by relative path; ``index``: a
    :class:`~corpus_pkg._hashindex.HashIndex` whose unchanged entries spare reading a local file."""
    root = Path(root)
    known = known or {}
    digest = hashlib.sha256(salt.encode())
    relative = input_paths(root)
    remote = source is not None and is_remote(source)
    shas: dict[str, str | None] = {}
    if not remote and index is not None:
        shas = {rel: known.get(rel) or index.hash_file(rel) for rel in relative}
    else:
        todo = [rel for rel in relative if rel not in known]
        for first in range(0, len(todo), _BATCH):
            batch = todo[first : first + _BATCH]
            data = read_files(source, batch) if remote else _read_local(root, batch)
            shas.update((rel, hashlib.sha256(body).hexdigest()) for rel, body in data.items())
        shas.update(known)
    for rel in relative:
        sha = shas.get(rel)
        if sha is not None:
            digest.update(f"{rel}\0".encode())
            digest.update(bytes.fromhex(sha))
    return digest.hexdigest()


def _read_local(root: Path, batch: list[str]) -> dict[str, bytes]:
    out = {}
    for rel in batch:
        with contextlib.suppress(FileNotFoundError):  # removed since it was listed
            out[rel] = (root / rel).read_bytes()
    return out


_BATCH = 256
