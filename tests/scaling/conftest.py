"""Fixtures for the scaling tests: small synthetic corpora made by scripts/make_synthetic_corpus.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

SCRIPTS = REPO / "scripts"


def load_script(name: str) -> ModuleType:
    """Import scripts/<name>.py as a module (scripts/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synth() -> ModuleType:
    """The synthetic-corpus generator module."""
    return load_script("make_synthetic_corpus")


@pytest.fixture
def synth_corpus(tmp_path: Path, synth: ModuleType) -> Path:
    """A fresh 40-document synthetic corpus (seed 3)."""
    return synth.make_corpus(tmp_path / "synth", 40, seed=3, workers=1)
