"""Annotator commands: ``corpus init``, ``add-article``, ``add ...``, ``show``, ``render``, ``stats``,
and ``reanchor`` (``suggest ...`` is in suggest_cmd). Each calls the API function of the same name."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from ..annotate.add import AddResult, add_entity, add_number, add_quote, add_stance
from ..annotate.articles import add_article as add_article_api
from ..annotate.articles import init_corpus
from ..annotate.reanchor import reanchor
from ..annotate.render import render, show
from ..annotate.stats import stats
from ._app import ANNOTATOR, ROOT, api_errors, app, echo_warnings, fail
from ._choices import Color, NumberKind, Qualifier, QuoteKind, StanceLabel, TextOrJson, echo_report

DRY_RUN = typer.Option(False, "--dry-run", help="Validate and print the JSON that would be added; write nothing.")
SOURCE = typer.Option(None, "--source", help="Provenance stored on the annotation, e.g. your handle.")
NOTE = typer.Option(None, "--note", help="Annotator comment stored on the annotation.")

add_app = typer.Typer(help="Add an annotation by its text (no offsets needed).", no_args_is_help=True)
app.add_typer(add_app, name="add")


# --------------------------------------------------------------------------- corpus and articles


@app.command("init")
@api_errors
def init_command(
    root: Path = typer.Argument(..., help="Folder to create (must be missing or empty)."),
    name: str = typer.Option(
        None, "--name", help="Dataset name: lowercase letters, digits, '-' and '_' (default: from the folder name)."
    ),
    label: list[str] = typer.Option(
        [], "--label", help="Declare an entity label (repeatable); default: the OntoNotes-style set."
    ),
    target: list[str] = typer.Option([], "--target", help="Declare a stance target as ID=DESCRIPTION (repeatable)."),
    no_labels: bool = typer.Option(
        False, "--no-labels", help="Declare no entity labels: the first `corpus import` adopts the source's labels."
    ),
) -> None:
    """Create an empty, valid corpus (calls init_corpus).

    Example: corpus init news --name news --target platform_action="Platforms should remove extremist content"
    """
    targets: dict[str, str] = {}
    for item in target:
        key, sep, description = item.partition("=")
        if not sep or not key or not description:
            fail(f"--target {item!r}: expected ID=DESCRIPTION, e.g. platform_action='Platforms should act'")
        targets[key] = description
    if no_labels and label:
        fail("--no-labels and --label contradict each other; pass one of them")
    kwargs = {"entity_labels": label} if label else {"entity_labels": []} if no_labels else {}
    corpus = init_corpus(root, name=name, stance_targets=targets, **kwargs)
    typer.echo(f"Created corpus {corpus.config.name!r} in {root}")


@app.command("add-article")
@api_errors
def add_article_command(
    file: Path = typer.Argument(..., help="The article as a UTF-8 text file; stored byte-exact."),
    doc_id: str = typer.Option(..., "--id", help="Document id: letters, digits, '_' and '-'."),
    title: str = typer.Option(None, "--title", help="Title (default: the first non-empty line)."),
    outlet: str = typer.Option("unknown", "--outlet", help="Publication, e.g. 'CNET'."),
    url: str = typer.Option(None, "--url", help="Where the article was published."),
    author: list[str] = typer.Option([], "--author", help="Author as printed (repeatable)."),
    published: str = typer.Option(None, "--published", help="Publication date, YYYY-MM-DD."),
    root: Path = ROOT,
) -> None:
    """Copy an article into raw/ and create its annotation file (calls add_article).

    Example: corpus add-article story.txt --id cnet_2015_obama --outlet CNET --author "Katie Collins"
    """
    if published is not None:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            fail(f"--published {published!r} is not a date; expected YYYY-MM-DD")
    if not file.is_file():
        fail(f"{file} is not a file")
    ann = add_article_api(
        root, doc_id, file.read_bytes(), title=title, outlet=outlet, authors=author, url=url, published=published
    )
    typer.echo(f"Added article {doc_id} ({len(file.read_bytes())} bytes, title {ann.meta.title!r})")


# --------------------------------------------------------------------------- add ...


def _report(result: AddResult, dry_run: bool) -> None:
    if dry_run:
        typer.echo(result.to_json(), nl=False)
    echo_warnings(result)
    typer.echo(result.summary(), err=dry_run)


@add_app.command("entity")
@api_errors
def add_entity_command(
    doc: str = typer.Argument(..., help="Document id."),
    text: str = typer.Argument(..., help="The exact text of the mention, e.g. 'Amber Rudd'."),
    label: str = typer.Option(..., "--label", help="Entity label declared in corpus.json."),
    occurrence: int = typer.Option(None, "--occurrence", help="Which occurrence (1 = first) if the text repeats."),
    entity_id: str = typer.Option(None, "--entity-id", help="Registry id from entities.json."),
    inside_word: bool = typer.Option(False, "--inside-word", help="Allow a match inside a longer word."),
    source: str = SOURCE,
    note: str = NOTE,
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Mark an entity mention by its text (calls add_entity).

    Example: corpus add entity doc1 "Amber Rudd" --label PERSON --entity-id amber_rudd
    """
    result = add_entity(
        root,
        doc,
        text,
        label,
        occurrence,
        entity_id,
        inside_word,
        source=source,
        note=note,
        dry_run=dry_run,
        annotator=annotator,
    )
    _report(result, dry_run)


