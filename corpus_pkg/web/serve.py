"""``corpus serve``: the local annotation workbench, on uvicorn, bound to 127.0.0.1 only.

:func:`serve` runs it until Ctrl-C; :func:`make_server` gives a :class:`WorkbenchServer` that
tests and benchmarks start in a thread. The application is in :mod:`corpus_pkg.web.app`, its
guard (Host, Origin, CSRF, size limits, CSP) in :mod:`corpus_pkg.web.security`, the JSON API in
:mod:`corpus_pkg.web.api` and :mod:`corpus_pkg.web.actions`.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn

from ..corpus import Corpus, CorpusError, check_annotator
from .app import build_app

__all__ = ("HOST", "WorkbenchServer", "make_server", "serve")

HOST = "127.0.0.1"


class WorkbenchServer:
    """The workbench of one corpus on ``127.0.0.1:port`` (the socket is bound at creation)."""

    def __init__(self, root: Path, port: int, annotator: str | None = None, gold: bool = False) -> None:
        corpus = Corpus.at(root)
        if not corpus.config_path.is_file():
            raise CorpusError(f"{root} is not a corpus (no corpus.json); pass --root or run `corpus init`")
        try:  # read (and check) them now: a broken corpus.json or entities.json is an error at start
            corpus.config, corpus.registry  # noqa: B018
        except (ValueError, CorpusError):
            raise CorpusError(f"{root}: corpus.json or entities.json is invalid; run `corpus validate`") from None
        if annotator is not None and not (0 < len(annotator) <= 100 and annotator.isprintable()):
            raise CorpusError(f"--annotator must be a printable name of at most 100 characters, got {annotator!r}")
        if annotator is not None and not gold:
            check_annotator(annotator)  # it names the pass folder passes/<annotator>/
        self.root = corpus.root
        self.annotator = annotator
        #: whose pass the pages read and write (None: the gold files)
        self.pass_of = annotator if not gold else None
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((HOST, port))
        except OSError as exc:
            self.socket.close()
            raise CorpusError(f"cannot listen on {HOST}:{port}: {exc.strerror}; choose another --port") from None
        self.socket.listen(128)  # connections wait in the queue until uvicorn accepts them
        self.port: int = self.socket.getsockname()[1]
        self.secret = secrets.token_bytes(32)
        hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}
        self.app = build_app(self.root, annotator, hosts, self.secret, self.pass_of)
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=5)
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/``."""
        return f"http://{HOST}:{self.port}/"

    def run(self) -> None:
        """Serve until :meth:`stop` (or Ctrl-C, which uvicorn handles in the main thread)."""
        self.server.run(sockets=[self.socket])

    def start(self) -> WorkbenchServer:
        """Serve in a background thread; returns once the server accepts requests."""
        self.server.config.install_signal_handlers = False  # only the main thread may install them
        self._thread = threading.Thread(target=self.run, name="corpus-serve", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the workbench server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.socket.close()

    def __enter__(self) -> WorkbenchServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def make_server(
    root: str | Path = ".", port: int = 8765, annotator: str | None = None, gold: bool = False
) -> WorkbenchServer:
    """A workbench for the corpus at ``root`` on ``127.0.0.1:port`` (``port=0`` picks a free one), not yet started.

    With ``annotator`` its pages read and write that annotator's pass (``passes/<annotator>/``), as the
    CLI's ``--annotator`` does; with ``gold=True`` as well they edit the gold files and credit ``annotator``."""
    return WorkbenchServer(Path(root), port, annotator, gold)


def serve(
    root: str | Path = ".",
    port: int = 8765,
    ready: Callable[[str], None] | None = None,
    annotator: str | None = None,
    gold: bool = False,
) -> None:
    """Serve the workbench of the corpus at ``root`` on ``http://127.0.0.1:<port>/`` until interrupted (Ctrl-C).

    Example:
        >>> serve("corpus", port=8765, annotator="alice")  # doctest: +SKIP (alice's pass)
    """
    server = make_server(root, port, annotator, gold)
    if ready:
        ready(server.url)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    server.socket.close()
