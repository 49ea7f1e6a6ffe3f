"""Label Studio JSON export: a list of tasks, each ``{"data": {"text": ...}, "annotations": [...],
"predictions": [...]}`` whose ``result`` items are regions (``type: "labels"``, ``value.start``,
``value.end``, ``value.text``, ``value.labels``), relations (``from_id``/``to_id``) and ``choices``.

Offsets. Label Studio 1.x stores code points, but versions that took the browser's string length
counted UTF-16 code units, so spans after an emoji drift (label-studio #1347, #1008). Each region
is checked with ``text[start:end] == value.text``; when that fails and the offsets read as UTF-16
units match, they are converted (warning ``utf16-offsets``); otherwise the region is skipped with
an ``offset-mismatch`` warning. Regions without ``value.text`` are taken as code points
(``unverified-offsets``). Exports write code points.

Mapping (labels compared case-insensitively): quotes, cues and speakers follow the region
convention of :mod:`corpus_pkg.convert.regions` (shared with doccano); ``NUMBER`` regions ->
numbers, with ``meta.text`` lines ``value=``, ``kind=``, ``unit=``, ``qualifier=``; ``choices`` from
``stance`` with values ``<target>:<favor|against|neutral>`` -> stance, with relations ``holder`` and
``evidence`` from the choices result to regions (or a ``holder_entity=<registry id>`` meta line);
every other label -> an entity mention (one per label when a region has several).

``annotations`` get origin ``imported``; ``predictions`` get ``suggestion``. ``corpus import
labelstudio DIR`` reads the ``tasks.json`` that ``corpus export labelstudio --out DIR`` wrote.

Modules: :mod:`.read` (tasks and results), :mod:`.layers` (one builder per layer), :mod:`.write`.
"""

from __future__ import annotations

from ..interface import NoOptions
from .read import EXPORT_FILE, read
from .write import write

__all__ = ("EXPORT_FILE", "LabelStudioConverter", "read", "write")


class LabelStudioConverter:
    """The Label Studio converter."""

    name = "labelstudio"
    description = "Label Studio JSON export (tasks with annotations/predictions)"
    options = NoOptions
    read = staticmethod(read)
    write = staticmethod(write)
