"""Annotating a corpus: create the corpus and articles, open a document, add/edit/remove/review
labels, suggest pre-labels, re-anchor spans after a text edit, show a document, count labels.

Every writer goes through :mod:`corpus_pkg.annotate.session`, which validates a document before it
is written and writes it atomically.
"""
