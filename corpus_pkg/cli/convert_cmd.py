"""``corpus import`` and ``corpus export``: thin layers over :mod:`corpus_pkg.convert`."""

from __future__ import annotations

from pathlib import Path

import typer

from ..convert import ImportRefused, export_corpus, import_corpus
from ..convert._report import ConvertReport
from ._app import api_errors, app, fail
from ._choices import ConvertFormat, Scheme, TextOrJson, echo_report

_FORMAT_HELP = "Report format: text or json (the full report)."


def _report_format(format: TextOrJson, output: TextOrJson | None) -> TextOrJson:
    """``--format``, or the deprecated ``--output`` spelling of it."""
    if output is not None:
        typer.echo("Warning: --output is deprecated; use --format", err=True)
        return output
    return format


@app.command("import")
@api_errors
def import_command(
    source_format: ConvertFormat = typer.Argument(
        ..., metavar="FORMAT", help="Source format: brat, labelstudio, doccano or conll."
    ),
    path: Path = typer.Argument(
        ...,
        help="File or folder to import (brat: folder of .txt/.ann or one .ann; labelstudio: tasks.json or its folder).",
    ),
    root: Path = typer.Option(Path("."), "--root", help="Corpus folder (made by `corpus init`)."),
    label_map: Path | None = typer.Option(
        None, "--label-map", help='JSON object mapping source labels to ours, e.g. {"PER": "PERSON"}; null drops.'
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Source encoding (default utf-8), e.g. latin-1."),
    id_prefix: str = typer.Option("", "--id-prefix", help="Prepend this to every new document id."),
    language: str | None = typer.Option(
        None, "--language", help="BCP 47 language tag stored in the new documents (default en)."
    ),
    tag_column: int | None = typer.Option(
        None, "--tag-column", help="CoNLL: 0-based column of the tag; negative counts from the end (default -1: last)."
    ),
    scheme: Scheme | None = typer.Option(
        None, "--scheme", help="CoNLL: auto (default), iob1 or iob2 (reports I- starts)."
    ),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", help=_FORMAT_HELP),
    output: TextOrJson | None = typer.Option(None, "--output", hidden=True, help="Deprecated spelling of --format."),
) -> None:
    """Add the documents and annotations of another tool's files to a corpus, all or nothing.

    The report is always printed; any error means nothing was written (exit 1).

    Example: corpus import brat exports/brat --root news
    """
    options = {k: v for k, v in (("tag_column", tag_column), ("scheme", scheme and scheme.value)) if v is not None}
    if options and source_format is not ConvertFormat.conll:
        given = ", ".join("--" + k.replace("_", "-") for k in options)
        raise typer.BadParameter(f"{given} only apply to the conll format", param_hint="options")
    shown = _report_format(format, output)
    try:
        report: ConvertReport = import_corpus(
            source_format.value,
            path,
            root=root,
            label_map=label_map,
            encoding=encoding,
            id_prefix=id_prefix,
            language=language,
            **options,
        )
    except ImportRefused as exc:
        echo_report(exc.report, shown)
        fail(str(exc))
    echo_report(report, shown)
    raise typer.Exit(0 if report.valid else 1)


@app.command("export")
@api_errors
def export_command(
    target_format: ConvertFormat = typer.Argument(
        ..., metavar="FORMAT", help="Target format: brat, labelstudio, doccano or conll."
    ),
    out: Path = typer.Option(..., "--out", help="Folder to write (must be missing or empty)."),
    root: Path = typer.Option(Path("."), "--root", help="Corpus folder."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Write into a non-empty --out folder."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", help=_FORMAT_HELP),
    output: TextOrJson | None = typer.Option(None, "--output", hidden=True, help="Deprecated spelling of --format."),
) -> None:
    """Write the corpus in another tool's format; what the format cannot hold is listed.

    Example: corpus export labelstudio --out out/ls --root news
    """
    report = export_corpus(target_format.value, out, root=root, overwrite=overwrite)
    echo_report(report, _report_format(format, output))
