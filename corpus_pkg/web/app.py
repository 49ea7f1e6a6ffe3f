"""The Starlette application of ``corpus serve``: pages, static files and the JSON API behind the guard."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..corpus import Corpus, is_safe_id
from .api import api_routes
from .pages import document_page, error_page, index_page
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


async def not_found(request: Request, exc: Exception) -> Response:
    return HTMLResponse(error_page(404, "No such page."), status_code=404)


def build_app(root: Path, annotator: str | None, hosts: set[str], secret: bytes) -> Guard:
    """The ASGI app for the corpus at ``root``, answering only to ``hosts``."""
    app = Starlette(
        routes=[
            Route("/", index),
            Route("/doc/{doc_id}", document),
            *api_routes(),
            Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        exception_handlers={404: not_found},
    )
    app.state.root = root
    app.state.annotator = annotator
    app.state.secret = secret
    return Guard(app, hosts, secret)
