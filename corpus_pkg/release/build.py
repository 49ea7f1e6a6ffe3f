"""``build(root, out)``: raw text + annotations -> a Hugging Face release folder.

The release holds ``data/<config>/<split>-00000-of-0000N.parquet`` for every config, a dataset
card (``README.md``), ``croissant.json``, ``metadata/`` (corpus.json, entities.json and the
guidelines) and ``SHA256SUMS``. Each split is cut into shards of documents (see
:mod:`corpus_pkg.tables.plan`); a worker (:mod:`corpus_pkg.tables.shard`) validates a shard's
documents, turns them into rows with the pure function :func:`corpus_pkg.tables.rows.document_rows`
and writes them in row groups, so memory does not grow with the corpus. The build is
deterministic (same inputs, same bytes) and atomic: it writes into a temporary folder beside
``out`` and renames it into place only when everything is written and every document is valid.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from datasets import Features

from .._cache import CacheStats, ContentCache, default_cache_dir
from .._engines import open_executor
from .._hashindex import HashIndex
from .._io import dumps_json
from .._pool import Executor, Work, fewer_collections
from .._storage import is_remote, local_path, open_root
from ..corpus import DOCS_PER_SHARD, Corpus, CorpusError
from ..schema import EntityRegistry
from ..tables.features import CONFIG_NAMES, DOCUMENT_CONFIGS, LabelSets, release_features
from ..tables.parquet import PARQUET_OPTIONS, write_table
from ..tables.plan import ShardTask, assign_splits, shard_plan
from ..tables.rows import RowContext, registry_rows
from ..tables.shard import ShardBuilder, ShardResult, ShardSettings, build_shard, shard_code
from ..tables.stats import ReleaseStats, merge_stats
from ..validate import Report, decode_issues, make_report, open_corpus, validate_opened, validation_code
from ..validate.cached import DocumentChecker, chunk_names, save_issues
from ..validate.checks import DocumentPaths
from ..validate.issues import Issue
from .card import dataset_card
from .croissant import croissant_jsonld, sha256_file
from .info import ReleaseInfo, agreement_summary
from .inputs import AGREEMENT, inputs_digest
from .target import CHECKSUMS_FILE, FolderTarget, ReleaseTarget, open_target

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

GUIDELINES = Path("annotations") / "GUIDELINES.md"
#: What kind of release this is and what it was built from: ``{"text": bool, "inputs_sha256": str}``.
RELEASE_FILE = "metadata/release.json"
#: The split of the corpus-level ``registry`` config (it has no documents to split by).
REGISTRY_SPLIT = "train"


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

    out: Path | str  # a folder, or the URL of an object-store release
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


@fewer_collections()  # the main process makes ~100k small acyclic objects (paths, index entries, tasks)
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
    engine: str = "local",
    scheduler: str | None = None,
    text: bool = True,
) -> BuildResult:
    """Validate the corpus at ``root`` and write its release folder to ``out``.

    Args:
        root: corpus folder, or a URL such as ``s3://bucket/corpus`` (see :mod:`corpus_pkg._storage`).
        out: release folder or URL (default ``<root>/dist/release``). Refused if it exists, unless
            ``overwrite``. Written atomically (see :mod:`corpus_pkg.release.target`).
        overwrite: replace an existing ``out`` (a folder: the old one is renamed away, the new one
            renamed in, then the old one deleted).
        cache: reuse the validation issues of documents, and the Parquet files of shards, whose bytes
            did not change, from ``<root>/.corpus_cache/`` (``--no-cache`` turns it off; off for a
            URL root). The output is byte-identical either way.
        version: version to stamp on the release (default: ``version`` in corpus.json).
        row_group_size: rows per Parquet row group.
        docs_per_shard: about this many documents per Parquet file of a split (see
            :func:`corpus_pkg.tables.plan.plan_shards`); the unit of parallel work and of the build cache
            (a changed document rebuilds its shard only).
        progress: called with one line per document (for the CLI's ``--verbose``).
        workers: processes building shards (default: one per core for 200 documents or more; 1 = none);
            with ``engine="dask"`` and no scheduler, the LocalCluster's worker processes (default 2).
        engine: ``"local"`` (a process pool) or ``"dask"`` (one task per shard on a Dask cluster).
        scheduler: address of the Dask scheduler (``tcp://HOST:PORT``); none starts a LocalCluster.
        text: False builds a text-free release (``--no-text``): the same configs with offsets, each
            article's sha256 and no copy of article text (see :mod:`corpus_pkg.tables.textfree`);
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
    if row_group_size < 1:
        raise ValueError(f"row_group_size must be at least 1, got {row_group_size}")
    with open_root(root) as (local_root, source):
        corpus = Corpus.at(local_root)
        cache = cache and not is_remote(source)
        target = open_target(_out_location(corpus, source, out), overwrite)
        # the files' known sha256s (before anything is read: see corpus_pkg._hashindex)
        index = HashIndex.load(corpus.root) if cache else None
        opened = open_corpus(corpus.root)  # corpus.json and entities.json are read here, once
        if not opened.buildable:  # documents cannot be built: report everything
            raise InvalidCorpusError(
                validate_opened(opened, source, cache=cache, workers=workers, engine=engine, scheduler=scheduler)
            )
        docs, issues = opened.docs, opened.issues
        if not docs:
            raise CorpusError(
                f"{source}/annotations holds no documents, so there is nothing to release; "
                "add articles with `corpus add-article` first"
            )
        config, registry = opened.config, opened.registry or EntityRegistry()
        assert config is not None  # a missing or invalid corpus.json is an error above
        check_ctx = opened.ctx
        version = version or config.version
        features = release_features(LabelSets.from_config(config))
        splits, tasks = shard_plan(config, docs, docs_per_shard)
        chunks = chunk_names(docs) if cache else {}  # each document's chunk of the validate cache
        if index is not None:
            tasks = [_with_known_hashes(task, index, chunks) for task in tasks]
        stats = ReleaseStats(splits=splits)
        cache_stats = CacheStats()
        with open_executor(engine, workers, scheduler) as executor:
            target.start()
            try:
                settings = ShardSettings(
                    root=source,
                    release=target.staging,
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
                known: dict[str, str] = {}  # sha256 of the input files, by relative path
                for result in run_shards(settings, tasks, executor):
                    results.append(result)
                    _note_hashes(result, index, known)
                    cache_stats.add(result.shard_cache)
                    if progress:
                        for doc in result.task.docs:
                            progress(f"{doc.doc_id} -> {result.task.split}")
                if cache:
                    _save_checks(settings, docs, results, known, chunks)
                report = _report(issues, docs, results)
                if not report.valid:
                    raise InvalidCorpusError(report)
                data_files, facts = _name_shards(target, results, splits)
                for result in results:
                    merge_stats(stats, result.stats)
                    for config_name, nbytes in result.nbytes.items():
                        stats.nbytes[config_name][result.task.split] += nbytes
                registry_file = _registry_file(registry_rows(registry), features["registry"], row_group_size, stats)
                if registry_file:
                    rel, data = registry_file
                    target.write(rel, data)
                    data_files["registry"] = {REGISTRY_SPLIT: [rel]}
                    facts[rel] = (len(data), hashlib.sha256(data).hexdigest())
                info = ReleaseInfo(
                    config,
                    version,
                    features,
                    data_files,
                    facts,
                    with_text=text,
                    agreement=None if is_remote(source) else agreement_summary(corpus.root),
                    dates=(stats.dates[0], stats.dates[1]) if stats.dates else None,
                )
                digest = inputs_digest(corpus.root, source=source, known=known, index=index)
                client_files = _client_files(corpus, info, stats, digest)
                for rel, data in client_files.items():
                    target.write(rel, data)
                digests = {rel: sha for rel, (_size, sha) in facts.items()}
                digests.update((rel, hashlib.sha256(data).hexdigest()) for rel, data in client_files.items())
                files = sorted(digests)
                target.commit(files, "".join(f"{digests[rel]}  {rel}\n" for rel in files).encode("utf-8"))
            except BaseException:
                target.abort()
                raise
        if cache:
            _prune_build_cache(corpus.root, results)
        if index is not None:
            index.save()
    return BuildResult(
        out=Path(target.location) if isinstance(target, FolderTarget) else target.location,
        version=version,
        documents=len(docs),
        rows={c: dict(stats.rows[c]) for c in CONFIG_NAMES},
        files=sorted([*files, CHECKSUMS_FILE]),
        ner_skipped=list(stats.ner_skipped),
        seconds=time.perf_counter() - started,
        warnings=len(report.warnings),
        cache=cache_stats,
    )


def _out_location(corpus: Corpus, source: str, out: str | Path | None) -> str | Path:
    """``out``, or the default under a local root; refuses a folder that would overlap the corpus."""
    if out is None:
        if is_remote(source):
            raise CorpusError(f"--out is required when the corpus root is a URL ({source})")
        out = corpus.root / DEFAULT_OUT
    if is_remote(out):
        return out
    path = local_path(out).resolve()
    if path == corpus.root or corpus.root.is_relative_to(path):
        raise CorpusError(f"--out {path} would replace the corpus itself; choose a folder inside or beside it")
    for folder in (corpus.raw_dir, corpus.annotations_dir):
        if path == folder or path.is_relative_to(folder):
            raise CorpusError(f"--out {path} lies inside the corpus's {folder.name}/ folder; choose another folder")
    return path


def run_shards(settings: ShardSettings, tasks: list[ShardTask], executor: Executor) -> Iterator[ShardResult]:
    """Build every shard on ``executor``; results in task order. Shards with a changed file are
    submitted first, then the largest first, so that no worker is left with a big shard while the
    others wait at the end. Once a shard reports an error the build cannot succeed: shards submitted
    after that are only checked, not converted."""
    failed = False

    def prepare(task: ShardTask) -> ShardTask:
        return replace(task, convert=False) if failed else task

    def seen(result: ShardResult) -> None:
        nonlocal failed
        failed = failed or result.has_errors

    # shards whose files' sha256s are not all known (some file changed: most likely rebuilt) first, so a
    # rebuild does not wait behind shards copied from the cache; then the largest first (stable: ties in
    # task order)
    order = sorted(range(len(tasks)), key=lambda i: (bool(tasks[i].hashes), -len(tasks[i].docs)))
    done: dict[int, ShardResult] = {}
    next_index = 0
    work = Work(build_shard, settings, setup=ShardBuilder)
    submitted = [tasks[i] for i in order]
    results = executor.map_in_order(work, submitted, sum(len(t.docs) for t in tasks), prepare=prepare, seen=seen)
    for i, result in zip(order, results):
        done[i] = result
        while next_index in done:
            yield done.pop(next_index)
            next_index += 1


def _with_known_hashes(task: ShardTask, index: HashIndex, chunks: dict[str, str]) -> ShardTask:
    """``task`` with its files' sha256s when the index knows them all (their stat is unchanged), and
    with its documents' chunks of the validate cache."""
    hashes = tuple((index.lookup(doc.annotation_file), index.lookup(doc.raw_file)) for doc in task.docs)
    known = hashes if all(ann and raw for ann, raw in hashes) else ()
    return replace(task, hashes=known, chunks=tuple(chunks[doc.annotation_file] for doc in task.docs))


def _save_checks(
    settings: ShardSettings, docs: list[DocumentPaths], results: list[ShardResult], known: dict, chunks: dict[str, str]
) -> None:
    """Keep the issues of the documents checked in this build in the validate cache, a whole chunk at
    a time (the next build of an edited shard, and ``corpus validate``, then check only what changed)."""
    rechecked = {doc.doc_id for r in results if not r.shard_cache.hits for doc in r.task.docs}
    if rechecked:
        issues = {doc.doc_id: payload for r in results for doc, payload in zip(r.task.docs, r.issues)}
        checker = DocumentChecker(settings.check_ctx, settings.validate_code, settings.validate_cache)
        save_issues(checker, docs, issues, known, rechecked, chunks)


def _note_hashes(result: ShardResult, index: HashIndex | None, known: dict[str, str]) -> None:
    """Collect the sha256s of a shard's files: those the worker read (recorded in ``index``) or,
    for a shard found in the cache unread, those the index knew."""
    for rel, key, sha in result.read:
        known[rel] = sha
        if index is not None:
            index.record(rel, key, sha)
    if not result.read:
        for doc, (ann, raw) in zip(result.task.docs, result.task.hashes):
            known[doc.annotation_file], known[doc.raw_file] = ann, raw  # type: ignore[assignment]


def _regular(path: Path) -> bool:
    """A regular file that is not a link, inside a folder that is not a link: nothing outside the
    corpus is ever read through a link (validation reports such links as linked-path)."""
    return path.is_file() and not path.is_symlink() and not path.parent.is_symlink()


def _read_optional(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if _regular(path) else None


def _client_files(corpus: Corpus, info: ReleaseInfo, stats: ReleaseStats, digest: str) -> dict[str, bytes]:
    """The files the client writes: corpus.json (stamped with the release version), entities.json, the
    guidelines and the agreement study under metadata/, release.json (text or text-free, and the digest
    of the corpus files the release was built from), the dataset card and the Croissant metadata."""
    meta = info.config.model_copy(update={"version": info.version}).model_dump(mode="json")
    files = {"metadata/corpus.json": dumps_json(meta).encode("utf-8")}
    kind = {"text": info.with_text, "inputs_sha256": digest}
    files[RELEASE_FILE] = dumps_json(kind).encode("utf-8")
    if _regular(corpus.root / AGREEMENT):
        files["metadata/agreement.md"] = (corpus.root / AGREEMENT).read_bytes()
    if _regular(corpus.registry_path):
        files["metadata/entities.json"] = corpus.registry_path.read_bytes()
    guidelines = corpus.root / GUIDELINES
    if _regular(guidelines):
        files["metadata/GUIDELINES.md"] = guidelines.read_bytes()
    card = dataset_card(
        info, stats, guidelines=_read_optional(guidelines), agreement=_read_optional(corpus.root / AGREEMENT)
    )
    files["README.md"] = card.encode("utf-8")
    files["croissant.json"] = dumps_json(croissant_jsonld(info)).encode("utf-8")
    return files


def _registry_file(
    rows: list[dict], features: Features, row_group_size: int, stats: ReleaseStats
) -> tuple[str, bytes] | None:
    """The ``registry`` config (one row per entity of entities.json) as one Parquet file, written like
    the shards' files; None when the registry is empty."""
    if not rows:
        return None
    with tempfile.TemporaryDirectory(prefix="corpus-registry-") as tmp:
        path = Path(tmp) / "registry.parquet"
        stats.nbytes["registry"][REGISTRY_SPLIT] += write_table(path, features, rows, row_group_size)
        data = path.read_bytes()
    stats.rows["registry"][REGISTRY_SPLIT] += len(rows)
    return f"data/registry/{REGISTRY_SPLIT}-00000-of-00001.parquet", data


def _report(issues: list[Issue], docs: list[DocumentPaths], results: list[ShardResult]) -> Report:
    """The validation report of the whole corpus, documents in corpus order (as ``validate`` gives it)."""
    by_doc = {doc.doc_id: payload for result in results for doc, payload in zip(result.task.docs, result.issues)}
    for doc in docs:
        issues.extend(decode_issues(by_doc[doc.doc_id]))
    return make_report(issues, len(docs))


def _name_shards(
    target: ReleaseTarget, results: list[ShardResult], splits: list[str]
) -> tuple[dict[str, dict[str, list[str]]], dict[str, tuple[int, str]]]:
    """Rename the shards' partial files to ``<split>-0000i-of-0000N.parquet`` (numbered per config and
    split among the shards that have rows: ``datasets`` cannot load an empty file of a split).
    Returns config -> split -> release-relative paths, for configs and splits with rows, and the
    size and sha256 of each file."""
    files: dict[str, dict[str, list[str]]] = {}
    facts: dict[str, tuple[int, str]] = {}
    for config in CONFIG_NAMES:
        for split in splits:
            parts = [r for r in results if r.task.split == split and r.rows.get(config)]
            for i, result in enumerate(parts):
                name = f"data/{config}/{split}-{i:05d}-of-{len(parts):05d}.parquet"
                target.rename(result.task.partial_name(config), name)
                files.setdefault(config, {}).setdefault(split, []).append(name)
                facts[name] = result.files[config]
    return files, facts


def _prune_build_cache(root: Path, results: list[ShardResult]) -> None:
    """Bound the shard cache: keep this build's entries, and of the others (older versions of edited
    shards, another branch's shards) the most recently used ones, up to as many bytes again."""
    with contextlib.suppress(OSError):  # the release is in place; a cache that cannot be pruned is no error
        ContentCache(default_cache_dir(root, "build")).prune({r.cache_key for r in results if r.cache_key})
