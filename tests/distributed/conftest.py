"""Fixtures for the distributed tests: a real Dask scheduler and workers started as subprocesses on
127.0.0.1, and a real S3 API (moto's server) on 127.0.0.1. Every process is bounded in time and
stopped at the end of its test."""

from __future__ import annotations

import copy
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def release_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file of a release folder, by release-relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class DaskProcesses:
    """A `dask scheduler` and `dask worker` processes started by a test."""

    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)

    def client(self):  # noqa: ANN201 - distributed.Client
        from distributed import Client

        return Client(self.address, timeout=10)

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _spawn(args: list[str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def dask_processes(tmp_path: Path) -> Iterator[DaskProcesses]:
    """A real scheduler and two single-threaded workers (no nanny: a killed worker stays dead)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    scheduler = _spawn(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        logs / "scheduler.log",
    )
    procs = DaskProcesses(address, scheduler)
    try:
        for i in range(2):
            procs.workers.append(
                _spawn(
                    [
                        str(BIN / "dask"),
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--name",
                        f"w{i}",
                        "--death-timeout",
                        "60",
                    ],
                    logs / f"worker{i}.log",
                )
            )
        deadline = time.monotonic() + START_TIMEOUT
        client = None
        while client is None:
            try:
                client = procs.client()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield procs
    finally:
        procs.stop()


@dataclass
class S3:
    """A moto S3 server on 127.0.0.1 and the environment that points s3fs (in any process) at it."""

    endpoint: str
    env: dict[str, str]

    def filesystem(self):  # noqa: ANN201 - s3fs.S3FileSystem
        import s3fs

        return s3fs.S3FileSystem(endpoint_url=self.endpoint, key="testing", secret="testing", skip_instance_cache=True)


@pytest.fixture
def s3_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3]:
    """moto's real S3 API server, bound to 127.0.0.1 on a free port, with one bucket ``corpus-test``."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "FSSPEC_S3_ENDPOINT_URL": endpoint,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    import fsspec.config

    saved = copy.deepcopy(fsspec.config.conf)
    fsspec.config.set_conf_env(fsspec.config.conf)  # this process reads the endpoint like the workers do
    try:
        s3 = S3(endpoint, env)
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)
        s3.filesystem().mkdir("corpus-test")  # moto keeps its state per process: start from none
        yield s3
    finally:
        fsspec.config.conf.clear()
        fsspec.config.conf.update(saved)
        server.stop()


from tests.scaling.conftest import synth, synth_corpus  # noqa: E402, F401 - the 40-document synthetic corpus
