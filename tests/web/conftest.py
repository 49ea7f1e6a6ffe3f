"""Fixtures for the workbench: a hostile corpus, a real server on 127.0.0.1, real HTTP, real Chromium."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.annotate.registry import add_registry_entity
from corpus_pkg.web.serve import WorkbenchServer, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

#: Text that makes code points, UTF-16 units and bytes disagree everywhere: emoji with ZWJ and
#: skin tone, a flag, CJK, Hebrew with a right-to-left mark, CRLF line ends, tabs, NBSP, and HTML.
HOSTILE_TEXT = (
    "Crisis <b>talks</b> & <script>window.__pwned=1</script> 🇺🇦\r\n\r\n"
    "\tThe engineer 👩🏽\u200d💻 Dana\u00a0Levi said \u201cWe will act\u201d in 東京 today, "
    "and \u201cnever again,\u201d "
    "she added.\tשלום\u200f עולם, said Amber Rudd. Prices rose 45% to 3,400 in 2017.\r\n"
)
HOSTILE_TITLE = '<img src=x onerror="window.__pwned=2">Title & “quotes”'


def make_hostile_corpus(root: Path) -> Path:
    init_corpus(root, name="hostile", stance_targets={"platform_action": "Platforms should <i>act</i>"})
    config = json.loads((root / "corpus.json").read_text(encoding="utf-8"))
    config["entity_labels"][0]["description"] = '<img src=x onerror="window.__pwned=3">a person'
    (root / "corpus.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    add_article(root, "hostile", HOSTILE_TEXT.encode("utf-8"), title=HOSTILE_TITLE, outlet="Test")
    add_registry_entity(root, '<svg onload="window.__pwned=4">Amber Rudd', "PERSON", entity_id="amber_rudd")
    return root


def load(root: Path, doc_id: str = "hostile") -> dict[str, Any]:
    return json.loads((root / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))


def cp_span(needle: str, occurrence: int = 1, text: str = HOSTILE_TEXT) -> tuple[int, int]:
    """Code-point offsets of ``needle`` in the raw text, as the annotation file must hold them."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return make_hostile_corpus(tmp_path / "news")


@pytest.fixture
def server(corpus: Path) -> Iterator[WorkbenchServer]:
    with make_server(corpus, port=0, annotator="alice", gold=True).start() as srv:
        yield srv


class Client:
    """Plain HTTP against the server, with a browser session (cookie + CSRF token) when asked."""

    def __init__(self, srv: WorkbenchServer) -> None:
        self.srv = srv
        self.cookie = ""
        self.token = ""

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=20)
        sent = {"Host": f"127.0.0.1:{self.srv.port}", **({"Cookie": self.cookie} if self.cookie else {})}
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        out = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        conn.close()
        return out

    def login(self) -> Client:
        """Open the index like a browser: keep the session cookie and the page's CSRF token."""
        status, headers, body = self.request("GET", "/")
        assert status == 200
        self.cookie = headers["set-cookie"].split(";", 1)[0]
        match = re.search(r'name="csrf-token" content="([0-9a-f]{64})"', body.decode())
        assert match
        self.token = match.group(1)
        return self

    def state(self, doc_id: str = "hostile") -> dict[str, Any]:
        status, _, body = self.request("GET", f"/api/doc/{doc_id}")
        assert status == 200, body
        return json.loads(body)

    def post(
        self, action: str, payload: dict[str, Any], doc_id: str = "hostile", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        sent = {
            "Origin": f"http://127.0.0.1:{self.srv.port}",
            "Content-Type": "application/json",
            "X-CSRF-Token": self.token,
            **(headers or {}),
        }
        status, _, body = self.request("POST", f"/api/doc/{doc_id}/{action}", json.dumps(payload).encode(), sent)
        return status, json.loads(body)


@pytest.fixture
def client(server: WorkbenchServer) -> Client:
    return Client(server).login()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (`make browser` installs the Debian package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: WorkbenchServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.errors = errors
    yield tab
    context.close()
    assert not errors, errors


def open_doc(page: Any, srv: WorkbenchServer, doc_id: str = "hostile") -> Any:
    page.goto(f"{srv.url}doc/{doc_id}")
    page.wait_for_selector("body[data-ready]")
    return page


#: Select ``needle`` (its n-th occurrence) inside #doc-text with the DOM Selection API, walking the
#: text nodes the page drew; offsets here are UTF-16, as in any browser.
SELECT_JS = """([needle, occurrence]) => {
  const root = document.getElementById("doc-text");
  const text = root.textContent;
  let at = -1;
  for (let i = 0; i < occurrence; i++) { at = text.indexOf(needle, at + 1); if (at < 0) throw new Error("not found"); }
  const place = (offset) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let seen = 0, node;
    while ((node = walker.nextNode())) {
      if (seen + node.length >= offset) return [node, offset - seen];
      seen += node.length;
    }
    throw new Error("offset outside");
  };
  const range = document.createRange();
  range.setStart(...place(at));
  range.setEnd(...place(at + needle.length));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}"""


def select_text(page: Any, needle: str, occurrence: int = 1) -> None:
    page.evaluate(SELECT_JS, [needle, occurrence])


def wait_saved(page: Any, state: str = "saved") -> None:
    page.wait_for_selector(f'#save-status[data-state="{state}"]')
    page.evaluate('() => { document.getElementById("save-status").dataset.state = "seen"; }')
