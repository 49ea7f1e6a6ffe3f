"""The Starlette application of ``corpus serve``: pages, static files and the JSON API behind the guard."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..corpus import Corpus, is_safe_id
from .api import api_routes
from .pages import curate_page, document_page, error_page, index_page
from .security import COOKIE, Guard, csrf_token, new_session_id, session_id

__all__ = ("STATIC_DIR", "build_app")

STATIC_DIR = Path(__file__).parent / "static"


def _with_session(request: Request, make_page: object) -> Response:
    """A page, with the browser session's CSRF token in it (a new session gets its cookie)."""
    session = session_id(request)
    fresh = session is None
    if session is None:
        session = new_session_id()
    page = make_page(csrf_token(request.app.state.secret, session))  # type: ignore[operator]
    response = HTMLResponse(page)
    if fresh:
        response.set_cookie(COOKIE, session, httponly=True, samesite="strict", path="/")
    return response


async def index(request: Request) -> Response:
    corpus = Corpus.at(request.app.state.root)
    try:
        name = corpus.config.pretty_name or corpus.config.name
    except Exception:  # the page shows the problem through /api/corpus
        name = "corpus"
    return _with_session(request, lambda token: index_page(name, token))


async def document(request: Request) -> Response:
    doc_id = request.path_params["doc_id"]
    corpus = Corpus.at(request.app.state.root)
    if not (is_safe_id(doc_id) and corpus.annotation_path(doc_id).is_file()):
        return HTMLResponse(error_page(404, f"No document {doc_id!r}."), status_code=404)
    return _with_session(request, lambda token: document_page(doc_id, token))


async def curate(request: Request) -> Response:
    doc_id = request.path_params["doc_id"]
    corpus = Corpus.at(request.app.state.root)
    if not (is_safe_id(doc_id) and corpus.raw_path(doc_id).is_file()):
        return HTMLResponse(error_page(404, f"No document {doc_id!r}."), status_code=404)
    return _with_session(request, lambda token: curate_page(doc_id, token))


_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def _static_files() -> dict[str, tuple[bytes, str]]:
    """The page's scripts and style, read once at start (a few KB; no file access per request)."""
    return {p.name: (p.read_bytes(), _TYPES[p.suffix]) for p in sorted(STATIC_DIR.iterdir()) if p.suffix in _TYPES}


async def static(request: Request) -> Response:
    found = request.app.state.static.get(request.path_params["name"])
    if found is None:
        return await not_found(request, None)
    return Response(found[0], media_type=found[1])


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


async def not_found(request: Request, exc: Exception | None) -> Response:
    return HTMLResponse(error_page(404, "No such page."), status_code=404)


def build_app(root: Path, annotator: str | None, hosts: set[str], secret: bytes, pass_of: str | None = None) -> Guard:
    """The ASGI app for the corpus at ``root``, answering only to ``hosts``; with ``pass_of`` its
    pages read and write that annotator's pass instead of the gold files."""
    app = Starlette(
        routes=[
            Route("/", index),
            Route("/doc/{doc_id}", document),
            Route("/curate/{doc_id}", curate),
            *api_routes(),
            Route("/static/{name}", static),
            Route("/favicon.ico", favicon),
        ],
        exception_handlers={404: not_found},
    )
    app.state.root = root
    app.state.annotator = annotator
    app.state.pass_of = pass_of
    app.state.secret = secret
    app.state.static = _static_files()
    return Guard(app, hosts, secret)
