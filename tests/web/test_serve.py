"""`corpus serve`: a real HTTP server on 127.0.0.1, real requests, a real headless browser."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from corpus_pkg.web.serve import ReviewServer, make_server

DOC = Path("annotations") / "doc1.json"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def server(mini_corpus: Path) -> Iterator[ReviewServer]:
    data = json.loads((mini_corpus / DOC).read_text(encoding="utf-8"))
    data["numbers"][0]["origin"] = "suggestion"
    data["entities"][1]["origin"] = "suggestion"
    data["meta"]["title"] = "<script>alert('t')</script> & “quotes”"
    (mini_corpus / DOC).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    srv = make_server(mini_corpus, port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(
    srv: ReviewServer, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    port = srv.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    if body:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body.encode() if body else None, headers=sent)
    response = conn.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8")


def origin(srv: ReviewServer) -> dict[str, str]:
    return {"Origin": f"http://127.0.0.1:{srv.server_address[1]}"}


def form(srv: ReviewServer, **fields: str) -> str:
    """A form as the document page makes it: token and file version from the page itself."""
    page = request(srv, "GET", "/doc/doc1")[2]
    version = re.search(r'name="version" value="([0-9a-f]{64})"', page)
    assert version, "the page carries the file version"
    return urlencode({"token": srv.token, "version": version.group(1), **fields})


def origins(root: Path) -> dict[str, str]:
    data = json.loads((root / DOC).read_text(encoding="utf-8"))
    return {item["id"]: item["origin"] for layer in ("entities", "quotes", "numbers", "stance") for item in data[layer]}


def test_binds_localhost_and_lists_documents(server: ReviewServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    status, headers, body = request(server, "GET", "/")
    assert status == 200 and '<a href="/doc/doc1">doc1</a>' in body
    assert "script-src" not in headers["content-security-policy"]
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "<script>alert" not in body and "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in body


def test_other_host_names_get_nothing(server: ReviewServer) -> None:
    """A page on another site that rebinds its name to 127.0.0.1 sends its own Host header."""
    status, _, body = request(server, "GET", "/", headers={"Host": "evil.example:80"})
    assert status == 421 and "doc1" not in body
    status, headers, _ = request(server, "HEAD", "/")  # the standard library answers this one itself
    assert (
        status == 501 and headers["x-frame-options"] == "DENY" and "default-src" in headers["content-security-policy"]
    )


def test_document_page_escapes_text_and_offers_the_suggestions(server: ReviewServer) -> None:
    status, _, body = request(server, "GET", "/doc/doc1")
    assert status == 200
    review = body.split('<section id="review">', 1)[1]
    assert re.findall(r'name="id" value="([^"]+)"', review) == ["e2", "e2", "n1", "n1"]
    assert len(set(re.findall(r'name="version" value="([^"]+)"', review))) == 1
    assert f'name="token" value="{server.token}"' in review
    assert "<script>alert" not in body
    for path in ("/doc/..%2Fcorpus", "/doc/nope", "/doc/doc1/extra", "/elsewhere"):
        assert request(server, "GET", path)[0] == 404, path


def test_forms_need_the_token_and_this_servers_origin(server: ReviewServer, mini_corpus: Path) -> None:
    before = (mini_corpus / DOC).read_bytes()
    good = form(server, id="n1")
    assert request(server, "POST", "/doc/doc1/accept", good)[0] == 403  # no Origin, no Referer
    evil = {"Origin": "http://evil.example"}
    assert request(server, "POST", "/doc/doc1/accept", good, evil)[0] == 403
    stale = good.replace(server.token, "guess")
    assert request(server, "POST", "/doc/doc1/accept", stale, origin(server))[0] == 403
    assert request(server, "POST", "/doc/nope/accept", good, origin(server))[0] == 404
    assert request(server, "PUT", "/doc/doc1/accept", good, origin(server))[0] == 405
    assert (mini_corpus / DOC).read_bytes() == before

    status, headers, _ = request(server, "POST", "/doc/doc1/accept", good, origin(server))
    assert (status, headers["location"]) == (303, "/doc/doc1")
    assert origins(mini_corpus)["n1"] == "manual"
    referer = {"Referer": f"http://127.0.0.1:{server.server_address[1]}/doc/doc1"}
    assert request(server, "POST", "/doc/doc1/reject", good.replace("n1", "e2"), referer)[0] == 409  # page is old
    assert request(server, "POST", "/doc/doc1/reject", form(server, id="e2"), referer)[0] == 303
    assert "e2" not in origins(mini_corpus)


def test_a_refused_review_is_shown_not_applied(server: ReviewServer, mini_corpus: Path) -> None:
    gold = form(server, id="e1")
    status, _, body = request(server, "POST", "/doc/doc1/reject", gold, origin(server))
    assert status == 409 and "not a suggestion: e1 (manual)" in body
    assert origins(mini_corpus)["e1"] == "manual"


def test_review_page_in_headless_browser(server: ReviewServer, tmp_path: Path) -> None:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("/usr/bin/chromium is not installed (the Makefile installs it for the browser check)")
    profile = tmp_path / "chromium-profile"
    dom = subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--dump-dom", f"{server.url}doc/doc1",
        ],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert '<section id="review">' in dom
    assert dom.count(">Accept</button>") == 2 and ">Reject all</button>" in dom
    assert "Amber Rudd" in dom and "<script" not in dom


def test_cli_serve_prints_its_address_and_serves(mini_corpus: Path) -> None:
    import sys
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, "-m", "corpus_pkg", "serve", "--port", "0", "--root", str(mini_corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)", line)
        assert match, line
        with urllib.request.urlopen(match.group(1), timeout=10) as response:
            assert response.status == 200 and "doc1" in response.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_concurrent_clicks_never_lose_a_change(server: ReviewServer, mini_corpus: Path) -> None:
    """Both forms come from the same page: one action runs, the other is told to reload."""
    from concurrent.futures import ThreadPoolExecutor

    accept, reject = form(server, id="n1"), form(server, id="e2")
    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(
                lambda args: request(server, "POST", args[0], args[1], origin(server))[0],
                [("/doc/doc1/accept", accept), ("/doc/doc1/reject", reject)],
            )
        )
    assert sorted(results) == [303, 409]
    state = origins(mini_corpus)
    applied = {"accept": state["n1"] == "manual", "reject": "e2" not in state}
    assert applied == {"accept": results[0] == 303, "reject": results[1] == 303}


def test_malformed_forms_get_a_400_not_a_traceback(server: ReviewServer) -> None:
    many = "&".join(f"a{i}=1" for i in range(15))
    for body in (many, "token=%FF%FE&id=n1"):
        status, _, page = request(server, "POST", "/doc/doc1/accept", body, origin(server))
        assert status in (400, 403), body
        assert "Traceback" not in page


def test_hostile_corpus_files(mini_corpus: Path, tmp_path: Path) -> None:
    import os

    shutil.copy(mini_corpus / DOC, mini_corpus / "annotations" / "copy.json")
    shutil.copy(mini_corpus / "raw" / "doc1.txt", mini_corpus / "raw" / "copy.txt")
    (mini_corpus / "annotations" / "folder.json").mkdir()
    os.mkfifo(mini_corpus / "annotations" / "pipe.json")
    srv = make_server(mini_corpus, port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        status, _, body = request(srv, "GET", "/")  # neither the folder nor the pipe blocks the list
        assert status == 200 and "doc1" in body
        status, _, body = request(srv, "GET", "/doc/copy")
        assert status == 409 and "says its doc_id is &#x27;doc1&#x27;" in body and "<form" not in body
    finally:
        srv.shutdown()
        srv.server_close()
    (mini_corpus / "corpus.json").write_text("{", encoding="utf-8")
    with pytest.raises(Exception, match="corpus.json or entities.json is invalid"):
        make_server(mini_corpus, port=0)
