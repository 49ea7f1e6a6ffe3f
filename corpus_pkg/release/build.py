"""``build(root, out)``: raw text + annotations -> a Hugging Face release folder.

The release holds ``data/<config>/<split>-00000-of-0000N.parquet`` for every config, a dataset
card (``README.md``), ``croissant.json``, ``metadata/`` (corpus.json, entities.json and the
guidelines) and ``SHA256SUMS``. Each split is cut into shards of documents (see
:mod:`corpus_pkg.build.shards`); a worker validates a shard's documents, turns them into rows with the
pure function :func:`corpus_pkg.build.rows.document_rows` and writes them in row groups, so memory does
not grow with the corpus. The build is deterministic (same inputs, same bytes) and atomic: it
writes into a temporary folder beside ``out`` and renames it into place only when everything is
written and every document is valid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from datasets import Features

from .._cache import CacheStats, ContentCache, default_cache_dir
from .._io import atomic_write_text, write_json
from ..build.features import CONFIG_NAMES, DOCUMENT_CONFIGS, LabelSets, release_features
from ..build.rows import RowContext, registry_rows
from ..build.shards import (
    PARQUET_OPTIONS,
    ShardResult,
    ShardSettings,
    ShardTask,
    plan_shards,
    run_shards,
    shard_code,
    write_table,
)
from ..corpus import DOCS_PER_SHARD, Corpus, CorpusError
from ..schema import CorpusConfig
from ..validate import Report, decode_issues, make_report, validate, validation_code
from ..validate.checks import DocumentPaths, load_config_issues, pair_paths
from ..validate.issues import Issue
from .card import ReleaseStats, dataset_card, merge_stats
from .croissant import croissant_jsonld, sha256_file
from .info import ReleaseInfo, agreement_summary
from .inputs import AGREEMENT, inputs_digest

__all__ = (
    "DEFAULT_OUT",
    "PARQUET_OPTIONS",
    "BuildResult",
    "InvalidCorpusError",
    "assign_splits",
    "build",
    "sha256_file",
    "shard_plan",
)

#: Where ``corpus build`` writes when no ``--out`` is given (relative to the corpus root).
DEFAULT_OUT = Path("dist") / "release"

CHECKSUMS_FILE = "SHA256SUMS"
GUIDELINES = Path("annotations") / "GUIDELINES.md"
#: What kind of release this is and what it was built from: ``{"text": bool, "inputs_sha256": str}``.
RELEASE_FILE = Path("metadata") / "release.json"


class InvalidCorpusError(CorpusError):
    """The corpus did not validate; ``report`` holds every issue. Nothing was written."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(
            f"the corpus is invalid ({len(report.errors)} error(s)); nothing was built. "
            "Run `corpus validate` for the full report."
        )


@dataclass
class BuildResult:
    """What a build wrote."""

    out: Path
    version: str
    documents: int
    rows: dict[str, dict[str, int]]  # config -> split -> rows
    files: list[str]  # release-relative paths, sorted
    ner_skipped: list[tuple[str, str, str]]  # (doc_id, mention_id, reason)
    seconds: float = 0.0
    warnings: int = 0
    cache: CacheStats = field(default_factory=CacheStats)  # rows served from / added to the cache

    def summary(self) -> str:
        """One line per config, e.g. ``entities: train=1234``."""
        lines = [f"release {self.version}: {self.documents} document(s) -> {self.out}"]
        for config, splits in self.rows.items():
            lines.append(f"  {config}: " + ", ".join(f"{split}={n}" for split, n in splits.items()))
        return "\n".join(lines)


