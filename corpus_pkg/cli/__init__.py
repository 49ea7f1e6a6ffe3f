"""The ``corpus`` command line: a thin layer over the Python API.

Each command lives in its own module and calls one API function; errors from the API are
shown as ``Error: <message>`` with exit code 1 (2 for usage errors).
"""

from __future__ import annotations

from . import agree_cmd as _agree_cmd  # noqa: F401  (registers commands)
from . import annotate_cmd as _annotate_cmd  # noqa: F401  (registers commands)
from . import build_cmd as _build_cmd  # noqa: F401  (registers commands)
from . import convert_cmd as _convert_cmd  # noqa: F401  (registers commands)
from . import review_cmd as _review_cmd  # noqa: F401  (registers commands)
from . import suggest_cmd as _suggest_cmd  # noqa: F401  (registers commands)
from . import validate_cmd as _validate_cmd  # noqa: F401  (registers commands)
from ._app import app, main

__all__ = ("app", "main")
