"""README.md is the front door: its set-up commands are the ones CI and users run."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)


def test_first_code_block_is_the_two_commands() -> None:
    first = _code_blocks((REPO / "README.md").read_text(encoding="utf-8"))[0]
    commands = [line.split("#")[0].strip() for line in first.splitlines() if line.strip()]
    assert commands == ["make dataset", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    assert [line.strip() for line in ci.splitlines() if line.strip() == "make test"] == ["make test"]


def test_makefile_bootstraps_the_virtualenv() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "-m venv $(VENV)" in makefile and "pip install --quiet -e '.[dev]'" in makefile
    for target in ("dataset:", "test:"):
        line = next(line for line in makefile.splitlines() if line.startswith(target))
        assert "$(STAMP)" in line


def test_docs_linked_from_readme_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        if not link.startswith("http"):
            assert (REPO / link).exists(), f"README links to missing {link}"


def _block_after(heading: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(heading) :]
    return _code_blocks(section)[0]


def test_annotator_tour_runs_as_written(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = _block_after("## 5-minute tour: annotators")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _code_blocks((REPO / "README.md").read_text(encoding="utf-8").split("`corpus show` prints:")[1])[0]
    assert shown.strip() in result.stdout
    assert "valid: 1 documents, 0 error(s), 1 warning(s)" in result.stdout


def test_ml_tour_prints_what_the_readme_says(tmp_path: Path) -> None:
    import subprocess
    import sys

    build = subprocess.run(
        [sys.executable, "-m", "corpus_pkg", "build", "--root", str(REPO), "--out", str(tmp_path / "dist" / "release")],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    block = next(b for b in _code_blocks(_section("## 5-minute tour: ML practitioners")) if "import datasets" in b)
    expected = [line[3:] for line in block.splitlines() if line.startswith("#> ")]
    result = subprocess.run(
        [sys.executable, "-c", block], cwd=tmp_path, capture_output=True, text=True, env=_offline_env()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == expected


def _section(heading: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme[readme.index(heading) :]


def _offline_env() -> dict[str, str]:
    import os

    return {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
