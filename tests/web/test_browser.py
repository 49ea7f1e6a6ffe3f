"""The workbench in headless Chromium (Playwright, Debian's /usr/bin/chromium): real selections,
keys and clicks; each test then reads the annotation file written through the annotate API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from corpus_pkg.annotate.add import add_entity
from corpus_pkg.annotate.review import edit_annotation
from corpus_pkg.validate import validate
from corpus_pkg.web.serve import WorkbenchServer, make_server

from .conftest import HOSTILE_TEXT, HOSTILE_TITLE, cp_span, load, open_doc, select_text, wait_saved

RECT_JS = """(needle) => {
  const root = document.getElementById("doc-text");
  for (const piece of root.children) {
    const at = piece.textContent.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(piece.firstChild, at);
    range.setEnd(piece.firstChild, at + needle.length);
    const r = range.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }
}"""


def entity(root: Path, text: str) -> dict[str, Any]:
    found = [e for e in load(root)["entities"] if e["text"] == text]
    assert len(found) == 1, load(root)["entities"]
    return found[0]


def test_doc_text_is_the_raw_text_and_selections_create_entities(page: Any, server: WorkbenchServer, corpus: Path):
    open_doc(page, server)
    assert page.eval_on_selector("#doc-text", "n => n.textContent") == HOSTILE_TEXT  # CRLF, tabs, NBSP, RLM kept

    select_text(page, "ana\u00a0Le")  # inside two words: token snapping widens it to both words
    page.keyboard.press("1")  # PERSON, the first label
    wait_saved(page)
    assert entity(corpus, "Dana\u00a0Levi")["start"] == cp_span("Dana\u00a0Levi")[0]

    select_text(page, "東京")
    page.click('[data-label="GPE"]')
    wait_saved(page)
    start, end = cp_span("東京")
    assert (entity(corpus, "東京")["start"], entity(corpus, "東京")["end"]) == (start, end)

    page.keyboard.press("t")  # character mode: no snapping
    select_text(page, "עולם")
    page.click('[data-label="LOC"]')
    wait_saved(page)
    select_text(page, "Rud")
    page.click('[data-label="PERSON"]')
    wait_saved(page)
    for text in ("עולם", "Rud"):
        got = entity(corpus, text)
        assert (got["start"], got["end"]) == cp_span(text) and HOSTILE_TEXT[got["start"] : got["end"]] == text
        assert got["source"] == "alice"

    box = page.evaluate(RECT_JS, "Prices")
    page.mouse.dblclick(box["x"], box["y"])  # a real mouse selection of one word
    page.keyboard.press("Shift+ArrowLeft")  # shrink by keyboard to "Pric"
    page.keyboard.press("Shift+ArrowLeft")
    assert page.evaluate("() => String(window.getSelection())") == "Pric"
    page.keyboard.press("t")  # token mode again: "Pric" snaps to "Prices"
    page.click('[data-label="ORG"]')
    wait_saved(page)
    assert entity(corpus, "Prices")["label"] == "ORG"


def test_quote_number_and_stance_by_selection(page: Any, server: WorkbenchServer, corpus: Path):
    add_entity(corpus, "hostile", "Amber Rudd", "PERSON", entity_id="amber_rudd")
    open_doc(page, server)

    select_text(page, "45%")
    page.keyboard.press("n")
    page.wait_for_selector("#number-form")
    assert page.input_value("#number-value") == "45" and page.input_value("#number-kind") == "percent"
    page.fill("#number-unit", "<b>prices</b>")
    page.click("#save-number")
    wait_saved(page)
    number = load(corpus)["numbers"][0]
    assert (number["start"], number["end"], number["value"], number["unit"]) == (*cp_span("45%"), 45.0, "<b>prices</b>")

    select_text(page, "We will act")
    page.keyboard.press("q")
    select_text(page, "never again,")
    page.keyboard.press("q")  # a second fragment
    select_text(page, "said", 2)
    page.keyboard.press("c")
    page.click("#quote-speaker-pick")
    page.click("#doc-text >> text=Amber Rudd")
    page.select_option("#quote-kind", "direct")
    page.keyboard.press("Enter")
    wait_saved(page)
    quote = load(corpus)["quotes"][0]
    assert [(f["start"], f["end"], f["text"]) for f in quote["fragments"]] == [
        (*cp_span("We will act"), "We will act"),
        (*cp_span("never again,"), "never again,"),
    ]
    assert quote["cue"] == {"start": cp_span("said", 2)[0], "end": cp_span("said", 2)[1], "text": "said"}
    assert quote["speaker"] == {"type": "mention", "mention_id": "e1"}

    select_text(page, "Prices rose 45%")
    page.keyboard.press("s")
    page.click("#stance-holder-pick")
    page.click("#doc-text >> text=Amber Rudd")
    page.select_option("#stance-label", "against")
    page.click("#save-stance")
    wait_saved(page)
    stance = load(corpus)["stance"][0]
    assert stance["holder"] == {"type": "mention", "mention_id": "e1"} and stance["label"] == "against"
    assert stance["evidence"] == {
        "type": "span",
        **dict(zip(("start", "end"), cp_span("Prices rose 45%"))),
        "text": "Prices rose 45%",
    }


def test_keyboard_review_flow(page: Any, server: WorkbenchServer, corpus: Path):
    for text, label in (("Dana\u00a0Levi", "PERSON"), ("東京", "GPE"), ("Amber Rudd", "PERSON")):
        result = add_entity(corpus, "hostile", text, label, source="rule:test")
        edit_annotation(corpus, "hostile", result.item.id, {"origin": "suggestion"})
    open_doc(page, server)
    assert page.locator("#review li").count() == 3 and page.locator("#doc-text .sug").count() == 3
    page.keyboard.press("j")  # first suggestion, in text order
    page.keyboard.press("a")
    wait_saved(page)
    page.keyboard.press("x")  # the next one is chosen after an accept
    wait_saved(page)
    data = load(corpus)
    assert [(e["text"], e["origin"], e["source"]) for e in data["entities"]] == [
        ("Dana\u00a0Levi", "manual", "alice (accepted rule:test)"),
        ("Amber Rudd", "suggestion", "rule:test"),
    ]
    page.keyboard.press("Shift+A")
    wait_saved(page)
    assert [e["origin"] for e in load(corpus)["entities"]] == ["manual", "manual"]
    assert page.locator("#review li").count() == 0


def test_conflict_with_the_cli_loses_nothing(page: Any, browser: Any, server: WorkbenchServer, corpus: Path):
    open_doc(page, server)
    other = browser.new_page()
    open_doc(other, server)
    cli = subprocess.run(
        [sys.executable, "-m", "corpus_pkg", "add", "entity", "hostile", "Amber Rudd", "--label", "PERSON",
         "--root", str(corpus)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    select_text(page, "東京")
    page.keyboard.press("5")  # GPE
    wait_saved(page, "conflict")
    assert [e["text"] for e in load(corpus)["entities"]] == ["Amber Rudd"]  # the CLI's change survives
    assert "changed since" in page.inner_text("#save-status")
    assert page.locator('#doc-text [data-ids="e1"]').count() == 1  # the page reloaded the file as it is
    select_text(page, "東京")
    page.keyboard.press("5")
    wait_saved(page)
    assert [e["text"] for e in load(corpus)["entities"]] == ["Amber Rudd", "東京"]

    select_text(other, "Dana\u00a0Levi")  # a second tab, still showing the first version
    other.keyboard.press("1")
    wait_saved(other, "conflict")
    assert [e["text"] for e in load(corpus)["entities"]] == ["Amber Rudd", "東京"]
    other.close()


def test_undo_redo_and_delete(page: Any, server: WorkbenchServer, corpus: Path):
    open_doc(page, server)
    select_text(page, "Amber Rudd")
    page.keyboard.press("1")
    wait_saved(page)
    added = load(corpus)["entities"]
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert load(corpus)["entities"] == []
    page.keyboard.press("Control+Shift+z")
    wait_saved(page)
    assert load(corpus)["entities"] == added  # the same id, offsets and source

    page.click('#doc-text [data-ids="e1"]')
    page.select_option("#edit-label", "ORG")
    page.click("#save-edit")
    wait_saved(page)
    assert load(corpus)["entities"][0]["label"] == "ORG"
    page.keyboard.press("Delete")
    wait_saved(page)
    assert load(corpus)["entities"] == []
    page.keyboard.press("Control+z")
    wait_saved(page)
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert load(corpus)["entities"] == added


def test_hostile_titles_notes_and_labels_stay_text(page: Any, server: WorkbenchServer, corpus: Path):
    result = add_entity(
        corpus, "hostile", "Amber Rudd", "PERSON", note='</textarea><img src=x onerror="window.__pwned=5">'
    )
    open_doc(page, server)
    page.click(f'#doc-text [data-ids="{result.item.id}"]')
    assert page.input_value("#edit-note") == result.item.note
    assert page.inner_text("#doc-title") == HOSTILE_TITLE
    assert page.get_attribute('[data-label="PERSON"]', "title").startswith("<img")
    page.goto(server.url)
    page.wait_for_selector("body[data-ready]")
    assert HOSTILE_TITLE in page.inner_text("#documents")
    open_doc(page, server)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img, svg, b, i").count() == 0
    assert page.locator("script").count() == 1  # the page's own module only


def _new_page(browser: Any) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, tab, errors


def test_annotator_selection_lands_in_their_pass(browser: Any, corpus: Path):
    gold_before = (corpus / "annotations" / "hostile.json").read_bytes()
    context, tab, errors = _new_page(browser)
    with make_server(corpus, port=0, annotator="ann").start() as srv:
        open_doc(tab, srv)
        assert tab.text_content("#pass-of") == "ann's pass (passes/ann/hostile.json, not started)"
        select_text(tab, "東京")
        tab.click('[data-label="GPE"]')
        wait_saved(tab)
        context.close()
    written = json.loads((corpus / "passes" / "ann" / "hostile.json").read_text(encoding="utf-8"))
    start, end = cp_span("東京")
    assert [(e["start"], e["end"], e["label"], e["source"]) for e in written["entities"]] == [
        (start, end, "GPE", "ann")
    ]
    assert (corpus / "annotations" / "hostile.json").read_bytes() == gold_before
    assert not errors, errors


def test_curation_takes_one_pass_into_valid_gold(browser: Any, corpus: Path):
    add_entity(corpus, "hostile", "Amber Rudd", "PERSON", annotator="ann")
    add_entity(corpus, "hostile", "Amber Rudd", "ORG", annotator="bob")
    context, tab, errors = _new_page(browser)
    with make_server(corpus, port=0).start() as srv:
        tab.goto(f"{srv.url}curate/hostile?annotators=ann,bob")
        tab.wait_for_selector("body[data-ready]")
        assert tab.text_content('td.version[data-annotator="ann"]') == "“Amber Rudd” · PERSON"
        assert tab.text_content('td.version[data-annotator="bob"]') == "“Amber Rudd” · ORG"
        tab.keyboard.press("2")  # take bob's version (the second annotator)
        wait_saved(tab)
        assert tab.get_attribute("#disagreements tbody tr", "data-status") == "decided"
        assert "by adjudicator" in tab.text_content("#disagreements tbody tr td.status")
        context.close()
    assert [(e["text"], e["label"]) for e in load(corpus)["entities"]] == [("Amber Rudd", "ORG")]
    assert validate(corpus, cache=False).valid
    assert not errors, errors
