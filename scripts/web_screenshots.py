"""Take the screenshots of docs/web.md: each view of `corpus serve` in headless Chromium.

A small corpus is made in a temporary folder (an article with entities, a quote, a number, a
stance and two suggestions), the workbench is started on 127.0.0.1, and each view is captured as
a PNG under docs/img/.

Usage:
    python scripts/web_screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from corpus_pkg.annotate.add import add_entity, add_number, add_quote, add_stance
from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.annotate.registry import add_registry_entity
from corpus_pkg.annotate.review import edit_annotation
from corpus_pkg.web.serve import make_server

ARTICLE = (
    "Rudd presses platforms over extremist videos\n\n"
    "Home Secretary Amber Rudd met executives of Google, Facebook and Twitter in San Francisco on Tuesday. "
    "\u201cWe will act, and we will act fast,\u201d said Amber Rudd. Officials said about 3,400 accounts "
    "were closed in 2017, 45% of them within a day. ISIS posted 90,000 times in fourteen days.\n\n"
    "Sign up for our newsletter.\n"
)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
SELECT = """(needle) => {
  const root = document.getElementById("doc-text");
  const at = root.textContent.indexOf(needle);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0, node, range = document.createRange(), started = false;
  while ((node = walker.nextNode())) {
    if (!started && seen + node.length > at) { range.setStart(node, at - seen); started = true; }
    if (started && seen + node.length >= at + needle.length) { range.setEnd(node, at + needle.length - seen); break; }
    seen += node.length;
  }
  getSelection().removeAllRanges(); getSelection().addRange(range);
}"""


def make_corpus(root: Path) -> None:
    init_corpus(root, name="news", stance_targets={"platform_action": "Platforms should act against extremist content"})
    add_article(root, "rudd", ARTICLE.encode(), outlet="Example News")
    add_article(root, "second", b"Second article\n\nA spokesman said nothing.\n", outlet="Example News")
    add_registry_entity(root, "Amber Rudd", "PERSON", entity_id="amber_rudd", aliases=["Rudd"])
    add_entity(root, "rudd", "Amber Rudd", "PERSON", occurrence=1, entity_id="amber_rudd")
    add_entity(root, "rudd", "Amber Rudd", "PERSON", occurrence=2, entity_id="amber_rudd")
    add_entity(root, "rudd", "San Francisco", "GPE")
    add_quote(root, "rudd", "We will act, and we will act fast,", cue="said", speaker_mention="e2")
    add_number(root, "rudd", "3,400", unit="accounts")
    add_stance(root, "rudd", "platform_action", "favor", holder_mention="e2", evidence_quote="q1")
    for text, label in (("Google", "ORG"), ("Facebook", "ORG"), ("Twitter", "ORG")):
        item = add_entity(root, "rudd", text, label, source="suggest:registry").item
        edit_annotation(root, "rudd", item.id, {"origin": "suggestion"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "news"
        make_corpus(root)
        with make_server(root, port=0, annotator="alice").start() as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1180, "height": 640})

            def shot(name: str) -> None:
                page.screenshot(path=str(args.out / f"web-{name}.png"))
                print(args.out / f"web-{name}.png")

            page.goto(server.url)
            page.wait_for_selector("body[data-ready]")
            shot("index")
            page.goto(f"{server.url}doc/rudd")
            page.wait_for_selector("body[data-ready]")
            page.keyboard.press("j")
            shot("document-review")
            page.click('#doc-text [data-ids="e2"]')
            shot("edit-entity")
            page.evaluate(SELECT, "45%")
            page.keyboard.press("n")
            page.wait_for_selector("#number-form")
            shot("number")
            page.keyboard.press("Escape")
            page.evaluate(SELECT, "ISIS posted 90,000 times")
            page.keyboard.press("q")
            page.evaluate(SELECT, "posted")
            page.keyboard.press("c")
            shot("quote-builder")
            page.keyboard.press("Escape")
            page.evaluate(SELECT, "45% of them within a day")
            page.keyboard.press("s")
            shot("stance-builder")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
