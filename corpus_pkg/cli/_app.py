"""The Typer application shared by all command modules."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

import typer

from ..corpus import CorpusError

app = typer.Typer(
    name="corpus",
    help="Keep, check and ship an annotated news corpus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])

#: ``--annotator NAME`` (or CORPUS_ANNOTATOR=NAME): write into passes/NAME/ instead of the gold file.
ANNOTATOR = typer.Option(
    None,
    "--annotator",
    envvar="CORPUS_ANNOTATOR",
    help="Work in this annotator's independent pass (passes/NAME/<doc>.json) instead of the gold file; "
    "default: $CORPUS_ANNOTATOR, else the gold file.",
)

#: Exceptions the API raises for bad input; the CLI shows their message, never a traceback.
USER_ERRORS: tuple[type[BaseException], ...] = (CorpusError, ValueError, FileNotFoundError, FileExistsError)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``Error: message`` to stderr and exit."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def api_errors(func: F) -> F:
    """Turn API exceptions into ``Error: ...`` lines with exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except USER_ERRORS as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def main() -> None:
    """Console-script entry point."""
    app(prog_name="corpus")
    sys.exit(0)
