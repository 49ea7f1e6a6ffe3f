"""The files a release is built from, and one digest over them (to tell a stale release from a fresh one)."""

from __future__ import annotations

import hashlib
from pathlib import Path

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
    adjudication/ and each annotator's pass (they feed the card's agreement figures), in a fixed order."""
    root = Path(root)
    files = [root / CONFIG_FILE, root / REGISTRY_FILE, root / ASSIGNMENTS_FILE, root / AGREEMENT]
    folders = [RAW_DIR, ANNOTATIONS_DIR, ADJUDICATION_DIR]
    if (root / PASSES_DIR).is_dir() and not (root / PASSES_DIR).is_symlink():
        folders += sorted(f"{PASSES_DIR}/{p.name}" for p in (root / PASSES_DIR).iterdir() if p.is_dir())
    for folder in folders:
        if (root / folder).is_dir() and not (root / folder).is_symlink():
            files += sorted(p for p in (root / folder).iterdir() if p.is_file())
    return [path for path in files if path.is_file() and not path.is_symlink()]  # links are never read


def inputs_digest(root: str | Path, salt: str = "", source: str | None = None) -> str:
    """sha256 over the relative path and bytes of every input file (``salt`` first, when given).

    ``source``: where the documents are read from when ``root`` is only the local mirror of a corpus
    at a URL (see :func:`corpus_pkg._storage.open_root`); the bytes then come from there, in batches."""
    root = Path(root)
    digest = hashlib.sha256(salt.encode())
    relative = [path.relative_to(root).as_posix() for path in input_files(root)]
    remote = source is not None and is_remote(source)
    for first in range(0, len(relative), _BATCH):
        batch = relative[first : first + _BATCH]
        data = read_files(source, batch) if remote else {rel: (root / rel).read_bytes() for rel in batch}
        for rel in batch:
            if rel in data:
                digest.update(f"{rel}\0".encode())
                digest.update(hashlib.sha256(data[rel]).digest())
    return digest.hexdigest()


_BATCH = 256
