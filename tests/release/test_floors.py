"""The lowest dependency versions pyproject.toml allows really work: a virtualenv with every floor
(``scripts/floor_env.py``, made once by ``make test`` and cached by its pins) loads every config of a
release with ``datasets.load_dataset``, and builds and loads through ``corpus_pkg``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_pkg.tables.features import CONFIG_NAMES
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import floor_env  # noqa: E402

PROBE = """
import json, sys
import datasets, pyarrow
release, cache, corpus = sys.argv[1:4]
out = {"datasets": datasets.__version__, "pyarrow": pyarrow.__version__, "rows": {}}
for config in sys.argv[4:]:
    ds = datasets.load_dataset(release, config, cache_dir=cache)
    out["rows"][config] = {split: len(part) for split, part in ds.items()}
import corpus_pkg
out["load"] = len(corpus_pkg.load("entities", split="train", root=corpus, cache_dir=cache))
out["documents"] = [d.doc_id for d in corpus_pkg.load_documents(root=corpus)]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def floor_python() -> Path:
    return floor_env.ensure(REPO / ".venv-floor")


def test_floor_versions_are_what_pyproject_allows(floor_python: Path) -> None:
    pins = dict(pin.split("==") for pin in floor_env.floor_pins())
    assert pins["datasets"] == "4.0"  # datasets.List and the "List" features of our Parquet files need 4.0
    script = "import datasets, pyarrow; print(datasets.__version__, pyarrow.__version__)"
    versions = subprocess.run([str(floor_python), "-c", script], capture_output=True, text=True, check=True)
    assert versions.stdout.split() == ["4.0.0", f"{pins['pyarrow']}.0.0"]


def test_every_config_loads_with_the_floor_versions(
    floor_python: Path, rich_release: Path, rich_source: Path, load_release, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(rich_source, corpus)
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [str(floor_python), "-c", PROBE, str(rich_release), str(tmp_path / "hf"), str(corpus), *CONFIG_NAMES],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.splitlines()[-1])
    assert out["datasets"] == "4.0.0"
    expected = {config: {s: len(d) for s, d in load_release(rich_release, config).items()} for config in CONFIG_NAMES}
    assert out["rows"] == expected
    assert out["load"] == expected["entities"]["train"]
    assert out["documents"] == ["doc1", "doc2", "doc3"]
