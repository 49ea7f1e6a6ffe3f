"""The Typer application shared by all command modules."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError

from ..corpus import CorpusError, describe_validation_error

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
#: ValueError counts only when corpus_pkg raised it (see :func:`is_user_error`).
USER_ERRORS: tuple[type[BaseException], ...] = (CorpusError, ValueError, FileNotFoundError, FileExistsError)
#: Exit codes: 1 the corpus or an input is wrong (``Error: ...``), 2 the command line is wrong.
EXIT_ERROR, EXIT_USAGE = 1, 2
#: Where bugs are reported (the corpus repository's issue tracker; no address is invented here).
REPORT_TO = "the issue tracker of the repository you got corpus_pkg from"
_PACKAGE = str(Path(__file__).resolve().parent.parent)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print ``Error: message`` to stderr and exit (1, or 2 for usage errors)."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def is_user_error(exc: BaseException) -> bool:
    """A corpus or input problem (shown as one line) rather than a bug (shown with a traceback).

    A ValueError counts when corpus_pkg itself raised it; one from inside a library is a bug.
    """
    if isinstance(exc, ValidationError):
        return True
    if isinstance(exc, (CorpusError, FileNotFoundError, FileExistsError)):
        return True
    if isinstance(exc, ValueError) and not isinstance(exc, UnicodeError):
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        return tb is not None and tb.tb_frame.f_code.co_filename.startswith(_PACKAGE)
    return False


def user_message(exc: BaseException) -> str:
    """The one-line message of a user error (pydantic errors summarized, never dumped)."""
    if isinstance(exc, ValidationError):
        return f"invalid {exc.title}: {describe_validation_error(exc)}"
    return str(exc)


def api_errors(func: F) -> F:
    """Turn API exceptions into ``Error: ...`` lines with exit code 1; bugs get a short traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            if type(exc).__module__.split(".")[0] in ("typer", "click"):  # exits and usage errors
                raise
            if is_user_error(exc):
                fail(user_message(exc))
            _print_bug(exc)
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


def _print_bug(exc: BaseException) -> None:
    """An unexpected exception: the last frames of its traceback and a request to report it."""
    frames = traceback.format_exception(exc, limit=-3)
    typer.echo("".join(frames).rstrip("\n"), err=True)
    typer.echo(
        f"Error: unexpected {type(exc).__name__}; this is a bug in corpus_pkg. Please report it with the "
        f"command you ran and the lines above to {REPORT_TO}",
        err=True,
    )


def main() -> None:
    """Console-script entry point. Output never fails on unprintable characters (they are escaped)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        app(prog_name="corpus")  # usage errors exit 2 and typer.Exit exits with its code, inside
    except Exception as exc:  # raised outside a command body (e.g. while parsing a callback)
        if is_user_error(exc):
            typer.echo(f"Error: {user_message(exc)}", err=True)
            sys.exit(EXIT_ERROR)
        _print_bug(exc)
        sys.exit(EXIT_ERROR)
    sys.exit(0)
