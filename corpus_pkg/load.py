"""Load the dataset: ``load(config, split)`` (datasets objects) and ``load_documents()`` (pydantic).

Where the data comes from:

* **source checkout** (the package sits next to ``corpus.json``, or ``root=`` is given): the
  release is built on demand into ``<root>/.corpus_cache/releases/<content hash>/`` and reused until a
  raw file, annotation file, corpus.json, entities.json or the guidelines change;
  ``version="X.Y.Z"`` reads the frozen ``<root>/releases/X.Y.Z/`` instead.
* **installed wheel**: the release shipped as package data in ``corpus_pkg/data/release/``
  (copied there by ``scripts/sync_package_data.py``).

Both paths read the same Parquet files that ``datasets.load_dataset(<release>, <config>)`` reads.
Before serving a release the loaders check it against its ``SHA256SUMS`` (a damaged cache entry
is rebuilt, a damaged frozen or packaged release is refused). ``datasets.load_dataset`` does not
read SHA256SUMS: run ``corpus verify <release>`` before loading a folder that way.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._cache import code_fingerprint
from .corpus import ANNOTATIONS_DIR, CONFIG_FILE, CorpusError
from .tables.read import iter_release_documents

if TYPE_CHECKING:
    from .schema import Document

# ``datasets`` and ``pyarrow`` are imported inside the functions: ``import corpus_pkg`` (which
# exports ``load``) stays fast for the CLI.

__all__ = (
    "CACHE_DIR",
    "PACKAGE_RELEASE",
    "content_hash",
    "iter_release_documents",
    "load",
    "load_documents",
)

#: The release shipped inside the wheel.
PACKAGE_RELEASE = Path(__file__).resolve().parent / "data" / "release"
#: Folder (under the corpus root) holding releases built on demand.
CACHE_DIR = ".corpus_cache"
#: Bump when the release layout changes, so old cache entries are not reused.
BUILD_FORMAT = "2"


def source_root() -> Path | None:
    """The corpus root of a source checkout (the folder above the package), or None when installed."""
    repo = Path(__file__).resolve().parent.parent
    return repo if (repo / CONFIG_FILE).is_file() and (repo / ANNOTATIONS_DIR).is_dir() else None


def content_hash(root: str | Path) -> str:
    """sha256 over every input of a build (paths and bytes) and the code that builds it."""
    from ._hashindex import HashIndex
    from .release.inputs import inputs_digest

    # the build and every module it imports
    salt = f"corpus_pkg release format {BUILD_FORMAT}\n{code_fingerprint('corpus_pkg.release.build')}\n"
    index = HashIndex.load(root)  # files whose stat did not change are not read again
    digest = inputs_digest(root, salt, index=index)
    index.save()
    return digest


def release_path(version: str | None = None, root: str | Path | None = None) -> Path:
    """The release folder to read, building it into the cache when needed (see the module docstring)."""
    corpus_root = Path(root).resolve() if root is not None else source_root()
    if corpus_root is None:
        if not (PACKAGE_RELEASE / "README.md").is_file():
            raise CorpusError(
                f"no corpus found: this installation has no packaged release at {PACKAGE_RELEASE} "
                "and is not a source checkout; pass root= a corpus folder"
            )
        packaged = _release_version(PACKAGE_RELEASE)
        if version is not None and version != packaged:
            raise CorpusError(f"version {version} is not installed; this package ships version {packaged}")
        return PACKAGE_RELEASE
    if version is not None:
        frozen = corpus_root / "releases" / version
        if not (frozen / "README.md").is_file():
            known = sorted(p.name for p in (corpus_root / "releases").glob("*") if (p / "README.md").is_file())
            raise CorpusError(
                f"no release {version} under {corpus_root / 'releases'}; available: {', '.join(known) or 'none'} "
                "(create one with `corpus release`)"
            )
        return frozen
    return cached_release(corpus_root)


def cached_release(root: Path) -> Path:
    """Build ``root`` into ``.corpus_cache/releases/<hash>`` unless a build that verifies exists; drop stale entries.

    A cache entry is reused only when every file matches its SHA256SUMS; a damaged one (a file
    deleted or edited, a build killed half way) is deleted and rebuilt.
    """
    from ._lock import write_lock
    from .release.build import build
    from .release.verify import verify_release

    cache = root / CACHE_DIR / "releases"
    target = cache / content_hash(root)[:20]
    with write_lock(root, "release-cache"):  # two loaders in parallel build it once
        if target.is_dir() and verify_release(target).ok:
            return target
        if target.exists() or target.is_symlink():
            _remove(target)
        build(root, target, overwrite=True)
        for other in cache.iterdir():
            if other != target and not other.name.startswith("."):
                _remove(other)
    return target


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def verified_release(version: str | None = None, root: str | Path | None = None) -> Path:
    """:func:`release_path`, checked against its SHA256SUMS.

    A cached build that fails the check is rebuilt; a frozen or packaged release that fails raises.

    Raises:
        ReleaseIntegrityError: a file differs from SHA256SUMS, is missing, or was added.
    """
    from .release.verify import ReleaseIntegrityError, verify_release

    release = release_path(version, root)
    if release.parent.name == "releases" and release.parent.parent.name == CACHE_DIR:
        return release  # cached_release() verified it (or has just built it)
    result = verify_release(release)
    if result.ok:
        return release
    raise ReleaseIntegrityError(result)


def _release_version(release: Path) -> str:
    data = json.loads((release / "metadata" / "corpus.json").read_text(encoding="utf-8"))
    return str(data["version"])


def load(
    config: str,
    split: str | None = None,
    version: str | None = None,
    root: str | Path | None = None,
    **kwargs: Any,
) -> Any:
    """A config of the release as ``datasets.Dataset`` (with ``split``) or ``DatasetDict``.

    Args:
        config: one of documents, entities, quotes, numbers, stance, ner, full, registry.
        split: e.g. "train"; None returns every split.
        version: a frozen release (``releases/<version>/`` in a checkout, or the packaged version).
        root: corpus folder to build from (default: the source checkout, else the packaged release).
        **kwargs: passed to ``datasets.load_dataset`` (e.g. ``cache_dir``).

    Example:
        >>> ds = load("entities", split="train")  # doctest: +SKIP
        >>> ds.features["label"].names[:2]
        ['PERSON', 'NORP']
    """
    import datasets

    from .tables.features import CONFIG_NAMES

    if config not in CONFIG_NAMES:
        raise ValueError(f"unknown config {config!r}; choose one of {', '.join(CONFIG_NAMES)}")
    return datasets.load_dataset(str(verified_release(version, root)), config, split=split, **kwargs)


def load_documents(
    split: str | None = None, version: str | None = None, root: str | Path | None = None
) -> list[Document]:
    """Every document of the release (gold annotations only), sorted by doc_id.

    Example:
        >>> docs = load_documents()  # doctest: +SKIP
        >>> docs[0].annotations.entities[0].label
        'PERSON'
    """
    docs = list(iter_release_documents(verified_release(version, root), split))
    return sorted(docs, key=lambda d: d.doc_id)
