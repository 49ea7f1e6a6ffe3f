"""Review commands: ``corpus edit``, ``corpus remove``, ``corpus accept``, ``corpus reject``
(thin layers over :mod:`corpus_pkg.annotate.review`) and ``corpus serve`` (:mod:`corpus_pkg.web.serve`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from ..annotate.review import ReviewResult, accept_suggestions, edit_annotation, reject_suggestions, remove_annotations
from ._app import ANNOTATOR, ROOT, api_errors, app, echo_warnings
from ._choices import AnnotationLayer

DRY_RUN = typer.Option(False, "--dry-run", help="Check the change and print what it would do; write nothing.")
CASCADE = typer.Option(False, "--cascade", help="Also remove the annotations that refer to the removed ones.")


LAYER = typer.Option(None, "--layer", help="Only suggestions of this layer (given ids must be in it too).")


def _report(result: ReviewResult) -> None:
    echo_warnings(result)
    typer.echo(result.summary())


def _parse_assignment(text: str) -> tuple[str, Any]:
    """``field=value``; the value is read as JSON when it parses (numbers, null, "quoted"), else as text."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise typer.BadParameter(f"expected FIELD=VALUE, got {text!r}", param_hint="--set")
    try:
        return name, json.loads(raw)
    except ValueError:
        return name, raw


@app.command("edit")
@api_errors
def edit_command(
    doc: str = typer.Argument(..., help="Document id."),
    ann_id: str = typer.Argument(..., help="Annotation id, e.g. e12."),
    assignments: list[str] = typer.Option(
        ..., "--set", help='FIELD=VALUE (repeatable); VALUE is JSON if it parses: 90000, null, "3".'
    ),
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Set fields of one annotation: a label, a registry link, a number's value (calls edit_annotation).

    Example: corpus edit doc1 e12 --set label=ORG --set entity_id=null
    """
    changes = dict(_parse_assignment(text) for text in assignments)
    _report(edit_annotation(root, doc, ann_id, changes, dry_run=dry_run, annotator=annotator))


@app.command("remove")
@api_errors
def remove_command(
    doc: str = typer.Argument(..., help="Document id."),
    ids: list[str] = typer.Argument(..., help="Annotation ids to delete (any layer), e.g. e12 q3."),
    cascade: bool = CASCADE,
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Delete annotations by id (calls remove_annotations).

    An annotation another one refers to (a quote's speaker, a stance's holder or evidence) is
    refused unless --cascade, which removes the referring annotations too.

    Example: corpus remove doc1 e12 --cascade
    """
    _report(remove_annotations(root, doc, ids, cascade=cascade, dry_run=dry_run, annotator=annotator))


@app.command("accept")
@api_errors
def accept_command(
    doc: str = typer.Argument(..., help="Document id."),
    ids: list[str] = typer.Argument(None, help="Suggestion ids; default: every suggestion of the document."),
    layer: AnnotationLayer = LAYER,
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Accept suggestions as gold: origin becomes manual, source is kept (calls accept_suggestions).

    Example: corpus accept doc1 --layer numbers
    """
    _report(
        accept_suggestions(root, doc, ids or (), layer.value if layer else None, dry_run=dry_run, annotator=annotator)
    )


@app.command("reject")
@api_errors
def reject_command(
    doc: str = typer.Argument(..., help="Document id."),
    ids: list[str] = typer.Argument(None, help="Suggestion ids; default: every suggestion of the document."),
    layer: AnnotationLayer = LAYER,
    cascade: bool = CASCADE,
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Delete suggestions (calls reject_suggestions).

    Example: corpus reject doc1 n4 n5
    """
    _report(
        reject_suggestions(
            root, doc, ids or (), layer.value if layer else None, cascade=cascade, dry_run=dry_run, annotator=annotator
        )
    )


@app.command("serve")
@api_errors
def serve_command(
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one)."),
    annotator: str | None = ANNOTATOR,
    gold: bool = typer.Option(
        False, "--gold", help="Edit the gold files even with --annotator (the name is then recorded as source)."
    ),
    root: Path = ROOT,
) -> None:
    """Annotate and review documents in a browser, on http://127.0.0.1:PORT/ (calls serve).

    Select text to add entities, quotes, numbers and stance; edit, delete, undo; review suggestions
    with the keyboard; settle disagreements of passes at /curate/DOC?annotators=A,B. With --annotator
    the pages work in that annotator's pass (passes/NAME/), as the CLI does. Only this machine can
    connect; stop with Ctrl-C.

    Example: corpus serve --root news --port 8765 --annotator alice
    """
    from ..web.serve import serve

    serve(
        root, port, ready=lambda url: typer.echo(f"Serving {root} at {url} (Ctrl-C to stop)"),
        annotator=annotator, gold=gold,
    )  # fmt: skip
