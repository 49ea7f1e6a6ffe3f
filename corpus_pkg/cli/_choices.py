"""Option choices for the CLI, derived from the schema's Literal types so they cannot drift."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, get_args

import typer

from .._pool import ENGINES
from ..convert import FORMATS
from ..schema import ANNOTATION_LAYERS
from ..schema.numbers import NumberKind as _NumberKind
from ..schema.numbers import Qualifier as _Qualifier
from ..schema.quotes import QuoteKind as _QuoteKind
from ..schema.stance import StanceLabel as _StanceLabel


def choices(name: str, values: Iterable[str]) -> type[Enum]:
    """A ``str`` Enum whose members are ``values`` (what Typer needs to show and check choices)."""
    return Enum(name, {value: value for value in values}, type=str)  # type: ignore[return-value]


QuoteKind = choices("QuoteKind", get_args(_QuoteKind))
NumberKind = choices("NumberKind", get_args(_NumberKind))
Qualifier = choices("Qualifier", get_args(_Qualifier))
StanceLabel = choices("StanceLabel", get_args(_StanceLabel))
ConvertFormat = choices("ConvertFormat", FORMATS)
TextOrJson = choices("TextOrJson", ("text", "json"))
AnnotationLayer = choices("AnnotationLayer", ANNOTATION_LAYERS)
Engine = choices("Engine", ENGINES)


def echo_report(report: Any, format: Enum) -> None:
    """Print an API result as its JSON model dump or its ``to_text()`` rendering."""
    if format.value == "json":
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(report.to_text(), nl=False)


ReportFormat = choices("ReportFormat", ("text", "json", "github"))
BumpPart = choices("BumpPart", ("patch", "minor", "major"))
Color = choices("Color", ("auto", "always", "never"))
Scheme = choices("Scheme", ("auto", "iob1", "iob2"))  # CoNLL tag schemes accepted by `corpus import conll`
