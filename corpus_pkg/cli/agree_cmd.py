"""Several annotators: ``corpus assign``, ``corpus queue`` (:mod:`corpus_pkg.annotate.assign`),
``corpus agree`` and ``corpus adjudicate`` (:mod:`corpus_pkg.agree`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..agree import compare_annotators, compare_passes
from ..agree.render import render_matrix, render_report
from ..annotate.assign import assign, queue
from ._app import api_errors, app, fail
from ._choices import TextOrJson

ROOT = typer.Option(Path("."), "--root", help="Corpus folder (holds corpus.json, raw/, annotations/, passes/).")
LAYERS = ("entities", "quotes", "numbers", "stance")


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


@app.command("agree")
@api_errors
def agree_command(
    pass_a: Path = typer.Argument(None, help="Reference pass: a corpus root or a folder of <doc_id>.json files."),
    pass_b: Path = typer.Argument(None, help="Compared pass: a corpus root or a folder of <doc_id>.json files."),
    annotators: str = typer.Option(
        None, "--annotators", help="Compare stored passes instead: A,B[,C...] ('gold' = annotations/); pairwise."
    ),
    layer: list[str] = typer.Option([], "--layer", help=f"Only this layer (repeatable): {', '.join(LAYERS)}."),
    doc: list[str] = typer.Option([], "--doc", help="Only this document (repeatable)."),
    per_doc: bool = typer.Option(False, "--per-doc", help="Also report every document."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", help="text (Markdown tables) or json."),
    root: Path = ROOT,
) -> None:
    """Inter-annotator agreement of two passes, or of stored passes pairwise (calls compare_passes
    or compare_annotators). Pass A is the reference: precision over B, recall over A.

    Example: corpus agree annotations passes/annotator-b --per-doc
    """
    if annotators is not None:
        if pass_a is not None or pass_b is not None:
            fail("give either PASS_A PASS_B or --annotators, not both", code=2)
        names = _names(annotators)
        matrix = compare_annotators(root, names, layer or None, doc or None)
        if len(names) == 2:
            report = matrix.pairs[0]
            text, data = render_report(report, per_doc), report.to_dict(per_doc)
        else:
            text, data = render_matrix(matrix, per_doc), matrix.to_dict(per_doc)
    else:
        if pass_a is None or pass_b is None:
            fail("give two passes (PASS_A PASS_B) or --annotators A,B", code=2)
        report = compare_passes(pass_a, pass_b, layer or None, doc or None)
        text, data = render_report(report, per_doc), report.to_dict(per_doc)
    if format.value == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))
    else:
        typer.echo(text, nl=False)


@app.command("assign")
@api_errors
def assign_command(
    annotators: str = typer.Option(..., "--annotators", help="Annotator names, comma-separated: ann,bob,cy."),
    overlap: int = typer.Option(1, "--overlap", min=1, help="Annotators per document (k)."),
    sample: int = typer.Option(0, "--sample", min=0, help="This many documents go to every annotator."),
    seed: int = typer.Option(0, "--seed", help="Seed of the shuffle that spreads the documents."),
    doc: list[str] = typer.Option([], "--doc", help="Assign only this document (repeatable); default: all."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing assignments.json."),
    root: Path = ROOT,
) -> None:
    """Give documents to annotators, each to k of them or a sample to all; writes assignments.json
    (calls assign).

    Example: corpus assign --annotators ann,bob,cy --overlap 2
    """
    plan = assign(root, _names(annotators), overlap=overlap, sample=sample, seed=seed, doc_ids=doc, overwrite=overwrite)
    typer.echo(f"Assigned {len(plan.documents)} documents (overlap {plan.overlap}, {len(plan.sample)} shared by all):")
    for name in plan.annotators:
        typer.echo(f"  {name}: {len(plan.queue(name))}")


@app.command("queue")
@api_errors
def queue_command(
    annotator: str = typer.Argument(..., help="Annotator name."),
    root: Path = ROOT,
) -> None:
    """List the documents assigned to an annotator and whether their pass exists (calls queue).

    Example: corpus queue ann
    """
    items = queue(root, annotator)
    if not items:
        typer.echo(f"No documents assigned to {annotator} (see corpus assign)")
    for item in items:
        typer.echo(f"{item.doc_id}\t{'started' if item.started else 'to do'}")
