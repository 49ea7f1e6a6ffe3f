"""Where a build puts its release, atomically: a local folder, or a prefix of an object store.

Both targets give the workers a *staging* location to write the shards' files into, take the
client's files (card, Croissant, metadata), name the shards' files, and put the release in place
only in :meth:`commit`:

- :class:`FolderTarget` (a path): staging is a temporary folder beside ``out``; ``commit`` renames
  it to ``out`` (an existing release is renamed away first and deleted last). An interrupted or
  failed build leaves no release at ``out``.
- :class:`ObjectStoreTarget` (a URL such as ``s3://bucket/rel/0.3.0``): staging is the temporary
  prefix ``<parent>/.<name>.tmp-<random>/``. Object stores cannot rename a prefix, so ``commit``
  writes the marker ``.corpus-release-incomplete`` at ``out``, removes an old release there (its
  ``SHA256SUMS`` first), copies every file to its final name, writes ``SHA256SUMS`` last and then
  removes the marker. ``SHA256SUMS`` is the completed-release marker: a prefix without it is not a
  release (readers and ``corpus publish`` check it), and one with the incomplete marker may be
  replaced by the next ``--overwrite`` build.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

from .._io import atomic_write_bytes, process_alive
from .._storage import is_remote, join, local_path, open_url
from .verify import CHECKSUMS_FILE

__all__ = ("CHECKSUMS_FILE", "INCOMPLETE_MARKER", "FolderTarget", "ObjectStoreTarget", "ReleaseTarget", "open_target")

INCOMPLETE_MARKER = ".corpus-release-incomplete"


class ReleaseTarget:
    """Interface of the two targets (see the module docstring)."""

    staging: str  # folder or URL the workers write into (valid after ``start``)
    location: str  # the release's final location, for messages and results

    def start(self) -> None:
        """Create the staging location."""
        raise NotImplementedError

    def write(self, relative: str, data: bytes) -> None:
        """Add a file written by the client."""
        raise NotImplementedError

    def rename(self, source: str, target: str) -> None:
        """Give a file the workers wrote its final release-relative name."""
        raise NotImplementedError

    def commit(self, files: list[str], checksums: bytes) -> None:
        """Put the release (exactly ``files`` and ``SHA256SUMS``) in place."""
        raise NotImplementedError

    def abort(self) -> None:
        """Remove the staging location (after an error; never raises)."""
        raise NotImplementedError


def open_target(out: str | os.PathLike[str], overwrite: bool) -> ReleaseTarget:
    """The target for ``out``; refuses an existing release unless ``overwrite``."""
    if is_remote(out):
        return ObjectStoreTarget(os.fspath(out).rstrip("/"), overwrite)
    return FolderTarget(local_path(out).resolve(), overwrite)


class FolderTarget(ReleaseTarget):
    """A release folder on a local (or mounted) file system."""

    def __init__(self, out: Path, overwrite: bool) -> None:
        self.out = out
        self.location = str(out)
        self.overwrite = overwrite
        refuse_existing(out, overwrite)

    def start(self) -> None:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-{os.getpid()}-", dir=self.out.parent))
        self.tmp.chmod(0o755)
        self.staging = str(self.tmp)

    def write(self, relative: str, data: bytes) -> None:
        atomic_write_bytes(self.tmp / relative, data)

    def rename(self, source: str, target: str) -> None:
        os.rename(self.tmp / source, self.tmp / target)

    def commit(self, files: list[str], checksums: bytes) -> None:
        expected = {self.tmp / rel for rel in files}
        for path in self.tmp.rglob("*"):  # e.g. a partial file of a worker killed mid-shard
            if path.is_file() and path not in expected:
                path.unlink()
        atomic_write_bytes(self.tmp / CHECKSUMS_FILE, checksums)
        swap_into_place(self.tmp, self.out, self.overwrite)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def refuse_existing(out: Path, overwrite: bool) -> None:
    """Refuse to replace ``out`` unless ``overwrite``, and never replace something that is not a release."""
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists; pass --overwrite (overwrite=True) to replace it")
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder; refusing to replace it")
    if out.is_dir() and any(out.iterdir()) and not (out / CHECKSUMS_FILE).is_file():
        raise FileExistsError(
            f"{out} is not empty and is not a release (no SHA256SUMS); refusing to replace it even with --overwrite"
        )


def swap_into_place(tmp: Path, out: Path, overwrite: bool) -> None:
    """Rename ``tmp`` to ``out``; an existing ``out`` is renamed away first and deleted last."""
    refuse_existing(out, overwrite)
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_temporaries(out: Path) -> list[Path]:
    """Delete ``.<out>.tmp-<pid>-*`` and ``.<out>.old-<pid>-*`` folders left by builds that were killed.

    A folder is stale when the process named in it is gone; a folder of a build still running
    (here or in another process) is kept. Returns the folders removed.
    """
    removed = []
    for path in out.parent.glob(f".{glob.escape(out.name)}.*-*"):
        match = re.fullmatch(rf"\.{re.escape(out.name)}\.(?:tmp|old)-(\d+)-[^/]+", path.name)
        if match and path.is_dir() and not path.is_symlink() and not process_alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class ObjectStoreTarget(ReleaseTarget):
    """A release under a prefix of an object store (S3 and the like, through fsspec)."""

    def __init__(self, url: str, overwrite: bool) -> None:
        self.location = url
        self.fs, self.path = open_url(url)
        self.overwrite = overwrite
        self.renamed: dict[str, str] = {}  # final name -> staging name
        self._refuse_existing()

    def _existing(self) -> list[str]:
        with contextlib.suppress(FileNotFoundError):
            return [p for p in self.fs.find(self.path) if p.rstrip("/") != self.path.rstrip("/")]
        return []

    def _refuse_existing(self) -> None:
        existing = self._existing()
        if not existing:
            return
        if not self.overwrite:
            raise FileExistsError(f"{self.location} already exists; pass --overwrite (overwrite=True) to replace it")
        names = {p[len(self.path) :].lstrip("/") for p in existing}
        if not names & {CHECKSUMS_FILE, INCOMPLETE_MARKER}:
            raise FileExistsError(
                f"{self.location} is not empty and is not a release (no SHA256SUMS); "
                "refusing to replace it even with --overwrite"
            )

    def start(self) -> None:
        parent, _, name = self.path.rstrip("/").rpartition("/")
        self.tmp = f"{parent}/.{name}.tmp-{uuid.uuid4().hex[:12]}"
        self.staging = self.fs.unstrip_protocol(self.tmp)

    def write(self, relative: str, data: bytes) -> None:
        self.fs.pipe_file(join(self.tmp, relative), data)

    def rename(self, source: str, target: str) -> None:
        self.renamed[target] = source

    def commit(self, files: list[str], checksums: bytes) -> None:
        self._refuse_existing()
        self.fs.pipe_file(join(self.path, INCOMPLETE_MARKER), b"a build is writing this release\n")
        old = self._existing()
        sums = join(self.path, CHECKSUMS_FILE)
        if sums in old:
            self.fs.rm_file(sums)  # first: from now on the old release is visibly incomplete
        stale = [p for p in old if p not in (sums, join(self.path, INCOMPLETE_MARKER))]
        if stale:
            self.fs.rm(stale)
        sources = [join(self.tmp, self.renamed.get(rel, rel)) for rel in files]
        self.fs.copy(sources, [join(self.path, rel) for rel in files])  # concurrent, server-side where possible
        self.fs.pipe_file(sums, checksums)
        self.fs.rm_file(join(self.path, INCOMPLETE_MARKER))
        self.abort()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.fs.rm(self.tmp, recursive=True)
