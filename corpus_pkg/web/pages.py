"""The HTML the server sends: small shells that load the page's script and style from /static/.

No document text is put into these pages: the script fetches it as JSON and inserts it as text
nodes (never as HTML). What the shells do contain (titles, the CSRF token) is escaped.
"""

from __future__ import annotations

import html

__all__ = ("curate_page", "document_page", "error_page", "index_page")


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


#: The modules each page script imports, fetched in parallel with it instead of after it.
_MODULES = {
    "doc.js": ("api.js", "dom.js", "panels.js", "text.js"),
    "index.js": ("api.js", "dom.js"),
    "curate.js": ("api.js", "dom.js"),
}


def _shell(title: str, token: str, script: str, body: str, doc_id: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="csrf-token" content="{_esc(token)}">'
        f"<title>{_esc(title)}</title>"
        '<link rel="stylesheet" href="/static/style.css">'
        + "".join(f'<link rel="modulepreload" href="/static/{name}">' for name in _MODULES[script])
        + f'<script type="module" src="/static/{_esc(script)}"></script>'
        f'</head><body data-doc-id="{_esc(doc_id)}">{body}</body></html>'
    )


def index_page(corpus_name: str, token: str) -> str:
    """The list of documents (filled in by index.js from ``GET /api/docs``)."""
    body = (
        f'<header><h1 id="corpus-name">{_esc(corpus_name)}</h1><span id="annotator"></span></header>'
        '<main class="index"><p><label>Filter and search the text: '
        '<input id="filter" type="search" autocomplete="off" placeholder="id, title or words"></label> '
        '<span id="doc-count"></span></p>'
        '<table id="documents"><thead><tr><th>document</th><th>title</th><th>entities</th><th>quotes</th>'
        "<th>numbers</th><th>stance</th><th>suggestions</th><th>validation</th><th>queue</th></tr></thead>"
        "<tbody></tbody></table></main>"
    )
    return _shell(corpus_name, token, "index.js", body)


def document_page(doc_id: str, token: str) -> str:
    """The workbench of one document (built by doc.js from ``GET /api/doc/<doc_id>``)."""
    body = (
        '<header><a href="/" id="home">All documents</a> <h1 id="doc-title"></h1>'
        '<span id="pass-of"></span>'
        '<span id="save-status" data-state="idle" role="status" aria-live="polite"></span></header>'
        '<div class="workbench">'
        '<main><div id="toolbar"></div><div id="doc-text" tabindex="0"></div></main>'
        '<aside id="side"><section id="tool-panel"></section><section id="detail"></section>'
        '<section id="review"></section><section id="issues"></section>'
        '<section id="keys"></section></aside></div>'
    )
    return _shell(f"{doc_id} · corpus", token, "doc.js", body, doc_id=doc_id)


def curate_page(doc_id: str, token: str) -> str:
    """The curation view of one document (built by curate.js from ``GET /api/curate/<doc_id>``)."""
    body = (
        f'<header><a href="/" id="home">All documents</a> <h1 id="curate-title">Curation of {_esc(doc_id)}</h1>'
        '<span id="save-status" data-state="idle" role="status" aria-live="polite"></span></header>'
        '<main class="curate"><p><label>Annotators: <input id="annotators" autocomplete="off" '
        'placeholder="A,B"></label> <label><input type="checkbox" id="overwrite"> replace hand-made gold '
        'annotations</label> <span id="curate-count"></span></p>'
        '<table id="disagreements"><thead><tr id="curate-head"></tr></thead><tbody></tbody></table>'
        '<p class="keys">keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>1</kbd>…<kbd>9</kbd> take that '
        "annotator's version, <kbd>x</kbd> reject</p></main>"
    )
    return _shell(f"curate {doc_id} · corpus", token, "curate.js", body, doc_id=doc_id)


def error_page(status: int, message: str) -> str:
    """A plain page for a document that cannot be opened."""
    body = f'<main class="error"><h1>{status}</h1><p id="error">{_esc(message)}</p><p><a href="/">Back</a></p></main>'
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>error</title>'
        f'<link rel="stylesheet" href="/static/style.css"></head><body>{body}</body></html>'
    )
