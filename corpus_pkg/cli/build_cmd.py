"""``corpus build``, ``corpus rehydrate``, ``corpus release``, ``corpus diff`` and ``corpus publish``.

The API modules import ``datasets`` (slow to import), so they are imported inside the commands:
other ``corpus`` commands start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..corpus import DOCS_PER_SHARD
from ._app import api_errors, app, fail
from ._choices import BumpPart, Engine, TextOrJson, echo_report


def _invalid(exc: Any) -> None:
    """Print the validation report of an ``InvalidCorpusError``, then ``Error: ...`` (exit 1)."""
    typer.echo(exc.report.to_text(), err=True, nl=False)
    fail(str(exc))


@app.command("build")
@api_errors
def build_command(
    root: str = typer.Option(
        ".", "--root", help="Corpus folder (holds corpus.json, raw/, annotations/), or a URL (s3://bucket/corpus)."
    ),
    out: str = typer.Option(
        None, "--out", help="Release folder or URL (s3://bucket/rel/0.3.0) to write [default: ROOT/dist/release]."
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Check and convert every document (ignore the cache)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing --out folder (atomically)."),
    workers: int = typer.Option(
        None, "--workers", min=1, help="Processes building shards [default: one per core from 200 documents]."
    ),
    docs_per_shard: int = typer.Option(
        DOCS_PER_SHARD,
        "--docs-per-shard",
        min=1,
        help="About this many documents per Parquet file of a split.",
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print one line per document."),
    engine: Engine = typer.Option(
        Engine.local, "--engine", help="local (process pool) or dask (one task per shard on a Dask cluster)."
    ),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Dask scheduler address, tcp://HOST:PORT [default: start a LocalCluster]."
    ),
    no_text: bool = typer.Option(
        False, "--no-text", help="Text-free release: offsets and article sha256s, no article text (see rehydrate)."
    ),
) -> None:
    """Validate the corpus and build its Hugging Face release folder (Parquet, card, Croissant).

    Nothing is written when the corpus is invalid (the errors are printed, exit code 1).

    Example: corpus build --out dist/release --overwrite
    Example: corpus build --engine dask --scheduler tcp://10.0.0.5:8786 --out s3://bucket/rel/0.3.0
    """
    from ..release.build import InvalidCorpusError, build

    try:
        result = build(
            root,
            out,
            overwrite=overwrite,
            cache=not no_cache,
            workers=workers,
            docs_per_shard=docs_per_shard,
            progress=typer.echo if verbose else None,
            engine=engine.value,
            scheduler=scheduler,
            text=not no_text,
        )
    except InvalidCorpusError as exc:
        _invalid(exc)
    typer.echo(result.summary())
    for doc_id, mention_id, reason in result.ner_skipped:
        typer.echo(f"warning: ner: {doc_id} mention {mention_id} not tagged: {reason}")
    typer.echo(f"Release {result.version} written to {result.out} ({len(result.files)} files, {result.seconds:.2f} s)")


@app.command("rehydrate")
@api_errors
def rehydrate_command(
    release_dir: Path = typer.Argument(..., help="Text-free release folder (built with --no-text)."),
    raw: Path = typer.Option(..., "--raw", help="Folder with your copies of the articles, <doc_id>.txt."),
    out: Path = typer.Option(..., "--out", help="Release folder to write (the full release)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing --out folder (atomically)."),
) -> None:
    """Rebuild the full release from a text-free one and your copies of the articles.

    Every article's sha256 is checked first; missing or different articles are listed by name
    (exit code 1) and nothing is written.

    Example: corpus rehydrate dist/release-notext --raw my_articles --out dist/release
    """
    from ..release.rehydrate import RehydrateError, rehydrate

    try:
        result = rehydrate(release_dir, raw, out, overwrite=overwrite)
    except RehydrateError as exc:
        for problem in exc.problems:
            typer.echo(f"{problem.doc_id}: {problem.path}: {problem.problem}", err=True)
        fail(f"{len(exc.problems)} article(s) missing or different; nothing was written")
    typer.echo(result.summary())
    typer.echo(f"Release {result.version} rehydrated to {result.out} ({len(result.files)} files)")


@app.command("release")
@api_errors
def release_command(
    root: Path = typer.Option(Path("."), "--root", help="Corpus folder."),
    bump: BumpPart = typer.Option(
        None, "--bump", help="Raise the version in corpus.json first: patch, minor or major."
    ),
    message: str = typer.Option(None, "--message", "-m", help="What changed, for CHANGELOG.md."),
) -> None:
    """Freeze an immutable release under releases/<version>/ and add a CHANGELOG.md entry.

    Refuses a version that was already released.

    Example: corpus release --bump minor --message "Stance for all articles"
    """
    from ..release.build import InvalidCorpusError
    from ..release.versions import release

    try:
        result = release(root, bump=bump.value if bump else None, message=message)
    except InvalidCorpusError as exc:
        _invalid(exc)
    typer.echo(f"Release {result.version} frozen at {result.out}; CHANGELOG.md updated")


@app.command("diff")
@api_errors
def diff_command(
    old: Path = typer.Argument(..., help="Old release folder or corpus root."),
    new: Path = typer.Argument(..., help="New release folder or corpus root."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", help="text or json."),
) -> None:
    """Report documents and annotations added, removed and changed per layer.

    Example: corpus diff releases/0.1.0 releases/0.2.0 --format json
    """
    from ..release.diff import diff

    echo_report(diff(old, new), format)


@app.command("publish")
@api_errors
def publish_command(
    repo_id: str = typer.Option(..., "--repo-id", help="Hub dataset repo, ORG/NAME."),
    release_dir: Path = typer.Option(Path("dist/release"), "--release", help="Release folder to upload."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be uploaded; no network."),
    private: bool = typer.Option(False, "--private", help="Create the repo as private."),
    root: Path = typer.Option(Path("."), "--root", help="Corpus folder the release should be current with."),
) -> None:
    """Upload a release folder to the Hugging Face Hub (checks SHA256SUMS first).

    Uses the token from `hf auth login` or HF_TOKEN. Warns when the release is stale: built from
    other corpus files than --root holds now.

    Example: corpus publish --repo-id my-org/terror-news --dry-run
    """
    from ..corpus import CONFIG_FILE
    from ..release.publish import publish

    corpus = root if (root / CONFIG_FILE).is_file() else None
    plan = publish(release_dir, repo_id, dry_run=dry_run, private=private, root=corpus)
    for warning in plan.warnings:
        typer.echo(f"warning: {warning}", err=True)
    plan.warnings = []  # printed above, on stderr
    typer.echo(plan.to_text(), nl=False)


@app.command("verify")
@api_errors
def verify_command(
    release_dir: Path = typer.Argument(..., help="Release folder (holds SHA256SUMS)."),
) -> None:
    """Check a release folder against its SHA256SUMS: exit 1 naming each changed, missing or extra file.

    Run it before `datasets.load_dataset(<folder>)`, which does not check SHA256SUMS
    (corpus_pkg.load and load_documents check it themselves).

    Example: corpus verify dist/release
    """
    from ..release.verify import verify_release

    result = verify_release(release_dir)
    if not result.ok:
        for line in result.lines():
            typer.echo(f"{release_dir}/{line}")
        fail(f"{release_dir} does not match its SHA256SUMS ({len(result.lines())} problem(s)); rebuild it")
    typer.echo(result.summary())
