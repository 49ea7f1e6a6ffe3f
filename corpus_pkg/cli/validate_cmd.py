"""``corpus validate`` and ``corpus schema``."""

from __future__ import annotations

from pathlib import Path

import typer

from .._storage import is_remote
from ..schema.export import annotation_json_schema_text
from ..validate import validate
from ._app import api_errors, app, fail
from ._choices import Engine, ReportFormat


@app.command("validate")
@api_errors
def validate_command(
    root: str = typer.Option(
        ".", "--root", help="Corpus folder (holds corpus.json, raw/, annotations/), or a URL (s3://bucket/corpus)."
    ),
    format: ReportFormat = typer.Option(ReportFormat.text, "--format", help="text, json or github."),
    select: list[str] = typer.Option([], "--select", help="Only report these issue codes (repeatable)."),
    ignore: list[str] = typer.Option([], "--ignore", help="Do not report these issue codes (repeatable)."),
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
    """Check every raw and annotation file; exit 1 if any error is found.

    Example: corpus validate --format github
    """
    if not is_remote(root) and not Path(root).is_dir():
        fail(f"corpus root {root!r} is not a folder", code=2)
    report = validate(
        root,
        select=select or None,
        ignore=ignore or None,
        cache=not no_cache,
        workers=workers,
        engine=engine.value,
        scheduler=scheduler,
    )
    if format is ReportFormat.json:
        typer.echo(report.model_dump_json(indent=2))
    elif format is ReportFormat.github:
        typer.echo(report.to_github(), nl=False)
    else:
        typer.echo(report.to_text(hints=not no_hints), nl=False)
    raise typer.Exit(0 if report.valid else 1)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of an annotation file (generated from the pydantic models).

    Example: corpus schema > annotation.schema.json
    """
    typer.echo(annotation_json_schema_text(), nl=False)
