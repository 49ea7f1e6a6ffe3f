"""The format registry: format name -> converter (see :mod:`corpus_pkg.convert.interface`)."""

from __future__ import annotations

from .brat import BratConverter
from .conll import ConllConverter
from .doccano import DoccanoConverter
from .interface import Converter
from .labelstudio import LabelStudioConverter

#: Format name -> converter. The CLI's FORMAT argument takes these keys.
FORMATS: dict[str, Converter] = {
    c.name: c for c in (BratConverter(), LabelStudioConverter(), DoccanoConverter(), ConllConverter())
}

#: Document metadata each format carries through an export (the rest is reported as lost).
KEPT_META: dict[str, frozenset[str]] = {
    "brat": frozenset(),
    "labelstudio": frozenset({"title"}),
    "doccano": frozenset({"title", "url"}),
    "conll": frozenset(),
}


def converter_for(name: str) -> Converter:
    """The converter of format ``name``; a ValueError lists the formats otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}") from None
