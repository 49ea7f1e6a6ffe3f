"""`corpus serve` over plain HTTP: the guard (Host, Origin, CSRF, size, CSP), the JSON API's offsets,
compare-and-swap, the CLI entry point and hostile corpus files."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from corpus_pkg.annotate.add import add_entity
from corpus_pkg.annotate.assign import assign
from corpus_pkg.corpus import CorpusError
from corpus_pkg.validate import validate
from corpus_pkg.web.security import MAX_BODY
from corpus_pkg.web.serve import WorkbenchServer, make_server

from .conftest import HOSTILE_TEXT, Client, cp_span, load


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def sel(needle: str, occurrence: int = 1) -> dict[str, object]:
    start, end = cp_span(needle, occurrence)
    return {"s": utf16(HOSTILE_TEXT, start), "e": utf16(HOSTILE_TEXT, end), "text": needle}


def test_binds_localhost_with_strict_headers(server: WorkbenchServer, client: Client) -> None:
    assert server.socket.getsockname()[0] == "127.0.0.1"
    for path in ("/", "/doc/hostile", "/nope", "/static/doc.js", "/api/doc/hostile"):
        status, headers, _ = client.request("GET", path)
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp, path
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    status, headers, body = client.request("GET", "/")
    assert status == 200 and b'<script type="module" src="/static/index.js">' in body
    assert b"<script>" not in body and "HttpOnly" in headers.get("set-cookie", "HttpOnly")


def test_page_shells_escape_and_hold_no_document_text(client: Client) -> None:
    status, _, body = client.request("GET", "/doc/hostile")
    assert status == 200 and b"Dana" not in body and b"<script>window" not in body
    for path in ("/doc/..%2Fcorpus", "/doc/nope", "/doc/hostile/extra", "/api/doc/nope", "/elsewhere"):
        assert client.request("GET", path)[0] == 404, path


def test_forged_requests_are_refused(server: WorkbenchServer, client: Client, corpus: Path) -> None:
    before = (corpus / "annotations" / "hostile.json").read_bytes()
    good = {"version": client.state()["version"], "label": "PERSON", "span": sel("Amber Rudd")}
    assert client.request("GET", "/", headers={"Host": "evil.example"})[0] == 421  # DNS rebinding
    assert client.post("entity", good, headers={"Host": f"evil.example:{server.port}"})[0] == 421
    assert client.post("entity", good, headers={"Origin": "http://evil.example"})[0] == 403
    assert client.post("entity", good, headers={"Origin": ""})[0] == 403
    assert client.post("entity", good, headers={"X-CSRF-Token": "0" * 64})[0] == 403
    stranger = Client(server).login()  # another browser session: its token does not fit this cookie
    assert client.post("entity", good, headers={"X-CSRF-Token": stranger.token})[0] == 403
    no_cookie = Client(server)
    no_cookie.token = client.token
    assert no_cookie.post("entity", good)[0] == 403
    assert client.post("entity", good, headers={"Content-Type": "text/plain"})[0] == 415
    status, _, _ = client.request(
        "POST", "/api/doc/hostile/entity", b"x" * (MAX_BODY + 1),
        {"Origin": f"http://127.0.0.1:{server.port}", "Content-Type": "application/json", "X-CSRF-Token": client.token},
    )  # fmt: skip
    assert status == 413
    assert client.request("PUT", "/api/doc/hostile/entity", b"{}")[0] == 405
    assert client.post("entity", {**good, "extra": 1})[0] == 400
    assert client.post("drop-tables", good)[0] == 404
    assert (corpus / "annotations" / "hostile.json").read_bytes() == before
    status, answer = client.post("entity", good)
    assert status == 200 and answer["result"]["id"] == "e1"


def test_utf16_offsets_become_code_points(client: Client, corpus: Path) -> None:
    state = client.state()
    assert state["text"] == HOSTILE_TEXT
    for needle in ("Dana\u00a0Levi", "東京", "עולם", "Amber Rudd"):
        status, answer = client.post(
            "entity", {"version": client.state()["version"], "label": "PERSON", "span": sel(needle)}
        )
        assert status == 200, answer
    got = {e["text"]: (e["start"], e["end"]) for e in load(corpus)["entities"]}
    assert got == {n: cp_span(n) for n in ("Dana\u00a0Levi", "東京", "עולם", "Amber Rudd")}
    drawn = {a["item"]["text"]: (a["spans"][0]["s"], a["spans"][0]["e"]) for a in client.state()["annotations"]}
    assert drawn["Amber Rudd"] == (sel("Amber Rudd")["s"], sel("Amber Rudd")["e"])
    # the tokens the page snaps to are the project's tokenizer's, in UTF-16 units
    tokens = client.state()["tokens"]
    pairs = list(zip(tokens[::2], tokens[1::2]))
    assert (sel("東京")["s"], sel("東京")["e"]) in pairs or (sel("東京")["s"], sel("東京")["s"] + 1) in pairs

    version = client.state()["version"]
    flag = sel("🇺🇦")
    inside = {"version": version, "label": "GPE", "span": {"s": flag["s"] + 1, "e": flag["e"], "text": "x"}}
    status, answer = client.post("entity", inside)
    assert status == 422 and "inside a character" in answer["error"]
    wrong = {"version": version, "label": "GPE", "span": {**sel("東京"), "text": "Tokyo"}}
    status, answer = client.post("entity", wrong)
    assert status == 422 and "not the text 'Tokyo'" in answer["error"]


def test_a_stale_version_is_refused_and_the_current_state_returned(client: Client, corpus: Path) -> None:
    old = client.state()["version"]
    add_entity(corpus, "hostile", "Amber Rudd", "PERSON")  # the CLI's twin writes meanwhile
    after_cli = (corpus / "annotations" / "hostile.json").read_bytes()
    status, answer = client.post("entity", {"version": old, "label": "GPE", "span": sel("東京")})
    assert status == 409 and answer["conflict"] and "changed since" in answer["error"]
    assert [a["item"]["text"] for a in answer["state"]["annotations"]] == ["Amber Rudd"]
    assert (corpus / "annotations" / "hostile.json").read_bytes() == after_cli
    status, answer = client.post("entity", {"version": answer["state"]["version"], "label": "GPE", "span": sel("東京")})
    assert status == 200 and "text" not in answer["state"] or answer["state"]["text"] == HOSTILE_TEXT


def test_refused_writes_explain_and_write_nothing(client: Client, corpus: Path) -> None:
    before = (corpus / "annotations" / "hostile.json").read_bytes()
    version = client.state()["version"]
    status, answer = client.post("entity", {"version": version, "label": "NOPE", "span": sel("Amber Rudd")})
    assert status == 422 and "not declared" in answer["error"]
    status, answer = client.post("remove", {"version": version, "ids": ["e9"]})
    assert status == 422 and "no annotation with id 'e9'" in answer["error"]
    assert (corpus / "annotations" / "hostile.json").read_bytes() == before


def test_index_lists_counts_and_searches_the_text(client: Client, corpus: Path) -> None:
    add_entity(corpus, "hostile", "Amber Rudd", "PERSON")
    status, _, body = client.request("GET", "/api/docs?q=%E6%9D%B1%E4%BA%AC")  # 東京
    row = json.loads(body)["documents"][0]
    assert status == 200 and row["counts"]["entities"] == 1 and row["hits"] == 1 and row["errors"] == 0
    assert json.loads(client.request("GET", "/api/docs?q=absent-word")[2])["documents"] == []


def test_cli_serve_prints_its_address_and_records_the_annotator(corpus: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpus_pkg", "serve", "--port", "0", "--root", str(corpus), "--annotator", "bob"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)", line)
        assert match, line
        with urllib.request.urlopen(f"{match.group(1)}api/corpus", timeout=10) as response:
            info = json.loads(response.read())
            assert info["annotator"] == "bob" and info["pass"] == "bob"  # --annotator works in bob's pass
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_hostile_corpus_files(corpus: Path) -> None:
    shutil.copy(corpus / "annotations" / "hostile.json", corpus / "annotations" / "copy.json")
    shutil.copy(corpus / "raw" / "hostile.txt", corpus / "raw" / "copy.txt")
    (corpus / "annotations" / "folder.json").mkdir()
    os.mkfifo(corpus / "annotations" / "pipe.json")
    with make_server(corpus, port=0).start() as srv:
        client = Client(srv).login()
        status, _, body = client.request("GET", "/api/docs")  # neither the folder nor the pipe blocks the list
        rows = {r["doc_id"]: r for r in json.loads(body)["documents"]}
        assert status == 200 and rows["hostile"]["errors"] == 0 and rows["copy"]["unreadable"]
        status, _, body = client.request("GET", "/api/doc/copy")
        assert status == 409 and "says its doc_id is 'hostile'" in json.loads(body)["error"]
    (corpus / "corpus.json").write_text("{", encoding="utf-8")
    with pytest.raises(CorpusError, match="corpus.json or entities.json is invalid"):
        make_server(corpus, port=0)


def test_delete_cascade_and_restore_as_undo_does(client: Client, corpus: Path) -> None:
    def post(action: str, **body: object) -> tuple[int, dict]:
        return client.post(action, {"version": client.state()["version"], **body})

    assert post("entity", label="PERSON", span=sel("Amber Rudd"))[0] == 200
    speaker = {"type": "mention", "mention_id": "e1"}
    status, answer = post("quote", kind="direct", fragments=[sel("never again,")], cue=sel("said", 2), speaker=speaker)
    assert status == 200, answer
    before = load(corpus)
    status, answer = post("remove", ids=["e1"])
    assert status == 422 and "still referred to by q1 (quote speaker of e1)" in answer["error"]
    status, answer = post("remove", ids=["e1"], cascade=True)
    assert status == 200 and answer["result"]["ids"] == ["e1", "q1"]
    items = [{"layer": "entities", **before["entities"][0]}, {"layer": "quotes", **before["quotes"][0]}]
    status, answer = post("restore", items=items)
    assert status == 200 and load(corpus) == before  # the same ids, offsets and fields


def test_registry_entities_from_the_page(client: Client, corpus: Path) -> None:
    status, answer = client.post("registry", {"name": "東京", "label": "GPE", "aliases": ["Tokyo"]})
    assert status == 200 and answer["result"]["entity"]["id"] == "entity"  # no ASCII letters in the name
    registry = json.loads(client.request("GET", "/api/corpus")[2])["registry"]
    assert [e["name"] for e in registry] == ['<svg onload="window.__pwned=4">Amber Rudd', "東京"]
    status, answer = client.post("entity", {"version": client.state()["version"], "label": "GPE", "span": sel("東京"),
                                            "entity_id": "entity"})  # fmt: skip
    assert status == 200 and load(corpus)["entities"][0]["entity_id"] == "entity"


# --------------------------------------------------------------------------- passes, queue, curation


def _pass_client(corpus: Path, name: str) -> tuple[WorkbenchServer, Client]:
    srv = make_server(corpus, port=0, annotator=name).start()
    return srv, Client(srv).login()


def test_annotator_pages_read_and_write_their_pass_with_compare_and_swap(corpus: Path) -> None:
    add_entity(corpus, "hostile", "Amber Rudd", "PERSON")  # gold has one entity; the pass must not show it
    gold_before = (corpus / "annotations" / "hostile.json").read_bytes()
    srv, client = _pass_client(corpus, "ann")
    try:
        state = client.state()
        assert state["annotator"] == "ann" and state["started"] is False and state["annotations"] == []
        assert state["file"] == "passes/ann/hostile.json" and state["version"] == hashlib.sha256(b"").hexdigest()
        status, out = client.post("entity", {"version": state["version"], "label": "GPE", "span": sel("東京")})
        assert status == 200, out
        written = json.loads((corpus / "passes" / "ann" / "hostile.json").read_text(encoding="utf-8"))
        assert [(e["text"], e["label"], e["source"]) for e in written["entities"]] == [("東京", "GPE", "ann")]
        assert (corpus / "annotations" / "hostile.json").read_bytes() == gold_before  # gold untouched
        assert (
            out["state"]["started"] is True
            and out["state"]["version"]
            == hashlib.sha256((corpus / "passes" / "ann" / "hostile.json").read_bytes()).hexdigest()
        )
        # the page's version is stale now (the pass exists): compare-and-swap refuses, nothing written
        before = (corpus / "passes" / "ann" / "hostile.json").read_bytes()
        status, out = client.post("entity", {"version": state["version"], "label": "PERSON", "span": sel("Amber Rudd")})
        assert status == 409 and out["conflict"] and len(out["state"]["annotations"]) == 1
        assert (corpus / "passes" / "ann" / "hostile.json").read_bytes() == before
        item = out["state"]["annotations"][0]["item"]
        status, out = client.post(
            "edit", {"version": out["state"]["version"], "id": item["id"], "changes": {"label": "LOC"}}
        )
        assert status == 200 and load_pass(corpus, "ann")["entities"][0]["label"] == "LOC"
    finally:
        srv.stop()


def load_pass(corpus: Path, name: str, doc_id: str = "hostile") -> dict:
    return json.loads((corpus / "passes" / name / f"{doc_id}.json").read_text(encoding="utf-8"))


def test_index_lists_the_annotators_queue_first_with_its_state(corpus: Path) -> None:
    for doc_id in ("aaa", "zzz"):
        shutil.copy(corpus / "raw" / "hostile.txt", corpus / "raw" / f"{doc_id}.txt")
        data = load(corpus)
        data["doc_id"] = doc_id
        (corpus / "annotations" / f"{doc_id}.json").write_text(json.dumps(data), encoding="utf-8")
    assign(corpus, ["ann"], doc_ids=["hostile", "zzz"])
    add_entity(corpus, "zzz", "Amber Rudd", "PERSON", annotator="ann")
    srv, client = _pass_client(corpus, "ann")
    try:
        rows = json.loads(client.request("GET", "/api/docs")[2])["documents"]
        assert [(r["doc_id"], r.get("queue")) for r in rows] == [
            ("hostile", "not started"),
            ("zzz", "in progress"),
            ("aaa", None),
        ]
        assert rows[1]["counts"]["entities"] == 1 and rows[0]["counts"]["entities"] == 0  # the pass's counts
    finally:
        srv.stop()
    with make_server(corpus, port=0).start() as gold_srv:  # the gold workbench has no queue
        rows = json.loads(Client(gold_srv).login().request("GET", "/api/docs")[2])["documents"]
        assert [r["doc_id"] for r in rows] == ["aaa", "hostile", "zzz"] and "queue" not in rows[0]


def _settle(client: Client, payload: dict, headers: dict | None = None) -> tuple[int, dict]:
    sent = {
        "Origin": f"http://127.0.0.1:{client.srv.port}",
        "Content-Type": "application/json",
        "X-CSRF-Token": client.token,
        **(headers or {}),
    }
    status, _, body = client.request("POST", "/api/curate/hostile", json.dumps(payload).encode(), sent)
    return status, json.loads(body)


def test_curation_lists_disagreements_and_settles_them_into_valid_gold(corpus: Path) -> None:
    add_entity(corpus, "hostile", "Amber Rudd", "PERSON", annotator="ann")
    add_entity(corpus, "hostile", "Amber Rudd", "ORG", annotator="bob")
    add_entity(corpus, "hostile", "東京", "GPE", annotator="ann")
    add_entity(corpus, "hostile", "東京", "GPE", annotator="bob")
    with make_server(corpus, port=0, annotator="lead", gold=True).start() as srv:
        client = Client(srv).login()
        status, _, body = client.request("GET", "/api/curate/hostile?annotators=ann,bob")
        listing = json.loads(body)
        assert status == 200 and len(listing["disagreements"]) == 1, listing
        d = listing["disagreements"][0]
        assert d["text"] == "Amber Rudd" and d["status"] == "open"
        assert d["versions"]["ann"][0]["label"] == "PERSON" and d["versions"]["bob"][0]["label"] == "ORG"
        payload = {"annotators": ["ann", "bob"], "unit": d["unit"], "take": "bob"}
        before = (corpus / "annotations" / "hostile.json").read_bytes()
        assert _settle(client, payload, {"X-CSRF-Token": "0" * 64})[0] == 403  # same guard as every write
        assert _settle(client, payload, {"Origin": "http://evil.example"})[0] == 403
        assert _settle(client, {**payload, "take": 3})[0] == 400
        assert (corpus / "annotations" / "hostile.json").read_bytes() == before
        status, out = _settle(client, payload)
        assert status == 200 and out["by"] == "lead" and out["open"] == 0, out
        assert out["disagreements"][0]["status"] == "decided"
    gold = load(corpus)
    assert sorted((e["text"], e["label"]) for e in gold["entities"]) == [("Amber Rudd", "ORG"), ("東京", "GPE")]
    record = json.loads((corpus / "adjudication" / "hostile.json").read_text(encoding="utf-8"))
    assert record["decisions"][d["unit"]]["by"] == "lead" and record["decisions"][d["unit"]]["take"] == "bob"
    assert validate(corpus, cache=False).valid


def test_curation_without_annotator_records_adjudicator_and_reports_errors(corpus: Path) -> None:
    add_entity(corpus, "hostile", "Amber Rudd", "PERSON", annotator="ann")
    add_entity(corpus, "hostile", "Amber Rudd", "ORG", annotator="bob")
    with make_server(corpus, port=0).start() as srv:
        client = Client(srv).login()
        status, _, body = client.request("GET", "/api/curate/hostile?annotators=ann,nobody")
        assert status == 422 and "nobody has no pass" in json.loads(body)["error"]
        unit = json.loads(client.request("GET", "/api/curate/hostile?annotators=ann,bob")[2])["disagreements"][0][
            "unit"
        ]
        status, out = _settle(client, {"annotators": ["ann", "bob"], "unit": unit, "take": None})
        assert status == 200 and out["by"] == "adjudicator" and out["disagreements"][0]["status"] == "rejected"
        assert client.request("GET", "/curate/..%2Fx?annotators=ann,bob")[0] == 404
    assert load(corpus)["entities"] == []
