"""Shared fixtures: a small valid corpus to copy and break, and a CLI runner using a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "data" / "mini"
#: ../shared/interop beside the repository; CORPUS_INTEROP points elsewhere (e.g. from a git worktree).
INTEROP = Path(os.environ.get("CORPUS_INTEROP") or REPO.parent / "shared" / "interop")


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/mini (one valid document using every layer)."""
    dest = tmp_path / "corpus"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture
def interop() -> Path:
    """../shared/interop (real files exported by other tools); skip where it is absent."""
    if not INTEROP.is_dir():
        pytest.skip(f"shared interop fixtures not found at {INTEROP} (clone shared/ beside the repo)")
    return INTEROP


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``corpus ARGS...`` in a subprocess (the installed console script's module)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "corpus_pkg", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


@pytest.fixture
def cli():
    """The :func:`run_cli` helper as a fixture."""
    return run_cli
