"""The suite's own sharing between pytest-xdist workers: a fixture site is built once per run however many workers
ask for it, and the tests that build in the project folder take turns through one lock file."""
from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

from conftest import built_once, held

FORK = multiprocessing.get_context("fork")


class Factory:
    """Stands for pytest's tmp_path_factory in one worker: its base folder is popen-<worker>/ of the run."""

    def __init__(self, base: Path):
        self.base = base

    def getbasetemp(self) -> Path:
        return self.base


def ask(run: Path, worker: str, log: Path, fail: bool = False) -> None:
    os.environ["PYTEST_XDIST_WORKER"] = worker

    def build(folder: Path) -> None:
        with log.open("a") as record:
            record.write(f"{worker}\n")
        time.sleep(0.3)  # long enough for the other workers to arrive while it builds
        if fail:
            raise RuntimeError("the build failed")
        (folder / "index.html").write_text(f"built by {worker}")

    base = run / f"popen-{worker}"
    base.mkdir(exist_ok=True)
    folder = built_once(Factory(base), "site", build)
    assert (folder / "index.html").read_text().startswith("built by gw")


def start(*args) -> multiprocessing.Process:
    process = FORK.Process(target=ask, args=args)
    process.start()
    return process


def test_a_fixture_site_is_built_once_and_read_by_every_worker(tmp_path):
    log = tmp_path / "builds.log"
    workers = [start(tmp_path, f"gw{n}", log) for n in range(3)]
    for worker in workers:
        worker.join(30)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert len(log.read_text().splitlines()) == 1


def test_a_failed_build_is_built_again_by_the_next_worker_that_asks(tmp_path):
    log = tmp_path / "builds.log"
    failing = start(tmp_path, "gw0", log, True)
    failing.join(30)
    assert failing.exitcode != 0
    second = start(tmp_path, "gw1", log)
    second.join(30)
    assert second.exitcode == 0
    assert log.read_text().splitlines() == ["gw0", "gw1"]


def hold(lock: Path, log: Path, name: str) -> None:
    with held(lock):
        with held(lock):  # the same process asking again goes on: flock alone would wait for itself
            log.open("a").write(f"{name} in {time.monotonic():.3f}\n")
            time.sleep(0.3)
            log.open("a").write(f"{name} out {time.monotonic():.3f}\n")


def test_the_project_folder_lock_lets_one_process_in_at_a_time(tmp_path):
    lock, log = tmp_path / "project.lock", tmp_path / "turns.log"
    processes = [FORK.Process(target=hold, args=(lock, log, f"p{n}")) for n in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    events = [line.split() for line in log.read_text().splitlines()]
    assert len(events) == 6
    # Each process's "in" is followed by its own "out": no two were ever inside together.
    for entered, left in zip(events[::2], events[1::2]):
        assert entered[0] == left[0] and entered[1] == "in" and left[1] == "out", events
