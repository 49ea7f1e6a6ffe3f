"""``corpus validate`` and ``corpus schema``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import typer

from .._storage import is_remote
from ..corpus import ANNOTATION_SUFFIX, ANNOTATIONS_DIR, CONFIG_FILE, RAW_DIR, RAW_SUFFIX, REGISTRY_FILE
from ..schema.export import annotation_json_schema_text
from ..validate import CATALOGUE, validate
from ._app import EXIT_USAGE, api_errors, app, fail
from ._choices import Engine, ReportFormat

#: Issues listed by default (the summary line and --format json's "omitted" count the rest).
DEFAULT_MAX_ISSUES = 1000


@app.command("validate")
@api_errors
def validate_command(
    paths: list[Path] = typer.Argument(
        None, help="Only check the documents of these files (raw/X.txt, annotations/X.json); default: all."
    ),
    root: str = typer.Option(
        ".", "--root", help="Corpus folder (holds corpus.json, raw/, annotations/), or a URL (s3://bucket/corpus)."
    ),
    format: ReportFormat = typer.Option(ReportFormat.text, "--format", help="text, json or github."),
    select: list[str] = typer.Option([], "--select", help="Only report these issue codes (repeatable or a,b)."),
    ignore: list[str] = typer.Option([], "--ignore", help="Do not report these issue codes (repeatable or a,b)."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too (exit 1)."),
    max_issues: int = typer.Option(
        DEFAULT_MAX_ISSUES, "--max-issues", min=0, help="List at most N issues; the summary counts them all."
    ),
    no_hints: bool = typer.Option(False, "--no-hints", help="Text format: omit the hint lines."),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Check every document afresh; do not read or write <root>/.corpus_cache/validate."
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Processes checking documents (default: one per core for large corpora)."
    ),
    engine: Engine = typer.Option(
        Engine.local, "--engine", help="local (process pool) or dask (chunks of documents on a Dask cluster)."
    ),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Dask scheduler address, tcp://HOST:PORT [default: start a LocalCluster]."
    ),
) -> None:
    """Check every raw and annotation file; exit 1 if any error is found (2 for a wrong command line).

    Example: corpus validate --format github --strict
    """
    remote = is_remote(root)
    if not remote and not Path(root).is_dir():
        fail(f"corpus root {root!r} is not a folder", code=EXIT_USAGE)
    selected, ignored = _codes(select, "--select"), _codes(ignore, "--ignore")
    documents = documents_of(paths, Path(root)) if paths and not remote else None
    report = validate(
        root,
        select=selected or None,
        ignore=ignored or None,
        cache=not no_cache,
        workers=workers,
        documents=documents,
        max_issues=max_issues,
        engine=engine.value,
        scheduler=scheduler,
    )
    if format is ReportFormat.json:
        typer.echo(report.model_dump_json(indent=2))
    elif format is ReportFormat.github:
        typer.echo(report.with_paths_under("" if remote else repository_prefix(Path(root))).to_github(), nl=False)
    else:
        typer.echo(report.to_text(hints=not no_hints), nl=False)
    failed = not report.valid or (strict and report.stats.get("warnings", 0) > 0)
    raise typer.Exit(1 if failed else 0)


def _codes(values: list[str], option: str) -> list[str]:
    """Codes from repeated options and comma lists; an unknown code is a usage error (exit 2)."""
    codes = [code.strip() for value in values for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in CATALOGUE]
    if unknown:
        fail(
            f"{option}: unknown issue code(s) {', '.join(map(repr, unknown))}; known codes: {', '.join(CATALOGUE)}",
            code=EXIT_USAGE,
        )
    return codes


def documents_of(paths: list[Path], root: Path) -> list[str] | None:
    """Document ids of the given files; None (check everything) when corpus.json or entities.json
    is among them, since they affect every document. Other files are ignored."""
    base = root.resolve()
    ids = []
    for path in paths:
        full = (path if path.is_absolute() else Path.cwd() / path).absolute()
        try:
            rel = full.relative_to(base)
        except ValueError:
            try:
                rel = full.resolve().relative_to(base)
            except ValueError:
                continue  # not in this corpus
        parts = rel.parts
        if parts in ((CONFIG_FILE,), (REGISTRY_FILE,)):
            return None
        if len(parts) == 2 and (parts[0], Path(parts[1]).suffix) in (
            (RAW_DIR, RAW_SUFFIX),
            (ANNOTATIONS_DIR, ANNOTATION_SUFFIX),
        ):
            ids.append(Path(parts[1]).stem)
    return ids


def repository_prefix(root: Path) -> str:
    """``root`` relative to the git top level (``news`` for ``--root news``), so that GitHub
    annotations land on the files of the diff; ``root`` relative to the current folder outside git."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
        base = Path(top).resolve()
    except (OSError, subprocess.SubprocessError):
        base = Path.cwd().resolve()
    try:
        return root.resolve().relative_to(base).as_posix()
    except ValueError:
        return ""


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of an annotation file (generated from the pydantic models).

    Example: corpus schema > annotation.schema.json
    """
    typer.echo(annotation_json_schema_text(), nl=False)
