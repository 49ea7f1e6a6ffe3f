"""Review commands: ``corpus remove``, ``corpus accept`` and ``corpus reject`` (thin layers over
:mod:`corpus_pkg.review`)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..review import ReviewResult, accept_suggestions, reject_suggestions, remove_annotations
from ._app import api_errors, app
from ._choices import AnnotationLayer

ROOT = typer.Option(Path("."), "--root", help="Corpus folder (holds corpus.json, raw/, annotations/).")
DRY_RUN = typer.Option(False, "--dry-run", help="Check the change and print what it would do; write nothing.")
CASCADE = typer.Option(False, "--cascade", help="Also remove the annotations that refer to the removed ones.")


LAYER = typer.Option(None, "--layer", help="Only suggestions of this layer (given ids must be in it too).")


def _report(result: ReviewResult) -> None:
    for issue in result.warnings:
        typer.echo(f"Warning: [{issue.code}] {issue.message}", err=True)
    typer.echo(result.summary())


@app.command("remove")
@api_errors
def remove_command(
    doc: str = typer.Argument(..., help="Document id."),
    ids: list[str] = typer.Argument(..., help="Annotation ids to delete (any layer), e.g. e12 q3."),
    cascade: bool = CASCADE,
    dry_run: bool = DRY_RUN,
    root: Path = ROOT,
) -> None:
    """Delete annotations by id (calls remove_annotations).

    An annotation another one refers to (a quote's speaker, a stance's holder or evidence) is
    refused unless --cascade, which removes the referring annotations too.

    Example: corpus remove doc1 e12 --cascade
    """
    _report(remove_annotations(root, doc, ids, cascade=cascade, dry_run=dry_run))


@app.command("accept")
@api_errors
def accept_command(
    doc: str = typer.Argument(..., help="Document id."),
    ids: list[str] = typer.Argument(None, help="Suggestion ids; default: every suggestion of the document."),
    layer: AnnotationLayer = LAYER,
    dry_run: bool = DRY_RUN,
    root: Path = ROOT,
) -> None:
    """Accept suggestions as gold: origin becomes manual, source is kept (calls accept_suggestions).

    Example: corpus accept doc1 --layer numbers
    """
    _report(accept_suggestions(root, doc, ids or (), layer.value if layer else None, dry_run=dry_run))


@app.command("reject")
@api_errors
def reject_command(
    doc: str = typer.Argument(..., help="Document id."),
    ids: list[str] = typer.Argument(None, help="Suggestion ids; default: every suggestion of the document."),
    layer: AnnotationLayer = LAYER,
    cascade: bool = CASCADE,
    dry_run: bool = DRY_RUN,
    root: Path = ROOT,
) -> None:
    """Delete suggestions (calls reject_suggestions).

    Example: corpus reject doc1 n4 n5
    """
    _report(reject_suggestions(root, doc, ids or (), layer.value if layer else None, cascade=cascade, dry_run=dry_run))
