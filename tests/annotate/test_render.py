"""`corpus show` (terminal) and `corpus render --html` (self-contained HTML)."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from corpus_pkg.annotate.add import add_entity, add_number, add_quote
from corpus_pkg.annotate.render import collect_marks, render_html, render_plain
from corpus_pkg.schema import AnnotationFile, Document

from .conftest import make_corpus, raw

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = (
    "Hostile <b>title</b>\n\n"
    "“Quote” עברית 🎉 <script>document.title='pwned'</script> "
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> "
    "Amber Rudd said ISIS posted 90,000 times & more.\n"
)


def test_show_plain_markup_on_mini(mini_corpus: Path, cli) -> None:
    result = cli("show", "doc1", "--root", str(mini_corpus))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Café news\n\n"
        "“[We will act,]{q1 direct ← e1 Amber Rudd}” [said]{cue q1} [Amber Rudd]{PERSON e1}. "
        "[ISIS]{ORG e2} posted [90,000]{count n1 =90000 posts} times.\n\n"
        "Subscribe now.\n"
        "\nStance:\n  s1: e1 Amber Rudd is favor platform_action (evidence q1)\n"
    )
    result = cli("show", "doc1", "--layer", "entities", "--layer", "segments", "--root", str(mini_corpus))
    assert result.stdout.startswith("[Café news]{title}\n\n[“We will act,” said [Amber Rudd]{PERSON e1}.")
    assert "[Subscribe now.]{boilerplate}" in result.stdout
    result = cli("show", "doc1", "--layer", "tokens", "--root", str(mini_corpus))
    assert result.returncode == 1 and "unknown layer(s) 'tokens'; choose from segments" in result.stderr


def test_show_color_always_uses_ansi_styles(mini_corpus: Path, cli) -> None:
    result = cli("show", "doc1", "--color", "always", "--layer", "entities", "--root", str(mini_corpus))
    assert result.returncode == 0, result.stderr
    assert "\x1b[" in result.stdout and "⟨PERSON e1⟩" in result.stdout and "[Amber Rudd]" not in result.stdout


def test_show_warns_when_raw_changed(mini_corpus: Path, cli) -> None:
    path = mini_corpus / "raw" / "doc1.txt"
    path.write_bytes(b"Preface. " + path.read_bytes())
    result = cli("show", "doc1", "--root", str(mini_corpus))
    assert result.stdout.startswith("! raw/doc1.txt changed since it was annotated")


class _TextOf(HTMLParser):
    """Collects the text inside <pre id="text"> and the tags seen anywhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.tags: list[str] = []
        self.titles: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "pre" and attrs.get("id") == "text":
            self.depth = 1
        elif self.depth:
            self.depth += 1
            self.titles.append(attrs.get("title", ""))

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def _hostile_corpus(tmp_path: Path) -> Path:
    root = make_corpus(tmp_path, HOSTILE, doc_id="hostile")
    add_entity(root, "hostile", "Amber Rudd", "PERSON")
    add_entity(root, "hostile", "ISIS", "ORG")
    add_number(root, "hostile", "90,000", unit="posts")
    add_quote(root, "hostile", "<script>document.title='pwned'</script>", speaker_mention="e1")
    return root


def test_render_html_escapes_hostile_text(tmp_path: Path, cli) -> None:
    root = _hostile_corpus(tmp_path)
    out = tmp_path / "view.html"
    result = cli("render", "hostile", "--html", str(out), "--root", str(root))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=" in page
    assert "<title>hostile — Hostile &lt;b&gt;title&lt;/b&gt;</title>" in page
    assert "src=" not in page.replace("&lt;img src=x", "") and "http" not in page.replace("http-equiv", "")
    parser = _TextOf()
    parser.feed(page)
    # The text view is exactly the raw text: tags are drawn by CSS, not inserted.
    assert "".join(parser.text) == raw(root, "hostile")
    assert set(parser.tags) <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p"} | {
        "section", "ul", "li", "span", "pre", "table", "tr", "th", "td"
    }  # fmt: skip
    assert "value=90000 kind=count unit=posts qualifier=exact" in parser.titles
    assert 'id="legend"' in page and "Entity mentions: 2" in page
    assert "<td>q1</td><td>direct</td><td>e1 Amber Rudd</td>" in page


def test_render_refuses_to_overwrite_without_force(mini_corpus: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "doc1.html"
    out.write_text("keep me")
    result = cli("render", "doc1", "--html", str(out), "--root", str(mini_corpus))
    assert result.returncode == 1 and "already exists; pass --force" in result.stderr
    assert out.read_text() == "keep me"
    result = cli("render", "doc1", "--html", str(out), "--force", "--root", str(mini_corpus))
    assert result.returncode == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    first = out.read_bytes()
    cli("render", "doc1", "--html", str(out), "--force", "--root", str(mini_corpus))
    assert out.read_bytes() == first  # deterministic


def test_render_in_headless_browser(tmp_path: Path, cli) -> None:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("/usr/bin/chromium is not installed (the Makefile installs it for the browser check)")
    root = _hostile_corpus(tmp_path)
    out = tmp_path / "view.html"
    assert cli("render", "hostile", "--html", str(out), "--root", str(root)).returncode == 0
    profile = tmp_path / "chromium-profile"
    dom = subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--dump-dom", out.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert '<section id="legend">' in dom
    assert "pwned" not in dom.split("<body", 1)[0]  # the title was not rewritten by a script
    assert "data-pwned" not in dom.replace("setAttribute('data-pwned'", "").replace("setAttribute(&#x27;data-pwned", "")
    assert "<script" not in dom and "<img" not in dom
    assert "Amber Rudd" in dom


def test_crossing_spans_are_split_and_stay_well_formed() -> None:
    text = "Amber Rudd said so."
    ann = AnnotationFile.model_validate(
        {
            "schema_version": "1.0",
            "doc_id": "x",
            "raw_sha256": "0" * 64,
            "meta": {"title": "t", "outlet": "o"},
            "entities": [
                {"id": "e1", "origin": "manual", "start": 0, "end": 10, "text": "Amber Rudd", "label": "PERSON"},
                {"id": "e2", "origin": "suggestion", "start": 6, "end": 15, "text": "Rudd said", "label": "ORG"},
            ],
        }
    )
    doc = Document(text=text, annotations=ann)
    marks = collect_marks(doc)
    assert render_plain(doc, marks) == "[Amber [Rudd]{ORG e2 ?}]{PERSON e1}[ said]{ORG e2 ?} so."
    page = render_html(doc)
    body = page.split('<pre id="text">', 1)[1].split("</pre>", 1)[0]
    assert body.count("<span") == body.count("</span>") == 3
    assert "(unreviewed suggestion)" in body