@add_app.command("quote")
@api_errors
def add_quote_command(
    doc: str = typer.Argument(..., help="Document id."),
    text: str = typer.Argument(..., help="The quoted text (first fragment), without the quotation marks."),
    fragment: list[str] = typer.Option([], "--fragment", help="A further fragment, after the previous (repeatable)."),
    kind: QuoteKind = typer.Option(QuoteKind.direct, "--kind", help="direct, indirect or mixed."),
    cue: str = typer.Option(None, "--cue", help="Speech verb or phrase, e.g. 'said'; the nearest occurrence is used."),
    speaker_mention: str = typer.Option(None, "--speaker-mention", help="Speaker's entity mention id, e.g. e1."),
    speaker_text: str = typer.Option(None, "--speaker-text", help="A nominal speaker, e.g. 'a spokesman'."),
    speaker_unknown: bool = typer.Option(False, "--speaker-unknown", help="The article does not say who spoke."),
    occurrence: int = typer.Option(None, "--occurrence", help="Which occurrence of TEXT (1 = first)."),
    cue_occurrence: int = typer.Option(None, "--cue-occurrence", help="Which occurrence of the cue text."),
    speaker_occurrence: int = typer.Option(None, "--speaker-occurrence", help="Which occurrence of --speaker-text."),
    source: str = SOURCE,
    note: str = NOTE,
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Add a quote with its cue and speaker (calls add_quote).

    Example: corpus add quote doc1 "We will act," --cue said --speaker-mention e1
    """
    result = add_quote(
        root,
        doc,
        text,
        kind=kind.value,
        fragments=fragment,
        cue=cue,
        speaker_mention=speaker_mention,
        speaker_text=speaker_text,
        speaker_unknown=speaker_unknown,
        occurrence=occurrence,
        cue_occurrence=cue_occurrence,
        speaker_occurrence=speaker_occurrence,
        source=source,
        note=note,
        dry_run=dry_run,
        annotator=annotator,
    )
    _report(result, dry_run)


@add_app.command("number")
@api_errors
def add_number_command(
    doc: str = typer.Argument(..., help="Document id."),
    text: str = typer.Argument(..., help="The number as written, e.g. '20,000' or 'fourteen million'."),
    value: float = typer.Option(None, "--value", help="The value, if it cannot be read from the text."),
    kind: NumberKind = typer.Option(None, "--kind", help="What the number is (default: guessed from context)."),
    unit: str = typer.Option(None, "--unit", help="What is counted or measured: 'people', 'USD'."),
    qualifier: Qualifier = typer.Option(None, "--qualifier", help="Default: guessed ('about' -> approximate)."),
    occurrence: int = typer.Option(None, "--occurrence", help="Which occurrence (1 = first) if the text repeats."),
    source: str = SOURCE,
    note: str = NOTE,
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Mark a number; its value is read from the text (calls add_number).

    Example: corpus add number doc1 "90,000" --kind count --unit posts
    """
    result = add_number(
        root,
        doc,
        text,
        value=value,
        kind=kind.value if kind else None,
        unit=unit,
        qualifier=qualifier.value if qualifier else None,
        occurrence=occurrence,
        source=source,
        note=note,
        dry_run=dry_run,
        annotator=annotator,
    )
    _report(result, dry_run)


@add_app.command("stance")
@api_errors
def add_stance_command(
    doc: str = typer.Argument(..., help="Document id."),
    target: str = typer.Option(..., "--target", help="Stance target id declared in corpus.json."),
    label: StanceLabel = typer.Option(..., "--label", help="favor, against or neutral."),
    holder_mention: str = typer.Option(None, "--holder-mention", help="Holder's entity mention id."),
    holder_text: str = typer.Option(None, "--holder-text", help="A nominal holder; nearest to the evidence."),
    holder_entity: str = typer.Option(None, "--holder-entity", help="Holder's registry id (entities.json)."),
    evidence_quote: str = typer.Option(None, "--evidence-quote", help="Id of the quote that shows the stance."),
    evidence_text: str = typer.Option(None, "--evidence-text", help="Text that shows the stance."),
    evidence_occurrence: int = typer.Option(None, "--evidence-occurrence", help="Which occurrence of the evidence."),
    holder_occurrence: int = typer.Option(None, "--holder-occurrence", help="Which occurrence of --holder-text."),
    source: str = SOURCE,
    note: str = NOTE,
    dry_run: bool = DRY_RUN,
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Record a holder's stance toward a declared target (calls add_stance).

    Example: corpus add stance doc1 --holder-mention e1 --target platform_action --label favor --evidence-quote q1
    """
    result = add_stance(
        root,
        doc,
        target,
        label.value,
        holder_mention=holder_mention,
        holder_text=holder_text,
        holder_entity=holder_entity,
        evidence_quote=evidence_quote,
        evidence_text=evidence_text,
        evidence_occurrence=evidence_occurrence,
        holder_occurrence=holder_occurrence,
        source=source,
        note=note,
        dry_run=dry_run,
        annotator=annotator,
    )
    _report(result, dry_run)


# --------------------------------------------------------------------------- views


@app.command("show")
@api_errors
def show_command(
    doc: str = typer.Argument(..., help="Document id."),
    layer: list[str] = typer.Option([], "--layer", help="segments, quotes, stance, entities, numbers (repeatable)."),
    color: Color = typer.Option(Color.auto, "--color", help="auto (colours on a terminal), always or never."),
    root: Path = ROOT,
) -> None:
    """Print a document with its annotations marked (calls show).

    Without colours the markup is plain: [Amber Rudd]{PERSON e1}.

    Example: corpus show doc1 --layer entities --layer quotes
    """
    use_color = color is Color.always or (color is Color.auto and sys.stdout.isatty())
    typer.echo(show(root, doc, layer or None, color=use_color), nl=False, color=use_color)


@app.command("render")
@api_errors
def render_command(
    doc: str = typer.Argument(..., help="Document id."),
    html: Path = typer.Option(..., "--html", help="HTML file to write."),
    layer: list[str] = typer.Option([], "--layer", help="Layers to show (repeatable; default all but segments)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the HTML file if it exists."),
    root: Path = ROOT,
) -> None:
    """Write a self-contained HTML view of a document (calls render).

    Example: corpus render doc1 --html doc1.html
    """
    out = render(root, doc, html, layer or None, force=force)
    typer.echo(f"Wrote {out}")


@app.command("stats")
@api_errors
def stats_command(
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", help="text or json."),
    root: Path = ROOT,
) -> None:
    """Count annotations per layer, label, origin and document (calls stats).

    Example: corpus stats --format json
    """
    echo_report(stats(root), format)


# --------------------------------------------------------------------------- maintenance


@app.command("reanchor")
@api_errors
def reanchor_command(
    doc: str = typer.Argument(..., help="Document id."),
    partial: bool = typer.Option(False, "--partial", help="Write even if some spans could not be placed."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would move; write nothing."),
    annotator: str = ANNOTATOR,
    root: Path = ROOT,
) -> None:
    """Move spans after the raw text was corrected and update the sha256 pin (calls reanchor).

    Exit 1 when a span could not be placed; the file is then left unchanged unless --partial.

    Example: corpus reanchor doc1
    """
    result = reanchor(root, doc, partial=partial, dry_run=dry_run, annotator=annotator)
    typer.echo(result.to_text(), nl=False)
    raise typer.Exit(0 if result.ok else 1)
