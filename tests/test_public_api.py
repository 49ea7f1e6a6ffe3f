"""The public surface: every exported name exists, is documented, and the CLI mirrors it."""

from __future__ import annotations

import inspect

import corpus_pkg
from corpus_pkg.cli.reference import iter_commands, root_command


def test_all_names_exist_and_are_documented() -> None:
    assert len(set(corpus_pkg.__all__)) == len(corpus_pkg.__all__)
    for name in corpus_pkg.__all__:
        obj = getattr(corpus_pkg, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"corpus_pkg.{name} has no docstring"


def test_cli_verbs_have_python_twins() -> None:
    """`corpus <verb>` calls the function of the same name (sqlite-utils style)."""
    commands = {" ".join(path[1:]) for path, _ in iter_commands(root_command(), ["corpus"])}
    twins = {
        "validate": corpus_pkg.validate,
        "init": corpus_pkg.init_corpus,
        "add-article": corpus_pkg.add_article,
        "add entity": corpus_pkg.add_entity,
        "add quote": corpus_pkg.add_quote,
        "add number": corpus_pkg.add_number,
        "add stance": corpus_pkg.add_stance,
        "show": corpus_pkg.show,
        "stats": corpus_pkg.stats,
        "reanchor": corpus_pkg.reanchor,
        "suggest numbers": corpus_pkg.suggest_numbers,
        "suggest entities": corpus_pkg.suggest_entities,
        "suggest quotes": corpus_pkg.suggest_quotes,
        "import": corpus_pkg.import_corpus,
        "export": corpus_pkg.export_corpus,
        "edit": corpus_pkg.edit_annotation,
        "remove": corpus_pkg.remove_annotations,
        "accept": corpus_pkg.accept_suggestions,
        "reject": corpus_pkg.reject_suggestions,
        "serve": corpus_pkg.serve,
        "assign": corpus_pkg.assign,
        "queue": corpus_pkg.queue,
        "agree": corpus_pkg.compare_passes,
        "adjudicate": corpus_pkg.adjudicate,
        "verify": corpus_pkg.verify_release,
    }
    assert set(twins) <= commands
    for verb, func in twins.items():
        assert callable(func) and inspect.getdoc(func), verb


def test_importing_the_package_does_not_import_datasets() -> None:
    import subprocess
    import sys

    code = "import sys, corpus_pkg; print('datasets' in sys.modules, 'spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"  # nor spaCy: the spacy suggester imports it when it runs
