"""``python -m corpus_pkg`` runs the ``corpus`` command line."""

from .cli import main

main()
