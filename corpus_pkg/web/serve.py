"""``corpus serve``: a local web page to read documents and review machine suggestions.

The page lists the corpus's documents; a document shows its text with every layer marked (the
page of ``corpus render``) and, below it, each unreviewed suggestion with *Accept* and *Reject*
buttons, which call :func:`corpus_pkg.annotate.review.accept_suggestions` and
:func:`corpus_pkg.annotate.review.reject_suggestions`: the same checks, the same atomic writes.

It is meant for one person on their own machine, and treats everything else as hostile:

* it binds ``127.0.0.1`` only;
* every request must name this server in its ``Host`` header (a page elsewhere that rebinds its
  own host name to 127.0.0.1 gets an error, not the corpus);
* a POST must come from a page of this server (``Origin``, or ``Referer`` when a browser sends no
  Origin) and carry the form token made when the server started;
* pages are built from escaped text, with a Content-Security-Policy that allows no script.

A form also carries the sha256 of the annotation file the page was made from: when the file has
changed since (another click, a CLI command, an editor), the action is refused and the page asks
for a reload, so a button never acts on something it did not show. Actions run one at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
import secrets
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from ..annotate.errors import AnnotationError
from ..annotate.render import render_html, stale_warning
from ..annotate.review import accept_suggestions, reject_suggestions
from ..annotate.session import item_spans
from ..corpus import Corpus, CorpusError, is_safe_id, read_regular_file
from ..schema import ANNOTATION_LAYERS, Document

__all__ = ("ReviewServer", "make_server", "serve")

HOST = "127.0.0.1"
MAX_FORM_BYTES = 16 * 1024
_ACTIONS: dict[str, Callable[..., Any]] = {"accept": accept_suggestions, "reject": reject_suggestions}
_DOC = re.compile(r"^/doc/([^/]+)$")
_POST = re.compile(r"^/doc/([^/]+)/(accept|reject)$")
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class ReviewServer(ThreadingHTTPServer):
    """The HTTP server of one corpus; ``token`` guards its forms."""

    daemon_threads = True

    def __init__(self, root: Path, port: int) -> None:
        self.corpus = Corpus.at(root)
        if not self.corpus.config_path.is_file():
            raise CorpusError(f"{root} is not a corpus (no corpus.json); pass --root or run `corpus init`")
        try:  # read (and check) them now: a broken corpus.json or entities.json is an error at start
            self.corpus.config, self.corpus.registry  # noqa: B018
        except (ValueError, CorpusError):
            raise CorpusError(f"{root}: corpus.json or entities.json is invalid; run `corpus validate`") from None
        self.token = secrets.token_urlsafe(32)
        self.write_lock = threading.Lock()  # one review action at a time
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/``."""
        return f"http://{HOST}:{self.server_address[1]}/"

    def allowed_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"{HOST}:{port}", f"localhost:{port}"}


def make_server(root: str | Path = ".", port: int = 8765) -> ReviewServer:
    """A server for the corpus at ``root`` on ``127.0.0.1:port`` (``port=0`` picks a free one), not yet started."""
    return ReviewServer(Path(root), port)


