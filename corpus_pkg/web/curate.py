"""The curation view's JSON API: the disagreements of annotators' passes, settled into gold.

``GET /api/curate/<doc_id>?annotators=A,B`` lists every disagreement of the passes (each
annotator's version side by side) through :func:`corpus_pkg.agree.disagreements`;
``POST /api/curate/<doc_id>`` with ``{"annotators": [...], "unit": ..., "take": "A" | null}``
settles one through :func:`corpus_pkg.agree.resolve`, recording the adjudicator (the server's
``--annotator`` name, else ``adjudicator``); gold is rebuilt and validated before it is written.
The guard (Host, Origin, CSRF, JSON, size) stands in front of these routes as of every write.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .._lock import LockTimeoutError
from ..agree import AgreementError, disagreements, resolve
from ..annotate.errors import AnnotationError
from ..corpus import Corpus, CorpusError, is_safe_id
from .security import BodyTooLarge

__all__ = ("DEFAULT_ADJUDICATOR", "curate_routes")

#: Who is recorded as having settled a disagreement when the server was started without --annotator.
DEFAULT_ADJUDICATOR = "adjudicator"

_REFUSED = (AgreementError, AnnotationError, CorpusError, LockTimeoutError, OSError, UnicodeDecodeError, ValueError)
Name = Annotated[str, Field(min_length=1, max_length=100)]


class SettleBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    annotators: list[Name] = Field(min_length=2, max_length=20)
    unit: Annotated[str, Field(min_length=1, max_length=200)]
    take: Name | None = None  # None rejects the unit
    overwrite: bool = False  # replace hand-made gold annotations


def _json(content: Any, status: int = 200) -> Response:
    return JSONResponse(content, status_code=status)


def _annotators(value: str) -> list[str]:
    return [n.strip() for n in value.split(",") if n.strip()][:20]


def _listing(root: Any, doc_id: str, names: list[str]) -> dict[str, Any]:
    found = disagreements(root, doc_id, names)
    gold = Corpus.at(root).annotation_path(doc_id)
    return {
        "doc_id": doc_id,
        "annotators": names,
        "disagreements": [d.to_dict() for d in found],
        "gold": gold.is_file(),
    }


async def curate_list(request: Request) -> Response:
    doc_id = request.path_params["doc_id"]
    root = request.app.state.root
    if not (is_safe_id(doc_id) and Corpus.at(root).raw_path(doc_id).is_file()):
        return _json({"error": f"no document {doc_id!r}"}, 404)
    names = _annotators(request.query_params.get("annotators", ""))
    try:
        return _json(await run_in_threadpool(_listing, root, doc_id, names))
    except _REFUSED as exc:
        return _json({"error": str(exc)}, 422)


async def curate_settle(request: Request) -> Response:
    doc_id = request.path_params["doc_id"]
    root = request.app.state.root
    if not (is_safe_id(doc_id) and Corpus.at(root).raw_path(doc_id).is_file()):
        return _json({"error": f"no document {doc_id!r}"}, 404)
    try:
        body = SettleBody.model_validate(json.loads(await request.body()))
    except BodyTooLarge:
        return _json({"error": "request body too large"}, 413)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10])
        return _json({"error": f"malformed settle request: {problems}"}, 400)
    except (ValueError, UnicodeDecodeError):
        return _json({"error": "the request body is not a JSON object"}, 400)
    by = request.app.state.annotator or DEFAULT_ADJUDICATOR

    def write() -> dict[str, Any]:
        result = resolve(root, doc_id, body.unit, body.annotators, by=by, take=body.take, overwrite=body.overwrite)
        settled = next((d.to_dict() for d in result.disagreements if d.unit == body.unit), None)
        return {"settled": settled, "written": result.written, "open": len(result.open), "by": by,
                **_listing(root, doc_id, body.annotators)}  # fmt: skip

    try:
        return _json(await run_in_threadpool(write))
    except _REFUSED as exc:
        return _json({"error": str(exc)}, 422)


def curate_routes() -> list[Route]:
    return [
        Route("/api/curate/{doc_id}", curate_list),
        Route("/api/curate/{doc_id}", curate_settle, methods=["POST"]),
    ]
