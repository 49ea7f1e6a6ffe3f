"""scripts/build_stages.py: the per-stage CPU table of a real build (run on a small synthetic corpus)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scaling.conftest import SCRIPTS, load_script


def _run(corpus: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPTS / "build_stages.py"), str(corpus), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True)


def test_the_stages_add_up_to_the_build_and_the_work_lands_where_it_is_done(synth_corpus: Path) -> None:
    figures = json.loads(_run(synth_corpus, "--docs", "30", "--json").stdout)
    assert figures["documents"] == 30
    stages = figures["stages_s"]
    stages_module = load_script("build_stages")
    assert sum(stages.values()) == pytest.approx(figures["build_s"], abs=1e-6)
    # each row is a stage's own time (less the timed stages inside it): counted twice, the untimed
    # rest would come out below zero
    assert min(stages.values()) > -1e-3 and stages[stages_module.UNTIMED] > 0
    assert set(stages) <= {label for label, _, _ in stages_module.STAGES} | {stages_module.UNTIMED}
    # every part of a build the table names took time in it (a timer on a function the build no longer
    # calls would read 0)
    for label in (
        "pydantic: the annotation JSON validated into models (fixed)",
        "Parquet encoding + zstd (fixed)",
        "ner: tokens, BIO tags, Arrow batch",
        "columns of the six other configs",
        "Arrow conversion of the columns",
        "checks: spans (bounds, text, order, overlaps)",
        "read the files",
    ):
        assert stages.get(label, 0) > 0, label
    assert figures["build_s"] > figures["floor_s"] > 0  # a build does more than read and parse


def test_the_table_shows_each_stage_and_the_ratio_to_the_floor(synth_corpus: Path) -> None:
    out = _run(synth_corpus, "--docs", "20").stdout
    assert out.startswith(f"20 documents of {synth_corpus}: one clean build in one process")
    rows = {line.split(" | ")[0].strip("| *"): line for line in out.splitlines() if line.startswith("| ")}
    assert "Parquet encoding + zstd (fixed)" in rows and "the build" in rows
    assert rows["the build"].split(" | ")[2].strip("* ") == "100%"
    assert "Fixed by the task (rows marked fixed):" in out


def test_a_stage_whose_function_is_gone_fails_loudly_and_unwraps_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus_pkg.tables import shard

    stages_module = load_script("build_stages")
    before = shard.read_documents
    stages = (("read", "corpus_pkg.tables.shard", "read_documents"), ("gone", "corpus_pkg.tables.shard", "no_such"))
    monkeypatch.setattr(stages_module, "STAGES", stages)
    with pytest.raises(KeyError):
        stages_module.StageTimer().install()
    assert shard.read_documents is before
