"""The JSON API the workbench page uses (see docs/web.md for each route and its answers).

``GET /api/corpus`` labels, stance targets, registry, annotator; ``GET /api/docs?q=`` the index
(in pass mode the annotator's queue from assignments.json first); ``GET /api/doc/<doc_id>`` one
document's state (gold, or in pass mode the annotator's pass); ``POST /api/doc/<doc_id>/<action>`` a write.
A write answers 200 with the new state, 409 with the current state when the file changed since
the page read it (nothing written), 422 when the annotate API refused it (nothing written).
"""

from __future__ import annotations

import json
import time
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .._lock import LockTimeoutError
from ..annotate.assign import queue
from ..annotate.errors import AnnotationError, StaleVersionError
from ..corpus import Corpus, CorpusError, is_safe_id
from .actions import ACTIONS, Context, describe, run_action
from .security import BodyTooLarge
from .state import DocumentState, read_state, summary_row

__all__ = ("api_routes",)

#: Errors that mean "the files or the request are not as needed", shown to the annotator as they are.
_REFUSED = (AnnotationError, CorpusError, LockTimeoutError, OSError, UnicodeDecodeError, ValueError)


class JSONResponse(Response):
    """JSON encoded by orjson (a document's state is about 1 MB at 2,000 annotations)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _corpus(request: Request) -> Corpus:
    return Corpus.at(request.app.state.root)  # fresh: corpus.json and entities.json may change


def _known(corpus: Corpus, doc_id: str) -> bool:
    return is_safe_id(doc_id) and corpus.annotation_path(doc_id).is_file()


def _state(corpus: Corpus, doc_id: str, check: bool = True, annotator: str | None = None) -> DocumentState:
    state = read_state(corpus, doc_id, check, annotator)
    if state.ann is not None and state.ann.doc_id != doc_id:
        file = f"passes/{annotator}" if annotator else "annotations"
        raise CorpusError(f"{file}/{doc_id}.json says its doc_id is {state.ann.doc_id!r}; fix the file first")
    return state


async def corpus_info(request: Request) -> JSONResponse:
    def build() -> dict[str, Any]:
        corpus = _corpus(request)
        config, registry = corpus.config, corpus.registry
        return {
            "name": config.pretty_name or config.name,
            "labels": [{"name": x.name, "description": x.description} for x in config.entity_labels],
            "targets": [{"id": t.id, "description": t.description} for t in config.stance_targets],
            "registry": [e.model_dump(mode="json", exclude_none=True) for e in registry.entities],
            "annotator": request.app.state.annotator,
            "pass": request.app.state.pass_of,
        }

    try:
        return JSONResponse(await run_in_threadpool(build))
    except Exception as exc:  # a broken corpus.json must show on the page, not crash the server
        return _error(422, f"corpus.json or entities.json cannot be read: {exc}")


async def documents(request: Request) -> JSONResponse:
    query = request.query_params.get("q", "")[:200].casefold()

    pass_of = request.app.state.pass_of

    def build() -> list[dict[str, Any]]:
        corpus = _corpus(request)
        rows = []
        assigned = {item.doc_id: item.started for item in queue(corpus.root, pass_of)} if pass_of else {}
        ids = corpus.doc_ids()
        for doc_id in [d for d in ids if d in assigned] + [d for d in ids if d not in assigned]:
            try:
                state = _state(corpus, doc_id, annotator=pass_of)
            except _REFUSED as exc:
                rows.append({"doc_id": doc_id, "title": f"cannot be read: {exc}", "unreadable": True})
                continue
            row = summary_row(state)
            if doc_id in assigned:
                row["queue"] = "in progress" if assigned[doc_id] else "not started"
            if query:
                hits = state.raw.casefold().count(query)
                if not hits and query not in row["title"].casefold() and query not in doc_id.casefold():
                    continue
                row["hits"] = hits
            rows.append(row)
        return rows

    return JSONResponse({"documents": await run_in_threadpool(build), "query": query})


async def document(request: Request) -> JSONResponse:
    doc_id = request.path_params["doc_id"]
    corpus = _corpus(request)
    if not _known(corpus, doc_id):
        return _error(404, f"no document {doc_id!r}")
    try:
        state = await run_in_threadpool(_state, corpus, doc_id, True, request.app.state.pass_of)
    except _REFUSED as exc:
        return _error(409, str(exc))
    have = request.query_params.get("have")
    return JSONResponse(_payload(state, have))


async def action(request: Request) -> JSONResponse:
    doc_id, name = request.path_params["doc_id"], request.path_params["action"]
    corpus = _corpus(request)
    if name not in ACTIONS or not _known(corpus, doc_id):
        return _error(404, f"no document {doc_id!r} or no action {name!r}")
    try:
        body = json.loads(await request.body())
    except BodyTooLarge:
        return _error(413, "request body too large")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "the request body is not JSON")
    if not isinstance(body, dict):
        return _error(400, "the request body must be a JSON object")
    have = request.query_params.get("have")
    annotator, pass_of = request.app.state.annotator, request.app.state.pass_of

    def write() -> tuple[int, dict[str, Any]]:
        state = _state(corpus, doc_id, False, pass_of)
        try:
            result = run_action(name, Context(state, annotator), body)
        except StaleVersionError as exc:
            fresh = _state(corpus, doc_id, True, pass_of)
            return 409, {"error": str(exc), "conflict": True, "state": _payload(fresh, have)}
        after = _state(corpus, doc_id, False, pass_of)
        if after.started and getattr(result, "version", None) == after.version:
            after = after.checked_by_writer(result.warnings)  # the writer validated these very bytes
        else:  # nothing written, or another writer came in between: check what is there now
            after = _state(corpus, doc_id, True, pass_of)
        return 200, {"result": describe(name, result), "state": _payload(after, have)}

    started = time.perf_counter()
    try:
        status, out = await run_in_threadpool(write)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10])
        return _error(400, f"malformed {name} request: {problems}")
    except _REFUSED as exc:
        return _error(422, str(exc))
    elapsed = (time.perf_counter() - started) * 1000
    return JSONResponse(out, status_code=status, headers={"Server-Timing": f"app;dur={elapsed:.1f}"})


def _payload(state: DocumentState, have: str | None) -> dict[str, Any]:
    return state.payload(with_text=not state.valid or have != state.data["raw_sha256"])


def api_routes() -> list[Any]:
    from starlette.routing import Route

    from .curate import curate_routes

    return [
        *curate_routes(),
        Route("/api/corpus", corpus_info),
        Route("/api/docs", documents),
        Route("/api/doc/{doc_id}", document),
        Route("/api/doc/{doc_id}/{action}", action, methods=["POST"]),
    ]
