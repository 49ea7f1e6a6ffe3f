"""docs/agreement.md: every figure it shows is what its documented command prints for the seed corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..conftest import run_cli

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "agreement.md"
BLOCKS = re.compile(r"```bash\n(corpus agree [^\n]*)\n```\n\n```text\n(.*?)```", re.DOTALL)


def test_documented_tables_are_the_command_output() -> None:
    markdown = DOC.read_text(encoding="utf-8")
    blocks = BLOCKS.findall(markdown)
    assert len(blocks) == 2
    for command, expected in blocks:
        proc = run_cli(*command.split()[1:], cwd=REPO)
        assert proc.returncode == 0, proc.stderr
        printed = set(proc.stdout.splitlines())
        for line in expected.splitlines():
            assert line in printed, f"docs/agreement.md is out of date for `{command}`: {line}"


def test_figures_in_the_prose() -> None:
    markdown = DOC.read_text(encoding="utf-8")
    proc = run_cli("agree", "--annotators", "annotator-a,annotator-b", "--format", "json", cwd=REPO)
    data = json.loads(proc.stdout)
    stance, entities = data["stance"], data["entities"]
    assert f"{entities['alpha_tokens']:,} tokens" in markdown
    assert (stance["matched"], stance["n_a"], stance["pair_matched"]) == (28, 31, 29)
    for figure in ("f1", "pair_f1", "label_agreement", "kappa", "alpha"):
        assert f"{stance[figure]:.3f}" in markdown, figure
    assert "28 of A's 31 rows" in markdown and "29 share holder and target" in markdown


def test_decision_table_names_the_units_in_disagreement() -> None:
    proc = run_cli("adjudicate", "--all", "--annotators", "annotator-a,annotator-b", "--dry-run", cwd=REPO)
    assert proc.returncode == 1  # units are open in the passes
    listed = re.findall(r"^  open +(\S+) ", proc.stdout, flags=re.M)
    table = re.findall(r"^\| `\d{3}` \| `(s-[^`]+)`", DOC.read_text(encoding="utf-8"), flags=re.M)
    assert sorted(listed) == sorted(table) and len(table) == 6
