"""The converter interface: what every format module provides, and its typed options.

A converter is an object with a ``name``, a one-line ``description``, an ``options`` dataclass
(the keyword options :func:`corpus_pkg.convert.import_corpus` accepts for that format; any other
option is a usage error), ``read(path, ctx) -> ImportBatch`` (documents plus issues recorded in
``ctx.report``; never raises on bad content) and ``write(corpus, docs, out, report)``.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from ..corpus import Corpus
from ..schema import Document
from ._common import ImportBatch, ReadContext
from ._report import ConvertReport


class Converter(Protocol):
    """One file format: a reader, a writer and the options the reader takes."""

    name: str
    description: str
    options: type

    def read(self, path: Path, ctx: ReadContext) -> ImportBatch:
        """Documents found at ``path``; bad content becomes issues in ``ctx.report``."""
        ...

    def write(self, corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
        """Write ``docs`` into the folder ``out``; every loss becomes a warning in ``report``."""
        ...


@dataclass(frozen=True)
class NoOptions:
    """The format takes no options."""


@dataclass(frozen=True)
class ConllOptions:
    """CoNLL import options."""

    tag_column: int = -1  #: 0-based column of the tag; negative counts from the end
    scheme: Literal["auto", "iob1", "iob2"] = "auto"  #: iob2 reports mentions that start with I-


class OptionError(TypeError):
    """An option the format does not take, or a value of the wrong type (a usage error)."""


def parse_options(format: str, cls: type, values: dict[str, Any]) -> Any:
    """``cls(**values)`` after checking names and types; raise :class:`OptionError` otherwise."""
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        allowed = ", ".join(known) or "none"
        raise OptionError(f"format {format!r} takes no option(s) {', '.join(unknown)}; its options: {allowed}")
    hints = typing.get_type_hints(cls)
    for name, value in values.items():
        hint = hints[name]
        if typing.get_origin(hint) is Literal:
            if value not in typing.get_args(hint):
                choices = ", ".join(map(str, typing.get_args(hint)))
                raise OptionError(f"option {name}={value!r} of format {format!r}: choose one of {choices}")
        elif hint is int and (not isinstance(value, int) or isinstance(value, bool)):
            raise OptionError(f"option {name}={value!r} of format {format!r}: expected an integer")
    return cls(**values)
