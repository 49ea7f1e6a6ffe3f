"""Build and validate on Dask: a LocalCluster, and a real `dask scheduler` + `dask worker` processes.

Every release is compared file by file (sha256) with a local build of the same corpus."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_pkg._dask import DaskExecutor
from corpus_pkg.corpus import CorpusError
from corpus_pkg.release.build import build
from corpus_pkg.validate import validate
from tests.conftest import run_cli
from tests.scaling.test_build_incremental import edit_one_document, plan, shard_of

from .conftest import DaskProcesses, free_port, release_digests

OPTIONS = {"row_group_size": 50, "docs_per_shard": 10}


def test_localcluster_build_and_validate_equal_the_local_engine(synth_corpus: Path, tmp_path: Path) -> None:
    local = build(synth_corpus, tmp_path / "local", cache=False, workers=1, **OPTIONS)
    dask = build(synth_corpus, tmp_path / "dask", cache=False, engine="dask", **OPTIONS)  # LocalCluster, 2 processes
    assert len(plan(synth_corpus, 10)) >= 4  # several shards, so both workers get tasks
    assert dask.files == local.files and dask.rows == local.rows
    assert release_digests(tmp_path / "dask") == release_digests(tmp_path / "local")

    art = synth_corpus / "annotations" / "art000003.json"
    data = json.loads(art.read_text(encoding="utf-8"))
    data["entities"][0]["start"] += 1  # the span no longer matches its text: an error
    art.write_text(json.dumps(data), encoding="utf-8")
    expected = validate(synth_corpus, cache=False, workers=1)
    assert not expected.valid
    on_dask = validate(synth_corpus, cache=False, engine="dask", workers=2)
    assert on_dask.model_dump_json() == expected.model_dump_json()


def test_cli_on_a_real_scheduler_is_byte_identical_and_incremental(
    synth_corpus: Path, tmp_path: Path, dask_processes: DaskProcesses
) -> None:
    address = dask_processes.address
    local = tmp_path / "local"
    build(synth_corpus, local, cache=False, workers=1, **OPTIONS)
    result = run_cli(
        "build", "--root", str(synth_corpus), "--out", str(tmp_path / "cli"), "--docs-per-shard", "10",
        "--engine", "dask", "--scheduler", address, "--no-cache",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plain = run_cli("build", "--root", str(synth_corpus), "--out", str(tmp_path / "cli-local"),
                    "--docs-per-shard", "10")  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert release_digests(tmp_path / "cli") == release_digests(tmp_path / "cli-local")
    checked = run_cli("validate", "--root", str(synth_corpus), "--format", "json", "--engine", "dask",
                      "--scheduler", address, "--no-cache")  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout) == json.loads(validate(synth_corpus, cache=False).model_dump_json())

    # the shard cache works through the cluster: an edit rebuilds its shard only
    first = build(synth_corpus, tmp_path / "first", engine="dask", scheduler=address, **OPTIONS)
    assert (first.cache.hits, first.cache.misses) == (0, 40)
    assert release_digests(tmp_path / "first") == release_digests(local)
    edit_one_document(synth_corpus)
    edited = shard_of(plan(synth_corpus, 10), "art000012")
    again = build(synth_corpus, tmp_path / "again", engine="dask", scheduler=address, **OPTIONS)
    assert (again.cache.hits, again.cache.misses) == (40 - len(edited.docs), len(edited.docs))
    build(synth_corpus, tmp_path / "clean", cache=False, workers=1, **OPTIONS)
    assert release_digests(tmp_path / "again") == release_digests(tmp_path / "clean")


def _marker() -> str | None:
    return getattr(sys, "_corpus_test_marker", None)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_localcluster_workers_are_forked_and_a_killed_one_is_replaced_by_a_spawned_one(
    synth_corpus: Path, tmp_path: Path
) -> None:
    sys._corpus_test_marker = marker = f"set in {os.getpid()}"  # type: ignore[attr-defined]
    with DaskExecutor(workers=2) as executor:
        client = executor.client
        assert set(client.run(_marker).values()) == {marker}  # a forked copy of this process: a spawned one has none
        pids = client.run(os.getpid)
        os.kill(sorted(pids.values())[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the nanny starts a new worker process in its place
            now = client.run(os.getpid, on_error="ignore")  # the killed one may still be listed
            if len(now) == 2 and set(now.values()) != set(pids.values()):
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"no worker replaced the killed one: {pids} -> {client.run(os.getpid)}")
        # the survivor is a fork of this process; the replacement was spawned (a fork in the middle
        # of a build could copy a lock another thread holds)
        assert sorted(map(str, client.run(_marker).values())) == sorted([marker, "None"])
    del sys._corpus_test_marker  # type: ignore[attr-defined]
    local = build(synth_corpus, tmp_path / "local", cache=False, workers=1, **OPTIONS)
    dask = build(synth_corpus, tmp_path / "dask", cache=False, engine="dask", **OPTIONS)
    assert dask.files == local.files
    assert release_digests(tmp_path / "dask") == release_digests(tmp_path / "local")


def test_a_worker_killed_mid_build_is_replaced_and_the_release_is_identical(
    synth_corpus: Path, tmp_path: Path, dask_processes: DaskProcesses
) -> None:
    build(synth_corpus, tmp_path / "local", cache=False, workers=1, row_group_size=50, docs_per_shard=2)
    killed: list[str] = []
    with dask_processes.client() as observer:

        def kill_a_busy_worker(line: str) -> None:
            if killed:
                return
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # wait until a worker is running a shard, then kill it
                busy = {addr: keys for addr, keys in observer.processing().items() if keys}
                if busy:
                    addr = sorted(busy)[0]
                    name = observer.scheduler_info()["workers"][addr]["name"]  # w0 or w1
                    os.killpg(dask_processes.workers[int(str(name)[1:])].pid, signal.SIGKILL)
                    killed.append(addr)
                    return
                time.sleep(0.01)

        result = build(
            synth_corpus,
            tmp_path / "dask",
            cache=False,
            engine="dask",
            scheduler=dask_processes.address,
            progress=kill_a_busy_worker,
            row_group_size=50,
            docs_per_shard=2,
        )
        assert killed, "no worker was busy: nothing was killed"
        assert killed[0] not in observer.scheduler_info()["workers"]  # it is gone; the other did its shards
    assert sum(p.poll() is not None for p in dask_processes.workers) == 1
    assert result.documents == 40
    assert release_digests(tmp_path / "dask") == release_digests(tmp_path / "local")


def test_an_unreachable_scheduler_fails_fast_with_a_clear_error(
    synth_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv("CORPUS_DASK_CONNECT_TIMEOUT", "2")  # default 10 s
    started = time.monotonic()
    result = run_cli("build", "--root", str(synth_corpus), "--out", str(tmp_path / "out"), "--engine", "dask",
                     "--scheduler", address)  # fmt: skip
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    assert f"cannot reach the Dask scheduler at {address} (waited 2 s)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.tmp-*"))


def test_without_the_dask_extra_the_error_names_it(synth_corpus: Path, tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None\n"
        "from corpus_pkg.cli import main\n"
        f"sys.argv = ['corpus', 'validate', '--root', {str(synth_corpus)!r}, '--engine', 'dask']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "pip install 'corpus_pkg[dask]'" in result.stderr


@pytest.mark.parametrize("engine", ["local"])
def test_a_scheduler_address_needs_the_dask_engine(synth_corpus: Path, engine: str) -> None:
    with pytest.raises(ValueError, match="needs the dask engine"):
        validate(synth_corpus, engine=engine, scheduler="tcp://127.0.0.1:1")


def test_a_scheduler_without_workers_fails_fast_with_a_clear_error(
    tmp_path: Path,
) -> None:
    from .conftest import BIN, _spawn

    port = free_port()
    scheduler = _spawn(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        tmp_path / "scheduler.log",
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # wait until the scheduler listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the scheduler did not start"
                time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(CorpusError, match="has no workers"), DaskExecutor(f"tcp://127.0.0.1:{port}", 2, 3):
            pass
        assert time.monotonic() - started < 30
    finally:
        os.killpg(scheduler.pid, signal.SIGTERM)
        scheduler.wait(timeout=30)
