"""docs/build.md and docs/loading.md say what the code does."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import datasets
import pytest

from corpus_pkg.tables.features import CONFIG_NAMES
from corpus_pkg.text.tokenize import TOKEN_PATTERN
from tests.conftest import REPO

BUILD_MD = (REPO / "docs" / "build.md").read_text(encoding="utf-8")
LOADING_MD = (REPO / "docs" / "loading.md").read_text(encoding="utf-8")


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_loading_example_runs_on_a_release(
    mini_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hf_cache: Path
) -> None:
    shutil.copytree(mini_release, tmp_path / "dist" / "release")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", hf_cache)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(python_blocks(LOADING_MD)[0], {})
    lines = out.getvalue().splitlines()
    assert lines[0] == "['PERSON', 'NORP', 'FAC', 'ORG']"
    assert lines[1] == "PERSON Amber Rudd"
    assert "('Amber', 'B-PERSON'), ('Rudd', 'I-PERSON')" in lines[2]


def test_build_doc_documents_every_config_and_the_token_pattern() -> None:
    for config in CONFIG_NAMES:
        assert f"| `{config}` |" in BUILD_MD
    documented = re.search(r"```text\n(\\d\+.*?)\n```", BUILD_MD, flags=re.S).group(1)
    assert documented.replace("  |  ", "|") == TOKEN_PATTERN.pattern
    for command in ("corpus build", "corpus release", "corpus diff", "corpus publish", "--no-cache"):
        assert command in BUILD_MD