def serve(root: str | Path = ".", port: int = 8765, ready: Callable[[str], None] | None = None) -> None:
    """Serve the corpus at ``root`` on ``http://127.0.0.1:<port>/`` until interrupted (Ctrl-C).

    Example:
        >>> serve("corpus", port=8765)  # doctest: +SKIP
    """
    with make_server(root, port) as server:
        if ready:
            ready(server.url)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "corpus-serve"
    sys_version = ""
    timeout = 15  # seconds a client may take to send its request

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the terminal is the annotator's

    # --- dispatch ----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if not self._host_ok():
            return
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._page(HTTPStatus.OK, self._index())
        elif match := _DOC.match(path):
            self._document(match.group(1))
        else:
            self._error(HTTPStatus.NOT_FOUND, "No such page.")

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        if not self._host_ok() or not self._same_origin():
            return
        match = _POST.match(self.path)
        if not match or not self._known(match.group(1)):
            self._error(HTTPStatus.NOT_FOUND, "No such document or action.")
            return
        form = self._form()
        if form is None:
            return
        if not secrets.compare_digest(form.get("token", "").encode(), self.server.token.encode()):
            self._error(HTTPStatus.FORBIDDEN, "The form token is missing or stale: reload the page.")
            return
        doc_id, action = match.groups()
        ids = [form["id"]] if form.get("id") else []
        with self.server.write_lock:
            try:
                if form.get("version") != _version(self.server.corpus.annotation_path(doc_id)):
                    raise AnnotationError(f"annotations/{doc_id}.json changed since this page was made; reload it")
                _ACTIONS[action](self.server.corpus.root, doc_id, ids)
            except (AnnotationError, CorpusError, OSError) as exc:
                self._error(HTTPStatus.CONFLICT, str(exc), back=f"/doc/{doc_id}")
                return
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", f"/doc/{doc_id}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:  # noqa: N802
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and POST.")

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    # --- checks ------------------------------------------------------------------------------

    def _host_ok(self) -> bool:
        if self.headers.get("Host", "") in self.server.allowed_hosts():
            return True
        self._error(HTTPStatus.MISDIRECTED_REQUEST, "This server only answers to its own address.")
        return False

    def _same_origin(self) -> bool:
        own = {f"http://{host}" for host in self.server.allowed_hosts()}
        origin = self.headers.get("Origin")
        referer = self.headers.get("Referer", "")
        if origin in own or (origin is None and any(referer.startswith(f"{o}/") for o in own)):
            return True
        self._error(HTTPStatus.FORBIDDEN, "Forms are accepted from this server's own pages only.")
        return False

    def _known(self, doc_id: str) -> bool:
        return is_safe_id(doc_id) and self.server.corpus.annotation_path(doc_id).is_file()

    def _form(self) -> dict[str, str] | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_FORM_BYTES:
            self._error(HTTPStatus.BAD_REQUEST, f"Expected a form of at most {MAX_FORM_BYTES} bytes.")
            return None
        try:
            fields = parse_qs(self.rfile.read(length).decode("utf-8"), max_num_fields=10, strict_parsing=False)
        except (ValueError, OSError):
            self._error(HTTPStatus.BAD_REQUEST, "The form could not be read.")
            return None
        return {key: values[0] for key, values in fields.items()}

    # --- pages -------------------------------------------------------------------------------

    def _index(self) -> str:
        corpus = self.server.corpus
        rows = []
        for doc_id in corpus.doc_ids():
            try:
                doc = corpus.read_document(doc_id)
            except (CorpusError, ValueError, OSError) as exc:
                rows.append(f"<tr><td>{_esc(doc_id)}</td><td colspan=3>cannot be read: {_esc(exc)}</td></tr>")
                continue
            counts = [len(getattr(doc.annotations, layer)) for layer in ANNOTATION_LAYERS]
            pending = sum(1 for _layer, item in doc.annotations.layer_items() if item.origin == "suggestion")
            rows.append(
                f'<tr><td><a href="/doc/{_esc(doc_id)}">{_esc(doc_id)}</a></td>'
                f"<td>{_esc(doc.annotations.meta.title)}</td>"
                f"<td>{' / '.join(map(str, counts))}</td><td>{pending}</td></tr>"
            )
        body = (
            f"<h1>{_esc(corpus.config.pretty_name or corpus.config.name)}</h1>"
            f"<p>{len(rows)} document(s) in {_esc(corpus.root)}</p>"
            "<table><tr><th>document</th><th>title</th><th>entities / quotes / numbers / stance</th>"
            f"<th>suggestions to review</th></tr>{''.join(rows)}</table>"
        )
        return _wrap("corpus", body)

    def _document(self, doc_id: str) -> None:
        if not self._known(doc_id):
            self._error(HTTPStatus.NOT_FOUND, f"No document {doc_id!r}.")
            return
        corpus = self.server.corpus
        try:
            version = _version(corpus.annotation_path(doc_id))
            doc = corpus.read_document(doc_id)
        except (CorpusError, ValueError, OSError) as exc:
            self._error(HTTPStatus.CONFLICT, f"annotations/{doc_id}.json cannot be read: {exc}")
            return
        if doc.doc_id != doc_id:
            message = f"annotations/{doc_id}.json says its doc_id is {doc.doc_id!r}; fix the file first"
            self._error(HTTPStatus.CONFLICT, message)
            return
        panel = self._review_panel(doc, version)
        page = render_html(doc, None, corpus.registry, stale_warning(corpus, doc), extra_html=panel)
        self._page(HTTPStatus.OK, page)

    def _review_panel(self, doc: Document, version: str) -> list[str]:
        doc_id = _esc(doc.doc_id)
        fixed = (
            f'<input type="hidden" name="token" value="{_esc(self.server.token)}">'
            f'<input type="hidden" name="version" value="{_esc(version)}">'
        )

        def button(action: str, label: str, ann_id: str = "") -> str:
            hidden = f'<input type="hidden" name="id" value="{_esc(ann_id)}">' if ann_id else ""
            return (
                f'<form method="post" action="/doc/{doc_id}/{action}" style="display:inline">'
                f'{fixed}{hidden}<button type="submit">{label}</button></form>'
            )

        rows = []
        for layer, item in doc.annotations.layer_items():
            if item.origin != "suggestion":
                continue
            where = ", ".join(f"[{s.start}:{s.end}] {s.text}" for s in item_spans(item))
            detail = getattr(item, "label", None) or getattr(item, "kind", "")
            rows.append(
                f"<tr><td>{_esc(item.id)}</td><td>{_esc(layer)}</td><td>{_esc(detail)}</td><td>{_esc(where)}</td>"
                f"<td>{_esc(item.source or '')}</td>"
                f"<td>{button('accept', 'Accept', item.id)} {button('reject', 'Reject', item.id)}</td></tr>"
            )
        out = ['<section id="review">', '<p><a href="/">All documents</a></p>', "<h2>Suggestions to review</h2>"]
        if not rows:
            out.append("<p>None: every annotation of this document is gold.</p>")
        else:
            out.append(
                "<table><tr><th>id</th><th>layer</th><th>label</th><th>text</th><th>source</th><th></th></tr>"
                + "".join(rows)
                + "</table>"
            )
            out.append(f"<p>{button('accept', 'Accept all')} {button('reject', 'Reject all')}</p>")
        out.append("</section>")
        return out

    # --- responses ---------------------------------------------------------------------------

    def _error(self, status: HTTPStatus, message: str, back: str = "/") -> None:
        body = (
            f'<h1>{status.value} {_esc(status.phrase)}</h1><p>{_esc(message)}</p><p><a href="{_esc(back)}">Back</a></p>'
        )
        self._page(status, _wrap(status.phrase, body))

    def _page(self, status: HTTPStatus, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def end_headers(self) -> None:
        """Every response, the standard library's own error pages included, carries the security headers."""
        for name, value in _HEADERS.items():
            self.send_header(name, value)
        super().end_headers()


def _version(path: Path) -> str:
    """What a page was made from: the sha256 of the annotation file's bytes."""
    return hashlib.sha256(read_regular_file(path)).hexdigest()


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _wrap(title: str, body: str) -> str:
    style = "body{font:16px/1.5 sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td,th{padding:.2rem .6rem}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title><style>{style}</style></head><body>{body}</body></html>"
    )
