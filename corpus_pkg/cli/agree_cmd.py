"""Several annotators: ``corpus assign``, ``corpus queue`` (:mod:`corpus_pkg.annotate.assign`),
``corpus agree`` and ``corpus adjudicate`` (:mod:`corpus_pkg.agree`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..agree import compare_annotators, compare_passes
from ..agree.adjudicate import adjudicate, adjudicate_all, settle
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


def _decisions(take: list[str], reject: list[str], edits: list[str]) -> dict[str, tuple[str | None, dict]]:
    """``--take UNIT=ANNOTATOR``, ``--reject UNIT`` and ``--set UNIT.FIELD=VALUE`` as unit -> (take, changes)."""
    out: dict[str, tuple[str | None, dict]] = {}
    for text in take:
        unit, sep, name = text.rpartition("=")
        if not sep or not unit or not name:
            fail(f"--take {text!r}: expected UNIT=ANNOTATOR, e.g. e12-20=bob", code=2)
        out[unit] = (name, {})
    for unit in reject:
        out[unit] = (None, {})
    for text in edits:
        target, sep, raw = text.partition("=")
        unit, dot, name = target.rpartition(".")
        if not sep or not dot or unit not in out or out[unit][0] is None:
            fail(f"--set {text!r}: expected UNIT.FIELD=VALUE for a unit given with --take", code=2)
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        out[unit][1][name] = value
    return out


@app.command("adjudicate")
@api_errors
def adjudicate_command(
    doc: str = typer.Argument(None, help="Document id (or --all)."),
    annotators: str = typer.Option(..., "--annotators", help="The passes to merge: A,B[,C...]."),
    all_docs: bool = typer.Option(False, "--all", help="Every document each annotator has a pass of."),
    take: list[str] = typer.Option([], "--take", help="UNIT=ANNOTATOR: settle a unit with that version (repeatable)."),
    reject: list[str] = typer.Option(
        [], "--reject", help="UNIT: settle a unit by leaving it out of gold (repeatable)."
    ),
    edit: list[str] = typer.Option(
        [], "--set", help="UNIT.FIELD=VALUE: change a field of the version taken with --take (repeatable)."
    ),
    by: str = typer.Option(None, "--by", envvar="CORPUS_ANNOTATOR", help="Adjudicator (default: $CORPUS_ANNOTATOR)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace gold that was not made by adjudication."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report; write nothing."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", help="text or json."),
    root: Path = ROOT,
) -> None:
    """Merge annotators' passes into gold: agreed units at once, the rest listed and settled with
    --take/--reject (calls adjudicate, adjudicate_all and settle). Exit 1 while units are open.

    Example: corpus adjudicate doc1 --annotators ann,bob --take e12-20=bob --by lead
    """
    names = _names(annotators)
    decisions = _decisions(take, reject, edit)
    if all_docs == (doc is not None):
        fail("give a document id or --all (not both)", code=2)
    if decisions and (all_docs or dry_run):
        fail("--take/--reject/--set settle units of one document; name it and drop --all/--dry-run", code=2)
    if decisions and not by:
        fail("name the adjudicator with --by NAME (or CORPUS_ANNOTATOR)", code=2)
    if all_docs:
        results = adjudicate_all(root, names, overwrite=overwrite, dry_run=dry_run)
    elif decisions:
        results = [settle(root, doc, names, by, decisions, overwrite=overwrite)]
    else:
        results = [adjudicate(root, doc, names, overwrite=overwrite, dry_run=dry_run)]
    if format.value == "json":
        typer.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        typer.echo("".join(r.to_text() for r in results), nl=False)
    raise typer.Exit(1 if any(r.open for r in results) else 0)
