"""Releases built once per session (building is deterministic, so sharing them is safe)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import datasets
import pytest

from corpus_pkg.release.build import build
from tests.conftest import MINI
from tests.release.helpers import make_rich_corpus


@pytest.fixture(scope="session")
def hf_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private datasets cache, so tests never read or pollute ~/.cache."""
    return tmp_path_factory.mktemp("hf-cache")


@pytest.fixture(scope="session")
def load_release(hf_cache: Path):
    """``load_release(folder, config, split=None)``: plain ``datasets.load_dataset`` on a release folder."""

    def _load(release: Path, config: str, split: str | None = None) -> Any:
        return datasets.load_dataset(str(release), config, split=split, cache_dir=str(hf_cache))

    return _load


@pytest.fixture(scope="session")
def mini_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/mini built once (read-only use)."""
    base = tmp_path_factory.mktemp("mini-release")
    shutil.copytree(MINI, base / "corpus")
    return build(base / "corpus", base / "release").out


@pytest.fixture(scope="session")
def rich_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rich three-document corpus (read-only use; copy it before changing it)."""
    return make_rich_corpus(tmp_path_factory.mktemp("rich") / "corpus")


@pytest.fixture(scope="session")
def rich_release(rich_source: Path) -> Path:
    return build(rich_source, rich_source.parent / "release").out


@pytest.fixture
def rich_corpus(tmp_path: Path) -> Path:
    """A fresh, writable copy of the rich corpus."""
    return make_rich_corpus(tmp_path / "rich")
