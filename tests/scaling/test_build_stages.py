"""scripts/build_stages.py: the per-stage CPU table (run for real on a small synthetic corpus)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.scaling.conftest import SCRIPTS


def test_stage_table_lists_every_stage_and_the_total(synth_corpus: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "build_stages.py"), str(synth_corpus), "--docs", "20"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {line.split(" | ")[0].strip("| *"): line for line in proc.stdout.splitlines() if line.startswith("| ")}
    for stage in ("parse floor: orjson", "pydantic AnnotationFile.model_validate", "Arrow + Parquet: ner"):
        assert stage in rows, proc.stdout
    # the build's ner path (one batch of arrays) is measured, and counted in the worker's total
    ner = next(name for name in rows if name.startswith("ner batch"))
    assert float(rows[ner].split(" | ")[1]) > 0
    assert "columns of 6 configs (batches of documents)" in rows
    assert rows["parse floor: orjson"].split(" | ")[1] != "0.000"
    total = rows["what one worker does per article"]
    assert float(total.split(" | ")[2].strip("* |")) > 1.0  # a build does more than parse
    assert proc.stdout.startswith("20 documents of ")
