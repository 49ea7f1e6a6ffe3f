"""``corpus suggest numbers|entities|quotes``: pre-annotation stored as unreviewed suggestions.

Each command calls the API function of the same name for one document, or
:func:`corpus_pkg.annotate.suggest.suggest_corpus` for ``--all``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..annotate.suggest import SuggestResult, suggest_corpus, suggest_entities, suggest_numbers, suggest_quotes
from ..annotate.suggest.registry import suggester_names
from ._app import ROOT, api_errors, app, fail

DOC = typer.Argument(None, help="Document id (or --all).")
ALL = typer.Option(False, "--all", help="Every document of the corpus.")
WRITE = typer.Option(False, "--write", help="Save the suggestions (origin 'suggestion'); default: only print them.")

suggest_app = typer.Typer(
    help="Pre-annotation by pluggable suggesters, stored as unreviewed suggestions (review: corpus accept/reject).",
    no_args_is_help=True,
)
app.add_typer(suggest_app, name="suggest")


def _echo(results: list[SuggestResult]) -> None:
    for result in results:
        typer.echo(result.to_text(), nl=False)
    if len(results) > 1:
        total = sum(len(r.suggestions) for r in results)
        verb = "wrote" if any(r.written for r in results) else "found"
        typer.echo(f"{verb} {total} suggestion(s) in {len(results)} document(s)")


def _target(doc: str | None, every: bool) -> None:
    if bool(doc) == every:
        fail("name one document, or pass --all (not both)")


def _run(layer: str, doc: str | None, every: bool, write: bool, root: Path, one: Any, **options: Any) -> None:
    _target(doc, every)
    if every:
        name = options.pop("suggester", None)
        _echo(suggest_corpus(root, layer, name, write=write, options={k: v for k, v in options.items() if v}))
    else:
        _echo([one()])


@suggest_app.command("numbers")
@api_errors
def suggest_numbers_command(doc: str = DOC, every: bool = ALL, write: bool = WRITE, root: Path = ROOT) -> None:
    """Suggest number annotations with values and kinds (calls suggest_numbers).

    Example: corpus suggest numbers doc1 --write
    """
    _run("numbers", doc, every, write, root, lambda: suggest_numbers(root, doc, write=write))


@suggest_app.command("entities")
@api_errors
def suggest_entities_command(
    doc: str = DOC,
    every: bool = ALL,
    suggester: str = typer.Option(
        "registry", "--suggester", help=f"Which suggester: {', '.join(suggester_names('entities'))}."
    ),
    model: str = typer.Option(
        None, "--model", help="spaCy pipeline for --suggester spacy: a saved folder or an installed package."
    ),
    write: bool = WRITE,
    root: Path = ROOT,
) -> None:
    """Suggest entity mentions linked to the registry (calls suggest_entities).

    registry: names and aliases of entities.json (case-sensitive, whole words, longest match);
    spacy: the entities of the pipeline given with --model (needs the [spacy] extra).

    Example: corpus suggest entities --all --write
    """
    if model and suggester != "spacy":
        fail(f"--model is for --suggester spacy; the {suggester} suggester takes no pipeline")
    one = lambda: suggest_entities(root, doc, suggester, write=write, model=model)  # noqa: E731
    _run("entities", doc, every, write, root, one, suggester=suggester, model=model)


@suggest_app.command("quotes")
@api_errors
def suggest_quotes_command(doc: str = DOC, every: bool = ALL, write: bool = WRITE, root: Path = ROOT) -> None:
    """Suggest quotes from quotation marks with cue and speaker, in body text (calls suggest_quotes).

    Example: corpus suggest quotes doc1 --write
    """
    _run("quotes", doc, every, write, root, lambda: suggest_quotes(root, doc, write=write))