def assign_splits(config: CorpusConfig, doc_ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> split name. Documents listed under ``splits`` in corpus.json go there; others go to ``train``.

    Raises:
        CorpusError: a document is listed in two splits.
    """
    listed: dict[str, str] = {}
    for split, ids in config.splits.items():
        for doc_id in ids:
            if doc_id in listed and listed[doc_id] != split:
                raise CorpusError(
                    f"corpus.json: document {doc_id!r} is listed in splits {listed[doc_id]!r} and {split!r}; "
                    "a document belongs to one split"
                )
            listed[doc_id] = split
    return {doc_id: listed.get(doc_id, "train") for doc_id in doc_ids}


def split_names(config: CorpusConfig, assignment: dict[str, str]) -> list[str]:
    """Splits the release ships: ``train`` first when any document lands there, then declared splits in order."""
    names = ["train"] if "train" in assignment.values() or not config.splits else []
    names += [name for name in config.splits if name not in names]
    return names


def shard_plan(
    config: CorpusConfig, docs: list[DocumentPaths], docs_per_shard: int = DOCS_PER_SHARD
) -> tuple[list[str], list[ShardTask]]:
    """The splits a release ships, and the shards (runs of documents) each split is cut into."""
    assignment = assign_splits(config, [d.doc_id for d in docs])
    splits = split_names(config, assignment)
    by_split = {split: [d for d in docs if assignment[d.doc_id] == split] for split in splits}
    return splits, plan_shards(by_split, docs_per_shard)


def build(
    root: str | Path = ".",
    out: str | Path | None = None,
    overwrite: bool = False,
    cache: bool = True,
    version: str | None = None,
    row_group_size: int = 1000,
    docs_per_shard: int = DOCS_PER_SHARD,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    text: bool = True,
) -> BuildResult:
    """Validate the corpus at ``root`` and write its release folder to ``out``.

    Args:
        root: corpus folder.
        out: release folder (default ``<root>/dist/release``). Refused if it exists, unless ``overwrite``.
        overwrite: replace an existing ``out`` (atomically: the old folder is renamed away, the new one
            renamed in, then the old one deleted).
        cache: reuse the validation issues of documents, and the Parquet files of shards, whose bytes
            did not change, from ``<root>/.corpus_cache/`` (``--no-cache`` turns it off). The output is
            byte-identical either way.
        version: version to stamp on the release (default: ``version`` in corpus.json).
        row_group_size: rows per Parquet row group.
        docs_per_shard: about this many documents per Parquet file of a split (see
            :func:`corpus_pkg.build.shards.plan_shards`); the unit of parallel work and of the build cache
            (a changed document rebuilds its shard only).
        progress: called with one line per document (for the CLI's ``--verbose``).
        workers: processes building shards (default: one per core for 200 documents or more; 1 = none).
        text: False builds a text-free release (``--no-text``): the same configs with offsets, each
            article's sha256 and no copy of article text (see :mod:`corpus_pkg.build.textfree`);
            ``corpus rehydrate`` turns it back into the full release from the user's copies of the articles.

    Raises:
        InvalidCorpusError: validation found errors (nothing is written).
        FileExistsError: ``out`` exists and ``overwrite`` is false.

    Example:
        >>> result = build("tests/data/mini", "/tmp/mini-release", overwrite=True)  # doctest: +SKIP
        >>> result.rows["entities"]
        {'train': 2}
    """
    started = time.perf_counter()
    corpus = Corpus.at(root)
    out = Path(out) if out is not None else corpus.root / DEFAULT_OUT
    out = out.resolve()
    if out == corpus.root or corpus.root.is_relative_to(out):
        raise CorpusError(f"--out {out} would replace the corpus itself; choose a folder inside or beside it")
    for source in (corpus.raw_dir, corpus.annotations_dir):
        if out == source or out.is_relative_to(source):
            raise CorpusError(f"--out {out} lies inside the corpus's {source.name}/ folder; choose another folder")
    _refuse_existing(out, overwrite)
    if row_group_size < 1:
        raise ValueError(f"row_group_size must be at least 1, got {row_group_size}")
    check_ctx, issues, _ = load_config_issues(corpus.root)
    docs, pairing = pair_paths(corpus.root)
    issues += pairing
    if any(issue.severity == "error" for issue in issues):  # documents cannot be built: report everything
        raise InvalidCorpusError(validate(corpus.root, cache=cache, workers=workers))
    if not docs:
        raise CorpusError(
            f"{corpus.annotations_dir} holds no documents, so there is nothing to release; "
            "add articles with `corpus add-article` first"
        )

    config, registry = corpus.config, corpus.registry
    version = version or config.version
    features = release_features(LabelSets.from_config(config))
    splits, tasks = shard_plan(config, docs, docs_per_shard)
    stats = ReleaseStats(splits=splits)
    cache_stats = CacheStats()

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        tmp.chmod(0o755)
        settings = ShardSettings(
            root=str(corpus.root),
            release=str(tmp),
            features={name: features[name] for name in DOCUMENT_CONFIGS},
            row_ctx=RowContext(entity_names={e.id: e.name for e in registry.entities}),
            check_ctx=check_ctx,
            row_group_size=row_group_size,
            validate_cache=str(default_cache_dir(corpus.root, "validate")) if cache else None,
            shard_cache=str(default_cache_dir(corpus.root, "build")) if cache else None,
            validate_code=validation_code() if cache else "",
            shard_code=shard_code() if cache else "",
            with_text=text,
        )
        results: list[ShardResult] = []
        for result in run_shards(settings, tasks, workers):
            results.append(result)
            cache_stats.add(result.shard_cache)
            if progress:
                for doc in result.task.docs:
                    progress(f"{doc.doc_id} -> {result.task.split}")
        report = _report(issues, docs, results)
        if not report.valid:
            raise InvalidCorpusError(report)
        data_files = _name_shards(tmp, results, splits)
        _write_registry(tmp, registry_rows(registry), features["registry"], row_group_size, stats, data_files)
        for result in results:
            merge_stats(stats, result.stats)
            for config_name, nbytes in result.nbytes.items():
                stats.nbytes[config_name][result.task.split] += nbytes
        _write_metadata(corpus, tmp, version, text)
        info = ReleaseInfo(
            config,
            version,
            features,
            data_files,
            tmp,
            with_text=text,
            agreement=agreement_summary(corpus.root),
            dates=(stats.dates[0], stats.dates[1]) if stats.dates else None,
        )
        card = dataset_card(
            info,
            stats,
            guidelines=_read_optional(corpus.root / GUIDELINES),
            agreement=_read_optional(corpus.root / AGREEMENT),
        )
        atomic_write_text(tmp / "README.md", card)
        write_json(tmp / "croissant.json", croissant_jsonld(info))
        files = _write_checksums(tmp)
        _swap_into_place(tmp, out, overwrite)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if cache:
        _prune_build_cache(corpus.root, results)
    return BuildResult(
        out=out,
        version=version,
        documents=len(docs),
        rows={c: dict(stats.rows[c]) for c in CONFIG_NAMES},
        files=files,
        ner_skipped=list(stats.ner_skipped),
        seconds=time.perf_counter() - started,
        warnings=len(report.warnings),
        cache=cache_stats,
    )


def _refuse_existing(out: Path, overwrite: bool) -> None:
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists; pass --overwrite (overwrite=True) to replace it")
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder; refusing to replace it")
    if out.is_dir() and any(out.iterdir()) and not (out / "SHA256SUMS").is_file():
        raise FileExistsError(
            f"{out} is not empty and is not a release (no SHA256SUMS); refusing to replace it even with --overwrite"
        )


def _swap_into_place(tmp: Path, out: Path, overwrite: bool) -> None:
    """Rename ``tmp`` to ``out``; an existing ``out`` is renamed away first and deleted last."""
    _refuse_existing(out, overwrite)
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _read_optional(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _write_metadata(corpus: Corpus, tmp: Path, version: str, text: bool) -> None:
    """Copy corpus.json (stamped with the release version), entities.json, the guidelines and the
    agreement study; write release.json (text or text-free, and the digest of the corpus's input files)."""
    meta = tmp / "metadata"
    meta.mkdir()
    write_json(tmp / RELEASE_FILE, {"text": text, "inputs_sha256": inputs_digest(corpus.root)})
    if (corpus.root / AGREEMENT).is_file():
        shutil.copyfile(corpus.root / AGREEMENT, meta / "agreement.md")
    write_json(meta / "corpus.json", corpus.config.model_copy(update={"version": version}).model_dump(mode="json"))
    if corpus.registry_path.is_file():
        shutil.copyfile(corpus.registry_path, meta / "entities.json")
    guidelines = corpus.root / GUIDELINES
    if guidelines.is_file():
        shutil.copyfile(guidelines, meta / "GUIDELINES.md")


def _write_checksums(release: Path) -> list[str]:
    """Write ``SHA256SUMS`` (``sha256sum -c`` format) for every file; return all release-relative paths."""
    paths = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    lines = [f"{sha256_file(release / rel)}  {rel}\n" for rel in paths]
    atomic_write_text(release / CHECKSUMS_FILE, "".join(lines))
    return sorted([*paths, CHECKSUMS_FILE])


def _report(issues: list[Issue], docs: list[DocumentPaths], results: list[ShardResult]) -> Report:
    """The validation report of the whole corpus, documents in corpus order (as ``validate`` gives it)."""
    by_doc = {doc.doc_id: payload for result in results for doc, payload in zip(result.task.docs, result.issues)}
    for doc in docs:
        issues.extend(decode_issues(by_doc[doc.doc_id]))
    return make_report(issues, len(docs))


def _name_shards(release: Path, results: list[ShardResult], splits: list[str]) -> dict[str, dict[str, list[str]]]:
    """Rename the shards' partial files to ``<split>-0000i-of-0000N.parquet`` (numbered per config and
    split among the shards that have rows: ``datasets`` cannot load an empty file of a split).
    Returns config -> split -> release-relative paths, for configs and splits with rows."""
    files: dict[str, dict[str, list[str]]] = {}
    for config in CONFIG_NAMES:
        for split in splits:
            parts = [r.task for r in results if r.task.split == split and r.rows.get(config)]
            for i, task in enumerate(parts):
                target = f"data/{config}/{split}-{i:05d}-of-{len(parts):05d}.parquet"
                os.rename(release / task.partial_name(config), release / target)
                files.setdefault(config, {}).setdefault(split, []).append(target)
    return files


#: The split of the corpus-level ``registry`` config (it has no documents to split by).
REGISTRY_SPLIT = "train"


def _write_registry(
    release: Path,
    rows: list[dict],
    features: Features,
    row_group_size: int,
    stats: ReleaseStats,
    data_files: dict[str, dict[str, list[str]]],
) -> None:
    """Write the ``registry`` config (one row per entity of entities.json), when the registry has entities."""
    if not rows:
        return
    target = f"data/registry/{REGISTRY_SPLIT}-00000-of-00001.parquet"
    stats.nbytes["registry"][REGISTRY_SPLIT] += write_table(release / target, features, rows, row_group_size)
    stats.rows["registry"][REGISTRY_SPLIT] += len(rows)
    data_files["registry"] = {REGISTRY_SPLIT: [target]}


def _prune_build_cache(root: Path, results: list[ShardResult]) -> None:
    """Bound the shard cache: keep this build's entries, and of the others (older versions of edited
    shards, another branch's shards) the most recently used ones, up to as many bytes again."""
    with contextlib.suppress(OSError):  # the release is in place; a cache that cannot be pruned is no error
        ContentCache(default_cache_dir(root, "build")).prune({r.cache_key for r in results if r.cache_key})
