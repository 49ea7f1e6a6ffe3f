"""docs/annotating.md runs: each ```bash block is executed in order and its ```output block checked."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "annotating.md"
BLOCKS = re.compile(r"```bash\n(.*?)```\n\n```output\n(.*?)```", re.DOTALL)
MARK = "@@@ end of block @@@"


def run_blocks(markdown: str, workdir: Path) -> list[str]:
    """Run every bash block in one shell session (so `cd` carries over); return each block's output."""
    script = [f'corpus() {{ "{sys.executable}" -m corpus_pkg "$@"; }}', "exec 2>&1"]
    for code, _expected in BLOCKS.findall(markdown):
        script.append(code)
        script.append(f"echo '{MARK}'")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=workdir, capture_output=True, text=True, env=env, timeout=600
    )
    outputs = result.stdout.split(MARK + "\n")
    return outputs[:-1]


def test_docs_examples_produce_their_output(tmp_path: Path) -> None:
    markdown = DOC.read_text(encoding="utf-8")
    expected = [out for _code, out in BLOCKS.findall(markdown)]
    assert len(expected) >= 9
    got = run_blocks(markdown, tmp_path)
    assert len(got) == len(expected)
    for i, (want, have) in enumerate(zip(expected, got)):
        assert have == want, f"output block {i + 1} of {DOC.name} differs"


def test_docs_link_each_command_to_its_python_twin() -> None:
    markdown = DOC.read_text(encoding="utf-8")
    names = ("init_corpus", "add_article", "add_entity", "add_quote", "add_number", "add_stance", "suggest_numbers")
    names += ("show", "render", "stats", "reanchor", "accept_suggestions", "reject_suggestions")
    names += ("remove_annotations", "edit_annotation", "serve", "suggest_entities", "suggest_quotes", "suggest_corpus")
    documented = dict((path.rsplit(".", 1)[1], path) for path in re.findall(r"`(corpus_pkg(?:\.\w+)+)`", markdown))
    for name in names:
        assert name in documented, name
    for path in documented.values():  # every dotted path in the doc names a real object
        module, _, attr = path.rpartition(".")
        assert hasattr(importlib.import_module(module), attr), path


def update_doc() -> None:
    """Rewrite the output blocks of docs/annotating.md from a fresh run (like `cog -r`)."""
    import tempfile

    markdown = DOC.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        outputs = iter(run_blocks(markdown, Path(tmp)))
    DOC.write_text(
        BLOCKS.sub(lambda m: f"```bash\n{m.group(1)}```\n\n```output\n{next(outputs)}```", markdown), encoding="utf-8"
    )


if __name__ == "__main__":  # python -m tests.annotate.test_docs_annotating
    update_doc()
