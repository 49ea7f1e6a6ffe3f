"""``corpus import`` and ``corpus export``: thin layers over :mod:`corpus_pkg.convert`."""

from __future__ import annotations

from pathlib import Path

import typer

from ..convert import export_corpus, import_corpus
from ._app import api_errors, app
from ._choices import ConvertFormat, Scheme, TextOrJson, echo_report


@app.command("import")
@api_errors
def import_command(
    format: ConvertFormat = typer.Argument(..., help="Source format: brat, labelstudio, doccano or conll."),
    path: Path = typer.Argument(..., help="File or folder to import (brat: folder of .txt/.ann or one .ann)."),
    root: Path = typer.Option(Path("."), "--root", help="Corpus folder (made by `corpus init`)."),
    label_map: Path | None = typer.Option(
        None, "--label-map", help='JSON object mapping source labels to ours, e.g. {"PER": "PERSON"}; null drops.'
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Source encoding (default utf-8), e.g. latin-1."),
    id_prefix: str = typer.Option("", "--id-prefix", help="Prepend this to every new document id."),
    language: str | None = typer.Option(
        None, "--language", help="BCP 47 language tag stored in the new documents (default en)."
    ),
    tag_column: int = typer.Option(
        -1, "--tag-column", help="CoNLL: 0-based column of the tag; negative counts from the end (-1: last)."
    ),
    scheme: Scheme = typer.Option(Scheme.auto, "--scheme", help="CoNLL: auto, iob1 or iob2 (reports I- starts)."),
    output: TextOrJson = typer.Option(TextOrJson.text, "--output", help="text or json (the full report)."),
) -> None:
    """Add the documents and annotations of another tool's files to a corpus.

    Example: corpus import brat exports/brat --root news
    """
    options = {"tag_column": tag_column, "scheme": scheme.value} if format is ConvertFormat.conll else {}
    report = import_corpus(
        format.value,
        path,
        root=root,
        label_map=label_map,
        encoding=encoding,
        id_prefix=id_prefix,
        language=language,
        **options,
    )
    echo_report(report, output)
    raise typer.Exit(0 if report.valid else 1)


@app.command("export")
@api_errors
def export_command(
    format: ConvertFormat = typer.Argument(..., help="Target format: brat, labelstudio, doccano or conll."),
    out: Path = typer.Option(..., "--out", help="Folder to write (must be missing or empty)."),
    root: Path = typer.Option(Path("."), "--root", help="Corpus folder."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Write into a non-empty --out folder."),
    output: TextOrJson = typer.Option(TextOrJson.text, "--output", help="text or json (the full report)."),
) -> None:
    """Write the corpus in another tool's format; what the format cannot hold is listed.

    Example: corpus export labelstudio --out out/ls --root news
    """
    report = export_corpus(format.value, out, root=root, overwrite=overwrite)
    echo_report(report, output)
