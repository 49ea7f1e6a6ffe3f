"""``verify_release(folder)``: check a release folder against its ``SHA256SUMS``.

Every file listed must exist, be a regular file (not a link) and have the listed sha256; every
file in the folder must be listed. The loaders (:func:`corpus_pkg.load`,
:func:`corpus_pkg.load_documents`) call this before they serve a release, and ``corpus verify``
is the command-line twin (the check to run before ``datasets.load_dataset(<folder>)``, which does
not read SHA256SUMS).
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import CorpusError

__all__ = ("CHECKSUMS_FILE", "ReleaseIntegrityError", "VerifyResult", "verify_release")

CHECKSUMS_FILE = "SHA256SUMS"
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


class ReleaseIntegrityError(CorpusError):
    """A release folder does not match its SHA256SUMS."""

    def __init__(self, result: VerifyResult) -> None:
        self.result = result
        super().__init__(result.summary())


@dataclass
class VerifyResult:
    """What :func:`verify_release` found; ``ok`` when the folder is whole."""

    release: Path
    checked: int = 0
    bad: list[str] = field(default_factory=list)  # listed, present, different bytes
    missing: list[str] = field(default_factory=list)  # listed, absent (or not a regular file)
    extra: list[str] = field(default_factory=list)  # present, not listed
    problems: list[str] = field(default_factory=list)  # SHA256SUMS itself absent or malformed

    @property
    def ok(self) -> bool:
        return not (self.bad or self.missing or self.extra or self.problems)

    def lines(self) -> list[str]:
        """One line per problem, naming the release-relative file."""
        out = list(self.problems)
        out += [f"{rel}: checksum mismatch (the file was changed after the build)" for rel in self.bad]
        out += [f"{rel}: missing (listed in {CHECKSUMS_FILE})" for rel in self.missing]
        out += [f"{rel}: not listed in {CHECKSUMS_FILE} (added after the build)" for rel in self.extra]
        return out

    def summary(self) -> str:
        if self.ok:
            return f"{self.release}: OK, {self.checked} file(s) match {CHECKSUMS_FILE}"
        lines = self.lines()
        return f"{self.release} does not match its {CHECKSUMS_FILE} ({len(lines)} problem(s)):\n" + "\n".join(
            f"  {line}" for line in lines
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _listed(sums: Path, result: VerifyResult) -> dict[str, str]:
    listed: dict[str, str] = {}
    try:
        text = sums.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        result.problems.append(f"{CHECKSUMS_FILE}: not UTF-8 text")
        return listed
    for number, line in enumerate(text.splitlines(), 1):
        match = _LINE.fullmatch(line)
        rel = match.group(2) if match else ""
        if not match or rel.startswith("/") or ".." in rel.split("/") or rel == CHECKSUMS_FILE:
            result.problems.append(f"{CHECKSUMS_FILE} line {number}: expected '<sha256>  <path>', got {line!r}")
            continue
        listed[rel] = match.group(1)
    return listed


def verify_release(release: str | Path) -> VerifyResult:
    """Compare every file of ``release`` with ``SHA256SUMS``; never raises for a damaged folder.

    Raises:
        CorpusError: ``release`` is not a folder.

    Example:
        >>> verify_release("dist/release").ok  # doctest: +SKIP
        True
    """
    folder = Path(release)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such release folder")
    result = VerifyResult(folder)
    sums = folder / CHECKSUMS_FILE
    if sums.is_symlink() or not sums.is_file():
        result.problems.append(f"{CHECKSUMS_FILE}: missing; this is not a release folder made by `corpus build`")
        return result
    listed = _listed(sums, result)
    present = {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if (p.is_file() or p.is_symlink()) and p != sums
    }
    for rel, expected in sorted(listed.items()):
        path = folder / rel
        if path.is_symlink() or not path.exists():
            result.missing.append(rel if not path.is_symlink() else f"{rel} (a symbolic link)")
            continue
        if not stat.S_ISREG(path.stat().st_mode):
            result.missing.append(f"{rel} (not a regular file)")
            continue
        result.checked += 1
        if _sha256(path) != expected:
            result.bad.append(rel)
    result.extra = sorted(present - set(listed))
    return result


def require_whole(release: Path) -> Path:
    """``release`` if it matches its SHA256SUMS, else raise :class:`ReleaseIntegrityError`."""
    result = verify_release(release)
    if not result.ok:
        raise ReleaseIntegrityError(result)
    return release
