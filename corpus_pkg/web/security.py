"""The workbench's guard: every request passes here before any route sees it.

* ``Host`` must name this server (``127.0.0.1:PORT`` or ``localhost:PORT``): a page elsewhere
  that rebinds its host name to 127.0.0.1 gets 421, never the corpus (DNS rebinding).
* Writes are ``POST`` only, with an ``Origin`` (or, without one, a ``Referer``) of this server,
  ``Content-Type: application/json``, at most :data:`MAX_BODY` bytes, and the CSRF token of the
  browser session: a cookie set by the first page (``HttpOnly``, ``SameSite=Strict``) whose HMAC,
  given to the page in a ``<meta>`` tag, must come back in the ``X-CSRF-Token`` header.
* Every response, errors included, carries a Content-Security-Policy that allows scripts and
  styles from this server only (no inline script, no eval, nothing from elsewhere), and headers
  that forbid framing, sniffing and caching.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = ("COOKIE", "MAX_BODY", "SECURITY_HEADERS", "Guard", "csrf_token", "session_id")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Largest request body accepted (an undo of a big cascade stays far below it).
MAX_BODY = 256 * 1024
COOKIE = "corpus_session"
SAFE_METHODS = ("GET", "HEAD")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        b"base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def session_id(request: Request) -> str | None:
    """The session id from the request's cookie, if it has a well-formed one."""
    value = request.cookies.get(COOKIE, "")
    well_formed = 20 <= len(value) <= 64 and value.isascii() and value.replace("-", "").replace("_", "").isalnum()
    return value if well_formed else None


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, session: str) -> str:
    """The CSRF token of one browser session: an HMAC of its id under the server's secret."""
    return hmac.new(secret, session.encode("ascii"), hashlib.sha256).hexdigest()


class Guard:
    """ASGI middleware enforcing the checks in the module docstring."""

    def __init__(self, app: Callable[..., Awaitable[None]], hosts: set[str], secret: bytes) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = {f"http://{host}" for host in hosts}
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + SECURITY_HEADERS
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            status, text = refusal
            await JSONResponse({"error": text}, status_code=status)(scope, receive, send_secured)
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send_secured)
            return
        await self.app(scope, _limited(receive), send_secured)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = _headers(scope)
        if headers.get("host", "") not in self.hosts:
            return 421, "this server only answers to its own address (127.0.0.1)"
        method = scope["method"]
        if method in SAFE_METHODS:
            return None
        if method != "POST":
            return 405, "only GET and POST"
        origin = headers.get("origin")
        referer = headers.get("referer", "")
        if not (origin in self.origins or (origin is None and any(referer.startswith(f"{o}/") for o in self.origins))):
            return 403, "writes are accepted from this server's own pages only"
        request = Request(scope)
        session = session_id(request)
        token = headers.get("x-csrf-token", "")
        if session is None or not hmac.compare_digest(token.encode(), csrf_token(self.secret, session).encode()):
            return 403, "the session's CSRF token is missing or wrong: reload the page"
        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return 415, "send JSON (Content-Type: application/json)"
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            return 411, "a Content-Length is required"
        if not 0 <= length <= MAX_BODY:
            return 413, f"a request body may be at most {MAX_BODY} bytes"
        return None


def _headers(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        if key in out:  # a repeated Host/Origin/token header is an attack, not a request
            out[key] = "\0repeated"
        else:
            out[key] = value.decode("latin-1")
    return out


def _limited(receive: Receive) -> Receive:
    """``receive`` that stops a body longer than :data:`MAX_BODY`, whatever Content-Length said."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise BodyTooLarge()
        return message

    return wrapped


class BodyTooLarge(Exception):
    """A request body went past MAX_BODY."""
