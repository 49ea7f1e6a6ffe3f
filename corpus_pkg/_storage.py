"""Corpus roots and release folders named by fsspec URLs (``s3://bucket/corpus``) as well as paths.

A plain path (or ``file://`` URL) is local and goes through ``pathlib`` as before. Any other URL is
opened with :func:`fsspec.core.url_to_fs` (S3 needs the optional extra ``s3``: s3fs; credentials
and endpoint come from the usual AWS settings or ``FSSPEC_S3_*`` variables).

For a remote corpus root, the parent process mirrors the *listing* of the corpus locally
(:func:`mirror_corpus`): corpus.json, entities.json, assignments.json, the guidelines and the
agreement page are copied, and every entry of ``raw/``, ``annotations/`` and
``passes/<annotator>/`` becomes an empty local file (or folder) of the same name, so that the
config checks and the pairing of raw, annotation and pass files run
unchanged. Document bytes are never read from the mirror: workers read them from the root URL
(:func:`read_files`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .corpus import ANNOTATIONS_DIR, ASSIGNMENTS_FILE, CONFIG_FILE, PASSES_DIR, RAW_DIR, REGISTRY_FILE, CorpusError

__all__ = ("is_remote", "join", "local_path", "mirror_corpus", "open_root", "open_url", "read_files")

#: Files of a corpus root copied into the local mirror when they exist.
MIRRORED_FILES = (
    CONFIG_FILE,
    REGISTRY_FILE,
    ASSIGNMENTS_FILE,
    f"{ANNOTATIONS_DIR}/GUIDELINES.md",
    "docs/agreement.md",
)


def is_remote(location: str | os.PathLike[str]) -> bool:
    """Whether ``location`` is a URL of a non-local file system (``s3://...``, ``memory://...``)."""
    text = os.fspath(location)
    if "://" not in text:
        return False
    return text.split("://", 1)[0] not in ("file", "local")


def local_path(location: str | os.PathLike[str]) -> Path:
    """A local location as a Path (``file://`` stripped)."""
    text = os.fspath(location)
    return Path(text[len("file://") :] if text.startswith("file://") else text)


@contextlib.contextmanager
def open_root(root: str | os.PathLike[str]) -> Iterator[tuple[Path, str]]:
    """A corpus root as (local folder to list and read metadata from, location documents are read from).

    For a local root both are the folder; for a URL, the local folder is a temporary mirror of
    the listing (see the module docstring), deleted on exit."""
    if not is_remote(root):
        folder = local_path(root)
        if not folder.is_dir():
            raise FileNotFoundError(f"corpus root {str(folder)!r} is not a folder")
        yield folder, str(folder)
        return
    url = os.fspath(root).rstrip("/")
    with tempfile.TemporaryDirectory(prefix="corpus-mirror-") as tmp:
        mirror_corpus(url, Path(tmp))
        yield Path(tmp), url


def open_url(url: str) -> tuple[Any, str]:
    """The fsspec file system of ``url`` and the path inside it; a clear error when the protocol's
    package is missing (S3: the extra ``s3``)."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        protocol = url.split("://", 1)[0]
        extra = " (pip install 'corpus_pkg[s3]')" if protocol in ("s3", "s3a") else ""
        raise CorpusError(
            f"{url}: the {protocol!r} file system needs a package that is not installed{extra}: {exc}"
        ) from None


def join(base: str, relative: str) -> str:
    """``base/relative`` for a path inside a file system."""
    return f"{base.rstrip('/')}/{relative}"


def read_files(url: str, files: Sequence[str]) -> dict[str, bytes]:
    """The bytes of the files ``files`` (relative to ``url``) that exist, fetched concurrently."""
    fs, base = open_url(url)
    found = fs.cat([join(base, rel) for rel in files], on_error="omit")
    return {rel: found[join(base, rel)] for rel in files if isinstance(found.get(join(base, rel)), bytes)}


def mirror_corpus(url: str, dest: Path) -> None:
    """Mirror the metadata and the document listing of the corpus at ``url`` into ``dest``."""
    fs, base = open_url(url)
    if not fs.isfile(join(base, CONFIG_FILE)):
        raise CorpusError(f"{url} is not a corpus root: {join(url, CONFIG_FILE)} does not exist")
    for rel in MIRRORED_FILES:
        source = join(base, rel)
        if fs.isfile(source):
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(fs.cat_file(source))
    for folder in (RAW_DIR, ANNOTATIONS_DIR):
        (dest / folder).mkdir(parents=True, exist_ok=True)
        _mirror_listing(fs, join(base, folder), dest / folder)
    passes = join(base, PASSES_DIR)
    if fs.isdir(passes):
        (dest / PASSES_DIR).mkdir(exist_ok=True)
        _mirror_listing(fs, passes, dest / PASSES_DIR)
        for sub in sorted(p for p in (dest / PASSES_DIR).iterdir() if p.is_dir()):
            _mirror_listing(fs, join(passes, sub.name), sub)


def _mirror_listing(fs: Any, prefix: str, local: Path) -> None:
    """Every entry of the remote folder ``prefix`` as an empty local file or folder in ``local``."""
    if not fs.isdir(prefix):
        return
    for entry in fs.ls(prefix, detail=True):
        name = entry["name"].rstrip("/").rsplit("/", 1)[-1]
        if name in ("", ".", "..") or (local / name).exists():
            continue
        if entry["type"] == "directory":
            (local / name).mkdir()
        else:
            (local / name).touch()
