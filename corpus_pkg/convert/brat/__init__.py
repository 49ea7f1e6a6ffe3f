"""brat standoff: ``<doc>.txt`` + ``<doc>.ann`` pairs and ``annotation.conf``.

Import: ``T`` lines of entity types -> entity mentions; attribution events (PolNeAR's
``E Attribution:T Content:T Cue:T Source:T`` and our own ``E Quote:T Cue:T Speaker:T``) -> quotes;
``T Number`` + ``#`` AnnotatorNotes ``"<value> [unit]"`` -> numbers; ``R Stance`` + a
``target=<id> label=<favor|against|neutral>`` note -> stance; ``N`` lines -> registry links when
the reference names a registry id (``corpus:<id>``) or its Wikidata QID, else kept in ``note``.
Everything else (other events and relations, ``*`` equivalences, unused attributes,
discontinuous entities) is reported as a ``not-representable`` warning listing the lines.
Source files that are symbolic links are refused.

brat offsets are code points of the ``.txt`` (end exclusive); discontinuous spans are
``start end;start end`` and their text is the fragments joined by one space.

Modules: :mod:`.parse` (lines of an .ann by kind), :mod:`.read` (one builder per layer),
:mod:`.write` (the export).
"""

from __future__ import annotations

from ..interface import NoOptions
from .read import RESERVED_TYPES, read
from .write import write

__all__ = ("RESERVED_TYPES", "BratConverter", "read", "write")


class BratConverter:
    """The brat converter."""

    name = "brat"
    description = "brat standoff: .txt + .ann pairs and annotation.conf"
    options = NoOptions
    read = staticmethod(read)
    write = staticmethod(write)
