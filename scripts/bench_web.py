"""Benchmark the annotation workbench (`corpus serve`) in headless Chromium.

A synthetic article of about 100 KB (mixed scripts: emoji, CJK, Hebrew, so UTF-16 and code
points differ) carries 2,000 annotations (entities, numbers, quotes, suggestions). Measured:

- open: from navigation to the page drawn and ready (``body[data-ready]``), fresh tab each run;
- label action: select a word, press a label hotkey, until ``#save-status`` says ``saved``
  (the page's own round-trip figure, ``data-ms``: POST, compare-and-swap write through
  ``add_entity``, validation, new state, redraw), and the same seen from Playwright;
- baselines from the same run: the plain ``GET /api/doc`` fetch of the big document's JSON, and
  the open of a one-paragraph document, to tell server, transfer and drawing costs apart.

Budgets (issue #13): open < 1 s, label action < 100 ms. Prints a Markdown table.

Usage:
    python scripts/bench_web.py            # 100 KB, 2,000 annotations, 5 runs each
    python scripts/bench_web.py --quick    # 20 KB, 400 annotations, 2 runs (a smoke run)
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus_pkg.annotate.add import add_entity
from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.annotate.session import file_version, open_document, save_annotations
from corpus_pkg.schema import EntityMention, NumberMention, Quote
from corpus_pkg.text.tokenize import tokenize
from corpus_pkg.web.serve import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
WORDS = [
    "the", "minister", "said", "platforms", "must", "act", "on", "extremist", "content", "before", "the",
    "summit", "in", "東京", "and", "שלום", "officials", "👩🏽\u200d💻", "reported", "90,000", "posts", "while",
    "analysts", "🇺🇦", "counted", "45%", "more", "accounts",
]  # fmt: skip


def make_article(size: int, seed: int) -> str:
    rng = random.Random(seed)
    out, length = ["Benchmark article\n\n"], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + ". "
        if rng.random() < 0.15:
            sentence += "\n\n"
        out.append(sentence)
        length += len(sentence.encode("utf-8"))
    return "".join(out) + "\n"


def make_corpus(root: Path, size: int, annotations: int, seed: int) -> None:
    init_corpus(root, name="bench")
    add_article(root, "big", make_article(size, seed).encode("utf-8"), outlet="Bench")
    add_article(root, "small", b"Small article\n\nAmber Rudd said 90,000 posts.\n", outlet="Bench")
    doc = open_document(root, "big")
    words = [t for t in tokenize(doc.raw) if t.text.isalpha() and t.start > 20]
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(words) - 1), annotations), reverse=True)
    items: dict[str, list] = {"entities": [], "numbers": [], "quotes": []}
    for n, i in enumerate(picked, start=1):
        tok = words[i]
        origin = "suggestion" if n % 10 == 0 else "manual"
        if n % 15 == 0:
            nxt = words[i + 1]
            span = {"start": tok.start, "end": nxt.end, "text": doc.raw[tok.start : nxt.end]}
            items["quotes"].append(Quote(id=f"q{n}", origin=origin, kind="indirect", fragments=[span],
                                         speaker={"type": "unknown"}))  # fmt: skip
        elif n % 7 == 0:
            items["numbers"].append(NumberMention(id=f"n{n}", origin=origin, start=tok.start, end=tok.end,
                                                  text=tok.text, value=float(n), kind="count"))  # fmt: skip
        else:
            items["entities"].append(EntityMention(id=f"e{n}", origin=origin, start=tok.start, end=tok.end,
                                                   text=tok.text, label="ORG" if n % 2 else "PERSON"))  # fmt: skip
    for layer, rows in items.items():
        rows.sort(key=lambda x: x.id)
        setattr(doc.ann, layer, rows)
    save_annotations(root, doc.ann, doc.raw_bytes, tolerate=lambda issue: True)


def time_add_entity(root: Path, runs: int) -> list[float]:
    """``add_entity`` in this process (the server's write without HTTP or page), on the big document."""
    raw = (root / "raw" / "big.txt").read_bytes().decode("utf-8")
    spots = [m.start() for m in re.finditer(r"\bsummit\b", raw)]
    out = []
    for start in spots[-(runs + 1) :]:
        version = file_version((root / "annotations" / "big.json").read_bytes())
        began = time.perf_counter()
        add_entity(root, "big", "summit", "EVENT", at=(start, start + 6), expected_version=version)
        out.append(time.perf_counter() - began)
    return out[1:]


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values and values[0] < 10 else statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 KB, 400 annotations, 2 runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    size, count, runs = (20_000, 400, 2) if args.quick else (100_000, 2000, args.runs)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench"
        make_corpus(root, size, count, args.seed)
        raw_bytes = (root / "raw" / "big.txt").stat().st_size
        direct = time_add_entity(root, runs)
        server = make_server(root, port=0, annotator="bench", gold=True).start()
        try:
            fetch: list[float] = []
            for _ in range(runs):
                conn = http.client.HTTPConnection("127.0.0.1", server.port)
                started = time.perf_counter()
                conn.request("GET", "/api/doc/big", headers={"Host": f"127.0.0.1:{server.port}"})
                conn.getresponse().read()
                fetch.append(time.perf_counter() - started)
                conn.close()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                opened: dict[str, list[float]] = {"big": [], "small": []}
                in_page_open: dict[str, list[float]] = {"big": [], "small": []}
                for doc_id in ("small", "big"):
                    for _ in range(runs + 1):  # the first run warms the caches and is dropped
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        started = time.perf_counter()
                        page.goto(f"{server.url}doc/{doc_id}")
                        page.wait_for_selector("body[data-ready]")
                        opened[doc_id].append(time.perf_counter() - started)
                        in_page_open[doc_id].append(float(page.get_attribute("body", "data-ready-ms")) / 1000)
                        page.close()
                    opened[doc_id] = opened[doc_id][1:]
                    in_page_open[doc_id] = in_page_open[doc_id][1:]
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{server.url}doc/big")
                page.wait_for_selector("body[data-ready]")
                drawn = page.evaluate("() => document.querySelectorAll('#doc-text > span').length")
                in_page: list[float] = []
                server_side: list[float] = []
                outside: list[float] = []
                for k in range(runs + 1):
                    page.evaluate("""(k) => {
                        const pieces = [...document.querySelectorAll('#doc-text > span:not([data-ids])')];
                        const node = pieces.find((p, i) => i >= k * 7 && /[a-z]{4,}/.test(p.textContent));
                        const at = node.textContent.search(/[a-z]{4,}/);
                        const range = document.createRange();
                        range.setStart(node.firstChild, at); range.setEnd(node.firstChild, at + 4);
                        getSelection().removeAllRanges(); getSelection().addRange(range);
                        document.getElementById('save-status').dataset.state = 'idle';
                    }""", k)  # fmt: skip
                    started = time.perf_counter()
                    page.keyboard.press("1")
                    page.wait_for_selector('#save-status[data-state="saved"]')
                    outside.append(time.perf_counter() - started)
                    in_page.append(float(page.get_attribute("#save-status", "data-ms")) / 1000)
                    server_side.append(float(page.get_attribute("#save-status", "data-server-ms")) / 1000)
                browser.close()
        finally:
            server.stop()
    big_open, small_open = median_ms(opened["big"]), median_ms(opened["small"])
    big_in_page = median_ms(in_page_open["big"])
    label_page, label_outside = median_ms(in_page[1:]), median_ms(outside[1:])
    big = f"the {raw_bytes / 1000:.0f} KB document, {count} annotations"
    rows = [  # (what, median ms, best ms, budget ms)
        ("GET /api/doc (JSON only, baseline)", median_ms(fetch), min(fetch) * 1000, None),
        ("open a one-paragraph document (baseline)", small_open, min(opened["small"]) * 1000, None),
        (f"open {big} (in page)", big_in_page, min(in_page_open["big"]) * 1000, 1000.0),
        (f"open {big} (seen from Playwright)", big_open, min(opened["big"]) * 1000, 1000.0),
        ("add_entity in process (compare-and-swap write + validation)", median_ms(direct),
         min(direct) * 1000, None),
        ("label action: server part (write + validation + new state)", median_ms(server_side[1:]),
         min(server_side[1:]) * 1000, None),
        ("label action round trip (in page)", label_page, min(in_page[1:]) * 1000, 100.0),
        ("label action round trip (seen from Playwright)", label_outside, min(outside[1:]) * 1000, 100.0),
    ]  # fmt: skip
    print(f"# corpus serve in headless Chromium: {raw_bytes} bytes, {count} annotations, {drawn} drawn pieces, "
          f"median of {runs} runs\n")  # fmt: skip
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| measure | median ms | best ms | budget ms | median / budget |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, value, best, budget in rows:
        share = f"{value / budget:.2f}" if budget else "-"
        print(f"| {name} | {value:.1f} | {best:.1f} | {budget or '-'} | {share} |")
    ratios = (
        f"open / JSON fetch: {big_open / median_ms(fetch):.1f}x; open big / open small: {big_open / small_open:.1f}x"
    )
    print(f"\n{ratios}")
    ok = big_in_page < 1000 and label_page < 100
    print("budgets met" if ok else "BUDGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
