"""``release(root, bump=...)``: freeze an immutable, versioned release under ``releases/<version>/``.

The version lives in ``corpus.json``. With ``bump`` the version is raised first (patch, minor or
major); the release folder must not exist yet (releases are never overwritten). After a
successful build the files are made read-only, ``corpus.json`` gets the new version and
``CHANGELOG.md`` gets a new entry on top, with the message and a diff against the previous release.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path
from typing import Literal

from .._io import atomic_write_text
from .._lock import CONFIG, write_lock
from ..corpus import Corpus, CorpusError
from .build import BuildResult, build
from .diff import diff

__all__ = ("CHANGELOG", "RELEASES_DIR", "bump_version", "release", "releases")

RELEASES_DIR = "releases"
CHANGELOG = "CHANGELOG.md"
Bump = Literal["patch", "minor", "major"]

_VERSION_KEY = re.compile(r'("version"\s*:\s*")(\d+\.\d+\.\d+)(")')


def bump_version(version: str, part: Bump) -> str:
    """``bump_version("1.2.3", "minor") == "1.3.0"``."""
    major, minor, patch = (int(x) for x in version.split("."))
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown bump {part!r}; expected patch, minor or major")


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(x) for x in name.split("."))


def releases(root: str | Path = ".") -> list[str]:
    """Versions frozen under ``releases/``, oldest first."""
    folder = Path(root) / RELEASES_DIR
    if not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if re.fullmatch(r"\d+\.\d+\.\d+", p.name) and (p / "README.md").is_file()]
    return sorted(names, key=_version_key)


def release(
    root: str | Path = ".",
    bump: Bump | None = None,
    message: str | None = None,
    date: dt.date | None = None,
) -> BuildResult:
    """Build ``releases/<version>/`` (read-only), bump corpus.json if asked, and prepend a CHANGELOG entry.

    Raises:
        FileExistsError: ``releases/<version>/`` already exists (bump the version).
        InvalidCorpusError: the corpus does not validate (nothing changes).

    Example:
        >>> release(".", bump="minor", message="Stance for all five articles")  # doctest: +SKIP
    """
    with write_lock(Corpus.at(root).root, CONFIG):  # corpus.json and CHANGELOG.md: one release at a time
        return _release_locked(Corpus.at(root), bump, message, date)


def _release_locked(corpus: Corpus, bump: Bump | None, message: str | None, date: dt.date | None) -> BuildResult:
    current = corpus.config.version
    version = bump_version(current, bump) if bump else current
    target = corpus.root / RELEASES_DIR / version
    if target.exists():
        raise FileExistsError(
            f"release {version} already exists at {target}; releases are immutable, "
            "use --bump patch|minor|major for a new version"
        )
    previous = [v for v in releases(corpus.root) if _version_key(v) < _version_key(version)]
    result = build(corpus.root, target, version=version)
    _make_read_only(target)
    if version != current:
        _write_version(corpus.config_path, version)
    changes = diff(corpus.root / RELEASES_DIR / previous[-1], target) if previous else None
    entry = [f"## {version} ({(date or dt.date.today()).isoformat()})", "", message or "No message given.", ""]
    entry.append(
        f"{result.documents} document(s); rows: "
        + ", ".join(f"{c} {sum(s.values())}" for c, s in result.rows.items())
        + "."
    )
    if changes is not None:
        entry += ["", f"Changes since {previous[-1]}:", ""]
        entry += [f"- {name}: +{c['added']} -{c['removed']} ~{c['changed']}" for name, c in changes.counts().items()]
    _prepend_changelog(corpus.root / CHANGELOG, "\n".join(entry) + "\n")
    return result


def _make_read_only(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _write_version(config_path: Path, version: str) -> None:
    """Replace the top-level version in corpus.json, keeping the file's layout."""
    text = config_path.read_text(encoding="utf-8")
    new_text, n = _VERSION_KEY.subn(lambda m: f"{m.group(1)}{version}{m.group(3)}", text, count=1)
    if n != 1:
        raise CorpusError(f'{config_path}: no "version" key to update')
    atomic_write_text(config_path, new_text)


def _prepend_changelog(path: Path, entry: str) -> None:
    header = "# Changelog\n\n"
    old = path.read_text(encoding="utf-8") if path.is_file() else header
    body = old[len(header) :] if old.startswith(header) else old
    atomic_write_text(path, header + entry + ("\n" + body if body.strip() else ""))
